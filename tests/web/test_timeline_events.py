"""The arrangements' lines on the customer's timeline in the reader's language: the services store
a machine-readable event with its values, the page says it in Hebrew or English (amounts and
dates formatted, each value isolated), what a person typed stays as typed, and an old row without
an event still shows the English text it was written with."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from gvia.services.arrangements import disputes, plans, promises, settlements
from gvia.services.context import Ctx
from gvia.store.models import Activity

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 15, 9, 0, tzinfo=timezone.utc)
ISOLATES = str.maketrans("", "", "\u2068\u2069")


def details(page, kind: str) -> list[str]:
    return [e.detail.translate(ISOLATES) for e in page.context["entries"] if e.kind == f"activity_{kind}"]


def ctx_of(world, user, role):
    return Ctx(world.org_a, user, role)


def test_an_approved_settlement_in_hebrew_and_in_english(client, world):
    collector, owner = ctx_of(world, world.collector, "collector"), ctx_of(world, world.owner, "owner")
    # a settlement settles what is due today (INV-1001's ₪700), not INV-1002 due later (issue 12)
    s = settlements.offer_settlement(collector, "C001", "600", "2026-04-15", reason="לקוח ותיק", now=NOW)
    settlements.approve_settlement(owner, s.id, now=NOW)
    row = Activity.objects.filter(kind="settlement").order_by("-id").first()
    assert row.data["event"] == "settlement.approved"
    assert (row.data["agreed"], row.data["currency"], row.data["deadline"]) == ("600.00", "ILS", "2026-04-15")
    assert row.text.startswith(f"Settlement {s.id} approved by owner@a.test")       # the English record stays

    client.force_login(world.owner)
    he = client.get(f"/customers/{world.c1.id}/")
    assert details(he, "settlement") == [
        f"פשרה {s.id} אושרה על ידי owner@a.test: ₪600.00 לתשלום עד 15/04/2026 — לקוח ותיק",
        f"הצעת פשרה {s.id}: ₪600.00 מתוך ₪700.00, לתשלום עד 15/04/2026; ממתינה לאישור בעלים — לקוח ותיק",
    ]
    html = he.content.decode()
    assert "אושרה על ידי" in html and "approved by" not in html and "awaiting an owner" not in html

    client.force_login(world.viewer)
    en = client.get(f"/customers/{world.c1.id}/")
    assert details(en, "settlement")[0] == (f"Settlement {s.id} approved by owner@a.test: ₪600.00 to be paid by "
                                            "15/04/2026 — לקוח ותיק")
    assert "אושרה על ידי" not in en.content.decode()


def test_a_promise_a_plan_and_a_dispute_in_hebrew_and_in_english(client, world):
    collector = ctx_of(world, world.collector, "collector")
    promises.record_promise(collector, "C001", "500", "2026-03-25", note="בטלפון", now=NOW)
    created = plans.create_plan(collector, "C001", 2, "monthly", "2026-04-01", now=NOW)
    plan_id = Activity.objects.get(kind="plan").data["plan"]
    d = disputes.open_dispute(collector, "C001", ["INV-1002"], "wrong_amount", now=NOW)
    assert created is not None

    client.force_login(world.owner)
    he = client.get(f"/customers/{world.c1.id}/")
    assert details(he, "promise") == ["הבטחה לשלם ₪500.00 עד 25/03/2026; הגבייה מושהית עד 28/03/2026 — בטלפון"]
    assert details(he, "plan") == [f"הסדר תשלומים {plan_id} סוכם: ₪1,200.00 ב-2 תשלומים"]
    assert details(he, "dispute") == [f"נפתחה מחלוקת {d.id} על INV-1002: סכום שגוי"]
    html = he.content.decode()
    for english in ("Promise to pay", "Payment plan", "opened on invoice"):
        assert english not in html

    client.force_login(world.viewer)
    en = client.get(f"/customers/{world.c1.id}/")
    assert details(en, "promise") == ["Promise to pay ₪500.00 by 25/03/2026; collection is paused until 28/03/2026"
                                      " — בטלפון"]
    assert details(en, "plan") == [f"Payment plan {plan_id} agreed: ₪1,200.00 in 2 payments"]
    assert details(en, "dispute") == [f"Dispute {d.id} opened on INV-1002: Wrong amount"]


def test_values_are_isolated_in_the_sentence(client, world):
    promises.record_promise(ctx_of(world, world.collector, "collector"), "C001", "500", "2026-03-25", now=NOW)
    client.force_login(world.owner)
    page = client.get(f"/customers/{world.c1.id}/")
    [entry] = [e for e in page.context["entries"] if e.kind == "activity_promise"]
    assert "\u2068₪500.00\u2069" in entry.detail and "\u206825/03/2026\u2069" in entry.detail


def test_an_old_row_without_an_event_or_with_unknown_words_shows_its_text(client, world):
    for event in (None, "settlement.frobnicated"):
        Activity.objects.create(organization=world.org_a, customer=world.c1, kind="settlement", date=NOW.date(), at=NOW,
                                text=f"Settlement 7 approved by someone ({event})", actor="owner@a.test",
                                data={"settlement": 7, **({"event": event} if event else {})})
    # an event whose values do not fit its words (a row written before a value was stored)
    Activity.objects.create(organization=world.org_a, customer=world.c1, kind="settlement", date=NOW.date(), at=NOW,
                            text="Settlement 8 approved long ago", actor="owner@a.test",
                            data={"settlement": 8, "event": "settlement.approved"})
    client.force_login(world.owner)
    page = client.get(f"/customers/{world.c1.id}/")
    assert sorted(details(page, "settlement")) == ["Settlement 7 approved by someone (None)",
                                                   "Settlement 7 approved by someone (settlement.frobnicated)",
                                                   "Settlement 8 approved long ago"]


def test_engine_lines_a_broken_promise_and_a_rejected_dispute(client, world):
    from datetime import date

    collector, owner = ctx_of(world, world.collector, "collector"), ctx_of(world, world.owner, "owner")
    p = promises.record_promise(collector, "C001", "500", "2026-03-25", now=NOW)
    later = datetime(2026, 3, 30, 9, 0, tzinfo=timezone.utc)
    assert promises.follow_promise(world.org_a, p, [], date(2026, 3, 30), later) == "broken"
    d = disputes.open_dispute(collector, "C001", ["INV-1002"], "wrong_amount", now=NOW)
    disputes.resolve_dispute(owner, d.id, "rejected", note="הסכום נכון", now=later)

    client.force_login(world.owner)
    he = client.get(f"/customers/{world.c1.id}/")
    assert details(he, "promise")[0] == f"ההבטחה {p.id} לא קוימה: לא שולם דבר מתוך ₪500.00 עד 28/03/2026; הגבייה ממשיכה"
    assert details(he, "dispute")[0] == f"המחלוקת {d.id} נדחתה: INV-1002 חוזרות לגבייה — הסכום נכון"
    client.force_login(world.viewer)
    en = client.get(f"/customers/{world.c1.id}/")
    assert details(en, "promise")[0] == (f"Promise {p.id} broken: nothing of ₪500.00 paid by 28/03/2026; "
                                         "collection resumes")


def test_a_write_off_requested_and_approved(client, world):
    from gvia.services.arrangements import writeoffs

    collector, owner = ctx_of(world, world.collector, "collector"), ctx_of(world, world.owner, "owner")
    w = writeoffs.request_writeoff(collector, "C001", "INV-1001", "עסק שנסגר", amount="200", now=NOW)
    writeoffs.approve_writeoff(owner, w.id, now=NOW)
    client.force_login(world.owner)
    he = client.get(f"/customers/{world.c1.id}/")
    assert sorted(details(he, "writeoff")) == sorted([
        "בקשה למחוק ₪200.00 מחשבונית INV-1001; ממתינה לאישור בעלים — עסק שנסגר",
        "מחיקה של ₪200.00 מחשבונית INV-1001 אושרה על ידי owner@a.test — עסק שנסגר",
    ])
    client.force_login(world.viewer)
    en = client.get(f"/customers/{world.c1.id}/")
    assert "Write-off of ₪200.00 on invoice INV-1001 approved by owner@a.test — עסק שנסגר" in details(en, "writeoff")


def test_pauses_approvals_and_registered_letters_in_hebrew_and_in_english(client, world):
    from datetime import date

    from gvia.services.engine import approvals, pauses
    from gvia.services.sending import outbox
    from gvia.store.models import OutboxMessage

    collector, owner = ctx_of(world, world.collector, "collector"), ctx_of(world, world.owner, "owner")
    p = pauses.pause(collector, "C001", date(2026, 4, 1), "מחכים לאישור תקציב", now=NOW)
    pauses.lift(owner, p.id, now=NOW)
    waiting = OutboxMessage.objects.create(organization=world.org_a, customer=world.c1, idempotency_key="w1",
                                           channel="email", document="second_reminder", status="awaiting_approval",
                                           planned_for=NOW.date())
    approvals.reject(owner, waiting.id, reason="דיברנו איתו", now=NOW)
    letter = OutboxMessage.objects.create(organization=world.org_a, customer=world.c1, idempotency_key="l1",
                                          channel="registered_letter", document="warning_letter", status="sent",
                                          planned_for=NOW.date())
    outbox.record_registered(owner, letter.id, "RR123456789IL", posted=date(2026, 3, 13), now=NOW)

    client.force_login(world.owner)
    he = client.get(f"/customers/{world.c1.id}/")
    assert details(he, "pause") == ["ההשהיה הוסרה — מחכים לאישור תקציב",
                                     "הגבייה הושהתה עד 01/04/2026 — מחכים לאישור תקציב"]
    assert details(he, "system") == ["תזכורת שנייה (דוא\"ל) נדחה על ידי owner@a.test ולא יישלח — דיברנו איתו"]
    registered = [e.detail.translate(ISOLATES) for e in he.context["entries"] if "RR123456789IL" in (e.detail or "")]
    assert registered == ["מכתב התראה: דואר רשום מס' RR123456789IL; נשלח בדואר ב-13/03/2026"]
    html = he.content.decode()
    for english in ("Paused until", "Pause lifted", "rejected by", "registered mail no."):
        assert english not in html

    client.force_login(world.viewer)
    en = client.get(f"/customers/{world.c1.id}/")
    assert details(en, "pause") == ["Pause lifted — מחכים לאישור תקציב",
                                     "Collection paused until 01/04/2026 — מחכים לאישור תקציב"]
    assert details(en, "system") == ["Second reminder (E-mail) rejected by owner@a.test; it will not be sent"
                                      " — דיברנו איתו"]
    registered = [e.detail.translate(ISOLATES) for e in en.context["entries"] if "RR123456789IL" in (e.detail or "")]
    assert registered == ["Warning letter: registered mail no. RR123456789IL; posted 13/03/2026"]


@pytest.mark.parametrize("data", [
    {"event": "message.approved", "document": "warning_letter", "channel": "email", "by": "o@a.test"},
    {"event": "message.marked_sent", "document": "reminder", "sent": True},
    {"event": "message.marked_not_sent", "document": "reminder", "sent": False},
    {"event": "message.queued_by_hand", "document": "reminder", "by": "c@a.test"},
    {"event": "letter.printed", "document": "warning_letter", "channel": "letter", "batch": "2026-03-15",
     "path": "x.pdf"},
    {"event": "letter.registered", "document": "warning_letter", "registered_number": "RR1", "posted": None,
     "delivered": "2026-03-18"},
    {"event": "warning.sent", "stage": "warning", "cycle": 1, "warning_sent": "2026-03-15"},
])
def test_every_outbox_event_has_words_in_both_languages(data):
    from gvia.web.case_timeline import event_detail

    for lang in ("he", "en"):
        sentence = event_detail(data, lang)
        assert sentence and "{" not in sentence and "None" not in sentence, (lang, sentence)
    assert "15/03/2026" in event_detail(data, "he") or not {"batch", "warning_sent"} & set(data)
    assert ("18/03/2026" in event_detail(data, "en")) == ("delivered" in data)
