"""The organization's settings that a business changes (``gvia settings show|set|unset``).

:data:`SETTINGS` is the one place a setting is declared: its key, its check, its default and
what it does. Every reader asks :func:`value` (or :func:`values` for several at once), which
returns the stored value checked, else the environment's (``smtp.*``), else the declared default;
no other module keeps a default of its own.

Every key is checked before it is stored in ``Organization.settings`` (a JSON object); an
unknown key or a bad value is refused and nothing changes. A stored value is checked again when
it is read (a value written by other means than :func:`set_setting` that does not pass is
refused, naming the key). ``smtp.*`` keys are stored under ``settings["smtp"]``; the environment
(``GVIA_SMTP_*``) is used for what they leave empty. Every change is audited (the SMTP password
is never written to the audit or shown; it is stored sealed, :mod:`gvia.services.sealed`).
"""

from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Iterable, Mapping

from django.db import transaction

from gvia.core.errors import FieldProblem, ValidationFailed
from gvia.core.escalation import SENDING_MODES
from gvia.core.money import normalize_currency
from gvia.services import audit, sealed
from gvia.services.context import Ctx
from gvia.store.models import Organization

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: The envelope layouts of :data:`gvia.documents.envelope.ENVELOPES`, and "auto".
ENVELOPES = ("auto", "din-left", "din-right", "us10")


class BadSetting(ValueError):
    """A setting's value that does not pass its check: ``str()`` the English (for logs and
    tests), ``code`` and ``params`` for the edges to word (``problem.<code>``)."""

    def __init__(self, message: str, code: str = "", **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def _problem(key: str, shown: str, exc: ValueError) -> FieldProblem:
    """A setting's problem, with the check's code when it has one (a date's own ValueError has none)."""
    return FieldProblem(None, key, shown, str(exc), code=getattr(exc, "code", ""),
                        params=getattr(exc, "params", {}))


def parse_hours(text: str) -> tuple[time, time]:
    """"09:00-17:00" -> (09:00, 17:00). Raises ValueError when malformed or empty."""
    start, sep, end = str(text).partition("-")
    try:
        if not sep:
            raise ValueError
        a, b = time.fromisoformat(start.strip().zfill(5)), time.fromisoformat(end.strip().zfill(5))
    except ValueError:
        raise BadSetting("sending hours look like 09:00-17:00", code="setting_hours") from None
    if not a < b:
        raise BadSetting("the sending hours must end after they start", code="setting_hours_order")
    return a, b


def parse_weekend(text: str) -> tuple[int, ...]:
    """"fri,sat" -> (4, 5). Raises ValueError for an unknown day name."""
    days = []
    for part in str(text).replace(" ", "").lower().split(","):
        if not part:
            continue
        if part[:3] not in WEEKDAYS:
            raise BadSetting(f"{part!r} is not a day of the week (mon, tue, … sun)", code="setting_weekday", day=part)
        days.append(WEEKDAYS.index(part[:3]))
    return tuple(sorted(set(days)))


def _int(lo: int, hi: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not re.fullmatch(r"\s*\d+\s*", text):
            raise BadSetting("a whole number is needed", code="setting_whole_number")
        n = int(text)
        if not lo <= n <= hi:
            raise BadSetting(f"must be between {lo} and {hi}", code="setting_between", low=str(lo), high=str(hi))
        return n
    return parse


def _choice(*options: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        v = text.strip().lower()
        if v not in options:
            raise BadSetting(f"must be one of: {', '.join(options)}", code="setting_one_of", choices=options)
        return v
    return parse


def _bool(text: str) -> bool:
    v = text.strip().lower()
    if v in ("true", "yes", "on", "1"):
        return True
    if v in ("false", "no", "off", "0"):
        return False
    raise BadSetting("must be true or false", code="setting_yes_no")


def _hours(text: str) -> str:
    a, b = parse_hours(text)
    return f"{a.strftime('%H:%M')}-{b.strftime('%H:%M')}"


def _clock_time(text: str) -> str:
    if not re.fullmatch(r"\d{1,2}:\d{2}", text.strip()):
        raise BadSetting("a time like 06:00 is needed", code="setting_time")
    return time.fromisoformat(text.strip().zfill(5)).strftime("%H:%M")


def _amount(text: str) -> str:
    try:
        d = Decimal(text.strip())
    except InvalidOperation:
        raise BadSetting("an amount like 1 or 0.50 is needed", code="setting_amount") from None
    if d < 0 or d > 1000:
        raise BadSetting("must be between 0 and 1000", code="setting_between", low="0", high="1000")
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
        raise BadSetting("at most three days off a week", code="setting_weekend_days")
    return ",".join(("mon", "tue", "wed", "thu", "fri", "sat", "sun")[d] for d in days)


def _text(max_len: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if len(text) > max_len:
            raise BadSetting(f"at most {max_len} characters", code="setting_too_long", most=str(max_len))
        return text.strip()
    return parse


def _email(text: str) -> str:
    v = text.strip()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v):
        raise BadSetting("an e-mail address is needed", code="setting_email")
    return v


def _host(text: str) -> str:
    v = text.strip()
    if not re.fullmatch(r"[A-Za-z0-9.\-:\[\]]+", v):
        raise BadSetting("a host name or address is needed", code="setting_host")
    return v


def _public_url(text: str) -> str:
    """The address people reach gvia at: http(s)://host[:port][/path], kept without a trailing slash."""
    v = text.strip().rstrip("/")
    if not re.fullmatch(r"https?://[A-Za-z0-9.\-]+(:\d{1,5})?(/[A-Za-z0-9._~\-/]*)?", v):
        raise BadSetting("a web address like https://gvia.example.com is needed", code="setting_public_url")
    return v


def _per_currency(text: str) -> dict[str, str]:
    """'ILS=500, USD=150' -> {"ILS": "500", "USD": "150"} (amounts checked, currencies known)."""

    out: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        code, eq, amount = part.partition("=")
        if not eq:
            raise BadSetting(f"write CURRENCY=AMOUNT, not {part.strip()!r}", code="setting_per_currency",
                             part=part.strip())
        out[normalize_currency(code.strip())] = _amount(amount.strip())
    if not out:
        raise BadSetting("give at least one CURRENCY=AMOUNT", code="setting_per_currency_none")
    return out


def _as_text(value: Any) -> str:
    """A stored value as it would be typed (what ``parse`` reads)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def _text_by_language(max_len: int) -> Callable[[Any], Any]:
    """The check of a stored text that may also be one text per language ({"he": …, "en": …})."""
    one = _text(max_len)

    def check(value: Any) -> Any:
        if isinstance(value, Mapping):
            return {str(lang): one(str(text)) for lang, text in value.items()}
        return one(_as_text(value))
    return check


def _sending_mode(value: Any) -> str:
    # "approve" is what the first versions stored for approve_all
    text = _as_text(value)
    return _choice(*SENDING_MODES)("approve_all" if text.strip().lower() == "approve" else text)


@dataclass(frozen=True)
class Setting:
    """One setting: ``parse`` checks a typed value and gives what is stored; ``check`` checks a
    stored value when it is read (by default ``parse`` of it as text); ``default`` is its value
    when neither it nor (``env``) the environment says otherwise."""

    key: str
    parse: Callable[[str], Any]
    default: Any
    help: str
    env: str = ""
    secret: bool = False
    check: Callable[[Any], Any] | None = None

    def checked(self, stored: Any) -> Any:
        if self.secret:
            return sealed.unseal(stored, f"the {self.help} ({self.key})")
        return self.check(stored) if self.check else self.parse(_as_text(stored))


SETTINGS: dict[str, Setting] = {s.key: s for s in (
    Setting("sending_mode", _choice(*SENDING_MODES), "approve_all",
            "off | approve_all (a person approves every message) | automatic (only stages marked approval)",
            check=_sending_mode),
    Setting("sending_hours", _hours, "09:00-17:00", "when messages may leave, local time: HH:MM-HH:MM"),
    Setting("daily_run_time", _clock_time, "06:00", "when the worker runs the daily run, local time: HH:MM"),
    Setting("stale_data_business_days", _int(0, 60), 3,
            "hold every stage when the last import of invoices or payments is older than this"),
    Setting("send_rate_per_minute", _int(0, 100000), 60, "messages per minute at most (0 = no limit)"),
    Setting("reply_pause_days", _int(0, 90), None,
            "days without automatic messages after a customer replies (empty: the policy's)"),
    Setting("portal_promise_max_days", _int(1, 365), 30,
            "a promise made on the customer's page up to this many days ahead is accepted at once"),
    Setting("portal_partial_promises", _bool, False,
            "a promise of part of the balance made on the customer's page is accepted at once"),
    Setting("portal_plans_automatic", _bool, False,
            "a payment plan asked for on the customer's page within the plan limits is agreed at once"),
    Setting("tolerance", _amount, "1", "open differences up to this many units are settled automatically"),
    # Bank statements matched (issue 18; core/matching.py). 88: the lowest confidence at which the
    # applied matches of make bench's labelled lines reach precision 0.99 on every generated set
    # (bench/bench_matching.py: 6,600 lines, precision 0.998, worst set 0.995, 66% applied alone).
    Setting("match_auto_apply", _int(0, 101), 88,
            "a bank line's match with at least this confidence (0-100) is applied without a person; 101: never"),
    Setting("match_fee_tolerance", _per_currency, {"ILS": "15", "USD": "30", "EUR": "30", "GBP": "25"},
            "a bank line may be short of the invoices it pays by the bank's charges, up to this much per currency"),
    Setting("match_fx_tolerance_percent", _amount, "2",
            "a line in another currency than the organization's may be short by this percent (conversion)"),
    Setting("warning_deadline_days", _int(1, 365), 14, "the payment deadline a warning letter gives"),
    Setting("deadline_business_days", _bool, False, "count the warning deadline in business days"),
    Setting("weekend", _weekend, None, "days off each week, e.g. fri,sat (empty: the country's)"),
    Setting("extra_holidays", _dates, [], "more days off: ISO dates separated by commas"),
    Setting("extra_workdays", _dates, [], "days worked despite the calendar: ISO dates separated by commas"),
    Setting("hebrew_date", _bool, None, "print the Hebrew date on letters (empty: for Hebrew letters)"),
    Setting("claim_basis", _text(500), "", "the written contract or undertaking a claim rests on (letters)",
            check=_text_by_language(500)),
    Setting("body_font", _text(100), "Heebo", "the letters' body font (a family the PDF renderer has)"),
    Setting("heading_font", _text(100), "Heebo", "the letters' heading font"),
    Setting("envelope", _choice(*ENVELOPES), "auto",
            "where the address goes for a window envelope: auto | din-left | din-right | us10"),
    Setting("promise_grace_days", _int(0, 60), 3, "days after a promised date before the promise counts as broken"),
    Setting("plan_grace_days", _int(0, 60), 7, "days an installment may be late before it counts as missed"),
    Setting("plan_default_after_missed", _int(1, 24), 2, "missed installments that end a payment plan"),
    Setting("plan_max_months", _int(1, 120), 6, "the longest payment plan a collector may agree alone"),
    Setting("plan_min_installment", _per_currency, {"ILS": "500"},
            "the smallest installment a collector may agree alone, per currency: ILS=500,USD=150"),
    Setting("plan_max_installments", _int(1, 360), None, "most installments a collector may agree alone"),
    Setting("quick_win_below", _per_currency, {"ILS": "1000", "USD": "300", "EUR": "300"},
            "the worklist's quick wins: one overdue invoice below this amount, per currency: ILS=1000,USD=300"),
    Setting("dispute_max_open_days", _int(1, 365), 14, "days a dispute may stay open before its owner is reminded"),
    Setting("limitation_warn_months", _int(1, 60), 6, "flag debts this many months before they become time-barred"),
    Setting("limitation_years", _int(1, 30), None, "limitation period in years (empty: the country's)"),
    Setting("owner_two_factor", _bool, False,
            "owners must sign in with a second factor (an authenticator app's code)"),
    Setting("public_url", _public_url, "http://127.0.0.1:8000",
            "the address customers reach gvia at: the customer page's links are built from it",
            env="GVIA_PUBLIC_URL"),
    Setting("portal_link_days", _int(1, 730), 90, "days a link to the customer's page opens it"),
    Setting("smtp.host", _host, "", "SMTP server (empty: the local mail catcher)", env="GVIA_SMTP_HOST"),
    Setting("smtp.port", _int(1, 65535), None, "SMTP port (default 25, 587 for starttls, 465 for ssl)",
            env="GVIA_SMTP_PORT"),
    Setting("smtp.user", _text(254), "", "SMTP user name", env="GVIA_SMTP_USER"),
    Setting("smtp.password", _text(500), "", "SMTP password", env="GVIA_SMTP_PASSWORD", secret=True),
    Setting("smtp.security", _choice("none", "starttls", "ssl"), "none", "none | starttls | ssl",
            env="GVIA_SMTP_SECURITY"),
    Setting("smtp.mail_from", _email, "", "the From address (default: the organization's e-mail)",
            env="GVIA_MAIL_FROM"),
    Setting("smtp.timeout", _int(1, 600), 30, "seconds to wait for the SMTP server"),
    # the reply mailbox read over IMAP (gvia.services.mailbox; `gvia mailbox set`): empty host, not read
    Setting("mailbox.host", _host, "", "IMAP server of the reply mailbox (empty: replies are not read)",
            env="GVIA_MAILBOX_HOST"),
    Setting("mailbox.port", _int(1, 65535), None, "IMAP port (default 993 for ssl, 143 otherwise)",
            env="GVIA_MAILBOX_PORT"),
    Setting("mailbox.user", _text(254), "", "the reply mailbox's user name", env="GVIA_MAILBOX_USER"),
    Setting("mailbox.password", _text(500), "", "the reply mailbox's password", env="GVIA_MAILBOX_PASSWORD",
            secret=True),
    Setting("mailbox.folder", _text(200), "INBOX", "the folder replies arrive in"),
    Setting("mailbox.security", _choice("ssl", "starttls", "none"), "ssl", "ssl | starttls | none",
            env="GVIA_MAILBOX_SECURITY"),
    Setting("mailbox.poll_minutes", _int(1, 1440), 5, "minutes between two readings of the reply mailbox"),
    # sync with the invoicing services (gvia.services.ledger.sync; `gvia sync`)
    Setting("sync.every_minutes", _int(5, 1440), 60, "minutes between two syncs with the invoicing service"),
    Setting("sync.max_age_hours", _int(1, 720), 24,
            "hours without a successful sync after which messages wait"),
    Setting("sync.since_days", _int(1, 3650), 365, "days back the first sync reads documents from"),
    # SMS and WhatsApp (gvia.services.sending.texts; `gvia sms set`): empty provider, no SMS
    Setting("sms.provider", _choice("", "019", "twilio"), "", "who sends SMS: 019 | twilio (empty: none)",
            env="GVIA_SMS_PROVIDER"),
    Setting("sms.019.username", _text(100), "", "019 account user name", env="GVIA_SMS_019_USERNAME"),
    Setting("sms.019.token", _text(500), "", "019 API token", env="GVIA_SMS_019_TOKEN", secret=True),
    Setting("sms.019.source", _text(11), "", "019 sender: up to 11 digits or English letters",
            env="GVIA_SMS_019_SOURCE"),
    Setting("sms.019.url", _text(300), "", "019 API address (empty: https://019sms.co.il/api)"),
    Setting("sms.twilio.account_sid", _text(100), "", "Twilio account SID", env="GVIA_TWILIO_ACCOUNT_SID"),
    Setting("sms.twilio.auth_token", _text(200), "", "Twilio auth token", env="GVIA_TWILIO_AUTH_TOKEN",
            secret=True),
    Setting("sms.twilio.from", _text(40), "", "Twilio sender number (E.164)", env="GVIA_TWILIO_FROM"),
    Setting("sms.twilio.url", _text(300), "", "Twilio API address (empty: https://api.twilio.com)"),
    Setting("whatsapp.phone_number_id", _text(100), "", "WhatsApp Cloud API phone number ID",
            env="GVIA_WHATSAPP_PHONE_NUMBER_ID"),
    Setting("whatsapp.token", _text(1000), "", "WhatsApp Cloud API access token", env="GVIA_WHATSAPP_TOKEN",
            secret=True),
    Setting("whatsapp.app_secret", _text(200), "", "the Meta app's secret (checks the webhook's signature)",
            env="GVIA_WHATSAPP_APP_SECRET", secret=True),
    Setting("whatsapp.verify_token", _text(200), "", "the webhook's verify token", env="GVIA_WHATSAPP_VERIFY_TOKEN",
            secret=True),
    Setting("whatsapp.template", _text(100), "gvia_payment_reminder",
            "the approved template: {{1}} the business, {{2}} the amount, {{3}} the customer's page"),
    Setting("whatsapp.url", _text(300), "", "Graph API address (empty: https://graph.facebook.com/v21.0)"),
    # who the creditor is, for the legal routes (gvia.services.legal.routes; issue 15)
    Setting("legal.creditor", _choice("unknown", "individual", "company"), "unknown",
            "the business as a claimant: individual (may file a small claim) | company | unknown"),
    Setting("legal.represented", _choice("unknown", "yes", "no"), "unknown",
            "whether a lawyer represents the business at the Execution Office: yes | no | unknown"),
)}


def _lookup(key: str) -> Setting:
    setting = SETTINGS.get(key)
    if setting is None:
        raise ValidationFailed([FieldProblem(None, "key", key, "unknown setting", code="setting_unknown",
                                             params={"choices": tuple(SETTINGS)})])
    return setting


def _stored(org: Organization, key: str) -> tuple[bool, Any]:
    """Whether ``key`` is set (an empty value is not) and its stored value."""
    cfg = org.settings or {}
    if key.startswith("smtp."):
        cfg = cfg.get("smtp") or {}
        key = key[5:]
    stored = cfg.get(key)
    return stored not in ("", None), stored


def is_set(org: Organization, key: str) -> bool:
    """Whether the organization set ``key`` itself (the environment and the default aside)."""
    return _stored(org, key)[0]


def _resolved(org: Organization, setting: Setting) -> tuple[Any, str]:
    """(the value in force, unchecked; where it comes from: set, environment or default)."""
    found, stored = _stored(org, setting.key)
    if found:
        return stored, "set"
    if setting.env and os.environ.get(setting.env):
        return os.environ[setting.env], "environment"
    return setting.default, "default"


def values(org: Organization, keys: Iterable[str]) -> dict[str, Any]:
    """The settings ``keys`` of ``org``: each one's stored value checked (:meth:`Setting.checked`),
    else the environment's (checked too), else its declared default. Raises ValidationFailed
    naming every key whose value does not pass."""
    out: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for key in keys:
        setting = SETTINGS[key]
        raw, source = _resolved(org, setting)
        if source == "default":
            out[key] = copy.deepcopy(setting.default)      # a caller's change never reaches the declaration
            continue
        try:
            out[key] = setting.checked(raw)
        except ValueError as exc:
            problems.append(_problem(key, "" if setting.secret else _as_text(raw), exc))
    if problems:
        told = "; ".join(f"{p.field}: {p.message}" for p in problems)
        raise ValidationFailed(problems, f"settings not valid: {told}", code="settings_not_valid")
    return out


def value(org: Organization, key: str) -> Any:
    """The setting ``key`` of ``org`` (see :func:`values`)."""
    return values(org, (key,))[key]


def show(ctx: Ctx, keys: Iterable[str] | None = None) -> list[dict]:
    """Every setting (or those ``keys``, in the declared order): its value, where it comes from
    (set, environment, default) and what it does."""
    ctx.require("viewer", "reading the settings")
    rows = []
    wanted = None if keys is None else set(keys)
    for key, s in SETTINGS.items():
        if wanted is not None and key not in wanted:
            continue
        shown, source = _resolved(ctx.org, s)
        if s.secret and shown:
            shown = "********"
        if isinstance(shown, (list, Mapping)):
            shown = _as_text(shown)
        rows.append({"key": key, "value": "" if shown is None else shown, "source": source, "help": s.help})
    return rows


@transaction.atomic
def set_setting(ctx: Ctx, key: str, value: str) -> Any:
    """Check and store one setting. Raises ValidationFailed (nothing changed) when wrong."""
    ctx.require("owner", "changing the settings")
    setting = _lookup(key)
    try:
        parsed = setting.parse(str(value))
    except ValueError as exc:
        raise ValidationFailed([_problem(key, "" if setting.secret else str(value), exc)]) from None
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
