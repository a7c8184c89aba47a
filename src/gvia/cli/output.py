"""Printing results as a table, CSV or JSON (--format). A table's columns are words in the language
gvia speaks (``col.<name>`` in the cli catalog); CSV and JSON keep the names as they are."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Iterable, Sequence

from rich.console import Console
from rich.table import Table

from gvia.core.cells import csv_writer

from .words import column


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


console = Console()
err_console = Console(stderr=True)


def _default(o: Any):
    if isinstance(o, Decimal):
        return str(o)
    if isinstance(o, (date, datetime)):
        return o.isoformat()
    raise TypeError(f"not JSON serializable: {type(o).__name__}")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_default) + "\n")


def print_rows(headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: Format, title: str = "",
               json_data: Any = None) -> None:
    """Print rows in the chosen format. ``json_data`` (if given) is what --format json prints."""
    rows = [[("" if v is None else v) for v in r] for r in rows]
    if fmt == Format.json:
        print_json(json_data if json_data is not None else [dict(zip(headers, r)) for r in rows])
    elif fmt == Format.csv:
        w = csv_writer(sys.stdout, lineterminator="\n")     # formulas neutralised (gvia.core.cells)
        w.writerow(headers)
        for r in rows:
            w.writerow([_default(v) if isinstance(v, (Decimal, date)) else v for v in r])
    else:
        table = Table(title=title or None)
        for h in headers:
            table.add_column(column(h), justify="right" if h.lower() in NUMERIC_HEADERS else "left")
        for r in rows:
            table.add_row(*[str(v) for v in r])
        console.print(table)


NUMERIC_HEADERS = {"amount", "open", "total", "not_due", "1-30", "31-60", "61-90", "91-180", "180+",
                   "debit", "credit", "balance", "overdue", "unapplied", "invoices", "days"}
