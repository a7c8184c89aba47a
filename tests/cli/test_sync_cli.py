"""`gvia sync set|show|morning --once` (issue 18) against a real HTTP fake of Morning's API."""

from __future__ import annotations

import json

import pytest

from tests.support.fake_morning import FakeMorning

pytestmark = pytest.mark.slow


def test_set_show_and_sync_once(gvia_org):
    fake = FakeMorning()
    try:
        fake.document(305, 1001, "2026-11-01", {"id": "c-1", "name": "לקוח א"}, "1500", due="2026-11-30")
        r = gvia_org("sync", "set", "morning", f"api_key_id={fake.key_id}", f"api_key_secret={fake.secret}",
                     f"api_base={fake.base}", "--lang", "en")
        assert r.code == 0, r.err
        assert "The invoicing service morning is saved and its sync is on." in r.out
        assert fake.secret not in r.out and "********" in r.out
        r = gvia_org("sync", "morning", "--once", "--lang", "he")
        assert r.code == 0, r.err
        assert "סנכרון עם morning" in r.out and "מסמך אחד, חשבונית אחת, 0 תקבולים." in r.out
        r = gvia_org("sync", "morning", "--once", "--lang", "en")
        assert r.code == 0 and ": 0 documents, 0 invoices, 0 payments." in r.out, r.out   # nothing new since
        shown = json.loads(gvia_org("sync", "show", "--format", "json").out)
        assert shown[0]["last_error"] == "" and shown[0]["last_success_at"]
        fake.secret = "changed-there"
        r = gvia_org("sync", "morning", "--once", "--lang", "en")
        assert r.code == 1 and "The invoicing service refused the credentials; check the API key." in r.err
        r = gvia_org("sync", "show", "--lang", "en")
        assert "The last try failed: the service refused the credentials" in r.out
    finally:
        fake.close()
