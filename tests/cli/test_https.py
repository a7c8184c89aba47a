"""Behind HTTPS (issue 14, finding 8): with GVIA_HTTPS=1 the cookies are Secure, HSTS is sent and the
proxy's X-Forwarded-Proto / X-Forwarded-For are trusted; without it none of that. Settings are read
when Django starts, so each case runs the real application in a process of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys

SCRIPT = """
import json
from gvia.cli.bootstrap import setup_django
setup_django({db!r})
from django.test import Client
c = Client(SERVER_NAME="localhost")
proxy = {{"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}}
page = c.get("/login/", **proxy)
signed = c.post("/login/", {{"username": "owner@demo.co.il", "password": "Gvia-test-2026!"}}, **proxy)
c2 = Client(SERVER_NAME="localhost")
c2.post("/login/", {{"username": "owner@demo.co.il", "password": "wrong-one-1"}}, **proxy)
from axes.models import AccessAttempt
print(json.dumps({{
    "hsts": page.headers.get("Strict-Transport-Security", ""),
    "csp": page.headers.get("Content-Security-Policy", ""),
    "csrf_secure": bool(page.cookies["csrftoken"]["secure"]),
    "session_secure": bool(signed.cookies["sessionid"]["secure"]),
    "signed_in": signed.status_code == 302,
    "failed_from": sorted(AccessAttempt.objects.values_list("ip_address", flat=True)),
}}))
"""


def run_app(gvia, https: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GVIA_")} | {"GVIA_HOME": str(gvia.tmp)}
    if https:
        env["GVIA_HTTPS"] = "1"
    proc = subprocess.run([sys.executable, "-c", SCRIPT.format(db=gvia.db)], env=env, cwd=gvia.tmp,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_gvia_https_turns_on_secure_cookies_hsts_and_the_proxy_headers(gvia_org):
    on = run_app(gvia_org, https=True)
    assert on["signed_in"]
    assert on["hsts"].startswith("max-age=31536000")
    assert on["csrf_secure"] and on["session_secure"]
    assert on["failed_from"] == ["203.0.113.7"]          # the client the proxy saw, not the proxy
    assert "default-src 'self'" in on["csp"] and "script-src 'self'" in on["csp"]


def test_without_it_plain_http_cookies_and_no_proxy_trust(gvia_org):
    off = run_app(gvia_org, https=False)
    assert off["signed_in"]
    assert off["hsts"] == ""
    assert not off["csrf_secure"] and not off["session_secure"]
    assert off["failed_from"] == ["127.0.0.1"]
    assert "script-src 'self'" in off["csp"]             # the policy holds either way
