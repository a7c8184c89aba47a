"""Invoicing services a business keeps its documents in, read over their APIs (issue 18): the
clients, invoices, credit notes and receipts, as the rows an import writes
(:mod:`gvia.imports.parsed`). One module per service; HTTP and JSON only, no database:
:mod:`gvia.services.ledger.sync` stores what they give through the imports' own path.

* ``morning.py`` — Morning (formerly Green Invoice), from its published API collection.
* ``http.py`` — the JSON POST they share, and what a failure means (:class:`SyncFailed`).
"""
