"""Layout (issue 12), measured in the rendered PDF: the signature is never alone on a page (the
block before the closing, even the bank-details box, goes with it); a long proof string wraps
inside its table cell instead of running off the page; the running head of page 2 is not struck
through by its rule."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from gvia.documents import build_casefile, render
from gvia.documents.compose import compose
from gvia.documents.model import InvoiceLine, SentMessage
from gvia.documents.samples import ils, sample_casefile, sample_letter, sample_letter_of_claim

from .pdftext import _groups, normalise, pdf_pages

CLOSINGS = ("Kind regards,", "Yours sincerely,", "Yours faithfully,", "בברכה,", "בכבוד רב,")


def invoices(n: int) -> tuple[InvoiceLine, ...]:
    return tuple(InvoiceLine(number=f"INV-{i:04d}", issue_date=date(2026, 8, 1),
                             due_date=date(2026, 8, 31) + timedelta(days=i % 40),
                             original=ils("100.00"), open=ils("100.00")) for i in range(n))


def body_before_closing(ctx) -> tuple[int, str]:
    """The page the closing is on, and the body text above it on that page (running head left out)."""
    head = normalise(compose(ctx).running_head)
    for i, page in enumerate(pdf_pages(render(ctx))):
        at = min((page.find(c) for c in CLOSINGS if c in page), default=-1)
        if at >= 0:
            return i, page[:at].replace(head, "", 1).strip()
    raise AssertionError("no closing found")


@pytest.mark.parametrize("lang", ["he", "en"])
@pytest.mark.parametrize("document", ["reminder", "second_reminder", "courtesy"])
def test_the_signature_is_never_alone_on_a_page(document, lang):
    """Without a phone, an e-mail, a payment link or a portal the block before the closing is the
    bank-details box; with 9 to 16 invoices that box used to end page 1 and the closing and the
    signature went alone to page 2."""
    for n in range(9, 17):
        ctx = sample_letter(document, lang)
        lh = replace(ctx.letterhead, phone="", email="", payment_link="")
        ctx = replace(ctx, letterhead=lh, portal_url="", invoices=invoices(n),
                      as_of=date(2026, 8, 1) if document == "courtesy" else ctx.as_of)
        page, body = body_before_closing(ctx)
        assert page == 0 or len(body) > 60, (n, page, body)


def test_a_long_proof_string_wraps_inside_the_page():
    proof = ("250 2.0.0 OK 1731234567 <20261105093012.4F1C21A0B2C3D4E5F6A7B8C9D0E1F2@mail.galil-wood.co.il> "
             "queued-as=4F1C21A0B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6")
    ctx = sample_casefile("en")
    ctx = replace(ctx, messages=ctx.messages + (SentMessage(
        sent_at=date(2026, 11, 5), channel="email", document="warning_letter", subject="Letter before legal action",
        recipient="accounts-payable.department@alpha-tech-international.co.il", proof=proof),))
    pdf = build_casefile(ctx)
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        right = float(page.mediabox.width) - 20 / 25.4 * 72          # the right margin: 20 mm
        for g in _groups(page, reader):
            assert g.x1 <= right + 1, (g.text(), g.x1, right)
    text = normalise(" ".join(pdf_pages(pdf)))
    assert proof.replace(" <", " < ").replace("> ", "> ")[:20] in text          # still all there, in order
    assert "4F1C21A0B2C3D4E5F6A7B8C9D0E1F2@mail.galil-wood.co.il>" in text.replace(" ", "")


def _head_and_rule(pdf: bytes, page: int = 1) -> tuple[float, float, float]:
    """The running head's baseline and size, and the y of the rule under it (PDF points from
    the bottom), on a page after the first."""
    reader = PdfReader(io.BytesIO(pdf))
    ops = ContentStream(reader.pages[page].get_contents(), reader).operations
    stack, cm, size = [(0.0, 0.0)], (0.0, 0.0), 0.0
    head = rule = None
    moved: float | None = None
    for operands, op in ops:
        if op == b"q":
            stack.append(cm)
        elif op == b"Q":
            cm = stack.pop()
        elif op == b"cm":
            cm = (float(operands[4]), float(operands[5]))
        elif op == b"Tf":
            size = float(operands[1])
        elif op in (b"Tj", b"TJ") and head is None:
            head = (cm[1], size)
        elif op == b"m":
            moved = cm[1] - float(operands[1])
        elif op == b"l" and moved is not None and rule is None and head is not None:
            rule = moved
    assert head is not None and rule is not None
    return head[0], head[1], rule


@pytest.mark.parametrize("make", [lambda: sample_letter_of_claim("en"), lambda: sample_letter_of_claim("he")])
def test_the_page_2_rule_is_under_the_running_head(make):
    baseline, size, rule = _head_and_rule(render(make()))
    # below the baseline by more than the descenders (a fifth of the type size), not through the letters
    assert rule < baseline - size * 0.2, (baseline, size, rule)
