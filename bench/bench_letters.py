"""How fast are the documents? `python bench/bench_letters.py [LETTERS]`.

Prints:
* one-page letters per second in one process (Hebrew and English reminders, each with its
  own reference and invoices so nothing is served from Typst's cache of an identical
  document), wall clock and CPU time per letter; the goal is at least 100 per second;
* the batch speed-up of :func:`gvia.documents.render_many` on 2 processes over 1
  (worker start-up included);
* the time to build a case file of about 10 pages (cover, statement, invoices, letters,
  calls, promises, and a 2-page PDF attachment merged in); the goal is under 1 second;
* the time to render the UK letter of claim with its Information Sheet, Reply Form and
  Financial Statement.

Other work on the machine slows all of it down; run it on a quiet machine.
"""

from __future__ import annotations

import io
import sys
import time
from dataclasses import replace
from datetime import date, timedelta

from pypdf import PdfReader

# gvia is the installed package (make bench installs it, editable), as in bench_parse.py
from gvia.core.money import Money, Totals
from gvia.core.statement import Statement, StatementLine
from gvia.documents import Attachment, CallRecord, InvoiceLine, SentMessage, build_casefile, render, render_many
from gvia.documents.compose import compose
from gvia.documents.samples import sample_casefile, sample_letter, sample_letter_of_claim


def letters(n: int) -> list:
    out = []
    for i in range(n):
        lang = "he" if i % 2 == 0 else "en"
        inv = tuple(
            InvoiceLine(number=f"INV-{2026}-{i:05d}-{k}", issue_date=date(2026, 9, 1 + k),
                        due_date=date(2026, 10, 1 + k), original=Money.of(1000 + i + k, "ILS"),
                        open=Money.of(500 + i + k, "ILS"))
            for k in range(2))
        out.append(sample_letter("reminder", lang, reference=f"L-2026-{i:05d}", invoices=inv))
    return out


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def bench_single(n: int) -> None:
    ctxs = letters(n)
    first = render(ctxs[0])
    assert pages(first) == 1, "the benchmark letter must be one page"
    render(ctxs[1])
    t0, c0 = time.perf_counter(), time.process_time()
    for ctx in ctxs:
        render(ctx)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    for ctx in ctxs:
        compose(ctx)
    comp = time.perf_counter() - t0
    print(f"single process: {n / wall:7.1f} one-page letters/s  "
          f"({wall / n * 1000:.1f} ms wall, {cpu / n * 1000:.1f} ms CPU per letter, "
          f"of which compose {comp / n * 1000:.2f} ms)  goal >= 100/s: "
          f"{'ok' if n / wall >= 100 else 'MISSED'}")


def bench_batch(n: int) -> None:
    ctxs = letters(n)
    t0 = time.perf_counter()
    render_many(ctxs, processes=1)
    one = time.perf_counter() - t0
    t0 = time.perf_counter()
    render_many(ctxs, processes=2)
    two = time.perf_counter() - t0
    print(f"batch of {n}: 1 process {one:.2f} s ({n / one:.0f}/s), 2 processes {two:.2f} s "
          f"({n / two:.0f}/s), speed-up x{one / two:.2f}")


def casefile_context():
    base = sample_casefile("he")
    inv = tuple(
        InvoiceLine(number=f"INV-2026-{k:04d}", issue_date=date(2026, 1, 1) + timedelta(days=3 * k),
                    due_date=date(2026, 2, 1) + timedelta(days=3 * k),
                    original=Money.of(1000 + 17 * k, "ILS"), open=Money.of(1000 + 17 * k, "ILS"))
        for k in range(90))
    lines, bal = [], Money.zero("ILS")
    for ln in inv:
        bal += ln.original
        lines.append(StatementLine(ln.issue_date, "invoice", ln.number, "", "ILS", ln.original, None, bal))
    st = Statement(as_of=base.as_of, since=None, opening=Totals(), lines=lines,
                   closing=Totals([bal]), pending=Totals(), open_items=[], unapplied=Totals())
    msgs = tuple(SentMessage(sent_at=date(2026, 3, 1) + timedelta(days=7 * k), channel="email",
                             document="reminder", subject=f"תזכורת {k}", recipient="a@b.co.il",
                             proof=f"250 2.0.0 Ok: queued as {k:08X}") for k in range(40))
    calls = tuple(CallRecord(at=date(2026, 4, 1) + timedelta(days=5 * k), by="דנה לוי",
                             contact="יוסי כהן", outcome="לא ענה") for k in range(20))
    two_pages = render(sample_letter("warning_letter", "he"))
    return replace(base, invoices=inv, statement=st, messages=base.messages + msgs,
                   calls=calls, attachments=(Attachment(title="מכתב התראה", data=two_pages),))


def bench_casefile() -> None:
    ctx = casefile_context()
    build_casefile(ctx)
    t0 = time.perf_counter()
    pdf = build_casefile(ctx)
    dt = time.perf_counter() - t0
    print(f"case file: {pages(pdf)} pages in {dt * 1000:.0f} ms  goal < 1 s: "
          f"{'ok' if dt < 1 else 'MISSED'}")


def bench_letter_of_claim(n: int = 20) -> None:
    """The UK letter of claim with its three annexes (about 6 pages)."""
    ctxs = [sample_letter_of_claim("en", reference=f"LOC-{i:04d}") for i in range(n)]
    first = render(ctxs[0])
    t0 = time.perf_counter()
    for ctx in ctxs:
        render(ctx)
    dt = (time.perf_counter() - t0) / n
    print(f"letter of claim with its forms: {pages(first)} pages in {dt * 1000:.0f} ms")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    bench_single(n)
    bench_batch(max(n, 200))
    bench_casefile()
    bench_letter_of_claim()


if __name__ == "__main__":
    main()
