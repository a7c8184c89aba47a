"""Reading the reply mailbox from a real IMAP server (dovecot on loopback, tests/support/imapd.py)."""

from __future__ import annotations

import itertools

import pytest

from gvia.channels.imap import MailboxError, MailboxSettings, check, parse_message, read_new

pytestmark = pytest.mark.imap
_users = itertools.count(1)


@pytest.fixture
def box(dovecot):
    user = f"channel{next(_users)}@gilboa.test"
    dovecot.add_user(user, "s3cret")
    return dovecot, user, MailboxSettings("127.0.0.1", dovecot.port, user, "s3cret", security="none")


def _mail(n: int, extra: str = "") -> bytes:
    return (f"From: =?utf-8?b?15PXoNeUINec15XXmQ==?= <Dana@Acme.test>\r\nTo: billing@gilboa.test\r\n"
            f"Subject: Re: invoice {n}\r\nMessage-ID: <m{n}@acme.test>\r\nIn-Reply-To: <out{n}@gilboa.test>\r\n"
            f"References: <first@gilboa.test> <out{n}@gilboa.test>\r\nDate: Tue, 8 Dec 2026 10:00:00 +0200\r\n"
            f"{extra}Content-Type: text/plain; charset=utf-8\r\n\r\nנשלם ביום ראשון {n}\r\n").encode()


def test_new_messages_are_read_once_and_left_unread(box):
    server, user, settings = box
    for n in (1, 2):
        server.append(user, _mail(n))
    first = read_new(settings, 0, None)
    assert [m.uid for m in first.messages] == [1, 2]
    m = first.messages[0]
    assert (m.message_id, m.from_addr, m.from_name, m.subject) == ("<m1@acme.test>", "dana@acme.test", "דנה לוי",
                                                                   "Re: invoice 1")
    assert m.answers == ("<out1@gilboa.test>", "<first@gilboa.test>")
    assert m.text == "נשלם ביום ראשון 1" and m.date is not None and m.date.isoformat() == "2026-12-08T10:00:00+02:00"
    assert read_new(settings, 2, first.uidvalidity).messages == []   # nothing new (UID 3:* names UID 2)
    server.append(user, _mail(3))
    assert [m.uid for m in read_new(settings, 2, first.uidvalidity).messages] == [3]
    assert [m.uid for m in read_new(settings, 2, first.uidvalidity + 1).messages] == [1, 2, 3]  # UIDVALIDITY changed
    imap = server.connect(user)
    imap.select("INBOX")
    assert imap.search(None, "UNSEEN")[1][0].split() == [b"1", b"2", b"3"]   # still unread for people
    imap.logout()
    assert check(settings) == 3


def test_limit_and_large_messages(box):
    server, user, settings = box
    for n in range(1, 5):
        server.append(user, _mail(n))
    batch = read_new(settings, 0, None, limit=2, max_bytes=10)
    assert [(m.uid, m.too_large, m.message_id) for m in batch.messages] == [(1, True, ""), (2, True, "")]


@pytest.mark.parametrize("change, code", [({"password": "wrong"}, "login"), ({"folder": "Nope"}, "folder"),
                                          ({"port": 1}, "connect")])
def test_what_goes_wrong_is_a_code(box, change, code):
    _server, _user, settings = box
    from dataclasses import replace
    with pytest.raises(MailboxError) as err:
        read_new(replace(settings, **change), 0, None)
    assert err.value.code == code


def test_a_delivery_status_notification():
    raw = (b"From: MAILER-DAEMON@mx.acme.test\r\nTo: billing@gilboa.test\r\nSubject: Undelivered Mail Returned\r\n"
           b"Message-ID: <dsn1@mx.acme.test>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n"
           b"--B\r\nContent-Type: text/plain\r\n\r\nThis is the mail system.\r\n"
           b"--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.acme.test\r\n\r\n"
           b"Final-Recipient: rfc822; Old@Acme.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"
           b"Diagnostic-Code: smtp; 550 5.1.1 <old@acme.test>: Recipient address rejected\r\n\r\n"
           b"Final-Recipient: rfc822; slow@acme.test\r\nAction: delayed\r\nStatus: 4.4.1\r\n\r\n"
           b"--B\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: billing@gilboa.test\r\n"
           b"Message-ID: <out7@gilboa.test>\r\nSubject: Invoice 7\r\n\r\n--B--\r\n")
    m = parse_message(raw, 9)
    assert m.is_report and m.text == ""
    assert [(f.address, f.status) for f in m.failed] == [("old@acme.test", "5.1.1")]
    assert "Recipient address rejected" in m.failed[0].diagnostic
    assert m.bounced_message_id == "<out7@gilboa.test>" and m.answers == ("<out7@gilboa.test>",)
    assert m.auto_headers == {"auto-submitted": "auto-replied"}


def test_html_only_reply_reads_as_text():
    raw = (b"From: a@acme.test\r\nMessage-ID: <h@acme.test>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
           b"<html><body><p>We&#39;ll pay on Friday.</p><blockquote>old</blockquote></body></html>")
    assert parse_message(raw, 1).text == "We'll pay on Friday."
