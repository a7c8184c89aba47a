"""`compose_message`: an outbox message becomes the e-mail (subject, text and HTML from the same
texts as the PDF) with its documents attached as PDFs under Hebrew file names; the deadline of
its policy stage; "by registered mail" only where the document goes so."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest

from gvia.documents.compose import Para, compose
from gvia.services.engine import policies
from gvia.services.letters import content as letters
from gvia.services.sending.compose import compose_message, message_contexts
from tests.documents.pdftext import normalise

from .conftest import AS_OF, message, text

pytestmark = pytest.mark.django_db

# the warning demands what is due on 23/11/2026: 13,230.40; SH-1004 (760.00, due 01/12) is listed apart
DEMAND = "הננו דורשים מכם לשלם את מלוא יתרת החוב, בסך ₪13,230.40, לא יאוחר מיום 07/12/2026 (14 ימים ממועד מכתב זה)."


def test_an_email_and_its_pdfs_say_the_same_things(ctx, shop):
    msg = message(ctx, shop, "warning_letter", "email", attach=["statement"])
    email = compose_message(msg, ctx.org, AS_OF).email
    assert email.subject == "התראה לפני נקיטת הליכים משפטיים – חוב בסך ₪13,230.40"
    assert email.to == ["avi@sharon-bakery.co.il"]
    assert [a.filename for a in email.attachments] == [
        "מכתב התראה C-100 2026-11-23.pdf", "דף חשבון C-100 2026-11-23.pdf"]
    assert all(a.mime_type == "application/pdf" and a.content.startswith(b"%PDF") for a in email.attachments)
    letter_pdf, statement_pdf = (text(a.content) for a in email.attachments)
    body, page = normalise(email.text), normalise(email.html)
    # every sentence of the letter is in the plain text, the HTML and the attached PDF
    lc = letters.letter_context(ctx, shop, "warning_letter", AS_OF, language="he", registered=False,
                                reference="C-100-1")   # the case reference: no cycle yet, the first
    for block in compose(lc).email_blocks:
        if isinstance(block, Para):
            sentence = normalise(block.text)
            assert sentence in body and sentence in letter_pdf, sentence
    assert DEMAND in body and DEMAND in letter_pdf and "₪13,230.40" in page
    assert "₪13,990.40" not in body and "₪13,990.40" not in letter_pdf
    for amount in ("₪1,230.40", "₪12,000.00", "₪760.00"):
        assert amount in body and amount in page and amount in letter_pdf
    # an e-mail is not registered mail, and says nothing of it
    assert "בדואר רשום" not in body and "בדואר רשום" not in letter_pdf
    assert "יתרת סגירה | ₪13,990.40" in statement_pdf
    assert "C-100-1" in letter_pdf


def test_the_email_copy_of_a_registered_letter_says_it_goes_registered(ctx, shop):
    mail = message(ctx, shop, "warning_letter", "email", stage_key="warning_letter", cycle=1, key="c:1:w:email")
    message(ctx, shop, "warning_letter", "registered_letter", stage_key="warning_letter", cycle=1,
            key="c:1:w:paper")
    email = compose_message(mail, ctx.org, AS_OF).email
    assert "בדואר רשום עם אישור מסירה" in text(email.attachments[0].content)


def test_a_paper_message_is_one_pdf_with_its_attachments(ctx, shop):
    msg = message(ctx, shop, "reminder", "letter", attach=["statement"])
    pdf = compose_message(msg, ctx.org, AS_OF).pdf
    got = text(pdf)
    assert "סה״כ לתשלום | ₪13,230.40" in got and "יתרת סגירה | ₪13,990.40" in got


def test_the_deadline_is_the_policy_stages(ctx, shop):
    base = resources.files("gvia.policies").joinpath("il.toml").read_text(encoding="utf-8")
    assert "deadline_days = 14" in base
    version = policies.save_policy(ctx, base.replace("deadline_days = 14", "deadline_days = 21"), name="Longer")
    msg = message(ctx, shop, "warning_letter", "email", stage_key="warning_letter", cycle=1, key="c:1:w",
                  policy_version=version)
    [lc, *_] = message_contexts(ctx, msg, shop, AS_OF)
    # 23/11/2026 + 21 days = Mon 14/12/2026
    assert (lc.deadline, lc.deadline_days, lc.business_days) == (date(2026, 12, 14), 21, False)
    assert "לא יאוחר מיום 14/12/2026 (21 ימים ממועד מכתב זה)" in normalise(
        compose_message(msg, ctx.org, AS_OF).email.text)
