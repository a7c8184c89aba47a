"""A small Israeli business in the database for the letter tests: its letterhead, one customer
with a partly paid invoice, and helpers to read what the services render.

The books of customer C-100, "מאפיית השרון בע״מ" (hand-computed; the letters are dated
Mon 23 November 2026):

    SH-1001  issued 01/07/2026  due 31/07/2026   4,250.00
    SH-1002  issued 05/08/2026  due 04/09/2026   1,980.40
    SH-1003  issued 10/09/2026  due 10/10/2026  12,000.00
    SH-1004  issued 01/11/2026  due 01/12/2026     760.00   (not due yet)
    payment 15/10/2026, 5,000.00, oldest first: SH-1001 4,250.00 (paid), SH-1002 750.00

    open: SH-1002 1,980.40 - 750.00 = 1,230.40; SH-1003 12,000.00; SH-1004 760.00
    overdue on 23/11/2026: 1,230.40 + 12,000.00 = 13,230.40 (SH-1002 80 days, SH-1003 44 days)
    all open: 13,230.40 + 760.00 = 13,990.40
"""

from __future__ import annotations

import io
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from gvia.services.ledger import books as ledger
from gvia.store.models import Address, Contact, Customer, OutboxMessage
from tests.documents.pdftext import pdf_text
from tests.services import conftest as services_fixtures
from tests.services.conftest import Books

books = services_fixtures.books      # the shared fixture, used here too (ctx is in tests/conftest.py)

AS_OF = date(2026, 11, 23)
IL = ZoneInfo("Asia/Jerusalem")
NAME = "מאפיית השרון בע״מ"


def at(d: date, hour: int = 10) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=IL).astimezone(timezone.utc)


def letterhead(org) -> None:
    """Everything a formal letter needs from the organization."""
    org.tax_id = "514567899"
    org.address = "רחוב הרצל 1\nתל אביב 6100000"
    org.phone = "03-5550123"
    org.email = "billing@gilboa.co.il"
    org.signatory_name = "רונית כהן"
    org.signatory_title = "מנהלת חשבונות"
    org.payment_link = "https://pay.gilboa.co.il/x1"
    org.bank_details = "בנק: לאומי (10)\nסניף: 800\nחשבון: 12345678"
    org.settings = {**(org.settings or {}), "claim_basis": "הזמנת עבודה חתומה מיום 01/06/2026"}
    org.save()


def customer(books: Books, ref: str = "C-100", name: str = NAME, **kw) -> Customer:
    c = books.customer(ref, name, tax_id=kw.pop("tax_id", "515000115"), language=kw.pop("language", "he"), **kw)
    Address.objects.create(customer=c, line1="רחוב הגפן 7", city="כפר סבא", postal_code="4410001")
    Contact.objects.create(customer=c, name="אבי לוי", email="avi@sharon-bakery.co.il", is_billing=True)
    return c


def bakery(ctx, books: Books) -> Customer:
    """The customer C-100 of the module doc, its ledger brought up to date."""
    letterhead(ctx.org)
    c = customer(books)
    books.invoice(c, "SH-1001", "4250.00", date(2026, 7, 31), date(2026, 7, 1))
    books.invoice(c, "SH-1002", "1980.40", date(2026, 9, 4), date(2026, 8, 5))
    books.invoice(c, "SH-1003", "12000.00", date(2026, 10, 10), date(2026, 9, 10))
    books.invoice(c, "SH-1004", "760.00", date(2026, 12, 1), date(2026, 11, 1))
    books.payment(c, "5000.00", date(2026, 10, 15))
    ledger.recompute(ctx, [c.id])
    return c


def message(ctx, c: Customer, document: str, channel: str, *, status: str = "queued", key: str = "",
            attach: list[str] | None = None, language: str = "he", planned: date = AS_OF,
            **kw) -> OutboxMessage:
    return OutboxMessage.objects.create(
        organization=ctx.org, customer=c, idempotency_key=key or f"manual:{c.ref}:{document}:{channel}",
        channel=channel, document=document, attach=attach or [], language=language, status=status,
        planned_for=planned, **kw)


def text(pdf: bytes) -> str:
    return pdf_text(pdf)


def a_pdf() -> bytes:
    """A small real PDF to attach (a scanned agreement stands in)."""
    import typst

    return typst.compile(b"#set page(width: 100mm, height: 60mm)\nSigned agreement", format="pdf")


def upload(ctx, c: Customer, kind: str, name: str, data: bytes | None = None, invoice=None):
    from gvia.services.files import upload_document

    return upload_document(ctx, c, kind, io.BytesIO(data or a_pdf()), name, "application/pdf", invoice)


@pytest.fixture
def shop(ctx, books):
    return bakery(ctx, books)
