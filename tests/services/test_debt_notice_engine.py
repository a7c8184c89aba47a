"""The consumer debt notice over the database (issue 15): an Israeli consumer takes the consumer
ladder, the daily run plans the notice and records which charges it lists, the day it was sent
is the outbox's own record, nothing follows before its 14 days are over, a consumer whose
window was missed is held for a person, `gvia explain` says so, and one organization's notices
never count for another's customers."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from gvia.core.debt_notice import SentNotice
from gvia.services.context import Ctx
from gvia.services.engine import daily_run, debt_notices, policies
from gvia.services.org.organizations import init_organization
from gvia.store.models import Customer, DebtNotice, Invoice, OutboxMessage

pytestmark = pytest.mark.django_db
DUE = date(2026, 11, 1)


def at(d: date, hour: int = 7) -> datetime:
    return datetime(d.year, d.month, d.day, hour, 0, tzinfo=timezone.utc)   # 09:00 in Israel


def sent(msg: OutboxMessage, moment: datetime) -> None:
    OutboxMessage.objects.filter(id=msg.id).update(status=OutboxMessage.Status.SENT, sent_at=moment)


@pytest.fixture
def owed(books):
    """A consumer owing two invoices, a sole trader and a business owing one each."""
    dana = books.customer("C1", "דנה כהן", email="dana@example.co.il", kind="consumer")
    books.invoice(dana, "1001", "500.00", DUE)
    books.invoice(dana, "1002", "300.00", date(2026, 11, 2))
    trader = books.customer("C2", "יוסי", email="yossi@example.co.il", kind="sole_trader")
    books.invoice(trader, "2001", "500.00", DUE)
    biz = books.customer("C3", "עסק בע\"מ", email="a@c3.co.il", kind="business")
    books.invoice(biz, "3001", "500.00", DUE)
    return dana, trader, biz


def test_only_consumers_take_the_israeli_consumer_ladder(ctx, owed):
    ladder = {c.kind: policies.policy_for_customer(ctx, c)[0].policy.name for c in Customer.objects.all()}
    assert ladder["consumer"] == policies.IL_CONSUMER_NAME
    assert ladder["sole_trader"] == ladder["business"] != policies.IL_CONSUMER_NAME


def test_the_notice_first_then_nothing_before_its_fourteen_days(ctx, owed):
    dana, trader, biz = owed
    daily_run.run(ctx, at(date(2026, 11, 5)))
    [notice] = OutboxMessage.objects.filter(customer=dana)
    assert (notice.document, notice.channel, notice.stage_key) == ("debt_notice", "email", "debt_notice")
    record = DebtNotice.objects.get(message=notice)
    assert sorted(record.invoice_ids) == sorted(Invoice.objects.filter(customer=dana).values_list("id", flat=True))
    assert not OutboxMessage.objects.filter(customer__in=[trader, biz]).exists()   # their reminders: day 7

    # sent on Sunday 8 November at 23:30 in Israel (21:30 UTC): the 8th is the day of sending
    sent(notice, datetime(2026, 11, 8, 21, 30, tzinfo=timezone.utc))
    assert debt_notices.notices_of(ctx.org)[dana.id] == (SentNotice(date(2026, 11, 8), frozenset(record.invoice_ids)),)

    daily_run.run(ctx, at(date(2026, 11, 22)))     # the reminder's own day; the 14 days: 9 … 22 November
    assert OutboxMessage.objects.filter(customer=dana).count() == 1
    text = daily_run.explain(ctx, "C1", at(date(2026, 11, 22)), lang="en")
    assert "the debt notice (invoices: 1001, 1002) was sent on 2026-11-08" in text
    assert "no collection step before 2026-11-23" in text
    daily_run.run(ctx, at(date(2026, 11, 23)))
    assert list(OutboxMessage.objects.filter(customer=dana).order_by("id").values_list("document", flat=True)) == \
        ["debt_notice", "reminder"]


def test_the_reminder_comes_once_the_wait_is_over(ctx, owed):
    dana, _trader, _biz = owed
    daily_run.run(ctx, at(date(2026, 11, 5)))
    notice = OutboxMessage.objects.get(customer=dana)
    sent(notice, at(date(2026, 11, 5)))
    daily_run.run(ctx, at(date(2026, 11, 19)))            # the 14 days: 6 … 19 November
    assert OutboxMessage.objects.filter(customer=dana).count() == 1
    he = daily_run.explain(ctx, "C1", at(date(2026, 11, 19)), lang="he")
    assert "אין לנקוט פעולת גבייה לפני 20/11/2026" in he
    daily_run.run(ctx, at(date(2026, 11, 23)))            # the reminder's own day: 21 days after the due date
    assert list(OutboxMessage.objects.filter(customer=dana).order_by("id").values_list("document", flat=True)) == \
        ["debt_notice", "reminder"]


def test_an_unsent_notice_opens_no_way(ctx, owed):
    dana, _trader, _biz = owed
    daily_run.run(ctx, at(date(2026, 11, 5)))
    OutboxMessage.objects.filter(customer=dana).update(status=OutboxMessage.Status.FAILED)
    daily_run.run(ctx, at(date(2026, 12, 1)))
    assert OutboxMessage.objects.filter(customer=dana).count() == 1
    assert dana.id not in debt_notices.notices_of(ctx.org)


def test_a_paper_notice_counts_from_its_posting(ctx, owed):
    dana, _trader, _biz = owed
    daily_run.run(ctx, at(date(2026, 11, 5)))
    notice = OutboxMessage.objects.get(customer=dana)
    OutboxMessage.objects.filter(id=notice.id).update(channel="letter", status=OutboxMessage.Status.SENT,
                                                      sent_at=at(date(2026, 11, 5)))
    assert dana.id not in debt_notices.notices_of(ctx.org)        # printed is not posted
    OutboxMessage.objects.filter(id=notice.id).update(posted_date=date(2026, 11, 9))
    assert debt_notices.notices_of(ctx.org)[dana.id][0].sent_on == date(2026, 11, 9)


def test_a_missed_window_is_held_for_a_person(ctx, books):
    old = books.customer("C9", "רונית", email="r@example.co.il", kind="consumer")
    books.invoice(old, "9001", "800.00", date(2026, 6, 1))        # last day to send: 30 September
    report = daily_run.run(ctx, at(date(2026, 11, 5)))
    daily_run.run(ctx, at(date(2026, 11, 30)))
    kinds = list(OutboxMessage.objects.filter(customer=old).values_list("document", flat=True))
    assert kinds == []                                            # not even the notice: nothing to list
    held = daily_run.run(ctx, at(date(2026, 12, 1))).held_back
    assert any(h["reason"] == "debt_notice_window_missed" for h in held), (held, report.held_back)
    text = daily_run.explain(ctx, "C9", at(date(2026, 12, 1)), lang="en")
    assert "no debt notice was sent within four months of the due date (invoices: 9001" in text


def test_another_organizations_notices_never_count(ctx, owed):
    dana, _trader, _biz = owed
    init_organization("Other Ltd", country="IL", admin_email="o@other.co.il", admin_password="Gvia-test-2026!")
    other = Ctx(type(ctx.org).objects.get(name="Other Ltd"), None, "owner")
    twin = Customer.objects.create(organization=other.org, ref="C1", name="דנה", kind="consumer",
                                   email="d@other.co.il")
    Invoice.objects.create(organization=other.org, customer=twin, number="1001", issue_date=DUE, due_date=DUE,
                           amount_minor=50000, currency="ILS", open_minor=50000)
    daily_run.run(ctx, at(date(2026, 11, 5)))
    sent(OutboxMessage.objects.get(customer=dana), at(date(2026, 11, 5)))
    assert debt_notices.notices_of(other.org) == {}
    assert set(debt_notices.notices_of(ctx.org)) == {dana.id}
    daily_run.run(other, at(date(2026, 11, 30)))
    assert list(OutboxMessage.objects.filter(customer=twin).values_list("document", flat=True)) == ["debt_notice"]


def test_a_letter_by_hand_waits_for_the_notice_too(ctx, owed):
    """A person asking for a reminder for an Israeli consumer is refused until the notice's 14 days
    are over; a debt notice asked for by hand records its charges and starts the wait once sent;
    a business customer's letter is not concerned."""
    from gvia.core.errors import RefusedFor
    from gvia.services.letters import on_demand

    dana, _trader, biz = owed
    now = at(date(2026, 11, 10))
    with pytest.raises(RefusedFor) as refused:
        on_demand.request_send(ctx, "C1", "reminder", "email", now=now)
    assert refused.value.code == "letter_debt_notice_needed"
    assert refused.value.params["invoices"] == "1001, 1002"
    on_demand.request_send(ctx, "C3", "reminder", "email", now=now)       # a business: no notice needed
    notice = on_demand.request_send(ctx, "C1", "debt_notice", "email", now=now)
    assert sorted(DebtNotice.objects.get(message=notice).invoice_ids) == \
        sorted(Invoice.objects.filter(customer=dana).values_list("id", flat=True))
    sent(notice, now)
    with pytest.raises(RefusedFor) as refused:
        on_demand.request_send(ctx, "C1", "warning_letter", "email", now=at(date(2026, 11, 24)))
    assert refused.value.code == "letter_debt_notice_wait"
    assert refused.value.params["until"] == date(2026, 11, 25)
    assert on_demand.request_send(ctx, "C1", "reminder", "email", now=at(date(2026, 11, 25))).document == "reminder"
    assert OutboxMessage.objects.filter(customer=biz, document="reminder").count() == 1


def test_a_window_missed_refuses_a_letter_by_hand(ctx, books):
    from gvia.core.errors import RefusedFor
    from gvia.services.letters import on_demand

    old = books.customer("C9", "רונית", email="r@example.co.il", kind="consumer")
    books.invoice(old, "9001", "800.00", date(2026, 6, 1))
    with pytest.raises(RefusedFor) as refused:
        on_demand.request_send(ctx, "C9", "second_reminder", "email", now=at(date(2026, 11, 10)))
    assert (refused.value.code, refused.value.params["invoices"]) == ("letter_debt_notice_window_missed", "9001")


def test_send_a_reminder_now_waits_for_the_notice_too(ctx, owed):
    from gvia.core.errors import RefusedFor
    from gvia.services.sending import outbox

    with pytest.raises(RefusedFor) as refused:
        outbox.send_now(ctx, "C1", now=at(date(2026, 11, 10)))
    assert refused.value.code == "letter_debt_notice_needed"
    assert outbox.send_now(ctx, "C2", now=at(date(2026, 11, 10))).document == "reminder"   # a sole trader


def test_the_worklist_flags_a_missed_window_for_a_person(ctx, books):
    from gvia.services.engine import worklist as worklist_service

    old = books.customer("C9", "רונית", email="r@example.co.il", kind="consumer")
    books.invoice(old, "9001", "800.00", date(2026, 6, 1))        # last day to send: 30 September
    books.invoice(old, "9002", "100.00", date(2026, 10, 1))       # still in time: not flagged
    gone = books.customer("C8", "אבי", kind="consumer", do_not_chase=True)
    books.invoice(gone, "8001", "800.00", date(2026, 6, 1))       # a person already decided
    biz = books.customer("C7", "עסק", kind="business")
    books.invoice(biz, "7001", "800.00", date(2026, 6, 1))        # not a consumer
    [flag] = debt_notices.flagged(ctx, date(2026, 11, 10))
    assert (flag.number, flag.customer_ref, flag.last_day, str(flag.amount.amount)) == \
        ("9001", "C9", date(2026, 9, 30), "800.00")
    section = worklist_service.section(ctx, "debt_notices", date(2026, 11, 10))
    assert [r.number for r in section.rows] == ["9001"]
    other = Ctx(init_organization("Other Ltd", country="IL", admin_email="o@other.co.il",
                                  admin_password="Gvia-test-2026!"), None, "owner")
    assert debt_notices.flagged(other, date(2026, 11, 10)) == []      # another organization sees none
