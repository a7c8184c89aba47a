"""The rate tables gvia ships (CSV files beside this one), read into a :class:`RateBook`.

* ``gb_boe_base_rate.csv`` — Bank of England Bank Rate, changes from December 2008;
* ``eu_ecb_mro_rate.csv`` — ECB main refinancing operations rate, changes from December 2008;
* ``il_cpi.csv`` — Israeli CPI: the few months found in stored copies (base average 2022 = 100);
  every other month must be imported (the CBS JSON as downloaded, or gvia CSV);
* ``il_linked_interest.csv``, ``il_arrears_interest.csv`` — Israeli rates under the Interest
  and Linkage Adjudication Law: only the quarters that could be checked word for word.

Each file says in its header where its figures come from and up to which day it is complete;
a calculation that needs a figure not on file raises :class:`~gvia.core.rates.MissingRate`.
Users bring the tables up to date with ``gvia rates import FILE`` (same CSV format, see
:mod:`gvia.core.rates`), which the store keeps and lays over these with
:meth:`RateBook.with_table`.

This package reads its own resource files (the only I/O here); the checking is done by the
pure :func:`gvia.core.rates.parse_table`.
"""

from __future__ import annotations

from importlib import resources

from gvia.core.rates import IndexTable, RateBook, RateTable, parse_table

__all__ = ["SHIPPED_FILES", "shipped_text", "shipped_table", "shipped_book"]

SHIPPED_FILES = (
    "gb_boe_base_rate.csv",
    "eu_ecb_mro_rate.csv",
    "il_cpi.csv",
    "il_linked_interest.csv",
    "il_arrears_interest.csv",
)


def shipped_text(file_name: str) -> str:
    """The CSV text of one shipped table."""
    if file_name not in SHIPPED_FILES:
        raise KeyError(f"no shipped rate table {file_name!r}")
    return resources.files(__name__).joinpath(file_name).read_text(encoding="utf-8")


def shipped_table(file_name: str) -> RateTable | IndexTable:
    """One shipped table, checked."""
    return parse_table(shipped_text(file_name), origin=file_name)


def shipped_book() -> RateBook:
    """All shipped tables, checked, by name."""
    return RateBook.of(shipped_table(f) for f in SHIPPED_FILES)
