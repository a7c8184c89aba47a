"""Limitation in the books: part payments (as the ledger allocates them) and signed payment plans
restart an invoice's period as the country's law says; a promise never does; the worklist, the
customer's earliest date and `gvia plan sign` follow."""

from datetime import date

import pytest

from gvia.core.errors import Refused, ValidationFailed
from gvia.services.arrangements import plans, promises
from gvia.services.engine import worklist
from gvia.services.ledger import books as ledger
from gvia.services.legal import limitation
from gvia.store.models import Activity, Document

from .conftest import at

pytestmark = pytest.mark.django_db


def _ends(ctx, *invoices, on):
    found = limitation.invoice_ends(ctx.org, [(i.id, i.due_date) for i in invoices], on)
    return [found[i.id].end for i in invoices]


def test_israel_part_payment_allocated_to_the_invoice_restarts_it(ctx, books):
    c = books.customer("L1", "Old Debts Ltd")
    a = books.invoice(c, "A", "1000.00", date(2018, 1, 10))
    b = books.invoice(c, "B", "1000.00", date(2018, 3, 10))
    books.payment(c, "300.00", date(2021, 4, 5))          # oldest due first: all of it to A
    ledger.recompute(ctx, [c.id])
    assert _ends(ctx, a, b, on=date(2024, 1, 1)) == [date(2028, 4, 5), date(2025, 3, 10)]
    # on a day before the payment, the payment has not happened yet
    assert _ends(ctx, a, on=date(2021, 1, 1)) == [date(2025, 1, 10)]
    earliest = limitation.customer_limitation(ctx, c, date(2024, 10, 1))
    assert (earliest.invoice_number, earliest.end, earliest.restart_kind, earliest.state) == \
        ("B", date(2025, 3, 10), "", "nearing")
    # a bounced payment was never money: nothing restarted
    books.payment(c, "100.00", date(2024, 12, 1), invoice=b, status="bounced")
    ledger.recompute(ctx, [c.id])
    assert _ends(ctx, b, on=date(2025, 1, 1)) == [date(2025, 3, 10)]


def test_israel_part_payment_after_expiry_restarts_and_the_worklist_follows(ctx, books):
    c = books.customer("L2", "Late Payer Ltd")
    inv = books.invoice(c, "C", "900.00", date(2017, 2, 1))     # 7 years: 1 Feb 2024
    day = date(2024, 6, 1)
    assert [(f.invoice_number, f.state) for f in limitation.nearing(ctx, day)] == [("C", "expired")]
    books.payment(c, "100.00", date(2024, 5, 1), invoice=inv)    # s.9: within or after the period
    ledger.recompute(ctx, [c.id])
    assert _ends(ctx, inv, on=day) == [date(2031, 5, 1)]
    assert limitation.nearing(ctx, day) == []
    flags = limitation.nearing(ctx, date(2031, 1, 1))
    assert [(f.invoice_number, f.limitation_date, f.restart_kind, f.restarted_on) for f in flags] == \
        [("C", date(2031, 5, 1), "part_payment", date(2024, 5, 1))]


def test_uk_payment_before_expiry_restarts_after_expiry_revives_nothing(ctx, books):
    ctx.org.country = "GB"
    ctx.org.save(update_fields=["country"])
    c = books.customer("U1", "London Ltd", language="en")
    early = books.invoice(c, "E", "500.00", date(2019, 1, 10), currency="GBP")
    barred = books.invoice(c, "F", "500.00", date(2019, 2, 10), currency="GBP")
    books.payment(c, "50.00", date(2024, 6, 1), currency="GBP", invoice=early)     # running: 6 years again
    books.payment(c, "50.00", date(2025, 3, 1), currency="GBP", invoice=barred)    # barred since 10 Feb 2025
    ledger.recompute(ctx, [c.id])
    assert _ends(ctx, early, barred, on=date(2025, 6, 1)) == [date(2030, 6, 1), date(2025, 2, 10)]
    flags = limitation.nearing(ctx, date(2025, 6, 1))
    assert [(f.invoice_number, f.state) for f in flags] == [("F", "expired")]


def test_a_promise_logged_on_a_call_restarts_nothing(ctx, books):
    c = books.customer("P1", "Promiser Ltd")
    inv = books.invoice(c, "P", "800.00", date(2019, 6, 1))       # 1 June 2026
    promises.record_promise(ctx, "P1", "800.00", "2026-05-20", "call", now=at(date(2026, 5, 4)))
    assert _ends(ctx, inv, on=date(2026, 5, 5)) == [date(2026, 6, 1)]
    assert [f.invoice_number for f in limitation.nearing(ctx, date(2026, 5, 5))] == ["P"]


def test_a_plan_restarts_only_with_its_signed_agreement_on_file(ctx, books):
    c = books.customer("S1", "Signer Ltd")
    inv = books.invoice(c, "S", "1200.00", date(2019, 6, 1))      # 1 June 2026
    plan = plans.create_plan(ctx, "S1", 3, "monthly", "2026-05-15", now=at(date(2026, 5, 4))).plan
    assert _ends(ctx, inv, on=date(2026, 5, 5)) == [date(2026, 6, 1)]
    assert plans.show_plan(ctx, plan.id)["signed_on"] is None
    with pytest.raises(ValidationFailed):
        plans.sign_plan(ctx, plan.id, source=b"%PDF-1.4 signed", file_name="plan.pdf", signed_on="2026-05-09",
                        now=at(date(2026, 5, 5)))
    signed = plans.sign_plan(ctx, plan.id, source=b"%PDF-1.4 signed", file_name="plan.pdf", signed_on="2026-05-04",
                             now=at(date(2026, 5, 5)))
    assert signed.signed_agreement.kind == Document.Kind.AGREEMENT and signed.signed_on == date(2026, 5, 4)
    assert _ends(ctx, inv, on=date(2026, 5, 5)) == [date(2033, 5, 4)]
    earliest = limitation.customer_limitation(ctx, c, date(2026, 5, 5))
    assert (earliest.restart_kind, earliest.restarted_on, earliest.state) == \
        ("written_acknowledgment", date(2026, 5, 4), "running")
    assert limitation.nearing(ctx, date(2026, 5, 5)) == []
    assert Activity.objects.filter(customer=c, data__event="plan.signed").count() == 1
    with pytest.raises(Refused) as err:
        plans.sign_plan(ctx, plan.id, source=b"again", file_name="plan2.pdf", now=at(date(2026, 5, 5)))
    assert err.value.code == "plan_already_signed"


def test_a_plan_signed_with_a_document_already_kept(ctx, books):
    from gvia.services import files

    c = books.customer("S2", "Kept Ltd")
    other = books.customer("S3", "Someone Else")
    inv = books.invoice(c, "K", "600.00", date(2019, 6, 1))
    plan = plans.create_plan(ctx, "S2", 2, "monthly", "2026-05-15", now=at(date(2026, 5, 4))).plan
    theirs = files.upload_document(ctx, other, "agreement", b"other", "other.pdf")
    proof = files.upload_document(ctx, c, "delivery_proof", b"proof", "proof.pdf")
    for doc in (theirs, proof):
        with pytest.raises(Refused):
            plans.sign_plan(ctx, plan.id, document_id=doc.id, now=at(date(2026, 5, 5)))
    kept = files.upload_document(ctx, c, "agreement", b"signed", "signed.pdf")
    plans.sign_plan(ctx, plan.id, document_id=kept.id, now=at(date(2026, 5, 5)))   # signed the day agreed
    assert _ends(ctx, inv, on=date(2026, 5, 5)) == [date(2033, 5, 4)]


def test_the_worklist_section_lists_debts_reaching_limitation_within_six_months(ctx, books):
    c = books.customer("W1", "Worklist Ltd")
    books.invoice(c, "W-1", "100.00", date(2019, 11, 1))    # 1 Nov 2026: within 6 months of 1 June 2026
    books.invoice(c, "W-2", "100.00", date(2020, 1, 1))     # 1 Jan 2027: not yet
    section = worklist.section(ctx, "nearing_limitation", date(2026, 6, 1))
    assert [(r.customer_ref, r.invoice_number, r.limitation_date) for r in section.rows] == \
        [("W1", "W-1", date(2026, 11, 1))]


@pytest.mark.parametrize("country, end", [
    ("IL", date(2033, 5, 4)),       # s.9: an admission in writing after the period restarts it
    ("GB", date(2025, 6, 1)),       # s.29(7): nothing revives a time-barred debt
])
def test_a_plan_signed_after_the_period_ended(ctx, books, country, end):
    ctx.org.country = country
    ctx.org.save(update_fields=["country"])
    years = 7 if country == "IL" else 6
    c = books.customer("X1", "Expired Ltd")
    inv = books.invoice(c, "X", "700.00", date(2025 - years, 6, 1), currency="ILS")   # ended 1 June 2025
    plan = plans.create_plan(ctx, "X1", 2, "monthly", "2026-05-15", now=at(date(2026, 5, 4))).plan
    plans.sign_plan(ctx, plan.id, source=b"%PDF-1.4 signed", file_name="plan.pdf", now=at(date(2026, 5, 5)))
    assert _ends(ctx, inv, on=date(2026, 5, 5)) == [end]
