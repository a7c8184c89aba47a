"""The reports page (issue 17): one of the collection reports (:mod:`gvia.services.ledger.reports`)
for a period of months, as a table worded in the reader's language with its main figure drawn as
an SVG chart on the server (:mod:`gvia.web.report_charts`), and the same report as CSV or XLSX
(:mod:`gvia.services.ledger.report_files`: every cell through the safe-cell rule).

``/reports/?report=NAME&from=YYYY-MM&to=YYYY-MM`` (viewer and up): the period defaults to the last
twelve months, ending today; the last month ends today while it runs. ``/reports/export/`` with the
same query and ``format=csv|xlsx`` downloads it. A bad month, a period that starts after it ends or
no such report: the page again with the problem worded, and status 400. Only the organization's
own figures: every report reads through the request's :class:`~gvia.services.context.Ctx`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Callable

from babel.dates import format_date
from babel.numbers import format_decimal
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from gvia.core import reports as calc
from gvia.core.errors import FieldProblem, ValidationFailed
from gvia.core.money import Money
from gvia.services.ledger import report_files, reports

from .. import cached, display, i18n, navigation, words
from ..access import member_required
from ..charts import figure_bars
from ..report_charts import share_bars
from ..request import GviaRequest
from .common import today

REPORT_TTL = 3600      # seconds a report is kept while nothing changes

navigation.add(navigation.NavItem("reports", "nav.reports", "reports"), before="import_start")

#: each report's main figure: the column its chart draws
MAIN = {"dso": "dso_days", "cei": "cei", "aging_trend": "overdue", "collected_vs_overdue": "collected",
        "promise_kept_rate": "rate", "plan_success_rate": "rate", "reasons": "share"}
PERCENT = frozenset({"cei", "rate", "share"})
MOST_MONTHS = 120
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_BIDI_MARKS = str.maketrans("", "", "\u200e\u200f\u061c\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class Cell:
    text: str
    ltr: bool = False       # a number, an amount, an address: shown in an LTR isolate
    figure: bool = False    # a number or an amount: aligned as the tables align them


def _lang(request: GviaRequest) -> str:
    return i18n.normalize(getattr(request, "LANGUAGE_CODE", "he"))


def _month(text: str | None, field: str, default: date, problems: list[FieldProblem]) -> date:
    if not text:
        return default
    m = _MONTH.match(text.strip())
    if m and 1 <= int(m.group(2)) <= 12 and int(m.group(1)) >= 1900:
        return date(int(m.group(1)), int(m.group(2)), 1)
    problems.append(FieldProblem(None, field, text[:20], "not a month", code="report_month"))
    return default


@dataclass(frozen=True)
class Choice:
    name: str
    start: date             # the first month
    last: date              # the last month
    end: date               # the last day


def _choice(request: GviaRequest) -> tuple[Choice, list[FieldProblem]]:
    day = today(request)
    problems: list[FieldProblem] = []
    name = request.GET.get("report") or reports.NAMES[0]
    last = _month(request.GET.get("to"), "to", date(day.year, day.month, 1), problems)
    start = _month(request.GET.get("from"), "from", calc.months_back(last, 12)[0], problems)
    end = day if last == date(day.year, day.month, 1) else calc.month_end(last)
    if len(calc.months_between(start, last)) > MOST_MONTHS:     # a page's work stays bounded
        problems.append(FieldProblem(None, "from", start.strftime("%Y-%m"), "too long a period",
                                     code="report_period_long", params={"most": MOST_MONTHS}))
    return Choice(name, start, last, end), problems


def _decimal(value: Decimal | int) -> str:
    return format_decimal(value, locale=display.current_locale()).translate(_BIDI_MARKS)


def _percent(value: Decimal | int) -> str:
    return f"{format_decimal(value, locale=display.current_locale())}%".translate(_BIDI_MARKS)


def _cell(column: str, value: Any, lang: str) -> Cell:
    if value is None:
        return Cell("—")
    if column == "reason":
        return Cell(i18n.text("report.reason_unknown" if value == "unknown" else f"nonpayment.{value}", lang))
    if column == "collector":
        return Cell(value, ltr=True) if value else Cell(i18n.text("report.unassigned", lang))
    if column == "currency":
        return Cell(display.currency_text(value))
    if isinstance(value, Money):
        return Cell(display.money_text(value), ltr=True, figure=True)
    if isinstance(value, date):
        return Cell(format_date(value, "LLLL y", locale=display.current_locale()))
    if isinstance(value, (int, Decimal)):
        return Cell(_decimal(value), ltr=True, figure=True)
    return Cell(str(value))


def _figure_text(column: str, currency: str) -> Callable[[Decimal], str]:
    """How a chart writes the figure of ``column``: percent, days, or a short amount."""
    if column in PERCENT:
        return _percent
    if column == "dso_days":
        return _decimal
    return lambda v: display.compact_money_text(Money.of(v, currency))


def _short_month(m: date) -> str:
    return format_date(m, "MMM yy", locale=display.current_locale())


def _charts(found: reports.Report, lang: str) -> list[str]:
    """The report's main figure: one chart per currency when it has money or currencies."""
    column = MAIN[found.name]
    at = found.columns.index(column)
    rtl = i18n.direction(lang) == "rtl"
    name = i18n.text(f"report.name.{found.name}", lang)
    empty = i18n.text("reports.no_figure", lang)
    if found.name == "reasons":
        points = [(_cell("reason", row[0], lang).text, None if row[at] is None else Decimal(row[at]))
                  for row in found.rows]
        return [share_bars(points, rtl=rtl, value_text=_percent, title=name)] if points else []
    months = calc.months_between(found.start, found.end)
    if "currency" not in found.columns:
        by_month = {row[0]: row[at] for row in found.rows}
        points = [(_short_month(m), None if by_month.get(m) is None else Decimal(by_month[m])) for m in months]
        return [figure_bars(points, rtl=rtl, value_text=_percent, title=name, empty_text=empty)]
    cur_at = found.columns.index("currency")
    charts = []
    for cur in sorted({row[cur_at] for row in found.rows}):
        figures: dict[date, Decimal | None] = {}
        for row in found.rows:
            if row[cur_at] != cur:
                continue
            v = row[at]
            amount = v.amount if isinstance(v, Money) else v
            if amount is not None:
                figures[row[0]] = (figures.get(row[0]) or Decimal(0)) + amount   # collectors summed
            else:
                figures.setdefault(row[0], None)
        points = [(_short_month(m), figures.get(m)) for m in months]
        title = i18n.text("reports.chart_title", lang, name=name, currency=display.currency_text(cur))
        charts.append(figure_bars(points, rtl=rtl, value_text=_figure_text(column, cur), title=title, key=cur,
                                  empty_text=empty))
    return charts


def _months_offered(day: date, choice: Choice) -> list[tuple[str, str]]:
    """The months the period's lists offer: five years back to this month, and the chosen ones."""
    months = set(calc.months_between(date(day.year - 5, 1, 1), day))
    months |= {choice.start, choice.last}
    return [(m.strftime("%Y-%m"), format_date(m, "LLLL y", locale=display.current_locale())) for m in sorted(months)]


def _page(request: GviaRequest, choice: Choice, problems: list[str], found: reports.Report | None) -> HttpResponse:
    lang = _lang(request)
    context: dict[str, Any] = {
        "choice": choice,
        "names": [(n, i18n.text(f"report.name.{n}", lang)) for n in reports.NAMES],
        "months": _months_offered(today(request), choice),
        "period": [("from", choice.start.strftime("%Y-%m")), ("to", choice.last.strftime("%Y-%m"))],
        "problems": problems,
    }
    if found is not None:
        context.update({
            "report": found,
            "title": i18n.text(f"report.name.{found.name}", lang),
            "headers": [i18n.text(f"report.col.{c}", lang) for c in found.columns],
            "rows": [[_cell(c, v, lang) for c, v in zip(found.columns, row)] for row in found.rows],
            "charts": [mark_safe(svg) for svg in _charts(found, lang)],   # figure_bars escapes every text it draws
            "query": request.GET.urlencode(),
        })
    return render(request, "gvia/reports/page.html", context, status=400 if problems else 200)


def _read(request: GviaRequest) -> tuple[Choice, list[str], reports.Report | None]:
    """The chosen report and period, and the report — or the problems with them, worded."""
    lang = _lang(request)
    choice, problems = _choice(request)
    if problems:
        return choice, [words.problem_text(p, lang) for p in problems], None
    try:
        return choice, [], kept_report(request, choice)
    except ValidationFailed as exc:
        return choice, [words.problem_text(p, lang) for p in exc.problems], None


def kept_report(request: GviaRequest, choice: Choice) -> reports.Report:
    """The report, kept while nothing changes (:mod:`gvia.web.cached`: the key holds the
    organization's data version and the day): DSO and CEI read every invoice and allocation of the
    business — seconds at 1,000,000 invoices — so the page and its downloads compute it once and
    show it again until something is imported, recorded or decided."""
    key = f"report:{choice.name}:{choice.start.isoformat()}:{choice.end.isoformat()}"
    return cached.remember(request.ctx, key, today(request),
                           lambda: reports.report(request.ctx, choice.name, choice.start, choice.end), ttl=REPORT_TTL)


@require_GET
@member_required("viewer")
def reports_page(request: GviaRequest) -> HttpResponse:
    return _page(request, *_read(request))


def _for_file(found: reports.Report, lang: str) -> reports.Report:
    """The report with its codes worded for a person: the reasons, an unassigned collector."""
    worded = []
    for row in found.rows:
        worded.append(tuple(_cell(c, v, lang).text if c == "reason" or (c == "collector" and not v) else v
                            for c, v in zip(found.columns, row)))
    return reports.Report(found.name, found.start, found.end, found.columns, worded)


@require_GET
@member_required("viewer")
def report_export(request: GviaRequest) -> HttpResponse:
    lang = _lang(request)
    choice, problems, found = _read(request)
    fmt = request.GET.get("format")
    if fmt not in ("csv", "xlsx"):
        problems.append(i18n.text("problem.report_format", lang))
    if problems or found is None:
        return _page(request, choice, problems, None)
    shown = _for_file(found, lang)
    headers = [i18n.text(f"report.col.{c}", lang) for c in found.columns]
    filename = f"{found.name}-{choice.start:%Y-%m}-{choice.last:%Y-%m}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")          # UTF-8 with BOM: Excel in Hebrew opens it right
        response.write(report_files.to_csv(shown, headers))
    else:
        response = HttpResponse(report_files.to_xlsx(shown, headers, i18n.text(f"report.name.{found.name}", lang)),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
