"""A document as structure: the one place where a context becomes words and numbers.

:func:`compose` turns a context into a :class:`Composed` document: the sender block, the
address for the window, the information block and a list of blocks (paragraphs, tables,
key/value pairs, numbered terms, signatures, and the tick boxes and write-in lines of a
form). The PDF (:mod:`gvia.documents.render`) and the e-mail body
(:mod:`gvia.documents.emailbody`) are both drawn from it, so an e-mail and its PDF cannot
disagree: every amount, date and sentence is produced here once. Blocks from
``Composed.pdf_only_from`` on are annexes printed in the PDF only (the forms of the UK
letter of claim: Information Sheet, Reply Form, Financial Statement, each from a new page).

Formatting (see :class:`DocFormat`): amounts and dates in the document's locale; in a
Hebrew document invoice numbers, references, phone numbers, e-mail addresses and links
are left-to-right isolates, and names, addresses and the contract basis are isolated
when they hold letters of the other direction, so "Acme Ltd." or "INV-2026-0042" keep
their order inside a Hebrew sentence and "אלפא Tech בע״מ" inside an English one.

The document locale: a document in the organization's language uses the organization's
locale; otherwise an English one uses "en-GB" (day-first dates, as in Israel) and any other
its language ("he", "ru").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Iterable, Sequence, Union

from gvia.core.demand import Demand, demand, open_totals
from gvia.core.formatting import (
    format_count,
    format_date,
    format_money,
    has_rtl,
    is_rtl,
    isolate_if_mixed,
    isolate_ltr,
    join_list,
    join_or,
    parse_locale,
)
from gvia.core.legal_rules import earliest_filing, execution_office_rule, pre_action_debt_rule
from gvia.core.money import Money, Totals
from gvia.core.suppliers_law import ARREARS_AFTER_DAYS

from . import checks
from .debt_notice import DOCUMENT as DEBT_NOTICE
from .debt_notice import debt_notice_blocks
from .envelope import Envelope, envelope_for
from .hebcal import hebrew_date
from .legal import DEBT_ADVICE
from .model import (
    Debtor,
    DocumentContext,
    ExtraLine,
    InvoiceLine,
    LetterContext,
    Letterhead,
    PlanContext,
    SettlementContext,
    StatementContext,
)
from .wording import Link, Run, Texts, texts

if TYPE_CHECKING:  # pragma: no cover
    from gvia.core.statement import Statement


# --- blocks ------------------------------------------------------------------------

@dataclass(frozen=True)
class Para:
    """A paragraph. ``style``: "body", "small" (fine print), "note" (grey) or "closing"
    (kept on the page of the signature that follows)."""

    runs: tuple[Run, ...]
    style: str = "body"

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Column:
    title: str
    align: str = "start"          # "start" or "end" (numbers)
    width: str = "auto"           # "auto", a share of the rest ("1fr") or fixed ("26mm")


@dataclass(frozen=True)
class Cell:
    text: str
    span: int = 1
    page_after_end: int | None = None   # PDF only: "last page of this document + n"


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    style: str = "item"           # "item", "extra", "total", "balance"


@dataclass(frozen=True)
class Table:
    """A table; ``form``: rows tall enough to write in by hand (a form to fill in)."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    form: bool = False


@dataclass(frozen=True)
class Pairs:
    """Labelled values in a box: bank details, the terms of a settlement."""

    title: str
    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Items:
    """A numbered list (the terms of an agreement)."""

    items: tuple[tuple[Run, ...], ...]


@dataclass(frozen=True)
class Signature:
    """The sender's signature: name, title, organization (space left to sign above)."""

    lines: tuple[str, ...]


@dataclass(frozen=True)
class Signatures:
    """Signature lines for the parties of an agreement: (role, name)."""

    parties: tuple[tuple[str, str], ...]
    name_label: str = ""
    signature_label: str = ""
    date_label: str = ""


@dataclass(frozen=True)
class Checklist:
    items: tuple[tuple[bool, str], ...]


@dataclass(frozen=True)
class Choices:
    """Tick boxes on a form: each option's text, and whether a line to write on follows it."""

    options: tuple[tuple[tuple[Run, ...], bool], ...]


@dataclass(frozen=True)
class WriteIn:
    """A label with ruled lines under it to write on (a form)."""

    label: str
    lines: int = 1


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Image:
    """An image on a page of its own (a scanned attachment in the case file). PDF only."""

    path: str
    caption: str = ""


@dataclass(frozen=True)
class Qr:
    """A paragraph that gives a link (``runs``, the customer's page) with the link's QR code beside
    it on paper; an e-mail shows the paragraph alone."""

    url: str
    runs: tuple[Run, ...] = ()


Block = Union[Para, Heading, Table, Pairs, Items, Signature, Signatures, Checklist, Choices, WriteIn,
              PageBreak, Image, Qr]


@dataclass(frozen=True)
class Sender:
    name: str
    lines: tuple[str, ...]
    return_line: str
    logo: str | None               # the letterhead's image file, as configured


@dataclass(frozen=True)
class Composed:
    """A document ready to be drawn as a PDF page or written as an e-mail."""

    document: str
    language: str
    locale: str
    rtl: bool
    layout: str                    # "letter" (window envelope), "report" or "plain"
    envelope: Envelope
    subject: str                   # the e-mail subject and the PDF title
    title: str
    title_prefix: str              # "הנדון:" in Hebrew letters
    sender: Sender
    recipient: tuple[str, ...]
    notice: str                    # the postal endorsement (registered mail) or ""
    meta: tuple[tuple[str, str], ...]
    blocks: tuple[Block, ...]
    footer: str
    running_head: str
    page_label: str                # "Page {page} of {pages}"
    reference: str
    as_of: date
    accent: str
    body_font: str
    heading_font: str
    author: str
    extra_pages: int = 0           # pages merged after this document (case file)
    pdf_only_from: int | None = None   # blocks from here on (forms, annexes) are not e-mailed

    @property
    def email_blocks(self) -> tuple[Block, ...]:
        """The blocks an e-mail shows: all but the PDF-only annexes."""
        return self.blocks if self.pdf_only_from is None else self.blocks[:self.pdf_only_from]


# --- formatting in the document's language --------------------------------------------

def document_locale(language: str, org_locale: str) -> str:
    """The locale amounts and dates are written in (see the module doc)."""
    loc = parse_locale(org_locale)
    if loc.language == language:
        return org_locale
    return "en-GB" if language == "en" else language


class DocFormat:
    """Formatting helpers bound to one document's language, locale and direction."""

    def __init__(self, language: str, org_locale: str) -> None:
        self.language = language
        self.t: Texts = texts(language)
        self.locale = document_locale(language, org_locale)
        self.rtl = is_rtl(self.locale)

    def money(self, m: Money) -> str:
        return format_money(m, self.locale)

    def date(self, d: date | None) -> str:
        return format_date(d, self.locale) if d is not None else ""

    def count(self, n: int) -> str:
        return format_count(n, self.locale)

    def ltr(self, s: str) -> str:
        """An invoice number, reference, phone, e-mail or link: an LTR isolate in Hebrew."""
        return isolate_ltr(s) if (s and self.rtl) else s

    def link(self, url: str) -> Link:
        """A web address: its own run (clickable in the PDF and the HTML e-mail)."""
        return Link(url, self.ltr(url))

    def name(self, s: str) -> str:
        """A name, an address line or free text: isolated if it is of the other direction."""
        return isolate_if_mixed(s, self.rtl) if s else s

    def totals(self, totals: Totals | Iterable[Money]) -> str:
        items = [totals[c] for c in totals] if isinstance(totals, Totals) else list(totals)
        return join_list([self.money(m) for m in items], self.locale)

    def days(self, n: int, business: bool = False) -> str:
        key = "labels.business_days" if business else "labels.days"
        return self.t(key, n, n=self.count(n))

    def list(self, items: Sequence[str]) -> str:
        return join_list(list(items), self.locale)

    def either(self, items: Sequence[str]) -> str:
        return join_or(list(items), self.locale)

    def para(self, key: str, plural: int | None = None, /, style: str = "body", **values) -> Para:
        return Para(tuple(self.t.runs(key, plural, **values)), style)

    def tax_id_label(self, debtor: Debtor) -> str:
        """The label of the customer's number, by its kind (:attr:`Debtor.id_label_code`)."""
        return self.t(f"labels.{debtor.id_label_code}")

    def org_tax_id_label(self, lh: Letterhead) -> str:
        return lh.tax_id_label or self.t("labels.company_no")


# --- shared parts --------------------------------------------------------------------

def _sender(f: DocFormat, lh: Letterhead) -> Sender:
    t = f.t
    address = ", ".join(f.name(a) for a in lh.address_lines)
    contact = []
    if lh.phone:
        contact.append(f"{t('labels.phone')} {f.ltr(lh.phone)}")
    if lh.email:
        contact.append(f"{t('labels.email')} {f.ltr(lh.email)}")
    if lh.tax_id:
        contact.append(f"{f.org_tax_id_label(lh)} {f.ltr(lh.tax_id)}")
    lines = tuple(x for x in (address, " · ".join(contact), f.ltr(lh.website)) if x)
    return_line = " · ".join(x for x in (f.name(lh.name), address) if x)
    return Sender(f.name(lh.name), lines, return_line, lh.logo_path)


def _recipient(f: DocFormat, d: Debtor, with_id: bool) -> tuple[str, ...]:
    t = f.t
    lines = [t("labels.to")] if t("labels.to") else []
    lines.append(f.name(d.name))
    if with_id and d.tax_id:
        lines.append(f"{f.tax_id_label(d)} {f.ltr(d.tax_id)}")
    if d.contact_person:
        lines.append(f"{t('labels.attn')} {f.name(d.contact_person)}")
    lines += [f.name(a) for a in d.address_lines]
    return tuple(lines)


def _meta(f: DocFormat, ctx, with_hebrew_date: bool) -> tuple[tuple[str, str], ...]:
    t, lh = f.t, ctx.letterhead
    meta = [(t("labels.date"), f.date(ctx.as_of))]
    if with_hebrew_date:
        meta.append(("", hebrew_date(ctx.as_of, f.language)))
    if ctx.reference:
        meta.append((t("labels.reference"), f.ltr(ctx.reference)))
    if ctx.debtor.customer_ref:
        meta.append((t("labels.customer_no"), f.ltr(ctx.debtor.customer_ref)))
    if lh.signatory_name:
        meta.append((t("labels.contact_person"), f.name(lh.signatory_name)))
    if lh.phone:
        meta.append((t("labels.phone"), f.ltr(lh.phone)))
    if lh.email:
        meta.append((t("labels.email"), f.ltr(lh.email)))
    return tuple(meta)


def _footer(f: DocFormat, lh: Letterhead, reference: str) -> str:
    parts = [f.name(lh.name)]
    if lh.tax_id:
        parts.append(f"{f.org_tax_id_label(lh)} {f.ltr(lh.tax_id)}")
    if reference:
        parts.append(f"{f.t('labels.reference')} {f.ltr(reference)}")
    return " · ".join(parts)


def _bank_pairs(f: DocFormat, lh: Letterhead, reference: str) -> Pairs | None:
    b = lh.bank
    if b is None:
        return None
    t = f.t
    items = [(t(f"labels.{k}"), f.ltr(v) if k not in ("bank", "beneficiary") else f.name(v))
             for k in ("beneficiary", "bank", "branch", "account", "iban", "swift", "sort_code",
                       "routing_number")
             if (v := getattr(b, k))]
    items += [("", f.name(line)) for line in b.lines]
    if reference:
        items.append((t("labels.payment_reference"), f.ltr(reference)))
    return Pairs(t("labels.bank_title"), tuple(items)) if items else None


def _payment_blocks(f: DocFormat, ctx, reference: str) -> list[Block]:
    lh = ctx.letterhead
    out: list[Block] = []
    pairs = _bank_pairs(f, lh, reference)
    if pairs is not None:
        key = "letter.pay_bank" if reference else "letter.pay_bank_plain"
        out += [f.para(key, reference=f.ltr(reference)), pairs]
    if lh.payment_link:
        out.append(f.para("letter.pay_link", payment_link=f.link(lh.payment_link)))
    return out


def _portal(f: DocFormat, url: str) -> list[Block]:
    """The link to the customer's page, and its QR code on paper (issue 16)."""
    return [Qr(url, f.para("letter.portal", portal_url=f.link(url)).runs)] if url else []


def _contact(f: DocFormat, lh: Letterhead) -> list[Block]:
    ways = []
    if lh.phone:
        ways.append(f.t("letter.contact_phone", phone=f.ltr(lh.phone)))
    if lh.email:
        ways.append(f.t("letter.contact_email", email=f.ltr(lh.email)))
    if not ways:
        return []
    if _in_sentence(f, lh.signatory_name):
        return [f.para("letter.contact_named", signatory=f.name(lh.signatory_name),
                       contact_ways=f.either(ways))]
    return [f.para("letter.contact_generic", contact_ways=f.either(ways))]


def _in_sentence(f: DocFormat, name: str) -> str:
    """``name`` when a sentence of this document may hold it: the organization never puts a
    Hebrew name (its signatory's, when no English one is given) inside an English
    (left-to-right) sentence; the sentence then takes its generic form. The customer's own
    name is theirs, and is written as it is."""
    return "" if not name or (not f.rtl and has_rtl(name)) else name


def _free_text(text: str) -> list[Block]:
    paras = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n")]
    return [Para((Run(p),)) for p in paras if p]


def _signature(f: DocFormat, lh: Letterhead) -> Signature:
    lines = tuple(x for x in (f.name(lh.signatory_name), f.name(lh.signatory_title),
                              f.name(lh.name)) if x)
    return Signature(lines)


def _addressee(d: Debtor) -> str:
    """Whom the letter greets: the contact person, or the customer when it is a person."""
    return d.contact_person or (d.name if d.is_individual else "")


def _greeting(f: DocFormat, d: Debtor, formal: bool) -> Para:
    prefix = "letter.formal_greeting" if formal else "letter.greeting"
    if _addressee(d):
        return f.para(f"{prefix}_named", contact=f.name(_addressee(d)))
    return f.para(f"{prefix}_generic")


def _closing(f: DocFormat, d: Debtor, formal: bool) -> Para:
    if not formal:
        return f.para("letter.closing_friendly", style="closing")
    key = "letter.closing_formal_named" if _addressee(d) else "letter.closing_formal_generic"
    return f.para(key, style="closing")


AMOUNT_W = "26mm"   # fits "₪12,345,678.90" in the table's type size
DATE_W = "19mm"


def days_overdue(ln: InvoiceLine, as_of: date) -> int:
    """The line's days overdue, or ``(as_of - due_date).days`` (never below 0)."""
    if ln.days_overdue is not None:
        return ln.days_overdue
    return max(0, (as_of - ln.due_date).days)


def extra_label(f: DocFormat, x: ExtraLine) -> str:
    """An extra line's label: its own or the texts' for its kind, then its detail."""
    label = x.label or f.t(f"extra.{x.kind}")
    return f"{label} ({f.name(x.detail)})" if x.detail else label


def invoice_table(f: DocFormat, invoices: Sequence[InvoiceLine], extras: Sequence[ExtraLine],
                  as_of: date, full: bool, totals: Totals | None = None) -> Table:
    """Open invoices; with ``full`` the original amount and days overdue too; interest and
    fees as separate lines under them; then ``totals`` per currency when given (a demand's
    figures, :mod:`gvia.core.demand`: this module adds nothing up itself)."""
    t = f.t
    d = "19mm" if full else "22mm"
    cols = [Column(t("columns.invoice"), width="1fr"), Column(t("columns.issue_date"), width=d),
            Column(t("columns.due_date"), width=d)]
    if full:
        cols += [Column(t("columns.original"), "end", AMOUNT_W), Column(t("columns.open"), "end", AMOUNT_W),
                 Column(t("columns.days_overdue"), "end", "18mm")]
    else:
        cols += [Column(t("columns.amount"), "end", AMOUNT_W)]
    span = len(cols) - 2 if full else len(cols) - 1
    tail = (Cell(""),) if full else ()
    rows: list[Row] = []
    for ln in invoices:
        number = f.ltr(ln.number)
        if ln.allocation_number:
            number += " " + t("labels.allocation_number", number=f.ltr(ln.allocation_number))
        cells = [Cell(number), Cell(f.date(ln.issue_date)), Cell(f.date(ln.due_date))]
        if full:
            cells += [Cell(f.money(ln.original)), Cell(f.money(ln.open)),
                      Cell(f.count(days_overdue(ln, as_of)))]
        else:
            cells.append(Cell(f.money(ln.open)))
        rows.append(Row(tuple(cells)))
    for x in extras:
        rows.append(Row((Cell(extra_label(f, x), span), Cell(f.money(x.amount))) + tail, "extra"))
    if totals is not None:
        for cur in totals:
            label = t("labels.total") if len(totals) == 1 else t("labels.total_currency", currency=cur)
            rows.append(Row((Cell(label, span), Cell(f.money(totals[cur]))) + tail, "total"))
    return Table(tuple(cols), tuple(rows))


def frame(f: DocFormat, ctx, *, document: str, subject: str, title: str, blocks: list[Block],
          layout: str = "letter", formal_recipient: bool = False, notice: str = "",
          hebrew: bool = False, title_prefix: bool = True) -> Composed:
    """A composed document around ``blocks``: letterhead, window address, information
    block, footer and running head from the context's letterhead and debtor."""
    lh = ctx.letterhead
    reference = ctx.reference
    env = envelope_for(lh.envelope, lh.locale)
    return Composed(
        document=document,
        language=f.language,
        locale=f.locale,
        rtl=f.rtl,
        layout=layout,
        envelope=env,
        subject=subject,
        title=title,
        title_prefix=f.t("labels.re") if title_prefix else "",
        sender=_sender(f, lh),
        recipient=_recipient(f, ctx.debtor, with_id=formal_recipient),
        notice=notice,
        meta=_meta(f, ctx, hebrew),
        blocks=tuple(blocks),
        footer=_footer(f, lh, reference),
        running_head=" · ".join(x for x in (f.name(lh.name), title, f.name(ctx.debtor.name)) if x),
        page_label=f.t.raw("labels.page"),
        reference=reference,
        as_of=ctx.as_of,
        accent=lh.accent,
        body_font=lh.body_font,
        heading_font=lh.heading_font,
        author=lh.name,
    )


# --- the letters -------------------------------------------------------------------

def _lines_values(f: DocFormat, lines: Sequence[InvoiceLine], totals: Totals) -> dict[str, str]:
    """The count, the first invoice (number, open amount, due date) and the total of
    ``lines``: the invoices a sentence speaks of."""
    first = lines[0] if lines else None
    return {
        "count": f.count(len(lines)),
        "first_number": f.ltr(first.number) if first else "",
        "first_amount": f.money(first.open) if first else "",
        "first_due": f.date(first.due_date) if first else "",
        "invoices_total": f.totals(totals),
    }


def _letter_values(f: DocFormat, ctx: LetterContext, d: Demand[InvoiceLine, ExtraLine]) -> dict[str, str]:
    """The values of a letter's sentences, from its demand: ``total`` is what it asks to be
    paid (the demanded invoices and the interest and fees), ``invoices_total`` and
    ``first_amount`` the invoices' own open amounts (never with interest folded in)."""
    lh, debtor = ctx.letterhead, ctx.debtor
    span = ""
    if ctx.deadline_days:
        span = f.t("letter.deadline_span", days=f.days(ctx.deadline_days, ctx.business_days))
    return {
        "org": f.name(lh.name),
        "customer": f.name(debtor.name),
        "contact": f.name(debtor.contact_person or debtor.name),
        "total": f.totals(d.totals),
        **_lines_values(f, d.demanded, d.invoice_totals),
        "max_days": f.days(max((days_overdue(ln, ctx.as_of) for ln in d.demanded), default=0)),
        "as_of": f.date(ctx.as_of),
        "deadline": f.date(ctx.deadline),
        "deadline_span": span,
        "claim_basis": f.name(ctx.claim_basis),
    }


def not_yet_due_blocks(f: DocFormat, lines: Sequence[InvoiceLine], as_of: date) -> list[Block]:
    """Invoices not yet due on the document's date, apart from what it demands: a heading
    ("not yet due — not demanded"), a sentence saying they are not asked for, their table
    without a total."""
    if not lines:
        return []
    return [Heading(f.t("letter.not_yet_due_title"), 2), f.para("letter.not_yet_due_note", len(lines)),
            invoice_table(f, lines, (), as_of, full=False)]


def time_barred_blocks(f: DocFormat, lines: Sequence[InvoiceLine], as_of: date) -> list[Block]:
    """Invoices past their limitation date, in a letter that threatens proceedings: a heading
    ("time-barred — not claimed"), a sentence saying they are not part of the demand, their
    table without a total (:attr:`gvia.core.demand.Demand.time_barred`)."""
    if not lines:
        return []
    return [Heading(f.t("letter.time_barred_title"), 2), f.para("letter.time_barred_note", len(lines)),
            invoice_table(f, lines, (), as_of, full=False)]


def _interest_by_law(f: DocFormat, ctx: LetterContext) -> list[Block]:
    """Linkage differentials and interest owed with no figure (the law's method for part of the
    period is not in gvia's sources: gvia.core.il_interest): said in words, without a number."""
    return [f.para("letter.interest_by_law")] if ctx.interest_by_law else []


def _with_charges(f: DocFormat, d: Demand[InvoiceLine, ExtraLine], v: dict[str, str]) -> list[Block]:
    """When interest or fees are asked for, a sentence saying they are lines of their own."""
    return [f.para("letter.with_charges", **v)] if d.extra_lines else []


def _percent(f: DocFormat, values: Sequence[str]) -> str:
    return f.list([f.ltr(f"{v}%") for v in values])


def _statutory(f: DocFormat, ctx: LetterContext) -> list[Block]:
    """The UK statutory interest claimed: the Act, the rate, the daily interest, the fixed sums."""
    s = ctx.statutory
    if s is None:
        return []
    w = {"rate": _percent(f, s.percents), "base_rate": _percent(f, s.base_rates), "daily": f.money(s.daily),
         "fixed": f.money(s.fixed) if s.fixed is not None else ""}
    return [f.para("letter.statutory" if s.fixed is not None else "letter.statutory_no_fixed", **w)]


def _suppliers_law(f: DocFormat, ctx: LetterContext, demanded: Sequence[InvoiceLine]) -> list[Block]:
    """Israel's suppliers' payment law: the law and the legal payment day of each demanded invoice
    it covers, and what it adds when late (in words, no figure: gvia.core.suppliers_law)."""
    days = {d.number: d.legal_day for d in ctx.suppliers_law}
    items = [f.t("letter.suppliers_law_item", number=f.ltr(ln.number), date=f.date(days[ln.number]))
             for ln in demanded if ln.number in days]
    if not items:
        return []
    return [f.para("letter.suppliers_law", len(items), items=f.list(items), days=f.days(ARREARS_AFTER_DAYS.value))]


def _basis(f: DocFormat, key: str, ctx: LetterContext, v: dict[str, str]) -> list[Block]:
    """The sentence naming the written basis of the claim, left out when none is known."""
    return [f.para(key, **v)] if ctx.claim_basis.strip() else []


def registered_notice(f: DocFormat, lh: Letterhead) -> str:
    """The postal endorsement of a registered letter, as the sender's country calls it: in the
    UK "signed-for" post; elsewhere registered mail with delivery confirmation."""
    region = parse_locale(lh.locale).territory
    return f.t("labels.registered_signed_for" if region == "GB" else "labels.registered")


def _compose_courtesy(ctx: LetterContext, f: DocFormat, v: dict[str, str]) -> tuple[list[Block], str]:
    """A friendly note before the due date, and its subject: what is coming due is "due soon";
    anything already past its due date is said to be so, never "due soon" (whatever the
    policy's mode, since the note is about what is coming due)."""
    d: Demand[InvoiceLine, ExtraLine] = demand(ctx.invoices, ctx.as_of, "list_apart", ())
    upcoming, overdue = d.not_yet_due, d.demanded
    ov = dict(v, **_lines_values(f, overdue, d.invoice_totals))
    blocks: list[Block] = []
    subject = f.t("courtesy.subject_overdue")
    if upcoming:
        up = dict(v, **_lines_values(f, upcoming, d.not_yet_due_totals))
        subject = f.t("courtesy.subject", len(upcoming), **up)
        blocks += [f.para("courtesy.intro", len(upcoming), **up),
                   invoice_table(f, upcoming, (), ctx.as_of, full=False, totals=d.not_yet_due_totals)]
        if overdue:
            blocks += [f.para("courtesy.overdue", len(overdue), **ov),
                       invoice_table(f, overdue, (), ctx.as_of, full=True, totals=d.invoice_totals)]
    else:
        blocks += [f.para("courtesy.intro_overdue", len(overdue), **ov),
                   invoice_table(f, overdue, (), ctx.as_of, full=True, totals=d.invoice_totals)]
    return blocks + [f.para("courtesy.help", len(ctx.invoices)), f.para("courtesy.paid")], subject


def _compose_letter(ctx: LetterContext) -> Composed:
    checks.check_letter(ctx)
    f = DocFormat(ctx.language, ctx.letterhead.locale)
    doc, debtor, lh = ctx.document, ctx.debtor, ctx.letterhead
    d = ctx.demand
    v = _letter_values(f, ctx, d)
    n = len(d.demanded)
    formal = doc in checks.FORMAL
    earlier = ctx.earlier_approaches > 0
    table = invoice_table(f, d.demanded, d.extra_lines, ctx.as_of, full=True, totals=d.totals)
    apart = [*_interest_by_law(f, ctx),
             *not_yet_due_blocks(f, d.not_yet_due, ctx.as_of), *time_barred_blocks(f, d.time_barred, ctx.as_of)]
    pay = _payment_blocks(f, ctx, ctx.reference)
    tail = [*_portal(f, ctx.portal_url), *_contact(f, lh), *_free_text(ctx.free_text)]
    blocks: list[Block] = [_greeting(f, debtor, formal)]
    subject = ""
    if doc == "courtesy":
        courtesy, subject = _compose_courtesy(ctx, f, v)
        blocks += [*courtesy, *pay, *tail]
    elif doc == "reminder":
        blocks += [f.para("reminder.intro", n, **v), table, *_with_charges(f, d, v),
                   *_suppliers_law(f, ctx, d.demanded), *apart,
                   f.para("reminder.maybe_paid"), f.para("reminder.help", n)]
        if ctx.deadline:
            blocks.append(f.para("reminder.deadline", **v))
        blocks += [*pay, *tail]
    elif doc == "second_reminder":
        blocks += [f.para("second_reminder.intro" if earlier else "second_reminder.intro_first"),
                   f.para("second_reminder.balance", n, **v), table, *_with_charges(f, d, v),
                   *_suppliers_law(f, ctx, d.demanded), *apart,
                   f.para("second_reminder.help")]
        if ctx.deadline:
            blocks.append(f.para("second_reminder.deadline", **v))
        blocks += [*pay, *tail]
    elif doc == "warning_letter":
        p = "warning_letter"
        blocks += [f.para(f"{p}.intro" if earlier else f"{p}.intro_first", n, **v),
                   *_basis(f, f"{p}.basis", ctx, v), f.para("letter.debt_as_of", **v), table, *apart,
                   f.para(f"{p}.questions"), f.para(f"{p}.demand", **v), *_statutory(f, ctx),
                   *_suppliers_law(f, ctx, d.demanded), *pay,
                   *_portal(f, ctx.portal_url), f.para(f"{p}.consequences"), f.para("letter.offer_plan"),
                   *_contact(f, lh), *_free_text(ctx.free_text),
                   f.para("letter.rights_reserved", **v)]
    elif doc == "letter_of_claim":
        return _compose_letter_of_claim(ctx, f, v, [table, *apart], pay)
    elif doc == DEBT_NOTICE:     # Israel's consumer debt notice (Consumer Protection Law s.13B2)
        blocks += debt_notice_blocks(f, ctx, v, n, [table, *apart], pay, tail)
    else:  # warning_execution_office
        # the earliest the claim can be filed: the notice delivered on the letter's own date
        # (the one filing clock, gvia.core.legal_rules.earliest_filing; it counts from delivery)
        rule = execution_office_rule(ctx.as_of)
        w = dict(v, notice_days=f.days(rule.notice_days),
                 earliest_filing=f.date(earliest_filing(rule, ctx.as_of, ctx.as_of).on or ctx.as_of))
        p = "warning_execution_office"
        blocks += [f.para(f"{p}.basis"), f.para(f"{p}.intro", n, **w), *_basis(f, f"{p}.claim_basis", ctx, w),
                   f.para("letter.debt_as_of", **w), table, *apart, f.para(f"{p}.intention", **w),
                   f.para(f"{p}.demand", **w), *_suppliers_law(f, ctx, d.demanded), *pay,
                   *_portal(f, ctx.portal_url), f.para(f"{p}.objection"),
                   f.para("letter.offer_plan"), *_contact(f, lh), *_free_text(ctx.free_text),
                   f.para("letter.rights_reserved", **w)]
    blocks += [_closing(f, debtor, formal), _signature(f, lh)]
    subject = subject or f.t(f"{doc}.subject", n, **v)
    return frame(f, ctx, document=doc, subject=subject, title=f.t(f"{doc}.title", **v),
                  blocks=blocks, formal_recipient=formal,
                  notice=registered_notice(f, lh) if ctx.registered_mail else "",
                  hebrew=ctx.hebrew_date)


# --- the UK letter of claim ------------------------------------------------------------

LOC = "letter_of_claim"
FS_INCOME = ("wages", "partner_wages", "benefits", "pensions", "maintenance", "other")
FS_OUTGOINGS = ("housing", "council_tax", "energy", "water", "phone", "food", "travel",
                "insurance", "childcare", "court_orders", "other_creditors", "other")
FORM_ROWS_DEBTS = 3


def _annex_head(f: DocFormat, ctx: LetterContext, key: str) -> list[Block]:
    """A new page with the annex's title and which letter it belongs to."""
    note = f.t(f"{LOC}.annex_of", as_of=f.date(ctx.as_of))
    if ctx.reference:
        note += f" · {f.t('labels.reference')} {f.ltr(ctx.reference)}"
    return [PageBreak(), Heading(f.t(f"{LOC}.{key}.title")), Para((Run(note),), "note")]


def _information_sheet(f: DocFormat, ctx: LetterContext, w: dict) -> list[Block]:
    t, p = partial(f.t, **w), f"{LOC}.info"
    rows = []
    for a in DEBT_ADVICE:
        note = t(f"{p}.note.{a.note}") if a.note else ""
        name = f.name(a.name) + (f" ({note})" if note else "")
        rows.append(Row((Cell(name), Cell(f.ltr(a.phone)), Cell(f.ltr(a.website)))))
    advice = Table((Column(t(f"{p}.col_service"), width="1fr"), Column(t("labels.phone"), width="30mm"),
                    Column(t(f"{p}.col_website"), width="48mm")), tuple(rows))
    blocks = _annex_head(f, ctx, "info")
    blocks += [f.para(f"{p}.intro", **w)]
    for part in ("reply", "no_reply", "advice"):
        blocks += [Heading(t(f"{p}.h_{part}"), 2), f.para(f"{p}.{part}", **w)]
    blocks += [advice, f.para(f"{p}.advice_time", **w)]
    for part in ("instalments", "dispute", "copy"):
        blocks += [Heading(t(f"{p}.h_{part}"), 2), f.para(f"{p}.{part}", **w)]
    return blocks


def _signed_by(f: DocFormat, role_key: str, name: str) -> Signatures:
    """The customer's signature and date under a form (the name is printed)."""
    t = f.t
    return Signatures(((t(role_key), name),), "", t("labels.signature"), t("labels.date"))


def _reply_form(f: DocFormat, ctx: LetterContext, w: dict) -> list[Block]:
    t, p, d = partial(f.t, **w), f"{LOC}.form", ctx.debtor

    def opt(key: str, blank: bool = False) -> tuple[tuple[Run, ...], bool]:
        return tuple(f.t.runs(f"{p}.{key}", **w)), blank

    details = [(t("labels.name"), f.name(d.name))]
    if d.address_lines:
        details.append((t(f"{p}.address"), ", ".join(f.name(a) for a in d.address_lines)))
    if ctx.reference:
        details.append((t("labels.reference"), f.ltr(ctx.reference)))
    if d.customer_ref:
        details.append((t("labels.customer_no"), f.ltr(d.customer_ref)))
    blocks = _annex_head(f, ctx, "form")
    blocks += [
        f.para(f"{p}.intro", **w),
        Pairs(t(f"{p}.details"), tuple(details)),
        WriteIn(t(f"{p}.contact_line")),
        Heading(t(f"{p}.s_debt"), 2),
        Choices((opt("owe_all"), opt("owe_part", True), opt("dont_know"), opt("dispute"))),
        Heading(t(f"{p}.s_pay"), 2),
        Choices((opt("pay_all", True), opt("pay_instalments", True))),
        f.para(f"{p}.fs_note", style="small", **w),
        Heading(t(f"{p}.s_advice"), 2),
        Choices((opt("advice_getting", True), opt("advice_want"), opt("more_time", True))),
        Heading(t(f"{p}.s_documents"), 2),
        WriteIn(t(f"{p}.documents"), 2),
        Heading(t(f"{p}.s_reasons"), 2),
        WriteIn(t(f"{p}.reasons"), 3),
        f.para(f"{p}.confirm", **w),
        _signed_by(f, f"{p}.signed", f.name(d.name)),
    ]
    return blocks


def _financial_statement(f: DocFormat, ctx: LetterContext, w: dict) -> list[Block]:
    t, p = partial(f.t, **w), f"{LOC}.fs"
    amount = Column(t(f"{p}.per_month"), "end", "36mm")

    def form(title: str, keys: Sequence[str], totals: Sequence[str]) -> Table:
        rows = [Row((Cell(t(f"{p}.{title}_rows.{k}")), Cell(""))) for k in keys]
        rows += [Row((Cell(t(f"{p}.{k}")), Cell("")), "total") for k in totals]
        return Table((Column(t(f"{p}.{title}"), width="1fr"), amount), tuple(rows), form=True)

    household = Table((Column(t(f"{p}.adults"), width="1fr"), Column(t(f"{p}.children"), width="1fr")),
                      (Row((Cell(""), Cell(""))),), form=True)
    debts = Table((Column(t(f"{p}.creditor"), width="1fr"), Column(t(f"{p}.owed"), "end", "36mm"),
                   Column(t(f"{p}.paying"), "end", "36mm")),
                  tuple(Row((Cell(""), Cell(""), Cell(""))) for _ in range(FORM_ROWS_DEBTS)), form=True)
    blocks = _annex_head(f, ctx, "fs")
    blocks += [
        f.para(f"{p}.intro", **w),
        household,
        form("income", FS_INCOME, ("total_income",)),
        form("outgoings", FS_OUTGOINGS, ("total_outgoings", "left")),
        Heading(t(f"{p}.h_debts"), 2),
        debts,
        f.para(f"{p}.confirm", **w),
        _signed_by(f, f"{p}.signed", f.name(ctx.debtor.name)),
    ]
    return blocks


def _compose_letter_of_claim(ctx: LetterContext, f: DocFormat, v: dict, debt: list[Block],
                             pay: list[Block]) -> Composed:
    """The Letter of Claim of the Pre-Action Protocol for Debt Claims, then its Information
    Sheet, Reply Form and Financial Statement, each on new pages (PDF only; an e-mail carries
    the letter and the PDF goes with it). ``debt``: the table of what is demanded, then what
    is not yet due, apart."""
    t, lh, d, p = f.t, ctx.letterhead, ctx.debtor, LOC
    n = len(ctx.demand.demanded)
    rule = pre_action_debt_rule(ctx.as_of)
    reply_to = ", ".join(f.name(a) for a in lh.address_lines)
    if lh.email:
        reply_to += t(f"{p}.or_email", email=f.ltr(lh.email))
    w = dict(v, reply_days=f.days(rule.reply_days), reply_to=reply_to)
    blocks: list[Block] = [
        _greeting(f, d, True),
        f.para(f"{p}.protocol"),
        f.para(f"{p}.intro" if ctx.earlier_approaches > 0 else f"{p}.intro_first", n, **w),
        f.para(f"{p}.agreement" if ctx.claim_basis.strip() else f"{p}.no_agreement", **w),
        f.para("letter.debt_as_of", **w), *debt,
        f.para(f"{p}.interest_continuing" if ctx.interest_accrues else f"{p}.interest_none"),
        *_statutory(f, ctx),
        f.para(f"{p}.reply", **w),
        f.para(f"{p}.enclosed", **w),
        f.para(f"{p}.pay", **w), *pay, *_portal(f, ctx.portal_url),
        f.para(f"{p}.instalments"),
        f.para(f"{p}.dispute"),
        f.para(f"{p}.advice"),
        f.para(f"{p}.consequences", **w),
        *_contact(f, lh), *_free_text(ctx.free_text),
    ]
    if t.raw(f"{p}.language_note"):
        blocks.append(f.para(f"{p}.language_note", style="note"))
    blocks += [_closing(f, d, True), _signature(f, lh), f.para(f"{p}.enclosures", style="small")]
    annexes = [*_information_sheet(f, ctx, w), *_reply_form(f, ctx, w), *_financial_statement(f, ctx, w)]
    c = frame(f, ctx, document=p, subject=t(f"{p}.subject", **w), title=t(f"{p}.title", **w),
              blocks=blocks + annexes, formal_recipient=True,
              notice=registered_notice(f, lh) if ctx.registered_mail else "", hebrew=ctx.hebrew_date)
    return replace(c, pdf_only_from=len(blocks))


# --- statement ---------------------------------------------------------------------

def statement_tables(f: DocFormat, st: "Statement") -> list[Block]:
    """One table per currency: date, entry, reference, charges, payments, running balance;
    the balance brought forward first (when the statement starts at ``since``), the closing
    balance last."""
    t = f.t
    blocks: list[Block] = []
    currencies = sorted(set(st.closing) | set(st.opening) | {ln.currency for ln in st.lines})
    cols = (Column(t("columns.date"), width=DATE_W), Column(t("columns.kind"), width="1fr"),
            Column(t("columns.reference"), width="30mm"), Column(t("columns.debit"), "end", "24mm"),
            Column(t("columns.credit"), "end", "24mm"), Column(t("columns.balance"), "end", AMOUNT_W))
    for cur in currencies:
        if len(currencies) > 1:
            blocks.append(Heading(t("statement.currency_heading", currency=cur), 2))
        rows: list[Row] = []
        if st.since is not None:
            rows.append(Row((Cell(t("statement.opening"), 5),
                             Cell(f.money(st.opening.get_or_zero(cur)))), "balance"))
        for ln in st.lines_in(cur):
            kind = t(f"statement.kinds.{ln.kind}")
            if ln.pending:
                kind = f"{kind} {t('statement.post_dated')}"
            rows.append(Row((
                Cell(f.date(ln.date)), Cell(kind), Cell(f.ltr(ln.reference)),
                Cell(f.money(ln.debit) if ln.debit is not None else ""),
                Cell(f.money(ln.credit) if ln.credit is not None else ""),
                Cell(f.money(ln.balance)))))
        rows.append(Row((Cell(t("statement.closing"), 5),
                         Cell(f.money(st.closing.get_or_zero(cur)))), "total"))
        blocks.append(Table(cols, tuple(rows)))
    return blocks


def statement_interest(f: DocFormat, ctx: StatementContext) -> list[Block]:
    """Interest, linkage and fees on the statement's date, after the entries and apart from
    them: one line each, then the balance including them per currency; or a note that they
    could not be computed."""
    t = f.t
    if ctx.interest_by_law:
        return [f.para("statement.interest_by_law", style="note")]
    if ctx.interest_unavailable:
        return [f.para("statement.interest_unavailable", style="note", as_of=f.date(ctx.as_of))]
    if not ctx.extra_lines:
        return []
    cols = (Column(t("statement.interest_item"), width="1fr"), Column(t("columns.amount"), "end", AMOUNT_W))
    rows = [Row((Cell(extra_label(f, x)), Cell(f.money(x.amount))), "extra") for x in ctx.extra_lines]
    totals, charged = ctx.totals, {x.amount.currency for x in ctx.extra_lines}
    for cur in sorted(charged):
        label = (t("statement.with_interest") if len(totals) == 1
                 else t("statement.with_interest_currency", currency=cur))
        rows.append(Row((Cell(label), Cell(f.money(totals[cur]))), "total"))
    return [Heading(t("statement.interest_heading", as_of=f.date(ctx.as_of)), 2), Table(cols, tuple(rows))]


def _compose_statement(ctx: StatementContext) -> Composed:
    checks.check_statement(ctx)
    f = DocFormat(ctx.language, ctx.letterhead.locale)
    t, st = f.t, ctx.statement
    v = {"as_of": f.date(ctx.as_of), "since": f.date(st.since)}
    blocks: list[Block] = [_greeting(f, ctx.debtor, False),
                           f.para("statement.intro_since" if st.since else "statement.intro", **v)]
    blocks += statement_tables(f, st)
    blocks += statement_interest(f, ctx)
    balance = ctx.totals
    due = [balance[c] for c in balance if balance[c].amount > 0]
    credit = [-balance[c] for c in balance if balance[c].amount < 0]
    d = ctx.demand
    if due and d.not_yet_due:
        # what is due on the statement's date is the demand's; the rest falls due later
        later = f.totals(d.not_yet_due_totals)
        if d.demands_anything:
            blocks.append(f.para("statement.balance_split", total=f.totals(due), due_now=f.totals(d.totals),
                                 later=later, as_of=v["as_of"]))
        else:
            blocks.append(f.para("statement.balance_later", total=f.totals(due), later=later, as_of=v["as_of"]))
    elif due:
        key = "statement.balance_due_with_interest" if ctx.extra_lines else "statement.balance_due"
        blocks.append(f.para(key, total=f.totals(due)))
    if credit:
        blocks.append(f.para("statement.balance_credit", credit=f.totals(credit)))
    if not due and not credit:
        blocks.append(f.para("statement.balance_zero"))
    if len(st.pending):
        blocks.append(f.para("statement.pending", pending=f.totals(st.pending), style="note"))
    blocks.append(f.para("statement.mismatch"))
    if due:
        blocks += _payment_blocks(f, ctx, ctx.reference)
    blocks += [*_portal(f, ctx.portal_url), *_contact(f, ctx.letterhead),
               _closing(f, ctx.debtor, False), _signature(f, ctx.letterhead)]
    return frame(f, ctx, document="statement", subject=t("statement.subject", **v),
                  title=t("statement.title"), blocks=blocks, title_prefix=False)


# --- payment plan and settlement ---------------------------------------------------

def _party_id(f: DocFormat, label: str, tax_id: str) -> str:
    return f" ({label} {f.ltr(tax_id)})" if tax_id else ""


def _compose_plan(ctx: PlanContext) -> Composed:
    checks.check_plan(ctx)
    f = DocFormat(ctx.language, ctx.letterhead.locale)
    t, lh, d = f.t, ctx.letterhead, ctx.debtor
    n = len(ctx.installments)
    v = {
        "as_of": f.date(ctx.as_of), "org": f.name(lh.name), "customer": f.name(d.name),
        "org_id": _party_id(f, f.org_tax_id_label(lh), lh.tax_id),
        "customer_id": _party_id(f, f.tax_id_label(d), d.tax_id),
        "debt_total": f.money(ctx.debt_total), "count": f.count(n),
        "plan_id": f.ltr(ctx.plan_id), "grace_days": f.days(ctx.grace_days),
    }
    blocks: list[Block] = [f.para("payment_plan.parties", **v), f.para("payment_plan.acknowledge", **v)]
    if ctx.invoices:
        blocks += [f.para("payment_plan.invoices_intro"),
                   invoice_table(f, ctx.invoices, (), ctx.as_of, full=False, totals=open_totals(ctx.invoices))]
    rows = [Row((Cell(f.count(i.number)), Cell(f.date(i.due_date)), Cell(f.money(i.amount))))
            for i in ctx.installments]
    rows.append(Row((Cell(t("labels.total"), 2), Cell(f.money(ctx.debt_total))), "total"))
    blocks += [
        f.para("payment_plan.schedule", n, **v),
        Table((Column(t("columns.number"), width="14mm"),
               Column(t("columns.installment_due"), width="1fr"),
               Column(t("columns.amount"), "end", "30mm")), tuple(rows)),
        Heading(t("payment_plan.terms_title"), 2),
        Items(tuple(tuple(t.runs(f"payment_plan.{k}", **v))
                    for k in ("term_on_time", "term_cancel", "term_early", "term_reference"))),
        *_payment_blocks(f, ctx, ctx.plan_id),
        Signatures(((t("payment_plan.creditor"), f.name(lh.name)),
                    (t("payment_plan.debtor"), f.name(d.name))),
                   t("labels.name"), t("labels.signature"), t("labels.date")),
    ]
    return frame(f, ctx, document="payment_plan", subject=t("payment_plan.subject", **v),
                  title=t("payment_plan.title"), blocks=blocks, title_prefix=False)


def _compose_settlement(ctx: SettlementContext) -> Composed:
    checks.check_settlement(ctx)
    f = DocFormat(ctx.language, ctx.letterhead.locale)
    t, lh, d = f.t, ctx.letterhead, ctx.debtor
    v = {
        "as_of": f.date(ctx.as_of), "org": f.name(lh.name), "offer_id": f.ltr(ctx.offer_id),
        "debt_total": f.money(ctx.debt_total), "agreed": f.money(ctx.agreed_amount),
        "waived": f.money(ctx.waived), "deadline": f.date(ctx.deadline),
        "items": f.list([f.name(x) for x in ctx.waived_items]),
    }
    offer = ctx.demand
    blocks: list[Block] = [Para((Run(t("settlement.without_prejudice"), bold=True),)),
                           _greeting(f, d, True), f.para("settlement.intro", **v)]
    if offer.demanded:
        blocks.append(invoice_table(f, offer.demanded, (), ctx.as_of, full=True, totals=offer.invoice_totals))
    blocks += not_yet_due_blocks(f, offer.not_yet_due, ctx.as_of)
    blocks += [
        Pairs("", ((t("settlement.debt_label", **v), v["debt_total"]),
                   (t("settlement.agreed_label"), v["agreed"]),
                   (t("settlement.waived_label"), v["waived"]),
                   (t("settlement.deadline_label"), v["deadline"]))),
        f.para("settlement.offer", **v),
    ]
    if ctx.waived_items:
        blocks.append(f.para("settlement.waived_items", **v))
    blocks += [f.para("settlement.lapse"), *_payment_blocks(f, ctx, ctx.offer_id),
               f.para("settlement.accept"), *_contact(f, lh), _closing(f, d, True),
               _signature(f, lh),
               Signatures(((t("settlement.debtor"), f.name(d.name)),),
                          t("labels.name"), t("labels.signature"), t("labels.date"))]
    return frame(f, ctx, document="settlement", subject=t("settlement.subject", **v),
                  title=t("settlement.title"), blocks=blocks)


def compose(ctx: DocumentContext) -> Composed:
    """The document for ``ctx``; ValidationFailed when something it needs is missing."""
    from .courtesy import Translation, compose_translation  # it composes the original through here

    if isinstance(ctx, Translation):
        return compose_translation(ctx)
    if isinstance(ctx, LetterContext):
        return _compose_letter(ctx)
    if isinstance(ctx, StatementContext):
        return _compose_statement(ctx)
    if isinstance(ctx, PlanContext):
        return _compose_plan(ctx)
    if isinstance(ctx, SettlementContext):
        return _compose_settlement(ctx)
    raise TypeError(f"not a document context: {type(ctx).__name__}")


__all__ = [
    "Para", "Heading", "Column", "Cell", "Row", "Table", "Pairs", "Items", "Signature",
    "Signatures", "Checklist", "Choices", "WriteIn", "PageBreak", "Image", "Block", "Sender", "Composed", "DocFormat",
    "document_locale", "days_overdue", "invoice_table", "statement_tables", "frame", "compose",
]
