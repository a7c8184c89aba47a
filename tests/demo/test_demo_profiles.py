"""Identities of demo customers: check digits by hand, phones per phonenumbers."""

from random import Random

import phonenumbers
import pytest
from stdnum.il import hp, idnr

from gvia.demo.profiles import (
    TaxIdKeys,
    company_number,
    id_number,
    landline_phone,
    make_profile,
    mobile_phone,
    permute,
    slug,
)


def test_company_number_check_digit():
    # "51000000": doubled digits from the right 0,0,0,1 -> 0+0+0+2, others 0,0,0,5 -> sum 7 -> 3
    assert company_number(0) == "510000003"
    # "51123456": 6*2=12->3, 5, 4*2=8, 3, 2*2=4, 1, 1*2=2, 5 -> 31 -> check 9
    assert company_number(123456) == "511234569"
    assert hp.is_valid(company_number(0)) and hp.is_valid(company_number(123456))


def test_id_number_check_digit():
    # "20000000": only the 2 counts (not doubled) -> 2 -> check 8
    assert id_number(0) == "200000008"
    # serial 12,345,678 -> "3" + "2345678": 8*2=16->7, 7, 6*2=12->3, 5, 4*2=8, 3, 2*2=4, 3 -> 40
    assert id_number(12_345_678) == "323456780"
    assert idnr.is_valid("200000008") and idnr.is_valid("323456780")


def test_permutation_is_a_bijection():
    images = {permute(x, 10**4, 823_543, 77) for x in range(10**4)}
    assert images == set(range(10**4))


def test_phones_are_valid_israeli_numbers():
    r = Random(5).random
    for _ in range(300):
        for number in (mobile_phone(r), landline_phone(r, "2"), landline_phone(r, "9")):
            parsed = phonenumbers.parse(number)
            assert phonenumbers.is_valid_number(parsed), number
            assert phonenumbers.region_code_for_number(parsed) == "IL"
    def zero() -> float:   # a random source that always gives the first choice
        return 0.0

    assert mobile_phone(zero) == "+972503000000"
    assert landline_phone(zero, "3") == "+97233000000"


def test_slug():
    assert slug("Cohen & Sons") == "cohen-sons"
    assert slug("  HaNevi'im  St. ") == "hanevi-im-st"


@pytest.mark.parametrize("language", ["he", "en"])
def test_profiles_are_complete(language):
    keys = TaxIdKeys(company_offset=12, person_offset=34)
    for index in range(200):
        p = make_profile(Random(index), index, str(100001 + index), language, keys)
        assert p.name and p.address and p.contact_name and p.email.endswith(".example")
        assert p.customer_type == {"company": "business", "sole_trader": "sole_trader",
                                   "consumer": "consumer"}[p.entity]
        assert bool(p.claim_basis) == (p.entity == "company" and index % 4 == 0)    # the agreement on file
        if language == "en":
            assert p.language == "en"
        if p.language == "en":
            assert not any("\u0590" <= ch <= "\u05ff" for ch in p.name + p.address)
