"""Importing customers again updates every field the file carries on existing customers — the
address and the contact too, which were dropped while the report said "updated" — and lists
each change (issue 13). An empty cell changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from gvia.services.context import Ctx
from gvia.services.ledger import imports
from gvia.services.org.organizations import init_organization
from gvia.store.models import Address, Contact, Customer

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)

FIRST = """customer_ref,customer_name,email,phone,address,contact_name
C1,Alon Marketing Ltd,accounts@alon.example,03-5551234,"1 Herzl St, Tel Aviv",Dana
C2,Yossi Renovations,yossi@example.com,,"5 Jaffa Rd, Jerusalem",
"""


@pytest.fixture
def ctx(db):
    org = init_organization("Acme", country="IL", admin_email="owner@acme.test", admin_password="Gvia-test-2026!")
    return Ctx(org, None, "owner")


def _import(ctx, tmp_path, text):
    path = tmp_path / "customers.csv"
    path.write_text(text, encoding="utf-8")
    return imports.import_file(ctx, "customers", path, today=TODAY)


def test_a_second_file_updates_address_contact_and_email_and_lists_each_change(ctx, tmp_path):
    _import(ctx, tmp_path, FIRST)
    c1 = Customer.objects.get(ref="C1")
    assert str(Address.objects.get(customer=c1)) == "1 Herzl St, Tel Aviv"
    second = FIRST.replace('"1 Herzl St, Tel Aviv",Dana', '"20 Rothschild Blvd, Tel Aviv",Moshe') \
                  .replace("accounts@alon.example", "billing@alon.example")
    report = _import(ctx, tmp_path, second)
    assert (report.updated, report.unchanged, report.created) == (1, 1, 0)
    [change] = report.changes
    assert change.startswith("customer C1: ")
    assert "address '1 Herzl St, Tel Aviv' → '20 Rothschild Blvd, Tel Aviv'" in change
    assert "email 'accounts@alon.example' → 'billing@alon.example'" in change
    assert "contact 'Dana' → 'Moshe'" in change
    # what the report says is what is stored: one address, replaced; the contact messages go to
    assert [str(a) for a in Address.objects.filter(customer=c1)] == ["20 Rothschild Blvd, Tel Aviv"]
    contact = Contact.objects.get(customer=c1, is_primary=True)
    assert (contact.name, contact.email) == ("Moshe", "billing@alon.example")
    assert Customer.objects.get(ref="C1").email == "billing@alon.example"


def test_the_same_file_again_changes_nothing_and_an_empty_cell_keeps_the_value(ctx, tmp_path):
    _import(ctx, tmp_path, FIRST)
    report = _import(ctx, tmp_path, FIRST)
    assert (report.updated, report.unchanged, report.changes) == (0, 2, [])
    blank = FIRST.replace('"5 Jaffa Rd, Jerusalem"', "").replace("yossi@example.com", "")
    report = _import(ctx, tmp_path, blank)
    assert report.updated == 0
    c2 = Customer.objects.get(ref="C2")
    assert (c2.email, str(Address.objects.get(customer=c2))) == ("yossi@example.com", "5 Jaffa Rd, Jerusalem")


def test_a_contact_someone_edited_by_hand_keeps_its_own_email(ctx, tmp_path):
    _import(ctx, tmp_path, FIRST)
    c1 = Customer.objects.get(ref="C1")
    Contact.objects.filter(customer=c1, is_primary=True).update(email="dana@alon.example")
    _import(ctx, tmp_path, FIRST.replace("accounts@alon.example", "billing@alon.example"))
    assert Contact.objects.get(customer=c1, is_primary=True).email == "dana@alon.example"
    assert Customer.objects.get(ref="C1").email == "billing@alon.example"


def test_a_customer_without_an_address_gets_the_files(ctx, tmp_path):
    _import(ctx, tmp_path, FIRST.replace('"5 Jaffa Rd, Jerusalem"', ""))
    c2 = Customer.objects.get(ref="C2")
    assert not Address.objects.filter(customer=c2).exists()
    report = _import(ctx, tmp_path, FIRST)
    assert report.updated == 1
    assert str(Address.objects.get(customer=c2)) == "5 Jaffa Rd, Jerusalem"
