"""The daily run over the database: idempotent, account level, approvals, explain."""

from datetime import date, datetime, timezone

import pytest

from gvia.services.engine import daily_run
from gvia.store.models import Activity, AgingSnapshot, Case, Customer, Invoice, OutboxMessage, RunRecord

pytestmark = pytest.mark.django_db


def at(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 7, 0, tzinfo=timezone.utc)   # 09:00 in Israel


def test_one_message_per_customer_listing_all_overdue_invoices_and_second_run_changes_nothing(ctx, books):
    c = books.customer("C1", "לקוח א", email="a@c1.co.il")
    books.invoice(c, "1001", "1000.00", date(2026, 11, 1))
    books.invoice(c, "1002", "500.00", date(2026, 11, 5))
    books.invoice(c, "1003", "700.00", date(2026, 11, 12))
    # 2026-11-10 is a Tuesday: 9 days after the oldest due date; the reminder is due (7 days)
    first = daily_run.run(ctx, at(date(2026, 11, 10)))
    assert first.counts.get("enter_stage") == 1
    [msg] = OutboxMessage.objects.filter(customer=c)
    assert (msg.stage_key, msg.channel, msg.document, msg.cycle) == ("reminder", "email", "reminder", 1)
    # a new organization approves every message
    assert msg.status == OutboxMessage.Status.AWAITING_APPROVAL
    case = Case.objects.get(customer=c)
    assert (case.stage_key, case.active, case.cycle) == ("reminder", True, 1)
    second = daily_run.run(ctx, at(date(2026, 11, 10)))
    assert second.counts.get("enter_stage") is None
    assert OutboxMessage.objects.filter(customer=c).count() == 1
    assert RunRecord.objects.filter(organization=ctx.org).count() == 2
    assert Activity.objects.filter(customer=c, kind="stage").count() == 1
    snapshot = AgingSnapshot.objects.get(organization=ctx.org, date=date(2026, 11, 10), currency="ILS")
    assert snapshot.overdue_minor == 150000


def test_dry_run_writes_nothing(ctx, books):
    c = books.customer("C2")
    books.invoice(c, "2001", "1000.00", date(2026, 10, 1))
    rep = daily_run.run(ctx, at(date(2026, 11, 10)), dry_run=True)
    assert rep.counts.get("enter_stage") == 1
    assert OutboxMessage.objects.count() == 0 and Case.objects.count() == 0 and RunRecord.objects.count() == 0


def test_automatic_mode_queues_and_explain_speaks(ctx, books):
    ctx.org.settings["sending_mode"] = "automatic"
    ctx.org.save()
    c = books.customer("C3", "Acme Ltd", language="en")
    books.invoice(c, "3001", "1000.00", date(2026, 11, 1))
    daily_run.run(ctx, at(date(2026, 11, 10)))
    assert OutboxMessage.objects.get(customer=c).status == OutboxMessage.Status.QUEUED
    text = daily_run.explain(ctx, "C3", at(date(2026, 11, 10)))
    assert "3001" in text and "9 days overdue" in text


def test_run_record_keeps_versions_counts_and_what_was_held_back(ctx, books):
    c = books.customer("C4", "Hold Ltd", language="en", do_not_chase=True)
    books.invoice(c, "4001", "1000.00", date(2026, 10, 1))
    d = books.customer("C5", "Go Ltd", language="en")
    books.invoice(d, "5001", "1000.00", date(2026, 10, 1))
    rep = daily_run.run(ctx, at(date(2026, 11, 10)))
    record = RunRecord.objects.get(id=rep.run_id)
    assert record.run_date == date(2026, 11, 10) and record.finished_at is not None
    assert [v["policy"] for v in record.policy_versions] == ["Israel — standard ladder"]
    assert record.held_back == [{"reason": "do_not_chase", "customers": 1}]
    assert record.counts["enter_stage"] == 1 and record.counts["messages_awaiting_approval"] == 1
    # the decision names the policy version that made it
    msg = OutboxMessage.objects.get(customer=d)
    assert msg.policy_version.fingerprint == record.policy_versions[0]["fingerprint"]
    assert Activity.objects.get(customer=d, kind="stage").data["policy"] == record.policy_versions[0]["fingerprint"]


def test_a_paid_customer_leaves_the_ladder_taking_unsent_messages_and_call_tasks(ctx, books):
    from gvia.services.ledger import books as ledger
    from gvia.store.models import Task

    c = books.customer("C6", "Pays Ltd", language="en")
    inv = books.invoice(c, "6001", "1000.00", date(2026, 10, 1))
    daily_run.run(ctx, at(date(2026, 11, 10)))                       # reminder, awaiting approval
    Task.objects.create(organization=ctx.org, customer=c, kind="call", key="call:x", due_date=date(2026, 11, 10))
    books.payment(c, "1000.00", date(2026, 11, 11), invoice=inv)
    ledger.recompute(ctx, [c.id])
    rep = daily_run.run(ctx, at(date(2026, 11, 11)))
    assert rep.counts["end_cycle"] == 1 and rep.counts["messages_cancelled"] == 1
    assert OutboxMessage.objects.get(customer=c).status == "cancelled"
    assert Task.objects.get(key="call:x").outcome == "cycle_ended"
    assert Case.objects.get(customer=c).active is False


def test_assigned_policy_and_the_uk_consumer_ladder_decide(ctx, books, tmp_path):
    from gvia.policies import default_policy_text
    from gvia.services.context import resolve
    from gvia.services.engine import policies
    from gvia.services.org.organizations import init_organization

    # an assigned policy whose first reminder comes after 3 days
    text = default_policy_text("IL").replace('name = "Israel — standard ladder"', 'name = "Quick"') \
        .replace("after_due_days = 7\n", "after_due_days = 3\n", 1)
    policies.ensure_default(ctx)              # the shipped ladder stays the default
    policies.save_policy(ctx, text)
    quick = books.customer("Q", "Quick Ltd", language="en")
    books.invoice(quick, "7001", "1000.00", date(2026, 11, 5))       # Thu 5 Nov + 3 = Sun 8 Nov
    normal = books.customer("N", "Normal Ltd", language="en")
    books.invoice(normal, "7002", "1000.00", date(2026, 11, 5))
    policies.assign(ctx, "Q", "Quick")
    rep = daily_run.run(ctx, at(date(2026, 11, 8)))
    assert rep.counts.get("enter_stage") == 1
    assert OutboxMessage.objects.get().customer == quick
    assert {v["policy"] for v in rep.policy_versions} == {"Quick", "Israel — standard ladder"}

    # a UK business: its consumer customers follow the Pre-Action Protocol ladder
    init_organization("Brit Ltd", country="GB", admin_email="owner@brit.co.uk", admin_password="Gvia-test-2026!")
    uk = resolve("brit-ltd", "owner@brit.co.uk")
    consumer = Customer.objects.create(organization=uk.org, ref="P1", name="Pat", kind="consumer", language="en")
    Invoice.objects.create(organization=uk.org, customer=consumer, number="UK1", issue_date=date(2026, 9, 1),
                           due_date=date(2026, 10, 1), amount_minor=50000, open_minor=50000, currency="GBP")
    rep = daily_run.run(uk, at(date(2026, 11, 10)))
    assert [v["policy"] for v in rep.policy_versions] == ["UK consumer — Pre-Action Protocol"]


def test_call_task_goes_to_the_customers_collector(ctx, books):
    from gvia.services.org.organizations import add_member
    from gvia.store.models import Task

    member = add_member(ctx, "col@gilboa.co.il", "Gvia-test-2026!", "collector")
    ctx.org.settings["sending_mode"] = "automatic"
    ctx.org.save()
    c = books.customer("K", "Kall Ltd", language="en", collector=member.user, phone="050-1234567")
    books.invoice(c, "8001", "1000.00", date(2026, 9, 1))
    Case.objects.create(organization=ctx.org, customer=c, cycle=1, active=True, stage_key="second_reminder",
                        state={"cycle": 1, "cycle_open": True, "cycle_started": "2026-09-02",
                               "stage_key": "second_reminder", "stage_entered": "2026-09-22",
                               "history": [["reminder", "2026-09-08"], ["second_reminder", "2026-09-22"]]})
    daily_run.run(ctx, at(date(2026, 10, 1)))      # +30 = Thu 1 Oct
    task = Task.objects.get(customer=c, kind="call")
    assert task.assigned_to == member.user and task.data["phones"][0]["phone"] == "050-1234567"
