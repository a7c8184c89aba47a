"""``{% load nonpayment_tags %}``: ``{% nonpayment_choices as reasons %}`` — the reasons for
non-payment (:data:`gvia.core.nonpayment.REASONS`) as (code, words in the page's language), for the
call forms' "why they have not paid" (issue 17)."""

from __future__ import annotations

from django import template
from django.utils import translation

from gvia.core.nonpayment import REASONS

from .. import i18n

register = template.Library()


@register.simple_tag
def nonpayment_choices() -> list[tuple[str, str]]:
    lang = i18n.normalize(translation.get_language())
    return [(code, i18n.text(f"nonpayment.{code}", lang)) for code in REASONS]
