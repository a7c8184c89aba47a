"""The local mail catcher: when no SMTP server is configured, messages are written to disk.

Nothing leaves the machine. Each message is one ``.eml`` file, written atomically, readable
with any mail program (and in the web UI).
"""

from __future__ import annotations

import os
from email.message import Message
from pathlib import Path

from .smtp import Accepted


class CatcherSender:
    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def send(self, msg: Message, envelope_from: str, rcpts: list[str], checkpoint=lambda _: None,
             raw: bytes | None = None) -> Accepted:
        self.directory.mkdir(parents=True, exist_ok=True)
        mid = str(msg["Message-ID"] or "message").strip("<>")
        safe = "".join(c if c.isalnum() or c in "-._" else "_" for c in mid)[:150]
        final = self.directory / f"{safe}.eml"
        tmp = final.with_suffix(".tmp")
        with open(tmp, "wb") as f:
            f.write(msg.as_bytes() if raw is None else raw)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, final)
        checkpoint("data_sent")
        return Accepted(f"250 stored in the local mail catcher as {final.name} (not sent to the network)")

    def close(self) -> None:
        return None


def read_messages(directory: Path) -> list[Path]:
    d = Path(directory)
    return sorted(d.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True) if d.exists() else []
