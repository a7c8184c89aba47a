"""The customer list's table rows (``gvia/customers/_results.html``) as HTML, written here rather
than by the template: with 50 rows a page, the template's tags, filters and lookups per row were
the dearest part of every customer list (issue 11/13). The markup is the one the template wrote,
from the same filters (:mod:`gvia.web.templatetags.gvia`): the rows' texts in the request's language,
each value escaped, amounts and numbers in their left-to-right isolates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from gvia.core.money import Totals

from .templatetags import gvia as tags

if TYPE_CHECKING:
    from .queries import CustomerRow

#: an id no customer has, put in the customer page's URL once a page, then replaced by each row's id
#: (one reverse() for the page: ``customers/<int:pk>/`` holds the id as digits, nothing else does)
_MARK = "9876543210123"
_NONE = '<span class="muted">—</span>'
_LATE = '<div class="late">'


def _amounts(totals: Totals, div: str) -> str:
    if not len(totals):
        return _NONE
    return "".join(f"{div}{tags.money(totals.get_or_zero(code))}</div>" for code in totals)


def rows_html(rows: Iterable[CustomerRow]) -> SafeString:
    """The ``<tr>`` of each row, as the template wrote them."""
    url = reverse("customer_detail", args=[_MARK])
    hold = f' <span class="badge badge-hold">{conditional_escape(tags.t("customers.hold"))}</span>'
    credit_hold = f' <span class="badge badge-overdue">{conditional_escape(tags.t("credit_hold.badge"))}</span>'
    out = []
    for c in rows:
        b = c.balance
        badges = (hold if c.do_not_chase else "") + (credit_hold if c.credit_hold else "")
        tax_id = f'<div class="sub">{tags.ltr(c.tax_id)}</div>' if c.tax_id else ""
        days = tags.num(b.days_overdue) if b.days_overdue else _NONE
        out.append(
            "\n      <tr>\n"
            f'        <td><a href="{url.replace(_MARK, str(int(c.id)))}" class="customer-link">'
            f"{conditional_escape(c.name)}</a>{badges}\n"
            f"          {tax_id}</td>\n"
            f"        <td>{tags.ltr(c.ref)}</td>\n"
            f'        <td class="amount">{_amounts(b.open, "<div>")}</td>\n'
            f'        <td class="amount">{_amounts(b.overdue, _LATE)}</td>\n'
            f'        <td class="amount">{days}</td>\n'
            "      </tr>\n    ")
    return mark_safe("".join(out))     # every value above escaped (conditional_escape, the filters)
