"""The customer kinds and what the law makes of each (gvia.core.customer_kinds)."""

from __future__ import annotations

import pytest

from gvia.core import customer_kinds as kinds


def test_the_list_of_kinds():
    assert kinds.CUSTOMER_KINDS == ("business", "sole_trader", "consumer", "public_body")
    assert kinds.known("sole_trader") == "sole_trader"
    assert kinds.known("") == kinds.known("partnership") == "business"


@pytest.mark.parametrize("kind, individual, business, label", [
    ("business", False, True, "company_no"),
    ("sole_trader", True, True, "dealer_no"),     # an individual for the Pre-Action Protocol, in business for interest
    ("consumer", True, False, "person_id"),
    ("public_body", False, True, "corporation_no"),
    ("unknown", False, True, "company_no"),
])
def test_what_each_kind_means(kind, individual, business, label):
    assert kinds.is_individual(kind) is individual
    assert kinds.in_business(kind) is business
    assert kinds.id_label(kind) == label
    assert label in kinds.ID_LABELS


def test_a_sole_trader_is_never_labelled_as_a_company():
    assert kinds.id_label("sole_trader") != kinds.COMPANY_NO
