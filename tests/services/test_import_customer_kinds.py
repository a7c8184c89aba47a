"""Importing customers: their kind in English or Hebrew (עוסק מורשה / עוסק פטור are sole
traders, never companies) and the written agreement on file (claim_basis), created and updated
(issue 12)."""

from __future__ import annotations

from datetime import date

import pytest

from gvia.services.context import Ctx
from gvia.services.ledger import imports
from gvia.services.org.organizations import init_organization
from gvia.store.models import Customer

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)

CUSTOMERS = """מס' לקוח,שם לקוח,סוג לקוח,בסיס התביעה
C1,"אלון שיווק בע""מ",חברה,
C2,יוסי כהן - שיפוצים,עוסק מורשה,הסכם מסגרת חתום מיום 01/03/2024
C3,דנה לוי - עיצוב,עוסק פטור,
C4,עיריית חיפה,גוף ציבורי,
C5,Ann Smith,sole_trader,signed framework agreement of 2024-03-01
C6,Bob Brown,private,
"""


@pytest.fixture
def ctx(db):
    org = init_organization("Acme", country="IL", admin_email="owner@acme.test", admin_password="Gvia-test-2026!")
    return Ctx(org, None, "owner")


def test_customer_kinds_and_their_agreement_on_file(ctx, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text(CUSTOMERS, encoding="utf-8")
    imports.import_file(ctx, "customers", path, today=TODAY)
    got = {c.ref: (c.kind, c.claim_basis) for c in Customer.objects.filter(organization=ctx.org)}
    assert got == {"C1": ("business", ""), "C2": ("sole_trader", "הסכם מסגרת חתום מיום 01/03/2024"),
                   "C3": ("sole_trader", ""), "C4": ("public_body", ""),
                   "C5": ("sole_trader", "signed framework agreement of 2024-03-01"), "C6": ("consumer", "")}
    # an updated file changes the agreement on file and the kind, and says so
    path.write_text(CUSTOMERS.replace("C3,דנה לוי - עיצוב,עוסק פטור,", "C3,דנה לוי - עיצוב,עוסק פטור,הזמנת עבודה חתומה")
                    .replace("C6,Bob Brown,private,", "C6,Bob Brown,company,"), encoding="utf-8")
    report = imports.import_file(ctx, "customers", path, today=TODAY)
    assert report.updated == 2
    assert any("claim_basis" in c for c in report.changes) and any("'consumer' → 'business'" in c
                                                                     for c in report.changes)
    assert Customer.objects.get(ref="C3").claim_basis == "הזמנת עבודה חתומה"
    assert Customer.objects.get(ref="C6").kind == "business"


def test_an_invoice_file_creates_a_sole_trader_with_its_agreement(ctx, tmp_path):
    path = tmp_path / "invoices.csv"
    path.write_text("customer_ref,customer_name,customer_type,customer_claim_basis,invoice_number,issue_date,"
                    "due_date,amount\nC9,Yossi Cohen,עוסק מורשה,signed order of 2026-01-05,INV-1,2026-01-05,"
                    "2026-02-04,1170.00\n", encoding="utf-8")
    imports.import_file(ctx, "invoices", path, today=TODAY)
    c = Customer.objects.get(ref="C9")
    assert (c.kind, c.claim_basis) == ("sole_trader", "signed order of 2026-01-05")


def test_a_file_without_a_type_leaves_the_kind_alone(ctx, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text(CUSTOMERS, encoding="utf-8")
    imports.import_file(ctx, "customers", path, today=TODAY)
    path.write_text("customer_ref,customer_name,customer_tax_id\nC2,יוסי כהן - שיפוצים,123456782\n", encoding="utf-8")
    report = imports.import_file(ctx, "customers", path, today=TODAY)
    assert report.updated == 1 and not any("kind" in c for c in report.changes)
    assert Customer.objects.get(ref="C2").kind == "sole_trader"
