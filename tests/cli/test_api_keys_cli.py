"""`gvia api key create|list|revoke` (issue 18): a key printed once and listed by its prefix only,
in Hebrew and English, JSON for scripts; revoked by its prefix; a bad scope, a missing name and a
key that is none refused in the reader's language."""

from __future__ import annotations

import json


def test_a_key_made_listed_and_revoked(gvia_org):
    r = gvia_org("--lang", "en", "api", "key", "create", "accounting sync", "--scope", "write")
    assert r.code == 0, r.err
    key = next(line for line in r.out.splitlines() if line.startswith("gvia_"))
    prefix = key.split("_")[1]
    assert f"prefix {prefix}" in r.out and "not shown again" in r.out and "read and change" in r.out
    listed = json.loads(gvia_org("api", "key", "list", "--format", "json").out)
    assert [(k["name"], k["prefix"], k["scope"], k["revoked_at"]) for k in listed] == [
        ("accounting sync", prefix, "write", None)]
    assert key not in gvia_org("api", "key", "list", "--format", "json").out
    he = gvia_org("--lang", "he", "api", "key", "list")
    assert he.code == 0 and "תחילית" in he.out and "קריאה ושינוי" in he.out
    r = gvia_org("--lang", "he", "api", "key", "revoke", prefix)
    assert r.code == 0 and "בוטל" in r.out
    assert json.loads(gvia_org("api", "key", "list", "--format", "json").out) == []
    assert json.loads(gvia_org("api", "key", "list", "--all", "--format", "json").out)[0]["revoked_at"]


def test_refusals_are_worded(gvia_org):
    bad = gvia_org("--lang", "en", "api", "key", "create", "x", "--scope", "root")
    assert bad.code == 1 and "root" in bad.err
    unnamed = gvia_org("--lang", "he", "api", "key", "create", " ")
    assert unnamed.code == 1 and "למפתח נדרש שם" in unnamed.err
    none = gvia_org("--lang", "en", "api", "key", "revoke", "deadbeef")
    assert none.code == 1 and "No API key deadbeef" in none.err
