"""Sync with Morning over a real HTTP fake of its API (issue 18): clients, invoices, credit notes
and receipts written as one import; a second sync changes nothing; a receipt issued there closes
the invoice at the worker's next sync; refused credentials write nothing, are recorded, and hold
the organization's messages until a sync succeeds; the same ₪5,000 as a Morning receipt and a bank
line counts once; credentials stored sealed; organizations sealed."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from gvia.core.errors import RefusedFor, ValidationFailed
from gvia.invoicing import morning
from gvia.invoicing.http import SyncFailed
from gvia.services.context import resolve
from gvia.services.ledger import statements, sync
from gvia.services.org.organizations import init_organization
from gvia.services.sending.window import eligible_orgs
from gvia.store.models import AuditRecord, Customer, Invoice, Payment
from gvia.store.models_statements import BankMatch
from gvia.store.models_sync import SyncAccount
from tests.support.fake_morning import FakeMorning

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)
ALON = {"id": "c-alon", "name": "אלון סחר בע\"מ", "taxId": "514000001", "emails": ["pay@alon.co.il"],
        "address": "הרצל 1", "city": "חיפה"}


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(morning.MorningClient, "min_interval", 0.0)    # the fake has no rate limit
    f = FakeMorning()
    yield f
    f.close()


@pytest.fixture
def linked(ctx, fake):
    sync.set_account(ctx, "morning", {"api_key_id": fake.key_id, "api_key_secret": fake.secret,
                                      "api_base": fake.base})
    return ctx


def _books(org):
    return (sorted(Customer.objects.filter(organization=org).values_list("ref", "name", "tax_id", "email")),
            sorted(Invoice.objects.filter(organization=org).values_list("number", "kind", "amount_minor", "open_minor",
                                                                        "due_date")),
            sorted(Payment.objects.filter(organization=org).values_list("reference", "amount_minor", "method")))


def test_a_sync_writes_the_documents_once(linked, fake):
    fake.document(305, 1001, "2026-10-01", ALON, "5000", due="2026-10-31")
    fake.document(305, 1002, "2026-11-01", ALON, "1200", due="2026-12-01")
    paid_now = fake.document(320, 1003, "2026-11-05", ALON, "800", payments=[{"date": "2026-11-05", "price": 800}])
    receipt = fake.document(400, 1010, "2026-11-20", ALON, "5000", payments=[{"date": "2026-11-20", "price": 5000}])
    fake.document(330, 1004, "2026-11-10", ALON, "200")
    fake.document(300, 1005, "2026-11-15", ALON, "300", due="2026-11-30")                 # open: a demand
    fake.document(300, 1006, "2026-10-15", ALON, "999", status=1)                         # closed: replaced
    fake.document(305, 1007, "2026-11-16", ALON, "777", status=4)                         # cancelled
    report = sync.sync(linked, "morning", NOW)
    assert (report.documents, report.left_out, report.customers, report.invoices, report.payments) == (8, 2, 1, 5, 2)
    customers, invoices, payments = _books(linked.org)
    assert customers == [("c-alon", "אלון סחר בע\"מ", "514000001", "pay@alon.co.il")]
    assert [(n, k, a) for n, k, a, _o, _d in invoices] == [
        ("1001", "invoice", 500000), ("1002", "invoice", 120000), ("1003", "invoice", 80000),
        ("1004", "credit_note", 20000), ("1005", "invoice", 30000)]
    assert dict((n, o) for n, _k, _a, o, _d in invoices)["1001"] == 0          # the receipt paid the oldest
    assert dict((n, o) for n, _k, _a, o, _d in invoices)["1003"] == 0          # an invoice-receipt is paid
    assert payments == sorted([(f"morning:{paid_now['id']}:{paid_now['payment'][0]['id']}", 80000, "transfer"),
                               (f"morning:{receipt['id']}:{receipt['payment'][0]['id']}", 500000, "transfer")])
    account = SyncAccount.objects.get()
    assert (account.read_through, account.last_error, account.last_success_at) == (date(2026, 12, 7), "", NOW)
    before = _books(linked.org)
    sync.sync(linked, "morning", NOW + timedelta(hours=1))                   # the same documents again
    assert _books(linked.org) == before
    assert AuditRecord.objects.filter(action="sync.done").count() == 2


def test_a_receipt_issued_there_closes_the_invoice_at_the_workers_next_sync(linked, fake):
    fake.document(305, 2001, "2026-11-01", ALON, "2500", due="2026-11-15")
    assert sync.sync_due(NOW) == 1
    assert Invoice.objects.get(number="2001").open_minor == 250000
    assert sync.sync_due(NOW + timedelta(minutes=30)) == 0                   # sync.every_minutes is 60
    fake.document(400, 2002, "2026-12-07", ALON, "2500", payments=[{"date": "2026-12-07", "price": 2500}])
    assert sync.sync_due(NOW + timedelta(minutes=61)) == 1
    assert Invoice.objects.get(number="2001").open_minor == 0
    # the second sync read from a week before the first one's day: the overlap found nothing twice
    assert Payment.objects.filter(organization=linked.org).count() == 1


def test_refused_credentials_write_nothing_and_hold_the_messages(ctx, fake):
    sync.set_account(ctx, "morning", {"api_key_id": fake.key_id, "api_key_secret": "wrong", "api_base": fake.base})
    fake.document(305, 3001, "2026-11-01", ALON, "100")
    with pytest.raises(SyncFailed) as err:
        sync.sync(ctx, "morning", NOW)
    assert err.value.code == "sync_refused"
    assert Invoice.objects.count() == 0
    assert SyncAccount.objects.get().last_error == "sync_refused"
    assert ctx.org.id in sync.stale_org_ids(NOW) and ctx.org.id not in eligible_orgs(NOW)
    sync.set_account(ctx, "morning", {"api_key_secret": fake.secret})
    sync.sync(ctx, "morning", NOW)
    assert ctx.org.id not in sync.stale_org_ids(NOW)
    # a day later without a successful sync (sync.max_age_hours: 24) the messages wait again
    assert ctx.org.id in sync.stale_org_ids(NOW + timedelta(hours=25))
    fake.fail_with = 503
    with pytest.raises(SyncFailed) as down:
        sync.sync(ctx, "morning", NOW + timedelta(hours=2))
    assert down.value.code == "sync_unreachable"


def test_a_document_that_cannot_be_read_writes_nothing(linked, fake):
    fake.document(305, 4001, "2026-11-01", ALON, "100")
    bad = fake.document(305, 4002, "2026-11-02", ALON, "not money")
    with pytest.raises(ValidationFailed) as err:
        sync.sync(linked, "morning", NOW)
    assert [(p.row, p.field, p.code) for p in err.value.problems] == [(2, "amount", "sync_document_amount")]
    assert bad["number"] == 4002 and Invoice.objects.count() == 0


def test_money_counted_once_morning_receipt_then_bank_line(linked, fake, tmp_path: Path):
    fake.document(305, 6001, "2026-11-01", ALON, "5000")
    fake.document(400, 7301, "2026-11-15", ALON, "5000", payments=[{"date": "2026-11-15", "price": 5000}])
    sync.sync(linked, "morning", NOW)
    bank = tmp_path / "bank.csv"
    bank.write_text("Date,Credit,Text,Reference\n17/11/2026,5000,אלון סחר,B-1\n", encoding="utf-8")
    r = statements.import_statement(linked, bank)
    assert r.linked == 1 and r.applied == 0
    paid = Payment.objects.filter(customer__ref="c-alon")
    assert paid.count() == 1 and paid.get().amount_minor == 500000             # ₪5,000 once
    assert BankMatch.objects.get().kind == "recorded"


def test_credentials_are_sealed_and_organizations_sealed(linked, fake):
    account = SyncAccount.objects.get()
    assert fake.secret not in account.sealed_secrets and "sealed:v1:" in account.sealed_secrets
    [shown] = sync.show(linked)
    assert {f["field"]: f["value"] for f in shown["fields"]}["api_key_secret"] == "********"
    init_organization("Other Ltd", country="IL", admin_email="owner@other.co.il", admin_password="Gvia-test-2026!")
    other = resolve("other-ltd", "owner@other.co.il")
    assert sync.show(other) == []
    with pytest.raises(RefusedFor) as err:
        sync.sync(other, "morning", NOW)
    assert err.value.code == "sync_not_set"
    fake.document(305, 8001, "2026-11-01", ALON, "100")
    sync.sync(linked, "morning", NOW)
    assert Invoice.objects.filter(organization=other.org).count() == 0


def test_unknown_provider_or_field_is_refused(ctx):
    with pytest.raises(RefusedFor) as err:
        sync.set_account(ctx, "sumit", {"x": "1"})
    assert err.value.code == "sync_provider_unknown"
    with pytest.raises(ValidationFailed) as bad:
        sync.set_account(ctx, "morning", {"colour": "blue"})
    assert bad.value.problems[0].code == "sync_unknown_field"
    assert SyncAccount.objects.count() == 0
