"""Building documents from the database: the organization's letterhead, the debtor, the open
invoices, the statement, the case file. Rendering itself is :mod:`gvia.documents`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings as django_settings
from django.db.models import Prefetch, prefetch_related_objects

from gvia.core import customer_kinds
from gvia.core.demand import DEFAULT_NOT_YET_DUE, NOT_YET_DUE_MODES, Demand, demand, threatens_proceedings
from gvia.core.errors import GviaError, RefusedFor
from gvia.core.formatting import has_rtl
from gvia.core.legal_rules import earliest_filing, execution_office_rule, pre_action_debt_rule
from gvia.core.money import Money
from gvia.documents.courtesy import render_for_reader
from gvia.documents.model import (
    LETTER_DOCUMENTS,
    BankAccount,
    Debtor,
    ExtraLine,
    Installment,
    InvoiceLine,
    LetterContext,
    Letterhead,
    PlanContext,
    SettlementContext,
    StatementContext,
    SuppliersLawDay,
)
from gvia.documents.wording import languages as document_languages
from gvia.documents.wording import texts
from gvia.services import settings
from gvia.services.arrangements.plans import get_plan
from gvia.services.arrangements.settlements import get_settlement
from gvia.services.clock import org_zone
from gvia.services.context import Ctx
from gvia.services.engine.policies import consumer_name, parse, takes_consumer_ladder
from gvia.services.ledger import books as ledger
from gvia.services.legal import limitation
from gvia.services.legal.interest import interest_lines, rule_for, statutory_interest
from gvia.services.legal.suppliers_law import letter_days
from gvia.services.letters import basis
from gvia.services.locality import locale_for, org_calendar
from gvia.services.portal.links import letter_url
from gvia.store.models import (
    Activity,
    Address,
    Contact,
    Customer,
    Document,
    Invoice,
    Organization,
    OutboxMessage,
    Pause,
    Policy,
)

_BANK_LABELS = {
    "bank": "bank", "בנק": "bank", "branch": "branch", "סניף": "branch",
    "account": "account", "account number": "account", "account no": "account", "חשבון": "account",
    "מספר חשבון": "account", "מס׳ חשבון": "account", "מס' חשבון": "account",
    "account name": "beneficiary", "beneficiary": "beneficiary", "name": "beneficiary",
    "שם המוטב": "beneficiary", "מוטב": "beneficiary", "שם החשבון": "beneficiary",
    "iban": "iban", "swift": "swift", "bic": "swift", "swift/bic": "swift", "sort code": "sort_code",
    "routing number": "routing_number", "aba": "routing_number",
}


def bank_from_text(text: str) -> BankAccount | None:
    """The organization's bank details as typed in its settings page: lines of "Label: value"
    (Bank, Branch, Account, IBAN, ... in Hebrew or English) become the letter's bank fields;
    anything else is printed as it was written."""
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    if not lines:
        return None
    fields: dict[str, str] = {}
    for ln in lines:
        label, sep, value = ln.partition(":")
        key = _BANK_LABELS.get(label.strip().lower().rstrip(".")) if sep else None
        if key is None or not value.strip() or key in fields:
            return BankAccount(lines=tuple(lines))
        fields[key] = value.strip()
    return BankAccount(lines=(), **fields)   # every line was a field (the labels name no 'lines')


def bank_of(org: Organization) -> BankAccount | None:
    """The organization's bank details as its letters and e-mails print them: its bank fields (bank,
    branch, account, IBAN, beneficiary, SWIFT/BIC, sort code), then any other payment instructions
    (``bank_details``) as written; None when there is none."""
    fields = {"bank": org.bank_name, "branch": org.bank_branch, "account": org.bank_account,
              "iban": org.bank_iban, "beneficiary": org.bank_beneficiary, "swift": org.bank_swift,
              "sort_code": org.bank_sort_code}
    if not any(v.strip() for v in fields.values()):
        return bank_from_text(org.bank_details)   # only instructions: labelled lines still print as fields
    lines = tuple(ln.strip() for ln in (org.bank_details or "").splitlines() if ln.strip())
    return BankAccount(lines=lines, **{k: v.strip() for k, v in fields.items()})


def letterhead_for(org: Organization, language: str | None = None) -> Letterhead:
    """The organization as its letters show it. An English letter uses the organization's
    English name, address and signatory when they are given (``name_en``, ``address_en``,
    ``signatory_name_en``, ``signatory_title_en``), so that a business with a Hebrew name does
    not put Hebrew into English sentences."""
    cfg = settings.values(org, ("body_font", "heading_font", "envelope"))
    english = language == "en"
    name = (english and org.name_en.strip()) or org.name
    address = (english and org.address_en.strip()) or org.address
    signatory = (english and org.signatory_name_en.strip()) or org.signatory_name
    title = (english and org.signatory_title_en.strip()) or org.signatory_title
    logo = None
    if org.logo_path:
        p = Path(django_settings.STORAGE_ROOT) / org.logo_path
        logo = str(p) if p.exists() else None
    return Letterhead(
        name=name, tax_id=org.tax_id, address_lines=tuple(ln for ln in address.splitlines() if ln.strip()),
        phone=org.phone, email=org.email,
        bank=bank_of(org),     # the bank details' one home: the Organization's bank fields
        payment_link=org.payment_link, signatory_name=signatory, signatory_title=title,
        accent=org.accent_color or "#1f4e79", logo_path=logo, locale=locale_for(org),
        body_font=cfg["body_font"], heading_font=cfg["heading_font"], envelope=cfg["envelope"])


# Where :func:`read_ahead` leaves a customer's contacts, addresses and active pauses (each by id).
CONTACTS_READ, ADDRESSES_READ, PAUSES_READ = "contacts_read", "addresses_read", "active_pauses_read"


def read_ahead(customers) -> None:
    """Read the contacts, addresses and active pauses of ``customers`` (Customer records) in
    three queries, kept on each record for :func:`debtor_for`, :func:`off_ladder_invoice_ids`
    and the composer's recipients: for many letters in a row (a dispatch batch)."""
    prefetch_related_objects(list(customers),
                             Prefetch("contacts", Contact.objects.order_by("id"), to_attr=CONTACTS_READ),
                             Prefetch("addresses", Address.objects.order_by("id"), to_attr=ADDRESSES_READ),
                             Prefetch("pauses", Pause.objects.filter(active=True).order_by("id"),
                                      to_attr=PAUSES_READ))


def debtor_for(customer: Customer) -> Debtor:
    read, addresses = getattr(customer, CONTACTS_READ, None), getattr(customer, ADDRESSES_READ, None)
    if read is not None:
        contacts = sorted(read, key=lambda c: (not c.is_billing, not c.is_primary, c.id))
    else:
        contacts = list(Contact.objects.filter(customer=customer).order_by("-is_billing", "-is_primary", "id"))
    if addresses is not None:
        address = addresses[0] if addresses else None
    else:
        address = Address.objects.filter(customer=customer).order_by("id").first()
    first = contacts[0] if contacts else None
    lines: tuple[str, ...] = ()
    if address:
        lines = tuple(x for x in (address.line1, address.line2,
                                  " ".join(p for p in (address.city, address.postal_code) if p)) if x)
    return Debtor(name=customer.name, tax_id=customer.tax_id, kind=customer_kinds.known(customer.kind),
                  address_lines=lines, contact_person=first.name if first and first.name != customer.name else "",
                  email=(first.email if first and first.email else customer.email),
                  phone=(first.phone if first and first.phone else customer.phone), customer_ref=customer.ref)


def open_invoice_lines(customer: Customer, as_of: date,
                       exclude_ids: set[int] | None = None) -> tuple[InvoiceLine, ...]:
    """The customer's open invoices on ``as_of`` as the ledger allocates them (credit notes and
    payments up to that day, the same allocation as the statement of that day), oldest due
    date first, each with its limitation date on ``as_of``
    (:func:`gvia.services.legal.limitation.invoice_ends`); what a letter demands of them is
    :func:`gvia.core.demand.demand`'s."""
    invoices, _payments, result = ledger.customer_ledger(customer, as_of)
    kept = []
    for inv in sorted((i for i in invoices if i.kind == Invoice.Kind.INVOICE),
                      key=lambda i: (i.due_date, i.issue_date, i.number)):
        open_ = result.open_amounts.get(inv.id)
        if open_ is None or open_.amount <= 0:
            continue
        if exclude_ids and inv.id in exclude_ids:
            continue
        kept.append((inv, open_))
    ends = limitation.invoice_ends(customer.organization, [(inv.id, inv.due_date) for inv, _ in kept], as_of)
    numbers = allocation_numbers_of([inv.id for inv, _ in kept])
    return tuple(InvoiceLine(number=inv.number, issue_date=inv.issue_date, due_date=inv.due_date,
                             original=inv.amount, open=open_, days_overdue=max(0, (as_of - inv.due_date).days),
                             limitation_date=ends[inv.id].end if inv.id in ends else None,
                             allocation_number=numbers.get(inv.id, ""))
                 for inv, open_ in kept)


def allocation_numbers_of(invoice_ids: list[int]) -> dict[int, str]:
    """Israel's allocation numbers (מספר הקצאה) of those invoices that have one: every letter prints
    it next to the invoice number."""
    if not invoice_ids:
        return {}
    return dict(Invoice.objects.filter(id__in=invoice_ids).exclude(allocation_number="")
                .values_list("id", "allocation_number"))


def off_ladder_invoice_ids(customer: Customer, as_of: date) -> set[int]:
    """Invoices no letter may demand on ``as_of``: those under an open dispute or another pause
    that names them (a payment plan, a promise for those invoices). The dispatcher holds the
    same ones back (``dispatch.still_wanted``)."""
    out: set[int] = set()
    read = getattr(customer, PAUSES_READ, None)
    pauses = ([(p.kind, p.until, p.invoices) for p in read] if read is not None else
              Pause.objects.filter(customer=customer, active=True).values_list("kind", "until", "invoices"))
    for kind, until, invoices in pauses:
        if until is not None and until < as_of:
            continue
        if kind == Pause.Kind.DISPUTE or invoices:
            out.update(int(i) for i in invoices or [])
    return out


def warning_deadline(org: Organization, start: date) -> tuple[date, int, bool]:
    """The payment deadline of a warning letter: N days (business days if the org says so)."""
    cfg = settings.values(org, ("warning_deadline_days", "deadline_business_days"))
    days, business = cfg["warning_deadline_days"], cfg["deadline_business_days"]
    cal = org_calendar(org)
    if business:
        return cal.add_business_days(start, days), days, True
    return cal.next_business_day(date.fromordinal(start.toordinal() + days)), days, False


def letter_context(ctx: Ctx, customer: Customer, document: str, as_of: date, language: str | None = None,
                   registered: bool | None = None, reference: str = "", free_text: str = "",
                   deadline: date | None = None, notes: list[GviaError] | None = None,
                   deadline_days: int | None = None, business_days: bool = False,
                   not_yet_due: str | None = None, stage: tuple[int, str] | None = None,
                   portal_url: str | None = None) -> LetterContext:
    """The context of one letter. Every letter but the courtesy note lists interest, linkage
    and fees under the invoices as separate lines when the customer's interest rule charges
    them (:func:`gvia.services.legal.interest.interest_lines`); when a rate is missing those lines
    are left out and the reason is appended to ``notes`` (the letter still goes).

    The invoices are those open on ``as_of`` as the ledger allocates them, less any under a
    dispute or a pause that names them; the letter demands those due on or before ``as_of``
    (:func:`gvia.core.demand.demand`) and shows the others apart or not at all, as
    ``not_yet_due`` says (the policy's key: the one of the stage the message came from, else
    :func:`not_yet_due_for` the customer). "Despite our earlier approaches" is said only when
    :func:`earlier_approaches` found some (``stage``: the message's own (cycle, stage), whose
    other copies are not earlier approaches). The claim-basis sentence is the customer's own
    basis, else the organization's, else left out (:func:`claim_basis`). A UK letter before
    action or letter of claim names the statutory interest claimed
    (:func:`gvia.services.legal.interest.statutory_interest`). The deadline of a warning or a letter of claim is
    ``deadline`` when given (``deadline_days``/``business_days`` say how it was counted, e.g.
    from the policy's stage), else the organization's warning deadline; it is never earlier
    than the law allows: 30 days for the Execution Office notice (s.81A1), the reply period
    of the Pre-Action Protocol for a letter of claim. The letter prints ``portal_url``, the link to
    the customer's page, with its QR code; None: a letter's own link, issued for this document and
    day (:func:`gvia.services.portal.links.letter_url`), "": none."""
    if document not in LETTER_DOCUMENTS:
        raise RefusedFor("letter_unknown", f"{document!r} is not a letter", document=document,
                         letters=tuple(LETTER_DOCUMENTS))
    lang = language or customer.language or ctx.org.default_language
    if lang not in document_languages():
        raise RefusedFor("language_unknown", f"no documents in {lang!r}", value=lang,
                         languages=tuple(document_languages()))
    mode = not_yet_due or not_yet_due_for(ctx, customer)
    if mode not in NOT_YET_DUE_MODES:
        raise RefusedFor("not_yet_due_unknown", f"no not_yet_due mode {mode!r}", value=mode,
                         modes=tuple(NOT_YET_DUE_MODES))
    invoices = open_invoice_lines(customer, as_of, exclude_ids=off_ladder_invoice_ids(customer, as_of))
    asked: Demand[InvoiceLine, ExtraLine] = demand(invoices, as_of, mode, proceedings=threatens_proceedings(document))
    demanded = asked.demanded
    if document != "courtesy" and not demanded and asked.time_barred:
        raise RefusedFor("letter_all_time_barred",
                         f"every invoice of {customer.name} ({customer.ref}) due on {as_of.isoformat()} is past its "
                         f"limitation date: a {document} threatens proceedings and does not demand a time-barred debt",
                         customer=customer.name, ref=customer.ref, as_of=as_of)
    if not invoices or (document != "courtesy" and not demanded):
        what = "open" if document == "courtesy" else "due (on or before that day)"
        raise RefusedFor("letter_nothing_open" if document == "courtesy" else "letter_nothing_due",
                         f"{customer.name} ({customer.ref}) has no {what} invoices "
                         f"on {as_of.isoformat()}: there is nothing to write about",
                         customer=customer.name, ref=customer.ref, as_of=as_of)
    barred = frozenset(ln.number for ln in asked.time_barred)      # their interest is not claimed either
    extra, _unavailable, by_law = charges(ctx, customer, as_of, lang, notes, leave_out=barred) \
        if document != "courtesy" else ((), False, False)
    formal = document in ("warning_letter", "warning_execution_office")
    days, business = (deadline_days, business_days) if deadline is not None else (None, False)
    if deadline is None and document in DEADLINE_LETTERS:
        deadline, days, business = warning_deadline(ctx.org, as_of)
    legal_minimum = _legal_minimum(ctx.org, document, as_of)
    if deadline is not None and legal_minimum is not None and deadline < legal_minimum[0]:
        deadline, days, business = legal_minimum
    hebrew = settings.value(ctx.org, "hebrew_date")
    return LetterContext(
        document=document, language=lang, as_of=as_of, letterhead=letterhead_for(ctx.org, lang),
        debtor=debtor_for(customer), invoices=invoices, extra_lines=extra, deadline=deadline, deadline_days=days,
        business_days=business, registered_mail=formal if registered is None else registered,
        hebrew_date=(lang == "he") if hebrew is None else bool(hebrew), free_text=free_text,
        reference=reference,
        portal_url=letter_url(ctx.org, customer, letter_date=as_of, ref=f"{document}:{as_of.isoformat()}")
        if portal_url is None else portal_url,
        claim_basis=claim_basis(ctx.org, customer, lang) if document in DEADLINE_LETTERS else "",
        not_yet_due=mode,
        earlier_approaches=earlier_approaches(ctx.org, customer, demanded, as_of, stage) if demanded else 0,
        interest_by_law=by_law,
        statutory=statutory_interest(ctx, customer, as_of, barred) if document in DEADLINE_LETTERS else None,
        suppliers_law=() if document == "courtesy" else tuple(
            SuppliersLawDay(number, day) for number, day in letter_days(ctx, customer).items()))


def not_yet_due_for(ctx: Ctx, customer: Customer) -> str:
    """The ``not_yet_due`` mode of the policy that decides for ``customer``: the one assigned to
    them, else the individuals' ladder where the law has one, else the organization's default;
    the default mode (list apart) when no policy applies yet. Reads only: a letter never writes
    a policy."""
    policies = Policy.objects.filter(organization=ctx.org)
    chosen = None
    if customer.policy_id:
        chosen = policies.filter(id=customer.policy_id).first()
    if chosen is None and takes_consumer_ladder(ctx.org.country, customer.kind):
        chosen = policies.filter(name=consumer_name(ctx.org.country)).first()
    if chosen is None:
        chosen = policies.filter(is_default=True).first()
    version = chosen.versions.order_by("-version").first() if chosen is not None else None
    if version is None:
        return DEFAULT_NOT_YET_DUE
    try:
        return parse(version).not_yet_due
    except GviaError:
        return DEFAULT_NOT_YET_DUE


def earlier_approaches(org: Organization, customer: Customer, demanded, as_of: date,
                       stage: tuple[int, str] | None = None) -> int:
    """How many times the debt a letter dated ``as_of`` demands was already asked for: messages
    and letters sent to the customer, and calls logged, from the day its oldest invoice fell due
    up to the day before the letter. The other copies of the letter's own stage (``stage``: its
    cycle and stage key, e.g. the e-mail copy of a registered warning) do not count."""
    since = min(ln.due_date for ln in demanded)
    zone = org_zone(org)
    start = datetime.combine(since, time.min, tzinfo=zone)
    end = datetime.combine(as_of, time.min, tzinfo=zone)
    sent = OutboxMessage.objects.filter(customer=customer, status=OutboxMessage.Status.SENT,
                                        sent_at__gte=start, sent_at__lt=end)
    if stage is not None and stage[1]:
        sent = sent.exclude(cycle=stage[0], stage_key=stage[1])
    calls = Activity.objects.filter(customer=customer, kind=Activity.Kind.CALL, date__gte=since,
                                    date__lte=as_of - timedelta(days=1))
    return sent.count() + calls.count()


DEADLINE_LETTERS = ("warning_letter", "warning_execution_office", "letter_of_claim")


def _legal_minimum(org: Organization, document: str, as_of: date) -> tuple[date, int, bool] | None:
    """The earliest deadline the law allows a letter dated ``as_of``: the last day of the
    Execution Office notice period (s.81A1) were the notice delivered on its own date (the
    filing clock, :func:`gvia.core.legal_rules.earliest_filing`: the claim may be filed the day
    after), or the Pre-Action Protocol's reply period (moved to the next business day); None
    for the other letters."""
    if document == "warning_execution_office":
        rule = execution_office_rule(as_of)
        first = earliest_filing(rule, as_of, as_of).on
        assert first is not None                  # a delivery day is given
        return first - timedelta(days=1), rule.notice_days, False
    if document == "letter_of_claim":
        reply = pre_action_debt_rule(as_of)
        return org_calendar(org).next_business_day(reply.reply_by(as_of)), reply.reply_days, False
    return None


def claim_basis(org: Organization, customer: Customer, lang: str) -> str:
    """The written contract or undertaking the claim rests on, as a letter in ``lang`` names it:
    the customer's own basis (``Customer.claim_basis``, the agreement on file), else the signed
    agreement uploaded for this customer, else the organization's standing wording
    (settings.claim_basis, one text or one per language); "" when none is known, and the
    letter then leaves the sentence out rather than assert something that may be false (the
    same rules as :mod:`gvia.services.letters.basis`, which the ladder asks). A
    wording in Hebrew is never put into an English letter (a customer's own basis written only
    in Hebrew leaves an English letter without the sentence, not with another wording)."""

    if customer.claim_basis.strip():
        return basis.fits(customer.claim_basis, lang)
    agreement = Document.objects.filter(customer=customer, kind=Document.Kind.AGREEMENT).order_by("-created_at").first()
    if agreement is not None:
        stem = agreement.file_name.rsplit(".", 1)[0]
        when = agreement.created_at.date().strftime("%d/%m/%Y")
        # named, unless a Hebrew file name would stand in a letter in another language
        key = "claim_basis.agreement" if lang == "he" or not has_rtl(stem) else "claim_basis.agreement_unnamed"
        return texts(lang)(key, reference=stem, date=when)
    return basis.org_wording(settings.value(org, "claim_basis"), lang)


def charges(ctx: Ctx, customer: Customer, as_of: date, lang: str, notes: list[GviaError] | None = None,
            leave_out: frozenset[str] = frozenset()) -> tuple[tuple[ExtraLine, ...], bool, bool]:
    """The interest, linkage and fee lines a letter or a statement shows under the debt
    them), whether they could not be computed (e.g. a missing rate; the refusal, with its code, is
    then appended to ``notes`` and the document still goes, without them), and whether linkage and
    interest are owed with no figure gvia can give (the law's method for part of the period is not
    in its sources: the document says they are added as the law provides, without a number)."""

    found = interest_lines(ctx, customer, as_of, lang, leave_out)
    if notes is not None:
        notes.extend(found.problems)
    return found.lines, bool(found.problems), bool(found.by_law)


def statement_context(ctx: Ctx, customer: Customer, as_of: date, language: str | None = None,
                      notes: list[GviaError] | None = None, portal_url: str | None = None) -> StatementContext:
    """The statement of account on ``as_of``, with interest and fees after the entries as
    separate lines (see :func:`charges`; when they cannot be computed the statement says so).
    ``portal_url``: the link to the customer's page it prints, as :func:`letter_context`'s."""
    _, st = ledger.statement(ctx, customer.ref, as_of)
    lang = language or customer.language or ctx.org.default_language
    extra, unavailable, by_law = charges(ctx, customer, as_of, lang, notes)
    url = letter_url(ctx.org, customer, letter_date=as_of, ref=f"statement:{as_of.isoformat()}") \
        if portal_url is None else portal_url
    return StatementContext(language=lang, as_of=as_of, letterhead=letterhead_for(ctx.org, lang),
                            debtor=debtor_for(customer), statement=st, extra_lines=extra,
                            interest_unavailable=unavailable and not by_law, interest_by_law=by_law,
                            portal_url=url)


# --- payment plan and settlement agreements ------------------------------------------------------

def _lines_as_of(customer: Customer, invoice_ids: list[int], as_of: date) -> tuple[InvoiceLine, ...]:
    """The arrangement's invoices as they stood on the day it was made (later payments left out)."""
    invoices, _payments, result = ledger.customer_ledger(customer, as_of)
    wanted = set(invoice_ids)
    numbers = allocation_numbers_of(sorted(wanted))
    out = []
    for inv in sorted((i for i in invoices if i.id in wanted), key=lambda i: (i.due_date, i.issue_date, i.number)):
        open_ = result.open_amounts.get(inv.id)
        if open_ is None or not open_:
            continue
        out.append(InvoiceLine(number=inv.number, issue_date=inv.issue_date, due_date=inv.due_date,
                               original=inv.amount, open=open_, days_overdue=max(0, (as_of - inv.due_date).days),
                               allocation_number=numbers.get(inv.id, "")))
    return tuple(out)


def arrangement_pdf(ctx: Ctx, document: str, id: str | int, language: str | None = None) -> bytes:
    """The agreement of payment plan ``id`` (``document="payment_plan"``) or the offer of
    settlement ``id`` (``"settlement"``) as a PDF, dated the day it was agreed / offered, in
    ``language`` (default: the customer's; Arabic or Russian: the Hebrew original, then its courtesy
    translation, :func:`gvia.documents.courtesy.render_for_reader`)."""
    ctx.require("viewer", "printing an agreement")
    if document == "payment_plan":
        plan = get_plan(ctx, id)
        customer = plan.customer
        rows = list(plan.installments.order_by("due", "number"))

        def plan_context(lang: str) -> PlanContext:
            return PlanContext(
                language=lang, as_of=plan.agreed_on, letterhead=letterhead_for(ctx.org, lang),
                debtor=debtor_for(customer),
                plan_id=f"PP-{plan.agreed_on.year}-{plan.id:03d}",
                debt_total=Money.from_minor(plan.total_minor, plan.currency),
                installments=tuple(Installment(number=k, due_date=r.due,
                                               amount=Money.from_minor(r.amount_minor, plan.currency))
                                   for k, r in enumerate(rows, start=1)),
                invoices=_lines_as_of(customer, plan.invoices, plan.agreed_on), grace_days=plan.grace_days)
        return render_for_reader(plan_context, language or customer.language or ctx.org.default_language,
                                 ctx.org.default_language)
    if document == "settlement":
        offer = get_settlement(ctx, id)
        customer = offer.customer
        charges_interest = rule_for(ctx, customer)[0].method != "none"

        def settlement_context(lang: str) -> SettlementContext:
            return SettlementContext(
                language=lang, as_of=offer.offered_on, letterhead=letterhead_for(ctx.org, lang),
                debtor=debtor_for(customer),
                offer_id=f"SO-{offer.offered_on.year}-{offer.id:03d}",
                debt_total=Money.from_minor(offer.debt_minor, offer.currency),
                agreed_amount=Money.from_minor(offer.agreed_minor, offer.currency), deadline=offer.deadline,
                waived_items=((texts(lang)("settlement.waived_interest_and_fees"),)
                              if offer.waives_interest and charges_interest else ()),
                invoices=_lines_as_of(customer, offer.invoices, offer.offered_on),
                not_yet_due=not_yet_due_for(ctx, customer))
        return render_for_reader(settlement_context, language or customer.language or ctx.org.default_language,
                                 ctx.org.default_language)
    raise RefusedFor("agreement_unknown", f"{document!r} is not an agreement", document=document,
                     agreements=("payment_plan", "settlement"))
