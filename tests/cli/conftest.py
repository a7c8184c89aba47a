"""Run the real `gvia` command in a subprocess against a temporary SQLite database."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Result:
    code: int
    out: str
    err: str


class Gvia:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.db = f"sqlite:///{tmp / 'gvia.db'}"

    def __call__(self, *args: str, input: str | None = None, db: str | None = None) -> Result:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GVIA_")}
        env["GVIA_HOME"] = str(self.tmp)
        env["COLUMNS"] = "200"
        proc = subprocess.run([sys.executable, "-m", "gvia", *args, "--db", db or self.db],
                              capture_output=True, text=True, env=env, cwd=self.tmp, input=input, timeout=300)
        return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def gvia(tmp_path) -> Gvia:
    return Gvia(tmp_path)


@pytest.fixture
def gvia_org(gvia) -> Gvia:
    r = gvia("init", "--org", "Demo", "--country", "IL", "--admin-email", "owner@demo.co.il",
             "--admin-password", "Gvia-test-2026!")
    assert r.code == 0, r.err
    return gvia
