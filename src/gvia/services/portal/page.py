"""What the customer's page shows (issue 16): the open invoices, what is due, how to pay.

:func:`page_of` gives a :class:`PortalPage` for a link (:mod:`.links`) on a day, in a language.
Every figure comes from the one place that computes it: the customer's open items from the
statement (:func:`gvia.services.ledger.books.statement`, the core's ledger allocation), what is
due now and what is not yet due from :func:`gvia.core.demand.demand` (due on or before the day;
its totals per currency), the bank details from the letters' own
(:func:`gvia.services.letters.content.bank_of`) and the payment reference of the customer's case
from :func:`gvia.services.letters.reference.customer_reference`. Nothing is added up here.

:func:`statement_pdf` is the statement of account the letters attach
(:func:`gvia.services.letters.content.statement_context`), in the customer's language when the
documents speak it, else the organization's; for a reader of Arabic or Russian the Hebrew original
followed by its courtesy translation (:func:`gvia.documents.courtesy.render_for_reader`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gvia import locale
from gvia.core.demand import Charge, Demand, demand
from gvia.core.money import Money
from gvia.documents.model import BankAccount
from gvia.services.context import Ctx
from gvia.services.ledger import books
from gvia.services.letters.content import bank_of, statement_context
from gvia.services.letters.reference import customer_reference
from gvia.store.models import Customer, Organization, PortalLink

__all__ = ["OpenInvoice", "PortalPage", "page_of", "statement_pdf", "organization_name", "document_language"]


@dataclass(frozen=True)
class OpenInvoice:
    """One open invoice as the page lists it."""

    id: int
    number: str
    issue_date: date
    due_date: date
    amount: Money
    open: Money
    days_overdue: int          # 0 when due today or later


@dataclass(frozen=True)
class PortalPage:
    organization: str          # its name in the page's language (the English one for other languages, when set)
    customer: str
    due: tuple[OpenInvoice, ...]           # due on or before today, oldest first
    not_yet_due: tuple[OpenInvoice, ...]
    due_totals: tuple[Money, ...]          # per currency
    not_yet_due_totals: tuple[Money, ...]
    bank: BankAccount | None
    reference: str
    payment_link: str
    phone: str
    email: str
    expires_on: date

    @property
    def anything_open(self) -> bool:
        return bool(self.due or self.not_yet_due)


def organization_name(org: Organization, lang: str) -> str:
    """The organization's name for a reader of ``lang``: its own name for Hebrew, its English name
    (when it has one) for the other languages."""
    return (lang != "he" and org.name_en.strip()) or org.name


def document_language(org: Organization, customer: Customer, lang: str) -> str:
    """The language of a document downloaded from the page: the page's when the documents speak it,
    else the customer's, else the organization's."""
    have = locale.languages("documents")
    for candidate in (lang, customer.language, org.default_language):
        if candidate in have:
            return candidate
    return locale.DEFAULT


def page_of(link: PortalLink, *, today: date, lang: str) -> PortalPage:
    """What the page of ``link``'s customer shows on ``today`` for a reader of ``lang``."""
    org, customer = link.organization, link.customer
    ctx = Ctx(org, None, "viewer")
    _, st = books.statement(ctx, customer.ref, today)
    rows = {it.invoice_id: OpenInvoice(id=it.invoice_id, number=it.number, issue_date=it.issue_date,
                                       due_date=it.due_date, amount=it.amount, open=it.open,
                                       days_overdue=max(0, (today - it.due_date).days))
            for it in st.open_items}
    d: Demand[OpenInvoice, Charge] = demand(list(rows.values()), today)
    return PortalPage(
        organization=organization_name(org, lang), customer=customer.name,
        due=d.demanded, not_yet_due=d.not_yet_due,
        due_totals=tuple(d.invoice_totals[c] for c in sorted(d.invoice_totals)),
        not_yet_due_totals=tuple(d.not_yet_due_totals[c] for c in sorted(d.not_yet_due_totals)),
        bank=bank_of(org), reference=customer_reference(customer), payment_link=org.payment_link,
        phone=org.phone, email=org.email, expires_on=link.expires_on)


def statement_pdf(link: PortalLink, *, today: date, lang: str) -> bytes:
    """The customer's statement of account on ``today`` as a PDF (see the module's docstring)."""
    from gvia.documents.courtesy import render_for_reader

    org, customer = link.organization, link.customer
    ctx = Ctx(org, None, "viewer")
    # a reader of Arabic or Russian: the Hebrew original, then its courtesy translation
    return render_for_reader(lambda language: statement_context(ctx, customer, today, language, portal_url=""),
                             document_language(org, customer, lang), org.default_language)   # no link: read on the page
