"""Credit hold and the reason for non-payment from the customer page (issue 17): a collector sets a
hold with its reason (shown on the page and in the customer list), lifts it, and records why the
customer has not paid; refused with its words in Hebrew, and for a viewer."""

from __future__ import annotations

import pytest

from gvia.store.models import Case, Customer

pytestmark = pytest.mark.django_db


def test_hold_shown_on_the_page_and_the_list_then_lifted(as_collector, world):
    page = as_collector.get(f"/customers/{world.c1.id}/actions/credit_hold/").content.decode()
    assert 'name="reason"' in page and 'name="lift"' in page
    r = as_collector.post(f"/customers/{world.c1.id}/credit-hold/", {"reason": ""})
    assert r.status_code == 400 and "כתבו את סיבת עצירת האשראי" in r.content.decode()
    assert not Customer.objects.get(id=world.c1.id).credit_hold
    r = as_collector.post(f"/customers/{world.c1.id}/credit-hold/", {"reason": "לא עונים כבר חודשיים"})
    assert r.status_code == 302
    page = as_collector.get(f"/customers/{world.c1.id}/").content.decode()
    assert 'data-testid="credit-hold-badge"' in page and "לא עונים כבר חודשיים" in page
    assert "לדבר על החוב לפני שמוכרים ללקוח עוד" in page
    listing = as_collector.get("/customers/").content.decode()
    assert listing.count("עצירת אשראי") >= 1
    r = as_collector.post(f"/customers/{world.c1.id}/credit-hold/", {"lift": "on"})
    assert r.status_code == 302 and not Customer.objects.get(id=world.c1.id).credit_hold
    r = as_collector.post(f"/customers/{world.c1.id}/credit-hold/", {"lift": "on"})
    assert r.status_code == 400 and "אינו בעצירת אשראי" in r.content.decode()


def test_the_reason_for_non_payment(as_collector, world):
    page = as_collector.get(f"/customers/{world.c1.id}/actions/reason/").content.decode()
    assert "תזרים מזומנים" in page and "מסרבים לשלם" in page
    r = as_collector.post(f"/customers/{world.c1.id}/reason/", {"reason": "cash_flow", "note": "מחכים ללקוח שלהם"})
    assert r.status_code == 302
    assert Case.objects.get(customer_id=world.c1.id).nonpayment_reason == "cash_flow"
    page = as_collector.get(f"/customers/{world.c1.id}/").content.decode()
    assert 'data-testid="nonpayment-reason"' in page and "תזרים מזומנים" in page and "מחכים ללקוח שלהם" in page
    r = as_collector.post(f"/customers/{world.c1.id}/reason/", {"reason": "lazy"})
    assert r.status_code == 400


def test_a_viewer_cannot(as_viewer, world):
    r = as_viewer.post(f"/customers/{world.c1.id}/credit-hold/", {"reason": "x"})
    assert r.status_code in (302, 403)
    assert not Customer.objects.get(id=world.c1.id).credit_hold


def test_the_payment_record_on_the_customer_page(as_collector, world):
    """The page shows how the customer has paid (issue 17): the world's first customer has paid
    nothing in full yet, so the card says so in the reader's language."""
    page = as_collector.get(f"/customers/{world.c1.id}/").content.decode()
    assert 'data-testid="payment-record"' in page and "היסטוריית תשלומים" in page
    assert "עוד אין היסטוריית תשלומים." in page or "שולמו בזמן:" in page
