"""The filing pack for a fixed-sum claim at the Execution Office (Execution Law s.81A1): one PDF
page set with what the request to execute a fixed-sum claim ("בקשה לביצוע תביעה על סכום קצוב")
will be filled from, taken from the case — the creditor, the debtor, the amounts and the
invoices, the written basis, the warning and its delivery — and what must be attached.

**What is sourced and what is not.** The request is made on the Execution Office's form for a
fixed-sum claim, with attachments that a stored page of the Enforcement and Collection Authority
names (https://eca.what2do.co.il/P34891, docs/legal-sources.md 1e): "הבקשה מוגשת על טופס לביצוע
תביעה על סכום קצוב, בצירוף כתב תביעה, ראיה בכתב שעליה נסמכת התביעה והעתק מההתראה שנשלחה לחייב
ואישור מסירה" — the statement of claim, the written evidence, a copy of the warning and the
delivery confirmation (:data:`ATTACHMENTS`). **The form's own list of fields was not found** (the
searches tried are in docs/legal-sources.md 9d): the pack does not pretend to be the form. It
gives the case's facts under plain headings and says, on the page, that the form's fields are
unsourced and a person copies the facts into the form.

The pack knows no database: callers pass a :class:`FilingPackContext`
(:func:`gvia.services.legal.filing_pack.pack_context`). Its words are the ``documents`` catalogs'
``filing_pack.*`` keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from gvia.core.money import Money

from .compose import (
    AMOUNT_W,
    DATE_W,
    Block,
    Cell,
    Checklist,
    Column,
    Composed,
    DocFormat,
    Heading,
    Pairs,
    Para,
    Row,
    Table,
    frame,
)
from .model import Debtor, Letterhead
from .render import compile_pdf, typst_doc
from .wording import Run

#: What the request is filed with, as the stored source names it (see the module doc), in its order.
ATTACHMENTS = ("statement_of_claim", "written_evidence", "warning_copy", "delivery_confirmation")

#: The address and the sentence the attachments are read from.
ATTACHMENTS_SOURCE = ("https://eca.what2do.co.il/P34891",
                      "הבקשה מוגשת על טופס לביצוע תביעה על סכום קצוב, בצירוף כתב תביעה, ראיה בכתב שעליה נסמכת "
                      "התביעה והעתק מההתראה שנשלחה לחייב ואישור מסירה.")

#: Why the claim cannot be filed (yet), each ``filing_pack.blocker.<code>`` in the catalogs.
BLOCKERS = ("no_rule_on_file", "not_in_shekels", "over_fixed_sum_cap", "no_written_basis", "time_barred",
            "consumer_notice_wait", "consumer_notice_not_sent", "consumer_notice_missed",
            "consumer_notice_unknown", "not_posted", "awaiting_delivery_confirmation",
            "no_delivery_confirmation", "too_early")


@dataclass(frozen=True, kw_only=True)
class PackInvoice:
    number: str
    issue_date: date | None
    due_date: date
    amount: Money                  # open on the filing day


@dataclass(frozen=True, kw_only=True)
class PackWarning:
    """The s.81A1 warning sent on paper: its registered number, posting and delivery recorded,
    and the first filing day the one filing clock gives (None: not yet known)."""

    registered_number: str = ""
    posted_on: date | None = None
    delivered_on: date | None = None
    earliest_filing: date | None = None


@dataclass(frozen=True, kw_only=True)
class FilingPackContext:
    """Everything the pack shows (see the module doc). ``blockers``: codes of :data:`BLOCKERS`
    with their values (empty: nothing known stands in the way); ``attached``: for each of
    :data:`ATTACHMENTS`, whether the case holds it."""

    language: str
    as_of: date
    letterhead: Letterhead
    debtor: Debtor
    filing_day: date
    cap: Money | None
    principal: Money
    interest: Money
    claim: Money
    invoices: tuple[PackInvoice, ...]
    written_basis: str
    warning: PackWarning | None
    attached: dict[str, bool] = field(default_factory=dict)
    blockers: tuple[tuple[str, dict[str, object]], ...] = ()
    case_ref: str = ""
    document: str = field(default="filing_pack", init=False)

    @property
    def reference(self) -> str:
        return self.case_ref

    @property
    def ready(self) -> bool:
        """Nothing known stands in the way and every attachment is held."""
        return not self.blockers and all(self.attached.get(a, False) for a in ATTACHMENTS)


def _value(f: DocFormat, v: object) -> object:
    if isinstance(v, Money):
        return f.money(v)
    if isinstance(v, date):
        return f.date(v)
    return v


def compose_filing_pack(ctx: FilingPackContext) -> Composed:
    f = DocFormat(ctx.language, ctx.letterhead.locale)
    t, d, lh = f.t, ctx.debtor, ctx.letterhead
    blocks: list[Block] = [Para((Run(t("filing_pack.intro")),)),
                           Para((Run(t("filing_pack.unsourced_fields")),), "note")]

    blocks.append(Heading(t("filing_pack.status")))
    if ctx.blockers:
        blocks.append(Checklist(tuple((False, t(f"filing_pack.blocker.{code}",
                                                **{k: _value(f, v) for k, v in values.items()}))
                                      for code, values in ctx.blockers)))
    else:
        blocks.append(Checklist(((True, t("filing_pack.no_blocker", date=f.date(ctx.filing_day))),)))

    creditor = [(t("filing_pack.name"), f.name(lh.name))]
    if lh.tax_id:
        creditor.append((f.org_tax_id_label(lh), f.ltr(lh.tax_id)))
    if lh.address_lines:
        creditor.append((t("filing_pack.address"), ", ".join(f.name(a) for a in lh.address_lines)))
    contact = " · ".join(x for x in (f.ltr(lh.phone), f.ltr(lh.email)) if x)
    if contact:
        creditor.append((t("filing_pack.contact"), contact))
    blocks += [Heading(t("filing_pack.creditor")), Pairs("", tuple(creditor))]

    debtor = [(t("filing_pack.name"), f.name(d.name)),
              (f.tax_id_label(d), f.ltr(d.tax_id) if d.tax_id else t("filing_pack.missing"))]
    debtor.append((t("filing_pack.address"), ", ".join(f.name(a) for a in d.address_lines) if d.address_lines
                   else t("filing_pack.missing")))
    contact = " · ".join(x for x in (f.name(d.contact_person), f.ltr(d.phone), f.ltr(d.email)) if x)
    if contact:
        debtor.append((t("filing_pack.contact"), contact))
    blocks += [Heading(t("filing_pack.debtor")), Pairs("", tuple(debtor))]

    amounts = [(t("filing_pack.principal"), f.money(ctx.principal)),
               (t("filing_pack.interest"), f.money(ctx.interest)),
               (t("filing_pack.claim"), f.money(ctx.claim)),
               (t("filing_pack.filing_day"), f.date(ctx.filing_day))]
    if ctx.cap is not None:
        amounts.append((t("filing_pack.cap"), f.money(ctx.cap)))
    blocks += [Heading(t("filing_pack.amounts")), Pairs("", tuple(amounts))]
    if ctx.invoices:
        rows = tuple(Row((Cell(f.ltr(i.number)), Cell(f.date(i.issue_date) if i.issue_date else "—"),
                          Cell(f.date(i.due_date)), Cell(f.money(i.amount)))) for i in ctx.invoices)
        blocks.append(Table((Column(t("filing_pack.col_invoice"), width="1fr"),
                             Column(t("filing_pack.col_issued"), width=DATE_W),
                             Column(t("filing_pack.col_due"), width=DATE_W),
                             Column(t("filing_pack.col_amount"), "end", AMOUNT_W)), rows))

    blocks += [Heading(t("filing_pack.basis")),
               Para((Run(f.name(ctx.written_basis) if ctx.written_basis.strip() else t("filing_pack.missing")),))]

    blocks.append(Heading(t("filing_pack.warning")))
    w = ctx.warning
    if w is None:
        blocks.append(Para((Run(t("filing_pack.no_warning")),)))
    else:
        blocks.append(Pairs("", (
            (t("filing_pack.registered_number"), f.ltr(w.registered_number) or t("filing_pack.missing")),
            (t("filing_pack.posted"), f.date(w.posted_on) if w.posted_on else t("filing_pack.missing")),
            (t("filing_pack.delivered"), f.date(w.delivered_on) if w.delivered_on else t("filing_pack.missing")),
            (t("filing_pack.earliest"), f.date(w.earliest_filing) if w.earliest_filing else "—"))))

    blocks += [Heading(t("filing_pack.attachments")),
               Checklist(tuple((ctx.attached.get(a, False), t(f"filing_pack.attachment.{a}")) for a in ATTACHMENTS)),
               Para((Run(t("filing_pack.attachments_source") + " "),
                     Run(ATTACHMENTS_SOURCE[0], link=True)), "note")]

    title = t("filing_pack.title")
    return frame(f, ctx, document="filing_pack", subject=f"{title} – {f.name(d.name)}",
                 title=f"{title}: {f.name(d.name)}", blocks=blocks, layout="report", title_prefix=False)


def build_filing_pack(ctx: FilingPackContext) -> bytes:
    """The pack as a PDF."""
    c = compose_filing_pack(ctx)
    return compile_pdf([typst_doc(c)], title=c.subject, author=c.author, when=c.as_of)


__all__ = ["ATTACHMENTS", "ATTACHMENTS_SOURCE", "BLOCKERS", "PackInvoice", "PackWarning", "FilingPackContext",
           "compose_filing_pack", "build_filing_pack"]
