"""The collector's day as the web shows it: the worklist's sections are built by
:mod:`gvia.services.engine.worklist` (what is in each, in what order, how many); this module only
adds what a page needs — each message's links, the stage names in the reader's language, and
keeping the dear figures for a while.

On the overview the message sections' counts (on the overview and their own pages) are kept
for :data:`gvia.web.cached.SHORT_TTL` seconds, as on the dashboard: a change made through gvia
(an approval) shows at once, the dispatcher's (a message failing) within that time. The debts
nearing limitation and the other long lists (:data:`_KEPT`) are kept while nothing changes, and so
is what the overview writes of them: their rows' HTML, per language (:class:`KeptSection`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any, Callable

from django.template.loader import render_to_string
from django.urls import reverse

from gvia.services.context import Ctx
from gvia.services.engine import signals as early_warning
from gvia.services.engine import worklist as service
from gvia.store.models import OutboxMessage

from . import cached, links

OVERVIEW_ROWS = service.OVERVIEW_ROWS
PAGE_ROWS = service.PAGE_ROWS
MESSAGE_SECTIONS = service.MESSAGE_SECTIONS
LENSES = service.LENSES
message_rows = service.message_rows


def sections() -> tuple[str, ...]:
    """The worklist's sections, in the order they are shown."""
    return service.section_names()


class MessageRow(service.MessageRow):
    """A message of the worklist or the outbox with its links (Django's reverse asked once per
    name, not once per row: gvia.web.links)."""

    pdf_url = links.id_property("message_pdf")
    approve_url = links.id_property("message_approve")
    reject_url = links.id_property("message_reject")
    resolve_url = links.id_property("message_resolve")
    detail_url = links.id_property("message_detail")
    customer_url = links.id_property("customer_detail", "customer_id")

    @property
    def held_items(self) -> list[tuple[str, str]]:
        """What a held message waits for, each with where to fill it in: ``(code, URL)`` — the
        organization's details on the settings page, the customer's (and the agreement on file) in
        the customer's details form."""
        return [(code, held_link(code, self.customer_id)) for code in self.held_for]


def held_link(code: str, customer_id: int) -> str:
    """Where a person fills in what a held message waits for (the codes of
    :func:`gvia.services.engine.holds.code_of`)."""
    if code.startswith("org_"):            # the settings page's forms: the letterhead's, the organization's
        name = code[len("org_"):]
        return reverse("settings_org") + ("#id_lh-" if name.startswith("signatory") else "#id_org-") + name
    name = code[len("customer_"):] if code.startswith("customer_") else code
    name = {"address": "line1"}.get(name, name)          # the address form's first line
    return reverse("customer_action", args=[customer_id, "details"]) + "#details_" + name


_MESSAGE_FIELDS = tuple(f.name for f in fields(service.MessageRow))


def _linked(row: Any) -> Any:
    # the same values, not copies (dataclasses.astuple copies each list and tuple, deep)
    return MessageRow(*[getattr(row, name) for name in _MESSAGE_FIELDS]) if type(row) is service.MessageRow else row


def message_row(m: OutboxMessage, names: dict[str, str]) -> MessageRow:
    return _linked(service.message_row(m, names))


def _shown(section: service.Section) -> service.Section:
    if section.name not in MESSAGE_SECTIONS:
        return section
    return replace(section, rows=[_linked(r) for r in section.rows])


AT_RISK = "customers_at_risk_rows"    # the name the worklist service keeps the list under

# figures that read much of the books: kept 10 minutes (a change made through gvia still shows at
# once: the key holds the data version); the customers at risk are one list for the worklist and
# the dashboard's panel (5.7 s for 35,672 customers with something overdue, at 100,000 customers)
_KEPT = {"message_counts": cached.SHORT_TTL, "nearing_limitation": 600, AT_RISK: 600,
         "chase_first": 600,     # who to chase first reads the same histories as the customers at risk
         # lists read from every open invoice (at 100,000 customers: seconds each), which nothing but a
         # change made through gvia (a new data version) alters within the day
         "credit_hold_suggestions": 600, "allocation_flags": 600, "suppliers_law_rows": 600, "debt_notices": 600}


def customers_at_risk(ctx: Ctx, day: date) -> list:
    """The early-warning list the worklist's section and the dashboard's panel share, kept."""
    return cached.remember(ctx, AT_RISK, day, lambda: early_warning.at_risk_rows(ctx, day), ttl=_KEPT[AT_RISK])


def _ttl(name: str) -> int:
    # what is kept of a list ("<list>:first", "<list>:html:<lang>") is kept as long as the list
    return _KEPT.get(name.partition(":")[0], cached.SHORT_TTL)


def keep(ctx: Ctx, day: date) -> service.Keep:
    """The web's way of keeping the worklist's dear figures (see the module docstring)."""
    def kept(name: str, compute: Callable[[], Any]) -> Any:
        return cached.remember(ctx, name, day, compute, ttl=_ttl(name))
    return kept


@dataclass(frozen=True)
class KeptSection(service.Section):
    """A section of the overview whose rows come from a list kept per data version
    (:data:`gvia.services.engine.worklist.KEPT_LISTS`), with its rows' HTML (``_<section>.html``)."""

    html: str = ""


def _with_html(ctx: Ctx, day: date, section: service.Section) -> service.Section:
    """``section`` with its rows' HTML, kept as long as the list and under the same data version
    (:func:`gvia.web.cached.remember_html`): these sections' templates show only their rows (no
    form, nothing of the reader's own), and writing them — a sentence, an amount, a date and links
    a row — cost more than the rest of the overview."""
    name = service.KEPT_LISTS[section.name]
    html = cached.remember_html(ctx, name, day, lambda: render_to_string(f"gvia/worklist/_{section.name}.html",
                                                                        {"section": section}), ttl=_ttl(name))
    return KeptSection(section.name, section.rows, section.total, section.page, section.per_page, html)


def section(ctx: Ctx, name: str, day: date, names: dict[str, str], page: int = 1, per_page: int = OVERVIEW_ROWS,
            mine_user=None, group: str = "") -> service.Section:
    """One section of the day, a page of it (``group``: who to chase first's rows of that group)."""
    return _shown(service.section(ctx, name, day, page=page, per_page=per_page, names=names, mine=mine_user,
                                  keep=keep(ctx, day), group=group))


def collectors_day(ctx: Ctx, day: date, names: dict[str, str], mine_user=None) -> service.Worklist:
    """Every section's first rows (the worklist's overview)."""
    with cached.one_version(ctx):        # the kept counts and lists, and their rows' HTML: one data version
        work = service.worklist(ctx, day, per_page=OVERVIEW_ROWS, names=names, mine=mine_user, keep=keep(ctx, day))
        work.sections = {name: _with_html(ctx, day, s) if s.total and name in service.KEPT_LISTS else _shown(s)
                         for name, s in work.sections.items()}
    return work


def waiting_counts(ctx: Ctx, day: date) -> dict[str, int]:
    """How many rows each section has today (for the dashboard)."""
    return service.counts(ctx, day, keep=keep(ctx, day))
