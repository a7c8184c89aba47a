"""`import_unified` against the database (issue 18): a unified export (מבנה אחיד 1.31, written
by ``test_unified_writer.py`` from the specification's tables) imports customers, invoices,
credit notes and receipts through the CSV import's service; again changes nothing; a bad record
or a clash with what gvia holds refuses it whole, naming the file, the line and the field; the
same ₪5,000 received as a unified receipt and as a bank statement line counts once; another
organization's books are never touched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gvia.core.errors import ValidationFailed
from gvia.services.ledger import statements
from gvia.services.ledger.unified import import_unified
from gvia.store.models import Customer, ImportRun, Invoice, Payment
from gvia.store.models_statements import BankMatch
from tests.imports.test_unified_writer import Export, gilboa

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 7)


def books(org) -> dict:
    """Everything the import writes, without ids."""
    return {
        "customers": sorted(Customer.objects.filter(organization=org).values_list("ref", "name", "tax_id")),
        "invoices": sorted(Invoice.objects.filter(organization=org).values_list(
            "number", "kind", "customer__ref", "amount_minor", "open_minor", "issue_date", "due_date",
            "amount_before_vat_minor", "allocation_number", "applies_to__number")),
        "payments": sorted(Payment.objects.filter(organization=org).values_list(
            "reference", "customer__ref", "amount_minor", "method", "status", "value_date", "cheque_number",
            "invoice__number")),
    }


def test_an_export_imports_customers_invoices_credit_notes_and_receipts(ctx, tmp_path: Path) -> None:
    r = import_unified(ctx, gilboa().write(tmp_path), today=TODAY)
    assert (r.invoices, r.credit_notes, r.payments, r.cancelled, r.left_types, r.other_accounts) == (
        3, 1, 3, 1, {200: 1}, 1)
    assert r.charset == "ISO-8859-8-i" and r.allocation_numbers_in_file is False
    got = books(ctx.org)
    assert got["customers"] == [("1001", 'אלון ציוד בע"מ', "514000001"), ("2002", "כהן ובניו", "")]
    # the receipt 7001 (6,000) pays the oldest, 5001 (11,800), which keeps 5,800 open; the credit
    # note 9001 (1,180) halves 5002 (2,360), the invoice its line names; 8001 was paid when issued
    assert got["invoices"] == [
        ("5001", "invoice", "1001", 1180000, 580000, dt.date(2026, 3, 1), dt.date(2026, 3, 1), 1000000, "", None),
        ("5002", "invoice", "1001", 236000, 118000, dt.date(2026, 4, 1), dt.date(2026, 4, 1), 200000, "", None),
        ("8001", "invoice", "2002", 59000, 0, dt.date(2026, 6, 1), dt.date(2026, 6, 1), 50000, "", None),
        ("9001", "credit_note", "1001", 118000, 0, dt.date(2026, 4, 10), dt.date(2026, 4, 10), 100000, "", "5002"),
    ]
    assert got["payments"] == [
        ("320-8001/1", "2002", 59000, "card", "cleared", None, "", "8001"),
        ("400-7001/1", "1001", 400000, "cheque", "cleared", dt.date(2026, 5, 15), "80001", None),
        ("400-7001/2", "1001", 200000, "transfer", "cleared", None, "", None),
    ]
    assert sorted(ImportRun.objects.filter(organization=ctx.org).values_list("kind", flat=True)) == [
        "customers", "invoices", "payments"]


def test_the_same_export_again_changes_nothing(ctx, tmp_path: Path) -> None:
    path = gilboa().zip(tmp_path, packed=True)
    import_unified(ctx, path, today=TODAY)
    before = books(ctx.org)
    again = import_unified(ctx, path, today=TODAY)
    assert [(p.kind, p.created, p.updated, p.unchanged) for p in again.parts] == [
        ("customers", 0, 0, 2), ("invoices", 0, 0, 4), ("payments", 0, 0, 3)]
    assert books(ctx.org) == before


def test_a_dry_run_writes_nothing(ctx, tmp_path: Path) -> None:
    r = import_unified(ctx, gilboa().write(tmp_path), today=TODAY, dry_run=True)
    assert [(p.kind, p.created) for p in r.parts] == [("customers", 2), ("invoices", 4), ("payments", 3)]
    assert books(ctx.org) == {"customers": [], "invoices": [], "payments": []}


def test_a_bad_record_refuses_the_whole_export(ctx, tmp_path: Path) -> None:
    e = gilboa()
    e.document(305, "5009", dt.date(2026, 7, 1), "", "בלי מפתח", "100")     # no customer key (1225)
    with pytest.raises(ValidationFailed) as exc:
        import_unified(ctx, e.write(tmp_path), today=TODAY)
    [p] = exc.value.problems
    assert (p.source.rsplit("/", 1)[-1], p.row, p.field, p.code) == ("BKMVDATA.TXT", 17, "C100 1225", "unified_missing")
    assert books(ctx.org) == {"customers": [], "invoices": [], "payments": []}


def test_a_clash_with_gvia_refuses_it_naming_the_line_and_field(ctx, tmp_path: Path) -> None:
    other = Customer.objects.create(organization=ctx.org, ref="9999", name="Someone else")
    Invoice.objects.create(organization=ctx.org, customer=other, number="5002", issue_date=TODAY, due_date=TODAY,
                           amount_minor=100, currency="ILS", open_minor=100)
    with pytest.raises(ValidationFailed) as exc:
        import_unified(ctx, gilboa().write(tmp_path), today=TODAY)
    assert [(p.row, p.field, p.code, p.place) for p in exc.value.problems] == [
        (6, "C100 1225", "import_invoice_of_another_customer", "record_field")]
    # nothing of the export was written: not even its customers, imported before its invoices
    assert list(Customer.objects.filter(organization=ctx.org).values_list("ref", flat=True)) == ["9999"]


def _bank(tmp_path: Path, day: str, amount: str, text: str, ref: str) -> Path:
    path = tmp_path / f"bank-{ref}.csv"
    path.write_text(f"Date,Credit,Text,Reference\n{day},{amount},{text},{ref}\n", encoding="utf-8")
    return path


def _five_thousand() -> Export:
    e = Export()
    e.account("3003", "דלתא סחר בע\"מ")
    e.document(305, "6001", dt.date(2026, 11, 1), "3003", "דלתא סחר בע\"מ", "5000")
    e.document(400, "7301", dt.date(2026, 11, 15), "3003", "דלתא סחר בע\"מ", "5000", payments=[{1306: 4, 1312: "5000"}])
    return e


def test_money_counted_once_unified_receipt_then_bank_line(ctx, tmp_path: Path) -> None:
    import_unified(ctx, _five_thousand().write(tmp_path), today=TODAY)
    assert Invoice.objects.get(number="6001").open_minor == 0
    r = statements.import_statement(ctx, _bank(tmp_path, "17/11/2026", "5000", "דלתא סחר", "B-1"))
    assert r.linked == 1 and r.applied == 0
    paid = Payment.objects.filter(customer__ref="3003")
    assert sum(p.amount_minor for p in paid) == 500000 and paid.count() == 1     # ₪5,000 once
    m = BankMatch.objects.get()
    assert m.kind == "recorded" and m.payments.get().payment.reference == "400-7301/1"


def test_money_counted_once_bank_line_then_unified_receipt(ctx, tmp_path: Path) -> None:
    e = Export()
    e.account("3003", "דלתא סחר בע\"מ")
    e.document(305, "6001", dt.date(2026, 11, 1), "3003", "דלתא סחר בע\"מ", "5000")
    # the receipt's line names the invoice it pays as its base document (D110 1256, 1257)
    e.document(400, "7301", dt.date(2026, 11, 15), "3003", "דלתא סחר בע\"מ", "5000", payments=[{1306: 4, 1312: "5000"}],
               lines=[{1256: 305, 1257: "6001", 1267: "5000"}])
    first = Export()
    first.account("3003", "דלתא סחר בע\"מ")
    first.document(305, "6001", dt.date(2026, 11, 1), "3003", "דלתא סחר בע\"מ", "5000")
    import_unified(ctx, first.write(tmp_path / "invoices"), today=TODAY)
    r = statements.import_statement(ctx, _bank(tmp_path, "15/11/2026", "5000", "דלתא סחר חשבונית 6001", "B-2"))
    assert r.applied == 1 and Invoice.objects.get(number="6001").open_minor == 0
    # the whole year's export later carries the receipt of the same transfer, naming the invoice the
    # line paid: the line's payment is the receipt's (same customer, whole amount, within days) — once
    import_unified(ctx, e.write(tmp_path / "year"), today=TODAY)
    paid = Payment.objects.filter(customer__ref="3003")
    assert sum(p.amount_minor for p in paid) == 500000, list(paid.values_list("reference", "amount_minor"))
    assert Invoice.objects.get(number="6001").open_minor == 0
    assert BankMatch.objects.get().payments.get().payment.reference == "400-7301/1"


def test_another_organization_is_never_touched(ctx, tmp_path: Path) -> None:
    from gvia.services.context import resolve
    from gvia.services.org.organizations import init_organization

    import_unified(ctx, gilboa().write(tmp_path / "a"), today=TODAY)
    mine = books(ctx.org)
    init_organization("Harod Ltd", country="IL", admin_email="owner@harod.co.il", admin_password="Gvia-test-2026!")
    other = resolve("Harod Ltd", "owner@harod.co.il")
    assert books(other.org) == {"customers": [], "invoices": [], "payments": []}
    r = import_unified(other, gilboa().write(tmp_path / "b"), today=TODAY)
    # the same numbers and keys in another organization are its own: created, not found
    assert [(p.kind, p.created) for p in r.parts] == [("customers", 2), ("invoices", 4), ("payments", 3)]
    assert books(ctx.org) == mine
