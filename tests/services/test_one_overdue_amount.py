"""One overdue amount everywhere (issue 13): with a post-dated cheque pending, the explanation
(gvia explain, the customer page), the letter and its e-mail agree with the ledger's open amount.
The ledger already takes a pending cheque off an invoice's open amount; the ladder used to take
it off a second time (₪10,187.58 in the explanation against ₪11,025.23 on the card)."""

from datetime import date, datetime, timezone

import pytest

from gvia.documents.emailbody import email_body
from gvia.services.context import Ctx
from gvia.services.engine import daily_run
from gvia.services.ledger import books as ledger
from gvia.services.letters import content as letters

pytestmark = pytest.mark.django_db


def at(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 8, 0, tzinfo=timezone.utc)


def test_a_post_dated_cheque_is_counted_once(ctx, books):
    c = books.customer("PD1", "Post Dated Ltd", language="en", email="pd@example.com")
    books.invoice(c, "PD-1", "10000.00", date(2026, 10, 1))
    books.invoice(c, "PD-2", "1025.23", date(2026, 10, 20))
    books.payment(c, "3000.00", date(2026, 11, 1), method="cheque", cheque="7001", status="pending",
                  value_date=date(2026, 12, 15))
    ledger.recompute(ctx, [c.id])
    c.refresh_from_db()
    from gvia.store.models import Invoice
    open_total = sum(i.open_minor for i in Invoice.objects.filter(customer=c)) / 100
    assert open_total == 8025.23                          # the card's figure: 11,025.23 less the cheque
    text = daily_run.explain(Ctx(ctx.org, None, "owner"), "PD1", now=at(date(2026, 11, 23)), lang="en")
    assert "8,025.23 ILS overdue" in text, text
    lc = letters.letter_context(ctx, c, "reminder", date(2026, 11, 23), language="en")
    assert str(lc.totals.get_or_zero("ILS").amount) == "8025.23"
    assert "8,025.23" in email_body(lc).text
