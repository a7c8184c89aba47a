"""A customer answers from their page in a real browser (issue 16): the link comes from a real
e-mail — a reminder sent through the outbox to a real SMTP server on loopback (aiosmtpd) — and
the customer, on a phone (375×667), in Hebrew, promises a date, asks for a payment plan and
disputes an invoice with an attachment. The case reacts to each: paused by the promise, a plan
request waiting for a person's approval (on the collector's worklist), the invoice disputed and
off the ladder. Another customer's data is unreachable with that link: not on the page, and an
invoice of theirs slipped into the form is refused with nothing changed."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest

from gvia.services import clock
from gvia.services.context import resolve
from gvia.services.engine import worklist
from gvia.services.ledger import books as ledger
from gvia.services.org.organizations import init_organization
from gvia.services.sending import outbox
from gvia.services.sending.dispatch import dispatch_due
from gvia.store.models import Dispute, Organization, Pause, Promise
from gvia.store.models_portal_requests import PortalRequest
from tests.services.conftest import Books
from tests.support.smtpd import start_smtp

from .conftest import WAIT_MS, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
pytest.importorskip("playwright.sync_api")

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def smtp():
    server = start_smtp()
    yield server
    server.stop()


def _world(live_server, smtp):
    init_organization("גלבוע ציוד משרדי", country="IL", admin_email="owner@gilboa.co.il",
                      admin_password="Gvia-test-2026!")
    ctx = resolve(None, "owner@gilboa.co.il")
    Organization.objects.filter(id=ctx.org.id).update(
        email="billing@gilboa.co.il", bank_name="לאומי", bank_branch="800", bank_account="555123",
        settings={"public_url": live_server.url, "sending_mode": "automatic",
                  "smtp": {"host": smtp.host, "port": smtp.port, "security": "none"}})
    ctx.org.refresh_from_db()
    today = clock.org_today(ctx.org)
    books = Books(ctx)
    customer = books.customer("C1", "אלפא מסחר בע\"מ", language="he", email="ap@alfa.example")
    books.invoice(customer, "INV-7001", "2000.00", today - timedelta(days=40), issue=today - timedelta(days=70))
    books.invoice(customer, "INV-7002", "1000.00", today - timedelta(days=10), issue=today - timedelta(days=40))
    other = books.customer("C2", "Secret Neighbour", language="he", email="x@neighbour.example")
    books.invoice(other, "INV-8001", "999.00", today - timedelta(days=5))
    ledger.recompute(ctx, [customer.id, other.id])
    return ctx, customer, other, today


def _link_from_the_email(ctx, today, smtp) -> str:
    """Send a reminder now, through the outbox and the real SMTP server; the link in its text."""
    moment = datetime.combine(today, time(10, 0), tzinfo=clock.org_zone(ctx.org))     # within the sending hours
    outbox.send_now(ctx, "C1", now=moment)
    report = dispatch_due(lambda: moment, "test-worker")
    assert report.sent == 1, report
    [received] = smtp.handler.received
    assert received.rcpt_tos == ["ap@alfa.example"]
    text = received.message.get_body(preferencelist=("plain",)).get_content()
    found = re.findall(r"https?://[^\s<>\"]+/p/[^\s<>\"/]+/", text)
    assert found, text
    return found[0]


def test_a_customer_answers_from_the_link_in_their_email(browser, live_server, smtp, tmp_path):
    ctx, customer, other, today = _world(live_server, smtp)
    url = _link_from_the_email(ctx, today, smtp)
    assert url.startswith(live_server.url)
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="he-IL", is_mobile=True,
                                  has_touch=True)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    try:
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "he"
        body = page.inner_text("body")
        assert "INV-7001" in body and "INV-8001" not in body and "Secret" not in body
        assert page.evaluate("document.documentElement.scrollWidth") <= 375

        # a promise within the page's limits: recorded, the case paused
        page.click("[data-testid=portal-promise] summary")
        page.fill("[data-testid=portal-promise-due]", (today + timedelta(days=10)).isoformat())
        page.click("[data-testid=portal-promise-send]")
        assert "ההתחייבות שלכם לשלם" in page.inner_text("[data-testid=portal-answer-done]")
        promise = Promise.objects.get(customer=customer)
        assert (promise.source, promise.amount_minor, promise.created_by) == ("portal", 300000, "customer:C1")
        assert Pause.objects.get(id=promise.pause_id, kind="promise").active
        shot(page, "portal-answer-promise-he-375")
        page.click("[data-testid=portal-back]")

        # a plan request: waits for a person, shown on the collector's worklist
        page.click("[data-testid=portal-plan] summary")
        page.check("[data-testid=portal-plan-3]")
        page.click("[data-testid=portal-plan-send]")
        assert "בקשתכם להסדר תשלומים הועברה" in page.inner_text("[data-testid=portal-answer-done]")
        plan = PortalRequest.objects.get(customer=customer, kind="plan")
        assert (plan.status, plan.data["installments"]) == ("pending", 3)
        rows = worklist.section(ctx, "portal_requests", today).rows
        assert [(r.customer_ref, r.kind) for r in rows] == [("C1", "plan")]
        page.click("[data-testid=portal-back]")

        # a dispute of one invoice with an attachment: that invoice leaves the ladder
        attachment = tmp_path / "delivery-note.pdf"
        attachment.write_bytes(PDF)
        page.click("[data-testid=portal-dispute] summary")
        page.check("[data-testid=portal-dispute-invoice][value=INV-7002]")
        page.select_option("[data-testid=portal-dispute-reason]", "wrong_amount")
        page.fill("[data-testid=portal-dispute-note]", "הוזמנו 10 יחידות ולא 20")
        page.set_input_files("[data-testid=portal-dispute-file]", str(attachment))
        page.click("[data-testid=portal-dispute-send]")
        assert "סומנה כשנויה במחלוקת" in page.inner_text("[data-testid=portal-answer-done]")
        dispute = Dispute.objects.get(customer=customer)
        invoice = dispute.invoices.get()
        assert (invoice.number, dispute.reason) == ("INV-7002", "wrong_amount")
        assert Pause.objects.get(id=dispute.pause_id).invoices == [invoice.id]
        assert customer.documents.get().file_name == "delivery-note.pdf"
        page.click("[data-testid=portal-back]")

        # another customer's invoice slipped into the form: refused, nothing of theirs changes
        page.click("[data-testid=portal-dispute] summary")
        page.evaluate("""() => { const box = document.querySelector('[data-testid=portal-dispute-invoice]');
                                 box.value = 'INV-8001'; box.checked = true; }""")
        page.click("[data-testid=portal-dispute-send]")
        assert "INV-8001 אינה אחת החשבוניות הפתוחות שלכם" in page.inner_text("[data-testid=portal-answer-problems]")
        assert not Dispute.objects.filter(customer=other).exists()
        assert not PortalRequest.objects.filter(customer=other).exists()
    finally:
        context.close()
