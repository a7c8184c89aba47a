"""Template tags of the customer's page: ``{% load portal %}``.

- ``{% pt "key" name=value %}``: the words of ``key`` from the ``portal`` catalog in the page's
  language (the template context's ``lang``), each value escaped, formatted as the page shows it
  (amounts, dates, numbers: :mod:`gvia.web.display`) and isolated in a ``<bdi>``;
- ``{% ptn "key" n name=value %}``: a plural entry's form for the count ``n``.
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from ..portal import words
from .gvia import _plain

register = template.Library()


def _wrapped(params: dict) -> dict:
    return {k: mark_safe(f"<bdi>{conditional_escape(_plain(v))}</bdi>") for k, v in params.items()}


@register.simple_tag(name="pt", takes_context=True)
def pt(context, key: str, **params) -> str:
    lang = context["lang"]
    if not params:
        return words.text(key, lang)
    return mark_safe(words.text(key, lang, escape=conditional_escape, **_wrapped(params)))


@register.simple_tag(name="ptn", takes_context=True)
def ptn(context, key: str, n: int, **params) -> str:
    return mark_safe(words.plural(key, context["lang"], int(n), escape=conditional_escape,
                                  **_wrapped({"n": int(n), **params})))
