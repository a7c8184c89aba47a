"""What became of a message, in the reader's language: the message page's log and the worklist's
row word each entry from the catalogs (gvia.core.message_log), Hebrew for a Hebrew reader and
English for an English one; what a server or a person wrote (a mail server's reply, a reason) is
kept as written, isolated in its own direction."""

from __future__ import annotations

import html
import re

import pytest

from gvia.core.errors import Worded
from gvia.core.message_log import added
from gvia.services.context import Ctx
from gvia.services.sending import dispatch, outbox
from gvia.store.models import Membership, OutboxMessage

from .conftest import NOW, TODAY

pytestmark = pytest.mark.django_db
FSI, PDI = "\u2068", "\u2069"


def failed_message(world) -> OutboxMessage:
    """A reminder the mail server refused, queued again by a person, then failed for want of an address."""
    msg = OutboxMessage.objects.create(
        organization=world.org_a, customer=world.c1, idempotency_key="test:log", cycle=1, stage_key="reminder",
        channel="email", document="reminder", status="failed", planned_for=TODAY, attempts=1,
        log=added([], NOW, Worded("attempt 1: 550 5.1.1 no such user", "outbox_attempt_failed", attempt=1,
                                  reply="550 5.1.1 no such user")))
    outbox.resolve(Ctx(world.org_a, world.owner, "owner"), msg.id, sent=False, now=NOW)
    msg.refresh_from_db()
    no_address = Worded("the customer has no e-mail address", "outbox_no_email")
    msg.log = added(msg.log, NOW, Worded(f"attempt 1: {no_address}", "outbox_attempt_failed", attempt=1,
                                         reply=no_address))
    msg.status = "failed"
    msg.save()
    return msg


def log_of(page: str) -> list[str]:
    found = re.search(r'<ol class="log" data-testid="message-log">(.*?)</ol>', page, re.S)
    assert found, "the message page shows no log"
    items = re.findall(r"<li>(.*?)</li>", found.group(1), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", li)).strip() for li in items]


def test_the_log_speaks_hebrew_to_a_hebrew_reader(as_owner, world):
    msg = failed_message(world)
    entries = log_of(as_owner.get(f"/outbox/{msg.id}/").content.decode())
    assert len(entries) == 3
    assert entries[0].endswith(f"ניסיון 1 נכשל: {FSI}550 5.1.1 no such user{PDI}")
    assert entries[1].endswith(f"סומנה כלא נשלחה על ידי {FSI}{world.owner.email}{PDI}; חזרה לתור")
    assert entries[2].endswith("ניסיון 1 נכשל: ללקוח אין כתובת דוא״ל")
    for entry in entries:        # outside what the server and the person wrote, no English
        assert not re.search(r"[A-Za-z]{2,}", re.sub(f"{FSI}.*?{PDI}", "", entry)), entry
    # the worklist's row says the latest, in Hebrew too
    assert "ניסיון 1 נכשל: ללקוח אין כתובת דוא״ל" in as_owner.get("/worklist/?show=failed").content.decode()


def test_the_log_speaks_english_to_an_english_reader(as_owner, world):
    Membership.objects.filter(user=world.owner, organization=world.org_a).update(language="en")
    msg = failed_message(world)
    entries = log_of(as_owner.get(f"/outbox/{msg.id}/").content.decode())
    assert entries[0].endswith(f"attempt 1 failed: {FSI}550 5.1.1 no such user{PDI}")
    assert entries[1].endswith(f"marked not sent by {FSI}{world.owner.email}{PDI}; queued again")
    assert entries[2].endswith("attempt 1 failed: the customer has no e-mail address")
    assert not any(re.search(r"[\u05d0-\u05ea]{2,}", e) for e in entries)


def test_why_a_message_was_cancelled_is_worded_with_the_reason_typed(as_owner, world):
    world.c1.do_not_chase, world.c1.do_not_chase_reason = True, "ביקש לדבר רק עם רואה החשבון"
    world.c1.save()
    msg = OutboxMessage.objects.create(
        organization=world.org_a, customer=world.c1, idempotency_key="test:dnc", cycle=1, stage_key="reminder",
        channel="email", document="reminder", status="queued", planned_for=TODAY)
    verdict = dispatch.still_wanted(msg, world.org_a, TODAY)
    OutboxMessage.objects.filter(id=msg.id).update(status="cancelled",
                                                   log=added(msg.log, NOW, dispatch.cancelled(verdict.cancel)))
    [entry] = log_of(as_owner.get(f"/outbox/{msg.id}/").content.decode())
    assert entry.endswith(f'בוטלה לפני שיצאה: הלקוח מסומן "לא לגבות" ({FSI}ביקש לדבר רק עם רואה החשבון{PDI})')
