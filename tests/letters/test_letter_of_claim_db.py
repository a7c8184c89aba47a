"""The UK letter of claim from the database of a UK business (GBP, en-GB), under the shipped
consumer ladder (Pre-Action Protocol for Debt Claims: 30 days to reply).

Customer C-1, Daniel Cohen, a consumer (hand-computed; letter of Mon 23/11/2026; contractual
interest 8% a year, simple, 365 days, from the day after the due date, a payment counting from
the day after it):

    HJ-1001  issued 01/07/2026 due 31/07/2026  1,250.00 open
             interest 1 Aug-23 Nov, 115 days: 1,250 x 8% x 115/365 = 31.5068... -> 31.51
    HJ-1019  issued 12/08/2026 due 11/09/2026    840.00, paid 420.00 on 01/10/2026 -> open 420.00
             12 Sep-1 Oct, 20 days on 840: 3.6821...; 2 Oct-23 Nov, 53 days on 420: 4.8789...;
             8.5610... -> 8.56
    total 1,250.00 + 420.00 + 31.51 + 8.56 = 1,710.07; reply by 23/11 + 30 days = Wed 23/12/2026
"""

from __future__ import annotations

from datetime import date

import pytest

from gvia.documents import render
from gvia.services.context import resolve
from gvia.services.engine import policies
from gvia.services.ledger import books as ledger
from gvia.services.legal import interest
from gvia.services.letters import content as letters
from gvia.services.org.organizations import init_organization
from gvia.services.sending.compose import compose_message
from gvia.store.models import Address, Invoice
from tests.documents.pdftext import normalise, pdf_pages
from tests.services.conftest import Books

from .conftest import AS_OF, message, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def uk(db):
    org = init_organization("Harbour Joinery Ltd", country="GB", admin_email="sarah@harbour-joinery.co.uk",
                            admin_password="Gvia-test-2026!", tax_id="09876543",
                            address="Unit 4, Quayside Works\nLeeds LS10 1JF",
                            phone="0113 496 0321", email="accounts@harbour-joinery.co.uk",
                            signatory_name="Sarah Price", signatory_title="Credit Controller",
                            bank_details="Bank: Barclays Bank\nSort code: 20-32-06\nAccount number: 43218765")
    ctx = resolve(org.slug, "sarah@harbour-joinery.co.uk")
    books = Books(ctx)
    c = books.customer("C-1", "Daniel Cohen", kind="consumer", language="en", email="dan.cohen@example.co.uk")
    Address.objects.create(customer=c, line1="14 Elm Grove", city="Harrogate", postal_code="HG1 2AB", country="GB")
    books.invoice(c, "HJ-1001", "1250.00", date(2026, 7, 31), date(2026, 7, 1), currency="GBP")
    inv = books.invoice(c, "HJ-1019", "840.00", date(2026, 9, 11), date(2026, 8, 12), currency="GBP")
    books.payment(c, "420.00", date(2026, 10, 1), currency="GBP", invoice=inv)
    ledger.recompute(ctx, [c.id])
    interest.set_rule(ctx, {"method": "contractual", "percent": "8"})
    return ctx, c


def test_the_letter_of_claim_from_the_books(uk):
    ctx, c = uk
    lc = letters.letter_context(ctx, c, "letter_of_claim", AS_OF, language="en", reference="C-1-7")
    assert (lc.deadline, lc.registered_mail, lc.claim_basis) == (date(2026, 12, 23), False, "")
    pdf = render(lc)
    got = text(pdf)
    for element in (
            "Daniel Cohen 14 Elm Grove Harrogate HG1 2AB", "Dear Daniel Cohen,",
            "We are writing to you under the Pre-Action Protocol for Debt Claims.",
            "HJ-1001 | 01/07/2026 | 31/07/2026 | £1,250.00 | £1,250.00 | 115",
            "HJ-1019 | 12/08/2026 | 11/09/2026 | £840.00 | £420.00 | 73",
            "(on invoice(s) HJ-1001, HJ-1019, to 23/11/2026) | £40.07", "Total due | £1,710.07",
            "It continues to be added to the unpaid balance",
            "Please reply within 30 days of the date of this letter, that is by 23/12/2026.",
            "send it to us at Unit 4, Quayside Works, Leeds LS10 1JF, or by e-mail to accounts@harbour-joinery.co.uk.",
            "If you agree that you owe the debt, please pay £1,710.07 by 23/12/2026.",
            "Sort code | 20-32-06", "Account number | 43218765", "Payment reference | C-1-7",
            "The debt is for the goods or services we supplied to you",
            "Company no. 09876543", "Sarah Price Credit Controller Harbour Joinery Ltd"):
        assert element in got, element
    pages = pdf_pages(pdf)
    assert any("Information Sheet With the letter of claim dated 23/11/2026" in p for p in pages)
    assert any("Reply Form With the letter of claim dated 23/11/2026" in p for p in pages)
    assert any("Financial Statement With the letter of claim dated 23/11/2026" in p for p in pages)
    assert "I agree that I owe the whole debt of £1,710.07." in got


def test_a_signed_agreement_on_file_is_named_as_the_basis(uk):
    from .conftest import upload

    ctx, c = uk
    doc = upload(ctx, c, "agreement", "kitchen contract.pdf")
    lc = letters.letter_context(ctx, c, "letter_of_claim", AS_OF, language="en")
    day = doc.created_at.date().strftime("%d/%m/%Y")
    assert lc.claim_basis == f'the signed agreement "kitchen contract" (on file since {day})'
    assert f'The debt arises under the signed agreement "kitchen contract" (on file since {day}), between you ' \
           "and Harbour Joinery Ltd." in text(render(lc))


def test_the_hebrew_letter_of_claim(uk):
    ctx, c = uk
    got = text(render(letters.letter_context(ctx, c, "letter_of_claim", AS_OF, language="he")))
    assert "נבקש את תשובתכם בתוך 30 ימים מתאריך מכתב זה, כלומר עד 23/12/2026." in got
    assert "סה״כ לתשלום | £1,710.07" in got
    assert "HJ-1019 | 12/08/2026 | 11/09/2026 | £840.00 | £420.00 | 73" in got
    assert "נוסח באנגלית של מכתב זה ושל נספחיו יישלח אליכם לפי בקשה." in got


def test_sent_by_the_consumer_ladder_by_email_and_registered_post(uk):
    ctx, c = uk
    version = policies.ensure_consumer_policy(ctx)
    kw = dict(stage_key="letter_of_claim", cycle=1, policy_version=version, language="en", attach=["statement"])
    mail = message(ctx, c, "letter_of_claim", "email", key="c:1:loc:email", **kw)
    paper = message(ctx, c, "letter_of_claim", "registered_letter", key="c:1:loc:paper", **kw)
    email = compose_message(mail, ctx.org, AS_OF).email
    assert email.subject == "Letter of claim: £1,710.07 owed to Harbour Joinery Ltd"
    assert [a.filename for a in email.attachments] == ["Letter of claim C-1 2026-11-23.pdf",
                                                        "Statement of account C-1 2026-11-23.pdf"]
    body = normalise(email.text)
    assert "Please reply within 30 days of the date of this letter, that is by 23/12/2026." in body
    assert "Wages or salary" not in body                      # the forms travel in the PDF only
    attached = text(email.attachments[0].content)
    assert "Wages or salary, after tax" in attached and "National Debtline | 0808 808 4000" in attached
    # the stage sends it by registered post as well, so both say so, as UK post calls it (issue 12:
    # "signed-for", not the Israeli "registered mail with delivery confirmation")
    assert "By signed-for post" in attached and "delivery confirmation" not in attached
    letter = text(compose_message(paper, ctx.org, AS_OF).pdf)
    assert "By signed-for post" in letter and "delivery confirmation" not in letter
    assert "Closing balance | £1,670.00" in letter          # the statement goes in the same envelope
    assert Invoice.objects.filter(customer=c).count() == 2
