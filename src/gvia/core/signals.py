"""Early-warning signals: what in a customer's history says they are about to stop paying, each
with the facts behind it, and a score from 0 to 100 (issue 17).

Pure: the caller passes one customer's :class:`History` (plain dataclasses read by
:mod:`gvia.services.engine.signals`), the day (``today``) and the :class:`Weights` (the data of
``gvia/policies/risk.toml``, checked by :func:`load_weights`). :func:`signals` returns the
signals found, each a :class:`Signal` with its ``code``, its ``evidence`` (:class:`Fact`: a day,
a fact code and its values — never words; the cli and web catalogs word them as
``signal.<code>`` and ``fact.<code>``), its ``weight`` and the ``points`` it adds; :func:`score`
adds the points up to 100 at most.

The signals (their codes, in :data:`CODES`):

* ``silence`` — messages sent without an answer: at least ``min_unanswered`` since their last
  reply, the first of them ``min_days`` ago or more *and* more than ``times_usual`` times the
  customer's own usual time to answer (the median of their past reply times), so a customer who
  always answers slowly is not an alarm;
* ``slower_replies`` — their last ``recent`` reply times average ``times_usual`` times their
  earlier median or more, and ``min_more_days`` days more at least;
* ``passed_around`` — new contact persons (added after the first ones) and replies from
  different people in the last ``window_days``: ``min_events`` of them or more;
* ``partial_payments``, ``broken_promises``, ``missed_instalments``, ``bounced_cheques``,
  ``disputes`` — at least ``min_count`` of each in the last ``window_days``;
* ``later_payments`` — the days late of invoices due in the last ``window_days`` (an invoice
  still open counts as late up to today) average ``min_more_days`` more than those due before;
* ``growing_balance`` — the overdue amount (in the currency with most overdue today) grew at each
  of the last ``periods`` steps of ``period_days`` days.
"""

from __future__ import annotations

import statistics
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .errors import FieldProblem, ValidationFailed

__all__ = ["CODES", "Reply", "Payment", "Promise", "Invoice", "History", "Fact", "Signal", "Weights",
           "load_weights", "signals", "score", "overdue_today", "usual_reply_days"]

CODES = ("silence", "slower_replies", "passed_around", "partial_payments", "broken_promises",
         "missed_instalments", "bounced_cheques", "later_payments", "growing_balance", "disputes")

#: Each signal's settings besides ``weight`` and their defaults (what a risk TOML may set).
PARAMS: dict[str, dict[str, int | float]] = {
    "silence": {"min_unanswered": 2, "min_days": 10, "times_usual": 2.0},
    "slower_replies": {"recent": 3, "min_earlier": 3, "times_usual": 2.0, "min_more_days": 3},
    "passed_around": {"window_days": 180, "min_events": 2},
    "partial_payments": {"window_days": 365, "min_count": 2},
    "broken_promises": {"window_days": 365, "min_count": 1},
    "missed_instalments": {"window_days": 365, "min_count": 1},
    "bounced_cheques": {"window_days": 365, "min_count": 1},
    "later_payments": {"window_days": 365, "min_recent": 2, "min_earlier": 3, "min_more_days": 10},
    "growing_balance": {"periods": 3, "period_days": 30},
    "disputes": {"window_days": 365, "min_count": 1},
}
TOP_KEYS = ("name", "at_risk_from", "top_reasons", "signal")


@dataclass(frozen=True)
class Reply:
    """An answer from the customer: its day and who answered (empty when not recorded)."""

    day: date
    by: str = ""


@dataclass(frozen=True)
class Payment:
    day: date
    partial: bool = False       # paid part of what it was for
    bounced: bool = False       # a cheque that bounced


@dataclass(frozen=True)
class Promise:
    closed: date
    kept: bool


@dataclass(frozen=True)
class Invoice:
    due: date
    amount_minor: int
    currency: str
    paid: date | None = None    # the day it was paid in full; None while open


@dataclass(frozen=True)
class History:
    """One customer's history, as plain facts (any order)."""

    sent: tuple[date, ...] = ()                 # messages sent to them
    replies: tuple[Reply, ...] = ()
    contacts_added: tuple[date, ...] = ()
    payments: tuple[Payment, ...] = ()
    promises: tuple[Promise, ...] = ()          # closed ones
    missed_instalments: tuple[date, ...] = ()
    disputes: tuple[date, ...] = ()             # the days they were opened
    invoices: tuple[Invoice, ...] = ()


@dataclass(frozen=True)
class Fact:
    """One fact behind a signal: its day (None for a fact about a span), its code and values
    (ints, dates, strings; the edges word them as ``fact.<code>``)."""

    day: date | None
    code: str
    values: Mapping[str, object] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Signal:
    code: str
    evidence: tuple[Fact, ...]
    weight: int
    points: int


@dataclass(frozen=True)
class Weights:
    """The data of a risk TOML: each signal's weight and settings, from which score a customer
    with something overdue is listed at risk, and how many reasons a list shows."""

    weights: Mapping[str, int]
    params: Mapping[str, Mapping[str, int | float]]
    at_risk_from: int = 20
    top_reasons: int = 3
    name: str = ""

    def p(self, code: str, key: str) -> Any:
        return self.params.get(code, {}).get(key, PARAMS[code][key])


# ---------------------------------------------------------------------------------------------
# The weights as data


def _problem(source: str, path: str, value: object, message: str, code: str, **params: object) -> FieldProblem:
    return FieldProblem(None, path, "" if value is None else str(value), message, source, place="key",
                        code=code, params={"key": path, **params})


def load_weights(text: str, source: str = "<risk>") -> Weights:
    """Parse and check a risk TOML; raise ValidationFailed with one FieldProblem per mistake."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationFailed([_problem(source, "", None, f"not valid TOML: {exc}", code="risk_not_toml",
                                         detail=str(exc))]) from None
    problems: list[FieldProblem] = []
    for key in data:
        if key not in TOP_KEYS:
            problems.append(_problem(source, key, None, "unknown key", code="risk_unknown_key"))

    def whole(value: object, path: str, low: int, high: int | None) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
            problems.append(_problem(source, path, value, "must be a whole number in range", code="risk_whole_number",
                                     low=low, high=high if high is not None else ""))
            return None
        return value

    at_risk_from = whole(data.get("at_risk_from", 20), "at_risk_from", 1, 100)
    top = whole(data.get("top_reasons", 3), "top_reasons", 1, len(CODES))
    name = data.get("name", "")
    if not isinstance(name, str):
        problems.append(_problem(source, "name", name, "must be text", code="risk_text"))
        name = ""
    raw = data.get("signal", {})
    if not isinstance(raw, dict):
        problems.append(_problem(source, "signal", None, "must be a table of signals", code="risk_table"))
        raw = {}
    weights: dict[str, int] = {}
    params: dict[str, dict[str, int | float]] = {}
    for code in CODES:
        if code not in raw:
            problems.append(_problem(source, f"signal.{code}", None, "missing signal", code="risk_missing"))
    for code, table in raw.items():
        path = f"signal.{code}"
        if code not in CODES:
            problems.append(_problem(source, path, None, "unknown key", code="risk_unknown_key"))
            continue
        if not isinstance(table, dict):
            problems.append(_problem(source, path, None, "must be a table", code="risk_table"))
            continue
        if "weight" not in table:
            problems.append(_problem(source, f"{path}.weight", None, "missing weight", code="risk_missing"))
        else:
            w = whole(table["weight"], f"{path}.weight", 0, 100)
            if w is not None:
                weights[code] = w
        own: dict[str, int | float] = {}
        for key, value in table.items():
            if key == "weight":
                continue
            if key not in PARAMS[code]:
                problems.append(_problem(source, f"{path}.{key}", None, "unknown key", code="risk_unknown_key"))
            elif isinstance(PARAMS[code][key], float):
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not 1 <= value <= 100:
                    problems.append(_problem(source, f"{path}.{key}", value, "must be a number in range",
                                             code="risk_number", low=1, high=100))
                else:
                    own[key] = float(value)
            else:
                n = whole(value, f"{path}.{key}", 1, 3650)
                if n is not None:
                    own[key] = n
        params[code] = own
    if problems:
        raise ValidationFailed(problems)
    assert at_risk_from is not None and top is not None          # no problems: both read
    return Weights(weights, params, at_risk_from, top, name)


# ---------------------------------------------------------------------------------------------
# The signals


def _latencies(h: History) -> list[tuple[date, int]]:
    """(reply day, days since the earliest message it answers) of each reply that followed a
    message, in order: the time the customer took to answer."""
    sent = sorted(h.sent)
    out: list[tuple[date, int]] = []
    last_reply: date | None = None
    for r in sorted(h.replies, key=lambda r: r.day):
        waiting = [s for s in sent if s <= r.day and (last_reply is None or s > last_reply)]
        if waiting:
            out.append((r.day, (r.day - waiting[0]).days))
        last_reply = r.day
    return out


def usual_reply_days(h: History) -> int | None:
    """The customer's own usual time to answer: the median of their reply times (None without one)."""
    lat = [d for _, d in _latencies(h)]
    return round(statistics.median(lat)) if lat else None


def _silence(h: History, today: date, w: Weights) -> list[Fact]:
    last_reply = max((r.day for r in h.replies), default=None)
    waiting = sorted(s for s in h.sent if s <= today and (last_reply is None or s > last_reply))
    if len(waiting) < w.p("silence", "min_unanswered"):
        return []
    days = (today - waiting[0]).days
    usual = usual_reply_days(h)
    if days < w.p("silence", "min_days") or (usual is not None and days <= usual * w.p("silence", "times_usual")):
        return []
    facts = [Fact(waiting[0], "unanswered", {"count": len(waiting), "since": waiting[0], "days": days})]
    if usual is not None:
        facts.append(Fact(last_reply, "usually_answer_within", {"days": usual}))
    elif last_reply is not None:
        facts.append(Fact(last_reply, "last_reply", {"day": last_reply}))
    else:
        facts.append(Fact(None, "never_replied", {}))
    return facts


def _slower(h: History, today: date, w: Weights) -> list[Fact]:
    lat = _latencies(h)
    n = w.p("slower_replies", "recent")
    if len(lat) < n + w.p("slower_replies", "min_earlier"):
        return []
    earlier = statistics.median(d for _, d in lat[:-n])
    recent = lat[-n:]
    mean = sum(d for _, d in recent) / n
    if mean < max(earlier, 1) * w.p("slower_replies", "times_usual") or mean - earlier < w.p("slower_replies",
                                                                                               "min_more_days"):
        return []
    return [Fact(recent[0][0], "recent_replies_took", {"count": n, "days": round(mean), "since": recent[0][0]}),
            Fact(None, "used_to_reply_within", {"days": round(earlier)})]


def _passed_around(h: History, today: date, w: Weights) -> list[Fact]:
    start = today - timedelta(days=w.p("passed_around", "window_days"))
    added = sorted(h.contacts_added)
    facts = [Fact(d, "contact_added", {"day": d}) for d in added if added and d > added[0] and start <= d <= today]
    people = sorted({r.by for r in h.replies if r.by and start <= r.day <= today})
    if len(people) >= 2:
        first = min(r.day for r in h.replies if r.by and start <= r.day <= today)
        facts.append(Fact(first, "replies_from_people", {"count": len(people), "since": first}))
    events = len([f for f in facts if f.code == "contact_added"]) + max(len(people) - 1, 0)
    return facts if events >= w.p("passed_around", "min_events") else []


def _counted(code: str, fact: str, days: Iterable[date], today: date, w: Weights) -> list[Fact]:
    start = today - timedelta(days=w.p(code, "window_days"))
    found = sorted(d for d in days if start <= d <= today)
    if len(found) < w.p(code, "min_count"):
        return []
    return [Fact(d, fact, {"day": d}) for d in found]


def _days_late(inv: Invoice, today: date) -> int:
    return max(((inv.paid or today) - inv.due).days, 0)


def _later(h: History, today: date, w: Weights) -> list[Fact]:
    start = today - timedelta(days=w.p("later_payments", "window_days"))
    due = [i for i in h.invoices if i.due < today and (i.paid is None or i.paid <= today)]
    recent = [_days_late(i, today) for i in due if i.due >= start]
    before = [_days_late(i, today) for i in due if i.due < start and i.paid is not None]
    if len(recent) < w.p("later_payments", "min_recent") or len(before) < w.p("later_payments", "min_earlier"):
        return []
    now, then = sum(recent) / len(recent), sum(before) / len(before)
    if now - then < w.p("later_payments", "min_more_days"):
        return []
    return [Fact(start, "days_late_recent", {"days": round(now), "count": len(recent), "since": start}),
            Fact(None, "days_late_before", {"days": round(then), "count": len(before)})]


def _overdue_on(h: History, day: date, currency: str) -> int:
    return sum(i.amount_minor for i in h.invoices
               if i.currency == currency and i.due < day and (i.paid is None or i.paid >= day))


def overdue_today(h: History, today: date) -> bool:
    return any(i.due < today and (i.paid is None or i.paid > today) for i in h.invoices)


def _growing(h: History, today: date, w: Weights) -> list[Fact]:
    currencies = {i.currency for i in h.invoices}
    if not currencies:
        return []
    currency = max(sorted(currencies), key=lambda c: _overdue_on(h, today, c))
    step = w.p("growing_balance", "period_days")
    days = [today - timedelta(days=step * k) for k in range(w.p("growing_balance", "periods"), -1, -1)]
    amounts = [_overdue_on(h, d, currency) for d in days]
    if not all(a < b for a, b in zip(amounts, amounts[1:])):
        return []
    return [Fact(d, "overdue_on", {"day": d, "amount_minor": a, "currency": currency}) for d, a in zip(days, amounts)]


def signals(h: History, today: date, w: Weights) -> list[Signal]:
    """The signals in ``h`` on ``today``, the most points first (then in the order of :data:`CODES`)."""
    found = {
        "silence": _silence(h, today, w),
        "slower_replies": _slower(h, today, w),
        "passed_around": _passed_around(h, today, w),
        "partial_payments": _counted("partial_payments", "partial_payment", (p.day for p in h.payments if p.partial),
                                     today, w),
        "broken_promises": _counted("broken_promises", "promise_broken", (p.closed for p in h.promises if not p.kept),
                                    today, w),
        "missed_instalments": _counted("missed_instalments", "instalment_missed", h.missed_instalments, today, w),
        "bounced_cheques": _counted("bounced_cheques", "cheque_bounced", (p.day for p in h.payments if p.bounced),
                                    today, w),
        "later_payments": _later(h, today, w),
        "growing_balance": _growing(h, today, w),
        "disputes": _counted("disputes", "dispute_opened", h.disputes, today, w),
    }
    out = [Signal(code, tuple(found[code]), w.weights.get(code, 0), w.weights.get(code, 0))
           for code in CODES if found[code]]
    return sorted(out, key=lambda s: (-s.points, CODES.index(s.code)))


def score(found: Iterable[Signal]) -> int:
    """The score from 0 to 100: the points of the signals found, 100 at most."""
    return min(100, sum(s.points for s in found))
