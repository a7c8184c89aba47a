"""The case file for a lawyer: one PDF with everything about one customer's debt.

Order: a cover (who, how much, since when, what was done, and a checklist of what is
missing), the statement of account, the open invoices, every letter and message sent
(date, channel, proof of sending: the SMTP server's reply, the registered-mail number,
posting and delivery dates), the call log, the promises to pay (kept, broken, open), the
customer's payment record over the years (:func:`payment_record_blocks`), an index of the
attached documents with the page each starts on, and then the attachments
themselves merged in with pypdf (a PDF as it is, an image on a page of its own).
An empty section says "nothing recorded" rather than disappearing, so the lawyer sees it
was looked at.

The checklist (:func:`checklist`) is a pure function of the context:

* a signed agreement is attached;
* a warning letter (``warning_letter``, ``warning_execution_office`` or a UK
  ``letter_of_claim``) was sent; for the latest warning *stage* (every message of one cycle
  and stage: the registered letter and its e-mail copy, whichever went later): it went by
  registered mail with its number and posting recorded, and its delivery is confirmed (a
  delivery date on the letter or a ``delivery_proof`` attachment);
* a copy of every open invoice is attached (``invoice_copy`` with its ``invoice_number``);
* the customer's ID / company number and address are known;
* in Israel: whether the debt fits the Execution Office's fixed-sum route on the first filing
  day, as ``gvia legal`` judged it (:class:`~gvia.documents.model.RouteFit`, from
  :func:`gvia.core.legal_rules.fixed_sum_fit`), and what does not fit;
* in Israel, every legal route of the one route computation on the first filing day
  (:func:`gvia.core.legal_routes.routes_for`): whether it fits and why, as a table after the
  checklist (:func:`route_rows`);
* for a section 81A1 notice: the first day the claim may be filed, by the one filing clock
  (:func:`gvia.core.legal_rules.earliest_filing`: from the registered letter's recorded
  delivery), or why it cannot be told yet (not posted, no delivery recorded, and no delivery
  confirmation long after posting: a person must find out why).

"Outstanding" is what is due on the file's date (:func:`gvia.core.demand.demand`); invoices
not yet due are listed apart.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from babel.numbers import format_decimal
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from gvia.core.errors import FieldProblem, NotFound, ValidationFailed
from gvia.core.formatting import parse_locale
from gvia.core.legal_rules import earliest_filing, execution_office_rule
from gvia.core.limitation import time_barred
from gvia.core.money import Money
from gvia.core.payment_record import PaymentRecord

from . import checks
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
    Image,
    Items,
    PageBreak,
    Pairs,
    Para,
    Row,
    Table,
    days_overdue,
    frame,
    invoice_table,
    statement_tables,
)
from .model import Attachment, CallRecord, CaseFileContext, SentMessage
from .render import compile_pdf, typst_doc
from .wording import Run

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}


@dataclass(frozen=True)
class CheckItem:
    key: str
    ok: bool
    text: str


def _day(x: datetime | date) -> date:
    return x.date() if isinstance(x, datetime) else x


def _stage_proof(messages: list[SentMessage]) -> SentMessage:
    """The message of one stage that proves it best: the registered letter (its number, then
    its delivery and posting recorded), else a letter on paper, else the latest message."""
    return max(messages, key=lambda m: (bool(m.registered_number), m.delivered_on is not None,
                                        m.posted_on is not None, m.channel == "registered_mail",
                                        m.channel == "letter", _day(m.sent_at), str(m.sent_at)))


def _latest_stage(ctx: CaseFileContext, documents: tuple[str, ...]) -> SentMessage | None:
    """The proof (:func:`_stage_proof`) of the latest stage that sent one of ``documents``. A
    stage is every message of one cycle and stage (a message outside the ladder is a stage of
    its own), so an e-mail copy sent after the registered letter does not hide the letter."""
    stages: dict[str, list[SentMessage]] = {}
    for i, m in enumerate(ctx.messages):
        if m.document in documents:
            stages.setdefault(m.stage or f"#{i}", []).append(m)
    if not stages:
        return None
    latest = max(stages.values(), key=lambda ms: max((_day(m.sent_at), str(m.sent_at)) for m in ms))
    return _stage_proof(latest)


def _latest_warning(ctx: CaseFileContext) -> SentMessage | None:
    return _latest_stage(ctx, tuple(checks.FORMAL))


def notice_check(ctx: CaseFileContext, f: DocFormat) -> CheckItem | None:
    """The section 81A1 notice's line: the filing day by the one filing clock, or why it cannot
    be told (None: no notice was sent)."""
    t = f.t
    notice = _latest_stage(ctx, ("warning_execution_office",))
    if notice is None:
        return None
    try:
        rule = execution_office_rule(notice.posted_on or _day(notice.sent_at))
        day = earliest_filing(rule, notice.posted_on, notice.delivered_on, today=ctx.as_of)
    except NotFound:        # sent before the first rule on file: no line rather than a wrong one
        return None
    if day.on is not None:
        ok = ctx.as_of >= day.on
        return CheckItem("notice", ok, t(f"casefile.check.notice_{'ok' if ok else 'pending'}",
                                         days=f.days(rule.notice_days), date=f.date(day.on),
                                         since=f.date(day.counted_from or day.on)))
    if day.code == "not_posted":
        return CheckItem("notice", False, t("casefile.check.notice_not_posted"))
    assert notice.posted_on is not None
    return CheckItem("notice", False, t(f"casefile.check.notice_{day.code}", since=f.date(notice.posted_on),
                                        days=f.days(day.clock.confirmation_wait_days)))


def checklist(ctx: CaseFileContext) -> list[CheckItem]:
    """What the file has and what is missing (see the module doc)."""
    f = DocFormat(ctx.language, ctx.letterhead.locale)
    t = f.t
    kinds = {a.kind for a in ctx.attachments}
    out: list[CheckItem] = []

    def item(key: str, ok: bool, **values) -> None:
        out.append(CheckItem(key, ok, t(f"casefile.check.{key}_{'ok' if ok else 'missing'}", **values)))

    item("signed_agreement", "signed_agreement" in kinds)
    warning = _latest_warning(ctx)
    if warning is None:
        item("warning", False)
    else:
        item("warning", True, date=f.date(warning.posted_on or _day(warning.sent_at)))
        item("registered", bool(warning.registered_number),
             number=f.ltr(warning.registered_number))
        if warning.registered_number and warning.posted_on:
            last = out[-1]
            out[-1] = replace(last, text=f"{last.text} · {t('casefile.posted', date=f.date(warning.posted_on))}")
        delivered = warning.delivered_on is not None or "delivery_proof" in kinds
        item("delivered", delivered, date=f.date(warning.delivered_on) if warning.delivered_on else "")
    copies = {a.invoice_number for a in ctx.attachments if a.kind == "invoice_copy"}
    missing = [ln.number for ln in ctx.invoices if ln.number not in copies]
    if ctx.invoices:
        shown = [f.ltr(n) for n in missing[:10]] + (["…"] if len(missing) > 10 else [])
        item("invoice_copies", not missing, numbers=", ".join(shown))
    item("debtor_id", bool(ctx.debtor.tax_id.strip()))
    item("debtor_address", bool(ctx.debtor.address_lines))
    notice = notice_check(ctx, f)
    if notice is not None:
        out.append(notice)
    fit = ctx.fixed_sum
    if fit is not None:
        why = [t(f"casefile.fixed_sum.{r}", total=f.money(fit.cap) if fit.cap else "") for r in fit.reasons]
        item("fixed_sum", fit.fits, debt_total=f.money(fit.claim), date=f.date(fit.filing_day),
             total=f.money(fit.cap) if fit.cap else "—", items="; ".join(why))
    return out


def _route_why(f: DocFormat, code: str, params: dict[str, object]) -> str:
    """One reason of a legal route in the file's language (``casefile.route_why.<code>``); "" for
    a code the catalog does not word."""
    key = f"casefile.route_why.{code}"
    if not f.t.has(key):
        return ""
    values: dict[str, str] = {}
    limit, amount, day = params.get("limit"), params.get("amount"), params.get("day")
    if code == "route_small_claims_yearly" and isinstance(limit, int):
        values["count"] = f.count(limit)
    elif isinstance(limit, Money):
        values["total"] = f.money(limit)
    elif isinstance(amount, Money):
        values["total"] = f.money(amount)
    if isinstance(day, date):
        values["date"] = f.date(day)
    return f.t(key, **values)


def route_rows(ctx: CaseFileContext, f: DocFormat) -> tuple[Row, ...]:
    """Every legal route (issue 15): its name, whether it fits, and why."""
    t = f.t
    fits = {True: "yes", False: "no", None: "unknown"}
    return tuple(Row((Cell(t(f"casefile.route.{r.code}")), Cell(t(f"casefile.route_fits.{fits[r.fits]}")),
                      Cell("; ".join(w for w in (_route_why(f, c, p) for c, p in r.why) if w))))
                 for r in ctx.routes)


def _call_outcome(f: DocFormat, c: CallRecord) -> str:
    """What a call achieved, in the file's language (``casefile.call.<code>``); "" for a call logged
    before outcomes were kept, or an outcome this file has no words for."""
    key = f"casefile.call.{c.outcome}"
    if not c.outcome or not f.t.has(key):
        return ""
    values: dict[str, str] = {}
    for name, v in c.values.items():
        if isinstance(v, Money):
            values[name] = f.money(v)
        elif isinstance(v, (date, datetime)):
            values[name] = _when(f, v)
        elif isinstance(v, int):
            values[name] = f.count(v)
        elif isinstance(v, (list, tuple)):
            values[name] = f.list([f.ltr(str(x)) for x in v])
        else:
            values[name] = f.name(str(v))
    return f.t(key, **values)


def _when(f: DocFormat, x: datetime | date) -> str:
    if isinstance(x, datetime):
        return f"{f.date(x.date())} {x:%H:%M}"
    return f.date(x)


def _proof(f: DocFormat, m: SentMessage) -> str:
    t = f.t
    parts = []
    if m.registered_number:
        parts.append(t("casefile.registered_proof", number=f.ltr(m.registered_number)))
        if m.posted_on:
            parts.append(t("casefile.posted", date=f.date(m.posted_on)))
        parts.append(t("casefile.delivered", date=f.date(m.delivered_on)) if m.delivered_on
                     else t("casefile.not_delivered"))
    elif m.delivered_on:
        parts.append(t("casefile.delivered", date=f.date(m.delivered_on)))
    if m.proof:
        parts.append(f.ltr(m.proof))
    return " · ".join(parts)


def _none(f: DocFormat) -> Para:
    return Para((Run(f.t("labels.none")),), "note")


def _attachment_pages(a: Attachment) -> int:
    if _is_image(a):
        return 1
    return _pdf_pages(_attachment_bytes(a)) or 1


def _pdf_pages(data: bytes) -> int | None:
    """How many pages a stored PDF has; None when it cannot be read (damaged, not a PDF): the case
    file then carries a page that says so in its place, rather than failing as a whole."""
    try:
        return len(PdfReader(io.BytesIO(data)).pages)
    except (PdfReadError, ValueError, OSError):
        return None


def _image_suffix(data: bytes) -> str | None:
    """The image type of ``data`` from its first bytes (None: not an image we merge)."""
    head = data[:256]
    if head.startswith(b"\x89PNG"):
        return ".png"
    if head.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if head.startswith(b"GIF8"):
        return ".gif"
    if head[8:12] == b"WEBP":
        return ".webp"
    if b"<svg" in head:
        return ".svg"
    return None


def _is_image(a: Attachment) -> bool:
    if a.path is not None:
        return Path(a.path).suffix.lower() in IMAGE_SUFFIXES
    return _image_suffix(a.data or b"") is not None


def _attachment_bytes(a: Attachment) -> bytes:
    if a.data is not None:
        data = a.data
    elif a.path is not None:
        data = Path(a.path).read_bytes()
    else:   # neither bytes nor a file: Path(None) raised this TypeError before
        raise TypeError(f"the attachment {a.title!r} has neither data nor a path")
    if not _is_image(a) and not data.startswith(b"%PDF"):
        raise ValidationFailed([FieldProblem(None, "attachments", a.title,
                                             "not a PDF or an image (PNG, JPEG, GIF, SVG, WebP)")])
    return data


def compose_casefile(ctx: CaseFileContext, attachment_pages: list[int] | None = None) -> Composed:
    """The case file's own pages (everything but the merged attachments)."""
    checks.check_casefile(ctx)
    f = DocFormat(ctx.language, ctx.letterhead.locale)
    t, d = f.t, ctx.debtor
    pages = attachment_pages if attachment_pages is not None else [_attachment_pages(a) for a in ctx.attachments]

    # cover
    summary: list[tuple[str, str]] = [(t("casefile.debtor"), f.name(d.name))]
    if d.tax_id:
        summary.append((f.tax_id_label(d), f.ltr(d.tax_id)))
    if d.address_lines:
        summary.append((t("casefile.address"), ", ".join(f.name(a) for a in d.address_lines)))
    contact = " · ".join(x for x in (f.name(d.contact_person), f.ltr(d.phone), f.ltr(d.email)) if x)
    if contact:
        summary.append((t("labels.contact_person"), contact))
    summary.append((t("casefile.open_total"), f.totals(ctx.totals) or "—"))
    summary.append((t("casefile.open_invoices"), f.count(len(ctx.invoices))))
    if ctx.invoices:
        oldest = min(ctx.invoices, key=lambda ln: ln.due_date)
        summary.append((t("casefile.oldest"), f"{f.ltr(oldest.number)} · " + t(
            "casefile.oldest_value", date=f.date(oldest.due_date),
            days=f.days(days_overdue(oldest, ctx.as_of)))))
    if ctx.stage:
        summary.append((t("casefile.stage"), f.name(ctx.stage)))

    done: list[tuple[Run, ...]] = []
    if ctx.messages:
        last = max(_day(m.sent_at) for m in ctx.messages)
        done.append(tuple(t.runs("casefile.done_messages", len(ctx.messages),
                                 count=f.count(len(ctx.messages)), date=f.date(last))))
    if ctx.calls:
        done.append(tuple(t.runs("casefile.done_calls", len(ctx.calls), count=f.count(len(ctx.calls)))))
    if ctx.promises:
        done.append(tuple(t.runs("casefile.done_promises", len(ctx.promises),
                                 count=f.count(len(ctx.promises)))))
        broken = sum(1 for p in ctx.promises if p.status == "broken")
        if broken:
            done.append(tuple(t.runs("casefile.done_broken", broken, count=f.count(broken))))

    blocks: list[Block] = [Heading(t("casefile.summary")), Pairs("", tuple(summary)),
                           Heading(t("casefile.done"))]
    blocks.append(Items(tuple(done)) if done else Para((Run(t("casefile.done_nothing")),)))
    blocks += [Heading(t("casefile.checklist")),
               Checklist(tuple((c.ok, c.text) for c in checklist(ctx)))]
    if ctx.routes:
        blocks += [Heading(t("casefile.routes")),
                   Table((Column(t("casefile.col_route"), width="1fr"), Column(t("casefile.col_fits"), width="22mm"),
                          Column(t("casefile.col_why"), width="1.6fr")), route_rows(ctx, f))]

    # statement and invoices
    blocks += [PageBreak(), Heading(t("casefile.statement"))]
    blocks += statement_tables(f, ctx.statement) if ctx.statement is not None else [_none(f)]
    blocks.append(Heading(t("casefile.invoices")))
    due = ctx.demand
    if due.demanded or due.extra_lines:
        blocks.append(invoice_table(f, due.demanded, due.extra_lines, ctx.as_of, full=True, totals=due.totals))
    if due.not_yet_due:       # apart, and not in the total
        blocks += [Heading(t("casefile.not_yet_due"), 2),
                   invoice_table(f, due.not_yet_due, (), ctx.as_of, full=False)]
    if not ctx.invoices and not ctx.extra_lines:
        blocks.append(_none(f))
    if ctx.interest_by_law:       # owed, with no figure gvia can give: said, never left out silently
        blocks.append(f.para("casefile.interest_by_law", style="note"))
    elif ctx.interest_unavailable:
        blocks.append(f.para("casefile.interest_unavailable", style="note", as_of=f.date(ctx.as_of)))
    ends = [ln for ln in ctx.invoices if ln.limitation_date is not None]
    if ends:                  # the last day each can be claimed in court (gvia.core.limitation)
        blocks += [Heading(t("casefile.limitation"), 2), Pairs("", tuple(
            (f.ltr(ln.number), t("casefile.limitation_barred" if time_barred(ln.limitation_date, ctx.as_of)
                                 else "casefile.limitation_until", date=f.date(ln.limitation_date)))
            for ln in ends if ln.limitation_date is not None))]

    # correspondence, calls, promises
    blocks.append(Heading(t("casefile.messages")))
    if ctx.messages:
        rows = []
        for m in sorted(ctx.messages, key=lambda m: (_day(m.sent_at), str(m.sent_at))):
            what = t(f"casefile.documents.{m.document}") if m.document and t.has(
                f"casefile.documents.{m.document}") else ""
            subject = " – ".join(x for x in (what, f.name(m.subject)) if x)
            rows.append(Row((Cell(_when(f, m.sent_at)), Cell(t(f"casefile.channels.{m.channel}")),
                             Cell(subject), Cell(f.ltr(m.recipient)), Cell(_proof(f, m)))))
        blocks.append(Table((Column(t("casefile.col_date"), width="24mm"),
                             Column(t("casefile.col_channel"), width="22mm"),
                             Column(t("casefile.col_subject"), width="1fr"),
                             Column(t("casefile.col_recipient"), width="1fr"),
                             Column(t("casefile.col_proof"), width="1.3fr")), tuple(rows)))
    else:
        blocks.append(_none(f))
    blocks.append(Heading(t("casefile.calls")))
    if ctx.calls:
        rows = [Row((Cell(_when(f, c.at)), Cell(f.name(c.by)), Cell(f.name(c.contact)),
                     Cell(_call_outcome(f, c)), Cell(f.name(c.note))))
                for c in sorted(ctx.calls, key=lambda c: (_day(c.at), str(c.at)))]
        blocks.append(Table((Column(t("casefile.col_date"), width="24mm"),
                             Column(t("casefile.col_by"), width="0.8fr"),
                             Column(t("casefile.col_contact"), width="0.8fr"),
                             Column(t("casefile.col_outcome"), width="1.2fr"),
                             Column(t("casefile.col_note"), width="1.2fr")), tuple(rows)))
    else:
        blocks.append(_none(f))
    blocks.append(Heading(t("casefile.promises")))
    if ctx.promises:
        rows = [Row((Cell(f.date(p.made_on)), Cell(f.money(p.amount)), Cell(f.date(p.due_date)),
                     Cell(t("casefile.promise_status.partly_kept", paid=f.money(p.paid)) if p.paid is not None
                          else t(f"casefile.promise_status.{p.status}")), Cell(f.name(p.note))))
                for p in sorted(ctx.promises, key=lambda p: p.made_on)]
        blocks.append(Table((Column(t("casefile.col_made"), width=DATE_W),
                             Column(t("casefile.col_amount"), "end", AMOUNT_W),
                             Column(t("casefile.col_due"), width=DATE_W),
                             Column(t("casefile.col_status"), width="18mm"),
                             Column(t("casefile.col_note"), width="1fr")), tuple(rows)))
    else:
        blocks.append(_none(f))

    blocks.append(Heading(t("casefile.record")))
    blocks += payment_record_blocks(f, ctx.payment_record)

    # index of attachments: start pages counted from the end of these pages
    blocks.append(Heading(t("casefile.attachments")))
    if ctx.attachments:
        rows, offset = [], 1
        for a, n in zip(ctx.attachments, pages):
            rows.append(Row((Cell(f.name(a.title)), Cell(t(f"casefile.attachment_kinds.{a.kind}")),
                             Cell(f.count(n)), Cell("", page_after_end=offset))))
            offset += n
        blocks += [Table((Column(t("casefile.col_title"), width="1fr"),
                          Column(t("casefile.col_kind"), width="32mm"),
                          Column(t("casefile.col_pages"), "end", "18mm"),
                          Column(t("casefile.col_starts"), "end", "18mm")), tuple(rows)),
                   Para((Run(t("casefile.attachments_note")),), "note")]
    else:
        blocks.append(_none(f))

    title = t("casefile.title")
    c = frame(f, ctx, document="casefile", subject=f"{title} – {f.name(d.name)}",
              title=f"{title}: {f.name(d.name)}", blocks=blocks, layout="report",
              title_prefix=False)
    meta = [(t("labels.date"), f.date(ctx.as_of))]
    if ctx.case_ref:
        meta.append((t("labels.reference"), f.ltr(ctx.case_ref)))
    if d.customer_ref:
        meta.append((t("labels.customer_no"), f.ltr(d.customer_ref)))
    return replace(c, meta=tuple(meta), extra_pages=sum(pages))


def _tenths(f: DocFormat, x: Decimal) -> str:
    """Days to one decimal place (an average), as the document's locale writes numbers."""
    return format_decimal(x, format="#,##0.0", locale=parse_locale(f.locale))


def payment_record_blocks(f: DocFormat, record: PaymentRecord | None) -> list[Block]:
    """How the customer has paid over the years (:func:`gvia.core.payment_record.payment_record`):
    the on-time rate, the average and trend of days late, promises kept, plans completed, bounced
    cheques, and the same by year; "nothing recorded" when there is nothing to tell."""
    t = f.t
    if record is None or record.empty:
        return [_none(f)]
    lines: list[tuple[str, str]] = []
    if record.paid:
        lines.append((t("casefile.record_on_time"), t("casefile.record_on_time_value", on_time=f.count(record.on_time),
                                                      paid=f.count(record.paid),
                                                      percent=f.count(record.on_time_percent or 0))))
        lines.append((t("casefile.record_average_late"), _tenths(f, record.average_days_late or Decimal(0))))
    if record.trend:
        lines.append((t("casefile.record_trend"), t("casefile.record_trend_value",
                                                     recent=_tenths(f, record.recent_days_late or Decimal(0)),
                                                     earlier=_tenths(f, record.earlier_days_late or Decimal(0)),
                                                     trend=t(f"casefile.record_trends.{record.trend}"))))
    if record.promises_closed:
        lines.append((t("casefile.record_promises"), t("casefile.record_of", n=f.count(record.promises_kept),
                                                        of=f.count(record.promises_closed))))
    if record.plans_ended:
        lines.append((t("casefile.record_plans"), t("casefile.record_of", n=f.count(record.plans_completed),
                                                     of=f.count(record.plans_ended))))
    if record.bounced_cheques:
        lines.append((t("casefile.record_bounced"), f.count(record.bounced_cheques)))
    out: list[Block] = [Pairs("", tuple(lines))]
    if record.years:
        out.append(Table((Column(t("casefile.col_year"), width="18mm"),
                          Column(t("casefile.col_paid"), "end", "1fr"),
                          Column(t("casefile.col_on_time"), "end", "1fr"),
                          Column(t("casefile.col_days_late"), "end", "1fr")),
                         tuple(Row((Cell(str(y.year)), Cell(f.count(y.paid)), Cell(f.count(y.on_time)),
                                    Cell(_tenths(f, y.average_days_late)))) for y in record.years)))
    return out


def _image_pdf(a: Attachment, c: Composed) -> bytes:
    """An image attachment on an A4 page of its own, captioned with its title."""
    with tempfile.TemporaryDirectory(prefix="gvia-img-") as tmp:
        if a.path is not None:
            path = str(Path(a.path).expanduser().resolve())
        else:
            path = str(Path(tmp) / ("attachment" + (_image_suffix(a.data or b"") or "")))
            Path(path).write_bytes(a.data or b"")
        page = replace(c, layout="plain", title="", title_prefix="", meta=(), page_label="",
                       footer="", running_head="", extra_pages=0,
                       blocks=(Image(path, a.title),))
        return compile_pdf([typst_doc(page)], title=a.title, author=c.author, when=c.as_of)


def _unreadable_pdf(a: Attachment, c: Composed, f: DocFormat) -> bytes:
    """The page that stands for an attachment whose stored PDF cannot be read."""
    page = replace(c, layout="plain", title="", title_prefix="", meta=(), page_label="",
                   footer="", running_head="", extra_pages=0,
                   blocks=(Para((Run(f.t("casefile.attachment_unreadable", title=a.title)),)),))
    return compile_pdf([typst_doc(page)], title=a.title, author=c.author, when=c.as_of)


def build_casefile(ctx: CaseFileContext) -> bytes:
    """The case file as one PDF (see the module doc). Attachments must be PDFs or images; one
    whose PDF cannot be read gets a page saying so in its place."""
    checks.check_casefile(ctx)
    blobs = [_attachment_bytes(a) for a in ctx.attachments]
    readable = [_is_image(a) or _pdf_pages(b) is not None for a, b in zip(ctx.attachments, blobs)]
    pages = [1 if _is_image(a) or not ok else _pdf_pages(b) or 1
             for a, b, ok in zip(ctx.attachments, blobs, readable)]
    c = compose_casefile(ctx, pages)
    own = compile_pdf([typst_doc(c)], title=c.subject, author=c.author, when=c.as_of)
    if not ctx.attachments:
        return own
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(own)))
    f = DocFormat(ctx.language, ctx.letterhead.locale)
    for a, data, ok in zip(ctx.attachments, blobs, readable):
        start = len(writer.pages)
        if not ok:
            data = _unreadable_pdf(a, c, f)
        elif _is_image(a):
            data = _image_pdf(replace(a, data=data) if a.path is None else a, c)
        writer.append(PdfReader(io.BytesIO(data)))
        writer.add_outline_item(title=a.title, page_number=start)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


__all__ = ["CheckItem", "checklist", "notice_check", "route_rows", "compose_casefile", "build_casefile"]
