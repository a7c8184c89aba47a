"""`gvia users unlock EMAIL` lets a member locked out by failed sign-ins sign in again (issue 14,
finding 4); the lock is made as the web makes it, by ten failed sign-ins through the login page."""

from __future__ import annotations

import sqlite3


def _failures(gvia, email: str) -> int:
    con = sqlite3.connect(gvia.tmp / "gvia.db")
    n = con.execute("select coalesce(sum(failures_since_start), 0) from axes_accessattempt where username = ?",
                    (email,)).fetchone()[0]
    con.close()
    return n


def test_users_unlock(gvia_org):
    script = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'gvia.settings';"
              "from gvia.cli.bootstrap import setup_django; setup_django(" + repr(gvia_org.db) + ");"
              "from django.test import Client; c = Client(SERVER_NAME='localhost');"
              "[c.post('/login/', {'username': 'owner@demo.co.il', 'password': 'nope-nope-1'}) for _ in range(10)];"
              "r = c.post('/login/', {'username': 'owner@demo.co.il', 'password': 'Gvia-test-2026!'});"
              "assert r.status_code == 429, r.status_code")
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("GVIA_")} | {"GVIA_HOME": str(gvia_org.tmp)}
    proc = subprocess.run([sys.executable, "-c", script], env=env, cwd=gvia_org.tmp, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert _failures(gvia_org, "owner@demo.co.il") >= 10

    r = gvia_org("users", "unlock", "owner@demo.co.il")
    assert r.code == 0, r.err
    assert "owner@demo.co.il can sign in again" in r.out
    assert _failures(gvia_org, "owner@demo.co.il") == 0

    r = gvia_org("users", "unlock", "stranger@demo.co.il")
    assert r.code == 1 and "not a member" in r.err
