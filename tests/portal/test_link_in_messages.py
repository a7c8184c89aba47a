"""Every message and letter carries the link to the customer's page (issue 16): an e-mail composed
from the outbox holds it (text and HTML), a letter's PDF prints it with its QR code and keeps it
open at least 60 days after the letter's date, a letter printed on demand too; composing the same
message again gives the same link; and the link opens that customer's page."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from gvia.documents.compose import Qr, compose
from gvia.documents.render import qr_svg, typst_doc
from gvia.services import settings
from gvia.services.letters import on_demand
from gvia.services.portal import links
from gvia.services.sending.compose import compose_message
from gvia.store.models import PortalLink
from tests.documents.pdftext import normalise, pdf_text
from tests.letters.conftest import AS_OF, bakery, message

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://127\.0\.0\.1:8000/p/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)/")
NOW = datetime(AS_OF.year, AS_OF.month, AS_OF.day, 10, tzinfo=ZoneInfo("Asia/Jerusalem")).astimezone(timezone.utc)


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    monkeypatch.setattr("gvia.services.clock.now_utc", lambda: NOW)


@pytest.fixture
def shop(ctx, books):
    return bakery(ctx, books)


def test_an_email_carries_its_link_once_and_the_link_opens_that_customers_page(ctx, shop, client):
    msg = message(ctx, shop, "reminder", "email")
    email = compose_message(msg, ctx.org, AS_OF).email
    found = LINK.search(email.text)
    assert found, email.text
    assert f'href="{found.group(0)}"' in email.html
    assert links.resolve(found.group(1), today=AS_OF) == (ctx.org, shop)
    link = PortalLink.objects.get()
    assert (link.issued_by, link.issued_ref) == ("message", str(msg.id))
    assert link.expires_on == AS_OF + timedelta(days=90)
    again = compose_message(msg, ctx.org, AS_OF).email
    assert LINK.search(again.text).group(0) == found.group(0) and PortalLink.objects.count() == 1
    page = client.get(f"/p/{found.group(1)}/")
    assert page.status_code == 200 and "מאפיית השרון" in page.content.decode()


def test_a_letters_pdf_prints_its_link_and_qr_code_open_60_days_after_its_date(ctx, shop):
    settings.set_setting(ctx, "portal_link_days", "30")
    msg = message(ctx, shop, "warning_letter", "registered_letter")
    pdf = compose_message(msg, ctx.org, AS_OF).pdf
    text = normalise(pdf_text(pdf)).replace(" ", "")
    found = LINK.search(text)
    assert found, text
    link = PortalLink.objects.get()
    assert link.issued_by == "letter" and link.expires_on == AS_OF + timedelta(days=60)
    assert links.resolve(found.group(1), today=AS_OF + timedelta(days=60)) == (ctx.org, shop)
    # the e-mail copy of the same stage is another message, with its own link
    copy = message(ctx, shop, "warning_letter", "email", key="copy")
    assert LINK.search(compose_message(copy, ctx.org, AS_OF).email.text).group(0) != found.group(0)


def test_a_letter_on_demand_and_its_qr_code(ctx, shop):
    pdf = on_demand.letter_pdf(ctx, shop.ref, "reminder", AS_OF, "en")
    found = LINK.search(normalise(pdf_text(pdf)).replace(" ", ""))
    assert found
    link = PortalLink.objects.get()
    assert (link.issued_by, link.issued_ref) == ("letter", f"reminder:{AS_OF.isoformat()}")
    assert link.expires_on == AS_OF + timedelta(days=90)          # the 90 days are longer than 60
    on_demand.letter_pdf(ctx, shop.ref, "reminder", AS_OF, "en")  # printed again: the same link
    assert PortalLink.objects.count() == 1
    # the QR code is the link's, drawn after the sentence that gives it (PDF only)
    from gvia.services.letters.content import letter_context

    composed = compose(letter_context(ctx, shop, "reminder", AS_OF, language="en"))
    qr = [b for b in composed.blocks if isinstance(b, Qr)]
    assert [b.url for b in qr] == [found.group(0)]
    doc = typst_doc(composed)
    assert [b["svg"] for b in doc["blocks"] if b["k"] == "qr"] == [qr_svg(found.group(0))]
    assert qr_svg(found.group(0)).startswith("<svg") and "path" in qr_svg(found.group(0))


def test_a_letter_asked_without_a_link_prints_none(ctx, shop):
    from gvia.services.letters.content import letter_context

    composed = compose(letter_context(ctx, shop, "reminder", AS_OF, language="en", portal_url=""))
    assert not [b for b in composed.blocks if isinstance(b, Qr)] and PortalLink.objects.count() == 0
