"""Two imports that used to guess now ask (issue 13): a payment from a customer gvia does not know
is refused (it made a phantom customer while the real one kept being chased) unless the user asks
for new customers to be created; a negative amount in an invoices file with no kind is refused
unless the user says negative rows are credit notes. Refused means nothing written, and the
problem names the file, row and field."""

from __future__ import annotations

from datetime import date

import pytest

from gvia.core.errors import ValidationFailed
from gvia.services.context import Ctx
from gvia.services.ledger import imports
from gvia.services.org.organizations import init_organization
from gvia.store.models import Customer, Invoice, Payment

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)

INVOICES = """customer_ref,customer_name,invoice_number,issue_date,due_date,amount
C1,Alon Ltd,1001,2026-09-01,2026-10-01,1000.00
C1,Alon Ltd,1002,2026-09-05,2026-10-05,-200.00
"""
PAYMENTS = """customer_ref,date,amount,reference
C1,2026-11-01,300.00,T-1
C7,2026-11-02,450.00,T-2
"""


@pytest.fixture
def ctx(db):
    org = init_organization("Acme", country="IL", admin_email="owner@acme.test", admin_password="Gvia-test-2026!")
    return Ctx(org, None, "owner")


def _file(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_negative_row_without_a_kind_is_refused_unless_said_to_be_a_credit_note(ctx, tmp_path):
    path = _file(tmp_path, "invoices.csv", INVOICES)
    with pytest.raises(ValidationFailed) as caught:
        imports.import_file(ctx, "invoices", path, today=TODAY)
    [problem] = caught.value.problems
    assert (problem.row, problem.field, problem.source) == (3, "amount", "invoices.csv")
    assert "negative" in problem.message
    assert not Invoice.objects.filter(organization=ctx.org).exists()
    assert not Customer.objects.filter(organization=ctx.org).exists()
    report = imports.import_file(ctx, "invoices", path, today=TODAY, negative_as_credit_notes=True)
    assert report.created == 2
    note = Invoice.objects.get(organization=ctx.org, number="1002")
    assert (note.kind, note.amount_minor) == ("credit_note", 20000)


def test_a_payment_from_an_unknown_customer_is_refused_unless_asked_to_create_it(ctx, tmp_path):
    imports.import_file(ctx, "invoices", _file(tmp_path, "invoices.csv", INVOICES.replace("-200.00", "200.00")),
                        today=TODAY)
    path = _file(tmp_path, "bank.csv", PAYMENTS)
    with pytest.raises(ValidationFailed) as caught:
        imports.import_file(ctx, "payments", path, today=TODAY)
    [problem] = caught.value.problems
    assert (problem.row, problem.field, problem.value) == (3, "customer_ref", "C7")
    assert not Payment.objects.filter(organization=ctx.org).exists()      # all or nothing: C1's too
    assert not Customer.objects.filter(organization=ctx.org, ref="C7").exists()
    report = imports.import_file(ctx, "payments", path, today=TODAY, create_customers=True)
    assert (report.created, report.customers_created) == (2, 1)
    assert Customer.objects.filter(organization=ctx.org, ref="C7").exists()
