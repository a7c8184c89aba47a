"""`render_due` (``gvia letters batch``): the due paper letters rendered on 2 processes, kept as
proof, laid out in one print batch with a posting list, and marked sent; nothing printed twice;
a letter no longer wanted is cancelled, one that cannot be produced fails with a task."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gvia.core.message_log import english
from gvia.services.files import resolve_path
from gvia.services.ledger import books as ledger
from gvia.services.letters.print_batch import render_due
from gvia.store.models import Activity, OutboxMessage, Task
from tests.documents.pdftext import pdf_pages

from .conftest import AS_OF, at, customer, message, text

pytestmark = pytest.mark.django_db


def test_due_letters_across_two_processes(ctx, shop, books, tmp_path):
    other = customer(books, "C-101", "Orchard Foods Ltd", language="en")
    books.invoice(other, "OF-9", "321.09", date(2026, 10, 1), date(2026, 9, 1))
    ledger.recompute(ctx, [other.id])
    held = customer(books, "C-102", "לקוח מוקפא", do_not_chase=True, do_not_chase_reason="in talks")
    books.invoice(held, "HD-1", "100.00", date(2026, 10, 1))
    ledger.recompute(ctx, [held.id])
    nameless = customer(books, "C-103", "ללא ח.פ.", tax_id="")
    books.invoice(nameless, "NX-1", "50.00", date(2026, 10, 1))
    ledger.recompute(ctx, [nameless.id])

    m1 = message(ctx, shop, "warning_letter", "registered_letter", attach=["statement"])
    m2 = message(ctx, shop, "reminder", "letter", key="manual:m2")
    m3 = message(ctx, other, "second_reminder", "letter", language="en")
    m4 = message(ctx, other, "reminder", "letter", key="manual:later", planned=date(2026, 11, 30))   # not due
    m5 = message(ctx, held, "reminder", "letter")                                                     # on hold
    m6 = message(ctx, nameless, "warning_letter", "registered_letter")                                # no ID number
    progress: list[tuple] = []
    out = tmp_path / "print"
    result = render_due(ctx, AS_OF, out, processes=2, progress=lambda *a: progress.append(a), now=at(AS_OF))

    assert (result.letters, result.cancelled, result.failed, result.waiting) == (3, 1, 1, 0)
    status = {m.id: m.status for m in OutboxMessage.objects.all()}
    assert status == {m1.id: "sent", m2.id: "sent", m3.id: "sent", m4.id: "queued", m5.id: "cancelled",
                      m6.id: "failed"}
    assert Task.objects.filter(message_id=m6.id, kind=Task.Kind.FAILED_MESSAGE, open=True).exists()
    log = OutboxMessage.objects.get(id=m6.id).log
    assert log[-1]["code"] == "outbox_not_printed" and "debtor.tax_id" in english(log)
    [problem] = result.problems            # said to whoever printed, as a code the command line words
    assert (problem.code, problem.params["message"], problem.params["customer"]) == (
        "batch_not_printed", m6.id, "C-103")
    # the progress bar advanced once per document rendered: 3 letters, 1 attached statement and the
    # letter that failed (its ID number is checked as it is rendered)
    assert len(progress) == 5 and all(p == ("render", 1, 5) for p in progress)

    # one file per letter, each also kept as proof; the warning letter carries its statement
    assert sorted(p.name for p in result.files) == [
        f"2026-11-23-C-100-reminder-{m2.id}.pdf", f"2026-11-23-C-100-warning_letter-{m1.id}.pdf",
        f"2026-11-23-C-101-second_reminder-{m3.id}.pdf"]
    for m in OutboxMessage.objects.filter(status="sent"):
        kept = resolve_path(m.raw_path).read_bytes()
        assert kept == (out / Path(m.raw_path).name).read_bytes()
        assert f"gvia mail registered {m.id}" in m.server_reply
    warning = text((out / f"2026-11-23-C-100-warning_letter-{m1.id}.pdf").read_bytes())
    assert "C-100-1" in warning and "בדואר רשום עם אישור מסירה" in warning    # the case's payment reference
    # the warning demands what is due (13,230.40; SH-1004 apart); the statement's closing balance is all
    assert "סה״כ לתשלום | ₪13,230.40" in warning and "יתרת סגירה | ₪13,990.40" in warning   # + statement
    # the batch: every letter, then the posting list (a row per envelope)
    pages = pdf_pages(result.batch_path.read_bytes())
    batch = " ".join(pages)
    assert "Total due | ₪321.09" in batch and "₪13,230.40" in batch
    posting = pages[-1]
    assert "3 מכתבים להדפסה ולמשלוח." in posting
    assert "C-100-1 | מאפיית השרון בע״מ | רחוב הגפן 7, כפר סבא 4410001 | כן" in posting
    assert "C-101-1 | Orchard Foods Ltd" in posting
    assert Activity.objects.filter(kind=Activity.Kind.LETTER, data__batch="2026-11-23").count() == 3

    # run again: nothing is printed twice
    again = render_due(ctx, AS_OF, tmp_path / "again", processes=2, now=at(AS_OF))
    assert (again.letters, again.batch_path) == (0, None)


def test_a_letter_to_a_customer_who_paid_is_cancelled(ctx, shop, books, tmp_path):
    m = message(ctx, shop, "reminder", "letter", stage_key="reminder", cycle=1, key="case:reminder:1:letter")
    from gvia.store.models import Case

    Case.objects.create(organization=ctx.org, customer=shop, cycle=1, active=True, stage_key="reminder")
    books.payment(shop, "13990.40", date(2026, 11, 20))
    ledger.recompute(ctx, [shop.id])
    result = render_due(ctx, AS_OF, tmp_path / "print", processes=1, now=at(AS_OF))
    assert (result.letters, result.cancelled) == (0, 1)
    assert OutboxMessage.objects.get(id=m.id).status == "cancelled"


def test_a_run_that_breaks_puts_its_letters_back_in_the_queue(ctx, shop, tmp_path, monkeypatch):
    from gvia.services.letters import print_batch

    m = message(ctx, shop, "reminder", "letter")

    def broken(*a, **k):
        raise OSError("the disk is full")

    monkeypatch.setattr(print_batch, "assemble_print_batch", broken)
    with pytest.raises(OSError):
        render_due(ctx, AS_OF, tmp_path / "print", processes=1, now=at(AS_OF))
    m.refresh_from_db()
    assert (m.status, m.sent_at) == ("queued", None)
