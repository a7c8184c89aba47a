"""The payment gateway's settings tab (issue 16): owners only; the credentials go through the
service — secrets sealed, never shown back, kept when their field is left empty —; the page
names the notification address, in Hebrew and in English."""

from __future__ import annotations

import pytest

from gvia.store.models import Membership
from gvia.store.models_gateways import GatewayAccount

pytestmark = pytest.mark.django_db


def _speak(world, user, lang: str) -> None:
    Membership.objects.filter(user=user, organization=world.org_a).update(language=lang)


def test_owner_sets_stripe_and_the_secrets_stay_hidden(as_owner, world):
    _speak(world, world.owner, "en")
    page = as_owner.get("/settings/gateway/")
    assert page.status_code == 200 and "No payment gateway is set yet." in page.content.decode()
    r = as_owner.post("/settings/gateway/", {"gateway": "stripe", "secret_key": "sk_live_51Secret",
                                             "webhook_secret": "whsec_Secret9"})
    assert r.status_code == 302
    account = GatewayAccount.objects.get(organization=world.org_a)
    assert (account.gateway, account.active) == ("stripe", True)
    assert "sk_live_51Secret" not in account.sealed_secrets
    html = as_owner.get("/settings/gateway/").content.decode()
    assert "sk_live_51Secret" not in html and "whsec_Secret9" not in html
    assert f"/gateways/stripe/notify/{account.notify_token}/" in html and "in use" in html
    # saved again with the secret fields empty: the secrets are kept
    assert as_owner.post("/settings/gateway/", {"gateway": "stripe"}).status_code == 302
    from gvia.services.gateways.accounts import credentials

    account.refresh_from_db()
    assert credentials(account)["secret_key"] == "sk_live_51Secret"


def test_switching_to_grow_in_hebrew(as_owner, world):
    _speak(world, world.owner, "he")
    r = as_owner.post("/settings/gateway/", {"gateway": "grow", "user_id": "4ec1d595ae764243",
                                             "page_code": "b73ca07591f8"})
    assert r.status_code == 302
    html = as_owner.get("/settings/gateway/").content.decode()
    assert "גרואו (לשעבר משולם)" in html and "בשימוש" in html and "4ec1d595ae764243" in html
    assert as_owner.post("/settings/gateway/", {"gateway": "paypal"}).status_code == 400


def test_only_owners(as_collector):
    assert as_collector.get("/settings/gateway/").status_code in (403, 404)
    assert as_collector.post("/settings/gateway/", {"gateway": "grow", "user_id": "x"}).status_code in (403, 404)
    assert not GatewayAccount.objects.exists()
