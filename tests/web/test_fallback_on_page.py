"""The customer page says which letter goes instead of which, and why (issue 12): the same words
as `gvia explain` (services.engine.daily_run.explain_parts), on the lines of the messages waiting.

The engine's world (conftest.make_engine): C002 owes USD 2,000.00 and today reached the warning
stage; the Execution Office notice is for claims in shekels only, so both copies are the general
warning letter, the stage's fallback."""

from __future__ import annotations

import pytest

from gvia.store.models import OutboxMessage

pytestmark = pytest.mark.django_db

SAID_EN = ("the warning letter instead of the warning before the Execution Office: "
           "the debt is not in shekels (2,000.00 USD)")
SAID_HE = "מכתב התראה במקום התראה לפני פתיחת תיק בהוצאה לפועל: החוב אינו בשקלים (2,000.00 USD)"


def test_the_page_says_why_the_general_warning_letter_goes(as_viewer, engine):
    assert {m.document for m in OutboxMessage.objects.filter(customer=engine.world.c2)} == {"warning_letter"}
    case = as_viewer.get(f"/customers/{engine.world.c2.id}/").context["case"]      # the viewer reads English
    lines = [line for line in case.explanation if SAID_EN in line]
    assert len(lines) == 2 and all(line.startswith("Message ") for line in lines)   # registered and e-mail


def test_in_hebrew_too(as_collector, engine):
    case = as_collector.get(f"/customers/{engine.world.c2.id}/").context["case"]   # the collector reads Hebrew
    assert len([line for line in case.explanation if SAID_HE in line]) == 2


def test_a_message_held_for_details_says_what_to_fill_in(as_viewer, engine):
    msg = engine.email
    msg.status = OutboxMessage.Status.HELD
    msg.reasons = [*msg.reasons, ["held_for_details", {"missing": ["customer_address"],
                                                        "release_to": "awaiting_approval"}]]
    msg.save()
    case = as_viewer.get(f"/customers/{engine.world.c2.id}/").context["case"]
    (line,) = [line for line in case.explanation if line.startswith(f"Message {msg.id} ")]
    assert "held back" in line and "details to fill in before it can be approved: customer_address" in line


def test_approving_a_letter_missing_a_detail_says_what_to_fill_in(as_owner, engine):
    org = engine.world.org_a
    org.signatory_name = ""                      # emptied after the run planned the letter
    org.save()
    r = as_owner.post(f"/outbox/{engine.letter.id}/approve/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    html = r.content.decode()
    assert "לא אושר: לא ניתן להפיק את המכתב עד שיושלמו הפרטים: שם החותם (הגדרות ← ארגון)." in html
    engine.letter.refresh_from_db()
    assert engine.letter.status == "awaiting_approval"
