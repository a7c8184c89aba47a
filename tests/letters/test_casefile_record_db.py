"""The case file built from the database prints the customer's payment record (issue 17): the
bakery paid its first invoice in full 76 days late and nothing else yet."""

from __future__ import annotations

import pytest

from gvia.services.letters import casefile

from .conftest import AS_OF, text

pytestmark = pytest.mark.django_db


def test_the_payment_record_in_the_case_file(ctx, shop):
    context = casefile.casefile_context(ctx, shop, AS_OF)
    r = context.payment_record
    assert r is not None and (r.paid, r.on_time, str(r.average_days_late)) == (1, 0, "76.0")
    pdf = text(casefile.build(ctx, shop.ref, AS_OF))
    assert "היסטוריית תשלומים" in pdf and "0 מתוך 1 חשבוניות ששולמו במלואן (0%)" in pdf and "76.0" in pdf
