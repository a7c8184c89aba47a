"""Writing the demo as CSV: canonical files, and Israeli-export style files for import tests."""

from __future__ import annotations

import csv

import pytest

from gvia.demo import CUSTOMER_FIELDS, HEBREW_HEADERS, INVOICE_FIELDS, PAYMENT_FIELDS, generate, names, write_csv
from gvia.demo.csvout import with_thousands


@pytest.fixture(scope="module")
def small(as_of):
    return generate(60, seed=2, as_of=as_of)


def read(path, encoding="utf-8"):
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.reader(f))


def test_canonical_files(small, tmp_path):
    paths = write_csv(small, tmp_path / "out")
    assert set(paths) == {"customers", "invoices", "payments"}
    assert [p.name for p in paths.values()] == ["customers.csv", "invoices.csv", "payments.csv"]
    customers, invoices, payments = (read(paths[k]) for k in ("customers", "invoices", "payments"))
    assert tuple(customers[0]) == CUSTOMER_FIELDS
    assert tuple(invoices[0]) == INVOICE_FIELDS
    assert tuple(payments[0]) == PAYMENT_FIELDS
    assert [tuple(r) for r in customers[1:]] == list(small.iter_customer_rows())
    assert [tuple(r) for r in invoices[1:]] == list(small.iter_invoice_rows())
    assert [tuple(r) for r in payments[1:]] == list(small.iter_payment_rows())
    assert not paths["invoices"].read_bytes().startswith(b"\xef\xbb\xbf")


def test_names_with_quotes_survive(tmp_path, as_of):
    data = generate(300, seed=1, as_of=as_of)
    paths = write_csv(data, tmp_path)
    names = [r[1] for r in read(paths["customers"])[1:]]
    assert any('בע"מ' in n for n in names)
    assert names == [r[1] for r in data.iter_customer_rows()]


def test_hebrew_export_in_windows_1255(small, tmp_path):
    paths = write_csv(small, tmp_path, headers="hebrew", encoding="windows-1255",
                      date_format="%d/%m/%Y", thousands=True)
    raw = paths["invoices"].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    invoices = read(paths["invoices"], "windows-1255")
    header = invoices[0]
    assert header[:2] == ["מס' לקוח", "שם לקוח"]
    assert "מס' חשבונית" in header and "תאריך פירעון" in header and "יתרה" in header
    assert "סכום" in header and "מטבע" in header and "תאריך" in header
    first = dict(zip(INVOICE_FIELDS, next(small.iter_invoice_rows())))
    row = dict(zip(INVOICE_FIELDS, invoices[1]))
    y, m, d = first["issue_date"].split("-")
    assert row["issue_date"] == f"{d}/{m}/{y}"
    assert row["amount"] == with_thousands(first["amount"])
    assert row["customer_name"] == first["customer_name"]
    payments = read(paths["payments"], "windows-1255")
    assert payments[0][PAYMENT_FIELDS.index("date")] == "תאריך"
    assert payments[0][PAYMENT_FIELDS.index("value_date")] == "תאריך ערך"
    for name, fields in (("customers", CUSTOMER_FIELDS), ("invoices", INVOICE_FIELDS),
                         ("payments", PAYMENT_FIELDS)):
        headers = [HEBREW_HEADERS[name][f] for f in fields]
        assert len(set(headers)) == len(headers)
        assert read(paths[name], "windows-1255")[0] == headers


def test_bom_and_no_open_amount(small, tmp_path):
    paths = write_csv(small, tmp_path, encoding="utf-8-sig", open_amount=False)
    assert paths["invoices"].read_bytes().startswith(b"\xef\xbb\xbf")
    invoices = read(paths["invoices"], "utf-8-sig")
    assert "open_amount" not in invoices[0] and len(invoices[0]) == len(INVOICE_FIELDS) - 1
    assert all(len(r) == len(INVOICE_FIELDS) - 1 for r in invoices)


def test_every_name_part_fits_windows_1255():
    texts = [HEBREW_HEADERS[f][k] for f in HEBREW_HEADERS for k in HEBREW_HEADERS[f]]
    for value in vars(names).values():
        if isinstance(value, tuple):
            texts += [x for item in value for x in (item if isinstance(item, tuple) else (item,))]
    texts += ["זיכוי לחשבונית 1", "שוטף + 30", "מיידי"]
    assert len(texts) > 500
    for text in texts:
        text.encode("windows-1255")


def test_with_thousands():
    assert with_thousands("1250000.00") == "1,250,000.00"
    assert with_thousands("999.50") == "999.50"
    assert with_thousands("") == ""


def test_progress_and_bad_options(small, tmp_path):
    seen = []
    write_csv(small, tmp_path, progress=seen.append)
    assert seen == list(range(1, 61))
    with pytest.raises(ValueError):
        write_csv(small, tmp_path, headers="french")
    with pytest.raises(ValueError):
        write_csv(small, tmp_path, encoding="latin-1")


def test_two_workers_write_the_same_bytes(tmp_path, as_of):
    data = generate(2400, seed=8, as_of=as_of, invoices_per_customer=1.0)
    one = write_csv(data, tmp_path / "one", encoding="utf-8-sig", thousands=True)
    seen = []
    two = write_csv(data, tmp_path / "two", encoding="utf-8-sig", thousands=True, workers=2,
                    progress=seen.append)
    for name in one:
        assert one[name].read_bytes() == two[name].read_bytes(), name
    assert seen[-1] == 2400 and seen == sorted(seen)
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == [
        "customers.csv", "invoices.csv", "payments.csv"]
