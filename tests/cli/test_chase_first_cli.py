"""`gvia worklist --chase-first [--group G]` (issue 17): every overdue customer, the first to chase
first, as JSON and as a table in the reader's language; an unknown group is refused."""

from __future__ import annotations

import json


def test_chase_first_json_table_and_groups(gvia_org, tmp_path):
    f = tmp_path / "inv.csv"
    f.write_text("customer_ref,customer_name,invoice_number,issue_date,due_date,amount\n"
                 "C1,Alon Ltd,5001,2026-09-01,2026-10-01,12000.00\n"
                 "C2,Beta Ltd,6001,2026-11-01,2026-11-20,500.00\n", encoding="utf-8")
    assert gvia_org("import", "invoices", str(f), "--today", "2026-12-07").code == 0
    r = gvia_org("worklist", "--chase-first", "--now", "2026-12-07T10:00", "--format", "json")
    assert r.code == 0, r.err
    [section] = json.loads(r.out)["sections"]
    assert section["key"] == "chase_first" and section["count"] == 2
    assert [(x["customer"], x["days_overdue"], x["overdue"]["amount"], x["priority"]) for x in section["rows"]] == [
        ("C1", 67, "12000.00", "804000.00"), ("C2", 17, "500.00", "8500.00")]
    none = json.loads(gvia_org("worklist", "--group", "quick_win", "--now", "2026-12-07T10:00", "--format",
                               "json").out)
    assert none["sections"][0]["count"] == 0                   # nobody has paid anything yet: no habit
    he = gvia_org("--lang", "he", "worklist", "--chase-first", "--now", "2026-12-07T10:00")
    assert he.code == 0 and "במי לטפל קודם" in he.out and "Alon Ltd" in he.out
    bad = gvia_org("--lang", "he", "worklist", "--group", "soon")
    assert bad.code != 0 and "אין קבוצה כזו" in bad.err
