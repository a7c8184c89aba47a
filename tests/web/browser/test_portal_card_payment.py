"""A customer pays by card from their page in a real browser (issue 16): the page offers the
card payment, the pay button takes the customer to the gateway's hosted page (a local fake of
Stripe Checkout, tests/fakes/stripe.py) — which the page's Content-Security-Policy must not
stop —, paying there delivers the signed webhook to gvia, and the customer comes back to a page
saying the payment is recorded; the invoice is closed and the case has nothing left to chase.
On a phone (375×667), in Hebrew."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gvia.services import clock
from gvia.services.context import resolve
from gvia.services.gateways import accounts
from gvia.services.ledger import books as ledger
from gvia.services.org.organizations import init_organization
from gvia.services.portal import links
from gvia.store.models import Invoice, Organization, Payment
from gvia.store.models_gateways import GatewayAccount
from tests.fakes.stripe import FakeStripe
from tests.services.conftest import Books

from .conftest import WAIT_MS, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
pytest.importorskip("playwright.sync_api")


def test_pay_by_card_from_the_page_and_come_back_to_it_recorded(browser, live_server):
    init_organization("גלבוע ציוד משרדי", country="IL", admin_email="owner@gilboa.co.il",
                      admin_password="Gvia-test-2026!")
    ctx = resolve(None, "owner@gilboa.co.il")
    org = Organization.objects.get(id=ctx.org.id)
    org.settings = {**(org.settings or {}), "public_url": live_server.url}
    org.save(update_fields=["settings"])
    ctx.org.refresh_from_db()
    today = clock.org_today(ctx.org)
    books = Books(ctx)
    customer = books.customer("C1", "לוי ובניו", language="he", email="ap@levi.example")
    due = books.invoice(customer, "INV-7001", "1200.00", today - timedelta(days=30))
    later = books.invoice(customer, "INV-7002", "300.00", today - timedelta(days=5))
    ledger.recompute(ctx, [customer.id])
    token = links.issue_link(ctx.org, customer, today=today).token
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="he-IL", is_mobile=True,
                                  has_touch=True)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    with FakeStripe() as stripe:
        accounts.set_account(ctx, "stripe", {"secret_key": stripe.secret_key, "webhook_secret": stripe.webhook_secret,
                                             "api_base": stripe.url})
        stripe.now = lambda: int(clock.now_utc().timestamp())    # the clock gvia's tests run on
        stripe.webhook_url = (f"{live_server.url}/gateways/stripe/notify/"
                              f"{GatewayAccount.objects.get(organization=ctx.org).notify_token}/")
        try:
            page.goto(f"{live_server.url}/p/{token}/")
            card = page.locator("[data-testid=portal-card-pay]")
            assert "תשלום בכרטיס אשראי" in card.inner_text()
            boxes = page.locator("[data-testid=portal-card-invoice]")
            assert boxes.count() == 2 and boxes.nth(0).is_checked() and boxes.nth(1).is_checked()
            boxes.nth(1).uncheck()                                     # pays INV-7001 only
            shot(page, "portal-card-pay")
            page.click("[data-testid=portal-card-submit]")
            page.wait_for_url(f"{stripe.url}/c/pay/**")              # at the gateway's page
            assert page.locator("[data-testid=stripe-amount]").inner_text() == "120000"
            page.click("[data-testid=stripe-pay]")
            page.wait_for_load_state()
            assert stripe.delivered == [(200, b'{"outcome": "recorded"}')]
            page.wait_for_url(f"{live_server.url}/p/{token}/paid/")  # back, the webhook delivered
            assert "התשלום התקבל ונרשם" in page.locator("[data-testid=portal-paid]").inner_text()
            assert page.locator("html").get_attribute("dir") == "rtl"
            shot(page, "portal-card-paid")
            page.click("[data-testid=portal-back]")
            assert page.locator("[data-testid=portal-card-invoice]").count() == 1   # only INV-7002 left
        finally:
            context.close()
    assert violations == []
    [paid] = Payment.objects.filter(customer=customer)
    assert (paid.amount_minor, paid.method, paid.invoice_id) == (120000, "card", due.id)
    assert Invoice.objects.get(id=due.id).open_minor == 0 and Invoice.objects.get(id=later.id).open_minor == 30000
