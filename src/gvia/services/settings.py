"""The organization's settings that a business changes (``gvia settings show|set|unset``).

Every key is checked before it is stored in ``Organization.settings`` (a JSON object); an
unknown key or a bad value is refused and nothing changes. ``smtp.*`` keys are stored under
``settings["smtp"]``; the environment (``GVIA_SMTP_*``) is used for what they leave empty.
Every change is audited (the SMTP password is never written to the audit or shown).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from django.db import transaction

from gvia.core.errors import FieldProblem, ValidationFailed
from gvia.core.escalation import SENDING_MODES
from gvia.core.money import normalize_currency
from gvia.services import audit, sealed
from gvia.services.context import Ctx
from gvia.services.locality import parse_weekend
from gvia.services.sending.window import DEFAULT_HOURS, parse_hours
from gvia.store.models import Organization


def _int(lo: int, hi: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not re.fullmatch(r"\s*\d+\s*", text):
            raise ValueError("a whole number is needed")
        n = int(text)
        if not lo <= n <= hi:
            raise ValueError(f"must be between {lo} and {hi}")
        return n
    return parse


def _choice(*options: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        v = text.strip().lower()
        if v not in options:
            raise ValueError(f"must be one of: {', '.join(options)}")
        return v
    return parse


def _bool(text: str) -> bool:
    v = text.strip().lower()
    if v in ("true", "yes", "on", "1"):
        return True
    if v in ("false", "no", "off", "0"):
        return False
    raise ValueError("must be true or false")


def _hours(text: str) -> str:
    a, b = parse_hours(text)
    return f"{a.strftime('%H:%M')}-{b.strftime('%H:%M')}"


def _clock_time(text: str) -> str:
    if not re.fullmatch(r"\d{1,2}:\d{2}", text.strip()):
        raise ValueError("a time like 06:00 is needed")
    return time.fromisoformat(text.strip().zfill(5)).strftime("%H:%M")


def _amount(text: str) -> str:
    try:
        d = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError("an amount like 1 or 0.50 is needed") from None
    if d < 0 or d > 1000:
        raise ValueError("must be between 0 and 1000")
    return str(d)


def _dates(text: str) -> list[str]:
    out = []
    for part in text.replace(" ", "").split(","):
        if part:
            out.append(date.fromisoformat(part).isoformat())
    return sorted(set(out))


def _weekend(text: str) -> str:
    days = parse_weekend(text)
    if len(days) > 3:
        raise ValueError("at most three days off a week")
    return ",".join(("mon", "tue", "wed", "thu", "fri", "sat", "sun")[d] for d in days)


def _text(max_len: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if len(text) > max_len:
            raise ValueError(f"at most {max_len} characters")
        return text.strip()
    return parse


def _email(text: str) -> str:
    v = text.strip()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v):
        raise ValueError("an e-mail address is needed")
    return v


def _host(text: str) -> str:
    v = text.strip()
    if not re.fullmatch(r"[A-Za-z0-9.\-:\[\]]+", v):
        raise ValueError("a host name or address is needed")
    return v


def _per_currency(text: str) -> dict[str, str]:
    """'ILS=500, USD=150' -> {"ILS": "500", "USD": "150"} (amounts checked, currencies known)."""

    out: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        code, eq, amount = part.partition("=")
        if not eq:
            raise ValueError(f"write CURRENCY=AMOUNT, not {part.strip()!r}")
        out[normalize_currency(code.strip())] = _amount(amount.strip())
    if not out:
        raise ValueError("give at least one CURRENCY=AMOUNT")
    return out


@dataclass(frozen=True)
class Setting:
    key: str
    parse: Callable[[str], Any]
    default: Any
    help: str
    env: str = ""
    secret: bool = False


SETTINGS: dict[str, Setting] = {s.key: s for s in (
    Setting("sending_mode", _choice(*SENDING_MODES), "approve_all",
            "off | approve_all (a person approves every message) | automatic (only stages marked approval)"),
    Setting("sending_hours", _hours, DEFAULT_HOURS, "when messages may leave, local time: HH:MM-HH:MM"),
    Setting("daily_run_time", _clock_time, "06:00", "when the worker runs the daily run, local time: HH:MM"),
    Setting("stale_data_business_days", _int(0, 60), 3,
            "hold every stage when the last import of invoices or payments is older than this"),
    Setting("send_rate_per_minute", _int(0, 100000), 60, "messages per minute at most (0 = no limit)"),
    Setting("reply_pause_days", _int(0, 90), None,
            "days without automatic messages after a customer replies (empty: the policy's)"),
    Setting("tolerance", _amount, "1", "open differences up to this many units are settled automatically"),
    Setting("warning_deadline_days", _int(1, 365), 14, "the payment deadline a warning letter gives"),
    Setting("deadline_business_days", _bool, False, "count the warning deadline in business days"),
    Setting("weekend", _weekend, None, "days off each week, e.g. fri,sat (empty: the country's)"),
    Setting("extra_holidays", _dates, [], "more days off: ISO dates separated by commas"),
    Setting("extra_workdays", _dates, [], "days worked despite the calendar: ISO dates separated by commas"),
    Setting("hebrew_date", _bool, None, "print the Hebrew date on letters (empty: for Hebrew letters)"),
    Setting("claim_basis", _text(500), "", "the written contract or undertaking a claim rests on (letters)"),
    Setting("promise_grace_days", _int(0, 60), 3, "days after a promised date before the promise counts as broken"),
    Setting("plan_grace_days", _int(0, 60), 7, "days an installment may be late before it counts as missed"),
    Setting("plan_default_after_missed", _int(1, 24), 2, "missed installments that end a payment plan"),
    Setting("plan_max_months", _int(1, 120), 6, "the longest payment plan a collector may agree alone"),
    Setting("plan_min_installment", _per_currency, {"ILS": "500"},
            "the smallest installment a collector may agree alone, per currency: ILS=500,USD=150"),
    Setting("plan_max_installments", _int(1, 360), None, "most installments a collector may agree alone"),
    Setting("dispute_max_open_days", _int(1, 365), 14, "days a dispute may stay open before its owner is reminded"),
    Setting("limitation_warn_months", _int(1, 60), 6, "flag debts this many months before they become time-barred"),
    Setting("limitation_years", _int(1, 30), None, "limitation period in years (empty: the country's)"),
    Setting("owner_two_factor", _bool, False,
            "owners must sign in with a second factor (an authenticator app's code)"),
    Setting("smtp.host", _host, "", "SMTP server (empty: the local mail catcher)", env="GVIA_SMTP_HOST"),
    Setting("smtp.port", _int(1, 65535), None, "SMTP port (default 25, 587 for starttls, 465 for ssl)",
            env="GVIA_SMTP_PORT"),
    Setting("smtp.user", _text(254), "", "SMTP user name", env="GVIA_SMTP_USER"),
    Setting("smtp.password", _text(500), "", "SMTP password", env="GVIA_SMTP_PASSWORD", secret=True),
    Setting("smtp.security", _choice("none", "starttls", "ssl"), "none", "none | starttls | ssl",
            env="GVIA_SMTP_SECURITY"),
    Setting("smtp.mail_from", _email, "", "the From address (default: the organization's e-mail)",
            env="GVIA_MAIL_FROM"),
)}


def _lookup(key: str) -> Setting:
    setting = SETTINGS.get(key)
    if setting is None:
        raise ValidationFailed([FieldProblem(None, "key", key, "unknown setting; known: " + ", ".join(SETTINGS))],
                               summary=f"unknown setting {key!r}; nothing was changed")
    return setting


def _stored(org: Organization, key: str) -> tuple[bool, Any]:
    cfg = org.settings or {}
    if key.startswith("smtp."):
        smtp = cfg.get("smtp") or {}
        name = key[5:]
        return (name in smtp and smtp[name] not in ("", None)), smtp.get(name)
    return key in cfg, cfg.get(key)


def show(ctx: Ctx) -> list[dict]:
    """Every setting: its value, where it comes from (set, environment, default) and what it does."""
    ctx.require("viewer", "reading the settings")
    rows = []
    for key, s in SETTINGS.items():
        is_set, value = _stored(ctx.org, key)
        source = "set"
        if not is_set:
            if s.env and os.environ.get(s.env):
                value, source = os.environ[s.env], "environment"
            else:
                value, source = s.default, "default"
        if s.secret and value:
            value = "********"
        if isinstance(value, list):
            value = ",".join(value)
        rows.append({"key": key, "value": "" if value is None else value, "source": source, "help": s.help})
    return rows


@transaction.atomic
def set_setting(ctx: Ctx, key: str, value: str) -> Any:
    """Check and store one setting. Raises ValidationFailed (nothing changed) when wrong."""
    ctx.require("owner", "changing the settings")
    setting = _lookup(key)
    try:
        parsed = setting.parse(str(value))
    except ValueError as exc:
        raise ValidationFailed([FieldProblem(None, key, "" if setting.secret else str(value), str(exc))],
                               summary=f"{key}: {exc}; nothing was changed") from None
    org = Organization.objects.select_for_update().get(id=ctx.org.id)
    cfg = dict(org.settings or {})
    stored = sealed.seal(parsed) if setting.secret else parsed
    if key.startswith("smtp."):
        smtp = dict(cfg.get("smtp") or {})
        smtp[key[5:]] = stored
        cfg["smtp"] = smtp
    else:
        cfg[key] = stored
    org.settings = cfg
    org.save(update_fields=["settings"])
    ctx.org.settings = cfg
    audit.record(ctx, "settings.set", org, key=key, value="(hidden)" if setting.secret else parsed)
    return parsed


@transaction.atomic
def unset_setting(ctx: Ctx, key: str) -> None:
    """Back to the default (or the environment)."""
    ctx.require("owner", "changing the settings")
    setting = _lookup(key)
    org = Organization.objects.select_for_update().get(id=ctx.org.id)
    cfg = dict(org.settings or {})
    if key.startswith("smtp."):
        smtp = dict(cfg.get("smtp") or {})
        smtp.pop(key[5:], None)
        cfg["smtp"] = smtp
    else:
        cfg.pop(key, None)
    org.settings = cfg
    org.save(update_fields=["settings"])
    ctx.org.settings = cfg
    audit.record(ctx, "settings.unset", org, key=setting.key)
