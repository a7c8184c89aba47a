"""A connection dropped before the server acknowledged the end of the message (issue 14, finding 8):
retried when the server cannot have accepted it — no final reply, and the connection was lost
before the final "." was sent (or reset, which says the server never read it) — and uncertain
when it might have (a clean close after the "."). Real servers on loopback: aiosmtpd dropping in
the middle of DATA, and a raw one that leaves bytes of ours unread."""

from __future__ import annotations

import pytest

from gvia.channels.mime import Attachment, OutgoingEmail, build, recipients
from gvia.channels.smtp import SmtpSettings, TemporaryFailure, Uncertain, send
from tests.support.smtpd import DroppingAiosmtpd, DroppingServer


def normal_mail(attachment_kb: int = 60) -> OutgoingEmail:
    """A reminder with a letter of normal size attached (far less than the sockets' buffers)."""
    return OutgoingEmail(from_name="Gilboa", from_addr="billing@gilboa.co.il", to=["dana@customer.co.il"],
                         subject="Invoice 1043", text="Invoice 1043 is open.",
                         attachments=[Attachment("letter.pdf", b"%PDF-1.7 " + b"x" * (attachment_kb * 1024))])


@pytest.fixture
def dropping():
    server = DroppingAiosmtpd(drop_after=200)
    server.start()
    yield server
    server.stop()


def test_aiosmtpd_dropping_before_the_final_dot_is_retried(dropping):
    mail = normal_mail()
    seen: list[str] = []

    def checkpoint(name: str) -> None:
        seen.append(name)
        if name == "body_sent":          # the server hangs up while the end of the message is unsent
            assert dropping.dropped.wait(10)

    # a clean close, or — when our last bytes were still unread in its socket as it closed (a busy
    # machine's timing) — a reset: either way the end never left, and the message is retried
    with pytest.raises(TemporaryFailure, match="closed the connection before the end|reset the connection without "
                                               "reading the end") as failed:
        send(SmtpSettings(host=dropping.hostname, port=dropping.port, timeout=5), build(mail), mail.from_addr,
             recipients(mail), checkpoint)
    if "closed the connection" in str(failed.value):
        assert seen == ["body_sent"]     # seen closed before the final dot: it never left
    else:                                # the dot went into our socket, and the server's reset says it never read it
        assert seen == ["body_sent", "data_sent"]
    assert dropping.whole_messages == 0 and dropping.handler.received == []


def test_a_server_leaving_our_bytes_unread_resets_and_is_retried():
    """The raw server reads 8 KB at a time and hangs up after 200 bytes of the message: the rest of
    a normal-size message, the final dot with it, is never read — its TCP resets the connection."""
    server = DroppingServer("mid_data")
    mail = normal_mail()
    try:
        with pytest.raises(TemporaryFailure):
            send(SmtpSettings(host=server.host, port=server.port, timeout=5), build(mail), mail.from_addr,
                 recipients(mail))
        assert server.completed_messages == 0
    finally:
        server.stop()


def test_a_clean_close_after_the_final_dot_stays_uncertain():
    server = DroppingServer("after_dot")
    mail = normal_mail()
    try:
        with pytest.raises(Uncertain):
            send(SmtpSettings(host=server.host, port=server.port, timeout=5), build(mail), mail.from_addr,
                 recipients(mail))
        assert server.completed_messages == 1
    finally:
        server.stop()
