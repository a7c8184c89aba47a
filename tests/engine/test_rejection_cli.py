"""After a rejected message, from the command line (issue 13): gvia approvals reject says the case
waits, gvia approvals after-rejection chooses (plan it again, skip the stage, pause), and nothing
is planned past the rejected stage until then."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.engine.support import copy_db, run_gvia, seed

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """Two customers, invoices due Mon 2 Nov 2026, approve-all mode, run on Mon 9 Nov: two reminders
    awaiting approval."""
    tmp = tmp_path_factory.mktemp("rejection")
    db = tmp / "gvia.db"
    assert seed(tmp, f"sqlite:///{db}", 2, 0, "approve_all") == 0
    return db


@pytest.fixture
def g(template, tmp_path):
    db = tmp_path / "gvia.db"
    copy_db(template, db)
    url = f"sqlite:///{db}"
    return lambda *args: run_gvia(tmp_path, url, *args)


def _messages(g, ref: str) -> list[dict]:
    r = g("outbox", "list", "--customer", ref, "--format", "json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_reject_then_choose_from_the_command_line(g):
    pending = json.loads(g("approvals", "list", "--format", "json").stdout)
    first = next(p for p in pending if p["customer"] == "C0000")
    r = g("--lang", "en", "approvals", "reject", str(first["id"]), "--reason", "wrong contact")
    assert r.returncode == 0, r.stderr
    assert "gvia approvals after-rejection C0000 --choice replan|skip|pause" in r.stdout
    # what became of it, in the language the command line speaks
    for lang, said in (("he", "נדחתה על ידי"), ("en", "rejected by")):
        shown = json.loads(g("--lang", lang, "outbox", "list", "--customer", "C0000", "--format", "json").stdout)
        note = next(m["note"] for m in shown if m["id"] == first["id"])
        assert note.startswith(said) and note.endswith(": wrong contact"), note
    assert g("run", "--now", "2026-11-30").returncode == 0              # the second reminder was due: held
    assert [m["stage"] for m in _messages(g, "C0000")] == ["reminder"]
    r = g("--lang", "en", "approvals", "after-rejection", "C0000", "--choice", "pause")
    assert r.returncode == 1 and "a pause needs the day it ends" in r.stderr
    r = g("--lang", "en", "approvals", "after-rejection", "C0000", "--choice", "replan", "--now", "2026-11-30")
    assert r.returncode == 0 and "waits for approval again" in r.stdout, r.stderr
    assert [m["status"] for m in _messages(g, "C0000")] == ["awaiting_approval"]
    r = g("--lang", "en", "approvals", "after-rejection", "C0000", "--choice", "skip")
    assert r.returncode == 1 and "no rejected message waits" in r.stderr
