"""The customer's legal routes page and the filing pack (issue 15): the routes of the one route
computation worded in the reader's language, the pack as PDF and JSON for a collector (audited),
nothing for a viewer, and another organization's customer unreachable."""

from __future__ import annotations

import json

import pytest

from gvia.store.models import AuditRecord
from tests.documents.pdftext import pdf_text

pytestmark = pytest.mark.django_db


def test_the_customer_page_links_the_legal_routes(as_owner, world):
    r = as_owner.get(f"/customers/{world.c1.id}/")
    assert f'href="/customers/{world.c1.id}/legal/"' in r.content.decode()


def test_the_routes_in_hebrew_and_in_english(client, world):
    # C001 owes ₪700 overdue on 15/03/2026 (INV-1001); no written basis on file
    client.force_login(world.collector)                 # reads Hebrew
    page = client.get(f"/customers/{world.c1.id}/legal/").content.decode()
    assert "הוצאה לפועל: תביעה על סכום קצוב" in page and "בית משפט לתביעות קטנות" in page
    assert "אין בתיק חוזה או התחייבות מפורשים בכתב" in page            # the fixed-sum route's reason
    assert "Execution Office" not in page and "is within" not in page
    client.force_login(world.viewer)                    # reads English
    english = client.get(f"/customers/{world.c1.id}/legal/").content.decode()
    assert "Execution Office: fixed-sum claim" in english and "Small claims court" in english
    assert "תביעה על סכום קצוב" not in english


def test_the_pack_as_pdf_and_json_for_a_collector(as_collector, world):
    r = as_collector.post(f"/customers/{world.c1.id}/legal/pack/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith('attachment; filename="filing-pack-C001-')
    text = pdf_text(r.content)
    assert "תיק הגשה לתביעה על סכום קצוב" in text and "INV-1001" in text
    r = as_collector.post(f"/customers/{world.c1.id}/legal/pack/", {"format": "json"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    data = json.loads(r.content)
    # the first filing day (no warning yet: 31 days from today) takes INV-1002 (due 31/03) too
    assert data["customer"] == "C001" and [i["number"] for i in data["invoices"]] == ["INV-1001", "INV-1002"]
    assert data["form_fields"] is None
    assert AuditRecord.objects.filter(action="filing_pack.built", actor="collector@a.test").count() == 2


def test_a_viewer_cannot_build_a_pack_and_another_organization_is_a_404(client, world):
    client.force_login(world.viewer)
    assert client.post(f"/customers/{world.c1.id}/legal/pack/").status_code == 403
    client.force_login(world.collector)
    as_collector = client
    assert as_collector.get(f"/customers/{world.s1.id}/legal/").status_code == 404
    assert as_collector.post(f"/customers/{world.s1.id}/legal/pack/").status_code == 404
    assert not AuditRecord.objects.filter(action="filing_pack.built").exists()


def test_the_owner_says_who_the_business_is_as_a_claimant(client, world):
    from gvia.services import settings

    client.force_login(world.owner)
    page = client.get(f"/customers/{world.c1.id}/legal/").content.decode()
    assert 'data-testid="legal-creditor"' in page and "העסק אינו מיוצג בידי עורך דין" in page
    r = client.post(f"/customers/{world.c1.id}/legal/creditor/",
                    {"legal_creditor": "individual", "legal_represented": "no"})
    assert r.status_code == 302 and r["Location"] == f"/customers/{world.c1.id}/legal/"
    world.org_a.refresh_from_db()
    assert settings.values(world.org_a, ("legal.creditor", "legal.represented")) == {
        "legal.creditor": "individual", "legal.represented": "no"}
    # the routes read it: the shortened track's condition is settled, no longer listed to check
    page = client.get(f"/customers/{world.c1.id}/legal/").content.decode()
    assert "העסק אינו מיוצג בידי עורך דין" not in page
    # a choice not offered changes nothing
    client.post(f"/customers/{world.c1.id}/legal/creditor/", {"legal_creditor": "robot", "legal_represented": "no"})
    world.org_a.refresh_from_db()
    assert settings.values(world.org_a, ("legal.creditor",)) == {"legal.creditor": "individual"}


def test_only_the_owner_changes_it(client, world):
    from gvia.services import settings

    client.force_login(world.collector)
    assert 'data-testid="legal-creditor"' not in client.get(f"/customers/{world.c1.id}/legal/").content.decode()
    r = client.post(f"/customers/{world.c1.id}/legal/creditor/", {"legal_creditor": "company",
                                                                  "legal_represented": "yes"})
    assert r.status_code == 403
    world.org_a.refresh_from_db()
    assert settings.values(world.org_a, ("legal.creditor",)) == {"legal.creditor": "unknown"}
    client.force_login(world.owner)
    assert client.post(f"/customers/{world.s1.id}/legal/creditor/", {"legal_creditor": "company",
                                                                     "legal_represented": "yes"}).status_code == 404
    world.org_b.refresh_from_db()
    assert settings.values(world.org_b, ("legal.creditor",)) == {"legal.creditor": "unknown"}
