"""`gvia sms set|show|opt-out|opt-in` (issue 16): a provider's settings stored with the secrets
sealed and shown masked, with the callback address; an unknown provider or setting refused in
the reader's language with nothing changed; an opt-out recorded and lifted. The real command in
a subprocess."""

from __future__ import annotations

import json
import sqlite3

import pytest

pytestmark = pytest.mark.slow


def test_set_show_and_the_secrets_stay_sealed(gvia_org):
    r = gvia_org("--lang", "en", "sms", "set", "twilio", "account_sid=AC123", "auth_token=s3cr3t-twilio",
                 "from=+15005550006")
    assert r.code == 0, r.err
    assert "The twilio settings were saved" in r.out and "s3cr3t-twilio" not in r.out and "********" in r.out
    assert "twilio: in use" in r.out and "/hooks/texts/twilio/demo/" in r.out
    shown = {row["provider"]: row for row in json.loads(gvia_org("sms", "show", "--format", "json").out)}
    assert shown["twilio"]["active"] and shown["twilio"]["complete"] and not shown["019"]["active"]
    assert [f["value"] for f in shown["twilio"]["fields"] if f["key"] == "sms.twilio.auth_token"] == ["********"]
    with sqlite3.connect(gvia_org.tmp / "gvia.db") as db:
        stored = " ".join(str(v) for row in db.execute("select settings from gvia_organization") for v in row)
        audit = " ".join(str(v) for row in db.execute("select * from gvia_auditrecord") for v in row)
    assert "s3cr3t-twilio" not in stored and "sealed:v1:" in stored and "s3cr3t-twilio" not in audit


def test_unknown_provider_or_setting_changes_nothing(gvia_org):
    r = gvia_org("--lang", "he", "sms", "set", "pigeon", "x=1")
    assert r.code == 1 and "אין ספק הודעות בשם pigeon" in r.err
    r = gvia_org("--lang", "en", "sms", "set", "019", "username=gilboa", "colour=blue")
    assert r.code == 1 and "This provider has no setting called colour" in r.err
    shown = {row["provider"]: row for row in json.loads(gvia_org("sms", "show", "--format", "json").out)}
    assert {f["value"] for f in shown["019"]["fields"]} == {""}


def test_opt_out_and_opt_in(gvia_org):
    r = gvia_org("--lang", "en", "sms", "opt-out", "052-765-4321")
    assert r.code == 0, r.err
    assert "+972527654321 will get no more SMS or WhatsApp" in r.out
    r = gvia_org("--lang", "he", "sms", "opt-out", "03-6123456")
    assert r.code == 1 and "אינו מספר טלפון נייד" in r.err
    assert gvia_org("--lang", "en", "sms", "opt-in", "0527654321").code == 0
    again = gvia_org("--lang", "en", "sms", "opt-in", "0527654321")
    assert again.code == 1 and "has not asked to stop receiving texts" in again.err
