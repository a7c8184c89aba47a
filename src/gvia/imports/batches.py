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

from itertools import compress
from typing import Generator, NamedTuple

from .columns import Batch
from .digests import batch_digests, settings_key
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


class Read(NamedTuple):
    """A batch of an invoice file read against what gvia holds (:func:`read_changed`)."""

    good: list                  # the rows parsed, in file order
    problems: list              # [problems of each bad row]
    bad: int                    # bad row count
    digests: list               # each good row's digest (None: the row has none)
    unchanged: list             # (invoice id, row number) of each row skipped as unchanged


def read_changed(table: Table, parser: RowParser, known: dict[int, int], batch: int | None = None
                 ) -> Generator[Read, None, None]:
    """An invoice file in batches like :func:`parse_batches`, but a row whose digest
    (:mod:`gvia.imports.digests`) is in ``known`` (digest -> invoice id) is not parsed: it is
    as it was when last imported. Each digest is taken out of ``known`` as its row is met, so
    the same row twice is parsed the second time (and the planner names the number twice);
    what is left in ``known`` afterwards is what the file no longer has as it was."""
    batch = batch or BATCH
    parse_many = parser.parse_many
    text = table.format == "csv"
    digests_of = batch_digests(settings_key(table.headers, parser.settings()), len(table.headers))
    pop = known.pop
    good: list = []
    problems: list = []
    bad = 0
    kept: list = []
    unchanged: list = []
    for rownums, cells in table.batches(min(batch, PARSE_ROWS)):
        digests = digests_of(cells, text)
        if known:
            hits: list[int | None] = [pop(d, None) if d is not None else None for d in digests]
            if any(i is not None for i in hits):
                unchanged.extend((i, n) for i, n in zip(hits, rownums) if i is not None)
                wanted = [i is None for i in hits]
                rownums = list(compress(rownums, wanted))
                cells = list(compress(cells, wanted))
                digests = list(compress(digests, wanted))
        if cells:
            parsed, found, n = parse_many(rownums, cells, text)
            good += parsed
            problems += found
            bad += n
            if n:   # the good rows' own digests (the batch fails anyway; keep them aligned)
                by_row = dict(zip(rownums, digests))
                digests = [by_row[r.row] for r in parsed]
            kept += digests
        if len(good) + bad + len(unchanged) >= batch:
            yield Read(good, problems, bad, kept, unchanged)
            good, problems, bad, kept, unchanged = [], [], 0, [], []
    yield Read(good, problems, bad, kept, unchanged)
