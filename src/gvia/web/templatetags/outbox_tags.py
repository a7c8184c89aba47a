"""The outbox's messages written by :mod:`gvia.web.outbox_rows`: ``{% load outbox_tags %}``.

- ``{% message_item %}``: the message ``row`` of the context (``gvia/outbox/_row.html``), with
  the context's ``inplace``, ``note_key`` and ``error``;
- ``{% message_items rows %}``: each message of ``rows`` (the worklist's message sections).
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from ..outbox_rows import item_html, items_html

register = template.Library()


@register.simple_tag(takes_context=True)
def message_item(context) -> SafeString:
    return item_html(context["row"], context["request"], context.get("csrf_token"),
                     inplace=bool(context.get("inplace")), note_key=context.get("note_key") or "",
                     error=context.get("error") or "")


@register.simple_tag(takes_context=True)
def message_items(context, rows) -> SafeString:
    return items_html(rows, context["request"], context.get("csrf_token"))
