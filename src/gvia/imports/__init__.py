"""Reading and validating import files: customers, invoices and payments.

This package reads a file and turns each row into a typed, checked record; it writes nothing.
The importer (matching existing records, bulk writes, ``--full``) is built on it:

    table = read_table(path)                                    # tables.py
    mapping = build_mapping("invoices", table.headers,          # mapping.py
                            parse_column_options(column_options), preset)
    parser = RowParser("invoices", mapping, org.country, date_format,
                       org.default_currency, source=table.source)  # rows.py
    for row in parse_rows(table.rows, parser):                  # raises ValidationFailed at the
        stage(row)                                              # end if any row was bad

Modules: ``fields`` (canonical fields and header aliases), ``tables`` (files), ``mapping``
(header -> field), ``values`` (one cell -> one value), ``parsed`` (the typed records), ``rows``
(one row -> one record), ``columns`` (a batch of invoice rows column by column), ``batches``.
"""

from .fields import DESCRIPTIONS, FIELDS, KINDS, REQUIRED
from .mapping import Mapping, build_mapping, make_preset, parse_column_options
from .parsed import CustomerRow, InvoiceRow, ParsedRow, PaymentRow
from .rows import RowParser, parse_rows
from .tables import Table, read_table

__all__ = [
    "DESCRIPTIONS", "FIELDS", "KINDS", "REQUIRED",
    "Mapping", "build_mapping", "make_preset", "parse_column_options",
    "CustomerRow", "InvoiceRow", "ParsedRow", "PaymentRow", "RowParser", "parse_rows",
    "Table", "read_table",
]
