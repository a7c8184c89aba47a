"""A worker that dies (os._exit, no clean-up at all) the first time the dispatcher reaches a
named checkpoint. Run as a script in a subprocess:

    python tests/engine/crash_worker.py DB_URL CHECKPOINT NOW_ISO
"""

from __future__ import annotations

import os
import sys
from datetime import datetime


def main(url: str, point: str, now: str) -> None:
    from gvia.cli.bootstrap import setup_django

    setup_django(url)
    from gvia.services.engine.worker import Clock, Worker

    def checkpoint(name: str) -> None:
        if name == point:
            sys.stdout.write(f"dying at {name}\n")
            sys.stdout.flush()
            os._exit(77)

    Worker(clock=Clock.starting_at(datetime.fromisoformat(now)), checkpoint=checkpoint, daily=False).once()
    sys.exit(3)   # never reached the checkpoint


if __name__ == "__main__":
    main(*sys.argv[1:4])
