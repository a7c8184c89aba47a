"""The dashboard's panels about collection work (each a :class:`gvia.web.panels.Panel`), drawn in
the order of :data:`SOURCES`:

* ``waiting_today`` — what needs a person today, counted per section of the worklist
  (:func:`gvia.services.engine.worklist.counts`, through :func:`gvia.web.day.waiting_counts`);
* ``last_run`` — the outcome of the last daily run from its run record: what it did, what it
  held back and why, and which policy versions decided;
* ``at_risk`` — customers at risk, highest early-warning score first
  (:func:`gvia.services.engine.signals.at_risk`; the signals are :mod:`gvia.core.signals`), with
  each one's score, top signals and overdue balance;
* ``overdue_trend`` — the overdue amount over the last :data:`MONTHS` months per currency, from
  the aging snapshots the daily run leaves: for each month, the snapshot of its last day with
  one (the month's closing figure; the current month's latest so far). A month without a
  snapshot has no bar.

Each returns None when it has nothing to show. Their figures are kept while nothing changes
(:mod:`gvia.web.cached`; what waits today for a short while only), and those of :data:`AS_HTML`
as the HTML they make.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.template.loader import render_to_string

from gvia.core import reports
from gvia.core.money import Money
from gvia.services.context import Ctx
from gvia.services.engine import signals
from gvia.store.models import AgingSnapshot, RunRecord

from . import cached, panels
from . import day as collectors_day
from .queries import Balance, customer_balances

MONTHS = 12


def months_back(today: date, n: int = MONTHS) -> list[date]:
    """The first day of each of the ``n`` months ending with ``today``'s, oldest first."""
    return reports.months_back(today, n)


def month_closing(rows: list[tuple[date, str, int]], months: list[date]) -> dict[str, list[Money | None]]:
    """Per currency, the overdue of the last snapshot in each month (None without one), as money
    (:func:`gvia.core.reports.month_closing`). ``rows``: (snapshot date, currency, overdue minor units)."""
    return {c: [None if v is None else Money.from_minor(v, c) for v in values]
            for c, values in reports.month_closing(rows, months).items()}


def overdue_trend(ctx: Ctx, today: date) -> panels.Panel | None:
    months = months_back(today)
    rows = cached.remember(ctx, "trend", today, lambda: list(
        AgingSnapshot.objects.filter(organization=ctx.org, date__gte=months[0], date__lte=today)
        .values_list("date", "currency", "overdue_minor")))
    if not rows:
        return None
    series = month_closing(rows, months)
    own = ctx.org.default_currency
    order = sorted(series, key=lambda c: (c != own, c))
    return panels.Panel("panel.trend_title", "gvia/panels/trend.html",
                        {"months": months, "series": [(c, series[c]) for c in order]})


def waiting_today(ctx: Ctx, today: date) -> panels.Panel | None:
    counts = cached.remember(ctx, "waiting", today, lambda: collectors_day.waiting_counts(ctx, today),
                             ttl=cached.SHORT_TTL)
    if not any(counts.values()):
        return None
    return panels.Panel("panel.waiting_title", "gvia/panels/waiting.html",
                        {"counts": [(name, counts[name]) for name in collectors_day.sections() if counts[name]]})


def last_run(ctx: Ctx, today: date) -> panels.Panel | None:
    record = cached.remember(ctx, "last_run", today, lambda: RunRecord.objects.filter(
        organization=ctx.org, dry_run=False).order_by("-run_date", "-started_at").first())
    if record is None:
        return None
    counts = {k: v for k, v in sorted((record.counts or {}).items()) if v}
    return panels.Panel("panel.last_run_title", "gvia/panels/last_run.html",
                        {"run": record, "counts": counts, "held_back": record.held_back or [],
                         "policies": record.policy_versions or []})


@dataclass(frozen=True)
class AtRiskRow:
    """A customer at risk as the panel shows it: the service's row and the customer's balance."""

    customer_id: int
    ref: str
    name: str
    score: int
    signals: tuple[str, ...]            # the codes of its top signals, the most points first
    balance: Balance


SHOWN = 10


def _at_risk_shown(ctx: Ctx, today: date) -> dict:
    found = collectors_day.customers_at_risk(ctx, today)     # the worklist's list, kept once for both
    top = signals.weights(ctx).top_reasons
    balances = customer_balances(ctx, [r.customer_id for r in found[:SHOWN]], today)
    rows = [AtRiskRow(r.customer_id, r.ref, r.name, r.score, r.codes[:top],
                      balances.get(r.customer_id, Balance())) for r in found[:SHOWN]]
    counts = {code: sum(code in r.codes for r in found) for code in signals.rules.CODES}
    return {"rows": rows, "total": len(found), "counts": counts}


def at_risk(ctx: Ctx, today: date) -> panels.Panel | None:
    shown = cached.remember(ctx, "at_risk", today, lambda: _at_risk_shown(ctx, today))
    if not shown["total"]:
        return None
    return panels.Panel("panel.risk_title", "gvia/panels/at_risk.html", {"risk": shown})


#: The panels' sources, in page order: a new panel is a source added here.
SOURCES: tuple[panels.PanelSource, ...] = (waiting_today, last_run, at_risk, overdue_trend)

#: The panels whose figures are kept for :data:`gvia.web.cached.TTL` under the data version and whose
#: templates show nothing of the reader's own: each is kept written, as long
#: (:func:`gvia.web.cached.remember_html`) — its rows, amounts and chart are not written again on every
#: visit. (What waits today is kept a shorter while: drawn each time.)
AS_HTML: tuple[panels.PanelSource, ...] = (last_run, at_risk, overdue_trend)


def _written(ctx: Ctx, today: date, source: panels.PanelSource) -> panels.Panel | None:
    def write() -> panels.Panel | None:
        panel = source(ctx, today)
        if panel is None:
            return None
        return replace(panel, html=render_to_string(panel.template, {"panel": panel}))
    return cached.remember_html(ctx, f"panel_{source.__name__}", today, write)


def collect(ctx: Ctx, today: date) -> list[panels.Panel]:
    """The panels that have something to show, in order."""
    shown = (_written(ctx, today, source) if source in AS_HTML else source(ctx, today) for source in SOURCES)
    return [panel for panel in shown if panel is not None]
