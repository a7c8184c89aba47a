"""Reading files as tables: encodings, delimiters, header rows, row numbers, spreadsheets."""

from __future__ import annotations

import datetime as dt
import inspect
import shutil
from decimal import Decimal

import pytest

from gvia.core.errors import NotFound, ValidationFailed
from gvia.imports.tables import read_table


def rows(table):
    return list(table.rows)


# --- CSV -----------------------------------------------------------------------------------

def test_hebrew_windows_1255_export_with_title_rows(data_dir):
    table = read_table(data_dir / "invoices_he_cp1255.csv")
    assert (table.source, table.format, table.encoding, table.delimiter) == (
        "invoices_he_cp1255.csv", "csv", "cp1255", ",")
    assert table.header_row == 3            # a title row and a blank row come first
    assert table.headers[:5] == ["מס' לקוח", "שם לקוח", "ח.פ.", "טלפון", "מס' חשבונית"]
    assert table.headers[9] == 'סה"כ'
    got = rows(table)
    assert [n for n, _ in got] == [4, 5, 6, 7, 8]
    assert got[0][1][:2] == ["1001", 'אלון מערכות בע"מ']
    assert got[0][1][9] == "₪ 11,700.00"


def test_utf8_bom_semicolons(data_dir):
    table = read_table(data_dir / "invoices_en_bom.csv")
    assert (table.encoding, table.delimiter, table.header_row) == ("utf-8-sig", ";", 1)
    assert table.headers[0] == "Customer ID"   # no BOM left on the first header
    assert [n for n, _ in rows(table)] == [2, 3, 4]


def test_tabs(data_dir):
    table = read_table(data_dir / "payments_he.tsv")
    assert table.delimiter == "\t"
    assert table.headers[4] == "מס' צ'ק"
    assert rows(table)[1] == (3, ["1002", "20/09/2026", "1,000.00", "צ'ק", "000123",
                                  "20/12/2026", "", "RCPT-302", "7001"])


def test_utf16_unicode_text(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text("מס' לקוח\tסכום\n1001\t1,250.00\n", encoding="utf-16")
    table = read_table(path)
    assert (table.encoding, table.delimiter, table.headers) == ("utf-16", "\t",
                                                                ["מס' לקוח", "סכום"])
    assert rows(table) == [(2, ["1001", "1,250.00"])]


def test_plain_utf8_hebrew_is_not_mistaken_for_windows_1255(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("לקוח,סכום\nאלון,5\n", encoding="utf-8")
    assert read_table(path).encoding == "utf-8-sig"
    assert rows(read_table(path)) == [(2, ["אלון", "5"])]


def test_windows_1255_found_late_in_the_file(tmp_path):
    path = tmp_path / "late.csv"
    body = "ref,name\n" + "".join(f"{i},plain ascii\n" for i in range(2, 20000))
    path.write_bytes(body.encode() + "99999,שלום\n".encode("cp1255"))
    table = read_table(path)
    assert table.encoding == "cp1255"
    assert rows(table)[-1] == (20000, ["99999", "שלום"])


def test_text_in_no_known_encoding_is_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"a,b\n\xff\xfe\x81,1\n")
    with pytest.raises(ValidationFailed, match="neither UTF-8 nor Windows-1255"):
        read_table(path)


def test_delimiter_is_the_consistent_one(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("ref,note,amount\n1,a;b;c;d,5\n2,e,6\n", encoding="utf-8")
    table = read_table(path)
    assert table.delimiter == ","
    assert rows(table) == [(2, ["1", "a;b;c;d", "5"]), (3, ["2", "e", "6"])]


def test_row_numbers_count_blank_rows_and_records_not_lines(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('ref,note\n1,"two\nlines"\n\n,\n2,x\n', encoding="utf-8")
    # row 2 spans two lines but is one spreadsheet row; row 3 is empty, row 4 has only commas
    assert rows(read_table(path)) == [(2, ["1", "two\nlines"]), (5, ["2", "x"])]


def test_short_rows_are_padded_long_rows_kept(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("a,b,c\n1\n1,2,3,4\n", encoding="utf-8")
    assert rows(read_table(path)) == [(2, ["1", "", ""]), (3, ["1", "2", "3", "4"])]


@pytest.mark.parametrize("size", [1, 2, 3, 1000])
def test_batches_hold_the_same_rows(tmp_path, size):
    path = tmp_path / "a.csv"
    path.write_text('title\n\nref,note,x\n1,"two\nlines"\n\n,,\n2,x,y\n3\n4,5,6,7\n', encoding="utf-8")
    table = read_table(path)
    batched = [(n, cells) for nums, part in table.batches(size) for n, cells in zip(nums, part)]
    assert batched == rows(table) == [(4, ["1", "two\nlines", ""]), (7, ["2", "x", "y"]),
                                      (8, ["3", "", ""]), (9, ["4", "5", "6", "7"])]
    assert all(0 < len(part) <= size for _nums, part in table.batches(size))


@pytest.mark.parametrize("size", [1, 2, 1000])
def test_broken_csv_names_the_last_good_row(tmp_path, size):
    path = tmp_path / "a.csv"
    good = "".join(f"{n},a\n" for n in range(1, 100))   # rows 2-100, past the header search
    path.write_text("ref,note\n" + good + "100," + "x" * 200_000 + "\n5,c\n", encoding="utf-8")
    table = read_table(path)
    with pytest.raises(ValidationFailed) as info:
        list(table.batches(size))
    (problem,) = info.value.problems
    assert "not valid CSV after row 100" in problem.message and problem.row == 101


def test_rows_stream_and_can_be_read_again(data_dir):
    table = read_table(data_dir / "invoices_en_bom.csv")
    assert inspect.isgenerator(table.rows)
    assert rows(table) == rows(table) == list(table)


def test_header_is_the_row_of_known_headers(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Open invoices,2026-11-23,page 1\n\nCustomer,Invoice,Amount\n"
                    "Acme,invoice,5\n", encoding="utf-8")
    table = read_table(path)
    assert table.header_row == 3 and table.headers == ["Customer", "Invoice", "Amount"]


def test_header_row_can_be_named(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Bericht,x,y\nKunde,Nr,Betrag\n1,2,3\n", encoding="utf-8")
    assert read_table(path).header_row == 1      # three filled cells, none known: looks like it
    table = read_table(path, header_row=2)
    assert table.headers == ["Kunde", "Nr", "Betrag"] and rows(table) == [(3, ["1", "2", "3"])]
    with pytest.raises(ValidationFailed, match="row 7"):
        read_table(path, header_row=7)


def test_headers_are_stripped_of_spaces_and_marks(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(" ref \t,\u200fסכום\u200f\n1,2\n", encoding="utf-8")
    assert read_table(path).headers == ["ref", "סכום"]


def test_single_column_file(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("ref\n1\n2\n", encoding="utf-8")
    table = read_table(path)
    assert table.headers == ["ref"] and rows(table) == [(2, ["1"]), (3, ["2"])]


@pytest.mark.parametrize("content", [b"", b"\n\n,,\n"])
def test_empty_file_is_refused(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(ValidationFailed, match="empty") as info:
        read_table(path)
    assert info.value.problems[0].source == "empty.csv"


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(ValidationFailed, match="not a text"):
        read_table(path)


def test_missing_file(tmp_path):
    with pytest.raises(NotFound):
        read_table(tmp_path / "nope.csv")


def test_html_saved_as_xls_is_explained(tmp_path):
    path = tmp_path / "report.xls"
    path.write_text("<html><body><table><tr><td>a</td></tr></table></body></html>")
    with pytest.raises(ValidationFailed, match="web page"):
        read_table(path)


def test_text_saved_as_xls_is_read_as_text(tmp_path):
    path = tmp_path / "report.xls"
    path.write_text("ref\tamount\n1\t5\n", encoding="utf-8")
    table = read_table(path)
    assert (table.format, table.delimiter, rows(table)) == ("csv", "\t", [(2, ["1", "5"])])


def test_damaged_xlsx_is_refused(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_text("ref,amount\n")
    with pytest.raises(ValidationFailed, match="damaged"):
        read_table(path)


# --- spreadsheets --------------------------------------------------------------------------

def test_xlsx_cells(make_xlsx):
    path = make_xlsx([
        ["דוח חובות לקוחות"],
        [],
        ["מס' לקוח", "מס' חשבונית", "תאריך", "סכום", "שולם", "הערה"],
        [1001, 5001, dt.date(2026, 11, 23), 1250.5, True, "ok"],
        ["C-2", 5002.0, dt.datetime(2026, 11, 24, 15, 30), 1462.5000000000002, False],
        [],
        ["C-3", "INV-7", dt.datetime(2026, 11, 25), 0.1 + 0.2, None, None],
    ])
    table = read_table(path)
    assert (table.format, table.sheet, table.header_row) == ("xlsx", "Sheet1", 3)
    assert table.headers == ["מס' לקוח", "מס' חשבונית", "תאריך", "סכום", "שולם", "הערה"]
    assert rows(table) == [
        (4, [Decimal("1001"), Decimal("5001"), dt.date(2026, 11, 23), Decimal("1250.5"),
             "TRUE", "ok"]),
        (5, ["C-2", Decimal("5002"), dt.datetime(2026, 11, 24, 15, 30), Decimal("1462.5"),
             "FALSE", ""]),
        (7, ["C-3", "INV-7", dt.date(2026, 11, 25), Decimal("0.3"), "", ""]),
    ]


def test_xlsx_starting_below_and_right_of_a1(make_xlsx):
    path = make_xlsx([["", "", "ref", "amount"], ["", "", "A", 5]], first_row=4)
    table = read_table(path)
    assert table.header_row == 4
    assert table.headers == ["", "", "ref", "amount"]
    assert rows(table) == [(5, ["", "", "A", Decimal("5")])]


def test_spreadsheet_is_recognised_by_content_not_name(make_xlsx, tmp_path):
    path = make_xlsx([["ref", "amount"], ["A", 5]])
    renamed = tmp_path / "export.csv"
    shutil.copy(path, renamed)
    table = read_table(renamed)
    assert table.format == "xlsx" and rows(table) == [(2, ["A", Decimal("5")])]


def test_zip_that_is_not_a_workbook_is_refused(tmp_path):
    import zipfile
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.txt", "hi")
    with pytest.raises(ValidationFailed, match="cannot read the spreadsheet"):
        read_table(path)


def test_package_exports_the_api():
    import gvia.imports as imports
    assert imports.read_table is read_table
    assert {"build_mapping", "RowParser", "parse_rows", "InvoiceRow"} <= set(imports.__all__)
