"""The outbox's message page shows what the customer will receive (issue 13): the e-mail as the
dispatcher composes it — its recipient, subject, text and attachments, the attachment opening the
PDF — from the same place as the approvals' preview (:mod:`gvia.web.received`), not only the PDF.

An e-mail or a text still to leave is composed by the panel the page loads (``/outbox/<id>/received/``,
htmx); without JavaScript that address is the whole page with the panel in it."""

from __future__ import annotations

import re
from html import unescape

import pytest

from gvia.core.errors import FieldProblem, ValidationFailed
from gvia.services.clock import org_today
from gvia.services.sending.compose import compose_message
from gvia.store.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _shown(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', html, re.S)
    assert found, testid
    return unescape(found.group(1))


def test_the_message_page_loads_the_email_as_the_dispatcher_composes_it(as_owner, engine):
    msg = engine.email
    page = as_owner.get(f"/outbox/{msg.id}/").content.decode()
    # the page's facts and buttons at once; the composed e-mail in the panel it loads
    assert 'data-testid="email-preview"' not in page
    assert f'hx-get="/outbox/{msg.id}/received/"' in page and 'hx-trigger="load"' in page
    assert f'href="/outbox/{msg.id}/received/"' in page                       # without JavaScript
    r = as_owner.get(f"/outbox/{msg.id}/received/", HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert "<html" not in html and 'id="received-panel"' in html               # the panel alone
    assert r.status_code == 200 and 'data-testid="email-preview"' in html
    email = compose_message(msg, msg.organization, org_today(msg.organization)).email
    assert _shown(html, "email-subject") == email.subject
    assert _shown(html, "email-text") == email.text
    for a in email.attachments:                                  # each attachment, opening the PDF
        assert a.filename in unescape(html)
    assert f'href="/outbox/{msg.id}/pdf/"' in html
    # without JavaScript: the whole page, with the same panel in it
    whole = as_owner.get(f"/outbox/{msg.id}/received/").content.decode()
    assert "<html" in whole and _shown(whole, "email-subject") == email.subject
    # the approvals' preview shows the same e-mail (one home)
    preview = as_owner.get(f"/approvals/preview/{msg.id}/").content.decode()
    assert _shown(preview, "email-subject") == email.subject and _shown(preview, "email-text") == email.text


def test_a_sent_message_shows_its_pdf(as_owner, engine):
    msg = engine.email
    OutboxMessage.objects.filter(id=msg.id).update(status="sent")
    html = as_owner.get(f"/outbox/{msg.id}/").content.decode()
    assert 'data-testid="email-preview"' not in html and f'src="/outbox/{msg.id}/pdf/"' in html
    assert "received-later" not in html              # nothing to compose: the PDF is in the page itself


def test_a_message_that_cannot_be_composed_says_why_on_its_page(as_owner, engine, monkeypatch):
    def refuse(msg, org, today, files=True):   # the letter it attaches lacks the organization's address
        raise ValidationFailed([FieldProblem(None, "letterhead.address_lines", "", "missing", code="setting_empty")])

    monkeypatch.setattr("gvia.web.received.compose_message", refuse)
    html = as_owner.get(f"/outbox/{engine.email.id}/received/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="not-composed"' in html and "לא ניתן להרכיב את ההודעה" in html
    assert 'data-testid="email-preview"' not in html and f'src="/outbox/{engine.email.id}/pdf/"' in html


def test_the_preview_names_each_file_without_laying_it_out(engine):
    """The pages show a file's name and open its PDF apart: the preview composes and checks every
    document but lays none out (a letter's PDF is most of an e-mail's composing)."""
    msg, org = engine.email, engine.email.organization
    today = org_today(org)
    sent = compose_message(msg, org, today).email
    shown = compose_message(msg, org, today, files=False).email
    assert sent.attachments and all(a.content.startswith(b"%PDF") for a in sent.attachments)
    assert [a.filename for a in shown.attachments] == [a.filename for a in sent.attachments]
    assert {a.content for a in shown.attachments} == {b""}
    assert (shown.subject, shown.text, shown.to) == (sent.subject, sent.text, sent.to)


def test_what_stops_the_sending_stops_the_preview(as_owner, engine):
    msg, org = engine.email, engine.email.organization
    org.address = org.address_en = ""    # the letter it attaches needs the organization's address
    org.save()
    with pytest.raises(ValidationFailed) as sending:
        compose_message(msg, org, org_today(org))
    with pytest.raises(ValidationFailed) as preview:
        compose_message(msg, org, org_today(org), files=False)
    assert {p.field for p in preview.value.problems} == {p.field for p in sending.value.problems}
    html = as_owner.get(f"/outbox/{msg.id}/received/").content.decode()
    assert 'data-testid="not-composed"' in html and 'data-testid="email-preview"' not in html
