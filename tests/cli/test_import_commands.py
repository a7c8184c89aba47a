"""The real `gvia import` / `gvia aging` commands on a Hebrew accounting export."""

import json
import sqlite3

EXPORT = (
    "קוד לקוח,שם לקוח,אסמכתא,תאריך,תאריך פירעון,סכום,יתרה\n"
    '1001,"אלפא שיווק בע""מ",INV-101,01/08/2026,31/08/2026,"₪ 12,500.00","12,500.00"\n'
    '1001,"אלפא שיווק בע""מ",INV-102,15/09/2026,15/10/2026,"₪ 3,400.50","1,400.50"\n'
    '1002,בטא מחשבים,INV-103,01/11/2026,01/12/2026,"₪ 999.99","999.99"\n'
)


def test_hebrew_export_with_mapping_then_exact_aging_json(gvia_org, tmp_path):
    f = tmp_path / "hashavshevet.csv"
    f.write_bytes(EXPORT.encode("cp1255"))
    r = gvia_org("import", "invoices", str(f), "--column", "invoice_number=אסמכתא", "--format", "json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["created"] == 3
    r = gvia_org("aging", "--as-of", "2026-11-23", "--format", "json")
    assert r.code == 0, r.err
    assert json.loads(r.out) == {
        "as_of": "2026-11-23",
        "currencies": {"ILS": {"not_due": "999.99", "1-30": "0.00", "31-60": "1400.50", "61-90": "12500.00",
                               "91-180": "0.00", "180+": "0.00", "total": "14900.49"}},
        "unapplied_credit": {}}


def test_broken_file_exit_1_names_row_column_value_and_writes_nothing(gvia_org, tmp_path):
    f = tmp_path / "broken.csv"
    f.write_text("customer_ref,invoice_number,issue_date,due_date,amount\n"
                 "C1,A-1,2026-10-01,2026-10-31,100.00\n"
                 "C1,A-2,31/02/2026,2026-10-31,100.00\n", encoding="utf-8")
    r = gvia_org("import", "invoices", str(f))
    assert r.code == 1
    assert "broken.csv" in r.err and "row 3" in r.err and "issue_date" in r.err and "31/02/2026" in r.err
    con = sqlite3.connect(gvia_org.tmp / "gvia.db")
    assert con.execute("select count(*) from gvia_invoice").fetchone() == (0,)
    assert con.execute("select count(*) from gvia_customer").fetchone() == (0,)


def test_missing_file_is_refused(gvia_org, tmp_path):
    r = gvia_org("import", "payments", str(tmp_path / "nope.csv"))
    assert r.code == 1 and "nope.csv" in r.err


def test_a_bad_today_is_a_usage_error_and_nothing_is_written(gvia_org, tmp_path):
    f = tmp_path / "ok.csv"
    f.write_text("customer_ref,invoice_number,issue_date,due_date,amount\nC1,A-1,2026-10-01,2026-10-31,100.00\n",
                 encoding="utf-8")
    r = gvia_org("import", "invoices", str(f), "--today", "2026-13-01")
    assert r.code == 2 and "--today takes a date" in r.err
    con = sqlite3.connect(gvia_org.tmp / "gvia.db")
    assert con.execute("select count(*) from gvia_invoice").fetchone() == (0,)


def test_demo_refuses_a_bad_as_of_with_a_usage_error(gvia):
    r = gvia("demo", "--customers", "5", "--as-of", "yesterday")
    assert r.code == 2 and "--as-of takes a date" in r.err


def test_negative_rows_and_unknown_payers_need_saying_outright(gvia_org, tmp_path):
    invoices = tmp_path / "invoices.csv"
    invoices.write_text("customer_ref,customer_name,invoice_number,issue_date,due_date,amount\n"
                        "C1,Alon Ltd,1001,2026-09-01,2026-10-01,1000.00\n"
                        "C1,Alon Ltd,1002,2026-09-05,2026-10-05,-200.00\n", encoding="utf-8")
    r = gvia_org("import", "invoices", str(invoices))
    assert r.code == 1
    assert "invoices.csv" in r.err and "row 3" in r.err and "amount" in r.err and "-200.00" in r.err
    r = gvia_org("import", "invoices", str(invoices), "--negative-as-credit-notes", "--format", "json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["created"] == 2
    bank = tmp_path / "bank.csv"
    bank.write_text("customer_ref,date,amount,reference\nC1,2026-11-01,300.00,T-1\nC7,2026-11-02,450.00,T-2\n",
                    encoding="utf-8")
    r = gvia_org("import", "payments", str(bank))
    assert r.code == 1 and "row 3" in r.err and "customer_ref" in r.err and "C7" in r.err
    con = sqlite3.connect(gvia_org.tmp / "gvia.db")
    assert con.execute("select count(*) from gvia_payment").fetchone() == (0,)
    r = gvia_org("import", "payments", str(bank), "--create-customers", "--format", "json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["customers_created"] == 1
