"""Bank statements read into typed lines (issue 18): CAMT.053, MT940, OFX, the Israeli banks'
exports by their layouts, any other table by the column mapping; errors name file, row and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gvia.core.errors import ValidationFailed
from gvia.core.money import Money
from gvia.imports.statements import detect_layout, line_keys, read_statement

DATA = Path(__file__).parent / "data" / "statements"
SAMPLES = DATA / "samples"


def test_camt053_booked_entries_and_batched_transfers() -> None:
    s = read_statement(DATA / "camt053_gilboa.xml")
    assert s.format == "camt053"
    assert [str(line.amount) for line in s.lines] == ["2500.00 ILS", "1170.00 ILS", "3000.00 ILS", "-12.50 ILS"]
    first = s.lines[0]
    assert (first.payer_name, first.payer_account, first.end_to_end_id, first.reference) == (
        'אלון ציוד בע"מ', "IL120126000000000123456", "E2E-ALON-1", "BNK-7781")
    assert first.text == "תשלום חשבונית 5002" and first.booking_date == date(2026, 11, 18)
    assert s.lines[1].end_to_end_id == ""   # NOTPROVIDED is no id


def test_mt940_and_ofx() -> None:
    mt = read_statement(DATA / "mt940_gilboa.sta")
    assert mt.format == "mt940" and mt.lines[0].account == "IL620108000000099999999"
    assert mt.lines[0].amount == Money.of("2500", "ILS") and mt.lines[0].reference == "BNK-7781"
    assert "5002" in mt.lines[0].text
    ofx = read_statement(DATA / "ofx_gilboa.ofx")
    assert ofx.format == "ofx" and ofx.lines[0].amount == Money.of("9850", "USD")
    assert (ofx.lines[0].payer_name, ofx.lines[0].text) == ("BETA TRADING LTD", "INVOICE 9001")


@pytest.mark.parametrize("name, bank, rows", [
    ("hapoalim_shekel.csv", "hapoalim", 3), ("leumi.csv", "leumi", 2), ("discount.xlsx", "discount", 2),
    ("mizrahi.xlsx", "mizrahi", 2), ("fibi.csv", "fibi", 2)])
def test_israeli_bank_exports_by_their_layouts(name: str, bank: str, rows: int) -> None:
    s = read_statement(DATA / name)
    assert (s.format, s.bank, len(s.lines)) == ("table", bank, rows)
    first = s.lines[0]
    assert first.amount == Money.of("2500", "ILS") and first.booking_date == date(2026, 11, 18)
    assert "5002" in first.text and first.reference == "70112"
    assert all(line.amount.amount < 0 for line in s.lines if "עמל" in line.text)   # the fee is money out
    assert read_statement(DATA / name, bank=bank).lines == s.lines


def test_leumi_web_page_export() -> None:
    """Leumi saves its lines as an HTML table named .xls: read as a table, its layout recognized."""
    s = read_statement(DATA / "leumi_web.xls")
    assert (s.bank, [str(line.amount) for line in s.lines]) == ("leumi", ["2500.00 ILS", "-12.50 ILS"])
    assert s.lines[0].text == "העברה העברה מאת: אלון ציוד חשבונית 5002" and s.lines[0].position == 4


def test_hapoalim_windows_1255_and_named_bank_checked() -> None:
    assert "אלון ציוד" in read_statement(DATA / "hapoalim_shekel.csv").lines[0].text
    with pytest.raises(ValidationFailed) as exc:
        read_statement(DATA / "leumi.csv", bank="discount")
    assert exc.value.problems[0].code == "statement_not_bank_layout"
    with pytest.raises(ValidationFailed) as exc:
        read_statement(DATA / "leumi.csv", bank="nosuchbank")
    assert exc.value.problems[0].code == "statement_unknown_bank"


def test_other_bank_through_the_column_mapping() -> None:
    cols = {"credit": "Money in", "debit": "Money out", "payer_name": "Who", "text": "Text", "reference": "Bank ref"}
    s = read_statement(DATA / "other_bank.csv", columns=cols, decimal_comma=True)
    assert s.bank == "" and [str(line.amount) for line in s.lines] == ["2500.00 ILS", "-12.50 ILS"]
    assert s.lines[0].payer_name == "Alon Equipment"
    assert detect_layout(["Date", "Money in"]) is None


def test_a_bad_row_refuses_the_file_naming_row_and_column() -> None:
    with pytest.raises(ValidationFailed) as exc:
        read_statement(DATA / "hapoalim_broken.csv")
    found = {(p.source, p.row, p.field, p.value) for p in exc.value.problems}
    assert found == {("hapoalim_broken.csv", 3, "תאריך", "31/02/2026"), ("hapoalim_broken.csv", 3, "זכות", "abc")}


def test_damaged_files_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "x.xml"
    bad.write_text('<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><oops')
    with pytest.raises(ValidationFailed) as exc:
        read_statement(bad)
    assert exc.value.problems[0].code == "statement_unreadable" and exc.value.problems[0].source == "x.xml"
    with pytest.raises(ValidationFailed) as exc:
        read_statement(SAMPLES / "mt940" / "cmxl_mt940.sta")   # Deutsche Mark: not a currency gvia knows
    assert (exc.value.problems[0].code, exc.value.problems[0].value) == ("statement_bad_amount", "DEM")


def test_the_libraries_own_samples_are_read() -> None:
    counts = {p.name: len(read_statement(p).lines) for p in sorted(SAMPLES.glob("*/*.*"))
              if p.suffix in (".sta", ".ofx") and p.name != "cmxl_mt940.sta"}
    assert counts["betterplace_sepa_mt9401.sta"] == 97 and counts["jejik_ing.sta"] == 7
    assert counts["bank_medium.ofx"] == 3 and counts["checking.ofx"] == 3


def test_line_identity_same_lines_same_keys_repeats_by_position() -> None:
    s = read_statement(DATA / "mt940_gilboa.sta")
    keys = line_keys(s.lines)
    assert len(set(keys)) == 3   # the two equal 777.70 lines without a reference differ by their order
    assert line_keys(s.lines[1:]) == keys[1:]   # an overlapping statement: its lines, the same keys
    assert line_keys(s.lines[2:]) == keys[1:2]  # (the order among equals counts, not the place in the file)
    camt = read_statement(DATA / "camt053_gilboa.xml")
    assert line_keys(camt.lines)[0] == keys[0]   # one transfer in two formats: the same line
