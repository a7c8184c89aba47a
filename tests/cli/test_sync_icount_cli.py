"""`gvia sync set icount …` and `gvia sync icount --once` (issue 18) against a real HTTP fake of
iCount's API v3 (tests/support/fake_icount.py)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.support.fake_icount import FakeICount

pytestmark = pytest.mark.slow


def test_set_and_sync_icount_once(gvia_org):
    fake = FakeICount()
    try:
        fake.document("invoice", 1001, date.today().replace(day=1).isoformat(), "7", "לקוח א", "1500", due="2026-11-30")
        r = gvia_org("sync", "set", "icount", f"cid={fake.cid}", f"user={fake.user}", f"pass={fake.password}",
                     f"api_base={fake.base}", "--lang", "en")
        assert r.code == 0, r.err
        assert "The invoicing service icount is saved and its sync is on." in r.out
        assert fake.password not in r.out and "********" in r.out
        r = gvia_org("sync", "icount", "--once", "--lang", "he")
        assert r.code == 0, r.err
        assert "סנכרון עם icount" in r.out and "מסמך אחד, חשבונית אחת, 0 תקבולים." in r.out
        [shown] = json.loads(gvia_org("sync", "show", "--format", "json").out)
        assert shown["provider"] == "icount" and shown["last_error"] == "" and shown["last_success_at"]
        fake.document("invoice", 1002, date.today().isoformat(), "7", "לקוח א", "90", currency="EUR")  # in the window
        r = gvia_org("sync", "icount", "--once", "--lang", "en")
        assert r.code != 0 and "currency_code" in r.err and "EUR" in r.err
    finally:
        fake.close()
