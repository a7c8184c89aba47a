"""Allocation numbers on the pages (issue 15): the invoice page says the number is missing and
takes it (or a confirmation to go on without it), the customer page flags the invoice, and the
number shows on the invoice page once recorded."""

from __future__ import annotations

from datetime import date

import pytest

from gvia.store.models import AuditRecord, Invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def big(world) -> Invoice:
    # ₪20,000 with VAT issued 15.1.2026: ₪16,949.15 before VAT, above that day's ₪10,000
    return Invoice.objects.create(organization=world.org_a, customer=world.c1, number="ALLOC-1",
                                  issue_date=date(2026, 1, 15), due_date=date(2026, 2, 15), amount_minor=2000000,
                                  open_minor=2000000, currency="ILS")


def test_the_invoice_page_takes_the_number_and_the_flag_goes(as_owner, world, big):
    page = as_owner.get(f"/invoices/{big.id}/").content.decode()
    assert 'name="confirm_without"' in page and f'/invoices/{big.id}/allocation/' in page
    customer = as_owner.get(f"/customers/{world.c1.id}/").content.decode()
    assert 'data-testid="allocation-missing"' in customer and "ALLOC-1" in customer
    r = as_owner.post(f"/invoices/{big.id}/allocation/", {"number": "420042004"})
    assert r.status_code == 302
    big.refresh_from_db()
    assert big.allocation_number == "420042004"
    page = as_owner.get(f"/invoices/{big.id}/").content.decode()
    assert "420042004" in page and 'name="confirm_without"' not in page
    assert 'data-testid="allocation-missing"' not in as_owner.get(f"/customers/{world.c1.id}/").content.decode()


def test_going_on_without_the_number(as_owner, world, big):
    r = as_owner.post(f"/invoices/{big.id}/allocation/", {"confirm_without": "1"})
    assert r.status_code == 302
    big.refresh_from_db()
    assert big.allocation_confirmed_without and big.allocation_number == ""
    assert AuditRecord.objects.filter(action="invoice.allocation_confirmed_without").count() == 1
    page = as_owner.get(f"/invoices/{big.id}/").content.decode()
    assert 'name="confirm_without"' not in page


def test_an_empty_number_is_refused_in_words(as_owner, big):
    r = as_owner.post(f"/invoices/{big.id}/allocation/", {"number": "  "}, follow=True)
    big.refresh_from_db()
    assert big.allocation_number == ""
    assert "refusal.allocation_number_empty" not in r.content.decode()
    assert ("מספר הקצאה אינו יכול להיות ריק" in r.content.decode()
            or "An allocation number cannot be empty" in r.content.decode())


def test_an_exempt_dealer_marked_on_the_customer_page_is_not_flagged(as_collector, world, big):
    from .test_customer_details import details_post

    page = as_collector.get(f"/customers/{world.c1.id}/actions/details/").content.decode()
    assert 'name="vat_exempt"' in page
    r = as_collector.post(f"/customers/{world.c1.id}/details/", details_post(kind="sole_trader", vat_exempt="on"))
    assert r.status_code == 302
    world.c1.refresh_from_db()
    assert world.c1.vat_exempt
    audit = AuditRecord.objects.filter(action="customer.updated").last()
    assert audit.details["changes"]["vat_exempt"] == [False, True]
    assert 'data-testid="allocation-missing"' not in as_collector.get(f"/customers/{world.c1.id}/").content.decode()
    # unticked: a licensed dealer again, and the invoice waits for its number
    as_collector.post(f"/customers/{world.c1.id}/details/", details_post(kind="sole_trader"))
    world.c1.refresh_from_db()
    assert not world.c1.vat_exempt
    assert 'data-testid="allocation-missing"' in as_collector.get(f"/customers/{world.c1.id}/").content.decode()
