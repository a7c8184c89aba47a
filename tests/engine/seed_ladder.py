"""Seed a file database with one Israeli business and one large debtor, for the ladder walk
(run as a script in a subprocess, like :mod:`tests.engine.seed`):

    python tests/engine/seed_ladder.py DB_URL AMOUNT [complete|no_signatory]

The organization has every detail a warning letter prints (company number, address, phone,
e-mail, signatory) and sends automatically; customer C0001 (Hebrew, a company with its number,
an address and a signed agreement named as its claim basis) owes one invoice of AMOUNT shekels
due Mon 2 Nov 2026, with its allocation number (מספר הקצאה: a debt this size needs one, or the
case waits for it — gvia.core.allocation). ``no_signatory`` leaves the organization's signatory
out. Nothing is run.
"""

from __future__ import annotations

import sys
from datetime import date

DUE = date(2026, 11, 2)


def populate(amount: str, variant: str) -> None:
    from gvia.core.money import Money
    from gvia.services.org.organizations import init_organization
    from gvia.store.models import Address, Customer, Invoice

    org = init_organization("גלבוע שירותים בע״מ", country="IL", admin_email="owner@gilboa.co.il",
                            admin_password="Gvia-test-2026!", tax_id="514000001",
                            address="רחוב הרצל 1\nתל אביב 6100001", phone="03-5550000",
                            email="billing@gilboa.co.il",
                            signatory_name="" if variant == "no_signatory" else "דנה כהן")
    org.settings.update({"sending_mode": "automatic"})
    org.save()
    c = Customer.objects.create(organization=org, ref="C0001", name="חברת הבנייה הגדולה בע״מ", language="he",
                                email="ap@big-builder.co.il", kind="business", tax_id="515000002",
                                claim_basis="הסכם מסגרת לאספקת שירותים מיום 1.1.2026")
    Address.objects.create(customer=c, line1="דרך השלום 10", city="חיפה", postal_code="3100001")
    money = Money.of(amount, "ILS")
    Invoice.objects.create(organization=org, customer=c, number="INV-9001", issue_date=date(2026, 10, 3),
                           due_date=DUE, amount_minor=money.minor, open_minor=money.minor, currency="ILS",
                           allocation_number="412345678")


def main(url: str, amount: str, variant: str = "complete") -> None:
    from gvia.cli.bootstrap import setup_django

    setup_django(url)
    populate(amount, variant)
    print("ok")


if __name__ == "__main__":
    main(*sys.argv[1:4])
