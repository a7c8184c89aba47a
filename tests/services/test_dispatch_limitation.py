"""The dispatcher does not send a letter that threatens proceedings when every overdue invoice it
would demand is past its limitation date (issue 12); a reminder, which threatens nothing, goes."""

from __future__ import annotations

from datetime import date

import pytest

from gvia.services.sending.dispatch import SEND, Facts, Verdict, still_wanted
from gvia.store.models import OutboxMessage

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 9)


def _msg(ctx, customer, document: str) -> OutboxMessage:
    return OutboxMessage(organization=ctx.org, customer=customer, idempotency_key=f"stage:{customer.id}:1:{document}",
                         stage_key=document, document=document, cycle=1)


def test_a_warning_letter_with_only_time_barred_debts_is_cancelled(ctx, books):
    c = books.customer("D1", "Barred Ltd")
    old = books.invoice(c, "OLD", "500.00", date(2018, 3, 1))          # Israel: 7 years, 1 March 2025
    facts = Facts(cases={c.id: (1, True)}, invoices={c.id: [(old.id, old.due_date)]})
    got = still_wanted(_msg(ctx, c, "warning_letter"), ctx.org, DAY, facts=facts)
    assert isinstance(got, Verdict) and "past its limitation date" in (got.cancel or "")
    assert still_wanted(_msg(ctx, c, "reminder"), ctx.org, DAY, facts=facts) == SEND
    # one live invoice besides: the letter goes, demanding that one only (gvia.core.demand)
    live = books.invoice(c, "LIVE", "300.00", date(2026, 10, 1))
    facts = Facts(cases={c.id: (1, True)}, invoices={c.id: [(old.id, old.due_date), (live.id, live.due_date)]})
    assert still_wanted(_msg(ctx, c, "warning_letter"), ctx.org, DAY, facts=facts) == SEND


def test_a_part_payment_after_expiry_in_israel_makes_the_letter_go_again(ctx, books):
    from gvia.services.ledger import books as ledger

    c = books.customer("D2", "Revived Ltd")
    old = books.invoice(c, "OLD2", "500.00", date(2018, 3, 1))
    books.payment(c, "50.00", date(2026, 6, 1), invoice=old)           # s.9: after the period too
    ledger.recompute(ctx, [c.id])
    facts = Facts(cases={c.id: (1, True)}, invoices={c.id: [(old.id, old.due_date)]})
    assert still_wanted(_msg(ctx, c, "warning_letter"), ctx.org, DAY, facts=facts) == SEND
