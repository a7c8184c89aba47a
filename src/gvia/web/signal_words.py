"""A customer's early-warning score and its top reasons as the customer page shows them (issue
17): the service's signals (:mod:`gvia.services.engine.signals`, codes and values) worded from
the web catalog — ``signal.<code>`` names a signal, ``fact.<code>`` each fact behind it, dates
and amounts formatted for the reader (:func:`gvia.web.words.value_text`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gvia.core.money import Money
from gvia.core.signals import Fact, History, Signal
from gvia.services.context import Ctx
from gvia.services.engine import signals as service
from gvia.store.models import Customer

from . import i18n
from .words import value_text


@dataclass(frozen=True)
class Reason:
    code: str
    name: str           # the signal's name
    text: str           # its facts, in one sentence
    points: int


@dataclass(frozen=True)
class CustomerRisk:
    score: int
    reasons: list[Reason]
    high: bool          # the score reaches the weights' at_risk_from


def fact_text(fact: Fact, lang: str) -> str:
    values = dict(fact.values)
    if "amount_minor" in values:
        values["amount"] = Money.from_minor(int(str(values.pop("amount_minor"))), str(values.pop("currency")))
    return i18n.text(f"fact.{fact.code}", lang, None, **{k: value_text(v, lang) for k, v in values.items()})


def reason(signal: Signal, lang: str) -> Reason:
    return Reason(signal.code, i18n.text(f"signal.{signal.code}", lang),
                  "; ".join(fact_text(f, lang) for f in signal.evidence), signal.points)


def customer_risk(ctx: Ctx, customer: Customer, today: date, lang: str,
                  history: History | None = None) -> CustomerRisk:
    """The customer's score on ``today`` and its top reasons (as many as the weights say);
    ``history``: the customer's, when the caller has read it."""
    w = service.weights(ctx)
    found = service.of_customer(ctx, customer.id, customer.ref, customer.name, today, history, w)
    return CustomerRisk(found.score, [reason(s, lang) for s in found.signals[:w.top_reasons]],
                        found.score >= w.at_risk_from)
