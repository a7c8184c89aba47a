"""Parsing a file in batches, for writing each batch before the next one is read.

:func:`parse_batches` yields, in file order, ``(good rows, [problems of each bad row], bad row
count)`` for every ``batch`` rows of the file, so a large import never holds all of a file's
parsed rows at once (a million invoice rows are some 300 MB as objects). The rows and problems
are exactly those ``parser.parse`` returns.

(Parsing in a second process while the first writes was measured too: unpickling the rows in
the writing process cost about what parsing them does, and on a busy two-core machine the two
processes shared one core's worth of time, so it was slower. So was parsing in a second thread,
issue 2 round 2: parsing holds the GIL nearly all the time and the writer's time outside it
comes in short SQLite steps, so the threads took turns instead of overlapping — 1M invoice rows
took 2–6 s more CPU and no less wall time, with ~1,900 rows a statement and a 1 ms switch
interval too. Hashing the file in a thread while parsing also measured slower, about 2 s CPU.)
"""

from __future__ import annotations

from typing import Generator

from .columns import Batch
from .rows import RowParser
from .tables import Table

BATCH = 20_000
PARSE_ROWS = 256   # rows parsed at a time: columns of this many cells stay in the CPU's caches


def parse_batches(table: Table, parser: RowParser, batch: int | None = None) -> Generator[Batch, None, None]:
    """``(good rows, [problems of each bad row], bad rows)`` per ``batch`` (default ``BATCH``)
    rows of the file; the last one may be short or empty."""
    batch = batch or BATCH
    parse_many = parser.parse_many
    text = table.format == "csv"   # every cell a str
    rows: list = []
    problems: list = []
    bad = 0
    for rownums, cells in table.batches(min(batch, PARSE_ROWS)):
        good, found, n = parse_many(rownums, cells, text)
        rows += good
        problems += found
        bad += n
        if len(rows) + bad >= batch:
            yield rows, problems, bad
            rows, problems, bad = [], [], 0
    yield rows, problems, bad
