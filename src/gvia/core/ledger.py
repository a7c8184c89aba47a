"""One customer's ledger: which money settles which invoice, and what stays open.

:func:`allocate` takes the customer's invoices, credit notes and payments and computes,
from scratch and deterministically, the allocations, the open amount of every invoice and
the customer's unapplied credit. The database keeps allocations only as a derived table:
whenever anything changes (a payment arrives, a cheque bounces, a credit note is issued)
the allocation is recomputed, so reversing a bounced cheque is simply leaving it out.

The rules, in the order they are applied:

1. **Reductions first.** ``settled_outside`` (settled outside gvia: an imported open
   amount lower than the amount, or an invoice closed in full by hand) and
   ``written_off`` reduce a document before anything is allocated to it. For an invoice
   they reduce what is open; for a credit note they reduce the credit still available.
2. **Credit notes before payments.** A credit note that names an invoice (``applies_to``)
   reduces that invoice only; what it cannot use there is unapplied credit. A credit note
   that names none reduces the oldest-due open invoices in its currency. Credit notes that
   name an invoice go first (so that a general credit does not take the invoice a specific
   one was issued for), each group in issue order. A credit note never crosses currencies.
3. **Payments in date order** (then id). A bounced payment is ignored entirely. What a
   payment covers is ``amount + withholding``: tax withheld at source counts as paid.
   A payment goes first to the invoice it names, then to the oldest-due open invoices in
   its own currency, then - only if it has a ``rate`` - to the oldest-due open invoices of
   the rate's currency, converted at that rate. What remains is unapplied credit, in the
   payment's currency.
4. **Pending (post-dated) cheques** are allocated like cleared payments, so they reduce
   the open amount, but their allocations are flagged ``pending`` and summed per invoice
   in :attr:`LedgerResult.pending_cover`: callers can tell covered from cleared.
5. **Tolerance.** Afterwards an invoice that received at least one payment allocation and
   whose open amount is more than zero and at most the tolerance of its currency is settled
   by an allocation with source ``"tolerance"``: a customer who pays 4,999.40 for 5,000
   does not get a reminder for 60 agorot. Only small balances left *after a payment* are
   settled; small overpayments stay unapplied credit, and invoices that only received
   credit notes are never settled by tolerance. A tolerance allocation that exists only
   because a pending cheque brought the balance down is itself flagged pending.

"Oldest-due" is :func:`invoice_order_key`: due date, then issue date, then invoice number
(numbers compared naturally, so "INV-9" comes before "INV-10"), then id.

**Cross-currency.** ``PaymentRec.rate`` is units of the *invoice* currency per unit of the
payment currency. The rate converts into one currency only: the currency of the invoice
the payment names when that differs from the payment's currency; when the payment names
none (or names one in its own currency), the single other currency the customer's
invoices are in - if they are in two or more other currencies the rate is ambiguous and
the payment is applied in its own currency only. A payment in another currency without a
rate is never converted; it stays unapplied credit in its currency.
An allocation's ``amount`` is in the invoice currency, quantized to it; its
``source_amount`` is the part of the payment consumed, quantized to the payment currency:
``open / rate`` when the payment closes the invoice (never more than is left of the
payment), otherwise all that was left of the payment. An open amount worth less than half
a minor unit of the payment currency is left open rather than settled for nothing. So for
every payment, exactly,
``sum(source_amount of its allocations) + its unapplied remainder == amount + withholding``
(no agora is created or lost on the payment's side). The conversion rounding - at most
half a minor unit of the invoice currency, or half a minor unit of the payment currency
at the rate, per allocation - is the exchange difference.

**Bad input** is refused with :class:`~gvia.core.errors.ValidationFailed`: records check
themselves when built (kind, status, negative or mixed-currency amounts, reductions above
the amount, a non-Decimal or non-positive rate, ``applies_to`` on an invoice), and
:func:`allocate` refuses duplicate ids and a payment or credit note that names a credit
note. A named invoice that is not among the customer's invoices is treated as naming none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Iterable, Iterator, Mapping

from .errors import FieldProblem, ValidationFailed
from .money import Money, Totals

INVOICE = "invoice"
CREDIT_NOTE = "credit_note"
KINDS = (INVOICE, CREDIT_NOTE)

CLEARED = "cleared"
PENDING = "pending"
BOUNCED = "bounced"
STATUSES = (CLEARED, PENDING, BOUNCED)

SOURCE_PAYMENT = "payment"
SOURCE_CREDIT_NOTE = "credit_note"
SOURCE_TOLERANCE = "tolerance"


def _problem(rec: object, field_name: str, value: object, message: str, *, code: str,
             **params: object) -> ValidationFailed:
    """A record the DB adapter built breaks a rule: ``code`` and its values for the edges to word
    (``problem.<code>``), ``message`` the English for logs and tests."""
    kind = type(rec).__name__
    rec_id = getattr(rec, "id", None)
    return ValidationFailed(
        [FieldProblem(row=None, field=field_name, value=str(value), message=message,
                      source=f"{kind} {rec_id}", code=code, params=params)]
    )


_ZEROS: dict[str, Money] = {}


def _zero(currency: str) -> Money:
    """The zero of a currency, one shared value per currency (Money is immutable)."""
    z = _ZEROS.get(currency)
    if z is None:
        z = _ZEROS[currency] = Money.zero(currency)
    return z


def _check_money(rec: object, name: str, value: object, currency: str) -> None:
    if not isinstance(value, Money):
        raise _problem(rec, name, value, "must be Money", code="ledger_not_money")
    if value.currency != currency:
        raise _problem(rec, name, value, f"must be in {currency} like the amount", code="ledger_other_currency",
                       currency=currency)
    if value.is_negative:
        raise _problem(rec, name, value, "must not be negative", code="ledger_negative")


# --- records (built by the DB adapter) ---------------------------------------------


@dataclass(frozen=True, slots=True)
class InvoiceRec:
    """An invoice or a credit note of one customer, as the ledger sees it.

    ``amount`` is positive for both kinds. ``settled_outside`` (default zero; ``None`` is
    turned into zero) and ``written_off`` (``None`` means zero) are in the same currency
    and together at most ``amount``. ``applies_to`` is only for credit notes: the id of the
    invoice the credit note reduces.
    """

    id: int
    number: str
    kind: str
    issue_date: date
    due_date: date
    amount: Money
    settled_outside: Money | None = None
    applies_to: int | None = None
    written_off: Money | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise _problem(self, "kind", self.kind, f"must be one of {', '.join(KINDS)}", code="ledger_one_of",
                           choices=KINDS)
        if not isinstance(self.amount, Money):
            raise _problem(self, "amount", self.amount, "must be Money", code="ledger_not_money")
        ccy = self.amount.currency
        _check_money(self, "amount", self.amount, ccy)
        if self.settled_outside is None:
            object.__setattr__(self, "settled_outside", _zero(ccy))
        _check_money(self, "settled_outside", self.settled_outside, ccy)
        if self.written_off is not None:
            _check_money(self, "written_off", self.written_off, ccy)
        if self.reductions > self.amount:
            raise _problem(self, "settled_outside", self.reductions,
                           "settled outside plus written off exceeds the amount",
                           code="ledger_reductions_over_amount")
        if self.applies_to is not None and self.kind != CREDIT_NOTE:
            raise _problem(self, "applies_to", self.applies_to,
                           "only a credit note applies to an invoice", code="ledger_applies_to_not_credit")

    @property
    def currency(self) -> str:
        return self.amount.currency

    @property
    def written_off_or_zero(self) -> Money:
        return self.written_off if self.written_off is not None else _zero(self.currency)

    @property
    def reductions(self) -> Money:
        """What is taken off before allocation: settled outside gvia plus written off."""
        settled = self.settled_outside
        assert settled is not None        # __post_init__ sets it (zero when not given)
        if self.written_off is None:
            return settled
        return settled + self.written_off

    @property
    def available(self) -> Money:
        """For an invoice, what is open before allocation; for a credit note, the credit."""
        reductions = self.reductions
        return self.amount - reductions if reductions else self.amount


_Day = date    # PaymentRec has a field named "date", which hides the type inside its class body


@dataclass(frozen=True, slots=True)
class PaymentRec:
    """Money received from the customer.

    ``amount`` is what arrived (net of withholding); ``withholding`` is the tax deducted at
    source, same currency, may be zero. ``status``: "cleared", "pending" (a post-dated
    cheque not yet cleared) or "bounced". ``rate``: units of invoice currency per unit of
    payment currency, for applying the payment to invoices in another currency.
    """

    id: int
    date: date
    amount: Money
    withholding: Money
    status: str
    value_date: _Day | None = None
    invoice_id: int | None = None
    rate: Decimal | None = None
    method: str = "transfer"
    reference: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise _problem(self, "status", self.status, f"must be one of {', '.join(STATUSES)}",
                           code="ledger_one_of", choices=STATUSES)
        if not isinstance(self.amount, Money):
            raise _problem(self, "amount", self.amount, "must be Money", code="ledger_not_money")
        _check_money(self, "amount", self.amount, self.amount.currency)
        _check_money(self, "withholding", self.withholding, self.amount.currency)
        if self.rate is not None:
            if not isinstance(self.rate, Decimal) or not self.rate.is_finite() or self.rate <= 0:
                raise _problem(self, "rate", self.rate, "must be a positive Decimal", code="ledger_rate_not_positive")

    @property
    def currency(self) -> str:
        return self.amount.currency

    @property
    def covers(self) -> Money:
        """What the payment settles: the money received plus the tax withheld."""
        return self.amount + self.withholding

    @property
    def pending(self) -> bool:
        return self.status == PENDING

    @property
    def bounced(self) -> bool:
        return self.status == BOUNCED


@dataclass(frozen=True, slots=True)
class Allocation:
    """A part of a source (payment, credit note, tolerance) settling one invoice."""

    source: str
    source_id: int
    invoice_id: int
    amount: Money
    source_amount: Money
    rate: Decimal | None
    pending: bool = False


@dataclass(frozen=True)
class LedgerResult:
    """The outcome of :func:`allocate` for one customer.

    ``open_amounts`` has every invoice (not credit notes), zero included; pending cheques
    reduce it. ``pending_cover`` has only invoices with a non-zero part that depends on
    pending cheques (their allocations and tolerance settled thanks to them).
    ``unapplied`` is the customer's unapplied credit per currency; the same money by
    source is in ``unapplied_payments`` (payment id -> remainder, payment currency) and
    ``unapplied_credit_notes`` (credit note id -> leftover), non-zero entries only.
    """

    allocations: list[Allocation]
    open_amounts: dict[int, Money]
    pending_cover: dict[int, Money]
    unapplied: Totals
    tolerance_settled: list[Allocation]
    unapplied_payments: dict[int, Money] = field(default_factory=dict)
    unapplied_credit_notes: dict[int, Money] = field(default_factory=dict)

    def allocations_for(self, invoice_id: int) -> list[Allocation]:
        return [a for a in self.allocations if a.invoice_id == invoice_id]


# --- ordering ----------------------------------------------------------------------

_DIGITS = re.compile(r"(\d+)")
NaturalKey = tuple[tuple[int, int, str], ...]


def natural_key(text: str) -> NaturalKey:
    """Sort key comparing digit runs as numbers: "INV-9" < "INV-10"."""
    return tuple((0, int(p), p) if p.isdigit() else (1, 0, p)
                 for p in _DIGITS.split(text or "") if p)


def invoice_order_key(inv: InvoiceRec) -> tuple[date, date, NaturalKey, int]:
    """Oldest-due first: due date, issue date, number (natural order), id."""
    return (inv.due_date, inv.issue_date, natural_key(inv.number), inv.id)


def credit_note_order_key(cn: InvoiceRec) -> tuple[date, NaturalKey, int]:
    """Issue order: issue date, number (natural order), id."""
    return (cn.issue_date, natural_key(cn.number), cn.id)


def payment_order_key(p: PaymentRec) -> tuple[date, int]:
    """Date order, then id."""
    return (p.date, p.id)


# --- tolerance ---------------------------------------------------------------------

ToleranceArg = Money | Mapping[str, Decimal | int | str | Money] | None


def _tolerance_value(code: str, value: Decimal | int | str | Money) -> Money:
    if isinstance(value, Money):
        if value.currency != code:
            raise ValidationFailed([FieldProblem(None, "tolerance", str(value),
                                                 f"tolerance for {code} is in {value.currency}",
                                                 code="ledger_tolerance_currency",
                                                 params={"currency": code, "other": value.currency})])
        return value
    return Money.of(value, code)


def tolerance_for(tolerance: ToleranceArg, currency: str) -> Money:
    """The tolerance for one currency.

    ``None`` (the default) means one major unit of every currency (₪1, $1, ¥1). A
    :class:`Money` sets the tolerance of its currency only; a mapping sets the currencies
    it names. Currencies not named get zero (no automatic settlement): when a caller sets
    tolerances it sets all of them. A mapping is read with ``tolerance[code]``, so a
    ``defaultdict(lambda: Decimal(1))`` gives every currency the same tolerance.
    """
    if tolerance is None:
        return Money.of(1, currency)
    if isinstance(tolerance, Money):
        return tolerance if tolerance.currency == currency else Money.zero(currency)
    try:
        value = tolerance[currency]
    except KeyError:
        return Money.zero(currency)
    return _tolerance_value(currency, value)


def _check_tolerance(tolerance: ToleranceArg) -> None:
    values: list[tuple[str, Money]] = []
    if isinstance(tolerance, Money):
        values = [(tolerance.currency, tolerance)]
    elif tolerance is not None:
        values = [(c, _tolerance_value(c, v)) for c, v in tolerance.items()]
    for code, m in values:
        if m.is_negative:
            raise ValidationFailed([FieldProblem(None, "tolerance", str(m.amount),
                                                 f"tolerance for {code} must not be negative",
                                                 code="ledger_tolerance_negative", params={"currency": code})])


# --- allocation --------------------------------------------------------------------


def _check_ids(invoices: list[InvoiceRec], payments: list[PaymentRec]) -> None:
    problems: list[FieldProblem] = []
    seen: set[int] = set()
    for inv in invoices:
        if inv.id in seen:
            problems.append(FieldProblem(None, "id", str(inv.id), "duplicate invoice id",
                                         source=f"InvoiceRec {inv.id}", code="ledger_duplicate_invoice"))
        seen.add(inv.id)
    kinds = {inv.id: inv.kind for inv in invoices}
    for inv in invoices:
        if inv.applies_to is not None and kinds.get(inv.applies_to) == CREDIT_NOTE:
            problems.append(FieldProblem(None, "applies_to", str(inv.applies_to),
                                         "a credit note cannot apply to a credit note",
                                         source=f"InvoiceRec {inv.id}", code="ledger_credit_on_credit"))
    seen = set()
    for p in payments:
        if p.id in seen:
            problems.append(FieldProblem(None, "id", str(p.id), "duplicate payment id",
                                         source=f"PaymentRec {p.id}", code="ledger_duplicate_payment"))
        seen.add(p.id)
        if p.invoice_id is not None and kinds.get(p.invoice_id) == CREDIT_NOTE:
            problems.append(FieldProblem(None, "invoice_id", str(p.invoice_id),
                                         "a payment cannot name a credit note",
                                         source=f"PaymentRec {p.id}", code="ledger_payment_names_credit"))
    if problems:
        raise ValidationFailed(problems)


def _rate_target(p: PaymentRec, named: InvoiceRec | None, currencies: set[str]) -> str | None:
    if p.rate is None:
        return None
    if named is not None and named.currency != p.currency:
        return named.currency
    others = currencies - {p.currency}
    return next(iter(others)) if len(others) == 1 else None


def rate_currency(payment: PaymentRec, invoices: Iterable[InvoiceRec]) -> str | None:
    """The invoice currency the payment's ``rate`` converts into, or None (see module doc)."""
    docs = {i.id: i for i in invoices if i.kind == INVOICE}
    named = docs.get(payment.invoice_id) if payment.invoice_id is not None else None
    return _rate_target(payment, named, {i.currency for i in docs.values()})


class _Book:
    """Mutable working state of one allocation run: the open amount of every invoice.

    Open amounts only ever go down, so the oldest-first walk of each currency keeps a
    cursor past the invoices already closed: a customer with thousands of invoices and
    payments is allocated in about linear time.
    """

    def __init__(self, docs: list[InvoiceRec]) -> None:
        self.order = sorted(docs, key=invoice_order_key)
        self.by_id = {i.id: i for i in docs}
        self.currencies = {i.currency for i in docs}
        self.open: dict[int, Money] = {i.id: i.available for i in docs}
        self.allocations: list[Allocation] = []
        self._queues: dict[str, list[InvoiceRec]] = {}
        for inv in self.order:
            self._queues.setdefault(inv.currency, []).append(inv)
        self._cursor: dict[str, int] = {}

    def open_oldest_first(self, currency: str) -> Iterator[InvoiceRec]:
        """The open invoices of a currency, oldest-due first (lazily, as they are used)."""
        queue = self._queues.get(currency, [])
        k = self._cursor.get(currency, 0)
        while k < len(queue) and not self.open[queue[k].id]:
            k += 1
        self._cursor[currency] = k
        for j in range(k, len(queue)):
            if self.open[queue[j].id]:
                yield queue[j]

    def apply_same(self, source: str, source_id: int, inv: InvoiceRec, left: Money,
                   pending: bool = False) -> Money:
        """Apply up to ``left`` (same currency) to ``inv``; return what is left."""
        take = min(left, self.open[inv.id])
        if take:
            self.open[inv.id] -= take
            self.allocations.append(Allocation(source, source_id, inv.id, take, take,
                                               None, pending))
        return left - take

    def apply_converted(self, p: PaymentRec, inv: InvoiceRec, left: Money) -> Money:
        """Apply up to ``left`` (payment currency) to ``inv`` at ``p.rate``; return what is left."""
        rate = p.rate
        assert rate is not None
        open_ = self.open[inv.id]
        worth = left.convert(rate, inv.currency)
        if not open_ or not worth:
            return left
        if worth >= open_:
            amount = open_
            consumed = min(Money(open_.amount / rate, p.currency), left)
            if not consumed:
                # the open amount is worth less than half a minor unit of the payment
                # currency: settling it would take nothing from the payment, so leave it
                return left
        else:
            amount, consumed = worth, left
        self.open[inv.id] -= amount
        self.allocations.append(Allocation(SOURCE_PAYMENT, p.id, inv.id, amount, consumed,
                                           rate, p.pending))
        return left - consumed


def _apply_credit_notes(book: _Book, credit_notes: list[InvoiceRec]) -> dict[int, Money]:
    """Rule 2; returns each credit note's leftover (non-zero only)."""
    unapplied: dict[int, Money] = {}
    ordered = sorted(credit_notes, key=lambda c: (c.applies_to is None, credit_note_order_key(c)))
    for cn in ordered:
        left = cn.available
        target = book.by_id.get(cn.applies_to) if cn.applies_to is not None else None
        if target is not None:
            targets: Iterable[InvoiceRec] = [target] if target.currency == cn.currency else []
        else:
            targets = book.open_oldest_first(cn.currency)
        for inv in targets:
            if not left:
                break
            left = book.apply_same(SOURCE_CREDIT_NOTE, cn.id, inv, left)
        if left:
            unapplied[cn.id] = left
    return unapplied


def _payment_targets(book: _Book, p: PaymentRec) -> Iterator[InvoiceRec]:
    """Rule 3: the named invoice, then oldest-first in the payment's currency, then in
    the currency its rate converts into."""
    named = book.by_id.get(p.invoice_id) if p.invoice_id is not None else None
    foreign = _rate_target(p, named, book.currencies)
    if named is not None and named.currency in (p.currency, foreign):
        yield named
    for code in (p.currency, foreign):
        if code is not None:
            yield from (inv for inv in book.open_oldest_first(code) if inv is not named)


def _apply_payments(book: _Book, payments: list[PaymentRec]) -> dict[int, Money]:
    """Rules 3 and 4; returns each payment's unapplied remainder (non-zero only)."""
    unapplied: dict[int, Money] = {}
    for p in sorted((p for p in payments if not p.bounced), key=payment_order_key):
        left = p.covers
        for inv in _payment_targets(book, p):
            if not left:
                break
            if inv.currency == p.currency:
                left = book.apply_same(SOURCE_PAYMENT, p.id, inv, left, p.pending)
            else:
                left = book.apply_converted(p, inv, left)
        if left:
            unapplied[p.id] = left
    return unapplied


def _apply_tolerance(book: _Book, tolerance: ToleranceArg) -> list[Allocation]:
    """Rule 5."""
    paid_pending: dict[int, bool] = {}  # invoice id -> has a payment allocation; any pending?
    for a in book.allocations:
        if a.source == SOURCE_PAYMENT:
            paid_pending[a.invoice_id] = paid_pending.get(a.invoice_id, False) or a.pending
    limits = {code: tolerance_for(tolerance, code) for code in book.currencies}
    _check_tolerance(limits)
    settled: list[Allocation] = []
    for inv in book.order:
        open_ = book.open[inv.id]
        if inv.id not in paid_pending or not open_ or open_ > limits[inv.currency]:
            continue
        alloc = Allocation(SOURCE_TOLERANCE, inv.id, inv.id, open_, open_, None,
                           paid_pending[inv.id])
        book.open[inv.id] = _zero(inv.currency)
        book.allocations.append(alloc)
        settled.append(alloc)
    return settled


def allocate(invoices: Iterable[InvoiceRec], payments: Iterable[PaymentRec],
             tolerance: ToleranceArg = None, *, as_of: date | None = None) -> LedgerResult:
    """Allocate one customer's credit notes and payments to the customer's invoices.

    The rules are in the module docstring. ``tolerance``: see :func:`tolerance_for`.
    ``as_of``: when given, invoices issued and payments dated after it are left out, so the
    result is the ledger as it stood that day (use the same ``as_of`` for a statement).
    A named invoice or ``applies_to`` that is not among ``invoices`` is treated as naming
    none. Raises :class:`ValidationFailed` for duplicate ids and for references to a
    credit note where an invoice is required.
    """
    invoices = list(invoices)
    payments = list(payments)
    _check_ids(invoices, payments)
    _check_tolerance(tolerance)
    if as_of is not None:
        invoices = [i for i in invoices if i.issue_date <= as_of]
        payments = [p for p in payments if p.date <= as_of]

    book = _Book([i for i in invoices if i.kind == INVOICE])
    unapplied_cn = _apply_credit_notes(book, [i for i in invoices if i.kind == CREDIT_NOTE])
    unapplied_pay = _apply_payments(book, payments)
    tolerance_settled = _apply_tolerance(book, tolerance)

    pending_cover: dict[int, Money] = {}
    for a in book.allocations:
        if a.pending:
            cur = pending_cover.get(a.invoice_id)
            pending_cover[a.invoice_id] = a.amount if cur is None else cur + a.amount

    return LedgerResult(
        allocations=book.allocations,
        open_amounts=dict(book.open),
        pending_cover=pending_cover,
        unapplied=Totals([*unapplied_cn.values(), *unapplied_pay.values()]),
        tolerance_settled=tolerance_settled,
        unapplied_payments=unapplied_pay,
        unapplied_credit_notes=unapplied_cn,
    )


__all__ = [
    "INVOICE", "CREDIT_NOTE", "KINDS", "CLEARED", "PENDING", "BOUNCED", "STATUSES",
    "SOURCE_PAYMENT", "SOURCE_CREDIT_NOTE", "SOURCE_TOLERANCE",
    "InvoiceRec", "PaymentRec", "Allocation", "LedgerResult", "allocate",
    "invoice_order_key", "credit_note_order_key", "payment_order_key", "natural_key",
    "rate_currency", "tolerance_for",
]
