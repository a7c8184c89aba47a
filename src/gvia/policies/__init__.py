"""The default escalation ladders gvia ships, one per jurisdiction (TOML files beside this one).

* ``il.toml`` — Israel (Execution Office warning, 30-day notice before a claim);
* ``il_consumer.toml`` — Israel, consumer customers (the debt notice of the Consumer Protection
  Law s.13B2 first, and nothing before its 14 days are over);
* ``uk.toml`` — United Kingdom, business customers (letter before action);
* ``uk_consumer.toml`` — United Kingdom, consumer customers (Pre-Action Protocol for Debt
  Claims: Letter of Claim and 30 days to reply);
* ``generic.toml`` — the EU, the US and any other country;
* ``risk.toml`` — the early-warning signals' weights and settings (not a ladder; checked by
  :func:`gvia.core.signals.load_weights`).

This package reads its own resource files (the only I/O here); the checking is done by the
pure :func:`gvia.core.policy.load_policy`.
"""

from __future__ import annotations

from importlib import resources

from gvia.core.policy import Policy, load_policy
from gvia.core.signals import Weights, load_weights

__all__ = ["DEFAULT_FILES", "default_policy_file", "default_policy_text", "default_policy", "RISK_FILE",
           "default_risk_text", "default_risk"]

RISK_FILE = "risk.toml"

DEFAULT_FILES = ("il.toml", "il_consumer.toml", "uk.toml", "uk_consumer.toml", "generic.toml")


def default_policy_file(country: str, consumer: bool = False) -> str:
    """File name of the shipped ladder for a country code ("IL", "GB"/"UK", anything else)."""
    code = (country or "").strip().upper()
    if code == "IL":
        return "il_consumer.toml" if consumer else "il.toml"
    if code in ("GB", "UK"):
        return "uk_consumer.toml" if consumer else "uk.toml"
    return "generic.toml"


def default_policy_text(country: str, consumer: bool = False) -> str:
    """The TOML text of the shipped ladder for ``country`` (consumer ladder where one exists)."""
    name = default_policy_file(country, consumer)
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def default_policy(country: str, consumer: bool = False) -> Policy:
    """The shipped ladder for ``country``, checked."""
    name = default_policy_file(country, consumer)
    return load_policy(default_policy_text(country, consumer), source=name)


def default_risk_text() -> str:
    """The TOML text of the shipped early-warning weights."""
    return resources.files(__name__).joinpath(RISK_FILE).read_text(encoding="utf-8")


def default_risk() -> Weights:
    """The shipped early-warning weights, checked."""
    return load_weights(default_risk_text(), source=RISK_FILE)
