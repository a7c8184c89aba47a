"""A ladder never sticks (issue 12): a ₪120,000 Israeli debtor walked through the default ladder
by replaying days through the real commands (`gvia run --now …`, `gvia call log`,
`gvia approvals approve`, `gvia worker --once --now …`, `gvia letters batch`). The debt is over
the Execution Office's fixed-sum cap, so the warning stage sends its fallback, the general
warning letter, and says why; the letter demands the debt and nothing waits forever."""

from __future__ import annotations

import email
import json
import sqlite3
import subprocess
import sys
from email import policy as email_policy
from pathlib import Path

import pytest

from tests.documents.pdftext import normalise, pdf_text
from tests.engine.support import HERE, env_for, run_gvia


def at(day: str) -> str:
    return f"{day}T10:00+02:00"


@pytest.fixture
def g(tmp_path):
    db = tmp_path / "gvia.db"
    url = f"sqlite:///{db}"

    def run(*args, code: int = 0):
        r = run_gvia(tmp_path, url, *args)
        assert r.returncode == code, (args, r.stdout, r.stderr)
        return r

    def seed(amount: str, variant: str = "complete") -> None:
        r = subprocess.run([sys.executable, str(HERE / "seed_ladder.py"), url, amount, variant],
                           capture_output=True, text=True, env=env_for(tmp_path), cwd=tmp_path, timeout=120)
        assert r.returncode == 0, r.stderr

    run.db, run.url, run.tmp, run.seed = db, url, tmp_path, seed
    return run


def outbox(db: Path) -> list[tuple]:
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute("select id, stage_key, channel, document, status, log from gvia_outboxmessage "
                           "order by id").fetchall()
    finally:
        con.close()


def attachments(mail_dir: Path, subject_has: str = "") -> list[tuple[str, bytes]]:
    out = []
    for path in sorted(mail_dir.glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=email_policy.default)
        for part in msg.iter_attachments():
            if part.get_content_type() == "application/pdf":
                out.append((part.get_filename() or "", part.get_content()))
    return out


def walk_to_the_warning(g) -> None:
    """Reminder (due + 7), second reminder (due + 21), a call (due + 30) answered with a refusal,
    each sent by the worker on its day."""
    for day in ("2026-11-09", "2026-11-23"):
        g("run", "--now", at(day))
        g("worker", "--once", "--now", at(day))
    g("run", "--now", at("2026-12-02"))
    g("call", "log", "C0001", "--outcome", "refused", "--now", at("2026-12-02"))


def test_a_debt_over_the_cap_gets_the_general_warning_letter(g):
    g.seed("120000")
    shown = json.loads(g("policy", "show", "--format", "json").stdout)["shown"]["stages"]
    assert [s["actions"] for s in shown if s["key"] == "warning_letter"] == [[
        "registered_letter:warning_execution_office|warning_letter+statement",
        "email:warning_execution_office|warning_letter+statement"]]          # the ladder shows its fallback
    walk_to_the_warning(g)
    sent = [(stage, status) for _i, stage, _c, _d, status, _e in outbox(g.db)]
    assert sent == [("reminder", "sent"), ("second_reminder", "sent")]

    # due + 45 = Thu 17 Dec 2026: the warning stage, with its fallback document
    rep = json.loads(g("run", "--now", at("2026-12-17"), "--format", "json").stdout)
    assert rep["counts"].get("enter_stage") == 1 and rep["held"] == []
    waiting = json.loads(g("approvals", "list", "--format", "json").stdout)
    assert sorted((m["stage"], m["channel"], m["document"]) for m in waiting) == [
        ("warning_letter", "email", "warning_letter"), ("warning_letter", "registered_letter", "warning_letter")]

    # gvia explain says which letter goes instead of which, and why (the cap, with its figure)
    said = g("explain", "C0001", "--now", at("2026-12-17"), "--lang", "en").stdout
    assert "the warning letter instead of the warning before the Execution Office" in said
    assert "120,000.00 ILS" in said and "cap of 75,000.00 ILS" in said

    for m in waiting:
        g("approvals", "approve", str(m["id"]), "--now", at("2026-12-17"))
    g("worker", "--once", "--now", at("2026-12-17"))
    g("letters", "batch", "--out", str(g.tmp / "print"), "--as-of", "2026-12-17")

    rows = outbox(g.db)
    assert not [r for r in rows if r[4] in ("failed", "uncertain", "held", "awaiting_approval", "queued")], rows
    warning = [r for r in rows if r[1] == "warning_letter"]
    assert {(r[2], r[3], r[4]) for r in warning} == {("email", "warning_letter", "sent"),
                                                      ("registered_letter", "warning_letter", "sent")}

    # the e-mailed warning letter demands the overdue amount
    pdfs = [data for name, data in attachments(g.tmp / "var" / "mail") if data.startswith(b"%PDF")]
    texts = [normalise(pdf_text(data)) for data in pdfs]
    letters = [t for t in texts if "מכתב התראה" in t and "INV-9001" in t]
    assert letters, texts
    letter = letters[-1]
    assert "הנדון: מכתב התראה לפני נקיטת הליכים משפטיים" in letter     # the general warning letter
    assert "הוצאה לפועל" not in letter                                   # not the Execution Office notice
    assert "יתרת החוב עומדת על ₪120,000.00" in letter and "בסך ₪120,000.00" in letter
    printed = list((g.tmp / "print").rglob("*.pdf"))
    assert printed, "the registered letter was printed"


def test_a_letter_missing_a_detail_is_held_before_approval_and_released_once_filled_in(g):
    g.seed("120000", "no_signatory")
    walk_to_the_warning(g)
    rep = json.loads(g("run", "--now", at("2026-12-17"), "--format", "json").stdout)
    assert rep["held"] == [{"customer": "C0001", "stage": "warning_letter", "reasons": ["org_signatory_name"]}]
    assert rep["counts"]["messages_held"] == 2
    assert json.loads(g("approvals", "list", "--format", "json").stdout) == []   # nobody is asked yet
    held = [r for r in outbox(g.db) if r[1] == "warning_letter"]
    assert {r[4] for r in held} == {"held"} and {r[3] for r in held} == {"warning_letter"}
    said = g("explain", "C0001", "--now", at("2026-12-17"), "--lang", "en").stdout
    assert "held back" in said and "org_signatory_name" in said

    # approving it is refused, naming what to fill in and how, in the reader's language; nothing changes
    refused = g("approvals", "approve", str(held[0][0]), "--now", at("2026-12-17"), code=1)
    assert (f"Message {held[0][0]} (warning_letter) is held until these details are filled in: "
            "a signatory (gvia org set signatory_name). Nothing was approved.") in refused.stderr
    assert "set it: gvia org set signatory_name VALUE" in refused.stderr
    refused = g("--lang", "he", "approvals", "approve", str(held[0][0]), "--now", at("2026-12-17"), code=1)
    assert "מעוכבת עד שיושלמו הפרטים: שם החותם (gvia org set signatory_name)" in refused.stderr
    said = g("run", "--now", at("2026-12-17"), "--dry-run").stdout
    assert ("Held before approval: C0001, stage warning_letter — fill in: a signatory "
            "(gvia org set signatory_name)") in said
    assert {r[4] for r in outbox(g.db) if r[1] == "warning_letter"} == {"held"}
    # the next stage waits for it: the ladder never runs past a held warning
    rep = json.loads(g("run", "--now", at("2027-02-01"), "--format", "json").stdout)
    assert rep["counts"].get("enter_stage") is None and rep["held"][0]["reasons"] == ["org_signatory_name"]

    # filled in: the next run releases them to wait for approval, and they go out
    g("org", "set", "signatory_name", "דנה כהן")
    rep = json.loads(g("run", "--now", at("2027-02-02"), "--format", "json").stdout)
    assert rep["held"] == [] and rep["counts"]["messages_released"] == 2
    waiting = json.loads(g("approvals", "list", "--format", "json").stdout)
    assert len(waiting) == 2
    for m in waiting:
        g("approvals", "approve", str(m["id"]), "--now", at("2027-02-02"))
    g("worker", "--once", "--now", at("2027-02-02"))
    g("letters", "batch", "--out", str(g.tmp / "print"), "--as-of", "2027-02-02")
    rows = outbox(g.db)
    assert not [r for r in rows if r[4] not in ("sent",)], rows
