"""Cash application: which bank line pays what (pure; issue 18).

:func:`match_line` takes one credit line of a bank statement and what the organization's books
hold — the open invoices, the customers (their references, names and the accounts they paid
from before), the payments already recorded that no bank line accounts for yet, the gateway
transactions waiting for their payout — and says what the line is, with a confidence from 0 to
100 and its reasons as codes with values (worded at the edges as ``match.reason.<code>``):

1. **Money already recorded** (``kind="recorded"``). A payment recorded from a payments import,
   a receipt, a gateway notification or by hand, of the same amount and currency within
   :data:`RECORDED_DAYS` of the line, not yet linked to a bank line: the line is linked to it and
   nothing is recorded again (money is counted once). The payment's reference in the transfer
   text, or the line naming the payment's customer, makes it certain; the amount and the date
   alone make it likely.
2. **A gateway's payout** (``kind="payout"``): the sum of a gateway's pending transactions, the
   oldest first and whole days at a time, equals the line (within the fee tolerance: gateways
   deduct their fees). A payout is matched to its transactions, never to invoices.
3. **Invoices** (``kind="invoices"``), looked for in this order: invoice numbers written in the
   transfer text; the payment reference gvia prints on every letter (``<customer ref>-<cycle>``,
   ``services/letters/reference.py``); an invoice number with one typo (one digit changed or two
   swapped); the payer's account, seen on an earlier line of the same
   customer; the payer's name (or a customer's name written in the text). With the customer
   known, the line is compared with the exact amount of one open invoice, then of a combination
   of them (:data:`MAX_COMBINATION` at most, among the customer's :data:`MAX_CANDIDATES`
   oldest), within the tolerance; a line that fits none pays the oldest invoices in part. A
   line that names no one but whose amount is the open amount of exactly one invoice in the
   books is only a suggestion.

**Tolerance.** A line may be short of what it pays by the bank's charges: up to the fee of its
currency (``Tolerance.fees``); in a currency other than the organization's own, also up to
``Tolerance.fx_percent`` percent of the amount (conversion and correspondent charges). What is
recorded is always the line's amount: a shortfall leaves the invoice open by it (the ledger's own
``tolerance`` setting settles the smallest).

The caller (``services/ledger/statements.py``) applies a match whose confidence reaches the
organization's ``match_auto_apply`` and lists the others as suggestions for a person.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import combinations
from typing import Iterable, Mapping, Sequence

from gvia.core.money import Money

__all__ = [
    "Line", "OpenInvoice", "Payer", "Recorded", "GatewayTxn", "Tolerance", "Reason", "Match", "Book",
    "match_line", "match_all", "normalize_name", "RECORDED_DAYS", "MAX_COMBINATION", "MAX_CANDIDATES",
]

#: How many days apart a recorded payment and its bank line may be (a cheque deposited, a transfer
#: booked the next business day, a receipt entered late).
RECORDED_DAYS = 10
#: At most this many invoices paid by one transfer when the text names none.
MAX_COMBINATION = 4
#: Combinations are looked for among the customer's oldest open invoices, at most this many.
MAX_CANDIDATES = 14

# Words that say nothing about who paid: company forms and transfer wording (he and en).
_NOISE = frozenset({
    "בעמ", "בע", "מ", "ltd", "limited", "inc", "llc", "plc", "co", "corp", "company", "gmbh", "the",
    "העברה", "מאת", "העברת", "זיכוי", "ע", "י", "transfer", "from", "payment", "paid", "by",
    "invoice", "inv", "חשבונית", "חשבוניות", "חש", "תשלום", "עבור", "ref", "reference", "אסמכתא",
})
_FINALS = str.maketrans("ךםןףץ", "כמנפצ")
_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)
_REFERENCE = re.compile(r"([\w./-]*\w)\s*-\s*(\d{1,3})(?!\d)", re.UNICODE)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().translate(_FINALS)
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Mn", "Cf"))


def _tokens(text: str) -> list[str]:
    # geresh and gershayim inside Hebrew abbreviations (בע"מ, בע״מ) join their letters
    text = re.sub(r"(?<=\w)[\"'״׳](?=\w)", "", _fold(text))
    return [t for t in _NOT_WORD.sub(" ", text).replace("_", " ").split() if t]


def normalize_name(name: str) -> tuple[str, ...]:
    """A payer's or customer's name as comparable words: case, final letters, punctuation and
    company forms ("בע\"מ", "Ltd") left out."""
    return tuple(t for t in _tokens(name) if t not in _NOISE)


def _norm_number(text: str) -> str:
    return "".join(_tokens(text))


@dataclass(frozen=True)
class Line:
    """One credit line of a statement: its identity, booking day, amount and what it says."""

    key: str
    day: date
    amount: Money
    text: str = ""
    payer_name: str = ""
    payer_account: str = ""


@dataclass(frozen=True)
class OpenInvoice:
    id: int
    customer: int
    number: str
    open: Money
    due: date


@dataclass(frozen=True)
class Payer:
    """A customer as a payer: its reference, its names (he, en) and the accounts it paid from."""

    customer: int
    ref: str
    names: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recorded:
    """A payment already recorded that no bank line accounts for yet."""

    id: int
    customer: int
    amount: Money
    day: date
    reference: str = ""


@dataclass(frozen=True)
class GatewayTxn:
    """A payment received through a gateway, waiting for the gateway's payout."""

    id: int
    gateway: str
    amount: Money
    day: date


@dataclass(frozen=True)
class Tolerance:
    """How short of what it pays a line may be: ``fees`` per currency (in units), and
    ``fx_percent`` for a line in a currency other than ``home``."""

    fees: Mapping[str, Decimal] = field(default_factory=dict)
    fx_percent: Decimal = Decimal(0)
    home: str = "ILS"

    def allowed(self, amount: Money) -> Money:
        fee = Money.of(self.fees.get(amount.currency, Decimal(0)), amount.currency)
        if amount.currency != self.home and self.fx_percent:
            fx = abs(amount).times(self.fx_percent / Decimal(100))
            return fx if fx > fee else fee
        return fee


@dataclass(frozen=True)
class Reason:
    code: str
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, code: str, **params: object) -> "Reason":
        return cls(code, tuple((k, str(v)) for k, v in params.items()))

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "params": dict(self.params)}


@dataclass(frozen=True)
class Match:
    """What a line is. ``kind``: "invoices" (``allocations``: invoice id and the amount it gets, in
    the line's currency; what is left over stays unapplied with the customer), "recorded" (the
    payments ``recorded`` it accounts for), "payout" (the gateway transactions ``gateway_txns``), or
    "none" (nothing found; ``customer`` when only the payer is known)."""

    line: str
    kind: str
    confidence: int
    reasons: tuple[Reason, ...]
    customer: int | None = None
    allocations: tuple[tuple[int, Money], ...] = ()
    recorded: tuple[int, ...] = ()
    gateway_txns: tuple[int, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)


class Book:
    """What the lines are matched against, indexed once for many lines. :func:`match_all` keeps
    it current as lines take invoices, payments and gateway transactions."""

    def __init__(self, invoices: Iterable[OpenInvoice] = (), payers: Iterable[Payer] = (),
                 recorded: Iterable[Recorded] = (), gateway_txns: Iterable[GatewayTxn] = ()) -> None:
        self.invoices: dict[int, OpenInvoice] = {i.id: i for i in invoices if not i.open.is_zero}
        self.payers: dict[int, Payer] = {p.customer: p for p in payers}
        self.recorded: dict[int, Recorded] = {r.id: r for r in recorded}
        self.gateway_txns: dict[int, GatewayTxn] = {g.id: g for g in gateway_txns}
        self.by_customer: dict[int, list[int]] = {}
        self.by_number: dict[str, list[int]] = {}
        for inv in sorted(self.invoices.values(), key=lambda i: (i.due, i.number, i.id)):
            self.by_customer.setdefault(inv.customer, []).append(inv.id)
            norm = _norm_number(inv.number)
            self.by_number.setdefault(norm, []).append(inv.id)
            digits = "".join(ch for ch in norm if ch.isdigit())
            if digits != norm and len(digits) >= 4:   # "INV-7001" is written "7001" too
                self.by_number.setdefault(digits, []).append(inv.id)
        self.by_ref: dict[str, int] = {}
        self.by_account: dict[str, int] = {}
        self.by_name: dict[tuple[str, ...], set[int]] = {}
        self.by_first_word: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for p in self.payers.values():
            self.by_ref[_norm_number(p.ref)] = p.customer
            for acc in p.accounts:
                if _account(acc):
                    self.by_account[_account(acc)] = p.customer
            for name in p.names:
                words = normalize_name(name)
                if words:
                    self.by_name.setdefault(words, set()).add(p.customer)
                    self.by_first_word.setdefault(words[0], []).append((words, p.customer))
        self.numbers_by_length: dict[int, set[str]] = {}
        for n in self.by_number:
            self.numbers_by_length.setdefault(len(n), set()).add(n)

    def open_of(self, customer: int, currency: str) -> list[OpenInvoice]:
        return [self.invoices[i] for i in self.by_customer.get(customer, ())
                if i in self.invoices and self.invoices[i].open.currency == currency]

    def take(self, match: Match) -> None:
        """Leave out of later matches what ``match`` took."""
        for inv_id, amount in match.allocations:
            inv = self.invoices.get(inv_id)
            if inv is None or inv.open.currency != amount.currency:
                continue
            left = inv.open - amount
            if left.amount <= 0:
                del self.invoices[inv_id]
            else:
                self.invoices[inv_id] = OpenInvoice(inv.id, inv.customer, inv.number, left, inv.due)
        for rid in match.recorded:
            self.recorded.pop(rid, None)
        for gid in match.gateway_txns:
            self.gateway_txns.pop(gid, None)


def _account(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum()).upper().lstrip("0")


# --- what the line says ------------------------------------------------------------------------

def _numbers_in(text: str, book: Book) -> tuple[list[int], list[int]]:
    """Invoice ids whose number the text holds exactly, and those it holds with one typo."""
    toks = _tokens(text)
    cands: list[str] = []
    for i, t in enumerate(toks):
        cands.append(t)
        digits = "".join(ch for ch in t if ch.isdigit())
        if digits and digits != t:
            cands.append(digits)
        if i + 1 < len(toks):
            cands.append(t + toks[i + 1])
    exact: list[int] = []
    for c in cands:
        for inv in book.by_number.get(c, ()):
            if inv in book.invoices and inv not in exact:
                exact.append(inv)
    typo: list[int] = []
    if not exact:
        for c in cands:
            if not (c.isdigit() and len(c) >= 4):
                continue
            for variant in _one_typo(c, book.numbers_by_length.get(len(c), set())):
                for inv in book.by_number.get(variant, ()):
                    if inv in book.invoices and inv not in typo:
                        typo.append(inv)
    return exact, typo


def _one_typo(token: str, known: set[str]) -> list[str]:
    found = []
    for i in range(len(token)):
        for d in "0123456789":
            if d != token[i]:
                v = token[:i] + d + token[i + 1:]
                if v in known:
                    found.append(v)
        if i + 1 < len(token) and token[i] != token[i + 1]:
            v = token[:i] + token[i + 1] + token[i] + token[i + 2:]
            if v in known:
                found.append(v)
    return found


def _reference_customer(text: str, book: Book) -> int | None:
    for m in _REFERENCE.finditer(text):
        head = m.group(1)
        parts = re.split(r"[./-]", head)
        for start in range(len(parts)):
            cust = book.by_ref.get(_norm_number("-".join(parts[start:])))
            if cust is not None:
                return cust
    return None


def _name_customers(line: Line, book: Book) -> tuple[set[int], str]:
    """Customers the payer's name names: exactly ("name_exact"), or most of its words
    ("name_close"); else customers whose whole name is written in the text ("name_in_text")."""
    words = normalize_name(line.payer_name)
    if words:
        exact = book.by_name.get(words)
        if exact:
            return set(exact), "name_exact"
        mine = set(words)
        close: set[int] = set()
        for w in mine:
            for cwords, cust in book.by_first_word.get(w, ()):
                theirs = set(cwords)
                if len(mine & theirs) / len(mine | theirs) >= 0.6:
                    close.add(cust)
        if close:
            return close, "name_close"
    toks = normalize_name(line.text)
    found: set[int] = set()
    for i, t in enumerate(toks):
        for cwords, cust in book.by_first_word.get(t, ()):
            if tuple(toks[i:i + len(cwords)]) == cwords and (len(cwords) > 1 or len(t) >= 4):
                found.add(cust)
    return found, "name_in_text" if found else ""


# --- amounts -------------------------------------------------------------------------------------

def _fits(total: Money, amount: Money, tol: Tolerance) -> str:
    """"exact", "short" (short by no more than the tolerance) or ""."""
    if total == amount:
        return "exact"
    diff = total - amount
    if diff.amount > 0 and diff <= tol.allowed(amount):
        return "short"
    return ""


def _fitting_sets(invoices: Sequence[OpenInvoice], amount: Money, tol: Tolerance
                  ) -> list[tuple[str, tuple[OpenInvoice, ...]]]:
    """Sets of invoices whose open amounts the line pays: the smallest sets first, exact before
    short; each size's first found (oldest) first."""
    pool = list(invoices[:MAX_CANDIDATES])
    out: list[tuple[str, tuple[OpenInvoice, ...]]] = []
    for size in range(1, min(MAX_COMBINATION, len(pool)) + 1):
        found = []
        for combo in combinations(pool, size):
            total = Money.zero(amount.currency)
            for inv in combo:
                total = total + inv.open
            how = _fits(total, amount, tol)
            if how:
                found.append((how, combo))
        if found:
            found.sort(key=lambda f: 0 if f[0] == "exact" else 1)
            return found
    return out


def _oldest_first(invoices: Sequence[OpenInvoice], amount: Money) -> tuple[tuple[int, Money], ...]:
    left, out = amount, []
    for inv in invoices:
        if not left.amount > 0:
            break
        part = inv.open if inv.open <= left else left
        out.append((inv.id, part))
        left = left - part
    return tuple(out)


def _pay_sets(how: str, combo: Sequence[OpenInvoice], amount: Money) -> tuple[tuple[int, Money], ...]:
    if how == "exact":
        return tuple((i.id, i.open) for i in combo)
    return _oldest_first(combo, amount)


# --- the matcher ---------------------------------------------------------------------------------

_BASE = {"named_invoice": 97, "named_invoice_typo": 88, "payment_reference": 95, "payer_account": 94,
         "name_exact": 92, "name_close": 82, "name_in_text": 86}


def match_line(line: Line, book: Book, tol: Tolerance) -> Match:
    """What ``line`` (a credit) is, in ``book``; see the module's docstring."""
    if not line.amount.amount > 0:
        return Match(line.key, "none", 0, (Reason.of("not_a_credit"),))
    found = _recorded(line, book)
    if found is not None:
        return found
    found = _payout(line, book, tol)
    if found is not None:
        return found
    exact, typo = _numbers_in(line.text, book)
    if exact:
        m = _by_numbers(line, book, tol, exact, "named_invoice")
        if m is not None:
            return m
    cust = _reference_customer(line.text, book)
    if cust is not None:
        return _by_customer(line, book, tol, cust, Reason.of("payment_reference", customer=book.payers[cust].ref))
    if typo:
        # a number one typo away may be another real invoice: keep those whose amount the line pays,
        # else those of the customer the payer's name or account names
        fitting = [i for i in typo if book.invoices[i].open.currency == line.amount.currency
                   and _fits(book.invoices[i].open, line.amount, tol)]
        named = _line_customers(line, book)
        if len(fitting) != 1 and named:
            fitting = [i for i in (fitting or typo) if book.invoices[i].customer in named]
        m = _by_numbers(line, book, tol, fitting or typo, "named_invoice_typo")
        if m is not None:
            return m if len(fitting) == 1 else _capped(m, 70, Reason.of("typo_ambiguous", count=len(typo)))
    acc = _account(line.payer_account)
    if acc and acc in book.by_account:
        cust = book.by_account[acc]
        return _by_customer(line, book, tol, cust, Reason.of("payer_account", account=line.payer_account))
    custs, how = _name_customers(line, book)
    if len(custs) == 1:
        cust = next(iter(custs))
        return _by_customer(line, book, tol, cust, Reason.of(how, customer=book.payers[cust].ref))
    if len(custs) > 1:
        fitting = [c for c in sorted(custs) if _fitting_sets(book.open_of(c, line.amount.currency), line.amount, tol)]
        if len(fitting) == 1:
            m = _by_customer(line, book, tol, fitting[0], Reason.of(how, customer=book.payers[fitting[0]].ref))
            return _capped(m, 80, Reason.of("name_shared", count=len(custs)))
        return Match(line.key, "none", 0, (Reason.of("name_shared", count=len(custs)),))
    return _by_amount_only(line, book)


def _capped(m: Match, cap: int, reason: Reason) -> Match:
    return Match(m.line, m.kind, min(m.confidence, cap), m.reasons + (reason,), m.customer, m.allocations,
                 m.recorded, m.gateway_txns)


def _recorded(line: Line, book: Book) -> Match | None:
    cands = [r for r in book.recorded.values()
             if r.amount == line.amount and abs((r.day - line.day).days) <= RECORDED_DAYS]
    if not cands:
        return None
    text = set(_tokens(line.text))
    joined = _norm_number(line.text)
    for r in cands:
        ref = _norm_number(r.reference)
        if ref and (ref in text or (len(ref) >= 5 and ref in joined)):
            return Match(line.key, "recorded", 99, (Reason.of("recorded_reference", reference=r.reference),),
                         r.customer, recorded=(r.id,))
    exact, _typo = _numbers_in(line.text, book)
    if any(book.invoices[i].open.currency == line.amount.currency for i in exact):
        return None   # the line names an invoice still open: a new payment, not one recorded before
    named = _line_customers(line, book)
    if named:
        mine = [r for r in cands if r.customer in named]
        if not mine:
            return None
        r = min(mine, key=lambda r: (abs((r.day - line.day).days), r.id))
        m = Match(line.key, "recorded", 96, (Reason.of("recorded_same_payer", day=r.day.isoformat()),),
                  r.customer, recorded=(r.id,))
    else:
        r = min(cands, key=lambda r: (abs((r.day - line.day).days), r.id))
        m = Match(line.key, "recorded", 85 if len(cands) == 1 else 70,
                  (Reason.of("recorded_amount_date", day=r.day.isoformat(), count=len(cands)),), r.customer,
                  recorded=(r.id,))
    if any(i.open == line.amount for i in book.open_of(r.customer, line.amount.currency)):
        # the customer also owes exactly this amount: a second payment is as likely as the one recorded
        return _capped(m, 80, Reason.of("also_open_invoice"))
    return m


def _line_customers(line: Line, book: Book) -> set[int]:
    """Whom the line names, by any of the signs (for telling recorded payments apart)."""
    out: set[int] = set()
    exact, _ = _numbers_in(line.text, book)
    out.update(book.invoices[i].customer for i in exact)
    cust = _reference_customer(line.text, book)
    if cust is not None:
        out.add(cust)
    acc = _account(line.payer_account)
    if acc in book.by_account:
        out.add(book.by_account[acc])
    custs, _how = _name_customers(line, book)
    return out | custs


def _payout(line: Line, book: Book, tol: Tolerance) -> Match | None:
    if not book.gateway_txns:
        return None
    folded = " ".join(_tokens(line.text + " " + line.payer_name))
    by_gateway: dict[str, list[GatewayTxn]] = {}
    for g in book.gateway_txns.values():
        if g.amount.currency == line.amount.currency and g.day <= line.day:
            by_gateway.setdefault(g.gateway, []).append(g)
    found: list[tuple[int, str, tuple[GatewayTxn, ...], str]] = []
    for gateway, txns in sorted(by_gateway.items()):
        days: dict[date, list[GatewayTxn]] = {}
        for g in sorted(txns, key=lambda g: (g.day, g.id)):
            days.setdefault(g.day, []).append(g)
        order = sorted(days)
        named = " ".join(_tokens(gateway)) in folded
        # whole days at a time, a run of consecutive pending days; the most recent run first
        for end in range(len(order) - 1, -1, -1):
            total = Money.zero(line.amount.currency)
            for start in range(end, -1, -1):
                for g in days[order[start]]:
                    total = total + g.amount
                how = _fits(total, line.amount, tol)
                if how:
                    run = tuple(g for d in order[start:end + 1] for g in days[d])
                    conf = (95 if named else 80) - (0 if how == "exact" else 2)
                    found.append((conf, gateway, run, how))
                    break
                if total > line.amount:
                    break
    if not found:
        return None
    conf, gateway, run, how = max(found, key=lambda f: (f[0], -len(f[2])))
    if sum(1 for f in found if f[0] == conf) > 1:
        conf = min(conf, 75)
    reasons = [Reason.of("gateway_payout", gateway=gateway, count=len(run))]
    if how == "short":
        total = Money.zero(line.amount.currency)
        for g in run:
            total = total + g.amount
        reasons.append(Reason.of("gateway_fees", fees=str(total - line.amount)))
    return Match(line.key, "payout", conf, tuple(reasons), gateway_txns=tuple(g.id for g in run))


def _by_numbers(line: Line, book: Book, tol: Tolerance, ids: list[int], how: str) -> Match | None:
    invs = [book.invoices[i] for i in ids if book.invoices[i].open.currency == line.amount.currency]
    if not invs:
        return None
    customers = {i.customer for i in invs}
    cust = invs[0].customer
    invs = sorted((i for i in invs if i.customer == cust), key=lambda i: (i.due, i.number, i.id))
    numbers = ",".join(i.number for i in invs)
    base = _BASE[how] - (25 if len(customers) > 1 else 0)
    reason = Reason.of(how, numbers=numbers)
    others = _payer_customers(line, book)
    if others and cust not in others:   # the payer is someone else: the number may be a mistake
        base = min(base, 60)
        reason = Reason.of(how, numbers=numbers)
        extra: tuple[Reason, ...] = (Reason.of("payer_differs"),)
    else:
        extra = ()
    m = _numbers_fit(line, book, tol, invs, cust, base, reason)
    return m if m is None or not extra else Match(m.line, m.kind, min(m.confidence, 60), m.reasons + extra,
                                                   m.customer, m.allocations)


def _payer_customers(line: Line, book: Book) -> set[int]:
    """Whom the payer's account or name names (not the numbers in the text)."""
    acc = _account(line.payer_account)
    if acc in book.by_account:
        return {book.by_account[acc]}
    custs, _how = _name_customers(line, book)
    return custs


def _numbers_fit(line: Line, book: Book, tol: Tolerance, invs: list[OpenInvoice], cust: int, base: int,
                 reason: Reason) -> Match | None:
    total = Money.zero(line.amount.currency)
    for inv in invs:
        total = total + inv.open
    fit = _fits(total, line.amount, tol)
    if fit == "exact":
        return Match(line.key, "invoices", base + 2, (reason, Reason.of("amount_exact")), cust,
                     tuple((i.id, i.open) for i in invs))
    if fit == "short":
        return Match(line.key, "invoices", base, (reason, Reason.of("amount_short", short=str(total - line.amount))),
                     cust, _oldest_first(invs, line.amount))
    if line.amount < total:
        return Match(line.key, "invoices", base - 10, (reason, Reason.of("partial_payment", open=str(total))), cust,
                     _oldest_first(invs, line.amount))
    # more than the named invoices: the rest may pay others of the customer's
    rest = line.amount - total
    others = [i for i in book.open_of(cust, line.amount.currency) if i not in invs]
    sets = _fitting_sets(others, rest, tol)
    allocs = tuple((i.id, i.open) for i in invs)
    if sets:
        fit2, combo = sets[0]
        return Match(line.key, "invoices", base - 8, (reason, Reason.of("and_others", count=len(combo))), cust,
                     allocs + _pay_sets(fit2, combo, rest))
    return Match(line.key, "invoices", base - 22, (reason, Reason.of("overpayment", extra=str(rest))), cust, allocs)


def _by_customer(line: Line, book: Book, tol: Tolerance, cust: int, reason: Reason) -> Match:
    base = _BASE[reason.code]
    invs = book.open_of(cust, line.amount.currency)
    if not invs:
        return Match(line.key, "none", min(base, 50), (reason, Reason.of("nothing_open")), cust)
    sets = _fitting_sets(invs, line.amount, tol)
    if sets:
        fit, combo = sets[0]
        conf = base - (0 if len(combo) == 1 else 3) - (0 if fit == "exact" else 3)
        reasons = [reason, Reason.of("amount_exact" if fit == "exact" else "amount_short", count=len(combo))]
        same = [s for s in sets if s[0] == fit and len(s[1]) == len(combo)]
        if len(same) > 1:
            conf = min(conf, 78)
            reasons.append(Reason.of("amount_ambiguous", count=len(same)))
        return Match(line.key, "invoices", conf, tuple(reasons), cust, _pay_sets(fit, combo, line.amount))
    total = Money.zero(line.amount.currency)
    for inv in invs:
        total = total + inv.open
    if line.amount < total:
        return Match(line.key, "invoices", base - 25, (reason, Reason.of("partial_payment", open=str(total))), cust,
                     _oldest_first(invs, line.amount))
    return Match(line.key, "invoices", base - 30, (reason, Reason.of("overpayment", extra=str(line.amount - total))),
                 cust, tuple((i.id, i.open) for i in invs))


def _by_amount_only(line: Line, book: Book) -> Match:
    same = [i for i in book.invoices.values() if i.open == line.amount]
    if len(same) == 1:
        inv = same[0]
        return Match(line.key, "invoices", 55, (Reason.of("amount_only", number=inv.number),), inv.customer,
                     ((inv.id, inv.open),))
    if same:
        return Match(line.key, "none", 0, (Reason.of("amount_many", count=len(same)),))
    return Match(line.key, "none", 0, (Reason.of("nothing_found"),))


def match_all(lines: Iterable[Line], book: Book, tol: Tolerance) -> list[Match]:
    """Each line in turn; what one line takes (invoices paid, payments and gateway transactions
    accounted for) is not offered to the next."""
    out = []
    for line in lines:
        m = match_line(line, book, tol)
        if m.kind != "none":
            book.take(m)
        out.append(m)
    return out
