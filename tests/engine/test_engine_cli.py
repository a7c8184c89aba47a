"""The engine's commands, run as a user runs them (`python -m gvia …` against a SQLite file):
exit 0 done, 1 refused (nothing changed), 2 wrong usage."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from gvia.policies import default_policy_text
from tests.engine.support import NOW, copy_db, env_for, gvia_cmd, run_gvia, seed
from tests.support.smtpd import free_port

CUSTOMERS = 3


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """Three customers, invoices due Mon 2 Nov 2026, approve-all mode, run on Mon 9 Nov: three
    reminders awaiting approval."""
    tmp = tmp_path_factory.mktemp("cli")
    db = tmp / "gvia.db"
    assert seed(tmp, f"sqlite:///{db}", CUSTOMERS, 0, "approve_all") == 0
    return db


@pytest.fixture
def g(template, tmp_path):
    db = tmp_path / "gvia.db"
    copy_db(template, db)
    url = f"sqlite:///{db}"

    def run(*args, smtp=None):
        return run_gvia(tmp_path, url, *args, smtp=smtp)

    run.db, run.url, run.tmp = db, url, tmp_path
    return run


def sql(db: Path, query: str, *params):
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute(query, params).fetchall()
    finally:
        con.close()


def test_approve_send_and_explain(g):
    r = g("approvals", "list", "--format", "json")
    assert r.returncode == 0, r.stderr
    pending = json.loads(r.stdout)
    assert [(p["customer"], p["stage"], p["who_approves"]) for p in pending] == [
        ("C0000", "reminder", "collector"), ("C0001", "reminder", "collector"), ("C0002", "reminder", "collector")]
    first, second = pending[0]["id"], pending[1]["id"]
    assert g("approvals", "approve", str(first)).returncode == 0
    r = g("approvals", "reject", str(second), "--reason", "spoke to them today")
    assert r.returncode == 0 and "rejected" in r.stdout
    again = g("approvals", "approve", str(second))
    assert again.returncode == 1 and "not awaiting approval" in again.stderr
    r = g("worker", "--once", "--now", NOW)                # no SMTP: the local mail catcher
    assert r.returncode == 0, r.stderr
    assert "sent 1" in r.stdout
    assert len(list((g.tmp / "var" / "mail").glob("*.eml"))) == 1
    r = g("outbox", "list", "--format", "json")
    rows = {m["id"]: m["status"] for m in json.loads(r.stdout)}
    assert rows[first] == "sent" and rows[second] == "rejected"
    r = g("explain", "C0000", "--now", "2026-11-10", "--lang", "en")
    assert r.returncode == 0
    assert "Invoice 10000 is 8 days overdue" in r.stdout and "Second reminder" in r.stdout
    assert "2026-11-23" in r.stdout        # +21 days = Mon 23 Nov
    r = g("explain", "NOPE")
    assert r.returncode == 1 and "no customer" in r.stderr


def test_run_twice_and_dry_run(g):
    r = g("run", "--now", "2026-11-10", "--format", "json")
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)
    assert rep["run_date"] == "2026-11-10" and rep["customers"] == CUSTOMERS
    assert rep["counts"] == {"none": CUSTOMERS}
    # on Mon 23 Nov the second reminders are due, but the reminders still await approval
    r = g("run", "--now", "2026-11-23", "--dry-run", "--format", "json")
    rep = json.loads(r.stdout)
    assert rep["counts"] == {"hold": CUSTOMERS} and rep["held_back"] == [{"reason": "paused", "customers": CUSTOMERS}]
    r = g("run", "--now", "2026-11-23", "--dry-run")
    assert f"Held back: {CUSTOMERS} customer(s) — paused" in r.stdout
    assert sql(g.db, "select count(*) from gvia_outboxmessage")[0][0] == CUSTOMERS     # dry run: nothing written
    r = g("run", "--now", "not-a-date")
    assert r.returncode == 2 and "--now" in r.stderr


def test_settings(g):
    r = g("settings", "show", "--format", "json")
    shown = {s["key"]: s for s in json.loads(r.stdout)}
    assert shown["sending_mode"]["value"] == "approve_all"
    assert g("settings", "set", "sending_mode", "automatic").returncode == 0
    bad = g("settings", "set", "no_such_key", "1")
    assert bad.returncode == 1 and "Not a setting; the settings are: " in bad.stderr and "no_such_key" in bad.stderr
    bad = g("settings", "set", "sending_hours", "9-5")
    assert bad.returncode == 1 and "09:00-17:00" in bad.stderr
    assert g("settings", "set", "sending_mode").returncode == 2
    r = g("settings", "set", "smtp.password", "hunter22")
    assert r.returncode == 0 and "hunter22" not in r.stdout
    assert g("settings", "unset", "sending_mode").returncode == 0
    shown = {s["key"]: s for s in json.loads(g("settings", "show", "--format", "json").stdout)}
    assert (shown["sending_mode"]["value"], shown["sending_mode"]["source"]) == ("approve_all", "default")
    assert shown["smtp.password"]["value"] == "********"


def test_calls_pauses_replies_and_the_worklist(g):
    r = g("call", "log", "C0001", "--outcome", "promised", "--promise-date", "2026-11-20", "--amount", "1250",
          "--now", "2026-11-10")
    assert r.returncode == 0, r.stderr
    assert "paused (promise) until 2026-11-23" in r.stdout   # the promised date + 3 days of grace
    assert g("call", "log", "C0001", "--outcome", "maybe").returncode == 2
    r = g("call", "log", "C0001", "--outcome", "disputed", "--now", "2026-11-10")
    assert r.returncode == 1 and "--invoice" in r.stderr
    r = g("pause", "C0002", "--until", "2026-11-30", "--reason", "owner abroad", "--now", "2026-11-10")
    assert r.returncode == 0 and "paused until 2026-11-30" in r.stdout
    assert g("pause", "C0002", "--until", "someday", "--reason", "x").returncode == 2
    r = g("activity", "add", "C0000", "--kind", "reply", "--text", "We paid yesterday", "--now", "2026-11-10")
    assert r.returncode == 0, r.stderr
    wl = json.loads(g("worklist", "--now", "2026-11-10", "--format", "json").stdout)
    sections = {s["key"]: s for s in wl["sections"]}
    assert [x["customer"] for x in sections["replies"]["rows"]] == ["C0000"]
    assert sections["approvals"]["count"] == len(sections["approvals"]["rows"]) == CUSTOMERS
    assert (sections["calls"]["rows"], sections["uncertain"]["count"]) == ([], 0)
    assert sections["promises_due"]["count"] == 0      # C0001 promised on a call for 20 November
    wl = json.loads(g("worklist", "--now", "2026-11-20", "--limit", "1", "--format", "json").stdout)
    sections = {s["key"]: s for s in wl["sections"]}
    assert [(x["customer"], x["source"]) for x in sections["promises_due"]["rows"]] == [("C0001", "call")]
    assert (sections["approvals"]["count"], len(sections["approvals"]["rows"])) == (CUSTOMERS, 1)
    text = g("explain", "C0002", "--now", "2026-11-23", "--lang", "en").stdout
    assert "owner abroad" in text and "2026-11-30" in text


def test_policy_load_show_assign(g, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(default_policy_text("IL").replace("after_due_days = 21", 'after_due_days = "21"'), encoding="utf-8")
    r = g("policy", "load", str(bad))
    assert r.returncode == 1 and re.search(r"row \d+", r.stderr) and "after_due_days" in r.stderr
    good = tmp_path / "patient.toml"
    good.write_text(default_policy_text("IL").replace('name = "Israel — standard ladder"', 'name = "Patient"')
                    .replace("min_spacing_days = 7 ", "min_spacing_days = 10"), encoding="utf-8")
    r = g("policy", "load", str(good))
    assert r.returncode == 0 and "Policy 'Patient' version 1" in r.stdout
    assert "version 1" in g("policy", "load", str(good)).stdout            # same text: no new version
    shown = json.loads(g("policy", "show", "--name", "Patient", "--format", "json").stdout)
    assert shown["shown"]["min_spacing_days"] == 10
    # the Israeli consumer ladder is made with the organization's policies (issue 15)
    assert [p["name"] for p in shown["policies"]] == ["Israel — standard ladder",
                                                      "Israel consumer — debt notice (s.13B2)", "Patient"]
    assert g("policy", "assign", "C0000", "--policy", "Patient").returncode == 0
    assert g("policy", "assign", "C0000", "--policy", "Nope").returncode == 1
    shown = json.loads(g("policy", "show", "--name", "Patient", "--format", "json").stdout)
    assert {p["name"]: p["customers_assigned"] for p in shown["policies"]}["Patient"] == 1
    assert "[[stage]]" in g("policy", "show", "--text").stdout


def test_mail_test_and_registered_refusal(g):
    r = g("mail", "test", "someone@example.com")
    assert r.returncode == 0 and "local mail catcher" in r.stdout
    first = sql(g.db, "select min(id) from gvia_outboxmessage")[0][0]
    r = g("mail", "registered", str(first), "--number", "RR1", "--posted", "2026-11-09", "--now", "2026-11-10")
    assert r.returncode == 1 and "not a letter" in r.stderr


def test_two_runs_started_at_once_act_once(tmp_path):
    db = tmp_path / "gvia.db"
    url = f"sqlite:///{db}"
    seed(tmp_path, url, 40, 0, "automatic", run=False)
    procs = [subprocess.Popen(gvia_cmd(url, "run", "--now", "2026-11-09", "--format", "json"), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env_for(tmp_path), cwd=tmp_path)
             for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1] for o in outs]
    counts = sorted((json.loads(o[0])["counts"].get("enter_stage", 0) for o in outs))
    assert counts == [0, 40]
    assert sql(db, "select count(*) from gvia_outboxmessage")[0][0] == 40
    assert sql(db, "select count(*) from gvia_activity where kind = 'stage'")[0][0] == 40
    assert sql(db, "select count(*) from gvia_runrecord")[0][0] == 2


def _lines_until(proc, pattern: str, timeout: float = 60) -> list[str]:
    seen, end = [], time.monotonic() + timeout
    while time.monotonic() < end:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        if re.search(pattern, line):
            return seen
    raise AssertionError(f"never saw {pattern!r}; got {seen}")


def test_worker_runs_the_daily_run_holds_the_lock_and_stops_on_sigterm(g):
    # 07:00 in Israel on Tue 10 Nov: past the 06:00 daily-run time, no run recorded that day yet
    p = subprocess.Popen(gvia_cmd(g.url, "worker", "--now", "2026-11-10T07:00+02:00", "--poll", "0.2"),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env_for(g.tmp), cwd=g.tmp)
    try:
        _lines_until(p, r"daily run of gilboa for 2026-11-10")
        other = g("worker", "--once")
        assert other.returncode == 1 and "Another gvia worker is running on this database" in other.stderr
        p.send_signal(signal.SIGTERM)
        out, _ = p.communicate(timeout=30)
        assert p.returncode == 0 and "worker stopped" in out
    finally:
        if p.poll() is None:
            p.kill()
    assert sql(g.db, "select count(*) from gvia_runrecord where run_date = '2026-11-10'")[0][0] == 1


def test_serve_with_worker_stops_both(g):
    port = free_port()
    p = subprocess.Popen(gvia_cmd(g.url, "serve", "--worker", "--port", str(port)), stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, env=env_for(g.tmp), cwd=g.tmp)
    try:
        lines = _lines_until(p, r"worker started \(pid \d+\)")
        pid = int(re.search(r"pid (\d+)", lines[-1]).group(1))
        _lines_until(p, r"started; clock at")
        p.send_signal(signal.SIGINT)                  # Ctrl+C on the server
        p.communicate(timeout=60)
        assert p.returncode in (0, 1, -signal.SIGINT)
        time.sleep(0.2)
        with pytest.raises(ProcessLookupError):
            import os

            os.kill(pid, 0)
    finally:
        if p.poll() is None:
            p.kill()
