"""``{% load gateway_tags %}``: ``{% card_payments org as can_pay %}`` — whether the organization
takes card payments through a gateway (:func:`gvia.services.gateways.checkout.available`)."""

from __future__ import annotations

from django import template

from gvia.services.gateways.checkout import available

register = template.Library()


@register.simple_tag
def card_payments(org) -> bool:
    return available(org)
