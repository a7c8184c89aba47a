"""Uploads are bounded (issue 14, finding 5): a spreadsheet that would unpack to more than the limit,
or whose first sheet has more rows than the limit, is refused before it is read whole, with a
message naming the file and the limit. The bomb is a real 1.9 GB-unpacking XLSX (tests/support/
sheets.py); how fast and how small the refusal is, is measured in bench/bench_upload_limits.py."""

from __future__ import annotations

import pytest

from gvia.core.errors import ValidationFailed
from gvia.imports import tables
from gvia.imports.tables import read_table
from tests.support.sheets import rows_xlsx, zip_bomb


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    return zip_bomb(tmp_path_factory.mktemp("bomb") / "invoices-bomb.xlsx")


def test_the_zip_bomb_is_refused_naming_the_file_and_the_limit(bomb):
    assert bomb.stat().st_size < 8 * 1024 * 1024
    with pytest.raises(ValidationFailed) as caught:
        read_table(bomb)
    message = str(caught.value)
    assert "invoices-bomb.xlsx" in message
    assert "unpacks to 1,8" in message and "256 MB" in message and "CSV" in message


def test_a_sheet_declaring_too_many_rows_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "MAX_SHEET_ROWS", 50)
    path = rows_xlsx(tmp_path / "many.xlsx", 60)
    opened = []
    monkeypatch.setattr(tables, "_read_spreadsheet", lambda *a: opened.append(a))
    with pytest.raises(ValidationFailed) as caught:
        read_table(path)
    assert "many.xlsx" in str(caught.value) and "61 rows, more than 50" in str(caught.value)
    assert opened == []          # refused from the <dimension>, the sheet never opened


def test_a_sheet_that_does_not_declare_its_rows_is_counted_before_its_cells(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "MAX_SHEET_ROWS", 50)
    path = rows_xlsx(tmp_path / "quiet.xlsx", 60, declare=False)
    with pytest.raises(ValidationFailed) as caught:
        read_table(path)
    assert "quiet.xlsx" in str(caught.value) and "61 rows, more than 50" in str(caught.value)


def test_a_sheet_within_the_limits_reads(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "MAX_SHEET_ROWS", 50)
    table = read_table(rows_xlsx(tmp_path / "ok.xlsx", 49))
    assert table.headers[:2] == ["customer_ref", "invoice_number"]
    assert len(list(table.rows)) == 49


def test_an_old_xls_larger_than_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "MAX_SHEET_BYTES", 1024)
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    with pytest.raises(ValidationFailed) as caught:
        read_table(path)
    assert "old.xls" in str(caught.value) and "larger than 1 KB" in str(caught.value)
