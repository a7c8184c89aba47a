"""A call can set the case's reason for non-payment (issue 17): through the one home,
services/engine/nonpayment.set_reason (source "call", the call's note); a reason outside the list
refuses the whole call, nothing logged."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from gvia.core.errors import ValidationFailed
from gvia.services.engine import calls, nonpayment
from gvia.store.models import Activity, AuditRecord, Case

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 10, 1, 9, tzinfo=timezone.utc)


def test_a_call_sets_the_reason(ctx, books):
    c = books.customer("K", "K Ltd")
    books.invoice(c, "K-1", "1000.00", date(2026, 9, 1))
    calls.log_call(ctx, "K", "no-answer", now=NOW)
    assert Case.objects.filter(customer=c, nonpayment_reason="").count() in (0, 1)
    calls.log_call(ctx, "K", "call-back", at=datetime(2026, 10, 5, 10, tzinfo=timezone.utc),
                   note="waiting for their own customer to pay", nonpayment="cash_flow", now=NOW)
    case = Case.objects.get(customer=c)
    assert (case.nonpayment_reason, case.nonpayment_source, case.nonpayment_note, case.nonpayment_on) == (
        "cash_flow", "call", "waiting for their own customer to pay", date(2026, 10, 1))
    assert AuditRecord.objects.filter(action="case.nonpayment_reason", organization=ctx.org).count() == 1
    assert nonpayment.shares(ctx, active_only=False)["cash_flow"] == 1


def test_a_bad_reason_logs_nothing(ctx, books):
    c = books.customer("K", "K Ltd")
    books.invoice(c, "K-1", "1000.00", date(2026, 9, 1))
    with pytest.raises(ValidationFailed) as e:
        calls.log_call(ctx, "K", "refused", nonpayment="lazy", now=NOW)
    assert e.value.problems[0].code == "nonpayment_unknown" and e.value.problems[0].field == "nonpayment"
    assert not Activity.objects.filter(customer=c, kind="call").exists()
    assert not Case.objects.filter(customer=c).exclude(nonpayment_reason="").exists()
