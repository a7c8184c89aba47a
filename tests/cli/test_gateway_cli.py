"""`gvia gateway set|show` (issue 16): credentials stored with the secrets sealed and shown
masked, an unknown field or gateway refused in the reader's language with nothing changed."""

from __future__ import annotations

import json
import sqlite3

import pytest

pytestmark = pytest.mark.slow


def test_set_then_show_masks_secrets_and_names_the_notification_address(gvia_org):
    r = gvia_org("gateway", "set", "stripe", "secret_key=sk_live_51Hs3cr3t", "webhook_secret=whsec_abc123",
                 "--lang", "en")
    assert r.code == 0, r.err
    assert "The stripe gateway is saved and in use." in r.out
    assert "sk_live_51Hs3cr3t" not in r.out and "whsec_abc123" not in r.out and "********" in r.out
    assert "/gateways/stripe/notify/" in r.out
    shown = json.loads(gvia_org("gateway", "show", "--format", "json").out)
    assert [(f["field"], f["value"]) for f in shown[0]["fields"]] == [
        ("secret_key", "********"), ("webhook_secret", "********"), ("api_base", "")]
    assert shown[0]["active"] and shown[0]["complete"]
    with sqlite3.connect(gvia_org.tmp / "gvia.db") as db:
        stored = " ".join(str(v) for row in db.execute("select * from gvia_gatewayaccount") for v in row)
        audit = " ".join(str(v) for row in db.execute("select * from gvia_auditrecord") for v in row)
    assert "sk_live_51Hs3cr3t" not in stored and "sealed:v1:" in stored
    assert "sk_live_51Hs3cr3t" not in audit and "whsec_abc123" not in audit

    he = gvia_org("gateway", "show", "--lang", "he")
    assert "בשימוש" in he.out and "שערי תשלום" in he.out


def test_unknown_field_or_gateway_is_refused_and_nothing_changes(gvia_org):
    r = gvia_org("gateway", "set", "grow", "user_id=1", "colour=blue", "--lang", "en")
    assert r.code != 0
    assert "this gateway has no field colour; its fields: user_id, page_code, api_key, api_base" in r.err
    r = gvia_org("gateway", "set", "grow", "user_id", "--lang", "he")
    assert r.code != 0 and "יש לכתוב שדה=ערך" in r.err
    r = gvia_org("gateway", "set", "paypal", "x=1", "--lang", "en")
    assert r.code != 0 and "there is no payment gateway named paypal" in r.err
    assert "No payment gateway is set." in gvia_org("gateway", "show", "--lang", "en").out


def test_the_log_lists_what_became_of_each_notification(gvia_org):
    r = gvia_org("gateway", "log", "--lang", "en")
    assert r.code == 0 and "No notification from a payment gateway yet." in r.out
    gvia_org("gateway", "set", "stripe", "secret_key=sk_test_1", "webhook_secret=whsec_1")
    with sqlite3.connect(gvia_org.tmp / "gvia.db") as db:
        org_id, token = db.execute("select organization_id, notify_token from gvia_gatewayaccount").fetchone()
        for outcome, txn in (("forged", ""), ("recorded", "pi_1"), ("replayed", "pi_1")):
            db.execute("insert into gvia_gatewaynotification (organization_id, gateway, outcome, code, event_id, "
                       "transaction_id, body_sha256, size, received_at) values (?, 'stripe', ?, '', '', ?, ?, 10, "
                       "'2026-11-10 07:00:00')", (org_id, outcome, txn, "0" * 64))
    he = gvia_org("gateway", "log", "--lang", "he")
    assert he.code == 0, he.err
    assert "נדחתה: לא מהשער" in he.out and "התשלום נרשם" in he.out and "כבר נרשם; לא נרשם שוב" in he.out
    rows = json.loads(gvia_org("gateway", "log", "--format", "json").out)
    assert sorted(r["outcome"] for r in rows) == ["forged", "recorded", "replayed"]
