"""Turn a :class:`~gvia.core.escalation.Decision` into a sentence a person reads (he / en).

``explain(decision, snapshot, policy, "en")`` gives e.g.::

    Invoice 1043 is 31 days overdue (the oldest of 2 overdue invoices); overdue: 4,500.00 ILS;
    stage 'Phone call' since 2026-11-01; no open promise; next: 'Warning letter' on 2026-12-08.

Every clause comes from a structured :class:`~gvia.core.escalation.Reason`, the case state or
the decision's next step; the texts of both languages live side by side in ``TEXTS`` so a
code without a text in either language is caught by the tests. Dates are ISO in English and
day/month/year in Hebrew; amounts carry their ISO currency code.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Mapping

from .escalation import CustomerSnapshot, Decision, Reason
from .policy import Policy

__all__ = ["explain", "explain_reason", "TEXTS"]

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        # situation
        "oldest_overdue": "Invoice {invoice} is {days} days overdue",
        "oldest_overdue_of": "Invoice {invoice} is {days} days overdue (the oldest of {count} overdue "
                             "invoices: {numbers})",
        "one_day_overdue": "Invoice {invoice} is 1 day overdue",
        "due_soon": "Invoice {invoice} is due in {days} days ({due})",
        "due_today": "Invoice {invoice} is due today",
        "amount": "{amounts} overdue",
        "amount_upcoming": "{amounts} due",
        "nothing_overdue": "Nothing is overdue",
        "disputed_excluded": "{count} disputed invoices left out",
        "disputed_excluded_1": "1 disputed invoice left out",
        "covered_by_cheque": "{count} invoices covered by a pending cheque",
        "covered_by_cheque_1": "1 invoice covered by a pending cheque",
        # state
        "stage": "stage '{stage}' since {since}",
        "no_stage": "no stage yet in cycle {cycle}",
        "off_ladder": "not on the ladder",
        # events
        "cycle_started": "cycle {cycle} started today",
        "cycle_ended": "cycle {cycle} ended today",
        "cycle_ended_today": "cycle {cycle} ended today; a new one can start tomorrow",
        "entered": "today: entered stage '{stage}'",
        "planned": "{count} actions planned",
        "planned_1": "1 action planned",
        "needs_approval": "{approval} awaiting approval",
        "stage_held": "stage '{stage}' is due but held back",
        "late_start": "already {days} days overdue when the ladder started: it starts at '{stage}' "
                      "and moves on at least {spacing} days apart",
        "start_by_age": "started at '{stage}', the stage its age ({days} days) calls for",
        "unknown_stage": "the policy no longer has stage '{stage}'",
        "last_stage": "the last stage has been reached",
        "stage_due": "stage '{stage}' was due",
        # holds and waits
        "no_open_promise": "no open promise",
        "awaiting_delivery_confirmation": "waiting for the delivery confirmation of the warning of stage "
                                          "'{stage}' posted on {posted} (the notice period counts from "
                                          "delivery; a person looks on {ask_on} if none is recorded)",
        "no_delivery_confirmation": "no delivery of the warning of stage '{stage}' posted on {posted} is "
                                    "recorded: a person must find out whether it was returned, refused or "
                                    "unclaimed (a refusal counts as delivered: record its day)",
        "paused": "paused ({kind}: {reason}) until {until}",
        "paused_open": "paused ({kind}: {reason}) until lifted",
        "reply_pause": "the customer replied on {replied}: no automatic message until {until}",
        "do_not_chase": "the customer is on 'do not chase'",
        "stale_data": "the ledger was last imported on {last_import}, {business_days} business days "
                      "ago (limit {limit}): nothing is sent until it is updated",
        "sending_off": "sending is switched off for this organization",
        "below_minimum": "the overdue amount is below the minimum for '{stage}' ({minimum})",
        "awaiting_call_outcome": "waiting for the call's outcome ({unanswered} of {attempts} "
                                 "calls unanswered)",
        "awaiting_warning_sent": "waiting for the warning of stage '{stage}' to be posted",
        "no_warning_sent": "'{stage}' needs a warning to have been sent in this cycle",
        "message_rejected": "a message of stage '{stage}' was rejected: a person chooses whether to plan "
                            "it again, skip the stage or pause",
        "allocation_number_missing": "no allocation number on invoice {invoices}: the customer cannot "
                                     "deduct its VAT without an allocation number — they may be waiting "
                                     "for it (get the number, or confirm and go on)",
        # a stage's fallback document
        "fallback_document": "{document} instead of {instead_of}: {why}",
        "misfit_over_fixed_sum_cap": "the debt ({amounts}) is over the Execution Office's fixed-sum "
                                     "cap of {cap} on the earliest filing day ({filing_day})",
        "misfit_not_in_shekels": "the debt is not in shekels ({amounts})",
        "misfit_no_written_basis": "no written contract or undertaking is on file (the customer's "
                                   "claim basis, a signed agreement, or the organization's wording)",
        "misfit_no_rule_on_file": "the fixed-sum cap for the filing day ({filing_day}) is not on file",
        "doc_warning_letter": "the warning letter",
        "doc_warning_execution_office": "the warning before the Execution Office",
        # next step
        "next": "next: '{stage}' on {on}",
        "next_not_before": "next: '{stage}' not before {on}; meanwhile: {conditions}",
        "kind_promise": "promise to pay",
        "kind_payment_plan": "payment plan",
        "kind_manual": "manual pause",
        "kind_call_back": "call back",
        "kind_other": "pause",
    },
    "he": {
        "oldest_overdue": "חשבונית {invoice} באיחור של {days} ימים",
        "oldest_overdue_of": "חשבונית {invoice} באיחור של {days} ימים (הוותיקה מבין {count} חשבוניות "
                             "באיחור: {numbers})",
        "one_day_overdue": "חשבונית {invoice} באיחור של יום אחד",
        "due_soon": "חשבונית {invoice} לתשלום בעוד {days} ימים ({due})",
        "due_today": "חשבונית {invoice} לתשלום היום",
        "amount": "סכום באיחור: {amounts}",
        "amount_upcoming": "סכום לתשלום: {amounts}",
        "nothing_overdue": "אין חוב באיחור",
        "disputed_excluded": "{count} חשבוניות במחלוקת אינן נכללות",
        "disputed_excluded_1": "חשבונית אחת במחלוקת אינה נכללת",
        "covered_by_cheque": "{count} חשבוניות מכוסות בשיק דחוי",
        "covered_by_cheque_1": "חשבונית אחת מכוסה בשיק דחוי",
        "stage": "שלב '{stage}' מאז {since}",
        "no_stage": "טרם נשלחה פנייה במחזור {cycle}",
        "off_ladder": "הלקוח אינו בתהליך גבייה",
        "cycle_started": "מחזור גבייה {cycle} נפתח היום",
        "cycle_ended": "מחזור גבייה {cycle} נסגר היום",
        "cycle_ended_today": "מחזור גבייה {cycle} נסגר היום; מחזור חדש ייפתח לכל המוקדם מחר",
        "entered": "היום: מעבר לשלב '{stage}'",
        "planned": "תוכננו {count} פעולות",
        "planned_1": "תוכננה פעולה אחת",
        "needs_approval": "{approval} ממתינות לאישור",
        "stage_held": "שלב '{stage}' הגיע אך מעוכב",
        "late_start": "הלקוח כבר באיחור של {days} ימים בתחילת התהליך: מתחילים בשלב '{stage}' "
                      "ומתקדמים במרווח של {spacing} ימים לפחות",
        "start_by_age": "התהליך התחיל בשלב '{stage}', לפי גיל החוב ({days} ימים)",
        "unknown_stage": "השלב '{stage}' כבר אינו קיים במדיניות",
        "last_stage": "הגענו לשלב האחרון",
        "stage_due": "הגיע מועד שלב '{stage}'",
        "no_open_promise": "אין הבטחת תשלום פתוחה",
        "awaiting_delivery_confirmation": "ממתינים לאישור המסירה של מכתב ההתראה של שלב '{stage}' שנשלח "
                                          "בדואר ב-{posted} (תקופת ההתראה נמנית מיום המסירה; אם לא "
                                          "יירשם, אדם יבדוק ב-{ask_on})",
        "no_delivery_confirmation": "לא נרשמה מסירת מכתב ההתראה של שלב '{stage}' שנשלח בדואר ב-{posted}: "
                                    "יש לברר אם חזר, סורב או לא נדרש (סירוב לקבלה נחשב מסירה: יש "
                                    "לרשום את יומו)",
        "paused": "מושהה ({kind}: {reason}) עד {until}",
        "paused_open": "מושהה ({kind}: {reason}) עד לביטול ההשהיה",
        "reply_pause": "הלקוח השיב ב-{replied}: אין פניות אוטומטיות עד {until}",
        "do_not_chase": "הלקוח מסומן 'לא לפנות'",
        "stale_data": "הנתונים יובאו לאחרונה ב-{last_import}, לפני {business_days} ימי עסקים "
                      "(המגבלה {limit}): לא יישלח דבר עד לעדכון",
        "sending_off": "השליחה כבויה בארגון",
        "below_minimum": "הסכום באיחור נמוך מהמינימום לשלב '{stage}' ({minimum})",
        "awaiting_call_outcome": "ממתינים לתוצאת השיחה ({unanswered} מתוך {attempts} שיחות ללא מענה)",
        "awaiting_warning_sent": "ממתינים למשלוח מכתב ההתראה של שלב '{stage}'",
        "no_warning_sent": "שלב '{stage}' מחייב מכתב התראה שנשלח במחזור הזה",
        "message_rejected": "הודעה של שלב '{stage}' נדחתה: יש לבחור אם לתכנן אותה מחדש, לדלג על השלב "
                            "או להשהות",
        "allocation_number_missing": "אין מספר הקצאה בחשבונית {invoices}: הלקוח אינו יכול לקזז את "
                                     "המע\"מ בלי מספר הקצאה — ייתכן שהוא ממתין לו (יש להשיג את "
                                     "המספר, או לאשר ולהמשיך)",
        "fallback_document": "{document} במקום {instead_of}: {why}",
        "misfit_over_fixed_sum_cap": "החוב ({amounts}) עולה על תקרת התביעה על סכום קצוב בהוצאה "
                                     "לפועל, {cap}, ביום ההגשה המוקדם ביותר ({filing_day})",
        "misfit_not_in_shekels": "החוב אינו בשקלים ({amounts})",
        "misfit_no_written_basis": "אין חוזה או התחייבות בכתב (בסיס התביעה של הלקוח, הסכם חתום או "
                                   "הנוסח של הארגון)",
        "misfit_no_rule_on_file": "תקרת התביעה ליום ההגשה ({filing_day}) אינה ידועה",
        "doc_warning_letter": "מכתב התראה",
        "doc_warning_execution_office": "התראה לפני פתיחת תיק בהוצאה לפועל",
        "next": "הבא: '{stage}' ב-{on}",
        "next_not_before": "הבא: '{stage}' לא לפני {on}; בינתיים: {conditions}",
        "kind_promise": "הבטחת תשלום",
        "kind_payment_plan": "הסדר תשלומים",
        "kind_manual": "השהיה ידנית",
        "kind_call_back": "לחזור ללקוח",
        "kind_other": "השהיה",
    },
}

#: Reason codes described by the clauses above (the rest are folded into other clauses).
_REASON_CLAUSES = (
    "cycle_started", "cycle_ended", "cycle_ended_today", "disputed_excluded", "covered_by_cheque",
    "late_start", "start_by_age", "unknown_stage", "no_open_promise", "paused", "reply_pause",
    "do_not_chase", "stale_data", "sending_off", "below_minimum", "awaiting_call_outcome",
    "awaiting_warning_sent", "awaiting_delivery_confirmation", "no_delivery_confirmation",
    "no_warning_sent", "stage_held", "last_stage", "fallback_document", "message_rejected",
    "allocation_number_missing",
)


_MAX_NUMBERS = 6


def _lang(lang: str) -> str:
    return "he" if lang.lower().startswith("he") else "en"


def _day(value: date | str | None, lang: str) -> str:
    if value is None:
        return ""
    d = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if lang == "he" else d.isoformat()


def _amount(amount: str | Decimal, currency: str) -> str:
    return f"{Decimal(amount):,} {currency}"


def _stage_name(policy: Policy, key: str | None, lang: str) -> str:
    if key is None:
        return ""
    idx = policy.index_of(key)
    return policy.stages[idx].name(lang) if idx is not None else key


def explain_reason(reason: Reason, policy: Policy, lang: str, numbers: str = "") -> str:
    """One reason as a clause in ``lang`` (``numbers``: the invoice numbers it concerns)."""
    lang = _lang(lang)
    t = TEXTS[lang]
    p: dict[str, Any] = dict(reason.params)
    p.setdefault("numbers", numbers or p.get("invoice", ""))
    if "stage" in p:
        p["stage"] = _stage_name(policy, p["stage"], lang)
    for k in ("until", "replied", "last_import", "due", "first_seen", "posted", "ask_on"):
        if k in p and p[k] is not None:
            p[k] = _day(p[k], lang)
    code = reason.code
    if code == "fallback_document":
        return _fallback(p, t, lang)
    if code == "paused":
        p["kind"] = t.get("kind_" + str(p.get("kind")), t["kind_other"])
        return (t["paused"] if p.get("until") else t["paused_open"]).format(**p)
    if code == "allocation_number_missing":
        p["invoices"] = ", ".join(p.get("invoices") or ())
    if code == "below_minimum":
        p["minimum"] = ", ".join(_amount(v, c) for c, v in p["minimum"].items())
    if code == "oldest_overdue":
        if p["days"] == 1 and p.get("count", 1) == 1:
            return t["one_day_overdue"].format(**p)
        return (t["oldest_overdue_of"] if p.get("count", 1) > 1 else t["oldest_overdue"]).format(**p)
    if code in ("disputed_excluded", "covered_by_cheque") and p.get("count") == 1:
        return t[code + "_1"]
    if code == "due_soon":
        return (t["due_today"] if p["days"] == 0 else t["due_soon"]).format(**p)
    return t[code].format(**p)


def _fallback(p: dict[str, Any], t: Mapping[str, str], lang: str) -> str:
    """Which document goes instead of which, and every reason the debt does not fit the route."""
    words = {"amounts": " + ".join(_amount(v, c) for c, v in (p.get("amounts") or {}).items()),
             "cap": _amount(p["cap"], p.get("cap_currency", "ILS")) if p.get("cap") else "",
             "filing_day": _day(p.get("filing_day"), lang)}
    why = "; ".join(t["misfit_" + code].format(**words) for code in p.get("reasons") or [p["why"]])

    def doc(key: str) -> str:
        return t.get("doc_" + key, key)

    return t["fallback_document"].format(document=doc(p["document"]), instead_of=doc(p["instead_of"]), why=why)


def explain(decision: Decision, snapshot: CustomerSnapshot, policy: Policy, lang: str = "en") -> str:
    """Where the customer stands, why, and what happens next, in ``lang`` ("he" or "en")."""
    lang = _lang(lang)
    t = TEXTS[lang]
    reasons = decision.reasons
    codes = {r.code for r in reasons}
    clauses: list[str] = []

    # What is owed.
    situation = [r for r in reasons if r.code in ("oldest_overdue", "due_soon")]
    if situation:
        listed = set(decision.invoice_ids)
        numbers = [it.number for it in sorted(snapshot.items, key=lambda i: (i.due_date, i.number))
                   if it.invoice_id in listed]
        shown = ", ".join(numbers[:_MAX_NUMBERS]) + (", …" if len(numbers) > _MAX_NUMBERS else "")
        clauses.append(explain_reason(situation[0], policy, lang, shown))
        amounts = [_amount(r.params["amount"], r.params["currency"]) for r in reasons if r.code == "amount"]
        if amounts:
            key = "amount" if situation[0].code == "oldest_overdue" else "amount_upcoming"
            clauses.append(t[key].format(amounts=" + ".join(amounts)))
    elif "nothing_overdue" in codes:
        clauses.append(t["nothing_overdue"])

    # Where the case stands.
    state = decision.state
    if decision.kind == "enter_stage":
        clauses.append(t["entered"].format(stage=_stage_name(policy, state.stage_key, lang)))
        approval = sum(1 for a in decision.actions if a.needs_approval)
        n = len(decision.actions)
        if n:
            clauses.append(t["planned_1"] if n == 1 else t["planned"].format(count=n))
        if approval:
            clauses.append(t["needs_approval"].format(approval=approval))
    elif state.cycle_open and state.stage_key is not None:
        clauses.append(t["stage"].format(stage=_stage_name(policy, state.stage_key, lang),
                                         since=_day(state.stage_entered, lang)))
    elif state.cycle_open:
        clauses.append(t["no_stage"].format(cycle=state.cycle))
    elif decision.kind != "end_cycle" and "cycle_ended_today" not in codes:
        clauses.append(t["off_ladder"])

    # Why: events, holds and waits, in the order decide gave them. Conditions without a
    # known end are said once, with the next step ("meanwhile: …"); dated pauses are said here.
    nxt = decision.next_step
    waiting = set(nxt.waiting_for) if nxt is not None else set()
    conditions: list[str] = []
    for r in reasons:
        if r.code not in _REASON_CLAUSES:
            continue
        clause = explain_reason(r, policy, lang)
        dated = r.code == "reply_pause" or (r.code == "paused" and r.params.get("until"))
        if r.code in waiting and not dated:
            conditions.append(clause)
        else:
            clauses.append(clause)

    # What next.
    if nxt is not None:
        stage = _stage_name(policy, nxt.stage_key, lang)
        on = _day(nxt.on, lang)
        if conditions:
            clauses.append(t["next_not_before"].format(stage=stage, on=on,
                                                       conditions="; ".join(conditions)))
        else:
            clauses.append(t["next"].format(stage=stage, on=on))
    text = "; ".join(c for c in clauses if c)
    return text + "." if text else text


def _check_texts(texts: Mapping[str, Mapping[str, str]] = TEXTS) -> list[str]:
    """Keys present in one language and missing in another (used by the tests)."""
    langs = list(texts)
    missing = []
    for a in langs:
        for b in langs:
            missing += [f"{b}:{k}" for k in texts[a] if k not in texts[b]]
    return sorted(set(missing))
