"""What the arrangements' services say reaches the page in the reader's language (issue 13): each
refusal or reason is a code and its values (:class:`gvia.core.errors.RefusedFor`,
:class:`~gvia.core.errors.Worded`, a :class:`~gvia.core.errors.ValidationFailed` with a code),
worded from the web catalog — never the service's English."""

from __future__ import annotations

import re

HEBREW = re.compile(r"[\u0590-\u05ff]")


def _page(r) -> str:
    return r.content.decode()


def test_a_plan_beyond_a_collectors_limits_lists_each_reason_in_hebrew(as_collector, world):
    plan = {"installments": "24", "frequency": "monthly", "first": "2026-04-01"}
    r = as_collector.post(f"/customers/{world.c1.id}/plan/", plan, HTTP_HX_REQUEST="true")
    page = _page(r)
    assert "התוכנית נמשכת עד" in page and "יותר מ־6 חודשים" in page, page[:3000]
    assert "a collector may agree" not in page and "the plan runs to" not in page


def test_the_same_reason_in_english_for_an_english_reader(client, world):
    from gvia.store.models import Membership

    Membership.objects.filter(user=world.collector).update(language="en")
    client.force_login(world.collector)
    plan = {"installments": "24", "frequency": "monthly", "first": "2026-04-01"}
    page = _page(client.post(f"/customers/{world.c1.id}/plan/", plan, HTTP_HX_REQUEST="true"))
    assert "the plan runs to" in page and "more than 6 months from" in page
    assert not HEBREW.search(re.sub(r"<[^>]+>", "", page).split("the plan runs to")[1][:60])


def test_a_promise_with_too_many_decimals_names_the_currency_in_hebrew(as_collector, world):
    r = as_collector.post(f"/customers/{world.c1.id}/promise/", {"amount": "10.005", "due": "2026-04-01"})
    page = _page(r)
    assert r.status_code == 400
    assert "יותר ספרות אחרי הנקודה משמאפשר שקל חדש" in page, page[:3000]
    assert "more decimals" not in page and "ILS allows" not in page


def test_a_calls_outcome_without_a_note_is_worded_in_hebrew_on_the_timeline(as_owner, engine):
    from datetime import date

    from gvia.services.context import Ctx
    from gvia.services.engine import calls
    from gvia.web import display

    collector = Ctx(engine.world.org_a, engine.world.collector, "collector")
    calls.log_call(collector, "C001", "promised", promise_date=date(2026, 3, 25), amount="400")
    r = as_owner.get(f"/customers/{engine.world.c1.id}/")
    call = next(e for e in r.context["entries"] if e.kind == "call")
    assert call.detail.startswith("הבטיח לשלם ") and display.date_text(date(2026, 3, 25), "he_IL") in call.detail
    assert "400" in call.detail and "promised to pay" not in r.content.decode() and "2026-03-25" not in call.detail
