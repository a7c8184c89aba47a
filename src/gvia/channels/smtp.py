"""Sending over SMTP with an honest account of what happened.

The send is split in phases so a failure can be classified exactly:
- before the end of DATA was written, nothing was delivered: temporary failures (4xx,
  timeouts, refused or dropped connections) are retried, permanent ones (5xx) are not;
- before the final "." is written the connection is checked (checkpoint ``body_sent``): a
  server that has already hung up cannot have accepted the message, which is retried;
- after the final "." was written but before the server's reply was read, the server may or
  may not have accepted the message: that is :class:`Uncertain`, never retried automatically —
  unless the connection was *reset*: a server's TCP resets the connection when it closes with
  bytes of ours unread, or when bytes of ours arrive after it closed, so a reset (and nothing
  sent after the ".") means the server never read the final ".", and it cannot have accepted
  the message: retried. A clean close (or a timeout) after the "." stays :class:`Uncertain`.
"""

from __future__ import annotations

import re
import select
import smtplib
import socket
import ssl
import time
from dataclasses import dataclass
from email.message import Message
from typing import Callable


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: str = ""
    password: str = ""
    security: str = "none"  # none | starttls | ssl
    timeout: float = 30.0
    mail_from: str = ""


class SendError(Exception):
    """Base of send failures."""


class TemporaryFailure(SendError):
    """Not delivered; try again later (4xx, timeout, refused or dropped connection)."""


class PermanentFailure(SendError):
    """Not delivered and retrying will not help (5xx, invalid address)."""


class Uncertain(SendError):
    """The message may or may not have been accepted; a person must decide."""


@dataclass(frozen=True)
class Accepted:
    reply: str  # e.g. "250 2.0.0 Ok: queued as 4Bq..."


Checkpoint = Callable[[str], None]
IDLE_CHECK_SECONDS = 5.0


def dot_stuff(data: bytes) -> bytes:
    """CRLF line ends and doubled leading dots (RFC 5321 4.5.2), ending in CRLF."""
    data = re.sub(rb"(?:\r\n|\n|\r(?!\n))", b"\r\n", data)
    data = re.sub(rb"(?m)^\.", b"..", data)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def _noop(_: str) -> None:
    return None


def _classify(code: int, text: str) -> SendError:
    if 400 <= code < 500:
        return TemporaryFailure(f"{code} {text}")
    return PermanentFailure(f"{code} {text}")


class SmtpSender:
    """One SMTP connection reused for many messages (reconnects after any failure)."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self.conn: smtplib.SMTP | None = None
        self.clean = False   # the last transaction on this connection ended with the server's reply
        self.last_used = 0.0

    def _connect(self) -> smtplib.SMTP:
        st = self.settings
        try:
            conn: smtplib.SMTP
            if st.security == "ssl":
                conn = smtplib.SMTP_SSL(st.host, st.port, timeout=st.timeout, context=ssl.create_default_context())
            else:
                conn = smtplib.SMTP(st.host, st.port, timeout=st.timeout)
            conn.ehlo()
            if st.security == "starttls":
                conn.starttls(context=ssl.create_default_context())
                conn.ehlo()
            if st.user:
                conn.login(st.user, st.password)
            _no_delay(conn)
            return conn
        except smtplib.SMTPResponseException as exc:
            raise _classify(exc.smtp_code, _text(exc.smtp_error)) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporaryFailure(f"cannot connect to {st.host}:{st.port}: {exc}") from None

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except Exception:
                try:
                    self.conn.close()
                except Exception:
                    pass
            self.conn = None

    def send(self, msg: Message, envelope_from: str, rcpts: list[str],
             checkpoint: Checkpoint = _noop, raw: bytes | None = None) -> Accepted:
        """Send one message (``raw``: its bytes, when already made). Raises TemporaryFailure,
        PermanentFailure or Uncertain."""
        try:
            return self._send(msg.as_bytes() if raw is None else raw, envelope_from, rcpts, checkpoint)
        except SendError:
            self.close()
            raise

    def _send(self, raw: bytes, envelope_from, rcpts, checkpoint) -> Accepted:
        # RSET checks a connection that is not known to be fresh and clean (and reconnects if it died)
        if self.conn is not None and (not self.clean or time.monotonic() - self.last_used > IDLE_CHECK_SECONDS):
            try:
                code, _ = self.conn.rset()
                if code != 250:
                    self.close()
            except (OSError, smtplib.SMTPException):
                self.close()
        if self.conn is None:
            self.conn = self._connect()
        self.clean = False
        conn = self.conn
        refusals: list[tuple[str, int, str]] = []
        try:
            code, text = conn.mail(envelope_from)
            if code != 250:
                raise _classify(code, _text(text))
            accepted = 0
            for r in rcpts:
                code, text = conn.rcpt(r)
                if code in (250, 251):
                    accepted += 1
                else:
                    refusals.append((r, code, _text(text)))
            if not accepted:
                worst = max(refusals, key=lambda x: x[1]) if refusals else ("", 554, "no recipients")
                raise _classify(worst[1], f"recipient {worst[0]} refused: {worst[2]}")
            code, text = conn.docmd("DATA")
            if code != 354:
                raise _classify(code, _text(text))
            conn.send(dot_stuff(raw))
            checkpoint("body_sent")
            if _peer_closed(conn):
                raise TemporaryFailure("the server closed the connection before the end of the message")
        except SendError:
            raise
        except smtplib.SMTPResponseException as exc:
            raise _classify(exc.smtp_code, _text(exc.smtp_error)) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporaryFailure(f"connection failed before the message was complete: {exc}") from None
        try:
            conn.send(b".\r\n")
        except (OSError, smtplib.SMTPException) as exc:
            # the end of the message never left: the server cannot have accepted it
            raise TemporaryFailure(f"connection failed before the end of the message was sent: {exc}") from None
        # From here on the server may hold the whole message.
        try:
            checkpoint("data_sent")
            code, text = conn.getreply()
        except (OSError, smtplib.SMTPException) as exc:
            if _was_reset(exc):
                raise TemporaryFailure("the server reset the connection without reading the end of the message "
                                       f"(it cannot have accepted it): {exc}") from None
            raise Uncertain("the connection failed after the message was sent, before the server answered: "
                            f"{exc}") from None
        if code == 250:
            self.clean = True     # a new MAIL FROM may follow directly (RFC 5321 4.1.4)
            self.last_used = time.monotonic()
            reply = f"{code} {_text(text)}"
            if refusals:
                reply += " (refused: " + "; ".join(f"{r} {c} {t}" for r, c, t in refusals) + ")"
            return Accepted(reply)
        raise _classify(code, _text(text))


def _no_delay(conn: smtplib.SMTP) -> None:
    """Send each command at once: without it, the final "." of a message waits for the
    server's delayed acknowledgement of the body (Nagle), some 40 ms per message."""
    if conn.sock is None:       # not connected: nothing to set
        return
    try:
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except (OSError, AttributeError):
        pass


def _peer_closed(conn: smtplib.SMTP) -> bool:
    """True when the server has already hung up (it cannot have accepted an unfinished message)."""
    sock = conn.sock
    if sock is None:
        return True
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return False
        return sock.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


def _was_reset(exc: BaseException) -> bool:
    """The connection was reset by the peer (smtplib wraps the OSError of a read in
    SMTPServerDisconnected, keeping it as the context)."""
    seen: BaseException | None = exc
    for _ in range(3):
        if seen is None:
            return False
        if isinstance(seen, (ConnectionResetError, BrokenPipeError)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _text(v) -> str:
    return v.decode(errors="replace") if isinstance(v, bytes) else str(v)


def send(settings: SmtpSettings, msg: Message, envelope_from: str, rcpts: list[str],
         checkpoint: Checkpoint = _noop) -> Accepted:
    """Send one message on a connection of its own."""
    sender = SmtpSender(settings)
    try:
        return sender.send(msg, envelope_from, rcpts, checkpoint)
    finally:
        sender.close()


def check_connection(settings: SmtpSettings) -> str:
    """Connect, greet and log in; return the server's greeting. Raises SendError on failure."""
    try:
        conn = (smtplib.SMTP_SSL if settings.security == "ssl" else smtplib.SMTP)(
            settings.host, settings.port, timeout=settings.timeout)
        code, text = conn.ehlo()
        if settings.security == "starttls":
            conn.starttls(context=ssl.create_default_context())
            conn.ehlo()
        if settings.user:
            conn.login(settings.user, settings.password)
        conn.quit()
        return f"{code} {text.decode(errors='replace').splitlines()[0]}"
    except (OSError, smtplib.SMTPException, socket.timeout) as exc:
        raise TemporaryFailure(f"{settings.host}:{settings.port}: {exc}") from None
