"""Linkage differences and interest as the Adjudication of Interest and Linkage Law computes them.

חוק פסיקת ריבית והצמדה, התשכ"א-1961 (the Law), in the text in force until Amendment 9 took
effect, for the days up to and including :data:`LAW_METHOD_LAST_DAY` (31 December 2024). Every
step below is a sentence of the Law; the quotes are the Law's words, from the stored copies named
in ``docs/legal-sources.md`` section 6.

What the Law says, and what gvia does with it
=============================================

**Linkage differences** (s.1, "הפרשי הצמדה"): "תוספת לסכום שנפסק או שנקבע, לפי שיעור העליה של
המדד מן המדד שפורסם סמוך לפני תחילת התקופה האמורה בסעיף 5(א) עד המדד שפורסם סמוך לפני תשלום
הסכום, ואם שולם הסכום בשיעורים - לפני תשלום כל שיעור ושיעור" (stored copies:
https://www.hilan.co.il/מרכז-ידע/חקיקה/חוקים-שונים/חוק-פסיקת-ריבית-והצמדה/חוק-פסיקת-ריבית-והצמדה-התשכא-1961/
and https://www.dok.co.il/חוקי-מדינת-ישראל/18844-חוק-פסיקת-ריבית-והצמדה). gvia: the amount rises
by the rise of the CPI from the index *published just before* the start to the one *published
just before* the day it is paid; each part paid closes on its own day (:class:`Part`). "Published
just before" a day: an index published on the day itself counts from the next day (the Central
Bureau of Statistics' calculator does so: "חישוב הצמדה, המתייחס לתאריכים שבין ה-16 ביולי וה-15
באוגוסט, נעשה על פי מדד חודש יוני, שפורסם ב-15 ביולי", https://old.cbs.gov.il/reader/?MIval=
%2Fprices_db%2FMachshevon_4_H.html). The Law speaks of the *rise* of the index: a fall gives no
negative linkage.

**Linked interest** (s.1, "ריבית צמודה"): "ריבית על הסכום שמדובר בו לאחר שנוספו עליו הפרשי
הצמדה" — interest on the amount after the linkage differences were added. gvia: the interest of a
year is computed on that year's linked amount.

**A changed rate** (s.4(ב), as quoted in issue 15: a changed rate applies from the day of the
change to the sum not yet paid). gvia: the rate of each day is the rate in force that day
(quarterly rates set under regulation 6 of the 2003 Regulations: the rate tables); a day in a
period whose rate is not on file raises :class:`~gvia.core.rates.MissingRate`, never zero.

**Once a year** (s.7, "ריבית דריבית"): "ריבית וכן הפרשי הצמדה וריבית שנפסקו לפי חוק זה, יצורפו
לקרן אחת לשנה" (quoted in issue 15; the section's title "ריבית דריבית" is in the Law's table of
contents, https://www.nevo.co.il/law/75001). gvia: on each anniversary of the first day of the
period, the linkage differences and the interest of the year just ended are added to the
principal; the next year links that new principal from the index published just before the
anniversary, and its interest runs on it. Between anniversaries interest is simple (nothing is
added before the year ends). Linkage differences alone (no interest: ``rates`` None) are not
"interest" nor "הפרשי הצמדה וריבית": they run from the start to the payment in one step. The
years are counted from the first day of the period (the Law
says "once a year", not "each calendar year"); 29 February starts its years on 28 February.

Conventions that are gvia's, not the Law's text: the day count (``day_count``, 365 unless set:
interest of a piece = linked amount × rate × days / (100 × day_count)); amounts are kept exact
and rounded once, by the caller, at the end.

After 31 December 2024
======================

Amendment 9 of the Law (חוק פסיקת ריבית והצמדה (תיקון מס' 9), התשפ"ד-2023) splits arrears interest
into interest and arrears fees (דמי פיגורים) charged per quarter without compounding. Its
commencement: the original day, 1 October 2024 (https://www.eshoshan.co.il/post/חוק-פסיקת-ריבית-והצמדה:
"החל מתאריך 01 לאוקטובר 2024 יכנסו לתוקף שינויים מהותיים בעקבות תיקון מספר 9 לחוק"), was put off
by an order the Knesset's Constitution Committee discussed on 23 September 2024 ("הצעת צו פסיקת
ריבית והצמדה (דחיית יום התחילה של חוק פסיקת ריבית והצמדה (תיקון מס' 9) התשפ"ד-2023), התשפ"ד-2024",
https://oknesset.org/meetings/2/2/2222238.html); the Ministry of Justice's announcement, as quoted
in a stored third-party verification log, says "החל מתאריך 01/01/2025, נכנס לתוקפו תיקון מס' 9"
(https://www.gov.il/he/pages/news-2024-12-31-interest-law). So the Law's former method runs to
:data:`LAW_METHOD_LAST_DAY` and the amended one from :data:`AMENDMENT_9_IN_FORCE`. The amended
text, its regulations and its rates were not found in stored copies: for any day from 1 January
2025 gvia computes no figure; :func:`compute` reports that period as :class:`Unsourced` (reason
code ``il_interest_amendment_9_unsourced``), and letters then say that linkage differences and
interest are added as the law provides, without a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Sequence

from .rates import IndexRow, IndexTable, RateTable, add_months

__all__ = [
    "LAW_METHOD_LAST_DAY", "AMENDMENT_9_IN_FORCE", "UNSOURCED_AFTER_AMENDMENT_9",
    "Part", "Piece", "YearLine", "Unsourced", "LawResult", "compute", "index_before", "anniversaries",
]

#: The last day the Law's former method (ss.1, 4(ב), 7) is computed for.
LAW_METHOD_LAST_DAY = date(2024, 12, 31)
#: Amendment 9 in force (see the module docstring for the sources of this day).
AMENDMENT_9_IN_FORCE = date(2025, 1, 1)
#: The reason code of a period after Amendment 9 took effect (worded at the edges).
UNSOURCED_AFTER_AMENDMENT_9 = "il_interest_amendment_9_unsourced"

_ONE_DAY = timedelta(days=1)
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Part:
    """A part of the principal, ``amount``, that is paid (or computed to) on ``until``: interest
    runs on it up to and including ``until``, and it is linked to the index published just
    before ``until`` (s.1: "לפני תשלום כל שיעור ושיעור")."""

    amount: Decimal
    until: date


@dataclass(frozen=True)
class YearLine:
    """One year (s.7) of one part: ``principal`` at the year's start, linked from ``base`` (the
    index published just before ``start``) to ``final`` (published just before ``end`` + 1 day
    for a year that ends on an anniversary, just before the payment for the last one);
    ``linkage`` (exact, never negative) and the year's ``interest`` on the linked amount; both
    are added to the principal on the anniversary when the part runs on."""

    part: int
    start: date
    end: date
    principal: Decimal
    base: IndexRow
    final: IndexRow
    linkage: Decimal
    interest: Decimal

    @property
    def linked(self) -> Decimal:
        return self.principal + self.linkage


@dataclass(frozen=True)
class Piece:
    """Days ``start``..``end`` at one ``rate``: ``balance`` is the sum of the linked amounts of
    the parts still running, ``interest`` = balance × rate × days / (100 × day_count), exact.
    ``source``: the rate's source (the rate table's row)."""

    start: date
    end: date
    days: int
    balance: Decimal
    rate: Decimal
    source: str
    interest: Decimal


@dataclass(frozen=True)
class Unsourced:
    """Days ``start``..``end`` for which no figure is computed, and why (``code``)."""

    start: date
    end: date
    code: str


@dataclass(frozen=True)
class LawResult:
    years: tuple[YearLine, ...]
    pieces: tuple[Piece, ...]
    unsourced: tuple[Unsourced, ...]

    @property
    def linkage(self) -> Decimal:
        return sum((y.linkage for y in self.years), Decimal(0))

    @property
    def interest(self) -> Decimal:
        return sum((y.interest for y in self.years), Decimal(0))


def index_before(cpi: IndexTable, day: date) -> IndexRow:
    """The index "published just before" ``day`` (s.1): one published on ``day`` counts from
    the next day. Raises MissingRate when it is not on file."""
    return cpi.known_on(day - _ONE_DAY)


def anniversaries(start: date, last: date) -> list[date]:
    """The days in ``(start, last]`` on which s.7 adds a year's linkage and interest to the
    principal: ``start`` + 1 year, + 2 years… (29 February: 28 February)."""
    out: list[date] = []
    k = 1
    while (d := add_months(start, 12 * k, start.day)) <= last:
        out.append(d)
        k += 1
    return out


def compute(parts: Sequence[Part], start: date, linkage_from: date, cpi: IndexTable,
            rates: RateTable | None, day_count: int = 365) -> LawResult:
    """Linkage and linked interest (``rates`` None: linkage only) on ``parts`` from ``start``
    (the first day of interest) as the Law computes them (module docstring). The first year is
    linked from the index published just before ``linkage_from``. Days after
    :data:`LAW_METHOD_LAST_DAY` are not computed: a part running beyond it is computed to that
    day and the rest is reported in ``unsourced``. Raises MissingRate for a missing index or
    rate, naming the table and the day."""
    last = max((p.until for p in parts), default=start - _ONE_DAY)
    unsourced: tuple[Unsourced, ...] = ()
    if last > LAW_METHOD_LAST_DAY and last >= start:
        unsourced = (Unsourced(max(start, AMENDMENT_9_IN_FORCE), last, UNSOURCED_AFTER_AMENDMENT_9),)
    runs = [Part(p.amount, min(p.until, LAW_METHOD_LAST_DAY)) for p in parts
            if p.amount > 0 and min(p.until, LAW_METHOD_LAST_DAY) >= start]
    if not runs:
        return LawResult((), (), unsourced)
    end = max(p.until for p in runs)
    # the first day of each year (s.7: interest, and linkage differences *with interest*, are added
    # once a year; linkage differences alone are not interest: from the start to the payment)
    bounds = [start, *anniversaries(start, end)] if rates is not None else [start]
    # a piece of interest starts on a year's first day, on a rate change (s.4(ב)), or the day
    # after a part was paid
    cuts = set(bounds) | {p.until + _ONE_DAY for p in runs if p.until < end}
    if rates is not None:
        cuts |= set(rates.changes_between(start, end))
    days = sorted(d for d in cuts if start <= d <= end)

    years: list[YearLine] = []
    pieces: list[Piece] = []
    principal = [p.amount for p in runs]
    for k, first in enumerate(bounds):
        nxt = bounds[k + 1] if k + 1 < len(bounds) else None
        lines: dict[int, YearLine] = {}
        for i, part in enumerate(runs):
            if part.until < first:
                continue
            runs_on = nxt is not None and nxt <= part.until
            last_day = nxt - _ONE_DAY if runs_on and nxt is not None else part.until
            base = index_before(cpi, linkage_from if k == 0 else first)
            final = index_before(cpi, nxt if runs_on and nxt is not None else part.until)
            rise = max(final.value - base.value, Decimal(0))
            lines[i] = YearLine(i, first, last_day, principal[i], base, final, principal[i] * rise / base.value,
                                Decimal(0))
        interest = {i: Decimal(0) for i in lines}
        year_end = (nxt - _ONE_DAY) if nxt is not None else end
        if rates is not None:
            in_year = [d for d in days if first <= d <= year_end]
            for j, day in enumerate(in_year):
                last_day = in_year[j + 1] - _ONE_DAY if j + 1 < len(in_year) else year_end
                row = rates.row_on(day)
                span = (last_day - day).days + 1
                running = [i for i in lines if runs[i].until >= day]
                balance = sum((lines[i].linked for i in running), Decimal(0))
                if balance <= 0:
                    continue
                for i in running:
                    interest[i] += lines[i].linked * row.percent * span / (_HUNDRED * day_count)
                pieces.append(Piece(day, last_day, span, balance, row.percent, row.source or rates.source,
                                    balance * row.percent * span / (_HUNDRED * day_count)))
        for i, line in lines.items():
            done = YearLine(i, line.start, line.end, line.principal, line.base, line.final, line.linkage,
                            interest[i])
            years.append(done)
            principal[i] = done.linked + done.interest      # s.7: added to the principal once a year
    return LawResult(tuple(years), tuple(_merged(pieces)), unsourced)


def _merged(pieces: list[Piece]) -> list[Piece]:
    """Adjacent pieces on the same terms as one line."""
    out: list[Piece] = []
    for p in pieces:
        if out and out[-1].rate == p.rate and out[-1].balance == p.balance and out[-1].source == p.source \
                and out[-1].end + _ONE_DAY == p.start:
            prev = out.pop()
            p = Piece(prev.start, p.end, prev.days + p.days, p.balance, p.rate, p.source, prev.interest + p.interest)
        out.append(p)
    return out
