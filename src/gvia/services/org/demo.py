"""The demo business: a realistic organization, its people and its books, loaded through the
same import services a real business uses (so the demo exercises the real path), then the daily
run of its day (:func:`gvia.services.engine.daily_run.run`), so that the worklist and the
outbox are full when a person first signs in."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

from django.db import transaction

from gvia.core.errors import RefusedFor
from gvia.demo import generate, write_csv
from gvia.services import clock
from gvia.services.context import Ctx
from gvia.services.engine import daily_run
from gvia.services.ledger import books as ledger
from gvia.services.ledger import imports
from gvia.services.org.organizations import add_member, init_organization
from gvia.store.models import Organization, Payment

DEMO_PASSWORD = "gvia-demo-2026"

PROFILES: dict[str, dict[str, Any]] = {
    "he": dict(name='גלבוע ציוד משרדי בע"מ', country="IL", currency="ILS", email="owner@gilboa-demo.co.il",
               collector="collector@gilboa-demo.co.il", viewer="viewer@gilboa-demo.co.il", tax_id="515123453",
               address="רחוב הברזל 32\nתל אביב-יפו 6971035", phone="03-6123456",
               bank=dict(bank_name="בנק הפועלים (12)", bank_branch="600", bank_account="123456",
                         bank_beneficiary='גלבוע ציוד משרדי בע"מ'),
               signatory=("דנה לוי", "מנהלת כספים"),
               # for its English letters (a Hebrew name never goes into an English sentence)
               english=dict(name_en="Gilboa Office Supplies Ltd", address_en="32 HaBarzel St\nTel Aviv-Yafo 6971035",
                            signatory_name_en="Dana Levi", signatory_title_en="Finance Manager")),
    "en": dict(name="Gilboa Office Supplies Ltd", country="GB", currency="GBP", email="owner@gilboa-demo.co.uk",
               collector="collector@gilboa-demo.co.uk", viewer="viewer@gilboa-demo.co.uk", tax_id="",
               address="32 Iron Street\nLondon EC1A 1BB", phone="+44 20 7946 0000",
               bank=dict(bank_name="Barclays", bank_sort_code="20-00-00", bank_account="12345678",
                         bank_beneficiary="Gilboa Office Supplies Ltd"),
               signatory=("Dana Levy", "Finance Manager"), english={}),
}


@dataclass
class DemoResult:
    org: Organization
    login: str
    password: str
    created: bool
    customers: int = 0
    invoices: int = 0
    payments: int = 0
    run: daily_run.RunReport | None = None      # the daily run of the demo's day


def load_demo(customers: int = 200, language: str = "he", seed: int = 1, as_of: date | None = None,
              progress: Callable | None = None) -> DemoResult:
    """Create the demo organization (once), import its customers, invoices and payments, and run
    the daily run of ``as_of`` (09:00 in the organization's time zone)."""
    if language not in PROFILES:
        raise RefusedFor("language_unknown", f"no demo in {language!r}", value=language, languages=("he", "en"))
    p = PROFILES[language]
    existing = Organization.objects.filter(name=p["name"]).first()
    if existing is not None:
        return DemoResult(existing, p["email"], DEMO_PASSWORD, created=False)
    as_of = as_of or date.today()
    currencies = (p["currency"], "USD", "EUR") if p["currency"] != "USD" else ("USD", "EUR")
    data = generate(customers, seed=seed, language=language, as_of=as_of, currencies=currencies)
    with transaction.atomic():
        org = init_organization(p["name"], country=p["country"], currency=p["currency"], language=language,
                                admin_email=p["email"], admin_password=DEMO_PASSWORD, tax_id=p["tax_id"],
                                address=p["address"], phone=p["phone"], email=p["email"].replace("owner", "billing"),
                                signatory_name=p["signatory"][0], signatory_title=p["signatory"][1],
                                **p["bank"], **p["english"])
        # What the business can say of every customer: their orders and its invoices. Nothing is
        # signed by all of them; the companies that signed a framework agreement have it on file
        # as their own claim basis (the customers file's column, gvia.demo.profiles).
        org.settings["claim_basis"] = {
            "he": "ההזמנות שביצעתם אצלנו והחשבוניות שהוצאו בגינן",
            "en": "the orders you placed with us and the invoices issued for them"}
        org.save(update_fields=["settings"])
        owner = Ctx(org, None, "owner")
        add_member(owner, p["collector"], DEMO_PASSWORD, "collector")
        add_member(owner, p["viewer"], DEMO_PASSWORD, "viewer")
        with tempfile.TemporaryDirectory(prefix="gvia-demo-") as tmp:
            files = write_csv(data, Path(tmp), open_amount=False)
            r1 = imports.import_file(owner, "customers", files["customers"], today=as_of, progress=progress)
            r2 = imports.import_file(owner, "invoices", files["invoices"], today=as_of, progress=progress)
            r3 = imports.import_file(owner, "payments", files["payments"], today=as_of, progress=progress)
        for number in data.bounced_cheques():
            pay = Payment.objects.filter(organization=org, cheque_number=number).first()
            if pay is not None and pay.status != Payment.Status.BOUNCED:
                ledger.bounce_cheque(owner, number, pay.customer.ref)
    report = daily_run.run(owner, clock.parse_now(org, as_of.isoformat()))
    return DemoResult(org, p["email"], DEMO_PASSWORD, created=True, customers=r1.rows, invoices=r2.rows,
                      payments=r3.rows, run=report)
