"""The settings tab "API keys" (issue 18): an owner makes a key (shown on the answering page
once), sees the list without the keys, revokes one; other roles get no tab; another
organization's key cannot be revoked from it. In Hebrew and English (the web catalog)."""

from __future__ import annotations

import re

import pytest

from gvia.store.models_api import ApiKey

pytestmark = pytest.mark.django_db


def test_an_owner_makes_a_key_sees_it_once_and_revokes_it(client, world, api):
    client.force_login(world.owner)
    page = client.get("/settings/api/")
    assert page.status_code == 200 and "מפתחות API" in page.content.decode()
    made = client.post("/settings/api/", {"action": "create", "name": "הנהלת חשבונות", "scope": "write"})
    text = made.content.decode()
    key = re.search(r'data-testid="apikey-value">(gvia_[\w-]+)<', text).group(1)
    assert made.status_code == 200 and made["Cache-Control"] == "no-store"
    row = ApiKey.objects.get(organization=world.org_a)
    assert row.name == "הנהלת חשבונות" and row.scope == "write"
    assert api("get", "/customers/", key).status_code == 200
    again = client.get("/settings/api/").content.decode()
    assert key not in again and f"gvia_{row.prefix}_" in again          # listed by its prefix only
    client.post("/settings/api/", {"action": "revoke", "key": str(row.id)})
    assert ApiKey.objects.get(id=row.id).revoked_at is not None
    assert api("get", "/customers/", key).status_code == 401


def test_a_key_needs_a_name_in_the_readers_language(client, world):
    client.force_login(world.viewer)          # English; a viewer has no settings
    assert client.get("/settings/api/").status_code in (302, 403)
    client.force_login(world.owner)
    answer = client.post("/settings/api/", {"action": "create", "name": " ", "scope": "read"})
    assert answer.status_code == 400 and "למפתח נדרש שם" in answer.content.decode()
    assert not ApiKey.objects.exists()


def test_another_organizations_key_is_not_revoked_from_this_tab(client, world, keys):
    b_key = ApiKey.objects.get(organization=world.org_b)
    client.force_login(world.owner)
    answer = client.post("/settings/api/", {"action": "revoke", "key": str(b_key.id)}, follow=True)
    assert ApiKey.objects.get(id=b_key.id).revoked_at is None
    assert "אין מפתח API" in answer.content.decode()
    assert "b admin" not in client.get("/settings/api/").content.decode()
