"""``/signals``: the customers at risk today, highest score first
(:func:`gvia.services.engine.signals.at_risk`); one customer's are ``/customers/{id}/signals``.
Each signal is its code, its weight and points, and its evidence as fact codes and values (the
words are the reader's: ``signal.<code>`` and ``fact.<code>`` of the catalogs)."""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Any

from ninja import Field, Query, Router, Schema

from gvia.services import clock
from gvia.services.engine import signals as service

from ..common import ctx_of
from ..errors import jsonable

router = Router()


class FactOut(Schema):
    date: dt.date | None
    code: str
    values: dict[str, Any]


class SignalOut(Schema):
    code: str
    weight: int
    points: int
    evidence: list[FactOut]


class RiskOut(Schema):
    customer_id: int
    ref: str
    name: str
    as_of: date
    score: int = Field(ge=0, le=100)
    signals: list[SignalOut]


class AtRisk(Schema):
    as_of: date
    customers: list[RiskOut]


class AtRiskFilter(Schema):
    limit: int = Field(100, ge=1, le=500)


def risk_json(risk: service.CustomerRisk, today: date) -> dict:
    return {"customer_id": risk.customer_id, "ref": risk.ref, "name": risk.name, "as_of": today,
            "score": risk.score,
            "signals": [{"code": s.code, "weight": s.weight, "points": s.points,
                         "evidence": [{"date": f.day, "code": f.code, "values": jsonable(dict(f.values))}
                                      for f in s.evidence]} for s in risk.signals]}


@router.get("/", response=AtRisk, summary="The customers at risk today, highest score first")
def at_risk(request, filters: Query[AtRiskFilter]) -> Any:
    ctx = ctx_of(request)
    today = clock.org_today(ctx.org)
    found = service.at_risk(ctx, today, limit=filters.limit)
    return {"as_of": today, "customers": [risk_json(r, today) for r in found]}
