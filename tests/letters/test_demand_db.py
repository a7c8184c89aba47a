"""A demand asks only for what is due on its date (issue 12): one customer with overdue and
not-yet-due invoices put through every document that demands money — the reminders, the warning
letters, the Execution Office notice, the letter of claim, the settlement offer and the statement
attached to them — as PDF and as e-mail body. Each demanded total, read from the extracted text,
is the core function's value (gvia.core.demand.demand over the same lines), interest a line of its
own; the invoice not yet due appears only apart ("list_apart") or not at all ("omit").

The books are conftest's bakery C-100 on Mon 23/11/2026: SH-1002 1,230.40 and SH-1003 12,000.00
overdue, SH-1004 760.00 due 01/12/2026. With contractual interest of 4% a year (set below) the
letters add it as a line of its own.
"""

from __future__ import annotations

from datetime import date

import pytest

from gvia.core.demand import demand
from gvia.core.errors import Refused
from gvia.core.formatting import format_money
from gvia.documents import render
from gvia.documents.emailbody import email_body
from gvia.services.arrangements import settlements
from gvia.services.engine import policies
from gvia.services.ledger import books as ledger
from gvia.services.legal.interest import set_rule
from gvia.services.letters import content as letters
from gvia.services.sending.compose import compose_message
from gvia.store.models import Customer
from tests.documents.pdftext import normalise

from .conftest import AS_OF, at, customer, letterhead, message, text

pytestmark = pytest.mark.django_db

DEMANDS = ("reminder", "second_reminder", "warning_letter", "warning_execution_office", "letter_of_claim")
TOTAL = {"he": "סה״כ לתשלום", "en": "Total due"}
APART = {"he": "טרם הגיע מועד תשלומן – אינן נדרשות במכתב זה", "en": "Not yet due — not demanded"}
BASIS = {"he": "הזמנת עבודה חתומה מיום 01/06/2026", "en": "the signed work order of 01/06/2026"}


@pytest.fixture
def charged(ctx, shop):
    """The bakery with 4% contractual interest and its written basis in both languages."""
    set_rule(ctx, {"method": "contractual", "percent": "4"})
    ctx.org.settings = {**ctx.org.settings, "claim_basis": BASIS}
    ctx.org.save()
    return shop


def expected_total(lc) -> str:
    """The demanded total as the core computes it from the letter's own lines."""
    d = demand(lc.invoices, lc.as_of, lc.not_yet_due, lc.extra_lines)
    [cur] = list(d.totals)
    return format_money(d.totals[cur], "he" if lc.language == "he" else "en-GB")


def check_apart(got: str, lang: str, mode: str) -> None:
    if mode == "list_apart":
        assert got.count("SH-1004") == 1 and got.index(APART[lang]) < got.index("SH-1004")
        assert "₪760.00" in got
    else:
        assert "SH-1004" not in got and APART[lang] not in got and "₪760.00" not in got


@pytest.mark.parametrize("mode", ["list_apart", "omit"])
@pytest.mark.parametrize("lang", ["he", "en"])
@pytest.mark.parametrize("document", DEMANDS)
def test_every_demand_asks_for_the_core_total_pdf_and_email(ctx, charged, document, lang, mode):
    lc = letters.letter_context(ctx, charged, document, AS_OF, language=lang, reference="C-100-1",
                                not_yet_due=mode)
    assert [x.kind for x in lc.extra_lines] == ["interest"]          # interest is a line of its own
    total = expected_total(lc)
    # the core: the two overdue invoices and the interest, never SH-1004
    d = demand(lc.invoices, AS_OF, mode, lc.extra_lines)
    assert [ln.number for ln in d.demanded] == ["SH-1002", "SH-1003"]
    assert d.totals["ILS"] == d.invoice_totals["ILS"] + lc.extra_lines[0].amount
    assert str(d.invoice_totals["ILS"].amount) == "13230.40" and total != "₪13,230.40"
    pdf = text(render(lc))
    body = normalise(email_body(lc).text)
    for got in (pdf, body):
        assert f"{TOTAL[lang]} | {total}" in got
        assert got.count(f"{TOTAL[lang]} |") == 1                    # one total: the demand's
        check_apart(got, lang, mode)
        assert "₪13,990.40" not in got and "₪14," not in got        # nothing not due is in a total
        # interest shown as its own line, the invoices at their own amounts
        assert "SH-1002 | 05/08/2026 | 04/09/2026 | ₪1,980.40 | ₪1,230.40 | 80" in got
        assert "SH-1003 | 10/09/2026 | 10/10/2026 | ₪12,000.00 | ₪12,000.00 | 44" in got


@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_courtesy_note_asks_past_due_apart_from_what_comes_due(ctx, charged, lang):
    lc = letters.letter_context(ctx, charged, "courtesy", AS_OF, language=lang)
    d = demand(lc.invoices, AS_OF, "list_apart", ())
    got = text(render(lc))
    assert f"{TOTAL[lang]} | {format_money(d.invoice_totals['ILS'], 'he')}" in got          # 13,230.40 past due
    assert f"{TOTAL[lang]} | {format_money(d.not_yet_due_totals['ILS'], 'he')}" in got      # 760.00 coming due


def test_the_stage_policy_decides_list_apart_or_omit(ctx, charged):
    """A message of a stage follows its policy's not_yet_due; its attached statement says what of
    the balance is due now (the core's figure) and what later."""
    text_ = policies.default_policy_text(ctx.org.country)
    omit = policies.save_policy(ctx, 'not_yet_due = "omit"\n' + text_, name="Omit", make_default=False)
    kw = dict(stage_key="warning_letter", cycle=1, attach=["statement"])
    apart_msg = message(ctx, charged, "warning_letter", "email", key="c:1:w:a", **kw)
    omit_msg = message(ctx, charged, "warning_letter", "email", key="c:2:w:o", policy_version=omit, **kw)
    apart_mail = compose_message(apart_msg, ctx.org, AS_OF).email
    omit_mail = compose_message(omit_msg, ctx.org, AS_OF).email
    lc = letters.letter_context(ctx, charged, "warning_letter", AS_OF, language="he")
    total = expected_total(lc)
    for mail, mode in ((apart_mail, "list_apart"), (omit_mail, "omit")):
        body, pdf = normalise(mail.text), text(mail.attachments[0].content)
        for got in (body, pdf):
            assert f"סה״כ לתשלום | {total}" in got
            check_apart(got, "he", mode)
        statement = text(mail.attachments[1].content)
        st = letters.statement_context(ctx, charged, AS_OF, "he")
        sd = st.demand
        due_now = format_money(sd.totals["ILS"], "he")
        assert sd.totals["ILS"] == demand(st.statement.open_items, AS_OF, "list_apart", st.extra_lines).totals["ILS"]
        assert f"מתוכה, {due_now} לתשלום עד 23/11/2026; ₪760.00 יגיעו לפירעון במועד מאוחר יותר" in statement
        assert due_now == total                                       # the letter and its statement agree


def test_gvia_letter_follows_the_customers_policy_else_lists_apart(ctx, charged):
    got = text(render(letters.letter_context(ctx, charged, "reminder", AS_OF, language="en")))
    check_apart(got, "en", "list_apart")                               # no policy yet: the default
    text_ = policies.default_policy_text(ctx.org.country)
    policies.save_policy(ctx, 'not_yet_due = "omit"\n' + text_, name="Omit", make_default=False)
    policies.assign(ctx, "C-100", "Omit")
    charged = Customer.objects.get(id=charged.id)
    got = text(render(letters.letter_context(ctx, charged, "reminder", AS_OF, language="en")))
    check_apart(got, "en", "omit")


def test_nothing_due_nothing_demanded(ctx, books):
    letterhead(ctx.org)
    c = customer(books, "C-300", "Later Ltd")
    books.invoice(c, "L-1", "500.00", date(2026, 12, 1), date(2026, 11, 1))
    ledger.recompute(ctx, [c.id])
    for document in DEMANDS:
        with pytest.raises(Refused, match="has no due"):
            letters.letter_context(ctx, c, document, AS_OF, language="he")
    # due on the letter's date is due: demanded
    got = text(render(letters.letter_context(ctx, c, "reminder", date(2026, 12, 1), language="en")))
    assert "Total due | ₪500.00" in got


@pytest.mark.parametrize("lang", ["he", "en"])
def test_a_settlement_offer_settles_only_what_is_due(ctx, charged, lang):
    offer = settlements.offer_settlement(ctx, "C-100", "12000.00", date(2026, 12, 15), now=at(AS_OF))
    lines = letters.open_invoice_lines(charged, AS_OF)
    due = demand(lines, AS_OF, "omit").invoice_totals["ILS"]
    assert offer.debt_minor == due.minor == 1323040
    got = text(letters.arrangement_pdf(ctx, "settlement", offer.id, lang))
    label = {"he": "החוב נכון ליום 23/11/2026", "en": "Debt as at 23/11/2026"}[lang]
    assert f"{label} | {format_money(due, 'he')}" in got
    assert f"{TOTAL[lang]} | {format_money(due, 'he')}" in got
    assert "SH-1004" not in got
