"""Sync with iCount over a real HTTP fake of its API v3 (issue 18): clients, invoices, credit notes
and receipts written as one import; a second sync changes nothing; refused credentials write
nothing, are recorded, and hold the organization's messages; a document in a currency the sources
do not describe is refused whole, naming it; organizations sealed."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from gvia.core.errors import RefusedFor, ValidationFailed
from gvia.invoicing import icount
from gvia.invoicing.http import SyncFailed
from gvia.services.context import resolve
from gvia.services.ledger import statements, sync
from gvia.services.org.organizations import init_organization
from gvia.services.sending.window import eligible_orgs
from gvia.store.models import AuditRecord, Customer, Invoice, Payment
from gvia.store.models_statements import BankMatch
from gvia.store.models_sync import SyncAccount
from tests.support.fake_icount import FakeICount

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(icount.ICountClient, "min_interval", 0.0)    # the fake has no rate limit
    f = FakeICount()
    yield f
    f.close()


@pytest.fixture
def linked(ctx, fake):
    sync.set_account(ctx, "icount", {"cid": fake.cid, "user": fake.user, "pass": fake.password,
                                     "api_base": fake.base})
    return ctx


def _books(org):
    return (sorted(Customer.objects.filter(organization=org).values_list("ref", "name")),
            sorted(Invoice.objects.filter(organization=org).values_list("number", "kind", "amount_minor", "open_minor",
                                                                        "due_date")),
            sorted(Payment.objects.filter(organization=org).values_list("reference", "amount_minor", "method")))


def test_a_sync_writes_the_documents_once(linked, fake):
    fake.document("invoice", 1001, "2026-10-01", "12", "אלון סחר בע\"מ", "5000", due="2026-10-31")
    fake.document("invoice", 1002, "2026-11-01", "12", "אלון סחר בע\"מ", "1200.50", due="2026-12-01")
    fake.document("invrec", 1003, "2026-11-05", "12", "אלון סחר בע\"מ", "800",
                  payments={"cc": [{"sum": "800", "date": "2026-11-05"}]})
    fake.document("receipt", 5001, "2026-11-20", "12", "אלון סחר בע\"מ", "5000",
                  payments={"banktransfer": {"sum": "3000", "date": "2026-11-20"},           # one flat payment
                            "cheques": {"0": {"sum": "2000", "date": "2026-12-20"}}})       # keyed by position
    fake.document("refund", 7001, "2026-11-10", "12", "אלון סחר בע\"מ", "-200")
    fake.document("invoice", 1004, "2026-11-16", "12", "אלון סחר בע\"מ", "777", cancelled=True)
    fake.document("invoice", 1005, "2026-11-17", "31", "ברק שירותים", "300")
    fake.keyed = True                                                    # results_list as an object
    report = sync.sync(linked, "icount", NOW)
    assert (report.documents, report.left_out, report.customers, report.invoices, report.payments) == (7, 1, 2, 5, 3)
    customers, invoices, payments = _books(linked.org)
    assert customers == [("12", "אלון סחר בע\"מ"), ("31", "ברק שירותים")]
    assert [(n, k, a) for n, k, a, _o, _d in invoices] == [
        ("1001", "invoice", 500000), ("1002", "invoice", 120050), ("1003", "invoice", 80000),
        ("1005", "invoice", 30000), ("7001", "credit_note", 20000)]
    open_by_number = {n: o for n, _k, _a, o, _d in invoices}
    assert open_by_number["1001"] == 0 and open_by_number["1003"] == 0       # the receipt paid the oldest
    assert payments == [("icount:invrec:1003:cc:1", 80000, "card"),
                        ("icount:receipt:5001:banktransfer:1", 300000, "transfer"),
                        ("icount:receipt:5001:cheques:1", 200000, "cheque")]
    searched = [(b["doctype"], b["start_date"], b["end_date"], b["detail_level"]) for p, b in fake.calls
                if p == "/doc/search"]
    assert searched[0] == ("invoice", "2025-12-07", "2026-12-07", 10)          # sync.since_days (365) back
    account = SyncAccount.objects.get(provider="icount")
    assert (account.read_through, account.last_error, account.last_success_at) == (date(2026, 12, 7), "", NOW)
    before = _books(linked.org)
    fake.keyed = False
    sync.sync(linked, "icount", NOW + timedelta(hours=1))                   # the same documents again
    assert _books(linked.org) == before
    assert AuditRecord.objects.filter(action="sync.done").count() == 2


def test_pages_are_read_until_the_last(linked, fake, monkeypatch):
    monkeypatch.setattr(icount, "PAGE_SIZE", 2)
    for n in range(5):
        fake.document("invoice", 2001 + n, f"2026-11-0{n + 1}", "12", "אלון", "100")
    assert sync.sync(linked, "icount", NOW).invoices == 5
    offsets = [b["offset"] for p, b in fake.calls if p == "/doc/search" and b["doctype"] == "invoice"]
    assert offsets == [0, 2, 4]


def test_a_receipt_issued_there_closes_the_invoice_at_the_workers_next_sync(linked, fake):
    fake.document("invoice", 2001, "2026-11-01", "12", "אלון", "2500", due="2026-11-15")
    assert sync.sync_due(NOW) == 1
    assert Invoice.objects.get(number="2001").open_minor == 250000
    assert sync.sync_due(NOW + timedelta(minutes=30)) == 0                   # sync.every_minutes is 60
    fake.document("receipt", 6001, "2026-12-07", "12", "אלון", "2500",
                  payments={"banktransfer": [{"sum": "2500", "date": "2026-12-07"}]})
    assert sync.sync_due(NOW + timedelta(minutes=61)) == 1
    assert Invoice.objects.get(number="2001").open_minor == 0
    assert Payment.objects.filter(organization=linked.org).count() == 1


def test_money_counted_once_icount_receipt_then_bank_line(linked, fake, tmp_path: Path):
    fake.document("invoice", 6101, "2026-11-01", "12", "אלון סחר", "5000")
    fake.document("receipt", 6102, "2026-11-15", "12", "אלון סחר", "5000",
                  payments={"banktransfer": [{"sum": "5000", "date": "2026-11-15"}]})
    sync.sync(linked, "icount", NOW)
    bank = tmp_path / "bank.csv"
    bank.write_text("Date,Credit,Text,Reference\n17/11/2026,5000,אלון סחר,B-1\n", encoding="utf-8")
    r = statements.import_statement(linked, bank)
    assert r.linked == 1 and r.applied == 0
    paid = Payment.objects.filter(customer__ref="12")
    assert paid.count() == 1 and paid.get().amount_minor == 500000             # ₪5,000 once
    assert BankMatch.objects.get().kind == "recorded"


def test_refused_credentials_write_nothing_and_hold_the_messages(ctx, fake):
    sync.set_account(ctx, "icount", {"cid": fake.cid, "user": fake.user, "pass": "wrong", "api_base": fake.base})
    fake.document("invoice", 3001, "2026-11-01", "12", "אלון", "100")
    with pytest.raises(SyncFailed) as err:
        sync.sync(ctx, "icount", NOW)
    assert err.value.code == "sync_refused"
    assert Invoice.objects.count() == 0
    assert SyncAccount.objects.get().last_error == "sync_refused"
    assert ctx.org.id in sync.stale_org_ids(NOW) and ctx.org.id not in eligible_orgs(NOW)
    sync.set_account(ctx, "icount", {"pass": fake.password})
    sync.sync(ctx, "icount", NOW)
    assert ctx.org.id not in sync.stale_org_ids(NOW) and Invoice.objects.count() == 1
    fake.fail_with = 503
    with pytest.raises(SyncFailed) as down:
        sync.sync(ctx, "icount", NOW + timedelta(hours=2))
    assert down.value.code == "sync_unreachable"


def test_a_foreign_currency_document_is_refused_and_nothing_is_written(linked, fake):
    fake.document("invoice", 4001, "2026-11-01", "12", "אלון", "100")
    fake.document("invoice", 4002, "2026-11-02", "12", "אלון", "250", currency="USD")
    fake.document("receipt", 4003, "2026-11-03", "12", "אלון", "100", currency=None,
                  payments={"cash": [{"sum": "100"}]})
    with pytest.raises(ValidationFailed) as err:
        sync.sync(linked, "icount", NOW)
    assert [(p.row, p.field, p.value, p.code) for p in err.value.problems] == [
        (2, "currency_code", "USD", "sync_icount_currency_unsourced"),
        (3, "currency_code", "", "sync_icount_currency_unsourced")]
    assert Invoice.objects.count() == 0 and Payment.objects.count() == 0
    assert SyncAccount.objects.get().last_error == "file_problems"


def test_credentials_are_sealed_and_organizations_sealed(linked, fake):
    account = SyncAccount.objects.get()
    assert fake.password not in account.sealed_secrets and "sealed:v1:" in account.sealed_secrets
    [shown] = sync.show(linked)
    assert {f["field"]: f["value"] for f in shown["fields"]} == {
        "cid": fake.cid, "user": fake.user, "pass": "********", "api_base": fake.base}
    init_organization("Other Ltd", country="IL", admin_email="owner@other.co.il", admin_password="Gvia-test-2026!")
    other = resolve("other-ltd", "owner@other.co.il")
    assert sync.show(other) == []
    with pytest.raises(RefusedFor) as err:
        sync.sync(other, "icount", NOW)
    assert err.value.code == "sync_not_set"
    fake.document("invoice", 8001, "2026-11-01", "12", "אלון", "100")
    sync.sync(linked, "icount", NOW)
    assert Invoice.objects.filter(organization=other.org).count() == 0
    assert Invoice.objects.filter(organization=linked.org).count() == 1


def test_a_missing_password_is_not_set(ctx, fake):
    sync.set_account(ctx, "icount", {"cid": fake.cid, "user": fake.user, "api_base": fake.base})
    with pytest.raises(SyncFailed) as err:
        sync.sync(ctx, "icount", NOW)
    assert err.value.code == "sync_not_set" and fake.calls == []
