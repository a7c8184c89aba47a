"""Sample data for previews (``gvia letter --document payment_plan --preview``) and tests.

A woodworking business in Karmiel writes to a Tel Aviv customer whose name mixes Hebrew
and English; the English samples use the same figures. All amounts are hand-checked:
open invoices 12,345.67 + 2,340.00 + 980.50 = 15,666.17 ILS; with interest 215.40 and a
fee 150.00 the warning letter's total is 16,031.57 ILS.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from gvia.core.money import Money, Totals
from gvia.core.statement import Statement, StatementLine

from .model import (
    BankAccount,
    CallRecord,
    CaseFileContext,
    Debtor,
    ExtraLine,
    Installment,
    InvoiceLine,
    LetterContext,
    Letterhead,
    PlanContext,
    PromiseRecord,
    SentMessage,
    SettlementContext,
    StatementContext,
)

AS_OF = date(2026, 11, 23)


def ils(x: str) -> Money:
    return Money.of(x, "ILS")


def sample_letterhead(language: str = "he", **changes) -> Letterhead:
    he = language == "he"
    base: dict[str, Any] = dict(
        name="נגרות הגליל בע״מ" if he else "Galil Woodworks Ltd",
        tax_id="514789632",
        address_lines=("רחוב התעשייה 12", "כרמיאל 2161002") if he
        else ("12 HaTaasiya St", "Karmiel 2161002, Israel"),
        phone="04-9981234",
        email="billing@galil-wood.co.il",
        website="www.galil-wood.co.il",
        bank=BankAccount(bank="בנק הפועלים (12)" if he else "Bank Hapoalim (12)",
                         branch="612", account="345678",
                         beneficiary="נגרות הגליל בע״מ" if he else "Galil Woodworks Ltd",
                         iban="IL620126120000000345678"),
        payment_link="https://pay.galil-wood.co.il/p/7F3K",
        signatory_name="דנה לוי" if he else "Dana Levi",
        signatory_title="מנהלת כספים" if he else "Finance Manager",
        accent="#1f4e79",
        locale="he",
    )
    base.update(changes)
    return Letterhead(**base)


def sample_debtor(language: str = "he", **changes) -> Debtor:
    he = language == "he"
    base: dict[str, Any] = dict(
        name="אלפא Tech בע״מ" if he else "Alpha Tech Ltd",
        tax_id="515432109",
        address_lines=("שדרות רוטשילד 45", "תל אביב-יפו 6578403") if he
        else ("45 Rothschild Blvd", "Tel Aviv-Yafo 6578403, Israel"),
        contact_person="יוסי כהן" if he else "Yossi Cohen",
        email="yossi@alpha-tech.co.il",
        customer_ref="C-1042",
    )
    base.update(changes)
    return Debtor(**base)


def sample_invoices() -> tuple[InvoiceLine, ...]:
    return (
        InvoiceLine(number="INV-2026-0042", issue_date=date(2026, 8, 1),
                    due_date=date(2026, 8, 31), original=ils("12345.67"), open=ils("12345.67")),
        InvoiceLine(number="INV-2026-0057", issue_date=date(2026, 9, 3),
                    due_date=date(2026, 10, 3), original=ils("4680.00"), open=ils("2340.00")),
        InvoiceLine(number="INV-2026-0061", issue_date=date(2026, 9, 20),
                    due_date=date(2026, 10, 20), original=ils("980.50"), open=ils("980.50")),
    )


def sample_extra_lines(language: str = "he") -> tuple[ExtraLine, ...]:
    return (
        ExtraLine(kind="interest", amount=ils("215.40"),
                  detail="לפי חוק פסיקת ריבית והצמדה" if language == "he"
                  else "statutory rate"),
        ExtraLine(kind="fee", amount=ils("150.00")),
    )


def sample_letter(document: str = "reminder", language: str = "he", **changes) -> LetterContext:
    """A letter of any of the letter documents, with sensible dates for it (the letter of
    claim is a UK business's: :func:`sample_letter_of_claim`)."""
    if document == "letter_of_claim":
        return sample_letter_of_claim(language, **changes)
    invoices = sample_invoices()
    base: dict = dict(document=document, language=language, as_of=AS_OF,
                      letterhead=sample_letterhead(language), debtor=sample_debtor(language),
                      invoices=invoices, reference="L-2026-00042",
                      portal_url="https://portal.galil-wood.co.il/c/a1b2c3")
    if document == "courtesy":
        base.update(as_of=date(2026, 8, 24))
    elif document in ("reminder", "second_reminder"):
        base.update(deadline=date(2026, 12, 7))
    elif document == "warning_letter":
        base.update(deadline=date(2026, 12, 13), deadline_days=14, business_days=True,
                    extra_lines=sample_extra_lines(language), registered_mail=True,
                    hebrew_date=language == "he")
    elif document == "debt_notice":     # to a consumer: a person, with a personal ID (ת.ז.)
        base.update(debtor=sample_debtor(language, name="דנה כהן" if language == "he" else "Dana Cohen",
                                         kind="consumer", tax_id="123456782", contact_person=""))
    elif document == "warning_execution_office":
        base.update(deadline=date(2026, 12, 23), registered_mail=True,
                    hebrew_date=language == "he",
                    claim_basis="הסכם ההתקשרות מיום 01/03/2026" if language == "he"
                    else "the supply agreement of 1 March 2026")
    base.update(changes)
    return LetterContext(**base)


def gbp(x: str) -> Money:
    return Money.of(x, "GBP")


def uk_letterhead(**changes) -> Letterhead:
    """A joinery in Leeds (the UK samples; phone numbers from Ofcom's range for drama)."""
    base: dict[str, Any] = dict(
        name="Harbour Joinery Ltd", tax_id="09876543",
        address_lines=("Unit 4, Quayside Works", "Leeds LS10 1JF"),
        phone="0113 496 0321", email="accounts@harbour-joinery.co.uk",
        bank=BankAccount(bank="Barclays Bank", beneficiary="Harbour Joinery Ltd",
                         sort_code="20-32-06", account="43218765"),
        payment_link="https://pay.harbour-joinery.co.uk/i/9QX2",
        signatory_name="Sarah Price", signatory_title="Credit Controller",
        accent="#2d5f3f", locale="en-GB")
    base.update(changes)
    return Letterhead(**base)


def uk_debtor(language: str = "en", **changes) -> Debtor:
    """A consumer in Harrogate (a person: no company number)."""
    base: dict[str, Any] = dict(name="דניאל כהן" if language == "he" else "Daniel Cohen", kind="consumer",
                address_lines=("14 Elm Grove", "Harrogate HG1 2AB"),
                email="dan.cohen@example.co.uk", customer_ref="C-2210")
    base.update(changes)
    return Debtor(**base)


def uk_invoices() -> tuple[InvoiceLine, ...]:
    """1,250.00 open, and 840.00 of which 420.00 is still open: 1,670.00 GBP."""
    return (
        InvoiceLine(number="HJ-1001", issue_date=date(2026, 7, 1), due_date=date(2026, 7, 31),
                    original=gbp("1250.00"), open=gbp("1250.00")),
        InvoiceLine(number="HJ-1019", issue_date=date(2026, 8, 12), due_date=date(2026, 9, 11),
                    original=gbp("840.00"), open=gbp("420.00")),
    )


def sample_letter_of_claim(language: str = "en", **changes) -> LetterContext:
    """The UK letter of claim: 1,670.00 + interest 38.64 = 1,708.64 GBP, reply by
    23/12/2026 (30 days after 23/11/2026)."""
    he = language == "he"
    base: dict = dict(
        document="letter_of_claim", language=language, as_of=AS_OF, letterhead=uk_letterhead(),
        debtor=uk_debtor(language), invoices=uk_invoices(),
        extra_lines=(ExtraLine(kind="interest", amount=gbp("38.64"),
                               detail="8% לשנה" if he else "8% a year"),),
        deadline=date(2026, 12, 23), reference="LOC-2026-0007",
        claim_basis="ההסכם מיום 03/06/2026 להתקנת מטבח" if he
        else "the agreement of 3 June 2026 for fitting a kitchen")
    base.update(changes)
    return LetterContext(**base)


def sample_statement(language: str = "he", **changes) -> StatementContext:
    """Invoices 0042, 0057, 0061 and one payment of 2,340.00 against 0057."""
    lines = [
        StatementLine(date(2026, 8, 1), "invoice", "INV-2026-0042", "", "ILS",
                      ils("12345.67"), None, ils("12345.67")),
        StatementLine(date(2026, 9, 3), "invoice", "INV-2026-0057", "", "ILS",
                      ils("4680.00"), None, ils("17025.67")),
        StatementLine(date(2026, 9, 20), "invoice", "INV-2026-0061", "", "ILS",
                      ils("980.50"), None, ils("18006.17")),
        StatementLine(date(2026, 10, 5), "payment", "TRF-88120", "", "ILS",
                      None, ils("2340.00"), ils("15666.17")),
    ]
    st = Statement(as_of=AS_OF, since=None, opening=Totals(), lines=lines,
                   closing=Totals([ils("15666.17")]), pending=Totals(), open_items=[],
                   unapplied=Totals())
    base: dict = dict(language=language, as_of=AS_OF, letterhead=sample_letterhead(language),
                      debtor=sample_debtor(language), statement=st, reference="S-2026-0311",
                      portal_url="https://portal.galil-wood.co.il/c/a1b2c3")
    base.update(changes)
    return StatementContext(**base)


def sample_plan(language: str = "he", **changes) -> PlanContext:
    """15,666.17 in four installments: 3 x 3,916.54 + 3,916.55."""
    amounts = ("3916.54", "3916.54", "3916.54", "3916.55")
    dues = (date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1))
    base: dict = dict(
        language=language, as_of=AS_OF, letterhead=sample_letterhead(language),
        debtor=sample_debtor(language), plan_id="PP-2026-007", debt_total=ils("15666.17"),
        installments=tuple(Installment(number=i + 1, due_date=d, amount=ils(a))
                           for i, (d, a) in enumerate(zip(dues, amounts))),
        invoices=sample_invoices(), grace_days=7)
    base.update(changes)
    return PlanContext(**base)


def sample_settlement(language: str = "he", **changes) -> SettlementContext:
    """Debt 16,031.57; pay 14,500.00 by 15/12/2026 and 1,531.57 is waived."""
    base: dict = dict(
        language=language, as_of=AS_OF, letterhead=sample_letterhead(language),
        debtor=sample_debtor(language), offer_id="SO-2026-003", debt_total=ils("16031.57"),
        agreed_amount=ils("14500.00"), deadline=date(2026, 12, 15),
        waived_items=("ריבית פיגורים", "דמי גבייה") if language == "he"
        else ("late-payment interest", "the collection fee"))
    base.update(changes)
    return SettlementContext(**base)


def sample_casefile(language: str = "he", **changes) -> CaseFileContext:
    he = language == "he"
    messages = (
        SentMessage(sent_at=date(2026, 9, 7), channel="email", document="reminder",
                    subject="תזכורת לתשלום" if he else "Payment reminder",
                    recipient="yossi@alpha-tech.co.il",
                    proof="250 2.0.0 Ok: queued as 4F1C21A0B2"),
        SentMessage(sent_at=date(2026, 10, 12), channel="email", document="second_reminder",
                    subject="תזכורת שנייה" if he else "Second reminder",
                    recipient="yossi@alpha-tech.co.il",
                    proof="250 2.0.0 Ok: queued as 7A9E03C11D"),
        SentMessage(sent_at=date(2026, 11, 2), channel="registered_mail",
                    document="warning_letter",
                    subject="מכתב התראה" if he else "Letter before legal action",
                    registered_number="RR123456789IL", posted_on=date(2026, 11, 2)),
    )
    calls = (
        CallRecord(at=date(2026, 10, 20), by="דנה לוי" if he else "Dana Levi",
                   contact="יוסי כהן" if he else "Yossi Cohen",
                   outcome="call_promised_amount", values={"amount": ils("5000.00"), "day": date(2026, 10, 31)}),
    )
    promises = (
        PromiseRecord(made_on=date(2026, 10, 20), amount=ils("5000.00"),
                      due_date=date(2026, 10, 31), status="broken"),
    )
    base: dict = dict(
        language=language, as_of=AS_OF, letterhead=sample_letterhead(language),
        debtor=sample_debtor(language), invoices=sample_invoices(),
        extra_lines=sample_extra_lines(language),
        statement=sample_statement(language).statement, messages=messages, calls=calls,
        promises=promises, case_ref="CASE-2026-0042",
        stage="מכתב התראה" if he else "warning letter")
    base.update(changes)
    return CaseFileContext(**base)


def sample_context(document: str, language: str = "he"):
    """A sample context for any document key (previews)."""
    if document == "statement":
        return sample_statement(language)
    if document == "payment_plan":
        return sample_plan(language)
    if document == "settlement":
        return sample_settlement(language)
    return sample_letter(document, language)


__all__ = ["AS_OF", "sample_letterhead", "sample_debtor", "sample_invoices", "uk_letterhead",
           "uk_debtor", "uk_invoices", "sample_letter_of_claim",
           "sample_extra_lines", "sample_letter", "sample_statement", "sample_plan",
           "sample_settlement", "sample_casefile", "sample_context"]
