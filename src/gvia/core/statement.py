"""Statement of account: the customer's documents and payments in date order, with a
running balance per currency.

A debit raises what the customer owes, a credit lowers it. Line kinds:

- ``invoice``: an invoice on its issue date (debit).
- ``credit_note``: a credit note on its issue date (credit).
- ``settled_outside`` / ``write_off``: the part of a document settled outside gvia or
  written off, dated like the document (the day it happened is not known): a credit for an
  invoice, a debit for a credit note (credit already used up).
- ``payment``: money received, on the payment date (credit). A post-dated cheque not yet
  cleared counts as received but its lines are flagged ``pending``.
- ``withholding``: tax withheld at source from that payment (credit).
- ``exchange``: the part of a payment applied to invoices in another currency at the
  payment's rate: a debit in the payment currency and a credit in the invoice currency.
- ``tolerance``: a small remaining balance settled automatically (credit), dated like the
  last payment allocated to that invoice.
- ``bounced``: a bounced payment, for information only (no debit, no credit).

Only items dated on or before ``as_of`` appear. With ``since``, earlier items are
summed into the opening balance (balance brought forward) instead of listed.

Closing balance per currency = invoices - credit notes - payments - withholding -
settled outside - written off - tolerance (+/- exchange), which equals the sum of the
invoices' open amounts minus the unapplied credit: a customer in credit has a negative
balance. For that the ledger must be computed from the same records with the same day:
``allocate(invoices, payments, as_of=as_of)``; :func:`statement` checks this.

Lines on the same day: invoices, then credit notes, then payments (each followed by its
withholding and exchange lines), then tolerance. ``description`` is a plain English
default; a letter or screen in another language renders from ``kind`` and the other fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from .ledger import (
    CREDIT_NOTE,
    INVOICE,
    SOURCE_CREDIT_NOTE,
    SOURCE_PAYMENT,
    SOURCE_TOLERANCE,
    Allocation,
    InvoiceRec,
    LedgerResult,
    PaymentRec,
    invoice_order_key,
    natural_key,
)
from .money import Money, Totals

LINE_KINDS = ("invoice", "credit_note", "settled_outside", "write_off", "payment",
              "withholding", "exchange", "tolerance", "bounced")


@dataclass(frozen=True)
class StatementLine:
    """One line. ``debit``/``credit`` are None when the line does not move the balance
    that way (both None for a bounced payment). ``balance`` is the running balance of the
    line's currency after the line. ``document_id`` is the invoice / credit note id, or
    the payment id for payment, withholding, exchange and bounced lines."""

    date: date
    kind: str
    reference: str
    description: str
    currency: str
    debit: Money | None
    credit: Money | None
    balance: Money
    pending: bool = False
    document_id: int | None = None


@dataclass(frozen=True)
class OpenItem:
    """An invoice still open on the statement day, oldest-due first."""

    invoice_id: int
    number: str
    issue_date: date
    due_date: date
    amount: Money
    open: Money
    pending_cover: Money


@dataclass(frozen=True)
class Statement:
    as_of: date
    since: date | None
    opening: Totals
    lines: list[StatementLine]
    closing: Totals
    pending: Totals          # pending (post-dated) cheques counted in the balance
    open_items: list[OpenItem]
    unapplied: Totals        # the customer's unapplied credit (shown as negative balance)

    def lines_in(self, currency: str) -> list[StatementLine]:
        return [ln for ln in self.lines if ln.currency == currency]

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON data: dates ISO, amounts decimal strings with the currency's places,
        ``debit``/``credit`` null when the line has none."""
        def amount(m: Money | None) -> str | None:
            return None if m is None else str(m.amount)

        return {
            "as_of": self.as_of.isoformat(),
            "since": self.since.isoformat() if self.since else None,
            "opening_balance": self.opening.as_strings(),
            "lines": [
                {"date": ln.date.isoformat(), "kind": ln.kind, "reference": ln.reference,
                 "description": ln.description, "currency": ln.currency,
                 "debit": amount(ln.debit), "credit": amount(ln.credit),
                 "balance": str(ln.balance.amount), "pending": ln.pending}
                for ln in self.lines
            ],
            "closing_balance": self.closing.as_strings(),
            "pending": self.pending.as_strings(),
            "unapplied_credit": self.unapplied.as_strings(),
            "open_items": [
                {"number": it.number, "issue_date": it.issue_date.isoformat(),
                 "due_date": it.due_date.isoformat(), "currency": it.amount.currency,
                 "amount": str(it.amount.amount), "open": str(it.open.amount),
                 "pending_cover": str(it.pending_cover.amount)}
                for it in self.open_items
            ],
        }


@dataclass(frozen=True)
class _Entry:
    date: date
    key: tuple[object, ...]      # the sort key: the same day's entries in their natural order
    kind: str
    reference: str
    description: str
    currency: str
    debit: Money | None
    credit: Money | None
    pending: bool
    document_id: int | None

    @property
    def change(self) -> Money:
        change = Money.zero(self.currency)
        if self.debit is not None:
            change += self.debit
        if self.credit is not None:
            change -= self.credit
        return change


def _check_ledger(docs: dict[int, InvoiceRec], pays: dict[int, PaymentRec],
                  ledger: LedgerResult) -> None:
    """The ledger must come from these records as of the same day (see module doc)."""
    invoice_ids = {d.id for d in docs.values() if d.kind == INVOICE}
    if set(ledger.open_amounts) != invoice_ids:
        raise ValueError(  # not shown: a caller's bug
            "ledger open amounts are not for the invoices on this statement; "
            "compute it with allocate(..., as_of=as_of)")
    consumed: dict[tuple[str, int], Money] = {}
    for a in ledger.allocations:
        if a.invoice_id not in docs:
            raise ValueError(  # not shown: a caller's bug
                f"ledger allocates to invoice {a.invoice_id}, not on this "
                "statement; compute it with allocate(..., as_of=as_of)")
        if a.source == SOURCE_TOLERANCE:
            continue
        known = pays if a.source == SOURCE_PAYMENT else docs
        if a.source_id not in known:
            raise ValueError(  # not shown: a caller's bug
                f"ledger uses {a.source} {a.source_id}, not on this statement; "
                "compute it with allocate(..., as_of=as_of)")
        k = (a.source, a.source_id)
        consumed[k] = a.source_amount if k not in consumed else consumed[k] + a.source_amount
    sources: list[tuple[str, int, Money, dict[int, Money]]] = []
    sources += [(SOURCE_PAYMENT, p.id, p.covers, ledger.unapplied_payments)
                for p in pays.values() if not p.bounced]
    sources += [(SOURCE_CREDIT_NOTE, d.id, d.available, ledger.unapplied_credit_notes)
                for d in docs.values() if d.kind == CREDIT_NOTE]
    for source, sid, total, unapplied in sources:
        used = consumed.get((source, sid), Money.zero(total.currency))
        left = unapplied.get(sid, Money.zero(total.currency))
        if used + left != total:
            raise ValueError(  # not shown: a caller's bug
                f"ledger does not account for {source} {sid}; it was not "
                "computed from these records as of this day")


def _document_entries(d: InvoiceRec, docs: dict[int, InvoiceRec]) -> list[_Entry]:
    is_invoice = d.kind == INVOICE
    group = 0 if is_invoice else 1
    sub = (natural_key(d.number), d.id)
    ccy = d.currency
    if is_invoice:
        desc = f"Invoice {d.number}, due {d.due_date.isoformat()}"
    else:
        target = docs.get(d.applies_to) if d.applies_to is not None else None
        desc = f"Credit note {d.number}" + (f" for invoice {target.number}" if target else "")
    out = [_Entry(d.issue_date, (group, sub, 0), d.kind, d.number, desc, ccy,
                  d.amount if is_invoice else None, None if is_invoice else d.amount,
                  False, d.id)]
    for seq, (kind, amount, what) in enumerate(
            (("settled_outside", d.settled_outside, "settled outside gvia"),
             ("write_off", d.written_off_or_zero, "written off")), start=1):
        if amount:
            out.append(_Entry(d.issue_date, (group, sub, seq), kind, d.number,
                              f"{d.number}: {what}", ccy,
                              None if is_invoice else amount, amount if is_invoice else None,
                              False, d.id))
    return out


def _payment_entries(p: PaymentRec, allocations: list[Allocation]) -> list[_Entry]:
    """Lines of one payment; ``allocations`` are that payment's."""
    key = (2, (p.id,))
    ccy = p.currency
    if p.bounced:
        return [_Entry(p.date, key + (0,), "bounced", p.reference,
                       f"Payment {p.amount} ({p.method}) returned unpaid; not counted",
                       ccy, None, None, False, p.id)]
    what = f"Payment ({p.method})"
    if p.pending:
        when = f", value date {p.value_date.isoformat()}" if p.value_date else ""
        what += f": post-dated cheque, not yet cleared{when}"
    out = []
    if p.amount:
        out.append(_Entry(p.date, key + (0,), "payment", p.reference, what, ccy,
                          None, p.amount, p.pending, p.id))
    if p.withholding:
        out.append(_Entry(p.date, key + (1,), "withholding", p.reference,
                          "Tax withheld at source", ccy, None, p.withholding, p.pending, p.id))
    converted: dict[str, tuple[Money, Money]] = {}
    for a in allocations:
        if a.amount.currency == ccy:
            continue
        code = a.amount.currency
        src, amt = converted.get(code, (Money.zero(ccy), Money.zero(code)))
        converted[code] = (src + a.source_amount, amt + a.amount)
    for n, code in enumerate(sorted(converted)):
        src, amt = converted[code]
        desc = f"{src} converted to {amt} at {p.rate}"
        out.append(_Entry(p.date, key + (2, n, 0), "exchange", p.reference, desc, ccy,
                          src, None, p.pending, p.id))
        out.append(_Entry(p.date, key + (2, n, 1), "exchange", p.reference, desc, code,
                          None, amt, p.pending, p.id))
    return out


def _tolerance_entries(ledger: LedgerResult, docs: dict[int, InvoiceRec],
                       pays: dict[int, PaymentRec]) -> list[_Entry]:
    last_paid: dict[int, date] = {}
    for a in ledger.allocations:
        if a.source == SOURCE_PAYMENT:
            d = pays[a.source_id].date
            last_paid[a.invoice_id] = max(d, last_paid.get(a.invoice_id, d))
    out = []
    for a in ledger.tolerance_settled:
        inv = docs[a.invoice_id]
        when = last_paid.get(inv.id, inv.issue_date)
        out.append(_Entry(when, (3, (natural_key(inv.number), inv.id), 0), "tolerance",
                          inv.number, f"{inv.number}: small difference settled",
                          inv.currency, None, a.amount, a.pending, inv.id))
    return out


def statement(invoices: Iterable[InvoiceRec], payments: Iterable[PaymentRec],
              ledger: LedgerResult, as_of: date, *, since: date | None = None,
              include_bounced: bool = True) -> Statement:
    """The customer's statement of account as of ``as_of`` (see module doc).

    ``ledger`` is ``allocate(invoices, payments, as_of=as_of)`` for the same records;
    raises ValueError when it is not. ``since``: list lines from that day only, earlier
    ones summed into ``opening``. ``include_bounced``: show bounced payments as
    information lines.
    """
    docs = {d.id: d for d in invoices if d.issue_date <= as_of}
    pays = {p.id: p for p in payments if p.date <= as_of}
    _check_ledger(docs, pays, ledger)

    entries: list[_Entry] = []
    for d in docs.values():
        entries += _document_entries(d, docs)
    by_payment: dict[int, list[Allocation]] = {}
    for a in ledger.allocations:
        if a.source == SOURCE_PAYMENT:
            by_payment.setdefault(a.source_id, []).append(a)
    for p in pays.values():
        if include_bounced or not p.bounced:
            entries += _payment_entries(p, by_payment.get(p.id, []))
    entries += _tolerance_entries(ledger, docs, pays)
    entries.sort(key=lambda e: (e.date, e.key))

    balance: dict[str, Money] = {}
    opening = Totals()
    lines: list[StatementLine] = []
    for e in entries:
        balance[e.currency] = balance.get(e.currency, Money.zero(e.currency)) + e.change
        if since is not None and e.date < since:
            if e.kind != "bounced":
                opening.add(e.change)
            continue
        lines.append(StatementLine(e.date, e.kind, e.reference, e.description, e.currency,
                                   e.debit, e.credit, balance[e.currency], e.pending,
                                   e.document_id))

    open_items = [
        OpenItem(d.id, d.number, d.issue_date, d.due_date, d.amount, ledger.open_amounts[d.id],
                 ledger.pending_cover.get(d.id, Money.zero(d.currency)))
        for d in sorted((d for d in docs.values() if d.kind == INVOICE), key=invoice_order_key)
        if ledger.open_amounts.get(d.id)
    ]
    return Statement(
        as_of=as_of,
        since=since,
        opening=opening,
        lines=lines,
        closing=Totals(balance.values()),
        pending=Totals(p.covers for p in pays.values() if p.pending),
        open_items=open_items,
        unapplied=ledger.unapplied,
    )


__all__ = ["LINE_KINDS", "StatementLine", "OpenItem", "Statement", "statement"]
