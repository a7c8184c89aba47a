"""Seed a file database for the worker tests (run as a script in a subprocess):

    python tests/engine/seed.py DB_URL CUSTOMERS [RATE_PER_MINUTE [SENDING_MODE [run|norun]]]

Creates an Israeli organization sending automatically, CUSTOMERS customers each with one
invoice due Mon 2 Nov 2026, and runs the daily run on Mon 9 Nov 2026 at 08:00: one queued
reminder per customer. SMTP comes from the environment (GVIA_SMTP_HOST/PORT). Prints the
number of queued messages.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

NOW = datetime(2026, 11, 9, 8, 0, tzinfo=ZoneInfo("Asia/Jerusalem"))
DUE = date(2026, 11, 2)


def populate(customers: int, rate: int = 0, mode: str = "automatic", run: bool = True) -> int:
    """Build the business in the configured database; returns the queued messages."""
    from django.db import transaction

    from gvia.services.context import Ctx
    from gvia.services.engine import daily_run
    from gvia.services.org.organizations import init_organization
    from gvia.store.models import Customer, Invoice, OutboxMessage

    org = init_organization("Gilboa", country="IL", admin_email="owner@gilboa.co.il", admin_password="Gvia-test-2026!")
    org.settings.update({"sending_mode": mode, "send_rate_per_minute": rate})
    org.email = "billing@gilboa.co.il"
    org.save()
    with transaction.atomic():
        for i in range(customers):
            c = Customer.objects.create(organization=org, ref=f"C{i:04d}", name=f"לקוח {i}", language="he",
                                        email=f"c{i}@example.co.il")
            Invoice.objects.create(organization=org, customer=c, number=str(10000 + i), issue_date=DUE,
                                   due_date=DUE, amount_minor=125000, open_minor=125000, currency="ILS")
    if customers and run:
        daily_run.run(Ctx(org, None, "owner"), NOW)
    return OutboxMessage.objects.filter(status="queued").count()


def main(url: str, customers: int, rate: int = 0, mode: str = "automatic", run: str = "run") -> None:
    from gvia.cli.bootstrap import setup_django

    setup_django(url)
    print(populate(customers, rate, mode, run == "run"))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), *(int(a) if a.isdigit() else a for a in sys.argv[3:6]))
