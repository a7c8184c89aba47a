"""The SMTP channel against real servers on loopback."""

from __future__ import annotations

import pytest

from gvia.channels.mime import Attachment, OutgoingEmail, build, new_message_id, recipients
from gvia.channels.smtp import PermanentFailure, SmtpSender, SmtpSettings, TemporaryFailure, Uncertain, send
from tests.support.smtpd import DroppingServer, start_smtp

HEBREW_SUBJECT = "תזכורת: חשבונית 1043 פתוחה"


def hebrew_mail() -> OutgoingEmail:
    return OutgoingEmail(
        from_name="גלבוע ציוד משרדי בע\"מ", from_addr="billing@gilboa.co.il", to=["dana@customer.co.il"],
        cc=["cfo@customer.co.il"], reply_to="collections@gilboa.co.il", subject=HEBREW_SUBJECT,
        text="שלום דנה,\nחשבונית 1043 על סך ₪1,250.00 עדיין פתוחה.",
        html='<html dir="rtl" lang="he"><body><p>חשבונית <bdi>1043</bdi></p></body></html>',
        attachments=[Attachment("דף חשבון.pdf", b"%PDF-1.7 test")],
        message_id=new_message_id("case:7:cycle:1:stage:reminder:email", "billing@gilboa.co.il"))


@pytest.fixture
def server():
    s = start_smtp()
    yield s
    s.stop()


def settings_for(s) -> SmtpSettings:
    return SmtpSettings(host=s.host, port=s.port, timeout=5)


def test_server_receives_encoded_hebrew_subject_alternatives_and_attachment(server):
    mail = hebrew_mail()
    accepted = send(settings_for(server), build(mail), mail.from_addr, recipients(mail))
    assert accepted.reply.startswith("250")
    [got] = server.handler.received
    assert got.mail_from == "billing@gilboa.co.il"
    assert got.rcpt_tos == ["dana@customer.co.il", "cfo@customer.co.il"]
    raw = got.data.decode("ascii")  # everything on the wire is 7-bit/encoded
    assert "Subject: =?utf-8?" in raw
    msg = got.message
    assert msg["Subject"] == HEBREW_SUBJECT
    assert msg["Reply-To"] == "collections@gilboa.co.il"
    assert msg["Message-ID"].endswith("@gilboa.co.il>") and "case.7.cycle.1" in msg["Message-ID"]
    assert "גלבוע" in str(msg["From"])
    body = msg.get_body(("plain",)).get_content()
    assert "₪1,250.00" in body
    html = msg.get_body(("html",)).get_content()
    assert 'dir="rtl"' in html
    [att] = list(msg.iter_attachments())
    assert att.get_filename() == "דף חשבון.pdf"
    assert att.get_content() == b"%PDF-1.7 test"


def test_451_is_a_temporary_failure(server):
    server.handler.data_reply = "451 4.3.0 Try again later"
    mail = hebrew_mail()
    with pytest.raises(TemporaryFailure, match="451"):
        send(settings_for(server), build(mail), mail.from_addr, recipients(mail))
    assert server.handler.received == []


def test_550_recipient_is_a_permanent_failure(server):
    server.handler.rcpt_reply = "550 5.1.1 No such user"
    mail = hebrew_mail()
    with pytest.raises(PermanentFailure, match="550"):
        send(settings_for(server), build(mail), mail.from_addr, recipients(mail))


def test_refused_connection_is_temporary():
    with pytest.raises(TemporaryFailure, match="cannot connect"):
        send(SmtpSettings(host="127.0.0.1", port=1, timeout=2), build(hebrew_mail()), "a@b.co", ["c@d.co"])


def test_drop_in_the_middle_of_the_message_is_temporary_not_delivered():
    s = DroppingServer("mid_data")
    big = OutgoingEmail(from_name="A", from_addr="a@b.co", to=["c@d.co"], subject="big", text="x",
                        attachments=[Attachment("case-file.pdf", b"%PDF" + bytes(4 * 1024 * 1024))])
    try:
        with pytest.raises(TemporaryFailure, match="before the message was complete"):
            send(SmtpSettings(host=s.host, port=s.port, timeout=5), build(big), "a@b.co", ["c@d.co"])
        assert s.completed_messages == 0
    finally:
        s.stop()


def test_drop_after_the_final_dot_is_uncertain():
    s = DroppingServer("after_dot")
    try:
        with pytest.raises(Uncertain):
            send(SmtpSettings(host=s.host, port=s.port, timeout=5), build(hebrew_mail()), "a@b.co", ["c@d.co"])
        assert s.completed_messages == 1
    finally:
        s.stop()


def test_one_connection_serves_many_messages_and_recovers_after_an_error(server):
    sender = SmtpSender(settings_for(server))
    mail = hebrew_mail()
    try:
        for _ in range(3):
            sender.send(build(mail), mail.from_addr, recipients(mail))
        server.handler.data_reply = "451 later"
        with pytest.raises(TemporaryFailure):
            sender.send(build(mail), mail.from_addr, recipients(mail))
        server.handler.data_reply = None
        sender.send(build(mail), mail.from_addr, recipients(mail))
    finally:
        sender.close()
    assert len(server.handler.received) == 4


def test_leading_dots_survive_transparency(server):
    mail = OutgoingEmail(from_name="A", from_addr="a@b.co", to=["c@d.co"], subject="dots",
                         text="line one\n.hidden line\n..two dots\n")
    send(settings_for(server), build(mail), mail.from_addr, recipients(mail))
    body = server.handler.received[0].message.get_body(("plain",)).get_content()
    assert ".hidden line" in body and "..two dots" in body


def test_no_header_injection_and_long_message_id_stays_on_one_line(server):
    mail = OutgoingEmail(from_name="A", from_addr="a@b.co", to=["c@d.co"], subject="hi\r\nBcc: evil@x.co",
                         text="x", message_id="<" + "k" * 120 + "@b.co>")
    send(settings_for(server), build(mail), mail.from_addr, recipients(mail))
    got = server.handler.received[0]
    assert got.rcpt_tos == ["c@d.co"]
    assert b"\r\nBcc:" not in got.data
    assert got.message["Message-ID"] == "<" + "k" * 120 + "@b.co>"


def test_ascii_bodies_stay_readable_hebrew_bodies_are_base64(server):
    en = OutgoingEmail(from_name="A", from_addr="a@b.co", to=["c@d.co"], subject="Reminder",
                       text="Invoice 1043 is open")
    send(settings_for(server), build(en), en.from_addr, recipients(en))
    send(settings_for(server), build(hebrew_mail()), "a@b.co", ["c@d.co"])
    ascii_raw, hebrew = server.handler.received
    assert b"Content-Transfer-Encoding: quoted-printable" in ascii_raw.data
    assert b"Invoice 1043 is open" in ascii_raw.data
    assert b"Content-Transfer-Encoding: base64" in hebrew.data
    assert hebrew.message.get_body(("plain",)).get_content().startswith("שלום דנה")
