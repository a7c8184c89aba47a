"""Importing real-looking files through the service: exact totals, all-or-nothing, re-imports."""

from datetime import date
from pathlib import Path

import pytest

from gvia.core.errors import ValidationFailed
from gvia.services.ledger import books as ledger
from gvia.services.ledger import imports
from gvia.store.models import AuditRecord, Contact, Customer, ImportRun, Invoice, MappingPreset, Payment

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)

# A Hebrew accounting export (Windows-1255, day-first dates, ₪ amounts with thousands separators,
# an open-balance column) whose headers need one explicit mapping: "אסמכתא" is the invoice number.
HEBREW_EXPORT = (
    "קוד לקוח,שם לקוח,ח.פ.,אסמכתא,תאריך,תאריך פירעון,סכום,יתרה,מטבע\n"
    '1001,"אלפא שיווק בע""מ",514756022,INV-101,01/08/2026,31/08/2026,"₪ 12,500.00","12,500.00",ש"ח\n'
    '1001,"אלפא שיווק בע""מ",514756022,INV-102,15/09/2026,15/10/2026,"₪ 3,400.50","1,400.50",ש"ח\n'
    "1002,בטא מחשבים,,INV-103,01/11/2026,01/12/2026,\"₪ 999.99\",\"999.99\",ש\"ח\n"
    "1003,Gamma Ltd,,INV-104,01/05/2026,31/05/2026,\"$ 2,000.00\",\"2,000.00\",USD\n"
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_hebrew_export_with_mapping_gives_exact_aging(ctx, tmp_path):
    f = write(tmp_path, "export.csv", HEBREW_EXPORT, "cp1255")
    rep = imports.import_file(ctx, "invoices", f, today=TODAY, columns={"invoice_number": "אסמכתא"},
                              save_as="hashbshevet")
    assert (rep.rows, rep.created, rep.customers_created) == (4, 4, 3)
    report, unapplied = ledger.aging(ctx, TODAY)
    data = report.to_json_dict(unapplied)
    # INV-101: 84 days past due → 61-90; INV-102: 39 days → 31-60 (open 1,400.50); INV-103 not due
    assert data["currencies"]["ILS"] == {"not_due": "999.99", "1-30": "0.00", "31-60": "1400.50",
                                         "61-90": "12500.00", "91-180": "0.00", "180+": "0.00",
                                         "total": "14900.49"}
    # INV-104: due 31/05/2026, 176 days → 91-180
    assert data["currencies"]["USD"]["91-180"] == "2000.00"
    inv = Invoice.objects.get(number="INV-102")
    assert (inv.amount_minor, inv.settled_outside_minor, inv.open_minor) == (340050, 200000, 140050)
    alfa = Customer.objects.get(ref="1001")
    assert (alfa.name, alfa.tax_id) == ('אלפא שיווק בע"מ', "514756022")
    assert MappingPreset.objects.get(name="hashbshevet").columns == {"invoice_number": "אסמכתא"}
    assert ImportRun.objects.get().rows == 4
    assert AuditRecord.objects.filter(action="import.invoices").count() == 1


def test_reimport_changes_nothing_and_update_says_what_changed(ctx, tmp_path):
    f = write(tmp_path, "export.csv", HEBREW_EXPORT, "cp1255")
    imports.import_file(ctx, "invoices", f, today=TODAY, columns={"invoice_number": "אסמכתא"})
    again = imports.import_file(ctx, "invoices", f, today=TODAY, columns={"invoice_number": "אסמכתא"})
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    changed = write(tmp_path, "export2.csv", HEBREW_EXPORT.replace('"1,400.50"', '"400.50"'), "cp1255")
    rep = imports.import_file(ctx, "invoices", changed, today=TODAY, columns={"invoice_number": "אסמכתא"})
    assert (rep.created, rep.updated, rep.unchanged) == (0, 1, 3)
    assert rep.changes == ["invoice INV-102: settled outside gvia 2000.00 → 3000.00"]
    assert Invoice.objects.get(number="INV-102").open_minor == 40050


def test_full_closes_open_invoices_missing_from_the_file(ctx, tmp_path):
    f = write(tmp_path, "export.csv", HEBREW_EXPORT, "cp1255")
    imports.import_file(ctx, "invoices", f, today=TODAY, columns={"invoice_number": "אסמכתא"})
    lines = HEBREW_EXPORT.splitlines()
    smaller = write(tmp_path, "export3.csv", "\n".join(lines[:2] + lines[3:]) + "\n", "cp1255")
    rep = imports.import_file(ctx, "invoices", smaller, today=TODAY, columns={"invoice_number": "אסמכתא"},
                              full=True)
    assert rep.closed_numbers == ["INV-102"]
    inv = Invoice.objects.get(number="INV-102")
    assert inv.open_minor == 0 and inv.settled_outside_minor == inv.amount_minor


def test_a_bad_file_is_refused_with_row_column_and_value_and_nothing_is_written(ctx, tmp_path):
    bad = write(tmp_path, "bad.csv",
                "customer_ref,customer_name,invoice_number,issue_date,due_date,amount,currency\n"
                "C1,Alpha,A-1,2026-10-01,2026-10-31,100.00,ILS\n"
                "C1,Alpha,A-2,2026-02-31,2026-03-31,100.00,ILS\n"       # impossible date (row 3)
                "C2,Beta,A-3,2026-10-01,2026-10-31,ten,ILS\n"           # not a number (row 4)
                "C2,Beta,,2026-10-01,2026-10-31,5.00,ILS\n"             # missing invoice number (row 5)
                "C3,Gamma,A-5,2026-10-01,2026-10-31,5.00,XYZ\n")        # unknown currency (row 6)
    with pytest.raises(ValidationFailed) as e:
        imports.import_file(ctx, "invoices", bad, today=TODAY)
    probs = {(p.row, p.field) for p in e.value.problems}
    assert {(3, "issue_date"), (4, "amount"), (5, "invoice_number"), (6, "currency")} <= probs
    assert all(p.source == "bad.csv" for p in e.value.problems)
    assert "2026-02-31" in str(e.value)
    assert Invoice.objects.count() == 0 and Customer.objects.count() == 0 and ImportRun.objects.count() == 0


def test_credit_note_for_unknown_invoice_rejects_the_file(ctx, tmp_path):
    f = write(tmp_path, "cn.csv",
              "customer_ref,customer_name,kind,applies_to,invoice_number,issue_date,due_date,amount\n"
              "C1,Alpha,invoice,,A-1,2026-10-01,2026-10-31,100.00\n"
              "C1,Alpha,credit_note,A-999,CN-1,2026-10-05,2026-10-05,10.00\n")
    with pytest.raises(ValidationFailed) as e:
        imports.import_file(ctx, "invoices", f, today=TODAY)
    [p] = e.value.problems
    assert (p.row, p.field, p.value) == (3, "applies_to", "A-999")
    assert Invoice.objects.count() == 0


def test_payments_reimport_is_idempotent_and_allocates(ctx, tmp_path):
    inv = write(tmp_path, "inv.csv",
                "customer_ref,customer_name,customer_email,invoice_number,issue_date,due_date,amount\n"
                "C1,Alpha,billing@alpha.co.il,A-1,2026-09-01,2026-10-01,1000.00\n"
                "C1,Alpha,billing@alpha.co.il,A-2,2026-09-15,2026-10-15,500.00\n")
    imports.import_file(ctx, "invoices", inv, today=TODAY)
    assert Contact.objects.get(customer__ref="C1").email == "billing@alpha.co.il"
    pay = write(tmp_path, "pay.csv",
                "customer_ref,date,amount,method,cheque_number,value_date,withholding,reference\n"
                "C1,2026-11-01,800.00,transfer,,,,TR-1\n"
                "C1,2026-11-02,300.00,cheque,555,2027-01-01,,\n"                 # post-dated: pending
                "C1,2026-11-02,300.00,cheque,556,2026-11-02,,\n")
    rep = imports.import_file(ctx, "payments", pay, today=TODAY)
    assert rep.created == 3
    assert Payment.objects.get(cheque_number="555").status == "pending"
    assert Payment.objects.get(cheque_number="556").status == "cleared"
    a1, a2 = Invoice.objects.get(number="A-1"), Invoice.objects.get(number="A-2")
    # 800 + 300 (pending) + 300 = 1,400 against 1,500, oldest first
    assert (a1.open_minor, a2.open_minor) == (0, 10000)
    again = imports.import_file(ctx, "payments", pay, today=TODAY)
    assert (again.created, again.unchanged) == (0, 3)
    assert Payment.objects.count() == 3


def test_dry_run_reports_without_writing(ctx, tmp_path):
    f = write(tmp_path, "export.csv", HEBREW_EXPORT, "cp1255")
    rep = imports.import_file(ctx, "invoices", f, today=TODAY, columns={"invoice_number": "אסמכתא"}, dry_run=True)
    assert rep.created == 4 and rep.dry_run
    assert Invoice.objects.count() == 0 and Customer.objects.count() == 0
