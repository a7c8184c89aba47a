"""Real SMTP servers on loopback for tests: aiosmtpd, plus a raw one that misbehaves on purpose."""

from __future__ import annotations

import email
import socket
import threading
from dataclasses import dataclass
from email import policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.data, policy=policy.default)


class Recorder:
    """aiosmtpd handler that keeps what it receives and can be told to answer with an error."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.data_reply: str | None = None   # e.g. "451 4.3.0 try later" or "550 5.1.1 no such user"
        self.rcpt_reply: str | None = None
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content
                                          or envelope.content))
        return f"250 2.0.0 Ok: queued as Q{len(self.received)}"


@dataclass
class SmtpServer:
    host: str
    port: int
    handler: Recorder
    controller: Controller

    def stop(self) -> None:
        self.controller.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_smtp(handler: Recorder | None = None) -> SmtpServer:
    handler = handler or Recorder()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, data_size_limit=50 * 1024 * 1024)
    controller.start()
    return SmtpServer("127.0.0.1", port, handler, controller)


class DroppingServer:
    """A raw SMTP server that drops the connection at a chosen moment:
    ``mid_data`` — after reading part of the message; ``after_dot`` — after the whole message,
    before answering."""

    def __init__(self, when: str):
        self.when = when
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self.host = "127.0.0.1"
        self.completed_messages = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.running = True
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn: socket.socket) -> None:
        f = conn.makefile("rb")
        try:
            conn.sendall(b"220 test ESMTP\r\n")
            in_data = False
            seen = 0
            while True:
                line = f.readline()
                if not line:
                    return
                if in_data:
                    seen += len(line)
                    if self.when == "mid_data" and seen > 200:
                        return
                    if line == b".\r\n":
                        self.completed_messages += 1
                        if self.when == "after_dot":
                            return
                        conn.sendall(b"250 OK\r\n")
                        in_data = False
                    continue
                cmd = line.strip().upper()
                if cmd.startswith(b"EHLO") or cmd.startswith(b"HELO"):
                    conn.sendall(b"250 test\r\n")
                elif cmd.startswith(b"DATA"):
                    conn.sendall(b"354 go ahead\r\n")
                    in_data = True
                elif cmd.startswith(b"QUIT"):
                    conn.sendall(b"221 bye\r\n")
                    return
                else:
                    conn.sendall(b"250 OK\r\n")
        finally:
            conn.close()

    def stop(self) -> None:
        self.running = False
        self.sock.close()


class _DroppingSMTP(SMTP):
    """aiosmtpd's SMTP session that, in DATA, reads ``drop_after`` bytes of the message and then
    hangs up without answering (its transport closed, as a crashing or overloaded server does)."""

    def __init__(self, handler, *, dropper: "DroppingAiosmtpd", **kwargs):
        super().__init__(handler, **kwargs)
        self.dropper = dropper

    async def smtp_DATA(self, arg: str) -> None:
        if not self.envelope.rcpt_tos:
            return await super().smtp_DATA(arg)
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        seen = 0
        while seen < self.dropper.drop_after:
            line = await self._reader.readuntil(b"\r\n")
            if line == b".\r\n":
                self.dropper.whole_messages += 1
                break
            seen += len(line)
        self.transport.close()
        self.dropper.dropped.set()


class DroppingAiosmtpd(Controller):
    """A real aiosmtpd server on loopback that drops every connection in the middle of DATA,
    after reading ``drop_after`` bytes of the message. ``dropped`` is set once it has hung up;
    ``whole_messages`` counts the messages it read to the final dot (it accepts none)."""

    def __init__(self, drop_after: int = 200):
        self.drop_after = drop_after
        self.dropped = threading.Event()
        self.whole_messages = 0
        super().__init__(Recorder(), hostname="127.0.0.1", port=free_port(), data_size_limit=50 * 1024 * 1024)

    def factory(self):
        return _DroppingSMTP(self.handler, dropper=self, **self.SMTP_kwargs)
