"""Fixtures for the REST API's tests: the web tests' two organizations (``tests/web/conftest.py``:
A with C001–C003 and their invoices, B with S001 and INV-9001) and API keys of each scope; a
helper that calls the API as a program would, with a key."""

from __future__ import annotations

import json as jsonlib
from dataclasses import dataclass

import pytest

from tests.web.conftest import World, make_world


@dataclass
class Keys:
    read: str
    write: str
    admin: str
    b_admin: str


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture
def keys(world) -> Keys:
    from gvia.services import apikeys
    from gvia.services.context import Ctx

    a = Ctx(world.org_a, world.owner, "owner")
    b = Ctx(world.org_b, world.owner_b, "owner")
    return Keys(apikeys.create_key(a, "reader", "read").key, apikeys.create_key(a, "writer", "write").key,
                apikeys.create_key(a, "admin", "admin").key, apikeys.create_key(b, "b admin", "admin").key)


class Api:
    """Calls ``/api/v1`` with a key through Django's test client; answers are parsed JSON."""

    def __init__(self, client):
        self.client = client

    def __call__(self, method: str, path: str, key: str | None, body=None, **extra):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
        kwargs: dict = {**headers, **extra}
        if body is not None:
            kwargs.update(data=jsonlib.dumps(body), content_type="application/json")
        response = getattr(self.client, method.lower())(f"/api/v1{path}", **kwargs)
        response.body = response.json() if response.content and response["Content-Type"].startswith(
            "application/json") else None
        return response


@pytest.fixture
def api(client) -> Api:
    return Api(client)
