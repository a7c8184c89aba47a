"""Letters from the books say true things (issue 12), read from the rendered PDF: "despite our
earlier approaches" only after approaches that were recorded; the claim-basis sentence from the
customer's agreement, else the organization's, else left out; an English letter from a business
with a Hebrew name in its English name, address and signatory, with no Hebrew in its sentences;
a UK letter naming the statutory interest with the figures gvia.core.interest computes, for a
company and, in the letter of claim of the individuals' ladder, for a sole trader.

UK figures (hand-computed; letter of Mon 23/11/2026): invoice HB-1, £2,000.00, due 15/12/2025;
statutory interest runs from 16/12/2025 (July-December), so its rate is the Bank of England rate
in force on 30/06/2025, 4.25%, + 8% = 12.25%, fixed for the debt; 16/12/2025-23/11/2026 is
16 + 31 + 28 + 31 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 23 = 343 days: 2,000 x 12.25% x 343 / 365 =
230.2328... -> £230.23; a day adds 2,000 x 12.25% / 365 = 0.6712... -> £0.67; the fixed sum for a
debt of £1,000-£9,999.99 is £70.00 (s.5A). Total 2,000.00 + 230.23 + 70.00 = £2,300.23.
"""

from __future__ import annotations

from datetime import date

import pytest

from gvia.core.errors import ValidationFailed
from gvia.core.formatting import has_rtl
from gvia.core.interest import daily_interest
from gvia.documents import render
from gvia.documents.compose import Para, compose
from gvia.services.context import resolve
from gvia.services.engine import policies
from gvia.services.ledger import books as ledger
from gvia.services.legal import interest
from gvia.services.letters import content as letters
from gvia.services.org.organizations import init_organization
from gvia.services.sending.compose import compose_message
from gvia.store.models import Activity, Address
from tests.documents.pdftext import normalise
from tests.services.conftest import Books

from .conftest import AS_OF, at, message, text

pytestmark = pytest.mark.django_db

EARLIER = "על אף פניותינו הקודמות"


def test_despite_earlier_approaches_only_after_recorded_ones(ctx, shop):
    def warning(**kw) -> tuple[int, str]:
        lc = letters.letter_context(ctx, shop, "warning_letter", AS_OF, language="he", **kw)
        return lc.earlier_approaches, text(render(lc))

    n, got = warning()
    assert n == 0 and EARLIER not in got and "לפי הרישומים שלנו, החוב כלפי" in got
    # what does not count: a courtesy note before SH-1002 fell due (04/09), a message still queued,
    # one sent on the letter's own day, and the other copy of the letter's own stage
    message(ctx, shop, "courtesy", "email", status="sent", key="k1", sent_at=at(date(2026, 9, 1)))
    message(ctx, shop, "reminder", "email", key="k2")
    message(ctx, shop, "reminder", "sms", status="sent", key="k3", sent_at=at(AS_OF, 9))
    message(ctx, shop, "warning_letter", "email", status="sent", key="k4", sent_at=at(date(2026, 11, 20)),
            cycle=1, stage_key="warning")
    assert warning(stage=(1, "warning"))[0] == 0
    # what does: a reminder sent after the due date, and a call logged
    message(ctx, shop, "reminder", "email", status="sent", key="k5", sent_at=at(date(2026, 10, 1)))
    n, got = warning(stage=(1, "warning"))
    assert n == 1 and EARLIER in got
    Activity.objects.create(organization=ctx.org, customer=shop, kind=Activity.Kind.CALL, date=date(2026, 11, 2),
                            at=at(date(2026, 11, 2)), text="no answer")
    assert warning(stage=(1, "warning"))[0] == 2
    assert warning()[0] == 3                                        # a letter no stage sent: the copy counts


def test_the_claim_basis_is_the_customers_else_the_organizations_else_left_out(ctx, shop):
    org = ctx.org
    org.settings = {k: v for k, v in org.settings.items() if k != "claim_basis"}
    org.save()
    got = text(render(letters.letter_context(ctx, shop, "warning_letter", AS_OF, language="he")))
    assert "החוב נובע" not in got                                    # nothing known: nothing asserted
    with pytest.raises(ValidationFailed, match="claim_basis"):      # and the s.81A1 notice needs one
        render(letters.letter_context(ctx, shop, "warning_execution_office", AS_OF, language="he"))
    org.settings = {**org.settings, "claim_basis": "תעודות משלוח חתומות"}
    org.save()
    got = text(render(letters.letter_context(ctx, shop, "warning_letter", AS_OF, language="he")))
    assert "החוב נובע מהתחייבותכם על פי תעודות משלוח חתומות." in got
    shop.claim_basis = "הסכם המסגרת החתום מיום 01/03/2026"
    shop.save()
    got = text(render(letters.letter_context(ctx, shop, "warning_letter", AS_OF, language="he")))
    assert "החוב נובע מהתחייבותכם על פי הסכם המסגרת החתום מיום 01/03/2026." in got
    assert "תעודות משלוח" not in got
    # an English letter never quotes the Hebrew basis: left out
    got = text(render(letters.letter_context(ctx, shop, "warning_letter", AS_OF, language="en")))
    assert "The debt arises" not in got


def test_an_english_letter_from_a_hebrew_named_business(ctx, shop):
    org = ctx.org
    org.name, org.address = "גלבוע ציוד משרדי בע״מ", "רחוב הרצל 1\nתל אביב 6100000"
    org.name_en, org.address_en = "Gilboa Office Supplies Ltd", "1 Herzl St\nTel Aviv 6100000"
    org.signatory_name_en, org.signatory_title_en = "Ronit Cohen", "Accounts Manager"
    org.settings = {**org.settings, "claim_basis": {"he": "הזמנת עבודה חתומה", "en": "the signed work order"}}
    org.save()
    lc = letters.letter_context(ctx, shop, "warning_letter", AS_OF, language="en")
    got = text(render(lc))
    for english in ("Gilboa Office Supplies Ltd", "1 Herzl St, Tel Aviv 6100000", "Ronit Cohen", "Accounts Manager",
                    "the amount you owe Gilboa Office Supplies Ltd", "The debt arises under the signed work order.",
                    "please contact Ronit Cohen on 03-5550123"):
        assert english in got, english
    for hebrew in ("גלבוע", "רחוב הרצל", "רונית כהן", "מנהלת חשבונות", "הזמנת עבודה"):
        assert hebrew not in got, hebrew
    # no Hebrew in an English sentence but the customer's own name in the greeting ("Dear אבי לוי,")
    greeting, *rest = [b for b in compose(lc).blocks if isinstance(b, Para)]
    assert greeting.text.startswith("Dear ")
    for para in rest:
        assert not has_rtl(para.text), para.text
    # the Hebrew letter keeps the Hebrew details
    he = text(render(letters.letter_context(ctx, shop, "warning_letter", AS_OF, language="he")))
    assert "גלבוע ציוד משרדי בע״מ" in he and "רונית כהן" in he and "Gilboa Office Supplies Ltd" not in he


@pytest.fixture
def harbour(db):
    org = init_organization("Harbour Joinery Ltd", country="GB", admin_email="sarah@harbour-joinery.co.uk",
                            admin_password="Gvia-test-2026!", tax_id="09876543",
                            address="Unit 4, Quayside Works\nLeeds LS10 1JF",
                            phone="0113 496 0321", email="accounts@harbour-joinery.co.uk",
                            signatory_name="Sarah Price", signatory_title="Credit Controller")
    ctx = resolve(org.slug, "sarah@harbour-joinery.co.uk")
    interest.set_rule(ctx, {"method": "gb_late_payment"})
    return ctx, Books(ctx)


def _debtor(ctx, books, ref: str, kind: str):
    c = books.customer(ref, "Beacon Builders Ltd" if kind == "business" else "Sam Carter", kind=kind,
                       language="en", tax_id="11223344")
    Address.objects.create(customer=c, line1="2 Dock St", city="Hull", postal_code="HU1 1AA", country="GB")
    books.invoice(c, "HB-1", "2000.00", date(2025, 12, 15), date(2025, 11, 15), currency="GBP")
    ledger.recompute(ctx, [c.id])
    return c


ACT = ("As the law allows, we are claiming statutory interest under the Late Payment of Commercial Debts (Interest) "
       "Act 1998 at 12.25% a year (8% over the Bank of England base rate of 4.25%). It adds £0.67 for each day the "
       "debt remains unpaid. We are also claiming £70.00 in fixed sums under section 5A of the Act.")


def test_the_uk_letter_before_action_names_the_statutory_interest(harbour):
    ctx, books = harbour
    c = _debtor(ctx, books, "B-1", "business")
    lc = letters.letter_context(ctx, c, "warning_letter", AS_OF, language="en")
    result = interest.compute(ctx, c, AS_OF)
    assert lc.statutory is not None and lc.statutory.daily == daily_interest(result.breakdowns, "GBP")
    got = text(render(lc))
    assert ACT in got
    assert "| £230.23" in got and "Fixed compensation (Late Payment Act) | £70.00" in got
    assert "Total due | £2,300.23" in got
    assert "By signed-for post" in got and "delivery confirmation" not in got


def test_a_uk_sole_trader_gets_the_letter_of_claim_with_statutory_interest(harbour):
    """A sole trader is an individual for the Pre-Action Protocol (the individuals' ladder sends the
    letter of claim) and in business for the Late Payment Act (statutory interest is claimed)."""
    ctx, books = harbour
    c = _debtor(ctx, books, "S-1", "sole_trader")
    version, ladder = policies.policy_for_customer(ctx, c)
    [stage] = [s for s in ladder.stages if any(a.document == "letter_of_claim" for a in s.actions)]
    channel = next(a.channel for a in stage.actions if a.document == "letter_of_claim")
    msg = message(ctx, c, "letter_of_claim", channel, key="c:1:loc", stage_key=stage.key, cycle=1,
                  policy_version=version, language="en")
    composed = compose_message(msg, ctx.org, AS_OF)
    got = text(composed.pdf) if composed.pdf else text(composed.email.attachments[0].content)
    assert "We are writing to you under the Pre-Action Protocol for Debt Claims." in got
    assert "Dear Sam Carter," in got and ACT in got
    if composed.email:
        assert ACT in normalise(composed.email.text)
