"""Allocation numbers over the database (issue 15): the import stores them, the daily run holds the
case of an overdue invoice that needs one and has none, the worklist lists it, explain says why,
and recording the number or confirming going on without it lifts the hold."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from gvia.core.errors import NotFoundFor, RefusedFor
from gvia.services.engine import daily_run
from gvia.services.engine import worklist as worklist_service
from gvia.services.ledger import allocation_numbers, imports
from gvia.store.models import AuditRecord, Invoice, OutboxMessage

pytestmark = pytest.mark.django_db
DUE = date(2026, 11, 1)
ISSUED = date(2026, 10, 1)     # the threshold then: ₪5,000 before VAT (from 1.6.2026)


def at(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 7, 0, tzinfo=timezone.utc)   # 09:00 in Israel


def test_the_import_stores_both_columns_and_a_file_without_them_keeps_them(ctx, tmp_path):
    f = tmp_path / "inv.csv"
    f.write_text("מס' לקוח,שם לקוח,מספר חשבונית,תאריך,תאריך פירעון,סכום,מספר הקצאה,סכום לפני מע\"מ\n"
                 "C1,אלון,5001,01/10/2026,01/11/2026,\"11,800.00\",123456789,\"10,000.00\"\n"
                 "C1,אלון,5002,01/10/2026,01/11/2026,590.00,,\n", encoding="utf-8")
    imports.import_file(ctx, "invoices", f, today=date(2026, 11, 5))
    got = dict(Invoice.objects.values_list("number", "allocation_number"))
    assert got == {"5001": "123456789", "5002": ""}
    assert dict(Invoice.objects.values_list("number", "amount_before_vat_minor")) == {"5001": 1000000, "5002": None}
    g = tmp_path / "again.csv"
    g.write_text("מס' לקוח,שם לקוח,מספר חשבונית,תאריך,תאריך פירעון,סכום\n"
                 "C1,אלון,5001,01/10/2026,01/11/2026,\"11,800.00\"\n", encoding="utf-8")
    imports.import_file(ctx, "invoices", g, today=date(2026, 11, 6))
    assert Invoice.objects.get(number="5001").allocation_number == "123456789"


@pytest.fixture
def owed(books):
    """A business owing an invoice above the threshold, without its number, and a consumer owing
    the same: both due on 1 Nov, the reminder due on Tue 10 Nov."""
    biz = books.customer("C1", "עסק בע\"מ", email="a@c1.co.il", kind="business")
    person = books.customer("C2", "דנה", email="d@c2.co.il", kind="consumer")
    books.invoice(biz, "1001", "11800.00", DUE, issue=ISSUED)
    books.invoice(person, "2001", "11800.00", DUE, issue=ISSUED)
    return biz, person


def test_the_run_holds_the_business_case_until_the_number_is_recorded(ctx, owed):
    biz, person = owed
    daily_run.run(ctx, at(date(2026, 11, 10)))
    assert not OutboxMessage.objects.filter(customer=biz).exists()
    assert OutboxMessage.objects.filter(customer=person).count() == 1     # a consumer is never flagged
    [flag] = allocation_numbers.flagged(ctx, date(2026, 11, 10))
    assert (flag.number, flag.customer_ref, str(flag.threshold)) == ("1001", "C1", "5000")
    text = daily_run.explain(ctx, "C1", at(date(2026, 11, 10)), lang="en")
    assert "no allocation number on invoice 1001: the customer cannot deduct its VAT" in text
    he = daily_run.explain(ctx, "C1", at(date(2026, 11, 10)), lang="he")
    assert "אין מספר הקצאה בחשבונית 1001" in he
    work = worklist_service.worklist(ctx, date(2026, 11, 10))
    section = work.sections["allocation_numbers"]
    assert section.total == 1 and section.rows[0].number == "1001"
    assert worklist_service.counts(ctx, date(2026, 11, 10))["allocation_numbers"] == 1
    assert worklist_service.row_json(section.rows[0])["customer"] == "C1"

    allocation_numbers.set_number(ctx, "1001", " 555666777 ")
    assert Invoice.objects.get(number="1001").allocation_number == "555666777"
    assert AuditRecord.objects.filter(action="invoice.allocation_number").count() == 1
    assert allocation_numbers.flagged(ctx, date(2026, 11, 11)) == []
    daily_run.run(ctx, at(date(2026, 11, 11)))
    assert OutboxMessage.objects.filter(customer=biz).count() == 1


def test_confirming_without_the_number_lifts_the_hold(ctx, owed):
    biz, _person = owed
    daily_run.run(ctx, at(date(2026, 11, 10)))
    assert not OutboxMessage.objects.filter(customer=biz).exists()
    allocation_numbers.confirm_without(ctx, "1001")
    assert worklist_service.counts(ctx, date(2026, 11, 11))["allocation_numbers"] == 0
    daily_run.run(ctx, at(date(2026, 11, 11)))
    assert OutboxMessage.objects.filter(customer=biz).count() == 1


def test_refusals_are_codes(ctx, owed):
    with pytest.raises(NotFoundFor) as nf:
        allocation_numbers.set_number(ctx, "9999", "1")
    assert nf.value.code == "invoice_unknown"
    with pytest.raises(RefusedFor) as empty:
        allocation_numbers.set_number(ctx, "1001", "  ")
    assert empty.value.code == "allocation_number_empty"


def test_an_exempt_dealer_is_read_from_the_customer_type_and_never_flagged(ctx, tmp_path):
    f = tmp_path / "inv.csv"
    f.write_text("מס' לקוח,שם לקוח,סוג לקוח,מספר חשבונית,תאריך,תאריך פירעון,סכום\n"
                 "P1,יוסי,עוסק פטור,7001,01/10/2026,01/11/2026,11800.00\n"
                 "L1,רונית,עוסק מורשה,7002,01/10/2026,01/11/2026,11800.00\n", encoding="utf-8")
    imports.import_file(ctx, "invoices", f, today=date(2026, 11, 5))
    from gvia.store.models import Customer

    assert dict(Customer.objects.values_list("ref", "kind")) == {"P1": "sole_trader", "L1": "sole_trader"}
    assert dict(Customer.objects.values_list("ref", "vat_exempt")) == {"P1": True, "L1": False}
    assert [f.number for f in allocation_numbers.flagged(ctx, date(2026, 11, 10))] == ["7002"]
    daily_run.run(ctx, at(date(2026, 11, 10)))
    assert OutboxMessage.objects.filter(customer__ref="P1").count() == 1
    assert not OutboxMessage.objects.filter(customer__ref="L1").exists()
    # the customers file says P1 registered for VAT after all: it is flagged from then on
    g = tmp_path / "cust.csv"
    g.write_text("מס' לקוח,שם לקוח,סוג לקוח\nP1,יוסי,עוסק מורשה\n", encoding="utf-8")
    imports.import_file(ctx, "customers", g, today=date(2026, 11, 10))
    assert not Customer.objects.get(ref="P1").vat_exempt
    assert [f.number for f in allocation_numbers.flagged(ctx, date(2026, 11, 10))] == ["7001", "7002"]
