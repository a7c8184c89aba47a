"""`gvia mailbox …` and `gvia suggestions …` (issue 16) against a real IMAP server (dovecot on
loopback): set the reply mailbox (the password never shown), read it once, assign a message from
nobody known, confirm the promise it suggests — in Hebrew and English."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.imap


def test_set_poll_assign_confirm(gvia_org, dovecot, tmp_path):
    dovecot.add_user("cli@gilboa.test", "Cli-box-2026")
    f = tmp_path / "inv.csv"
    f.write_text("customer_ref,customer_name,invoice_number,issue_date,due_date,amount\n"
                 "C1,Alon Ltd,5001,2026-10-01,2026-11-01,3000.00\n", encoding="utf-8")
    assert gvia_org("import", "invoices", str(f)).code == 0
    r = gvia_org("--lang", "en", "mailbox", "set", "--host", "127.0.0.1", "--port", str(dovecot.port),
                 "--user", "cli@gilboa.test", "--password", "Cli-box-2026", "--security", "none")
    assert r.code == 0, r.err
    assert "The reply mailbox was saved." in r.out and "Cli-box-2026" not in r.out and "********" in r.out
    bad = gvia_org("--lang", "he", "mailbox", "set", "--security", "rot13")
    assert bad.code == 1 and "rot13" in bad.err
    assert "The reply mailbox answers: 0 messages" in gvia_org("--lang", "en", "mailbox", "check").out

    dovecot.append("cli@gilboa.test", (
        "From: yossi@gmail.test\r\nTo: billing@demo.co.il\r\nSubject: invoice 5001\r\nMessage-ID: <y1@gmail.test>\r\n"
        "Date: Thu, 12 Nov 2026 10:00:00 +0200\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\nנעביר 1,000 ש\"ח מחר.\r\n").encode())
    r = gvia_org("--lang", "he", "mailbox", "poll", "--once", "--now", "2026-11-12T11:00")
    assert r.code == 0, r.err
    assert "נקראו 1 הודעות (תשובות 1); 1 מאף אחד מוכר; 0 נקראו כבר." in r.out
    again = gvia_org("--lang", "en", "mailbox", "poll", "--once", "--now", "2026-11-12T11:05", "--format", "json")
    assert json.loads(again.out)["read"] == 0
    [row] = json.loads(gvia_org("mailbox", "unmatched", "--format", "json").out)
    assert row["who"] == "yossi@gmail.test"
    r = gvia_org("--lang", "en", "mailbox", "assign", str(row["id"]), "C1", "--now", "2026-11-12T12:00")
    assert r.code == 0, r.err
    assert "assigned to customer C1" in r.out
    [s] = json.loads(gvia_org("suggestions", "list", "--format", "json").out)
    assert (s["customer"], s["due"], s["text"]) == ("C1", "2026-11-13", 'נעביר 1,000 ש"ח מחר.')
    r = gvia_org("--lang", "en", "suggestions", "confirm", str(s["id"]), "--now", "2026-11-12T12:05")
    assert r.code == 0, r.err
    assert "to pay by 2026-11-13 was recorded" in r.out
    twice = gvia_org("--lang", "he", "suggestions", "confirm", str(s["id"]), "--now", "2026-11-12T12:06")
    assert twice.code == 1 and f"ההצעה {s['id']} כבר טופלה" in twice.err
