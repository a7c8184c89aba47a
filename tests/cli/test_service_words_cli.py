"""The command line words a service's coded problems and refusals in the language it speaks
(issue 13): the import's missing column names the ``--column`` option here (and only here: the
web page asks to choose the column), and a date that does not exist is explained in Hebrew."""

from __future__ import annotations

NO_REF = "שם לקוח,מס' חשבונית,תאריך,תאריך פירעון,סכום\nאלון,INV-7001,01/03/2026,31/03/2026,100\n"
BAD_DATE = ("מס' לקוח,שם לקוח,מס' חשבונית,תאריך,תאריך פירעון,סכום\n"
            "C001,אלון,INV-7001,01/03/2026,31/02/2026,100\n")


def test_a_missing_column_names_the_option_in_each_language(gvia_org, tmp_path):
    f = tmp_path / "no_ref.csv"
    f.write_text(NO_REF, encoding="utf-8")
    r = gvia_org("import", "invoices", str(f))
    assert r.code == 1
    assert "Name the column with --column customer_ref=HEADER" in r.err
    r = gvia_org("--lang", "he", "import", "invoices", str(f))
    assert r.code == 1
    assert "אין עמודה עבור customer_ref" in r.err and "--column customer_ref=HEADER" in r.err
    assert "Name the column" not in r.err


def test_a_date_that_does_not_exist_in_hebrew(gvia_org, tmp_path):
    f = tmp_path / "bad_date.csv"
    f.write_text(BAD_DATE, encoding="utf-8")
    r = gvia_org("--lang", "he", "import", "invoices", str(f))
    assert r.code == 1
    assert "שורה 2" in r.err and "אין תאריך כזה (נקרא כיום 31, חודש 2, שנה 2026) (ערך: 31/02/2026)" in r.err
    assert "no such date" not in r.err
