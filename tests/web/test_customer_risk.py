"""The customer page shows the early-warning score and its top reasons with their facts, in the
reader's language (issue 17)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest

from gvia.store.models import OutboxMessage, Promise

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.fixture
def c1_at_risk(world):
    t1 = datetime(2026, 2, 20, 8, tzinfo=timezone.utc)
    for key, at in (("a", t1), ("b", t1 + timedelta(days=14))):
        OutboxMessage.objects.create(organization=world.org_a, customer=world.c1, idempotency_key=key, channel="email",
                                     document="reminder", status="sent", planned_for=at.date(), sent_at=at)
    Promise.objects.create(organization=world.org_a, customer=world.c1, amount_minor=10000, currency="ILS",
                           due=date(2026, 3, 1), made_on=date(2026, 2, 25), pause_until=date(2026, 3, 4),
                           status="broken", closed_on=date(2026, 3, 8))
    return world


def test_the_score_and_its_reasons_in_hebrew(as_owner, c1_at_risk):
    r = as_owner.get(f"/customers/{c1_at_risk.c1.id}/")
    assert r.context["risk"].score == 45
    assert [x.code for x in r.context["risk"].reasons] == ["silence", "broken_promises"]
    page = _text(r.content.decode())
    assert "סימני אזהרה" in page and "ציון 45 מתוך 100" in page
    assert "שתיקה: 2 הודעות מאז 20/02/2026 (23 ימים) ללא מענה; הם מעולם לא ענו" in page
    assert "הבטחות שהופרו: הבטחת תשלום הופרה ב-08/03/2026" in page


def test_the_score_and_its_reasons_in_english(as_viewer, c1_at_risk):
    page = _text(as_viewer.get(f"/customers/{c1_at_risk.c1.id}/").content.decode())
    assert "Early warning" in page and "Score 45 of 100" in page
    assert re.search(r"Silence: 2 messages since \S+ \(23 days\) without an answer; they have never replied", page)
    assert re.search(r"Broken promises: a promise to pay broken on \S+", page)
    assert "שתיקה" not in page


def test_a_customer_without_signals_says_so(as_owner, world):
    page = _text(as_owner.get(f"/customers/{world.c3.id}/").content.decode())
    assert "אין סימני אזהרה." in page and "ציון" not in page.split("סימני אזהרה", 1)[1][:40]


def test_the_worklist_lists_the_customers_at_risk(as_owner, c1_at_risk):
    from gvia.services.context import Ctx
    from gvia.services.engine import worklist

    from .conftest import TODAY

    ctx = Ctx(c1_at_risk.org_a, c1_at_risk.owner, "owner")
    section = worklist.section(ctx, "at_risk", TODAY)
    assert [(row.customer_ref, row.score, row.signals) for row in section.rows] == \
        [("C001", 45, ["silence", "broken_promises"])]
    assert worklist.row_json(section.rows[0])["customer"] == "C001"
    page = _text(as_owner.get("/worklist/?show=at_risk").content.decode())
    assert "לקוחות בסיכון" in page and "ציון 45 מתוך 100" in page and "שתיקה" in page
