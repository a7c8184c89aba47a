"""The Israeli consumer debt notice (הודעת חוב): the one home of its rule.

Israel, Consumer Protection Law 5741-1981, section 13ב2 "משלוח הודעת חוב לצרכן", added by
amendment 46 (5776-2016). The text, as quoted whole by a law firm's page
(https://danielklein.co.il/חובת-עוסק-לשלוח-לצרכן-הודעת-חוב-בטרם-נק/; docs/legal-sources.md
section 5)::

    13ב2. (א) עוסק הטוען כי צרכן לא שילם חיוב במועד שנקבע לכך, ישלח אליו הודעת חוב כאמור
    בסעיף קטן (ד) בתוך ארבעה חודשים מהמועד האמור (בסעיף זה – הודעת חוב). (ב) עוסק לא ינקוט
    פעולה שמטרתה גביית חוב מהצרכן, לרבות שליחת התראה לפני נקיטת הליכים משפטיים ולמעט שליחת
    הודעה ובה פירוט חיובים שנתי כאמור בסעיף 13ב(ב1), בטרם חלפו 14 ימים מיום שליחת הודעת חוב.
    (ג) עוסק לא יחייב צרכן בהוצאות גבייה, אלא אם כן שלח לו הודעת חוב וטרם חלפו 14 הימים
    האמורים בסעיף קטן (ב); ...

What gvia makes of it, charge by charge (an unpaid invoice is a charge, "חיוב"):

* **Who**: a customer of kind ``consumer`` (:mod:`gvia.core.customer_kinds`) of a business in
  Israel (:func:`applies`). A sole trader buys in business and is not a consumer.
* **The window** (a): each unpaid charge needs a notice sent within four months of its own due
  date. A notice counts for a charge only when it lists it and was sent after its due date
  (before that, nothing was unpaid). :func:`last_day_to_send`: four Gregorian calendar months
  from the due date, the due date counted as the first day — the last day is the day before
  the corresponding date four months later (due 15 October → last day 14 February; where the
  later month has no such day, its last day: due 30 October → 28 or 29 February). The
  Interpretation Law's counting rules were not found in a stored copy (searches in
  docs/legal-sources.md section 5); this is the earlier of the two possible readings, so that
  a notice gvia calls in time is in time on either.
* **The wait** (b): no action aimed at collecting the debt — a reminder, a call, a warning
  letter, a legal stage: any step of a ladder — before 14 days have passed from the day the
  notice was sent. :func:`first_collection_day`: the 14 days are whole days after the day of
  sending, and a step may come on the day after the 14th (sent 20 January → first step
  4 February). Again the later of the two readings of "בטרם חלפו 14 ימים מיום שליחת", as the
  Execution Office's filing clock does (:mod:`gvia.core.legal_rules`).
* **A missed window**: a charge with no notice sent by its last day (or only one sent after
  it) is not chased: it goes to a person (:data:`WINDOW_MISSED`). gvia does not decide what
  the law makes of a late notice.
* **One notice, several charges**: a notice lists every charge it covers; each charge's wait
  runs from the first notice that lists it within its window.

Collection costs (c) are not computed here: gvia adds no collection fee to a consumer's debt
(the fixed sums it knows are the UK's). What (d) requires the notice to hold was not found in
a stored copy: the document :mod:`gvia.documents` builds (``debt_notice``) holds what the
sources name — a separate written notice, the charges with their amounts and due dates, the
14 days — and says that it is the notice of section 13ב2.

Nothing here reads a clock: "today" is always a parameter.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterable

__all__ = ["DebtNoticeRule", "RULE", "DOCUMENT", "COUNTRY", "STATES", "NEEDS_NOTICE", "WAITING", "CLEAR",
           "WINDOW_MISSED", "Charge", "SentNotice", "ChargeStatus", "Assessment",
           "applies", "last_day_to_send", "first_collection_day", "assess", "collection_allowed",
           "ALLOWED_CODES"]


@dataclass(frozen=True)
class DebtNoticeRule:
    """Section 13ב2's figures, with the page that quotes them."""

    window_months: int       # (a): the notice within this many months of the due date
    wait_days: int           # (b): no collection step before this many days from its sending
    source_url: str
    quote_window: str
    quote_wait: str
    source_he: str
    source_en: str


RULE = DebtNoticeRule(
    window_months=4,
    wait_days=14,
    source_url="https://danielklein.co.il/חובת-עוסק-לשלוח-לצרכן-הודעת-חוב-בטרם-נק/",
    quote_window="עוסק הטוען כי צרכן לא שילם חיוב במועד שנקבע לכך, ישלח אליו הודעת חוב כאמור בסעיף קטן (ד) "
                 "בתוך ארבעה חודשים מהמועד האמור",
    quote_wait="עוסק לא ינקוט פעולה שמטרתה גביית חוב מהצרכן, לרבות שליחת התראה לפני נקיטת הליכים משפטיים "
               "... בטרם חלפו 14 ימים מיום שליחת הודעת חוב",
    source_he="חוק הגנת הצרכן, התשמ״א-1981, סעיף 13ב2 (תיקון מס׳ 46, התשע״ו-2016)",
    source_en="Consumer Protection Law 5741-1981 (Israel), section 13B2 (amendment 46, 2016)",
)

#: the document that is the notice (a stage whose every action sends it is the notice stage)
DOCUMENT = "debt_notice"
#: the country whose law this is
COUNTRY = "IL"
_CONSUMER = "consumer"   # gvia.core.customer_kinds.CONSUMER

NEEDS_NOTICE, WAITING, CLEAR, WINDOW_MISSED = "debt_notice_needed", "debt_notice_wait", "debt_notice_clear", \
    "debt_notice_window_missed"
#: a charge's state, and the reason codes of :func:`collection_allowed`
STATES = (NEEDS_NOTICE, WAITING, CLEAR, WINDOW_MISSED)
ALLOWED_CODES = STATES


def applies(country: str, customer_kind: str) -> bool:
    """Whether section 13ב2 governs this customer's debts: a consumer of an Israeli business."""
    return (country or "").strip().upper() == COUNTRY and customer_kind == _CONSUMER


def _add_months(d: date, months: int) -> date:
    """The corresponding day ``months`` later; the month's last day where it has no such day."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def last_day_to_send(due: date, rule: DebtNoticeRule = RULE) -> date:
    """The last day a notice for a charge due on ``due`` is in time (see the module's text)."""
    return _add_months(due, rule.window_months) - timedelta(days=1)


def first_collection_day(sent_on: date, rule: DebtNoticeRule = RULE) -> date:
    """The first day a collection step may come after a notice sent on ``sent_on``: the day
    after the 14 whole days that follow the day of sending."""
    return sent_on + timedelta(days=rule.wait_days + 1)


@dataclass(frozen=True, slots=True)
class Charge:
    """One unpaid charge of the consumer: an overdue invoice."""

    invoice_id: Any
    number: str
    due_date: date


@dataclass(frozen=True, slots=True)
class SentNotice:
    """A debt notice that went out on ``sent_on``, listing the charges ``invoice_ids``."""

    sent_on: date
    invoice_ids: frozenset[Any]


@dataclass(frozen=True, slots=True)
class ChargeStatus:
    """Where one charge stands: ``state`` one of :data:`STATES`; ``day`` the last day to send
    its notice (needed, missed) or the first day a step may come (waiting, clear); ``sent_on``
    the day of the notice that counts for it."""

    charge: Charge
    state: str
    day: date
    sent_on: date | None = None


@dataclass(frozen=True, slots=True)
class Assessment:
    """Every charge's status on one day."""

    statuses: tuple[ChargeStatus, ...]

    def of(self, state: str) -> tuple[ChargeStatus, ...]:
        return tuple(s for s in self.statuses if s.state == state)

    @property
    def allowed(self) -> bool:
        """Whether a collection step may come today for every charge."""
        return all(s.state == CLEAR for s in self.statuses)

    @property
    def wait_until(self) -> date | None:
        """The first day every waiting charge's 14 days are over (None: none waits)."""
        days = [s.day for s in self.statuses if s.state == WAITING]
        return max(days) if days else None

    @property
    def code(self) -> str:
        """The one reason for :func:`collection_allowed`: a missed window first (a person must
        look), then a notice still to send, then the wait, else clear."""
        for state in (WINDOW_MISSED, NEEDS_NOTICE, WAITING):
            if any(s.state == state for s in self.statuses):
                return state
        return CLEAR


def _status(charge: Charge, notices: Iterable[SentNotice], today: date, rule: DebtNoticeRule) -> ChargeStatus:
    last = last_day_to_send(charge.due_date, rule)
    sent = [n.sent_on for n in notices if charge.invoice_id in n.invoice_ids and n.sent_on > charge.due_date]
    in_time = [d for d in sent if d <= last]
    if in_time:
        first = min(in_time)
        start = first_collection_day(first, rule)
        return ChargeStatus(charge, CLEAR if today >= start else WAITING, start, first)
    if sent or today > last:
        return ChargeStatus(charge, WINDOW_MISSED, last, min(sent) if sent else None)
    return ChargeStatus(charge, NEEDS_NOTICE, last)


def assess(charges: Iterable[Charge], notices: Iterable[SentNotice], today: date,
           rule: DebtNoticeRule = RULE) -> Assessment:
    """Each charge's status on ``today``, given the notices sent (oldest charge first)."""
    sent = tuple(n for n in notices if n.sent_on <= today)
    ordered = sorted(charges, key=lambda c: (c.due_date, c.number))
    return Assessment(tuple(_status(c, sent, today, rule) for c in ordered))


def collection_allowed(charges: Iterable[Charge], notices: Iterable[SentNotice], today: date,
                       rule: DebtNoticeRule = RULE) -> tuple[bool, str]:
    """Whether a collection step (a letter, a call, a legal route) may be taken against a
    consumer on ``today`` for these charges, and the reason code (one of :data:`ALLOWED_CODES`).
    The legal route and the ladder ask this; it does not say whether the law applies
    (:func:`applies`)."""
    a = assess(charges, notices, today, rule)
    return a.allowed, a.code
