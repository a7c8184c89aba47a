"""A letter's details come from their one home (issue 12): the organization's fields, with the
English name, address and signatory on English letters when they are given, and the claim
basis from the customer's agreement on file, else the organization's setting, else none."""

from __future__ import annotations

import pytest

from gvia.services.context import Ctx
from gvia.services.letters.content import claim_basis, letterhead_for
from gvia.services.org.organizations import init_organization
from gvia.store.models import Customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db):
    return init_organization('גלבוע ציוד בע"מ', country="IL", admin_email="owner@gilboa.test",
                             admin_password="Gvia-test-2026!", address="רחוב הברזל 32\nתל אביב-יפו",
                             signatory_name="דנה לוי", signatory_title="מנהלת כספים",
                             bank_details="בנק: לאומי (10)\nסניף: 800\nחשבון: 12345678")


def test_english_letters_use_the_english_details_when_given(org):
    he = letterhead_for(org, "he")
    assert (he.name, he.address_lines, he.signatory_name) == ('גלבוע ציוד בע"מ', ("רחוב הברזל 32", "תל אביב-יפו"),
                                                              "דנה לוי")
    assert letterhead_for(org, "en").name == 'גלבוע ציוד בע"מ'         # nothing English given yet
    org.name_en, org.address_en = "Gilboa Equipment Ltd", "32 HaBarzel St\nTel Aviv-Yafo"
    org.signatory_name_en, org.signatory_title_en = "Dana Levi", "Finance Manager"
    org.save()
    en = letterhead_for(org, "en")
    assert (en.name, en.address_lines, en.signatory_name, en.signatory_title) == (
        "Gilboa Equipment Ltd", ("32 HaBarzel St", "Tel Aviv-Yafo"), "Dana Levi", "Finance Manager")
    assert letterhead_for(org, "he").name == 'גלבוע ציוד בע"מ'
    assert (en.bank.bank, en.bank.branch, en.bank.account) == ("לאומי (10)", "800", "12345678")  # bank_details


def test_claim_basis_is_the_customers_else_the_organizations_else_none(org):
    from gvia.services import settings

    c = Customer.objects.create(organization=org, ref="C1", name="Alpha Ltd", language="en")
    assert claim_basis(org, c, "en") == ""                                  # nothing known: the sentence is left out
    settings.set_setting(Ctx(org, None, "owner"), "claim_basis", "the orders you placed with us")
    assert claim_basis(org, c, "en") == "the orders you placed with us"
    c.claim_basis = "signed framework agreement of 2024-03-01"
    c.save()
    assert claim_basis(org, c, "en") == "signed framework agreement of 2024-03-01"
