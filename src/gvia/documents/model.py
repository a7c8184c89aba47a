"""What a document is made from: plain, frozen dataclasses, no database.

The caller (a service) reads the customer, the open invoices and the organization's
letterhead into these types and hands them to :func:`gvia.documents.render`,
:func:`gvia.documents.email_body`, :func:`gvia.documents.build_casefile` or
:func:`gvia.documents.print_batch`. Nothing here formats or computes a rule; amounts stay
:class:`~gvia.core.money.Money`, dates ``datetime.date``.

Documents (the names used on the command line):

================================ ===============================================
``courtesy``                     before the due date; friendly
``reminder``                     first reminder after the due date; polite, offers help
``second_reminder``              second reminder; still polite, asks to settle by a date
``warning_letter``               formal warning before legal proceedings
``warning_execution_office``     Israeli notice before a fixed-sum claim at the
                                 Execution Office (Execution Law s. 81A1)
``letter_of_claim``              UK Letter of Claim (Pre-Action Protocol for Debt
                                 Claims) with its Information Sheet, Reply Form and
                                 Financial Statement
``debt_notice``                  Israeli consumer debt notice (Consumer Protection Law
                                 s. 13B2: the unpaid charges, no collection step before
                                 14 days from its sending)
``statement``                    statement of account (:class:`StatementContext`)
``payment_plan``                 installment agreement (:class:`PlanContext`)
``settlement``                   settlement offer (:class:`SettlementContext`)
================================ ===============================================

The first seven use :class:`LetterContext`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Union

from gvia.core.customer_kinds import BUSINESS, id_label, is_individual
from gvia.core.demand import DEFAULT_NOT_YET_DUE, Demand, demand, threatens_proceedings
from gvia.core.money import Money, Totals

if TYPE_CHECKING:  # pragma: no cover
    from gvia.core.payment_record import PaymentRecord
    from gvia.core.statement import OpenItem, Statement

LETTER_DOCUMENTS = ("courtesy", "reminder", "second_reminder", "warning_letter",
                    "warning_execution_office", "letter_of_claim", "debt_notice")
DOCUMENTS = LETTER_DOCUMENTS + ("statement", "payment_plan", "settlement")


@dataclass(frozen=True, kw_only=True)
class BankAccount:
    """Where to pay by transfer. Only the fields that are set are printed; ``lines`` is bank
    detail text the organization wrote freely, printed as it is after the fields."""

    bank: str = ""
    branch: str = ""
    account: str = ""
    beneficiary: str = ""
    iban: str = ""
    swift: str = ""
    sort_code: str = ""        # UK
    routing_number: str = ""   # US
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Letterhead:
    """The organization as its letters show it.

    ``locale`` decides how amounts and dates are written ("he", "en-GB", "en-US"); a
    letter in the other language uses "he" for Hebrew and, for English, this locale when
    it is English, else "en-GB" (day-first dates, as in Israel).
    ``body_font`` / ``heading_font`` must be families installed through ``fontpkg-*``
    packages (see :mod:`gvia.documents.fonts`). ``envelope`` is the window envelope the
    organization buys ("din-left", "din-right", "us10" or "auto", see
    :mod:`gvia.documents.envelope`). ``accent`` is a ``#rrggbb`` colour.
    """

    name: str
    tax_id: str = ""
    tax_id_label: str = ""           # default: "ח.פ." / "Company No."
    address_lines: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    website: str = ""
    bank: BankAccount | None = None
    payment_link: str = ""
    signatory_name: str = ""
    signatory_title: str = ""
    accent: str = "#1f4e79"
    logo_path: str | None = None     # an image file (PNG, JPEG, SVG)
    locale: str = "he"
    body_font: str = "Heebo"
    heading_font: str = "Heebo"
    envelope: str = "auto"


@dataclass(frozen=True, kw_only=True)
class Debtor:
    """The customer the document is addressed to."""

    name: str
    tax_id: str = ""                 # company number, dealer number or personal ID
    kind: str = BUSINESS             # business | sole_trader | consumer | public_body (gvia.core.customer_kinds)
    id_label: str = ""               # the code of tax_id's label (labels.<code>); "": the kind's
    address_lines: tuple[str, ...] = ()
    contact_person: str = ""
    email: str = ""
    phone: str = ""
    customer_ref: str = ""           # the organization's customer number

    @property
    def is_individual(self) -> bool:
        """A person (a sole trader or a consumer): greeted by name when there is no contact."""
        return is_individual(self.kind)

    @property
    def id_label_code(self) -> str:
        """ח.פ. for a company, ע.מ. for a sole trader (never ח.פ.), ת.ז. for a person, a
        corporation's number for a public body — unless ``id_label`` says otherwise (e.g. a sole
        trader whose number is their personal ID: "person_id")."""
        return self.id_label or id_label(self.kind)


@dataclass(frozen=True, kw_only=True)
class InvoiceLine:
    """One open invoice as a letter lists it. ``days_overdue`` defaults to
    ``(as_of - due_date).days`` of the letter (never below 0). ``limitation_date``: the last day
    it can be claimed in court (:func:`gvia.core.limitation.limitation_end`; None: not known) -
    a letter that threatens proceedings does not demand it after that day
    (:func:`gvia.core.demand.demand`), the case file shows it."""

    number: str
    issue_date: date
    due_date: date
    original: Money
    open: Money
    days_overdue: int | None = None
    limitation_date: date | None = None
    #: Israel's allocation number (מספר הקצאה), printed next to the invoice number; "" when none
    allocation_number: str = ""


@dataclass(frozen=True, kw_only=True)
class ExtraLine:
    """Interest, a fee or another charge shown as its own line under the invoices.

    ``kind`` is "interest", "fee" or "other"; the label comes from the texts unless
    ``label`` is given. ``detail`` is shown after the label (e.g. "4% p.a. since 01/03/2026").
    """

    kind: str
    amount: Money
    label: str = ""
    detail: str = ""


@dataclass(frozen=True, kw_only=True)
class StatutoryInterest:
    """The UK statutory interest a letter claims (Late Payment of Commercial Debts (Interest)
    Act 1998), as :mod:`gvia.core.interest` computed it for the letter's date: the yearly
    rates (``percent``: 8 over the Bank of England base rate in force on the reference day,
    fixed for each debt by the day its interest starts), the interest added each day now
    (``daily``) and the fixed sums of s.5A (``fixed``)."""

    percents: tuple[str, ...]        # e.g. ("12.25",): one per distinct rate
    base_rates: tuple[str, ...]      # e.g. ("4.25",)
    daily: Money
    fixed: Money | None = None


@dataclass(frozen=True)
class SuppliersLawDay:
    """Israel's suppliers' payment law: the legal payment day of one invoice
    (:func:`gvia.core.suppliers_law.payment_day`), which a letter cites."""

    number: str
    legal_day: date


@dataclass(frozen=True, kw_only=True)
class LetterContext:
    """Everything one letter needs (courtesy ... letter_of_claim).

    ``deadline`` is the day by which payment is asked (the calendar module computes it,
    e.g. 14 business days after the posting date); ``deadline_days`` and
    ``business_days`` only add "(14 business days)" after the date. For
    ``warning_execution_office`` the deadline must be at least the statutory notice period
    after ``as_of`` and ``claim_basis`` must name the written contract or undertaking.
    For ``letter_of_claim`` the deadline is the end of the reply period (at least 30 days
    after ``as_of``), ``claim_basis`` names the agreement the debt arises from when there
    is one ("the agreement of 1 March 2026 between ..."), and ``interest_continuing`` says
    whether interest keeps being added (``None``: yes when an extra line is interest).
    ``invoices`` are the customer's open invoices on ``as_of``; what the letter demands is
    :attr:`demand` (:func:`gvia.core.demand.demand`): those due on or before ``as_of``, with
    the extra lines; those due later are listed apart as "not yet due — not demanded"
    (``not_yet_due = "list_apart"``) or left out (``"omit"``). ``totals`` is the demand's.
    ``earlier_approaches`` counts the messages, letters and calls that already asked for
    this debt: a letter says "despite our earlier approaches" only when there were some.
    ``statutory``: the UK statutory interest claimed, named with its Act, rate, daily
    interest and fixed sums (None: no statutory interest is claimed).
    """

    document: str
    language: str
    as_of: date
    letterhead: Letterhead
    debtor: Debtor
    invoices: tuple[InvoiceLine, ...]
    extra_lines: tuple[ExtraLine, ...] = ()
    deadline: date | None = None
    deadline_days: int | None = None
    business_days: bool = False
    registered_mail: bool = False
    hebrew_date: bool = False
    free_text: str = ""
    reference: str = ""              # the letter id, printed and quoted in payments
    portal_url: str = ""
    claim_basis: str = ""            # the written contract or undertaking ("" : none known)
    interest_continuing: bool | None = None   # letter_of_claim (see above)
    not_yet_due: str = DEFAULT_NOT_YET_DUE    # "list_apart" or "omit" (the policy's key)
    earlier_approaches: int = 0
    #: linkage differentials and interest are owed but the law's method for part of the period is
    #: not in gvia's sources: the letter says they are added as the law provides, with no number
    interest_by_law: bool = False
    statutory: StatutoryInterest | None = None
    #: Israel's suppliers' payment law: the legal payment day of the open invoices it covers (a
    #: letter cites the law for those it demands); () when the law does not apply
    suppliers_law: tuple[SuppliersLawDay, ...] = ()

    @property
    def demand(self) -> Demand[InvoiceLine, ExtraLine]:
        """What the letter asks for (see the class doc); a letter that threatens proceedings
        leaves the time-barred invoices out (:func:`gvia.core.demand.demand`)."""
        return demand(self.invoices, self.as_of, self.not_yet_due, self.extra_lines,
                      proceedings=threatens_proceedings(self.document))

    @property
    def totals(self) -> Totals:
        """What the letter asks to be paid, per currency: the demand's."""
        return self.demand.totals

    @property
    def interest_accrues(self) -> bool:
        """Whether the letter says interest keeps being added (see ``interest_continuing``)."""
        if self.interest_continuing is not None:
            return self.interest_continuing
        return any(x.kind == "interest" for x in self.extra_lines)


@dataclass(frozen=True, kw_only=True)
class StatementContext:
    """A statement of account; ``statement`` is :func:`gvia.core.statement.statement`'s
    result (lines with the running balance per currency, opening and closing balances).

    ``extra_lines`` are interest, linkage and fees on ``as_of``, shown as their own lines
    after the entries (never folded into them) with the balance including them;
    ``interest_unavailable`` says they could not be computed (e.g. a rate is missing), and
    the statement says so instead of showing them. What of the balance is due on ``as_of``
    is :attr:`demand` over the statement's open items (:func:`gvia.core.demand.demand`);
    the rest is shown as not yet due."""

    language: str
    as_of: date
    letterhead: Letterhead
    debtor: Debtor
    statement: "Statement"
    reference: str = ""
    portal_url: str = ""
    extra_lines: tuple[ExtraLine, ...] = ()
    interest_unavailable: bool = False
    #: as :attr:`LetterContext.interest_by_law`: the statement says linkage differentials and
    #: interest are added as the law provides, with no number
    interest_by_law: bool = False
    document: str = field(default="statement", init=False)

    @property
    def totals(self) -> Totals:
        """The closing balance plus the extra lines, per currency."""
        st = self.statement
        return Totals([st.closing[c] for c in st.closing] + [x.amount for x in self.extra_lines])

    @property
    def demand(self) -> "Demand[OpenItem, ExtraLine]":
        """The open items due on or before ``as_of`` (and the extra lines), and those due later."""
        return demand(self.statement.open_items, self.as_of, "list_apart", self.extra_lines)


@dataclass(frozen=True, kw_only=True)
class Installment:
    number: int
    due_date: date
    amount: Money


@dataclass(frozen=True, kw_only=True)
class PlanContext:
    """A payment plan: the debt it covers and the installments.

    The installments must add up to ``debt_total`` exactly (same currency).
    ``grace_days``: how late an installment may be before the plan is cancelled.
    """

    language: str
    as_of: date
    letterhead: Letterhead
    debtor: Debtor
    plan_id: str
    debt_total: Money
    installments: tuple[Installment, ...]
    invoices: tuple[InvoiceLine, ...] = ()
    grace_days: int = 7
    portal_url: str = ""
    document: str = field(default="payment_plan", init=False)

    @property
    def reference(self) -> str:
        return self.plan_id


@dataclass(frozen=True, kw_only=True)
class SettlementContext:
    """A settlement offer: pay ``agreed_amount`` by ``deadline`` and the rest of
    ``debt_total`` is waived. ``waived_items`` names what the waiver covers (e.g.
    "late-payment interest"), in the letter's language."""

    language: str
    as_of: date
    letterhead: Letterhead
    debtor: Debtor
    offer_id: str
    debt_total: Money
    agreed_amount: Money
    deadline: date
    waived_items: tuple[str, ...] = ()
    invoices: tuple[InvoiceLine, ...] = ()
    portal_url: str = ""
    not_yet_due: str = DEFAULT_NOT_YET_DUE
    document: str = field(default="settlement", init=False)

    @property
    def demand(self) -> Demand[InvoiceLine, ExtraLine]:
        """The offer's invoices due on or before its date, and those not yet due (apart)."""
        return demand(self.invoices, self.as_of, self.not_yet_due, ())

    @property
    def reference(self) -> str:
        return self.offer_id

    @property
    def waived(self) -> Money:
        return self.debt_total - self.agreed_amount


DocumentContext = Union[LetterContext, StatementContext, PlanContext, SettlementContext]


# --- the case file -------------------------------------------------------------------

CHANNELS = ("email", "letter", "registered_mail", "sms", "whatsapp", "portal", "other")


@dataclass(frozen=True, kw_only=True)
class SentMessage:
    """A letter or message sent to the customer, with its proof of sending.

    ``document`` is the document key when it was one (e.g. "warning_letter").
    ``proof`` is the evidence text: the SMTP server's reply, a provider's message id.
    For registered mail: ``registered_number`` and ``posted_on``; ``delivered_on`` is the
    date on the delivery confirmation when it came back (or of a refusal to accept it, which
    counts as service). ``stage`` names the ladder stage the message belongs to (its cycle and
    stage key, e.g. "2:warning"; "" for a message outside the ladder): the registered letter
    and its e-mail copy are one stage.
    """

    sent_at: datetime | date
    channel: str
    subject: str
    document: str = ""
    recipient: str = ""
    proof: str = ""
    registered_number: str = ""
    posted_on: date | None = None
    delivered_on: date | None = None
    stage: str = ""


@dataclass(frozen=True, kw_only=True)
class CallRecord:
    """A call logged: ``outcome`` is what it achieved as a code (``call_no_answer``,
    ``call_promised_amount`` …; "" when the call was logged before outcomes were kept), worded by
    the document from ``casefile.call.<code>`` with ``values`` (a ``date``, a ``datetime``, ``Money``,
    a number, invoice numbers)."""

    at: datetime | date
    by: str
    outcome: str
    note: str = ""
    contact: str = ""
    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class PromiseRecord:
    """A promise to pay: ``status`` is "open", "kept" or "broken"; one partly kept is broken, with
    ``paid`` what was paid of it."""

    made_on: date
    amount: Money
    due_date: date
    status: str
    note: str = ""
    paid: Money | None = None


ATTACHMENT_KINDS = ("signed_agreement", "invoice_copy", "delivery_proof", "letter_copy", "other")


@dataclass(frozen=True, kw_only=True)
class Attachment:
    """A document merged into the case file: a PDF (path or bytes) or an image (PNG/JPEG,
    path or bytes) which gets a page of its own. ``invoice_number`` ties an invoice copy
    to its invoice. ``letter_copy``: the PDF of a letter as it was sent (a warning letter,
    a letter of claim), kept as proof of its content."""

    title: str
    kind: str = "other"
    path: str | Path | None = None
    data: bytes | None = None
    invoice_number: str = ""


@dataclass(frozen=True, kw_only=True)
class RouteFit:
    """Whether the debt fits the Execution Office's fixed-sum route (s.81A1) on ``filing_day``,
    as :func:`gvia.core.legal_rules.fixed_sum_fit` judged it for ``gvia legal``: the claim in
    shekels on that day, the cap in force, and the codes of what does not fit (empty: fits)."""

    claim: Money
    filing_day: date
    cap: Money | None
    reasons: tuple[str, ...] = ()

    @property
    def fits(self) -> bool:
        return not self.reasons


@dataclass(frozen=True, kw_only=True)
class RouteLine:
    """One legal route of :func:`gvia.core.legal_routes.routes_for` as the case file shows it:
    its code (``casefile.route.<code>``), whether it fits (None: cannot tell), its limit on the
    filing day, and why: the reason codes of the route with their values, as the core gave them
    (worded by :mod:`gvia.documents.casefile`)."""

    code: str
    fits: bool | None
    limit: Money | None = None
    why: tuple[tuple[str, dict[str, object]], ...] = ()


@dataclass(frozen=True, kw_only=True)
class CaseFileContext:
    """Everything a lawyer gets about one customer. Sections that are empty say so."""

    language: str
    as_of: date
    letterhead: Letterhead
    debtor: Debtor
    invoices: tuple[InvoiceLine, ...]
    extra_lines: tuple[ExtraLine, ...] = ()
    statement: "Statement | None" = None
    messages: tuple[SentMessage, ...] = ()
    calls: tuple[CallRecord, ...] = ()
    promises: tuple[PromiseRecord, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    case_ref: str = ""
    stage: str = ""                   # the case's current stage, as the policy names it
    fixed_sum: RouteFit | None = None  # the fixed-sum route on the first filing day (Israel)
    routes: tuple[RouteLine, ...] = ()  # every legal route on the first filing day (Israel)
    payment_record: "PaymentRecord | None" = None  # how the customer has paid (gvia.core.payment_record)
    #: as :attr:`StatementContext.interest_unavailable` and ``interest_by_law``: the file says the
    #: amounts leave out interest it could not work out, or that linkage and interest are owed by law
    interest_unavailable: bool = False
    interest_by_law: bool = False
    document: str = field(default="casefile", init=False)

    @property
    def reference(self) -> str:
        return self.case_ref

    @property
    def demand(self) -> Demand[InvoiceLine, ExtraLine]:
        """What is due on the file's date (:func:`gvia.core.demand.demand`: invoices due on or
        before ``as_of`` and the extra lines), and the invoices not yet due, apart."""
        return demand(self.invoices, self.as_of, "list_apart", self.extra_lines)

    @property
    def totals(self) -> Totals:
        """What is due on the file's date, per currency: the demand's (invoices not yet due are
        shown apart and not counted)."""
        return self.demand.totals


__all__ = [
    "LETTER_DOCUMENTS", "DOCUMENTS", "CHANNELS", "ATTACHMENT_KINDS",
    "BankAccount", "Letterhead", "Debtor", "InvoiceLine", "ExtraLine", "StatutoryInterest", "SuppliersLawDay",
    "LetterContext",
    "StatementContext", "Installment", "PlanContext", "SettlementContext", "DocumentContext",
    "SentMessage", "CallRecord", "PromiseRecord", "Attachment", "RouteFit", "RouteLine", "CaseFileContext",
]
