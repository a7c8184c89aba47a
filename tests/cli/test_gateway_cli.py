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
