"""Seed a file database for the text crash tests (run as a script in a subprocess):

    python tests/texts/seed_texts.py DB_URL CUSTOMERS PROVIDER_URL

The Israeli organization of tests/engine/seed.py, its ladder's first reminder sent by SMS through
019 at PROVIDER_URL (a local fake), each customer with a mobile number: one queued SMS per
customer after the daily run of Mon 9 Nov 2026 at 08:00. Prints the number of queued messages."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main(url: str, customers: int, provider_url: str) -> None:
    from gvia.cli.bootstrap import setup_django

    setup_django(url)
    from django.contrib.auth import get_user_model

    from gvia.services.context import Ctx
    from gvia.services.engine import policies
    from gvia.services.sending import texts
    from gvia.store.models import Customer, Organization, OutboxMessage
    from tests.engine.seed import populate
    from tests.texts.conftest import ladder

    populate(customers, run=False)
    org = Organization.objects.get()
    ctx = Ctx(org, get_user_model().objects.get(email="owner@gilboa.co.il"), "owner")
    policies.save_policy(ctx, ladder(("sms",)), make_default=True)
    texts.set_provider(ctx, "019", {"username": "gilboa", "token": "tok-019", "source": "Gilboa",
                                    "url": provider_url})
    for i, c in enumerate(Customer.objects.order_by("id")):
        c.phone = f"052-765-{4000 + i:04d}"
        c.save(update_fields=["phone"])
    from gvia.services.engine import daily_run
    from tests.engine.seed import NOW

    daily_run.run(Ctx(org, None, "owner"), NOW)
    print(OutboxMessage.objects.filter(status="queued", channel="sms").count())


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
