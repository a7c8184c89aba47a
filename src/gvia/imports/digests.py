"""Which rows of an invoice file are exactly as they were when gvia last imported them.

A business re-imports its whole invoice export every day (``--full``), and most of its rows
have not changed since the day before. Each invoice keeps the digest of the row it was last
imported or checked from (``Invoice.source_digest``); a row whose digest is stored is skipped
without parsing or comparing — parsing and comparing a million unchanged rows is what made the
daily re-import as slow as the first import.

The digest is BLAKE2b (8 bytes, as a signed 64-bit integer: what both databases store in a
BIGINT) of the row's cells as read, salted and personalised (BLAKE2's own parameters, which cost
nothing per row, where a key would cost a block) with everything else that decides what a row means:
the file's header, the parser's settings (country, date format, default currency, decimal
comma, negative amounts as credit notes) and :data:`VERSION`, raised whenever the parser reads
the same text differently. So the same text under other settings, or another header, is a
different digest and is parsed again. Two different rows share a digest with a probability of
about one in 2^64 per pair compared.

A stored digest promises that importing that row again would change nothing; whatever changes
an invoice's imported fields otherwise (a changed row, ``--full`` closing it, a person entering
its allocation number) clears or replaces it (``gvia.store.import_store``).
"""

from __future__ import annotations

import hashlib
from functools import partial
from itertools import repeat
from operator import methodcaller
from typing import Callable

# Raised when a row's text is read differently than before (a parser change that could
# give an unchanged row another meaning): every stored digest then stops matching.
VERSION = 1

_SEP = "\x00"   # neither a CSV file (the csv module refuses NUL) nor a spreadsheet cell holds it
_digest = methodcaller("digest")
_signed = partial(int.from_bytes, byteorder="big", signed=True)


def settings_key(headers: list[str], settings: tuple) -> bytes:
    """The 32 bytes (BLAKE2b's salt and personalisation) for the rows of one file read with one
    parser's ``settings``."""
    text = repr((VERSION, tuple(headers), settings))
    return hashlib.blake2b(text.encode(), digest_size=32).digest()


def batch_digests(key: bytes, width: int) -> Callable[[list[list], bool], list[int | None]]:
    """``digests(rows, text)``: each row's digest, None for a row that cannot have one (its
    width is not the header's, or a cell holds NUL) — that row is always parsed. ``text`` says
    every cell is a str (a CSV file); otherwise cells are written as text first."""
    hasher = partial(hashlib.blake2b, digest_size=8, salt=key[:16], person=key[16:])
    join = _SEP.join
    seps = width - 1

    def digests(rows: list[list], text: bool = True) -> list[int | None]:
        if not text:
            rows = [["" if c is None else str(c) for c in r] for r in rows]
        lines = list(map(join, rows))
        if set(map(len, rows)) != {width} or sum(map(str.count, lines, repeat(_SEP))) != seps * len(rows):
            return [_one(hasher, r, width) for r in rows]
        return list(map(_signed, map(_digest, map(hasher, map(str.encode, lines)))))

    return digests


def _one(hasher, row: list, width: int) -> int | None:
    if len(row) != width or any(_SEP in c for c in row):
        return None
    return _signed(hasher(_SEP.join(row).encode()).digest())
