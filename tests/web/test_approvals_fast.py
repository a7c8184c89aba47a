"""Approvals a person can do fast (issue 13): groups of the same stage and document, each row with
the customer, the amount and days overdue, where it goes and the document; a group is approved at
once only after one of its previews was opened (checked by the server), the preview is the e-mail
the dispatcher would send, and the counts change in place (htmx)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from gvia.store.models import OutboxMessage

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_rows_say_what_a_person_needs_to_decide(as_owner, engine):
    r = as_owner.get("/approvals/")
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count('data-testid="approval-group"') == 1 and html.count('data-testid="approval-row"') == 2
    page = " ".join(text(html).split())
    assert "Beta Trading Ltd" in page and "134" in page                # C002: 134 days overdue
    assert "ap@beta.example" in page                                  # the e-mail goes to the customer's address
    assert "10 Harbour Rd, Haifa, 3100001" in page                    # the registered letter to its postal address
    assert "ממתינות לאישור: 2" in page and "יש לפתוח קודם תצוגה מקדימה אחת של הקבוצה" in page


def test_a_group_is_approved_at_once_only_after_a_preview(as_owner, engine):
    group = {"stage": engine.letter.stage_key, "document": engine.letter.document}
    r = as_owner.post("/approvals/group/", group, HTTP_HX_REQUEST="true")
    assert "יש לפתוח תצוגה מקדימה אחת של הקבוצה לפני אישור כולה: לא אושר דבר" in text(r.content.decode())
    assert OutboxMessage.objects.filter(status="awaiting_approval").count() == 2
    preview = as_owner.get(f"/approvals/preview/{engine.email.id}/")
    html = preview.content.decode()
    assert preview.status_code == 200 and 'data-testid="email-preview"' in html
    subject = re.search(r'data-testid="email-subject">([^<]*)<', html).group(1)
    assert subject.strip()                                                     # the composed e-mail's subject
    assert "ap@beta.example" in html and ".pdf" in html                        # its recipient and attachment
    r = as_owner.post("/approvals/group/", group, HTTP_HX_REQUEST="true")
    page = " ".join(text(r.content.decode()).split())
    assert "אושרו: 2; עדיין ממתינות: 0" in page and "ממתינות לאישור: 0" in page   # the counts, in place
    assert set(OutboxMessage.objects.filter(customer=engine.world.c2).values_list("status", flat=True)) == {"queued"}


def test_a_collector_cannot_approve_an_owners_group(client, engine):
    client.force_login(engine.world.collector)
    client.get(f"/approvals/preview/{engine.email.id}/")
    r = client.post("/approvals/group/", {"stage": engine.letter.stage_key, "document": engine.letter.document},
                    HTTP_HX_REQUEST="true")
    assert "אושרו: 0; עדיין ממתינות: 2" in " ".join(text(r.content.decode()).split())
    assert OutboxMessage.objects.filter(status="awaiting_approval").count() == 2
    client.force_login(engine.world.viewer)
    assert client.post("/approvals/group/", {"stage": "x", "document": "y"}).status_code == 403


def test_the_worklists_approvals_lead_to_the_groups(as_owner, engine):
    html = as_owner.get("/worklist/").content.decode()
    assert 'data-testid="approvals-in-groups"' in html and 'href="/approvals/"' in html
    assert "אישור בקבוצות (אותו שלב ואותו מסמך)" in html
