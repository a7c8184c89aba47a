"""The service layer: one function per use case. Entry points (CLI, web, API) call these.

Grouped by domain; each sub-package's docstring lists what it holds:

- :mod:`.ledger` — the books: importing customers, invoices and payments, recomputing open
  amounts, aging, statements, the customer list, bounced cheques.
- :mod:`.engine` — the escalation engine and the collector's day: policies, the daily run
  (snapshot → decide → apply), case state, approvals, pauses, calls, activities, the
  worklist and the long-running worker.
- :mod:`.sending` — the outbox and what leaves gvia: composing messages, the dispatcher
  (exactly once or visibly uncertain), the sending window, mail configuration.
- :mod:`.arrangements` — promises, payment plans, settlements, disputes and write-offs, and
  their daily check.
- :mod:`.letters` — letters and documents built from the database: their content, the case
  file for a lawyer, the day's print batch.
- :mod:`.legal` — what the law fixes: interest and rate tables, limitation, the legal routes.
- :mod:`.org` — the organization: creating it, its members, the demo business, backups.

The modules at this level are what every domain shares: :mod:`.context` (who acts for which
organization), :mod:`.clock` (the wall clock and time zones), :mod:`.audit`, :mod:`.settings`
(every setting, its default and its check), :mod:`.sealed` (secrets stored encrypted),
:mod:`.files` (stored files), :mod:`.locality` (the organization's calendar and locale) and
:mod:`.lookup` (an organization's own record by id).

Rules are not here: they are in :mod:`gvia.core`; a service reads, calls the core, writes.
"""
