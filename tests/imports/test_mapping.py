"""Canonical fields, header aliases and the header -> field mapping."""

from __future__ import annotations

import json

import pytest

from gvia.core.errors import ValidationFailed
from gvia.imports.fields import ALIASES, DESCRIPTIONS, FIELDS, REQUIRED, normalize_header
from gvia.imports.mapping import build_mapping, make_preset, parse_column_options

# --- the field lists -----------------------------------------------------------------------


def test_canonical_fields_are_exactly_the_issues_names():
    invoices = {"customer_ref", "customer_name", "customer_tax_id", "customer_email",
                "customer_phone", "customer_language", "kind", "applies_to", "invoice_number",
                "po_number", "issue_date", "due_date", "amount", "open_amount", "currency",
                "description"}
    payments = {"customer_ref", "date", "value_date", "amount", "currency", "method",
                "cheque_number", "reference", "withholding", "invoice_number", "rate"}
    assert invoices <= set(FIELDS["invoices"])
    assert payments <= set(FIELDS["payments"])
    # the extras beyond the issue's lists, all optional
    assert set(FIELDS["invoices"]) - invoices == {"customer_type", "customer_address",
                                                  "contact_name", "customer_claim_basis",
                                                  "allocation_number", "amount_before_vat",  # issue 15
                                                  "customer_large_business"}  # issue 15: the suppliers' law
    assert set(FIELDS["payments"]) - payments == {"customer_name", "cheque_bank",
                                                  "withholding_certificate"}
    assert set(FIELDS["customers"]) == {n for n in FIELDS["invoices"]
                                        if n.startswith(("customer_", "contact_"))}


def test_every_field_is_described_and_required_fields_exist():
    for kind, names in FIELDS.items():
        for name in names:
            assert DESCRIPTIONS[name]
        for group in REQUIRED[kind]:
            assert set(group) <= set(names)


@pytest.mark.parametrize("kind", list(FIELDS))
def test_no_header_means_two_fields_in_one_import(kind):
    owner: dict[str, str] = {}
    for name, keys in ALIASES[kind].items():
        for key in keys:
            assert owner.setdefault(key, name) == name, (kind, key, owner[key], name)


@pytest.mark.parametrize("a, b", [
    ("Due Date", "due_date"), ("DUE-DATE", "due date"), ("מס' חשבונית", "מס. חשבונית"),
    ("מס' חשבונית", "מס חשבונית"), ('דוא"ל', "דוא״ל"), ("ח.פ.", "ח\"פ"), ("\ufeffסכום ", "סכום"),
])
def test_normalize_header(a, b):
    assert normalize_header(a) == normalize_header(b)


# --- automatic mapping -------------------------------------------------------------------

HEBREW_INVOICE_HEADERS = ["מס' לקוח", "שם לקוח", "ח.פ.", "טלפון", 'דוא"ל', "מס' חשבונית",
                          "סוג מסמך", "תאריך", "תאריך פירעון", "סכום", "יתרה לתשלום", "מטבע",
                          "פרטים", "הזמנת רכש", "מס' שורה"]


def test_hebrew_invoice_headers():
    m = build_mapping("invoices", HEBREW_INVOICE_HEADERS)
    assert m.columns == {
        "customer_ref": 0, "customer_name": 1, "customer_tax_id": 2, "customer_phone": 3,
        "customer_email": 4, "invoice_number": 5, "kind": 6, "issue_date": 7, "due_date": 8,
        "amount": 9, "open_amount": 10, "currency": 11, "description": 12, "po_number": 13,
    }
    assert m.unused == ("מס' שורה",)
    assert m.header("issue_date") == "תאריך"
    assert m.header("applies_to") == "" and m.index("applies_to") is None


def test_same_hebrew_header_means_what_the_import_needs():
    headers = ["מס' לקוח", "תאריך", "תאריך ערך", "סכום", "אסמכתא"]
    payments = build_mapping("payments", headers)
    assert (payments.index("date"), payments.index("value_date"),
            payments.index("reference")) == (1, 2, 4)
    invoices = build_mapping("invoices", headers)
    assert (invoices.index("issue_date"), invoices.index("due_date"),
            invoices.index("invoice_number")) == (1, 2, 4)


def test_payment_headers():
    headers = ["קוד לקוח", "תאריך קבלה", "סכום", "אמצעי תשלום", "מס' צ'ק", "בנק",
               "ניכוי במקור", "אישור ניכוי במקור", "מס' חשבונית", "שער יציג", "מטבע"]
    m = build_mapping("payments", headers)
    assert [m.index(n) for n in ("customer_ref", "date", "amount", "method", "cheque_number",
                                 "cheque_bank", "withholding", "withholding_certificate",
                                 "invoice_number", "rate", "currency")] == list(range(11))


def test_english_headers_any_case_and_punctuation():
    m = build_mapping("invoices", ["CUSTOMER ID", "Invoice #", "Invoice-Date", "Due_Date",
                                   "TOTAL", "Balance Due", "Curr."])
    assert [m.index(n) for n in ("customer_ref", "invoice_number", "issue_date", "due_date",
                                 "amount", "open_amount", "currency")] == list(range(7))


def test_most_specific_alias_wins_and_the_other_column_is_unused():
    m = build_mapping("invoices", ["customer_ref", "invoice_number", "issue_date", 'סה"כ',
                                   "סכום"])
    assert m.header("amount") == "סכום"
    assert m.unused == ('סה"כ',)


def test_header_with_currency_suffix():
    m = build_mapping("invoices", ["customer_ref", "invoice_number", "issue_date",
                                   'סכום בש"ח', "Balance (ILS)"])
    assert m.header("amount") == 'סכום בש"ח'
    assert m.header("open_amount") == "Balance (ILS)"


def test_invoices_need_an_issue_date_or_a_due_date():
    m = build_mapping("invoices", ["customer_ref", "invoice_number", "due date", "amount"])
    assert m.has("due_date") and not m.has("issue_date")


def test_missing_required_columns_are_all_reported_with_the_files_headers():
    with pytest.raises(ValidationFailed) as info:
        build_mapping("invoices", ["לקוח", "סכום", "הערות"])
    problems = info.value.problems
    assert [p.field for p in problems] == ["customer_ref", "invoice_number", "issue_date"]
    assert "'לקוח', 'סכום', 'הערות'" in problems[0].message
    assert "--column customer_ref=HEADER" in problems[0].message
    assert "(or due_date)" in problems[2].message


# --- overrides -----------------------------------------------------------------------------

def test_override_picks_the_column_and_frees_the_automatic_one():
    headers = ["לקוח", "מסמך", "תאריך", "סכום", "יתרה"]
    m = build_mapping("invoices", headers, {"customer_ref": "לקוח", "open_amount": ""})
    assert m.index("customer_ref") == 0
    assert m.index("customer_name") is None    # the column is taken by the override
    assert m.index("open_amount") is None      # turned off
    assert m.how["customer_ref"] == "--column" and m.how["amount"] == "header"
    assert m.unused == ("יתרה",)


def test_override_matches_normalized_header_and_position():
    headers = ["Ref", "Doc", "Date", "Amount", "Amount"]
    m = build_mapping("invoices", headers, {"customer_ref": " ref ", "invoice_number": "DOC",
                                            "amount": "#5"})
    assert (m.index("customer_ref"), m.index("invoice_number"), m.index("amount")) == (0, 1, 4)


def test_two_fields_may_name_the_same_column():
    m = build_mapping("invoices", ["ref", "no", "date", "amount"],
                      {"customer_ref": "ref", "invoice_number": "no",
                       "issue_date": "date", "due_date": "date"})
    assert m.index("issue_date") == m.index("due_date") == 2


def test_override_naming_a_missing_header_says_which_headers_exist():
    with pytest.raises(ValidationFailed) as info:
        build_mapping("invoices", ["מס' לקוח", "מס' חשבונית", "תאריך", "סכום"],
                      {"amount": "Total"})
    (problem,) = info.value.problems
    assert problem.field == "amount" and problem.value == "Total"
    assert "no column 'Total'" in problem.message
    assert "\"מס' לקוח\", \"מס' חשבונית\", 'תאריך', 'סכום'" in problem.message


def test_override_of_a_repeated_header_asks_for_a_position():
    with pytest.raises(ValidationFailed, match="amount=#4"):
        build_mapping("invoices", ["ref", "no", "date", "Amount", "Amount"], {"amount": "Amount"})


def test_override_of_an_unknown_field():
    with pytest.raises(ValidationFailed, match="'amout' is not a field of the invoices import"):
        build_mapping("invoices", ["ref"], {"amout": "ref"})


def test_out_of_range_position():
    with pytest.raises(ValidationFailed, match="no column '#9'"):
        build_mapping("invoices", ["a", "b"], {"amount": "#9"})


def test_turning_off_a_required_field_is_refused():
    with pytest.raises(ValidationFailed, match="turned off with --column"):
        build_mapping("payments", ["customer_ref", "date", "amount"], {"amount": ""})


def test_parse_column_options():
    assert parse_column_options(["invoice_number=מס' חשבונית", "x=a=b", "open_amount="]) == {
        "invoice_number": "מס' חשבונית", "x": "a=b", "open_amount": ""}
    with pytest.raises(ValidationFailed, match="FIELD=HEADER"):
        parse_column_options(["amount"])


# --- presets -------------------------------------------------------------------------------

def test_preset_round_trip_through_json():
    headers = ["Kunde", "Rechnung", "Datum", "Betrag", "", ""]
    m = build_mapping("invoices", headers, {"customer_ref": "Kunde", "invoice_number": "Rechnung",
                                            "issue_date": "Datum", "amount": "Betrag",
                                            "description": "#6"})
    preset = json.loads(json.dumps(make_preset(m, date_format="%d.%m.%Y")))
    assert preset == {"kind": "invoices", "date_format": "%d.%m.%Y", "decimal_comma": False,
                      "columns": {"customer_ref": "Kunde", "invoice_number": "Rechnung",
                                  "issue_date": "Datum", "amount": "Betrag",
                                  "description": "#6"}}
    again = build_mapping("invoices", headers, preset=preset)
    assert again.columns == m.columns
    assert again.how["amount"] == "preset"


def test_preset_skips_headers_the_file_lacks_and_overrides_win():
    preset = {"kind": "invoices", "columns": {"customer_ref": "Kunde", "po_number": "Bestellung",
                                              "amount": "Betrag"}}
    m = build_mapping("invoices", ["Kunde", "Betrag", "Brutto", "invoice_number", "date"],
                      {"amount": "Brutto"}, preset)
    assert m.header("customer_ref") == "Kunde"
    assert m.index("po_number") is None
    assert m.header("amount") == "Brutto"


def test_preset_for_another_import_is_refused():
    with pytest.raises(ValidationFailed, match="preset is for the payments import"):
        build_mapping("invoices", ["a"], preset={"kind": "payments", "columns": {}})


def test_describe():
    m = build_mapping("payments", ["לקוח", "תאריך", "סכום"], {"customer_ref": "לקוח"})
    assert m.describe() == ["customer_ref <- 'לקוח' (--column)", "date <- 'תאריך' (header)",
                            "amount <- 'סכום' (header)"]


def test_a_bare_field_to_header_dict_is_a_preset_too():
    m = build_mapping("payments", ["Kunde", "Datum", "Betrag"],
                      preset={"customer_ref": "Kunde", "date": "Datum", "amount": "Betrag",
                              "date_format": "%d.%m.%Y"})
    assert m.columns == {"customer_ref": 0, "date": 1, "amount": 2}
    with pytest.raises(ValidationFailed, match="'datum' is not a field"):
        build_mapping("payments", ["Kunde"], preset={"datum": "Datum"})
