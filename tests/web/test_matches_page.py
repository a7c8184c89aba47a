"""The bank matches page (issue 18): a statement uploaded, the suggestions worded in he and en,
confirmed, changed, rejected and undone from the page; a bad file refused with its row."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gvia.store.models import Customer, Invoice
from gvia.store.models_statements import BankLine, BankMatch

DATA = Path(__file__).parents[1] / "imports" / "data" / "statements"


@pytest.fixture
def shop(world):
    org = world.org_a
    alon = Customer.objects.create(organization=org, ref="1001", name='אלון ציוד בע"מ')
    cohen = Customer.objects.create(organization=org, ref="1003", name="כהן ובניו")
    for cust, number, minor in ((alon, "5002", 250000), (cohen, "8801", 77770), (cohen, "8802", 10000)):
        Invoice.objects.create(organization=org, customer=cust, number=number, kind="invoice",
                               issue_date=date(2026, 1, 1), due_date=date(2026, 2, 1), amount_minor=minor,
                               currency="ILS", open_minor=minor)
    return world


def upload(client, name: str):
    with open(DATA / name, "rb") as f:
        return client.post("/matches/", {"file": SimpleUploadedFile(name, f.read()), "bank": ""})


def test_upload_then_confirm_change_reject_assign_undo(as_collector, shop, client) -> None:
    page = as_collector.get("/matches/")
    assert page.status_code == 200 and "ייבוא דף חשבון" in page.content.decode()
    assert upload(as_collector, "mt940_gilboa.sta").status_code == 302
    assert Invoice.objects.get(number="5002").open_minor == 0           # the named invoice, applied alone
    page = as_collector.get("/matches/").content.decode()
    assert "כהן ובניו" in page and "שם לקוח 1003 כתוב בטקסט ההעברה" in page   # the reason, in Hebrew
    first, second = BankMatch.objects.filter(status="suggested").order_by("id")
    r = as_collector.post(f"/matches/{first.id}/confirm/", {"invoices": "8802", "back": "/matches/?list=suggested"})
    assert r.status_code == 302 and Invoice.objects.get(number="8802").open_minor == 0   # changed by a person
    assert as_collector.post(f"/matches/{second.id}/reject/").status_code == 302
    assert BankMatch.objects.get(id=second.id).status == "rejected"
    assert "משלמת את החשבוניות" in as_collector.get("/matches/?list=waiting").content.decode()
    line = BankLine.objects.get(id=second.line_id)
    as_collector.post(f"/matches/lines/{line.id}/assign/", {"invoices": "8801"})
    assert Invoice.objects.get(number="8801").open_minor == 0
    applied = BankMatch.objects.get(line=line, status="applied")
    as_collector.post(f"/matches/{applied.id}/undo/")
    # open again, less what the first line left over after paying 8802 (677.70, the customer's credit)
    assert Invoice.objects.get(number="8801").open_minor == 10000
    client.force_login(shop.viewer)   # English
    english = client.get("/matches/?list=applied").content.decode()
    assert "The invoice number in the transfer" in english
    assert client.post(f"/matches/{first.id}/reject/").status_code == 403   # a viewer decides nothing


def test_a_bad_statement_is_refused_on_the_page(as_collector, shop) -> None:
    r = upload(as_collector, "hapoalim_broken.csv")
    assert r.status_code == 400 and not BankLine.objects.exists()
    assert "abc" in r.content.decode() and "31/02/2026" in r.content.decode()


def test_maybe_the_same_payment_is_asked_on_the_page(as_collector, shop, client) -> None:
    """A bank line recorded ₪777.70, then a receipt of ₪777.70 from the same customer arrives naming
    neither the bank's reference nor the invoice: the page asks whether they are one payment, in the
    reader's words, and offers only to confirm or reject."""
    from gvia.core.money import Money
    from gvia.services.context import Ctx
    from gvia.services.ledger import payments, statements

    ctx = Ctx(shop.org_a, shop.collector, "collector")
    upload(as_collector, "mt940_gilboa.sta")
    first = BankMatch.objects.filter(status="suggested", customer__ref="1003").order_by("id").first()
    statements.confirm(ctx, first.id)
    line = first.line
    payments.record_payment(ctx, "1003", Money.from_minor(line.amount_minor, line.currency), line.booking_date,
                            line.booking_date, reference="RC-4242")
    statements.absorb_recorded(ctx, [first.customer_id])
    ask = BankMatch.objects.get(status="suggested", line=line)
    page = as_collector.get("/matches/").content.decode()
    row = page[page.index(f'/matches/{ask.id}/confirm/'):][:1500]
    assert "ייתכן שזה אותו תשלום" in page and "RC-4242" in page
    assert 'name="invoices"' not in row.split("</td>")[0]            # no "other invoices" for this question
    assert as_collector.post(f"/matches/{ask.id}/confirm/").status_code == 302
    assert BankMatch.objects.get(id=first.id).status == "undone"
    client.force_login(shop.viewer)   # English, on the undone list: why it went
    assert "Replaced by match" in client.get("/matches/?list=undone").content.decode()
