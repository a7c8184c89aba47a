"""Shared set-up for the arrangement tests: the service fixtures (``ctx``, ``books``), the real
command's (``gvia``, ``gvia_org``), a collector, and a calendar that walks day by day: recompute
the ledger, check the arrangements, then the daily run - the order the daily run is to call them in."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from gvia.services.arrangements.daily import apply_arrangements
from gvia.services.context import resolve
from gvia.services.engine import approvals, daily_run
from gvia.services.ledger import books as ledger
from gvia.services.org.organizations import add_member
from gvia.services.sending.dispatch import dispatch_due
from gvia.store.models import Customer, OutboxMessage
from tests.cli import conftest as cli_fixtures
from tests.services import conftest as services_fixtures

books = services_fixtures.books      # the shared fixture, used here too (ctx is in tests/conftest.py)
gvia, gvia_org = cli_fixtures.gvia, cli_fixtures.gvia_org   # the real `gvia` command, as tests/cli runs it


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Users are made in every test here; hashing their passwords slowly tests nothing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def at(d: date) -> datetime:
    """09:00 in Israel on that day (07:00 UTC in winter)."""
    return datetime(d.year, d.month, d.day, 7, 0, tzinfo=timezone.utc)


class Days:
    def __init__(self, ctx):
        self.ctx = ctx

    def run(self, day: date):
        """One business day: ledger, arrangements, ladder, then a person approves the ladder's
        messages and the worker sends them (the next stage waits for the last one to go out).
        Returns (arrangement counts, run report). The daily run applies the arrangements itself;
        calling them first here only lets the test see their counts."""
        ledger.recompute(self.ctx, Customer.objects.filter(organization=self.ctx.org).values_list("id", flat=True))
        counts = apply_arrangements(self.ctx, day, at(day))
        report = daily_run.run(self.ctx, at(day))
        for msg in OutboxMessage.objects.filter(organization=self.ctx.org, status="awaiting_approval"
                                                ).exclude(stage_key=""):
            approvals.approve(self.ctx, msg.id, now=at(day))
        moment = at(day) + timedelta(hours=2)
        dispatch_due(lambda: moment, "test-worker")
        return counts, report


@pytest.fixture
def days(ctx) -> Days:
    return Days(ctx)


@pytest.fixture
def collector(ctx):
    add_member(ctx, "dana@gilboa.co.il", "Gvia-test-2026!", "collector")
    return resolve(None, "dana@gilboa.co.il")
