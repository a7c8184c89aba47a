"""Migration 0012: the customer kinds, a customer's claim basis, the organization's English
details; the bank details in their one field."""

from __future__ import annotations

import pytest
from django.db import connection

from gvia.core.customer_kinds import CUSTOMER_KINDS
from gvia.store.models import Customer, Organization

pytestmark = pytest.mark.django_db  # and so again on PostgreSQL (tools/run-tests)


def test_the_model_holds_every_kind_and_a_claim_basis():
    assert tuple(Customer.Kind.values) == CUSTOMER_KINDS
    org = Organization.objects.create(name="Acme", slug="acme")
    for i, kind in enumerate(CUSTOMER_KINDS):
        Customer.objects.create(organization=org, ref=str(i), name=kind, kind=kind,
                                claim_basis="signed framework agreement of 2024-03-01" if i == 1 else "")
    assert dict(Customer.objects.values_list("kind", "claim_basis"))["sole_trader"].startswith("signed")
    assert sorted(Customer.objects.values_list("kind", flat=True)) == sorted(CUSTOMER_KINDS)


def test_columns_written_without_naming_them_are_empty():
    """The bulk writers name their columns; the new ones default to '' in the database itself."""
    org = Organization.objects.create(name="אקמה בע\"מ", slug="acme", name_en="Acme Ltd")
    with connection.cursor() as cur:
        cur.execute("INSERT INTO gvia_customer (organization_id, ref, name, tax_id, kind, language, tags, "
                    "do_not_chase, do_not_chase_reason, email, phone, created_at, updated_at) VALUES "
                    "(%s, 'R1', 'n', '', 'sole_trader', 'he', '[]', %s, '', '', '', %s, %s)",
                    [org.id, False, "2026-01-01 00:00:00", "2026-01-01 00:00:00"])
    c = Customer.objects.get(ref="R1")
    assert (c.kind, c.claim_basis) == ("sole_trader", "")
    org.refresh_from_db()
    assert (org.name_en, org.address_en, org.signatory_name_en, org.signatory_title_en) == ("Acme Ltd", "", "", "")


def test_the_migration_keeps_the_customer_name_search(backend):
    """0012 adds its columns without remaking gvia_customer, so 0009's triggers stay (SQLite)."""
    if backend != "sqlite":
        pytest.skip("the full-text triggers are SQLite's")
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'gvia_customer'")
        assert len(cur.fetchall()) == 3


@pytest.mark.django_db(transaction=True)
def test_the_bank_setting_moves_to_the_bank_details_field():
    """The demo used to keep the bank in settings["bank"]; 0012 writes it into bank_details (as
    lines the letters read back into their fields) and drops the setting; 0016 moves the lines
    into the bank fields."""
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    from gvia.services.letters.content import bank_of

    executor = MigrationExecutor(connection)
    executor.migrate([("gvia", "0011_members_are_not_staff")])
    with connection.cursor() as cur:
        cur.execute("INSERT INTO gvia_organization (name, slug, tax_id, address, phone, email, bank_details, "
                    "payment_link, country, default_currency, default_language, time_zone, signatory_name, "
                    "signatory_title, accent_color, logo_path, settings, created_at) VALUES ('Old', 'old', '', "
                    "'', '', '', '', '', 'IL', 'ILS', 'he', 'Asia/Jerusalem', '', '', '#1f4e79', '', %s, %s)",
                    ['{"bank": {"bank": "בנק הפועלים (12)", "branch": "600", "account": "123456"}, '
                     '"tolerance": "1"}', "2026-01-01 00:00:00"])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("gvia", "0012_customer_kinds_claim_basis_org_english")])
    call_command("migrate", verbosity=0)
    org = Organization.objects.get(slug="old")
    assert org.settings == {"tolerance": "1"}
    # ... and 0016 reads those lines into the bank fields (issue 13: structured, one home)
    assert (org.bank_name, org.bank_branch, org.bank_account, org.bank_details) == (
        "בנק הפועלים (12)", "600", "123456", "")
    bank = bank_of(org)
    assert bank is not None and (bank.bank, bank.branch, bank.account) == ("בנק הפועלים (12)", "600", "123456")


@pytest.mark.django_db(transaction=True)
def test_bank_text_moves_into_the_bank_fields_and_free_text_stays():
    """0016: 'Label: value' lines become the fields; text that is not stays in bank_details,
    printed as written; a settings['bank'] still there is moved and its key deleted."""
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("gvia", "0015_invoice_allocation_number")])
    rows = [("lines", "Bank: Barclays\nSort code: 20-00-00\nAccount: 12345678\nBeneficiary: Gilboa Ltd", "{}"),
            ("free", "לאומי 10-800-1234567", "{}"),
            ("hidden", "", '{"bank": "IBAN: GB82WEST12345698765432", "tolerance": "1"}')]
    with connection.cursor() as cur:
        for slug, text, settings in rows:
            cur.execute("INSERT INTO gvia_organization (name, slug, tax_id, address, phone, email, bank_details, "
                        "payment_link, country, default_currency, default_language, time_zone, signatory_name, "
                        "signatory_title, accent_color, logo_path, settings, created_at, name_en, address_en, "
                        "signatory_name_en, signatory_title_en) VALUES (%s, %s, '', '', '', '', %s, '', 'IL', "
                        "'ILS', 'he', 'Asia/Jerusalem', '', '', '#1f4e79', '', %s, %s, '', '', '', '')",
                        [slug, slug, text, settings, "2026-01-01 00:00:00"])
    call_command("migrate", verbosity=0)
    lines = Organization.objects.get(slug="lines")
    assert (lines.bank_name, lines.bank_sort_code, lines.bank_account, lines.bank_beneficiary, lines.bank_details) == (
        "Barclays", "20-00-00", "12345678", "Gilboa Ltd", "")
    free = Organization.objects.get(slug="free")
    assert (free.bank_name, free.bank_account, free.bank_details) == ("", "", "לאומי 10-800-1234567")
    hidden = Organization.objects.get(slug="hidden")
    assert hidden.bank_iban == "GB82WEST12345698765432" and hidden.settings == {"tolerance": "1"}
