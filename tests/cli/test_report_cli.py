"""`gvia report NAME` (issue 17): the table in the reader's language, JSON, CSV and an XLSX file
whose cells are safe to open in a spreadsheet."""

from __future__ import annotations

import json

from openpyxl import load_workbook


def test_report_formats(gvia_org, tmp_path):
    f = tmp_path / "inv.csv"
    f.write_text("customer_ref,customer_name,invoice_number,issue_date,due_date,amount\n"
                 "C1,=HYPERLINK(\"x\"),5001,2026-09-01,2026-10-01,12000.00\n", encoding="utf-8")
    assert gvia_org("import", "invoices", str(f), "--today", "2026-12-07").code == 0
    r = gvia_org("report", "dso", "--from", "2026-09-01", "--to", "2026-12-07", "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["report"] == "dso" and data["columns"] == ["month", "currency", "receivables", "sales", "dso_days"]
    assert [(r["month"], r["dso_days"]) for r in data["rows"]] == [
        ("2026-09", "30.0"), ("2026-10", "61.0"), ("2026-11", "91.0"), ("2026-12", "98.0")]
    he = gvia_org("--lang", "he", "report", "dso", "--from", "2026-12-01", "--to", "2026-12-07")
    assert he.code == 0 and "ימי אשראי" in he.out and "2026-12-07" not in he.out
    csv_text = gvia_org("--lang", "en", "report", "dso", "--from", "2026-12-01", "--to", "2026-12-07",
                        "--format", "csv").out
    assert csv_text.splitlines() == ["month,currency,receivables,sales,dso_days", "2026-12,ILS,12000.00,0.00,98.0"]
    out = tmp_path / "cei.xlsx"
    r = gvia_org("--lang", "en", "report", "cei", "--from", "2026-10-01", "--to", "2026-12-07", "--format", "xlsx",
                 "--output", str(out))
    assert r.code == 0, r.err
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "month" and len(rows) == 4 and rows[1][0] == "2026-10"
    assert gvia_org("--lang", "en", "report", "cei", "--format", "xlsx").code != 0
    bad = gvia_org("--lang", "en", "report", "profit")
    assert bad.code != 0 and "no such report" in bad.err
