"""Settings defaults live in one place: the Setting declarations of gvia.services.settings. Every
reader asks settings.value/values and gets the stored value checked, else the declared default."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest

import gvia
from gvia.core.errors import ValidationFailed
from gvia.services import settings
from gvia.services.arrangements.limits import arrangement_settings
from gvia.services.engine.daily_run import run_settings
from gvia.services.engine.worker import daily_run_time
from gvia.services.ledger.books import tolerance_for
from gvia.services.letters.content import warning_deadline
from gvia.services.sending.mailconfig import smtp_settings
from gvia.services.sending.window import sending_hours, sending_mode

pytestmark = pytest.mark.django_db


def _default(monkeypatch, key: str, value) -> None:
    monkeypatch.setitem(settings.SETTINGS, key, dataclasses.replace(settings.SETTINGS[key], default=value))


def test_a_new_organization_stores_no_setting_and_reads_every_declared_default(ctx):
    assert ctx.org.settings == {}
    for key, declared in settings.SETTINGS.items():
        assert settings.value(ctx.org, key) == declared.default, key
    assert {r["source"] for r in settings.show(ctx)} == {"default"}


def test_the_readers_follow_the_declared_defaults(ctx, monkeypatch):
    org = ctx.org
    # as declared today
    assert tolerance_for(org)["ILS"] == Decimal("1")
    assert sending_hours(org) == (time(9), time(17))
    assert daily_run_time(org) == time(6)
    assert (arrangement_settings(org).promise_grace_days, arrangement_settings(org).plan_limits.max_months) == (3, 6)
    assert warning_deadline(org, date(2026, 11, 1))[1] == 14
    # a declaration changed: every reader follows it (none keeps a default of its own)
    for key, value in (("tolerance", "2.5"), ("sending_hours", "08:00-12:00"), ("daily_run_time", "05:30"),
                       ("promise_grace_days", 5), ("plan_max_months", 9), ("warning_deadline_days", 21),
                       ("stale_data_business_days", 4), ("sending_mode", "automatic"),
                       ("plan_min_installment", {"ILS": "750"}), ("smtp.timeout", 45)):
        _default(monkeypatch, key, value)
    assert tolerance_for(org)["USD"] == Decimal("2.5")
    assert sending_hours(org) == (time(8), time(12))
    assert daily_run_time(org) == time(5, 30)
    arrangements = arrangement_settings(org)
    assert (arrangements.promise_grace_days, arrangements.plan_limits.max_months) == (5, 9)
    assert str(arrangements.plan_limits.min_installment["ILS"]) == "750.00 ILS"
    assert warning_deadline(org, date(2026, 11, 1))[1] == 21
    run = run_settings(org, date(2026, 11, 1))
    assert (run.sending_mode, run.stale_after_business_days) == ("automatic", 4)
    assert sending_mode(org) == "automatic"
    org.settings = {"smtp": {"host": "smtp.example.com"}}
    assert smtp_settings(org).timeout == 45.0


def test_every_declared_default_passes_its_own_check():
    for key, declared in settings.SETTINGS.items():
        if declared.default not in (None, "") and not declared.secret:
            assert declared.checked(declared.default) == declared.default, key


def test_a_stored_value_is_checked_when_read(ctx):
    org = ctx.org
    org.settings = {"tolerance": "0.50", "weekend": "fri,sat", "hebrew_date": True, "sending_mode": "approve",
                    "claim_basis": {"he": "ההזמנה החתומה", "en": "the signed order"}, "smtp": {"port": "2525"}}
    assert settings.values(org, ("tolerance", "weekend", "hebrew_date", "sending_mode", "smtp.port")) == {
        "tolerance": "0.50", "weekend": "fri,sat", "hebrew_date": True, "sending_mode": "approve_all",
        "smtp.port": 2525}
    assert settings.value(org, "claim_basis") == {"he": "ההזמנה החתומה", "en": "the signed order"}
    org.settings = {"tolerance": "lots", "send_rate_per_minute": -3}
    with pytest.raises(ValidationFailed) as exc:
        settings.values(org, ("tolerance", "send_rate_per_minute", "sending_mode"))
    assert sorted(p.field for p in exc.value.problems) == ["send_rate_per_minute", "tolerance"]


def test_the_environment_fills_what_the_smtp_settings_leave_empty(ctx, monkeypatch):
    monkeypatch.setenv("GVIA_SMTP_HOST", "mail.example.com")
    monkeypatch.setenv("GVIA_SMTP_PORT", "2526")
    assert (settings.value(ctx.org, "smtp.host"), settings.value(ctx.org, "smtp.port")) == ("mail.example.com", 2526)
    assert smtp_settings(ctx.org).port == 2526
    ctx.org.settings = {"smtp": {"host": "own.example.com"}}
    assert smtp_settings(ctx.org).host == "own.example.com"


def test_the_envelopes_are_the_documents_own():
    from gvia.documents.envelope import ENVELOPES

    assert settings.ENVELOPES == ("auto", *ENVELOPES)


def test_no_module_reads_the_settings_around_the_accessor():
    src = Path(gvia.__file__).parent
    own = {src / "services" / "settings.py"}
    reads = re.compile(r"\.settings\s+or\s+\{\}|\.settings\.get\(|\bcfg\.get\(\"(?!smtp)")
    modules = [p for p in sorted(src.rglob("*.py")) if p not in own and "migrations" not in p.parts]
    found = [f"{p.relative_to(src)}:{n}" for p in modules
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1) if reads.search(line)]
    assert found == []
