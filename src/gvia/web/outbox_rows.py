"""The outbox's messages as HTML, written here rather than by a template: with 25 or 50 messages a
page, the template's tags, filters and lookups per row were most of the page's cost (issue 11/13).

- :func:`rows_html`: the outbox list's table rows (``gvia/outbox/list.html``);
- :func:`item_html`: a message as the worklist, the outbox's detail and the in-place answer to an
  action show it, with its links and the actions the reader may take (``gvia/outbox/_row.html``,
  ``{% message_item %}``; a list of them, :func:`items_html`, ``{% message_items rows %}``:
  :mod:`gvia.web.templatetags.outbox_tags`).

The markup is the one the templates wrote, from the same filters (:mod:`gvia.web.templatetags.gvia`):
texts in the request's language, each value escaped.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from django.template.defaultfilters import linebreaksbr
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from . import i18n, words
from .day import MessageRow
from .templatetags import gvia as tags


class _Texts(dict):
    """The catalog's texts a page writes, each escaped, read once a page."""

    def __missing__(self, key: str) -> str:
        text = self[key] = conditional_escape(tags.tr(key))
        return text


def rows_html(rows: Iterable[MessageRow]) -> SafeString:
    """The ``<tr>`` of each message, as the template wrote them."""
    tr = _Texts()
    out = []
    for row in rows:
        status = conditional_escape(row.status)
        owner = f' <span class="badge badge-owner">{tr["message.needs_owner"]}</span>' if row.needs_owner else ""
        held = ""
        if row.held_for:
            items = "".join(f'<li><a href="{conditional_escape(url)}">{tr["held." + code]}</a></li>'
                            for code, url in row.held_items)
            held = (f'<div class="held-for" data-testid="held-for"><p class="sub">{tr["held.cannot_approve"]}</p>\n'
                    f'          <ul class="plain-list">{items}</ul></div>')
        out.append(
            f'<tr data-testid="outbox-row" data-status="{status}">\n'
            f'      <td><a href="{conditional_escape(row.detail_url)}">{tags.ltr(row.id)}</a></td>\n'
            f'      <td><a href="{conditional_escape(row.customer_url)}">{conditional_escape(row.customer_name)}</a>'
            f' <span class="sub">{tags.ltr(row.customer_ref)}</span></td>\n'
            f'      <td>{tr["doc." + row.document]} <span class="sub">{tr["channel." + row.channel]}</span></td>\n'
            f"      <td>{conditional_escape(row.stage)}</td><td>{tags.day(row.planned_for)}</td>\n"
            f'      <td><span class="badge badge-{status}">{tr["outbox.status." + row.status]}</span>{owner}\n'
            f"        {held}</td>\n"
            "    </tr>")
    return mark_safe("".join(out))     # every value above escaped (conditional_escape, the filters)


def items_html(rows: Iterable[MessageRow], request: Any, csrf_token: Any = None) -> SafeString:
    """Each message's ``<li class="msg-row">`` (:func:`item_html`), a line each."""
    return mark_safe("".join(f"{li}\n" for li in _items(rows, request, csrf_token)))   # escaped by _items


def item_html(row: MessageRow, request: Any, csrf_token: Any = None, *, inplace: bool = False, note_key: str = "",
              error: str = "") -> SafeString:
    """The message's ``<li class="msg-row">``: who and what, what it waits for, its links, and the
    actions ``request``'s reader may take on it (approve or reject one awaiting approval, say
    whether a failed or uncertain one arrived), their forms carrying ``csrf_token``. ``inplace``:
    the row answering an action in place (htmx), with that action's ``note_key`` or ``error``."""
    return mark_safe(next(_items([row], request, csrf_token, inplace, note_key, error)))    # escaped by _items


def _items(rows: Iterable[MessageRow], request: Any, csrf_token: Any, inplace: bool = False, note_key: str = "",
           error: str = "") -> Iterator[str]:
    tr = _Texts()
    lang = i18n.normalize(translation.get_language())
    access = getattr(request, "access", None)
    is_owner, can_change = bool(getattr(access, "is_owner", False)), bool(getattr(access, "can_change", False))
    here = conditional_escape(request.get_full_path())
    csrf = ""
    if csrf_token:           # as {% csrf_token %} writes it
        csrf = "" if csrf_token == "NOTPROVIDED" else format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)
    role = ' role="status"' if inplace else ""
    planned: dict[Any, str] = {}
    for row in rows:
        status, rid = conditional_escape(row.status), int(row.id)   # an id: nothing to escape
        customer_url, pdf_url = conditional_escape(row.customer_url), conditional_escape(row.pdf_url)
        if row.planned_for not in planned:
            planned[row.planned_for] = tags.t("message.planned_for", day=row.planned_for)
        owner = f' <span class="badge badge-owner">{tr["message.needs_owner"]}</span>' if row.needs_owner else ""
        stage = f" · {conditional_escape(row.stage)}" if row.stage else ""
        free = (f'<blockquote class="free-text" dir="auto">{linebreaksbr(row.free_text, autoescape=True)}</blockquote>'
                if row.free_text else "")
        last_error = (f'<p class="sub error-text">{conditional_escape(words.said_text(row.last_error, lang))}</p>'
                      if row.last_error else "")
        held = ""
        if row.held_for:
            items = "".join(f'<li><a href="{conditional_escape(url)}">{tr["held." + code]}</a></li>'
                            for code, url in row.held_items)
            held = (f'<div class="card-note is-warning" data-testid="held-for">\n'
                    f'      <p>{tr["held.cannot_approve"]}</p>\n'
                    f'      <ul class="plain-list">{items}</ul>\n'
                    "    </div>")
        note = (f'<p class="message message-success">{tags.t(note_key, name=row.customer_name)}</p>'
                if note_key else "")
        shown_error = f'<p class="message message-error" dir="auto">{conditional_escape(error)}</p>' if error else ""
        rejected = (f'<p><a href="{customer_url}#case" data-testid="after-rejection">'
                    f'{tr["message.rejected_choose"]}</a></p>' if row.status == "rejected" else "")
        target = f'hx-target="#msg-{rid}" hx-swap="outerHTML"'
        actions = ""
        if row.status == "awaiting_approval":
            if is_owner or (can_change and not row.needs_owner):
                approve_url, reject_url = conditional_escape(row.approve_url), conditional_escape(row.reject_url)
                decide = (
                    f'\n      <form method="post" action="{approve_url}" class="inline-form" hx-post="{approve_url}"'
                    f' {target}>\n'
                    f'        {csrf}<input type="hidden" name="next" value="{here}">\n'
                    '        <button type="submit" class="btn btn-primary" data-testid="approve">'
                    f'{tr["message.approve"]}</button>\n'
                    "      </form>\n"
                    '      <details class="reject"><summary class="btn btn-danger-quiet">'
                    f'{tr["message.reject"]}</summary>\n'
                    f'        <form method="post" action="{reject_url}" hx-post="{reject_url}" {target}>\n'
                    f'          {csrf}<input type="hidden" name="next" value="{here}">\n'
                    f'          <div class="field"><label for="reject-{rid}">{tr["case.field.decision_reason"]}</label>'
                    f'<input type="text" id="reject-{rid}" name="reason" required></div>\n'
                    '          <button type="submit" class="btn btn-danger-quiet">'
                    f'{tr["message.reject_confirm"]}</button>\n'
                    "        </form>\n"
                    "      </details>\n      ")
            elif can_change:
                decide = f'<p class="sub">{tr["message.owner_only"]}</p>'
            else:
                decide = ""
            actions = f"\n      {decide}\n    "
        elif row.status in ("failed", "uncertain"):
            resolve = ""
            if can_change:
                resolve_url = conditional_escape(row.resolve_url)
                resolve = (
                    f'\n      <form method="post" action="{resolve_url}" class="inline-form" hx-post="{resolve_url}"'
                    f' {target}>\n'
                    f'        {csrf}<input type="hidden" name="next" value="{here}">\n'
                    '        <button type="submit" name="sent" value="1" class="btn">'
                    f'{tr["message.it_arrived"]}</button>\n'
                    '        <button type="submit" name="sent" value="0" class="btn">'
                    f'{tr["message.send_again"]}</button>\n'
                    "      </form>")
            actions = f"{resolve}\n    "
        yield (
            f'<li class="msg-row status-{status}" id="msg-{rid}" data-testid="message-row"'
            f' data-status="{status}"{role}>\n'
            '  <div class="msg-main">\n'
            f'    <p class="msg-who"><a href="{customer_url}">{conditional_escape(row.customer_name)}</a>'
            f' <span class="sub">{tags.ltr(row.customer_ref)}</span>\n'
            f'      <span class="badge badge-{status}">{tr["outbox.status." + row.status]}</span>{owner}</p>\n'
            f'    <p class="msg-what">{tr["doc." + row.document]} · {tr["channel." + row.channel]}{stage}'
            f" · {planned[row.planned_for]}</p>\n"
            f"    {free}\n    {last_error}\n    {held}\n    {note}\n    {shown_error}\n    {rejected}\n"
            "  </div>\n"
            '  <div class="msg-actions">\n'
            f'    <p class="links"><a href="{pdf_url}" target="_blank" rel="noopener">{tr["message.preview_pdf"]}</a>'
            f' · <a href="{pdf_url}?download=1">{tr["message.download_pdf"]}</a>'
            f' · <a href="{conditional_escape(row.detail_url)}">{tr["message.details"]}</a></p>\n'
            f"    {actions}\n"
            "  </div>\n"
            f'  <details class="pdf-inline"><summary>{tr["message.show_pdf_here"]}</summary><iframe src="{pdf_url}"'
            f' loading="lazy" title="{tr["message.pdf_title"]}"></iframe></details>\n'
            "</li>")
