"""Amounts and days typed by a person for an arrangement, read exactly or refused with the field named."""

from __future__ import annotations

from datetime import date

from gvia.core.errors import FieldProblem, InvalidAmount, UnknownCurrency, ValidationFailed
from gvia.core.money import Money, normalize_currency, parse_amount


def parse_money(text: str, currency: str, field_name: str = "amount") -> Money:
    """An amount typed by a person, exact to the currency's minor unit (never rounded)."""
    try:
        code = normalize_currency(currency)
        value = parse_amount(str(text))
        money = Money.of(value, code)
    except UnknownCurrency as exc:
        raise ValidationFailed([FieldProblem(None, "currency", str(currency), str(exc),
                                             code="unknown_currency")]) from None
    except InvalidAmount as exc:
        raise ValidationFailed([FieldProblem(None, field_name, str(text), str(exc), code="not_an_amount")]) from None
    if money.amount != value:
        raise ValidationFailed([FieldProblem(None, field_name, str(text), "too many decimals",
                                             code="too_many_decimals", params={"currency": code})])
    return money


def parse_day(value: date | str, field_name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationFailed([FieldProblem(None, field_name, str(value), "not a date",
                                             code="not_a_typed_date")]) from None
