"""An aiosmtpd server in a process of its own, for tests where the mail server must outlive and
stand apart from everything gvia runs (a restore, killed workers): each message it accepts is
written to a folder as ``<n>.eml``, so the test counts what the server holds, not what gvia says.

    python -m tests.support.smtpd_process OUT_DIR [DELAY_SECONDS]

prints ``ready <port>`` when it listens, and serves until killed.
"""

from __future__ import annotations

import asyncio
import email
import itertools
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from email import policy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class Writer:
    def __init__(self, out: Path, delay: float):
        self.out, self.delay = out, delay
        self.numbers = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        n = next(self.numbers)
        draft = self.out / f".{n}.part"
        draft.write_bytes(envelope.original_content or envelope.content)
        os.replace(draft, self.out / f"{n}.eml")
        return f"250 2.0.0 Ok: queued as Q{n}"


def main(out: str, delay: str = "0") -> None:
    from aiosmtpd.controller import Controller

    from tests.support.smtpd import free_port

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    controller = Controller(Writer(folder, float(delay)), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"ready {port}", flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


class SmtpProcess:
    """The server above, started and stopped by a test: ``.host``/``.port`` for GVIA_SMTP_*."""

    host = "127.0.0.1"

    def __init__(self, out: Path, delay: float = 0.0):
        self.out = Path(out)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]))
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.support.smtpd_process", str(out), str(delay)],
                                     stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        line = self.proc.stdout.readline()
        if not line.startswith("ready "):
            self.proc.kill()
            raise RuntimeError(f"the SMTP server did not start: {line!r}")
        self.port = int(line.split()[1])

    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(p.read_bytes(), policy=policy.default)
                for p in sorted(self.out.glob("*.eml"))]

    def count(self) -> int:
        return len(list(self.out.glob("*.eml")))

    def by_recipient(self) -> Counter:
        return Counter(a.addr_spec.lower() for m in self.messages() for a in m["To"].addresses)

    def wait_quiet(self, seconds: float = 1.0) -> None:
        last, quiet = -1, time.monotonic()
        while time.monotonic() - quiet < seconds:
            n = self.count()
            if n != last:
                last, quiet = n, time.monotonic()
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    main(*sys.argv[1:3])
