"""The outbox list's table rows (``gvia/outbox/list.html``) as HTML, written here rather than by
the template: with 50 messages a page, the template's tags, filters and lookups per row were most
of the page's cost (issue 11/13). The markup is the one the template wrote, from the same filters
(:mod:`gvia.web.templatetags.gvia`): texts in the request's language, each value escaped.
"""

from __future__ import annotations

from typing import Iterable

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from .day import MessageRow
from .templatetags import gvia as tags


def rows_html(rows: Iterable[MessageRow]) -> SafeString:
    """The ``<tr>`` of each message, as the template wrote them."""
    texts: dict[str, str] = {}

    def tr(key: str) -> str:              # a text of the catalog, escaped, read once a page
        if key not in texts:
            texts[key] = conditional_escape(tags.tr(key))
        return texts[key]

    out = []
    for row in rows:
        status = conditional_escape(row.status)
        owner = f' <span class="badge badge-owner">{tr("message.needs_owner")}</span>' if row.needs_owner else ""
        held = ""
        if row.held_for:
            items = "".join(f'<li><a href="{conditional_escape(url)}">{tr("held." + code)}</a></li>'
                            for code, url in row.held_items)
            held = (f'<div class="held-for" data-testid="held-for"><p class="sub">{tr("held.cannot_approve")}</p>\n'
                    f'          <ul class="plain-list">{items}</ul></div>')
        out.append(
            f'<tr data-testid="outbox-row" data-status="{status}">\n'
            f'      <td><a href="{conditional_escape(row.detail_url)}">{tags.ltr(row.id)}</a></td>\n'
            f'      <td><a href="{conditional_escape(row.customer_url)}">{conditional_escape(row.customer_name)}</a>'
            f' <span class="sub">{tags.ltr(row.customer_ref)}</span></td>\n'
            f'      <td>{tr("doc." + row.document)} <span class="sub">{tr("channel." + row.channel)}</span></td>\n'
            f"      <td>{conditional_escape(row.stage)}</td><td>{tags.day(row.planned_for)}</td>\n"
            f'      <td><span class="badge badge-{status}">{tr("outbox.status." + row.status)}</span>{owner}\n'
            f"        {held}</td>\n"
            "    </tr>")
    return mark_safe("".join(out))     # every value above escaped (conditional_escape, the filters)
