"""`gvia org show|set` and `gvia init`'s options set every detail a letter needs, in the
organization's own fields (the ones the web's settings page edits), checked and audited; `gvia
letter` refusing for missing details names each one as a setting or a customer field and says
how to fill it in; a sole trader's number is labelled ע.מ. in the letter (issue 12)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.documents.pdftext import pdf_text

pytestmark = pytest.mark.slow
ADMIN = ("--admin-email", "owner@gilboa.example", "--admin-password", "Gvia-test-2026!")


def org_details(gvia) -> dict:
    r = gvia("org", "show", "--format", "json")
    assert r.code == 0, r.err
    return json.loads(r.out)


def test_init_takes_every_detail_a_letter_needs(gvia):
    r = gvia("init", "--org", 'גלבוע ציוד בע"מ', "--country", "IL", *ADMIN, "--tax-id", "515123453",
             "--address", "רחוב הברזל 32\\nתל אביב-יפו 6971035", "--phone", "03-6123456",
             "--email", "billing@gilboa.example", "--signatory", "דנה לוי", "--signatory-title", "מנהלת כספים",
             "--bank-details", "בנק: לאומי (10)\\nסניף: 800\\nחשבון: 12345678",
             "--payment-link", "pay.gilboa.example/p",
             "--name-en", "Gilboa Equipment Ltd", "--address-en", "32 HaBarzel St\\nTel Aviv-Yafo 6971035",
             "--signatory-en", "Dana Levi", "--signatory-title-en", "Finance Manager")
    assert r.code == 0, r.err
    assert org_details(gvia) == {
        "name": 'גלבוע ציוד בע"מ', "name_en": "Gilboa Equipment Ltd", "tax_id": "515123453",
        "address": "רחוב הברזל 32\nתל אביב-יפו 6971035", "address_en": "32 HaBarzel St\nTel Aviv-Yafo 6971035",
        "phone": "03-6123456", "email": "billing@gilboa.example", "signatory_name": "דנה לוי",
        "signatory_title": "מנהלת כספים", "signatory_name_en": "Dana Levi", "signatory_title_en": "Finance Manager",
        "bank_name": "", "bank_branch": "", "bank_account": "", "bank_iban": "", "bank_beneficiary": "",
        "bank_swift": "", "bank_sort_code": "",
        "bank_details": "בנק: לאומי (10)\nסניף: 800\nחשבון: 12345678", "payment_link": "https://pay.gilboa.example/p"}
    table = gvia("org", "show")
    assert table.code == 0 and "Gilboa Equipment Ltd" in table.out and "signatory_title_en" in table.out
    # the bank details' fields, set one by one as on the settings page (issue 13)
    for field, value in (("bank_name", "הבינלאומי (31)"), ("bank_branch", "012"), ("bank_account", "987654"),
                         ("bank_iban", "IL62 0108 0000 0009 9999 999"), ("bank_details", "")):
        assert gvia("org", "set", field, value).code == 0, field
    shown = org_details(gvia)
    assert (shown["bank_name"], shown["bank_account"], shown["bank_iban"], shown["bank_details"]) == (
        "הבינלאומי (31)", "987654", "IL620108000000099999999", "")
    bad = gvia("org", "set", "bank_iban", "IL00 0108")
    assert bad.code == 1 and "setting 'bank_iban'" in bad.err


def test_init_refuses_a_bad_detail_and_creates_nothing(gvia):
    r = gvia("init", "--org", "Acme", "--country", "GB", *ADMIN, "--phone", "call me")
    assert r.code == 1 and "setting 'phone'" in r.err and "Not a phone number" in r.err
    assert gvia("org", "show").code == 1          # no organization was created


def test_org_set_checks_each_detail_and_records_each_change(gvia_org):
    g = gvia_org
    for field, value, message in (("email", "billing-at-demo", "An e-mail address is needed"),
                                  ("phone", "12", "Not a possible phone number in IL"),
                                  ("payment_link", "not a link", "Not a web address"),
                                  ("colour", "blue", "Not one of the organization's details: name, "),
                                  ("name", " ", "Cannot be empty")):
        r = g("org", "set", field, value)
        assert r.code == 1, (field, r.out)
        assert f"setting '{field}'" in r.err and message in r.err, r.err
        assert "column" not in r.err
    r = g("org", "set", "address", "רחוב הגפן 7\\nכפר סבא")
    assert r.code == 0, r.err
    assert "address = רחוב הגפן 7 / כפר סבא" in r.out
    assert "nothing changed" in g("org", "set", "address", "רחוב הגפן 7\\nכפר סבא").out
    assert g("org", "set", "signatory_name_en", "Dana Levi").code == 0
    assert g("org", "set", "phone", "04-9981234").code == 0
    details = org_details(g)
    assert (details["address"], details["signatory_name_en"], details["phone"]) == (
        "רחוב הגפן 7\nכפר סבא", "Dana Levi", "04-9981234")
    con = sqlite3.connect(g.tmp / "gvia.db")
    audited = [(a, json.loads(d)["changes"]) for a, d in con.execute(
        "SELECT action, details FROM gvia_auditrecord WHERE action LIKE '%.updated' ORDER BY id")]
    con.close()
    assert audited == [("organization.updated", {"address": ["", "רחוב הגפן 7\nכפר סבא"]}),
                       ("letterhead.updated", {"signatory_name_en": ["", "Dana Levi"]}),
                       ("organization.updated", {"phone": ["", "04-9981234"]})]


INVOICES = ("customer_ref,customer_name,customer_type,customer_address,invoice_number,issue_date,due_date,amount\n"
            'C-7,יוסי כהן - שיפוצים,עוסק מורשה,"הגפן 7, חיפה",R-1,2026-08-01,2026-08-31,2340.00\n'
            'C-7,יוסי כהן - שיפוצים,עוסק מורשה,"הגפן 7, חיפה",R-2,2026-09-01,2026-10-01,980.50\n')


def test_a_letter_names_each_missing_detail_and_labels_a_sole_trader(gvia_org, tmp_path):
    g = gvia_org
    (tmp_path / "invoices.csv").write_text(INVOICES, encoding="utf-8")
    assert g("import", "invoices", str(tmp_path / "invoices.csv")).code == 0
    out = tmp_path / "warning.pdf"
    r = g("letter", "C-7", "--document", "warning_letter", "--as-of", "2026-11-23", "--out", str(out))
    assert r.code == 1 and not out.exists()
    for missing in ("setting 'tax_id'", "setting 'address'", "setting 'phone'", "setting 'email'",
                    "setting 'signatory_name'", "gvia org set address VALUE", "customer field 'tax_id'",
                    "import it in a customers file"):
        assert missing in r.err, (missing, r.err)
    assert "column" not in r.err and "customer field 'address'" not in r.err
    for field, value in (("tax_id", "515123453"), ("address", "רחוב הברזל 32\\nתל אביב-יפו"), ("phone", "03-6123456"),
                         ("email", "billing@demo.example"), ("signatory_name", "דנה לוי")):
        assert g("org", "set", field, value).code == 0
    (tmp_path / "customers.csv").write_text("מס' לקוח,שם לקוח,ע.מ.\nC-7,יוסי כהן - שיפוצים,123456782\n",
                                            encoding="utf-8")
    customers = g("import", "customers", str(tmp_path / "customers.csv"))
    assert customers.code == 0, customers.err
    r = g("letter", "C-7", "--document", "warning_letter", "--as-of", "2026-11-23", "--out", str(out))
    assert r.code == 0, r.err
    text = pdf_text(out.read_bytes())
    assert "ע.מ. 123456782" in text and "ח.פ. 123456782" not in text
    assert "ח.פ. 515123453" in text          # the organization's own company number
