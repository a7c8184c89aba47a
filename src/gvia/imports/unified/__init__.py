"""The Tax Authority's unified export (מבנה אחיד, version 1.31) read into typed rows (issue 18).

Every Israeli bookkeeping program writes INI.TXT and BKMVDATA.TXT, fixed-width records per the
published specification. This package reads them — ``files.py`` finds the two files in a folder
or a zip (bounded), ``layout.py`` holds the specification's field tables with their sources,
``records.py`` reads INI.TXT's header (the character set is its field 1029) and BKMVDATA.TXT's
C100, D110, D120 and B110 records into checked records, ``rows.py`` turns them into the CSV
import's own customer, invoice and payment rows — and writes nothing: the service
``services/ledger/unified.py`` imports them through ``services/ledger/imports.py``.
"""

from .layout import ALLOCATION_NUMBER_FIELD, SYSTEM_CONSTANT
from .records import Export, read_export
from .rows import UnifiedRows, to_rows

__all__ = ["ALLOCATION_NUMBER_FIELD", "SYSTEM_CONSTANT", "Export", "read_export", "UnifiedRows", "to_rows"]
