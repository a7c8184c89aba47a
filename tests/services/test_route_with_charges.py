"""The Execution Office warning and the letter's own interest (issue 12): the ladder judges the
fixed-sum route on the invoices (a ₪74,000 debt is within the ₪75,000 cap), but the letter also
claims the contractual interest, and with it the claim is over the cap; the run gives the message
the stage's fallback, the general warning letter, before anyone approves it, rather than an
approval that would end in a letter that refuses to be produced."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from gvia.core.escalation import Reason
from gvia.policies import default_policy
from gvia.services.engine import approvals, daily_run, holds
from gvia.services.engine.explain_words import explain_reason
from gvia.services.legal import interest
from gvia.services.sending.compose import message_contexts
from gvia.store.models import Address, Case, OutboxMessage

pytestmark = pytest.mark.django_db

IL = ZoneInfo("Asia/Jerusalem")


def at(d: date, hour: int = 9) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=IL).astimezone(timezone.utc)


def at_the_warning(ctx, books, amount: str):
    org = ctx.org
    org.tax_id, org.address, org.phone = "514567899", "רחוב הרצל 1\nתל אביב 6100000", "03-5551234"
    org.email, org.signatory_name = "billing@gilboa.co.il", "יעל גלבוע"
    org.settings = {**(org.settings or {}), "claim_basis": "הזמנת עבודה חתומה", "sending_mode": "automatic"}
    org.save()
    c = books.customer("A", "אלון בע\"מ", language="he", email="a@alon.example", tax_id="513456782")
    Address.objects.create(customer=c, line1="העצמאות 5", city="חיפה")
    inv = books.invoice(c, "1001", amount, date(2026, 1, 1))
    inv.allocation_number = "712345678"      # a debt this size needs it, or the case waits (issue 15)
    inv.save(update_fields=["allocation_number"])
    Case.objects.create(organization=org, customer=c, cycle=1, stage_key="call", active=True, state={
        "cycle": 1, "cycle_open": True, "cycle_started": "2026-01-02", "stage_key": "call",
        "stage_entered": "2026-11-01", "history": [["reminder", "2026-10-10"], ["second_reminder", "2026-10-20"],
                                                   ["call", "2026-11-01"]],
        "calls_unanswered": 0, "last_call_outcome": "refused"})
    return c


def test_without_interest_the_execution_office_warning_goes(ctx, books):
    c = at_the_warning(ctx, books, "74000.00")
    daily_run.run(ctx, at(date(2026, 11, 10)))
    docs = {m.document for m in OutboxMessage.objects.filter(customer=c, stage_key="warning_letter")}
    assert docs == {"warning_execution_office"}


def test_with_interest_over_the_cap_the_letter_is_the_warning_letter(ctx, books):
    c = at_the_warning(ctx, books, "74000.00")
    interest.set_rule(ctx, {"method": "contractual", "percent": "12"})
    report = daily_run.run(ctx, at(date(2026, 11, 10)))
    assert report.held == []
    msgs = list(OutboxMessage.objects.filter(customer=c, stage_key="warning_letter").order_by("channel"))
    assert [(m.channel, m.document, m.status) for m in msgs] == [
        ("email", "warning_letter", "awaiting_approval"), ("registered_letter", "warning_letter", "awaiting_approval")]
    (why,) = [params for code, params in msgs[0].reasons if code == "fallback_document"]
    letter = message_contexts(ctx, msgs[0], c, date(2026, 11, 10))[0]
    assert letter.totals["ILS"].amount > 75000 and why["amounts"] == letter.totals.as_strings()
    assert (why["instead_of"], why["why"], why["cap"]) == ("warning_execution_office", "over_fixed_sum_cap", "75000.00")
    said = explain_reason(Reason("fallback_document", why), default_policy("IL"), "en")
    assert said.startswith("the warning letter instead of the warning before the Execution Office: the debt (")


def test_an_approval_checks_the_letter_once_more(ctx, books):
    c = at_the_warning(ctx, books, "74000.00")
    daily_run.run(ctx, at(date(2026, 11, 10)))
    email = OutboxMessage.objects.get(customer=c, stage_key="warning_letter", channel="email")
    assert (email.document, email.status) == ("warning_execution_office", "awaiting_approval")
    # the signatory was emptied since the run: the approval is refused, naming it; nothing changes
    ctx.org.signatory_name = ""
    ctx.org.save()
    with pytest.raises(holds.HeldForDetails) as refused:
        approvals.approve(ctx, email.id, at(date(2026, 11, 11)))
    assert refused.value.codes == ["org_signatory_name"]
    email.refresh_from_db()
    assert (email.document, email.status) == ("warning_execution_office", "awaiting_approval")
    # filled in again, and meanwhile interest is charged: the approval queues the warning letter
    ctx.org.signatory_name = "יעל גלבוע"
    ctx.org.save()
    interest.set_rule(ctx, {"method": "contractual", "percent": "12"})
    approvals.approve(ctx, email.id, at(date(2026, 11, 11)))
    email.refresh_from_db()
    assert (email.document, email.status) == ("warning_letter", "queued")
    assert [p["why"] for code, p in email.reasons if code == "fallback_document"] == ["over_fixed_sum_cap"]
