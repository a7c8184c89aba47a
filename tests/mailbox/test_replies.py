"""Replies read from the reply mailbox (issue 16), against a real IMAP server: dovecot on
loopback (tests/support/imapd.py), messages delivered with IMAP APPEND.

The path of a reply: placed by its thread (In-Reply-To / References against gvia's Message-IDs)
or by the sender's address, recorded on the timeline without the quoted history, the case paused
for the reply days, a task to read it, a promise suggested from its words; auto-replies recorded
without pausing; a bounce marks the address failing and asks for a working contact; a message
from nobody known waits to be assigned; each message placed once however often it is read.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from gvia.core.errors import Refused
from gvia.services.arrangements import suggestions
from gvia.services.engine import daily_run
from gvia.services.mailbox import unmatched
from gvia.services.mailbox.placing import address_works
from gvia.services.mailbox.reading import check_mailbox, due_for_poll, poll, poll_due, set_mailbox
from gvia.services.sending.compose import recipients_for
from gvia.store.models import Activity, Contact, OutboxMessage, Promise, Task
from gvia.store.models_inbound import FailingAddress, InboundMail, MailboxState, SuggestedPromise
from tests.services.conftest import Books

pytestmark = [pytest.mark.django_db, pytest.mark.imap]
IL = ZoneInfo("Asia/Jerusalem")
_users = itertools.count(1)


def at(d: date, hour: int = 9) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=IL).astimezone(timezone.utc)


@pytest.fixture
def mailbox(ctx, dovecot):
    user = f"replies{next(_users)}@gilboa.test"
    dovecot.add_user(user, "Reply-box-2026")
    set_mailbox(ctx, {"host": "127.0.0.1", "port": str(dovecot.port), "user": user, "password": "Reply-box-2026",
                      "security": "none"})
    return lambda raw: dovecot.append(user, raw)


@pytest.fixture
def case(ctx):
    """A customer with an overdue invoice whose first reminder gvia sent (its Message-ID known)."""
    books = Books(ctx)
    c = books.customer("R", "Rimon Ltd", language="he", email="office@rimon.test")
    Contact.objects.create(customer=c, name="Dana", email="Dana@Rimon.test", is_billing=True)
    inv = books.invoice(c, "R1", "8000.00", date(2026, 11, 1))
    inv.allocation_number = "123456789"
    inv.save(update_fields=["allocation_number"])
    daily_run.run(ctx, at(date(2026, 11, 10)))
    out = OutboxMessage.objects.get(customer=c)
    OutboxMessage.objects.filter(id=out.id).update(status="sent", message_id="<r1.stage1@gilboa.co.il>")
    return c


def mail(mid: str, sender: str, body: str, subject: str = "Re: חשבונית R1", in_reply_to: str = "",
         headers: str = "", when: str = "Thu, 12 Nov 2026 10:00:00 +0200") -> bytes:
    thread = f"In-Reply-To: {in_reply_to}\r\nReferences: {in_reply_to}\r\n" if in_reply_to else ""
    return (f"From: {sender}\r\nTo: billing@gilboa.co.il\r\nSubject: {subject}\r\nMessage-ID: {mid}\r\n{thread}"
            f"Date: {when}\r\n{headers}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"Content-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n").encode()


REPLY = ('שלום,\nנעביר 5,000 ש"ח ביום ראשון והיתרה בהמשך.\n\nב-10 בנוב׳ 2026, 9:00, גלבוע כתב:\n'
         '> חשבונית R1 על סך 8,000 ש"ח טרם שולמה\n')


def test_a_reply_in_the_thread_pauses_the_case_and_suggests_a_promise(ctx, case, mailbox):
    mailbox(mail("<a1@rimon.test>", "Someone Else <finance@other.test>", REPLY,
                 in_reply_to="<r1.stage1@gilboa.co.il>", when="Thu, 19 Nov 2026 10:00:00 +0200"))
    report = poll(ctx, at(date(2026, 11, 19), 11))
    assert (report.read, report.placed, report.unmatched, report.error) == (1, {"reply": 1}, 0, "")
    row = InboundMail.objects.get()
    assert (row.customer, row.matched_by, row.kind, row.answers.customer) == (case, "thread", "reply", case)
    reply = Activity.objects.get(customer=case, kind=Activity.Kind.MESSAGE_IN)
    assert reply.text == 'שלום,\nנעביר 5,000 ש"ח ביום ראשון והיתרה בהמשך.'          # quoted history removed
    assert reply.data["from"] == "finance@other.test" and reply.date == date(2026, 11, 19)
    assert Task.objects.get(customer=case, kind=Task.Kind.REPLY).open                  # flagged for reading
    s = SuggestedPromise.objects.get(customer=case)
    # Thursday 19 Nov: "ביום ראשון" is Sunday 22 Nov
    assert (s.sentence, s.due, s.amount_minor, s.currency, s.source) == (
        'נעביר 5,000 ש"ח ביום ראשון והיתרה בהמשך.', date(2026, 11, 22), 500000, "ILS", "reply")
    # the second stage (due + 21: Sunday 22 Nov) waits out the policy's 5 reply days (through 24 Nov)
    assert {"reason": "reply_pause", "customers": 1} in daily_run.run(ctx, at(date(2026, 11, 22))).held_back

    promise = suggestions.confirm(ctx, s.id, now=at(date(2026, 11, 22), 12))
    assert (promise.amount_minor, promise.due, promise.source) == (500000, date(2026, 11, 22), Promise.Source.EMAIL)
    assert promise.note == s.sentence
    with pytest.raises(Refused):
        suggestions.confirm(ctx, s.id, now=at(date(2026, 11, 22), 12))


def test_each_message_is_placed_once(ctx, case, mailbox):
    mailbox(mail("<a1@rimon.test>", "dana@rimon.test", "We will pay by Friday."))
    assert poll(ctx, at(date(2026, 11, 12), 11)).placed == {"reply": 1}
    assert poll(ctx, at(date(2026, 11, 12), 12)).read == 0                  # nothing new
    MailboxState.objects.update(last_uid=0)                                 # read again from the start
    again = poll(ctx, at(date(2026, 11, 12), 13))
    assert (again.read, again.skipped, again.placed) == (1, 1, {})
    MailboxState.objects.update(last_uid=0, uidvalidity=1)                  # the folder's UIDVALIDITY changed
    assert poll(ctx, at(date(2026, 11, 12), 14)).skipped == 1
    assert InboundMail.objects.count() == 1 and Activity.objects.filter(kind="message_in").count() == 1
    row = InboundMail.objects.get()
    assert (row.matched_by, row.customer) == ("address", case)               # a contact's address, any case


def test_a_message_that_cannot_be_placed_does_not_hold_up_the_next(ctx, case, mailbox, monkeypatch):
    from gvia.services.mailbox import reading

    real = reading.place

    def failing(ctx, msg, *args):
        if msg.uid == 1:
            raise ValueError("something gvia did not foresee")
        return real(ctx, msg, *args)

    monkeypatch.setattr(reading, "place", failing)
    mailbox(mail("<f1@rimon.test>", "dana@rimon.test", "first"))
    mailbox(mail("<f2@rimon.test>", "dana@rimon.test", "second"))
    report = poll(ctx, at(date(2026, 11, 12), 11))
    assert (report.read, report.placed, report.unmatched) == (2, {"reply": 2}, 1)
    first = InboundMail.objects.get(uid=1)
    assert (first.status, first.data, first.text) == ("unmatched", {"error": "ValueError"}, "first")
    assert InboundMail.objects.get(uid=2).customer == case and MailboxState.objects.get().last_uid == 2


@pytest.mark.parametrize("subject, headers", [
    ("Out of Office: Re: invoice R1", ""),
    ("מחוץ למשרד", ""),
    ("Re: invoice R1", "Auto-Submitted: auto-replied\r\n"),
    ("Re: invoice R1", "Precedence: auto_reply\r\n"),
])
def test_an_automatic_answer_is_recorded_but_does_not_pause(ctx, case, mailbox, subject, headers):
    mailbox(mail("<ooo@rimon.test>", "dana@rimon.test", "I am away until 1/12.", subject=subject, headers=headers,
                 in_reply_to="<r1.stage1@gilboa.co.il>"))
    assert poll(ctx, at(date(2026, 11, 12), 11)).placed == {"auto_reply": 1}
    assert not Activity.objects.filter(kind=Activity.Kind.MESSAGE_IN).exists()
    line = Activity.objects.get(customer=case, data__event="mail.auto_reply")
    assert line.text == "I am away until 1/12."
    assert not Task.objects.filter(kind=Task.Kind.REPLY).exists() and not SuggestedPromise.objects.exists()


BOUNCE = ("From: MAILER-DAEMON@mx.rimon.test\r\nTo: billing@gilboa.co.il\r\nSubject: Undelivered Mail Returned\r\n"
          "Message-ID: <dsn1@mx.rimon.test>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
          "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n"
          "--B\r\nContent-Type: text/plain\r\n\r\nThis is the mail system.\r\n"
          "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.rimon.test\r\n\r\n"
          "Final-Recipient: rfc822; {rcpt}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
          "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n"
          "--B\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: billing@gilboa.co.il\r\n"
          "Message-ID: {original}\r\n\r\n--B--\r\n")


def test_a_bounce_marks_the_address_failing_and_asks_for_a_working_contact(ctx, case, mailbox):
    mailbox(BOUNCE.format(rcpt="office@rimon.test", original="<r1.stage1@gilboa.co.il>").encode())
    assert poll(ctx, at(date(2026, 11, 12), 11)).placed == {"bounce": 1}
    failing = FailingAddress.objects.get()
    assert (failing.address, failing.customer, failing.status) == ("office@rimon.test", case, "5.1.1")
    task = Task.objects.get(kind=Task.Kind.FOLLOW_UP, customer=case)
    assert task.data["reason"] == "address_failing" and task.data["address"] == "office@rimon.test"
    assert not Activity.objects.filter(kind=Activity.Kind.MESSAGE_IN).exists()      # a bounce does not pause


def test_messages_leave_out_a_failing_address_until_it_works_again(ctx, case, mailbox):
    assert recipients_for(case) == (["Dana@Rimon.test"], [])                     # the billing contact
    mailbox(BOUNCE.format(rcpt="dana@rimon.test", original="<r1.stage1@gilboa.co.il>").encode())
    poll(ctx, at(date(2026, 11, 12), 11))
    assert recipients_for(case) == (["office@rimon.test"], [])                   # the customer's own
    assert address_works(ctx, "Dana@Rimon.test") == 1
    assert recipients_for(case) == (["Dana@Rimon.test"], [])
    assert not Task.objects.get(key="bounce:dana@rimon.test").open
    mailbox(BOUNCE.format(rcpt="dana@rimon.test", original="<r1.stage1@gilboa.co.il>")
            .replace("<dsn1@mx.rimon.test>", "<dsn2@mx.rimon.test>").encode())   # it bounces again
    poll(ctx, at(date(2026, 11, 13), 11))
    assert recipients_for(case) == (["office@rimon.test"], [])
    assert Task.objects.get(key="bounce:dana@rimon.test").open                   # asked again


def test_a_message_from_nobody_known_waits_to_be_assigned(ctx, case, mailbox):
    mailbox(mail("<x1@gmail.test>", "Yossi <yossi@gmail.test>", "We'll pay $300 tomorrow, this is Rimon's owner."))
    report = poll(ctx, at(date(2026, 11, 12), 11))
    assert (report.placed, report.unmatched) == ({"reply": 1}, 1)
    [row] = unmatched.unmatched(ctx)
    assert row.customer is None and not Activity.objects.filter(kind="message_in").exists()
    unmatched.assign(ctx, row.id, "R", now=at(date(2026, 11, 12), 12))
    row.refresh_from_db()
    assert (row.status, row.matched_by, row.customer) == ("assigned", "person", case)
    assert Activity.objects.get(kind="message_in").customer == case
    s = SuggestedPromise.objects.get()
    assert (s.due, s.amount_minor, s.currency) == (date(2026, 11, 13), 30000, "USD")
    assert list(unmatched.unmatched(ctx)) == []
    with pytest.raises(Refused):
        unmatched.dismiss(ctx, row.id)


def test_the_password_is_sealed_and_a_wrong_one_is_an_error_code(ctx, mailbox):
    assert ctx.org.settings["mailbox.password"].startswith("sealed:v1:")
    assert check_mailbox(ctx) == 0
    set_mailbox(ctx, {"password": "wrong"})
    with pytest.raises(Refused) as refused:
        check_mailbox(ctx)
    assert refused.value.code == "mailbox_login"
    assert poll(ctx, at(date(2026, 11, 12))).error == "login"
    assert MailboxState.objects.get().error_code == "login"


def test_the_worker_polls_each_mailbox_at_its_interval(ctx, case, mailbox):
    now = at(date(2026, 11, 12))
    assert due_for_poll(now) == [ctx.org]
    mailbox(mail("<w1@rimon.test>", "dana@rimon.test", "Paid today."))
    said: list[str] = []
    assert poll_due(now, said.append) == 1
    assert said == [f"reply mailbox of {ctx.org.slug}: 1 read (reply 1; unmatched 0)"]
    assert due_for_poll(now) == []
    assert due_for_poll(at(date(2026, 11, 12), 9).replace(minute=5)) == [ctx.org]        # mailbox.poll_minutes: 5
