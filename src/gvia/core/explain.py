"""Turn a :class:`~gvia.core.escalation.Decision` into a sentence a person reads (he / en).

``explain(decision, snapshot, policy, "en", words)`` gives e.g.::

    Invoice 1043 is 31 days overdue (the oldest of 2 overdue invoices); overdue: 4,500.00 ILS;
    stage 'Phone call' since 2026-11-01; no open promise; next: 'Warning letter' on 2026-12-08.

Every clause comes from a structured :class:`~gvia.core.escalation.Reason`, the case state or
the decision's next step; its words are the catalogs' ``explain.<key>`` (the explain catalog,
every language, plurals by each language's CLDR rules), given by the caller as :class:`Words`
(issue 13: the core holds no sentence). Dates are ISO in English and day/month/year in Hebrew;
amounts carry their ISO currency code.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from .escalation import CustomerSnapshot, Decision, Reason
from .policy import Policy

__all__ = ["explain", "explain_reason", "Words"]


class Words(Protocol):
    """The words of the explanations in one language, from the catalogs (the core reads none):
    ``words(key)`` is the template of ``explain.<key>``, ``words(key, n)`` the plural form for the
    count ``n`` (each language's CLDR rules); a service gives them
    (:mod:`gvia.services.engine.explain_words`)."""

    def __call__(self, key: str, n: int | None = None, /) -> str: ...


#: Reason codes described by the clauses above (the rest are folded into other clauses).
_REASON_CLAUSES = (
    "cycle_started", "cycle_ended", "cycle_ended_today", "disputed_excluded", "covered_by_cheque",
    "late_start", "start_by_age", "unknown_stage", "no_open_promise", "paused", "reply_pause", "request_pending",
    "do_not_chase", "stale_data", "sending_off", "below_minimum", "awaiting_call_outcome",
    "awaiting_warning_sent", "awaiting_delivery_confirmation", "no_delivery_confirmation",
    "no_warning_sent", "stage_held", "last_stage", "fallback_document", "message_rejected",
    "allocation_number_missing",
    "debt_notice_needed", "debt_notice_wait", "debt_notice_window_missed", "debt_notice_not_needed",
)


_MAX_NUMBERS = 6
_PAUSE_KINDS = ("promise", "payment_plan", "manual", "call_back")     # explain.kind_<kind>; else kind_other
_DOCUMENTS = ("warning_letter", "warning_execution_office")         # explain.doc_<document>


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


def explain_reason(reason: Reason, policy: Policy, lang: str, t: Words, numbers: str = "") -> str:
    """One reason as a clause in ``lang``, worded by ``t`` (``numbers``: the invoice numbers it
    concerns)."""
    lang = _lang(lang)
    p: dict[str, Any] = dict(reason.params)
    p.setdefault("numbers", numbers or p.get("invoice", ""))
    if "stage" in p:
        p["stage"] = _stage_name(policy, p["stage"], lang)
    for k in ("until", "replied", "asked", "last_import", "due", "first_seen", "posted", "ask_on", "sent", "last_day"):
        if k in p and p[k] is not None:
            p[k] = _day(p[k], lang)
    code = reason.code
    if code == "fallback_document":
        return _fallback(p, t, lang)
    if code == "paused":
        kind = str(p.get("kind"))
        p["kind"] = t("kind_" + kind) if kind in _PAUSE_KINDS else t("kind_other")
        return (t("paused") if p.get("until") else t("paused_open")).format(**p)
    if code in ("allocation_number_missing", "debt_notice_needed", "debt_notice_wait", "debt_notice_window_missed"):
        p["invoices"] = ", ".join(p.get("invoices") or ())
    if code == "below_minimum":
        p["minimum"] = ", ".join(_amount(v, c) for c, v in p["minimum"].items())
    if code == "oldest_overdue":
        return t("oldest_overdue_of" if p.get("count", 1) > 1 else "oldest_overdue", int(p["days"])).format(**p)
    if code in ("disputed_excluded", "covered_by_cheque"):
        return t(code, int(p.get("count", 0))).format(**p)
    if code == "due_soon":
        return (t("due_today") if p["days"] == 0 else t("due_soon", int(p["days"]))).format(**p)
    return t(code).format(**p)


def _fallback(p: dict[str, Any], t: Words, lang: str) -> str:
    """Which document goes instead of which, and every reason the debt does not fit the route."""
    words = {"amounts": " + ".join(_amount(v, c) for c, v in (p.get("amounts") or {}).items()),
             "cap": _amount(p["cap"], p.get("cap_currency", "ILS")) if p.get("cap") else "",
             "filing_day": _day(p.get("filing_day"), lang)}
    why = "; ".join(t("misfit_" + code).format(**words) for code in p.get("reasons") or [p["why"]])

    def doc(key: str) -> str:
        return t("doc_" + key) if key in _DOCUMENTS else key

    return t("fallback_document").format(document=doc(p["document"]), instead_of=doc(p["instead_of"]), why=why)


def explain(decision: Decision, snapshot: CustomerSnapshot, policy: Policy, lang: str, t: Words) -> str:
    """Where the customer stands, why, and what happens next, in ``lang`` ("he" or "en"), worded
    by ``t``."""
    lang = _lang(lang)
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
        clauses.append(explain_reason(situation[0], policy, lang, t, shown))
        amounts = [_amount(r.params["amount"], r.params["currency"]) for r in reasons if r.code == "amount"]
        if amounts:
            key = "amount" if situation[0].code == "oldest_overdue" else "amount_upcoming"
            clauses.append(t(key).format(amounts=" + ".join(amounts)))
    elif "nothing_overdue" in codes:
        clauses.append(t("nothing_overdue"))

    # Where the case stands.
    state = decision.state
    if decision.kind == "enter_stage":
        clauses.append(t("entered").format(stage=_stage_name(policy, state.stage_key, lang)))
        approval = sum(1 for a in decision.actions if a.needs_approval)
        n = len(decision.actions)
        if n:
            clauses.append(t("planned", n).format(count=n))
        if approval:
            clauses.append(t("needs_approval", approval).format(approval=approval))
    elif state.cycle_open and state.stage_key is not None:
        clauses.append(t("stage").format(stage=_stage_name(policy, state.stage_key, lang),
                                         since=_day(state.stage_entered, lang)))
    elif state.cycle_open:
        clauses.append(t("no_stage").format(cycle=state.cycle))
    elif decision.kind != "end_cycle" and "cycle_ended_today" not in codes:
        clauses.append(t("off_ladder"))

    # Why: events, holds and waits, in the order decide gave them. Conditions without a
    # known end are said once, with the next step ("meanwhile: …"); dated pauses are said here.
    nxt = decision.next_step
    waiting = set(nxt.waiting_for) if nxt is not None else set()
    conditions: list[str] = []
    for r in reasons:
        if r.code not in _REASON_CLAUSES:
            continue
        clause = explain_reason(r, policy, lang, t)
        dated = r.code in ("reply_pause", "request_pending") or (r.code == "paused" and r.params.get("until"))
        if r.code in waiting and not dated:
            conditions.append(clause)
        else:
            clauses.append(clause)

    # What next.
    if nxt is not None:
        stage = _stage_name(policy, nxt.stage_key, lang)
        on = _day(nxt.on, lang)
        if conditions:
            clauses.append(t("next_not_before").format(stage=stage, on=on,
                                                       conditions="; ".join(conditions)))
        else:
            clauses.append(t("next").format(stage=stage, on=on))
    text = "; ".join(c for c in clauses if c)
    return text + "." if text else text
