"""One overdue amount everywhere, the customer card too (issue 13): with a post-dated cheque
pending, the card on the customer page, the explanation (the page's and gvia explain's), the
reminder letter and its e-mail show the same figure — the ledger's open amount, the cheque taken
off once (tests/services/test_one_overdue_amount.py checks the explanation, letter and e-mail;
here the card joins them, in the reader's language)."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

from gvia.core.money import Money
from gvia.documents.emailbody import email_body
from gvia.services.context import Ctx
from gvia.services.engine import daily_run
from gvia.services.ledger import books as ledger
from gvia.services.letters import content as letters
from gvia.store.models import Customer, Invoice, Payment
from gvia.web import display

from .conftest import NOW, TODAY


def _post_dated(org) -> Customer:
    c = Customer.objects.create(organization=org, ref="PD1", name="Post Dated Ltd", language="en",
                                email="pd@example.com")
    for number, due, minor in (("PD-1", date(2026, 1, 1), 1000000), ("PD-2", date(2026, 1, 20), 102523)):
        Invoice.objects.create(organization=org, customer=c, number=number, issue_date=date(2025, 12, 1),
                               due_date=due, amount_minor=minor, currency="ILS", open_minor=minor)
    Payment.objects.create(organization=org, customer=c, date=date(2026, 2, 1), value_date=date(2026, 4, 15),
                           amount_minor=300000, currency="ILS", method="cheque", cheque_number="7001",
                           status="pending", import_key="pd-7001")
    ledger.recompute(Ctx(org, None), [c.id])
    return c


def test_the_card_the_explanation_the_letter_and_the_email_show_one_overdue_amount(as_owner, world):
    c = _post_dated(world.org_a)
    overdue = Money.from_minor(802523, "ILS")            # 11,025.23 less the pending cheque of 3,000.00
    page = unescape(as_owner.get(f"/customers/{c.id}/").content.decode())
    card = re.search(r'stat-value late">(.*?)</p>', page, re.S)     # the card's overdue figure
    assert card and display.money_text(overdue, "he_IL") in re.sub(r"<[^>]+>", "", card.group(1))
    assert "8,025.23" in page and "11,025.23" not in page
    owner = Ctx(world.org_a, None, "owner")
    assert "8,025.23" in daily_run.explain(owner, "PD1", now=NOW, lang="en")
    assert "8,025.23" in daily_run.explain(owner, "PD1", now=NOW, lang="he")
    lc = letters.letter_context(owner, c, "reminder", TODAY, language="en")
    assert lc.totals.get_or_zero("ILS") == overdue
    assert "8,025.23" in email_body(lc).text
