"""`gvia portal requests` lists what customers asked for on their page and waits for a person;
`gvia portal approve|reject ID` decides one (issue 16) — the command in this process, on the test
database."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from gvia.services import clock
from gvia.services.portal import actions
from gvia.store.models import Contact, Promise
from gvia.store.models_portal_requests import PortalRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(ctx, capsys, monkeypatch):
    from gvia.cli.main import app
    from gvia.cli.state import GLOBALS

    for name in ("org", "as_user", "db", "lang"):       # the command's global options, put back afterwards
        if hasattr(GLOBALS, name):
            monkeypatch.setattr(GLOBALS, name, getattr(GLOBALS, name))

    def go(*args: str) -> str:
        capsys.readouterr()
        app(args=["--org", ctx.org.slug, "--as", "owner@gilboa.co.il", *args], prog_name="gvia",
            standalone_mode=False)
        return capsys.readouterr().out
    return go


def test_list_then_approve_and_reject(ctx, books, run):
    today = clock.org_today(ctx.org)          # the command decides today, as a person would
    c = books.customer("C1", "Alon Ltd", language="en", email="ap@alon.example")
    books.invoice(c, "1001", "2000.00", today - timedelta(days=14))
    v = actions.Visitor(ctx.org, c, link_id=1)
    due = today + timedelta(days=45)
    far = actions.promise(v, due)                                       # beyond 30 days: waits
    contact = actions.propose_contact(v, "Noa", "noa@alon.example")
    shown = json.loads(run("--lang", "en", "portal", "requests", "--format", "json"))
    assert [(r["id"], r["kind"], r["waits_for"]) for r in shown] == [
        (far.id, "promise", ["promise_beyond_days"]), (contact.id, "contact", ["contact_needs_confirmation"])]
    assert shown[0]["amount"] == {"amount": "2000.00", "currency": "ILS"} and shown[0]["due"] == due.isoformat()
    assert "בקשות מדף הלקוח" in run("--lang", "he", "portal", "requests")          # the table's title
    rows = run("--lang", "he", "portal", "requests", "--format", "csv")
    assert "התחייבות לתשלום" in rows and "איש קשר חדש לחיובים" in rows and "noa@alon.example" in rows

    assert f"Request {far.id} of C1 approved." in run("--lang", "en", "portal", "approve", str(far.id))
    assert Promise.objects.get(customer=c).due == due
    assert f"בקשה {contact.id} של C1 נדחתה." in run("--lang", "he", "portal", "reject", str(contact.id),
                                                    "--note", "לא מוכר לנו")
    assert not Contact.objects.filter(email="noa@alon.example").exists()
    assert PortalRequest.objects.get(id=contact.id).decision_note == "לא מוכר לנו"
    assert json.loads(run("portal", "requests", "--format", "json")) == []
