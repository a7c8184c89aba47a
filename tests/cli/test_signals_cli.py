"""`gvia signals` and `gvia customers --at-risk` (issue 17), through the real command: the JSON
shapes of the issue, the score moving by each signal's weight, the facts worded in the
language spoken, and `gvia risk show`."""

from __future__ import annotations

import json

AS_OF = "2026-12-01"


def _book(gvia_org, tmp_path):
    inv = tmp_path / "inv.csv"
    inv.write_text("customer_ref,customer_name,invoice_number,issue_date,due_date,amount\n"
                   "C1,Alon,A-1,2026-08-06,2026-09-05,1000.00\n"
                   "C1,Alon,A-2,2026-09-05,2026-10-05,1000.00\n"
                   "C1,Alon,A-3,2026-10-06,2026-11-05,1000.00\n"
                   "C2,Bina,B-1,2026-09-01,2026-10-01,800.00\n"
                   "C2,Bina,B-2,2026-10-01,2026-11-01,800.00\n"
                   "C3,Carmel,K-1,2026-10-01,2026-11-01,500.00\n", encoding="utf-8")
    pay = tmp_path / "pay.csv"
    pay.write_text("customer_ref,date,amount,method,cheque_number\nC2,2026-10-20,800.00,cheque,555\n",
                   encoding="utf-8")
    for args in (("import", "invoices", str(inv)), ("import", "payments", str(pay)), ("cheque", "bounce", "555"),
                 ("dispute", "open", "C1", "--invoice", "A-3", "--reason", "wrong_amount", "--now", "2026-11-20")):
        r = gvia_org(*args)
        assert r.code == 0, (args, r.err)


def test_signals_json_has_the_issues_shape_and_names_the_facts(gvia_org, tmp_path):
    _book(gvia_org, tmp_path)
    r = gvia_org("signals", "C1", "--as-of", AS_OF, "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert set(data) == {"customer", "as_of", "score", "signals"}
    assert data["customer"] == {"ref": "C1", "name": "Alon"} and data["as_of"] == AS_OF
    assert [s["code"] for s in data["signals"]] == ["growing_balance", "disputes"]
    assert data["score"] == sum(s["points"] for s in data["signals"]) == 15 + 5
    for s in data["signals"]:
        assert set(s) == {"code", "text", "evidence", "weight", "points"}
        assert all(set(e) == {"date", "fact"} for e in s["evidence"])
    growing = data["signals"][0]
    assert [e["date"] for e in growing["evidence"]] == ["2026-09-02", "2026-10-02", "2026-11-01", "2026-12-01"]
    assert growing["evidence"][-1]["fact"] == "overdue on 12/1/2026: ₪3,000.00"
    assert data["signals"][1]["text"] == "a dispute opened on 11/20/2026"
    # the day before the dispute: only the growing balance, and its points
    before = json.loads(gvia_org("signals", "C1", "--as-of", "2026-11-19", "--format", "json").out)
    assert ([s["code"] for s in before["signals"]], before["score"]) == (["growing_balance"], 15)


def test_customers_at_risk_highest_score_first_in_each_language(gvia_org, tmp_path):
    _book(gvia_org, tmp_path)
    r = gvia_org("customers", "--at-risk", "--as-of", AS_OF, "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["as_of"] == AS_OF
    rows = data["customers"]
    assert [(c["ref"], c["score"]) for c in rows] == [("C1", 20), ("C2", 20)]      # ties by name
    assert set(rows[0]) == {"ref", "name", "score", "top_reasons"}
    assert rows[1]["top_reasons"] == [{"code": "bounced_cheques", "text": "a cheque bounced on 10/20/2026"}]
    he = json.loads(gvia_org("--lang", "he", "customers", "--at-risk", "--as-of", AS_OF, "--format", "json").out)
    assert he["customers"][1]["top_reasons"][0]["text"] == "שיק חזר ב-20/10/2026"
    table = gvia_org("--lang", "he", "customers", "--at-risk", "--as-of", AS_OF)
    assert table.code == 0 and "שיקים שחזרו" in table.out and "C3" not in table.out


def test_risk_show_prints_the_weights_in_use(gvia_org):
    r = gvia_org("risk", "show", "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["at_risk_from"] == 20 and data["signals"]["silence"]["weight"] == 25
    assert data["signals"]["silence"]["min_days"] == 10


def test_risk_load_keeps_versions_and_the_score_follows_them(gvia_org, tmp_path):
    _book(gvia_org, tmp_path)
    shipped = gvia_org("risk", "show", "--toml")
    assert shipped.code == 0 and "[signal.disputes]" in shipped.out
    mine = tmp_path / "mine.toml"
    mine.write_text(shipped.out.replace("[signal.disputes]\nweight = 5", "[signal.disputes]\nweight = 40"),
                    encoding="utf-8")
    r = gvia_org("risk", "load", str(mine))
    assert r.code == 0, r.err
    assert "version 1" in r.out
    assert json.loads(gvia_org("signals", "C1", "--as-of", AS_OF, "--format", "json").out)["score"] == 15 + 40
    again = gvia_org("risk", "load", str(mine))
    assert again.code == 0 and "unchanged (version 1)" in again.out
    shown = json.loads(gvia_org("risk", "show", "--format", "json").out)
    assert (shown["version"], shown["signals"]["disputes"]["weight"]) == (1, 40)
    assert gvia_org("risk", "show", "--version", "1", "--toml").out == mine.read_text(encoding="utf-8")
    refused = gvia_org("--lang", "he", "risk", "show", "--version", "9")
    assert refused.code != 0 and "אין גרסה 9 של משקלות הסיכון" in refused.err


def test_a_risk_toml_with_mistakes_is_refused_naming_each(gvia_org, tmp_path):
    shipped = gvia_org("risk", "show", "--toml").out
    bad = tmp_path / "bad.toml"
    bad.write_text(shipped.replace("weight = 25", "weight = 250").replace("min_days = 10", "min_dayz = 10"),
                   encoding="utf-8")
    r = gvia_org("risk", "load", str(bad))
    assert r.code == 1
    assert "signal.silence.weight: must be a whole number from 0 to 100" in r.err
    assert "signal.silence.min_dayz: not a known key" in r.err
    he = gvia_org("--lang", "he", "risk", "load", str(bad))
    assert "חייב להיות מספר שלם בין 0 ל-100" in he.err
    assert json.loads(gvia_org("risk", "show", "--format", "json").out)["version"] == 0    # nothing kept


def test_replies_from_different_people_are_passed_around(gvia_org, tmp_path):
    _book(gvia_org, tmp_path)
    for day, who in (("2026-10-01", "Ruth"), ("2026-10-20", "Moshe"), ("2026-11-10", "Avi")):
        r = gvia_org("activity", "add", "C3", "--kind", "reply", "--text", "we will check", "--from", who,
                     "--now", day)
        assert r.code == 0, r.err
    data = json.loads(gvia_org("signals", "C3", "--as-of", AS_OF, "--format", "json").out)
    assert [(s["code"], s["points"]) for s in data["signals"]] == [("passed_around", 10)]
    assert data["signals"][0]["text"] == "replies from 3 different people since 10/1/2026"
