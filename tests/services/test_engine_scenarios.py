"""A hand-built Israeli business replayed day by day through the database: the daily run each
morning, people's actions, and the dispatcher sending to a real SMTP server (aiosmtpd).

Every expected date below is worked out by hand from the default Israeli ladder
(src/gvia/policies/il.toml):

    reminder         7 days after the oldest due date            wait 7
    second_reminder 21 days after                                wait 7
    call            30 days after                                wait 7, then 3 unanswered calls
    warning_letter  45 days after, owner approves, deadline 14 days from posting
    legal           60 days after, owner approves, 30 days' notice from the recorded delivery
                    (the filing clock: filing on the day after the 30th)
    at least 7 days between two stages; a reply pauses 5 days; stages fire on business days.

The Israeli calendar of autumn 2026: Friday and Saturday off; Rosh Hashana Sat 12 + Sun 13
September, Yom Kippur Mon 21 September, Sukkot Sat 26 September, Simchat Torah Sat 3 October
(holiday eves and Chol HaMoed are working days).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from gvia.core.message_log import said
from gvia.services.engine import approvals, calls, daily_run, holds
from gvia.services.engine.activities import add as add_activity
from gvia.services.ledger import books as ledger
from gvia.services.sending import outbox
from gvia.services.sending.dispatch import dispatch_due
from gvia.store.models import Activity, Case, Contact, OutboxMessage, Task
from tests.support.smtpd import start_smtp

pytestmark = pytest.mark.django_db

IL = ZoneInfo("Asia/Jerusalem")


def at(d: date, hour: int, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=IL).astimezone(timezone.utc)


def D(text: str) -> date:
    return date.fromisoformat(text)


@pytest.fixture
def smtp():
    server = start_smtp()
    yield server
    server.stop()


def configure(ctx, smtp, **extra) -> None:
    """Automatic sending to the test SMTP server, no rate limit, and the details a formal
    warning letter must carry (company number, address, phone, signatory, the claim's basis)."""
    ctx.org.settings.update({"sending_mode": "automatic", "send_rate_per_minute": 0,
                             # one wording per language: an English letter never carries a Hebrew one
                             "claim_basis": {"he": "הזמנת עבודה חתומה מיום 1.8.2026",
                                             "en": "the signed work order of 1 August 2026"},
                             "smtp": {"host": smtp.host, "port": smtp.port, "security": "none"}, **extra})
    ctx.org.email = "billing@gilboa.co.il"
    ctx.org.tax_id = "514567899"
    ctx.org.address = "הרצל 1\nתל אביב 6100000"
    ctx.org.phone = "03-5551234"
    ctx.org.signatory_name = "יעל גלבוע"
    ctx.org.save()


def with_address(customer, tax_id="513456782"):
    from gvia.store.models import Address

    customer.tax_id = tax_id
    customer.save()
    Address.objects.create(customer=customer, line1="העצמאות 5", city="חיפה", postal_code="3303000")
    return customer


def dispatch(now: datetime):
    return dispatch_due(lambda: now, "test-worker")


def received_by_message(smtp) -> dict[int, list]:
    out: dict[int, list] = {}
    for r in smtp.handler.received:
        out.setdefault(int(r.message["X-Gvia-Message"]), []).append(r)
    return out


def print_letters(ctx, day, tmp_path):
    from gvia.services.letters.print_batch import render_due

    return render_due(ctx, day, tmp_path / "print", processes=1)


def test_a_month_of_collections_day_by_day(ctx, books, smtp, tmp_path):
    configure(ctx, smtp)
    # A: the whole ladder. Due Sun 6 Sep.
    a = with_address(books.customer("A", "אלון שיווק בע\"מ", language="he"))
    Contact.objects.create(customer=a, name="דנה", email="dana@alon.co.il", is_billing=True)
    Contact.objects.create(customer=a, name="CFO", email="cfo@alon.co.il", cc=True)
    books.invoice(a, "1001", "5000.00", D("2026-09-06"), issue=D("2026-08-07"))
    # B: pays after the second reminder; a later invoice opens a second cycle.
    b = books.customer("B", "Brook Ltd", language="en", email="ap@brook.co.uk")
    b1 = books.invoice(b, "2001", "3000.00", D("2026-09-10"), issue=D("2026-08-11"))
    books.invoice(b, "2002", "1000.00", D("2026-10-20"), issue=D("2026-09-20"))
    # D: pays on the morning its second reminder was planned: it must not go out.
    d = books.customer("D", "Delta", language="en", email="pay@delta.example")
    d1 = books.invoice(d, "4001", "2000.00", D("2026-09-20"), issue=D("2026-08-21"))
    # E: replies after the first reminder, then promises on the call and does not pay.
    e = books.customer("E", "Echo Ltd", language="en", email="finance@echo.example")
    books.invoice(e, "5001", "1500.00", D("2026-09-15"), issue=D("2026-08-16"))
    # F: reminder day falls on Yom Kippur. G: reminder day falls on a Friday.
    f = books.customer("F", "Foxtrot", language="en", email="f@foxtrot.example")
    f1 = books.invoice(f, "6001", "800.00", D("2026-09-14"))
    g = books.customer("G", "Golf", language="en", email="g@golf.example")
    g1 = books.invoice(g, "7001", "900.00", D("2026-09-25"))
    # H: on "do not chase": never contacted.
    books.customer("H", "Hotel", language="en", email="h@hotel.example", do_not_chase=True,
                   do_not_chase_reason="in liquidation")
    books.invoice(books.org.customers.get(ref="H"), "8001", "9000.00", D("2026-09-01"))

    def pay(customer, invoice, amount, day):
        books.payment(customer, amount, day, invoice=invoice)
        ledger.recompute(ctx, [customer.id])

    collector = ctx  # the owner does everything here; role checks have their own test
    warning_ids: list[int] = []
    day = D("2026-09-01")
    while day <= D("2026-11-30"):
        # before the morning run: what arrived overnight
        if day == D("2026-10-04"):
            pay(b, b1, "3000.00", day)
        if day == D("2026-10-07"):
            pay(f, f1, "800.00", day)
        if day == D("2026-10-08"):
            pay(g, g1, "900.00", day)
        daily_run.run(ctx, at(day, 8))
        # people's work during the morning
        if day == D("2026-10-05"):
            add_activity(collector, "E", "reply", "We will pay next week, sorry.", now=at(day, 9))
        if day in (D("2026-10-06"), D("2026-10-07"), D("2026-10-08")):
            calls.log_call(collector, "A", "no-answer", now=at(day, 9))
        if day == D("2026-10-11"):
            pay(d, d1, "2000.00", day)          # after the run planned D's second reminder
        if day == D("2026-10-18"):
            calls.log_call(collector, "E", "promised", promise_date=D("2026-10-25"), amount="1500", now=at(day, 9))
        if day == D("2026-10-21"):
            warning_ids = list(OutboxMessage.objects.filter(customer=a, stage_key="warning_letter")
                               .values_list("id", flat=True))
            for mid in warning_ids:
                approvals.approve(ctx, mid, at(day, 9))
            assert print_letters(ctx, day, tmp_path).letters == 1     # the registered letter
        if day == D("2026-10-22"):
            letter = OutboxMessage.objects.get(customer=a, stage_key="warning_letter", channel="registered_letter")
            outbox.record_registered(ctx, letter.id, "RR123456789IL", posted=day, now=at(day, 12))
        if day == D("2026-10-25"):
            letter = OutboxMessage.objects.get(customer=a, stage_key="warning_letter", channel="registered_letter")
            outbox.record_registered(ctx, letter.id, "RR123456789IL", delivered=day, now=at(day, 12))
        dispatch(at(day, 10))
        day += timedelta(days=1)

    entered = {}
    for act in Activity.objects.filter(kind="stage", data__decision="enter_stage").order_by("date", "id"):
        entered.setdefault(act.customer.ref, []).append((act.data["stage"], act.date))
    ended = {act.customer.ref: act.date for act in Activity.objects.filter(kind="stage", data__decision="end_cycle")}

    assert entered == {
        # due 6 Sep: +7 = Sun 13 Sep (Rosh Hashana) -> Mon 14; +21 = Sun 27 Sep (Chol HaMoed, works);
        # +30 = Tue 6 Oct; +45 = Wed 21 Oct (the three unanswered calls by 8 Oct let it move on);
        # legal: posted Thu 22 Oct, deadline 22 Oct + 14 = Thu 5 Nov; delivered Sun 25 Oct, notice
        # 25 Oct + 30 = 24 Nov, so the day after both: Wed 25 Nov.
        "A": [("reminder", D("2026-09-14")), ("second_reminder", D("2026-09-27")), ("call", D("2026-10-06")),
              ("warning_letter", D("2026-10-21")), ("legal", D("2026-11-25"))],
        # due Thu 10 Sep: +7 = Thu 17 Sep; +21 = Thu 1 Oct (Chol HaMoed). Paid 4 Oct. Invoice 2002 due
        # Tue 20 Oct: a new cycle, reminder +7 = Tue 27 Oct, second +21 = Tue 10 Nov, call +30 = Thu 19 Nov
        # (nobody logs the call, so the ladder waits there).
        "B": [("reminder", D("2026-09-17")), ("second_reminder", D("2026-10-01")), ("reminder", D("2026-10-27")),
              ("second_reminder", D("2026-11-10")), ("call", D("2026-11-19"))],
        # due Sun 20 Sep: +7 = Sun 27 Sep; +21 = Sun 11 Oct (planned, then paid before it left).
        "D": [("reminder", D("2026-09-27")), ("second_reminder", D("2026-10-11"))],
        # due Tue 15 Sep: +7 = Tue 22 Sep (Yom Kippur was Monday); +21 = Tue 6 Oct, but E replied on
        # Mon 5 Oct: paused through 10 Oct, so Sun 11 Oct; call +30 = Thu 15 Oct, 7 days after the
        # second reminder: Sun 18 Oct; promise through Sun 25 Oct broken; warning +45 = Fri 30 Oct
        # -> Sun 1 Nov (held before approval: Echo's company number and address are not on file, so
        # the letter cannot be produced; nobody is asked to approve it and the ladder stops there).
        "E": [("reminder", D("2026-09-22")), ("second_reminder", D("2026-10-11")), ("call", D("2026-10-18")),
              ("warning_letter", D("2026-11-01"))],
        # due Mon 14 Sep: +7 = Mon 21 Sep, Yom Kippur -> Tue 22 Sep; +21 = Mon 5 Oct. Paid 7 Oct.
        "F": [("reminder", D("2026-09-22")), ("second_reminder", D("2026-10-05"))],
        # due Fri 25 Sep: +7 = Fri 2 Oct -> (Sat, Simchat Torah) -> Sun 4 Oct. Paid 8 Oct.
        "G": [("reminder", D("2026-10-04"))],
    }
    assert ended == {"B": D("2026-10-04"), "D": D("2026-10-12"), "F": D("2026-10-07"), "G": D("2026-10-08")}
    assert Case.objects.get(customer=b).cycle == 2

    # What the SMTP server received, and when it was sent.
    got = received_by_message(smtp)
    sent = {(m.customer.ref, m.stage_key, m.cycle, m.channel): (m.status, m.sent_at and m.sent_at.astimezone(IL).date())
            for m in OutboxMessage.objects.select_related("customer")
                                          .exclude(status="sent", channel="registered_letter")}
    assert OutboxMessage.objects.get(customer=a, channel="registered_letter").status == "sent"   # printed
    assert sent == {
        ("A", "reminder", 1, "email"): ("sent", D("2026-09-14")),
        ("A", "second_reminder", 1, "email"): ("sent", D("2026-09-27")),
        ("A", "warning_letter", 1, "email"): ("sent", D("2026-10-21")),
        ("A", "legal", 1, "letter"): ("awaiting_approval", None),
        ("B", "reminder", 1, "email"): ("sent", D("2026-09-17")),
        ("B", "second_reminder", 1, "email"): ("sent", D("2026-10-01")),
        ("B", "reminder", 2, "email"): ("sent", D("2026-10-27")),
        ("B", "second_reminder", 2, "email"): ("sent", D("2026-11-10")),
        ("D", "reminder", 1, "email"): ("sent", D("2026-09-27")),
        ("D", "second_reminder", 1, "email"): ("cancelled", None),
        ("E", "reminder", 1, "email"): ("sent", D("2026-09-22")),
        ("E", "second_reminder", 1, "email"): ("sent", D("2026-10-11")),
        ("E", "warning_letter", 1, "email"): ("held", None),
        ("E", "warning_letter", 1, "registered_letter"): ("held", None),
        ("F", "reminder", 1, "email"): ("sent", D("2026-09-22")),
        ("F", "second_reminder", 1, "email"): ("sent", D("2026-10-05")),
        ("G", "reminder", 1, "email"): ("sent", D("2026-10-04")),
    }
    assert holds.held_list(ctx) == [{"customer": "E", "stage": "warning_letter",
                                     "reasons": ["customer_tax_id", "customer_address"]}]
    # every e-mail marked sent reached the server exactly once; nothing else did
    emailed = OutboxMessage.objects.filter(status="sent", channel="email")
    assert sorted(got) == sorted(m.id for m in emailed)
    assert all(len(v) == 1 for v in got.values())

    # A's reminder: Hebrew subject encoded on the wire, billing contact in To, CC contact copied.
    reminder = got[OutboxMessage.objects.get(customer=a, stage_key="reminder").id][0]
    assert b"Subject: =?utf-8?" in reminder.data
    assert reminder.rcpt_tos == ["dana@alon.co.il", "cfo@alon.co.il"]
    assert reminder.message["To"] == "dana@alon.co.il" and reminder.message["Cc"] == "cfo@alon.co.il"
    assert any("\u0590" <= ch <= "\u05ff" for ch in reminder.message["Subject"])
    assert reminder.message["Message-ID"].endswith("@gilboa.co.il>")
    # second reminders carry the statement as a PDF; the warning e-mail the letter and the statement
    second = got[OutboxMessage.objects.get(customer=b, stage_key="second_reminder", cycle=1).id][0].message
    [statement] = list(second.iter_attachments())
    assert statement.get_content_type() == "application/pdf" and statement.get_content()[:5] == b"%PDF-"
    warning = got[OutboxMessage.objects.get(customer=a, stage_key="warning_letter", channel="email").id][0].message
    assert len(list(warning.iter_attachments())) == 2
    # D's second reminder was cancelled by the dispatcher, and why is on record
    cancelled = OutboxMessage.objects.get(customer=d, stage_key="second_reminder")
    why = said(cancelled.log[-1])
    assert (why.code, why.params["why"].code) == ("outbox_cancelled", "outbox_why_nothing_overdue")

    # the call task: three unanswered calls closed it
    task = Task.objects.get(customer=a, kind="call")
    assert (task.open, task.outcome, len(task.data["calls"])) == (False, "no_answer x3", 3)
    # E's promise closed its call task and paused the case
    assert Task.objects.get(customer=e, kind="call").outcome == "promised"
    # proof of sending kept for every sent e-mail: exactly the bytes the server received
    from gvia.services.sending.dispatch import read_raw

    for m in emailed:
        assert m.server_reply.startswith("250")
        assert read_raw(m.raw_path).replace(b"\r\n", b"\n") == got[m.id][0].data.replace(b"\r\n", b"\n")


def test_explain_names_the_legal_referral_day_after_delivery(ctx, books, smtp, tmp_path):
    configure(ctx, smtp)
    a = with_address(books.customer("A", "Alon", language="en", email="a@alon.example"))
    books.invoice(a, "1001", "5000.00", D("2026-09-06"))
    for day in (D("2026-09-14"), D("2026-09-27"), D("2026-10-06")):
        daily_run.run(ctx, at(day, 8))
        dispatch(at(day, 10))
    for day in (D("2026-10-06"), D("2026-10-07"), D("2026-10-08")):
        calls.log_call(ctx, "A", "no-answer", now=at(day, 9))
    daily_run.run(ctx, at(D("2026-10-21"), 8))
    letter = OutboxMessage.objects.get(customer=a, channel="registered_letter")
    text = daily_run.explain(ctx, "A", at(D("2026-10-21"), 12), "en")
    # not approved yet: the legal referral waits for the warning to go out, and to be posted
    assert "Warning letter" in text and "awaiting approval" in text and "to be posted" in text
    for m in OutboxMessage.objects.filter(customer=a, status="awaiting_approval"):
        approvals.approve(ctx, m.id, at(D("2026-10-21"), 9))
    dispatch(at(D("2026-10-21"), 10))
    print_letters(ctx, D("2026-10-21"), tmp_path)
    outbox.record_registered(ctx, letter.id, "RR1", posted=D("2026-10-22"), now=at(D("2026-10-22"), 12))
    text = daily_run.explain(ctx, "A", at(D("2026-10-23"), 12), "en")
    assert "waiting for the delivery confirmation" in text and "posted on 2026-10-22" in text
    # delivered Mon 26 Oct: 30 whole days pass on 25 Nov, the referral comes on Thu 26 Nov
    outbox.record_registered(ctx, letter.id, "RR1", delivered=D("2026-10-26"), now=at(D("2026-10-26"), 12))
    text = daily_run.explain(ctx, "A", at(D("2026-11-19"), 12), "en")
    assert "Legal referral" in text and "2026-11-26" in text
    assert daily_run.run(ctx, at(D("2026-11-25"), 8)).counts.get("enter_stage") is None
    assert daily_run.run(ctx, at(D("2026-11-26"), 8)).counts.get("enter_stage") == 1


def test_no_delivery_confirmation_holds_the_referral_for_a_person(ctx, books, smtp, tmp_path):
    configure(ctx, smtp)
    a = with_address(books.customer("A", "Alon", language="en", email="a@alon.example"))
    books.invoice(a, "1001", "5000.00", D("2026-09-06"))
    for day in (D("2026-09-14"), D("2026-09-27"), D("2026-10-06")):
        daily_run.run(ctx, at(day, 8))
        dispatch(at(day, 10))
    for day in (D("2026-10-06"), D("2026-10-07"), D("2026-10-08")):
        calls.log_call(ctx, "A", "no-answer", now=at(day, 9))
    daily_run.run(ctx, at(D("2026-10-21"), 8))
    letter = OutboxMessage.objects.get(customer=a, channel="registered_letter")
    for m in OutboxMessage.objects.filter(customer=a, status="awaiting_approval"):
        approvals.approve(ctx, m.id, at(D("2026-10-21"), 9))
    dispatch(at(D("2026-10-21"), 10))
    print_letters(ctx, D("2026-10-21"), tmp_path)
    outbox.record_registered(ctx, letter.id, "RR1", posted=D("2026-10-22"), now=at(D("2026-10-22"), 12))
    # 21 days after posting (Thu 12 Nov) without a delivery confirmation: held, for a person, and said
    rep = daily_run.run(ctx, at(D("2026-11-12"), 8))
    assert rep.held_back == [{"reason": "no_delivery_confirmation", "customers": 1}]
    assert "no delivery of the warning" in daily_run.explain(ctx, "A", at(D("2026-11-12"), 9), "en")


def test_stale_data_holds_every_stage_and_says_why(ctx, books, smtp):
    from gvia.store.models import ImportRun

    configure(ctx, smtp)
    c = books.customer("S", "Stale Ltd", language="en", email="s@stale.example")
    books.invoice(c, "9001", "1000.00", D("2026-10-20"))
    # last import on Sun 1 Nov; limit 3 business days. Thu 5 Nov is the 4th business day after.
    ImportRun.objects.create(organization=ctx.org, kind="invoices", file_name="x.csv", sha256="0" * 64,
                             at=at(D("2026-11-01"), 12))
    rep = daily_run.run(ctx, at(D("2026-11-05"), 8))
    assert rep.held_back == [{"reason": "stale_data", "customers": 1,
                              "details": {"last_import": "2026-11-01", "business_days": 4, "limit": 3}}]
    assert not OutboxMessage.objects.exists()
    assert "the ledger was last imported on 2026-11-01, 4 business days" in \
        daily_run.explain(ctx, "S", at(D("2026-11-05"), 9), "en")
    # a fresh import the same day: the reminder goes out (due 20 Oct + 7 = 27 Oct, long passed)
    ImportRun.objects.create(organization=ctx.org, kind="payments", file_name="y.csv", sha256="1" * 64,
                             at=at(D("2026-11-05"), 9))
    rep = daily_run.run(ctx, at(D("2026-11-05"), 10))
    assert rep.held_back == [] and rep.counts["enter_stage"] == 1
    assert OutboxMessage.objects.get(customer=c).stage_key == "reminder"


def test_a_reply_after_a_message_was_queued_makes_it_wait(ctx, books, smtp):
    configure(ctx, smtp)
    c = books.customer("R", "Reply Ltd", language="en", email="r@reply.example")
    books.invoice(c, "3001", "1000.00", D("2026-11-01"))
    daily_run.run(ctx, at(D("2026-11-08"), 8))            # Sun 8 Nov = due + 7: reminder queued
    add_activity(ctx, "R", "reply", "Paid yesterday, please check", now=at(D("2026-11-08"), 9))
    rep = dispatch(at(D("2026-11-08"), 10))
    assert (rep.sent, rep.deferred) == (0, 1)
    msg = OutboxMessage.objects.get(customer=c)
    # reply on 8 Nov pauses 5 days, through 13 Nov: it may leave on Sat 14 Nov at 09:00 — a day off,
    # so the sending window holds it until Sun 15 Nov
    assert msg.status == "queued" and msg.next_attempt_at == at(D("2026-11-14"), 9)
    assert dispatch(at(D("2026-11-12"), 10)).sent == 0
    assert dispatch(at(D("2026-11-15"), 10)).sent == 1
    assert len(smtp.handler.received) == 1
