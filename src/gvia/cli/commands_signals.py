"""signals, risk show, and the words of early-warning signals (issue 17).

``gvia signals CUSTOMER_REF`` prints a customer's signals with their evidence and score;
``gvia customers --at-risk`` (:mod:`.commands_ledger`) lists those at risk through
:func:`at_risk_json`; ``gvia risk show [--version N] [--toml]`` prints the weights in use (or a
version), ``gvia risk load FILE`` checks a risk TOML and keeps it as a new version. The service returns codes and
values (:mod:`gvia.services.engine.signals`); they are worded here from the cli catalog
(``signal.<code>``, ``fact.<code>``), dates and amounts as the reader writes them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from .app import app
from .output import Format, console, print_json, print_rows
from .parsing import day_option
from .state import context
from .words import t, value_text

risk_app = typer.Typer(help="The early-warning signals' weights.", no_args_is_help=True)
app.add_typer(risk_app, name="risk")


def fact_text(fact) -> str:
    """One fact in the language spoken."""
    from gvia.core.money import Money

    values = dict(fact.values)
    if "amount_minor" in values:
        values["amount"] = Money.from_minor(int(values.pop("amount_minor")), str(values.pop("currency")))
    return t(f"fact.{fact.code}", **{k: value_text(v) for k, v in values.items()})


def signal_text(signal) -> str:
    """A signal's facts in one sentence (the evidence, joined)."""
    return "; ".join(fact_text(f) for f in signal.evidence)


def signal_json(signal) -> dict:
    return {"code": signal.code, "text": signal_text(signal),
            "evidence": [{"date": f.day.isoformat() if f.day else None, "fact": fact_text(f)} for f in signal.evidence],
            "weight": signal.weight, "points": signal.points}


def top_reasons(risk, n: int) -> list[dict]:
    return [{"code": s.code, "text": signal_text(s)} for s in risk.signals[:n]]


def at_risk_json(ctx, day) -> tuple[dict, list[list]]:
    """``gvia customers --at-risk``: the JSON and the table rows."""
    from gvia.services.engine import signals as service

    n = service.weights(ctx).top_reasons
    rows = service.at_risk(ctx, day)
    data = {"as_of": day.isoformat(),
            "customers": [{"ref": r.ref, "name": r.name, "score": r.score, "top_reasons": top_reasons(r, n)}
                          for r in rows]}
    table = [[r.ref, r.name, r.score, " | ".join(t(f"signal.{s.code}") for s in r.signals[:n])] for r in rows]
    return data, table


@app.command()
def signals(
    customer_ref: str = typer.Argument(..., help="The customer's reference"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="The day to look from (default today)"),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """A customer's early-warning signals, each with its evidence, and their score (0-100)."""
    ctx = context()
    from gvia.services.engine import signals as service

    day = day_option(ctx, as_of, "--as-of")
    risk = service.customer_signals(ctx, customer_ref, day)
    data = {"customer": {"ref": risk.ref, "name": risk.name}, "as_of": day.isoformat(), "score": risk.score,
            "signals": [signal_json(s) for s in risk.signals]}
    if fmt == Format.json:
        print_json(data)
        return
    rows = [[t(f"signal.{s.code}"), s.points, value_text(f.day) if f.day else "", fact_text(f)]
            for s in risk.signals for f in s.evidence]
    print_rows(["signal", "points", "date", "fact"], rows, fmt,
               title=t("signals.title", name=risk.name, ref=risk.ref, day=value_text(day), score=risk.score))


@risk_app.command("show")
def risk_show(
    version: Optional[int] = typer.Option(None, "--version", min=1, help="A version loaded before (default: in use)"),
    toml: bool = typer.Option(False, "--toml", help="Print the TOML text (to edit and load again)"),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """The weights and settings of the early-warning signals in use (or of a version)."""
    ctx = context()
    from gvia.core.signals import CODES, PARAMS
    from gvia.services.engine import signals as service

    shown = service.in_use(ctx, version)
    w = shown.weights
    if toml:
        sys.stdout.write(shown.text)
        return
    if fmt == Format.json:
        print_json({"version": shown.version, "name": w.name, "at_risk_from": w.at_risk_from,
                    "top_reasons": w.top_reasons,
                    "signals": {c: {"weight": w.weights[c], **{k: w.p(c, k) for k in PARAMS[c]}} for c in CODES}})
        return
    rows = [[c, t(f"signal.{c}"), w.weights[c], ", ".join(f"{k} = {w.p(c, k)}" for k in PARAMS[c])] for c in CODES]
    print_rows(["code", "signal", "weight", "settings"], rows, fmt,
               title=t("risk.title", name=w.name, at_risk_from=w.at_risk_from))
    if fmt == Format.table:
        console.print(t("risk.version", version=shown.version) if shown.version else t("risk.shipped"),
                      highlight=False, markup=False)


@risk_app.command("load")
def risk_load(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A risk TOML (see risk show --toml)"),
) -> None:
    """Check a risk TOML and keep it as a new version of the weights in use (owner)."""
    ctx = context()
    from gvia.services.engine import signals as service

    version, new = service.load(ctx, file.read_text(encoding="utf-8"), file.name)
    console.print(t("risk.loaded" if new else "risk.unchanged", version=version), highlight=False, markup=False)
