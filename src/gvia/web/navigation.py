"""The main navigation: one entry per page, in order, with the least role that sees it.

Pages that arrive later (worklist, policy, approvals, outbox) add themselves with
:func:`add` from their own views module, e.g.::

    navigation.add(NavItem("worklist", "nav.worklist", section="worklist"), before="customer_list")

``section`` is the first part of the URL path of the page and its sub-pages (the entry is
marked current on /customers/17/ for section "customers"). Labels are keys of
:mod:`gvia.web.i18n`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, reverse


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str          # i18n key
    section: str        # first path segment of the pages it covers ("" for the dashboard)
    role: str = "viewer"


ITEMS: list[NavItem] = [
    NavItem("dashboard", "nav.dashboard", ""),
    NavItem("customer_list", "nav.customers", "customers"),
    NavItem("import_start", "nav.imports", "imports", role="collector"),
    NavItem("settings_org", "nav.settings", "settings", role="owner"),
]


def add(item: NavItem, before: str | None = None) -> None:
    """Add a page to the navigation (once), before the entry named ``before`` or at the end."""
    if any(i.url_name == item.url_name for i in ITEMS):
        return
    index = next((n for n, i in enumerate(ITEMS) if i.url_name == before), len(ITEMS))
    ITEMS.insert(index, item)


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str
    current: bool


def links(path: str, access) -> list[NavLink]:
    """The entries this user may see, the one for ``path`` marked current."""
    section = path.strip("/").split("/", 1)[0]
    prefix = get_script_prefix()
    return [NavLink(_url(i.url_name, prefix), i.label, i.section == section)
            for i in ITEMS if access.can(i.role)]


@lru_cache(maxsize=256)
def _url(name: str, prefix: str) -> str:
    """A page's address under the script prefix the request has (the URLs do not change while
    the process runs): every page's navigation asks for each."""
    return reverse(name)
