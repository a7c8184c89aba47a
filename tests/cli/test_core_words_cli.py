"""The command line words what the importers' readers and row checks say (issue 13) in the language
it speaks: a negative amount without a kind names ``--negative-as-credit-notes`` here (the web page
asks to tick its box), an amount that cannot be read is explained in Hebrew."""

from __future__ import annotations

NEGATIVE = ("מס' לקוח,שם לקוח,מס' חשבונית,תאריך,תאריך פירעון,סכום\n"
            "C001,אלון,INV-7001,01/03/2026,31/03/2026,-250.00\n"
            "C001,אלון,INV-7002,01/03/2026,31/03/2026,שלושים\n")


def test_an_import_s_row_problems_in_hebrew_and_english(gvia_org, tmp_path):
    f = tmp_path / "negative.csv"
    f.write_text(NEGATIVE, encoding="utf-8")
    r = gvia_org("--lang", "he", "import", "invoices", str(f))
    assert r.code == 1
    assert "הוסיפו עמודת סוג, או ‎--negative-as-credit-notes אם השורות השליליות הן זיכויים" in r.err
    assert "שורה 3" in r.err and "אינו סכום (ערך: שלושים)" in r.err
    assert "negative amount" not in r.err and "not an amount" not in r.err
    r = gvia_org("import", "invoices", str(f))
    assert r.code == 1
    assert "or give --negative-as-credit-notes if negative rows are credit notes" in r.err
    assert "Not an amount" in r.err


def test_a_column_option_naming_no_field_is_explained_in_hebrew(gvia_org, tmp_path):
    f = tmp_path / "negative.csv"
    f.write_text(NEGATIVE, encoding="utf-8")
    r = gvia_org("--lang", "he", "import", "invoices", str(f), "--column", "nosuch=סכום")
    assert r.code == 1
    assert "nosuch אינו שדה של ייבוא invoices; השדות שלו: customer_ref" in r.err
    assert "is not a field" not in r.err
