"""A deterministic, realistic demo business: customers, invoices and payments.

``generate(customers, seed, language, as_of)`` describes the business; nothing is made
until it is read. Each customer is drawn from its own random stream,
``Random(key(seed, customer index))``, so the same arguments always give the same rows,
any customer can be rebuilt alone (:meth:`DemoData.bundle`), and the files of a
100,000-customer, 1,000,000-invoice business are written in one streaming pass with
little memory. There is no global random state and no clock: ``as_of`` is "today".

**What is in it.**

* Customers (see :mod:`gvia.demo.profiles`): companies with a valid ח.פ., sole traders and
  consumers with a valid ID number, Israeli phones and addresses, a contact person, Hebrew
  names (one in twenty English) or, with ``language="en"``, English names.
* Invoices over the two years before ``as_of``. Invoices in ILS include VAT (17% before
  2025, 18% from 1 January 2025); some business customers are invoiced partly in USD or
  EUR (no VAT, as for exports). Due dates follow each customer's payment terms
  (:mod:`gvia.demo.terms`: net 30/45/60, "שוטף + 30/60/90", immediate for consumers).
  Invoice numbers are one series for the whole business; a customer's invoices are
  consecutive numbers in date order. The number of invoices per customer is skewed (few
  large customers, many small ones) and the total is exactly
  ``round(customers * invoices_per_customer)`` rows, credit notes included.
* Allocation numbers (Israel's מספר הקצאה, :mod:`gvia.core.allocation`): an invoice in shekels to
  a company or a sole trader that needs one carries a 9-digit number, except one in eight (by its
  invoice number, no random draw), which the worklist then shows as waiting for its number.
* Credit notes: about one invoice in a hundred gets a partial credit (goods returned), and
  half of the disputing customers get a credit on the disputed invoice. A credit note has
  a positive amount, names the invoice in ``applies_to``, and its due date is its issue date.
* Payments, by the customer's behaviour (below), by transfer, card, cash or cheque, each
  with a unique ``reference``; cheques have unique numbers, consecutive per customer, and
  are often post-dated: ``date`` is when the cheque was received, ``value_date`` when it
  can be cashed, later than ``as_of`` for a pending cheque. Companies may withhold income
  tax at source (``withholding``, a percentage of the amount before VAT). A USD or EUR
  invoice is often paid in ILS: the payment is in ILS and ``rate`` is the conversion rate
  as gvia's ledger reads it (units of the *invoice* currency per unit of the payment
  currency, so about 0.27 for USD paid in ILS; the daily rate moves around 3.70 ILS per
  USD and 4.00 ILS per EUR). Some customers pay monthly lump sums that name no invoice.

**Behaviours.** Each customer gets exactly one, by fixed shares (a quota, shuffled, so
even 200 customers have every behaviour): pays_on_time 42%, a_little_late 20% (1-25 days
late), chronically_late 10% (30-150 days late), partial_payer 8% (pays 30-80% of an
invoice, the rest later or never), goes_silent 6% (paid normally, then nothing for the
last 1.5-9 months while invoices kept coming), disputes 6% (one or two invoices left
unpaid, see :meth:`DemoData.disputed_invoices`), overpays 4% (a duplicate transfer or a
payment rounded up: the rest is unapplied credit or pays later invoices) and
bounced_cheque 4% (pays by cheque; one cheque cashed before ``as_of`` bounced, see
:meth:`DemoData.bounced_cheques`; its invoice stays open). Together they give an aging
with amounts in every bucket from not_due to 180+.

**Open amounts.** ``open_amount`` is what gvia's ledger (:func:`gvia.core.ledger.allocate`,
default ₪1 tolerance, no amounts settled outside gvia) computes from these invoices and
payments with the bounced cheques marked bounced: credit notes first, payments in date
order to the invoice they name, then oldest-due in their currency, then at their rate;
pending cheques count as covering. It is computed here with integer minor units by the
same rules (a test checks it against the ledger itself). A loader that imports the
payments should therefore leave ``open_amount`` out (``write_csv(open_amount=False)``)
and let gvia compute it; the column is for importing the invoices alone.

Amounts are handled as integer minor units (agorot, cents) and written as decimal strings
with the currency's number of decimals ("1250.00"); no float ever touches money.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from random import Random

from gvia.core.allocation import ALLOCATION_THRESHOLDS, InvoiceFacts, needs_allocation_number
from gvia.core.errors import NotFound
from gvia.core.money import currency_exponent

from .profiles import (
    COMPANY,
    CONSUMER,
    MAX_CUSTOMERS,
    SOLE_TRADER,
    Profile,
    TaxIdKeys,
    make_profile,
    permute,
)
from .terms import BUSINESS_TERMS, CONSUMER_TERMS, PaymentTerms, end_of_month

BEHAVIOURS: tuple[str, ...] = (
    "pays_on_time", "a_little_late", "chronically_late", "partial_payer",
    "goes_silent", "disputes", "overpays", "bounced_cheque",
)
BEHAVIOUR_SHARES: dict[str, int] = {  # percent
    "pays_on_time": 42, "a_little_late": 20, "chronically_late": 10, "partial_payer": 8,
    "goes_silent": 6, "disputes": 6, "overpays": 4, "bounced_cheque": 4,
}
(_ON_TIME, _LITTLE_LATE, _CHRONIC, _PARTIAL, _SILENT, _DISPUTES, _OVERPAYS,
 _BOUNCED) = range(len(BEHAVIOURS))

CUSTOMER_FIELDS: tuple[str, ...] = (
    "customer_ref", "customer_name", "customer_tax_id", "customer_email", "customer_phone",
    "customer_language", "customer_type", "customer_address", "contact_name", "customer_claim_basis",
)
INVOICE_FIELDS: tuple[str, ...] = (
    "customer_ref", "customer_name", "kind", "applies_to", "invoice_number", "po_number",
    "issue_date", "due_date", "amount", "open_amount", "currency", "description", "allocation_number",
)
PAYMENT_FIELDS: tuple[str, ...] = (
    "customer_ref", "date", "value_date", "amount", "currency", "method", "cheque_number",
    "reference", "withholding", "invoice_number", "rate",
)
METHODS: tuple[str, ...] = ("transfer", "card", "cash", "cheque")

FIRST_CUSTOMER_REF = 100001
FIRST_INVOICE_NUMBER = 10001
HISTORY_DAYS = 730
MAX_INVOICES_PER_CUSTOMER = 400
MAX_INVOICES_PER_CUSTOMER_MEAN = 100
LANGUAGES = ("he", "en")

# Rates around which the demo's daily representative rate moves: ILS per unit, in
# ten-thousandths. Only these currencies are ever paid in ILS.
_ILS_PER_UNIT: dict[str, int] = {"USD": 37000, "EUR": 40000, "GBP": 47000}
_VAT_2025 = date(2025, 1, 1).toordinal()
_WITHHOLDING_PERCENTS = (2, 3, 5, 5, 7, 10, 20)
_PLAN_STREAM = (1 << 40) - 1


def _stream_key(seed: int, stream: int) -> int:
    """One integer seed per (business seed, stream); distinct pairs give distinct keys."""
    z = seed * 2 if seed >= 0 else -seed * 2 - 1
    return (z << 40) | stream


def _round_half_up_div(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up, for non-negative integers."""
    return (2 * numerator + denominator) // (2 * denominator)


def representative_rate(currency: str, day: int) -> int:
    """The demo's representative rate on ordinal ``day``: ILS per unit, ten-thousandths."""
    base = _ILS_PER_UNIT[currency]
    wobble = ((day * 2654435761) >> 8) % 601 - 300
    return base + wobble


def ledger_rate(ils_per_unit: int) -> int:
    """Units of the foreign currency per ILS, in millionths, from ILS per unit (1e-4).

    This is the ``rate`` of an ILS payment of a foreign invoice as gvia's ledger reads it.
    """
    return _round_half_up_div(10**10, ils_per_unit)


def amount_formatter(exponent: int):
    """A function writing non-negative minor units as a decimal string: 125000 -> "1250.00"."""
    if exponent == 0:
        return str
    unit = 10**exponent

    def fmt(minor: int) -> str:
        q, r = divmod(minor, unit)
        return f"{q}.{r:0{exponent}d}"
    return fmt


class _DayCache(dict):
    """ordinal -> something about that day, computed once."""

    def __init__(self, compute) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, day: int):
        value = self[day] = self._compute(day)
        return value


def _end_of_month_ordinal(day: int) -> int:
    return end_of_month(date.fromordinal(day)).toordinal()


def _month_label(day: int) -> str:
    d = date.fromordinal(day)
    return f"{d.month:02d}/{d.year}"


@dataclass(frozen=True, slots=True)
class DemoSpec:
    """The arguments of :func:`generate`."""

    customers: int
    seed: int
    language: str
    as_of: date
    invoices_per_customer: float
    currencies: tuple[str, ...]


@dataclass(slots=True)
class CustomerBundle:
    """Everything generated for one customer (read-only by convention: not frozen, as
    freezing costs measurable time at a million rows).

    ``invoices`` and ``payments`` are rows in the order of :data:`INVOICE_FIELDS` and
    :data:`PAYMENT_FIELDS` (all strings). ``unapplied`` is the customer's unapplied credit
    per currency (decimal strings), as gvia's ledger will compute it.
    """

    index: int
    ref: str
    behaviour: str
    profile: Profile
    terms: PaymentTerms
    invoices: list[tuple[str, ...]]
    payments: list[tuple[str, ...]]
    bounced_cheques: tuple[str, ...]
    disputed_invoices: tuple[str, ...]
    unapplied: dict[str, str]


@dataclass(frozen=True, slots=True)
class _Plan:
    """The whole-business draws, made once: behaviour and invoice count of each customer."""

    behaviours: bytearray
    counts: array
    offsets: array  # offsets[i] = invoices of customers before i
    tax_keys: TaxIdKeys
    reference_offset: int
    chequebook_offset: int


def _quotas(n: int, shares: tuple[int, ...]) -> list[int]:
    """Split ``n`` by percentage ``shares`` (largest remainder); each share gets at least
    one when ``n`` allows."""
    total = sum(shares)
    exact = [n * s for s in shares]
    q = [e // total for e in exact]
    order = sorted(range(len(shares)), key=lambda k: (-(exact[k] % total), k))
    for k in order[: n - sum(q)]:
        q[k] += 1
    if n >= len(shares):
        for k in range(len(q)):
            if q[k] == 0:
                donor = max(range(len(q)), key=lambda j: (q[j], -j))
                q[donor] -= 1
                q[k] = 1
    return q


# Relative sizes of customers by invoice count: most have a few, some have many.
_COUNT_WEIGHTS = (1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8, 10, 14, 20)


def _make_plan(spec: DemoSpec) -> _Plan:
    rng = Random(_stream_key(spec.seed, _PLAN_STREAM))
    r = rng.random
    n = spec.customers
    shares = tuple(BEHAVIOUR_SHARES[b] for b in BEHAVIOURS)
    behaviours = bytearray()
    for code, q in enumerate(_quotas(n, shares)):
        behaviours.extend(bytes([code]) * q)
    rng.shuffle(behaviours)

    target = total_invoices(n, spec.invoices_per_customer)
    counts = array("l", [0]) * n
    if n:
        mean = target / n
        weight_mean = sum(_COUNT_WEIGHTS) / len(_COUNT_WEIGHTS)
        low = 1 if target >= n else 0
        cap = MAX_INVOICES_PER_CUSTOMER
        nw = len(_COUNT_WEIGHTS)
        for i in range(n):
            w = _COUNT_WEIGHTS[int(r() * nw)] * mean / weight_mean * (0.75 + 0.5 * r())
            counts[i] = min(cap, max(low, int(w + 0.5)))
        diff = target - sum(counts)
        while diff > 0:
            i = int(r() * n)
            if counts[i] < cap:
                counts[i] += 1
                diff -= 1
        while diff < 0:
            i = int(r() * n)
            if counts[i] > low:
                counts[i] -= 1
                diff += 1
    offsets = array("q", [0]) * (n + 1)
    running = 0
    for i in range(n):
        offsets[i] = running
        running += counts[i]
    offsets[n] = running
    return _Plan(
        behaviours=behaviours, counts=counts, offsets=offsets,
        tax_keys=TaxIdKeys(company_offset=int(r() * 10**6), person_offset=int(r() * 2 * 10**7)),
        reference_offset=int(r() * 10**9), chequebook_offset=int(r() * 10**6),
    )


def total_invoices(customers: int, invoices_per_customer: float) -> int:
    """The number of invoice rows (credit notes included) of a generated business."""
    exact = Decimal(str(invoices_per_customer)) * customers
    return int(exact.to_integral_value(rounding=ROUND_HALF_UP))


def _weighted(r, table):
    """Pick an item of ``((item, weight), ...)`` in proportion to its weight."""
    total = sum(w for _, w in table)
    x = r() * total
    for item, w in table:
        x -= w
        if x < 0:
            return item
    return table[-1][0]


# No invoice at or below the lowest threshold (in agorot) ever needs an allocation number.
_LOWEST_THRESHOLD_MINOR = int(min(r.value for r in ALLOCATION_THRESHOLDS) * 100)

# Typical amount before VAT of one invoice, in major units, by kind of customer.
_SIZES = {
    COMPANY: ((400, 6), (900, 12), (1800, 20), (3500, 22), (7000, 18), (15000, 12),
              (40000, 7), (120000, 3)),
    SOLE_TRADER: ((300, 20), (600, 30), (1200, 30), (2500, 15), (5000, 5)),
    CONSUMER: ((120, 20), (250, 30), (450, 25), (900, 15), (1800, 10)),
}


class DemoData:
    """A generated demo business. Rows are made on demand; see the module docstring."""

    def __init__(self, spec: DemoSpec) -> None:
        self.spec = spec
        self._plan = _make_plan(spec)
        self._as_of = spec.as_of.toordinal()
        self._iso = _DayCache(lambda d: date.fromordinal(d).isoformat())
        self._eom = _DayCache(_end_of_month_ordinal)
        self._month = _DayCache(_month_label)
        self._odd_formats = {c: amount_formatter(currency_exponent(c)) for c in spec.currencies
                             if currency_exponent(c) != 2}

    # --- sizes and names --------------------------------------------------------------
    @property
    def customer_count(self) -> int:
        return self.spec.customers

    @property
    def invoice_count(self) -> int:
        """Rows of the invoices file (invoices and credit notes)."""
        return self._plan.offsets[self.spec.customers]

    def ref(self, index: int) -> str:
        """The customer reference of customer number ``index`` (0-based): "100001", ..."""
        return str(FIRST_CUSTOMER_REF + index)

    def index_of(self, ref: str) -> int:
        """The index of the customer with reference ``ref``; NotFound if there is none."""
        try:
            i = int(ref) - FIRST_CUSTOMER_REF
        except (TypeError, ValueError):
            i = -1
        if not 0 <= i < self.spec.customers or self.ref(i) != ref:
            raise NotFound(f"no demo customer {ref!r}")
        return i

    # --- behaviours -------------------------------------------------------------------
    def customer_behaviour(self, ref: str) -> str:
        """The payment behaviour of the customer with reference ``ref``."""
        return BEHAVIOURS[self._plan.behaviours[self.index_of(ref)]]

    @property
    def behaviours(self) -> Mapping[str, str]:
        """customer_ref -> behaviour, for every customer (a read-only view)."""
        return _BehaviourView(self)

    def behaviour_counts(self) -> dict[str, int]:
        counts = [0] * len(BEHAVIOURS)
        for b in self._plan.behaviours:
            counts[b] += 1
        return dict(zip(BEHAVIOURS, counts))

    def _indexes_with(self, code: int) -> Iterator[int]:
        return (i for i, b in enumerate(self._plan.behaviours) if b == code)

    def bounced_cheques(self) -> list[str]:
        """The numbers of the cheques that bounced (one per bounced_cheque customer that has
        an invoice), in customer order. The loader marks these payments bounced."""
        return [c for i in self._indexes_with(_BOUNCED) for c in self.bundle(i).bounced_cheques]

    def disputed_invoices(self) -> list[str]:
        """The numbers of the invoices that disputing customers contest, in customer order."""
        return [n for i in self._indexes_with(_DISPUTES) for n in self.bundle(i).disputed_invoices]

    # --- rows -------------------------------------------------------------------------
    def profile(self, index: int) -> Profile:
        """Customer ``index``'s identity alone (cheaper than the whole bundle)."""
        return make_profile(Random(_stream_key(self.spec.seed, index)), index, self.ref(index),
                            self.spec.language, self._plan.tax_keys)

    def iter_customer_rows(self) -> Iterator[tuple[str, ...]]:
        for i in range(self.spec.customers):
            yield self.profile(i).row()

    def iter_bundles(self, start: int = 0, stop: int | None = None) -> Iterator[CustomerBundle]:
        """The customers ``start`` (included) to ``stop`` (excluded, default all), in order."""
        stop = self.spec.customers if stop is None else min(stop, self.spec.customers)
        for i in range(max(start, 0), stop):
            yield _CustomerBuilder(self, i).build()

    def iter_invoice_rows(self) -> Iterator[tuple[str, ...]]:
        for b in self.iter_bundles():
            yield from b.invoices

    def iter_payment_rows(self) -> Iterator[tuple[str, ...]]:
        for b in self.iter_bundles():
            yield from b.payments

    # --- one customer -----------------------------------------------------------------
    def bundle(self, customer: int | str) -> CustomerBundle:
        """Everything about one customer, by index or by reference."""
        i = self.index_of(customer) if isinstance(customer, str) else customer
        if not 0 <= i < self.spec.customers:
            raise NotFound(f"no demo customer number {i}")
        return _CustomerBuilder(self, i).build()


class _BehaviourView(Mapping[str, str]):
    def __init__(self, data: DemoData) -> None:
        self._data = data

    def __getitem__(self, ref: str) -> str:
        try:
            return self._data.customer_behaviour(ref)
        except NotFound:
            raise KeyError(ref) from None

    def __iter__(self) -> Iterator[str]:
        return (self._data.ref(i) for i in range(self._data.spec.customers))

    def __len__(self) -> int:
        return self._data.spec.customers


# A payment while it is being built is a list (for speed), indexed by these:
(_P_DATE, _P_SEQ, _P_INV, _P_CUR, _P_AMOUNT, _P_WH, _P_RATE, _P_VALUE, _P_METHOD,
 _P_CHEQUE, _P_BOUNCED) = range(11)


class _CustomerBuilder:
    """Draws one customer's invoices and payments and computes the open amounts.

    Invoices are rows ``j`` of parallel lists (issue and due dates as ordinals, amounts in
    minor units); row ``j`` has invoice number ``number0 + j``.
    """

    def __init__(self, data: DemoData, index: int) -> None:
        self.data = data
        self.i = index
        self.rng = Random(_stream_key(data.spec.seed, index))
        self.r = self.rng.random
        self.as_of = data._as_of

    def build(self) -> CustomerBundle:
        data, i, r = self.data, self.i, self.r
        spec, plan = data.spec, data._plan
        A = self.as_of
        prof = self.prof = make_profile(self.rng, i, data.ref(i), spec.language, plan.tax_keys)
        beh = self.beh = plan.behaviours[i]
        n = plan.counts[i]
        consumer = prof.entity == CONSUMER
        terms = self.terms = _weighted(r, CONSUMER_TERMS if consumer else BUSINESS_TERMS)

        # money habits
        home = self.home = spec.currencies[0]
        foreign = spec.currencies[1:]
        fx = None
        if foreign and not consumer:
            english_abroad = prof.language == "en" and spec.language == "he"
            if r() < (0.8 if english_abroad else 0.12):
                fx = foreign[0] if r() < 0.65 else foreign[int(r() * len(foreign))]
        fx_share = 0.4 + 0.6 * r()
        self.pays_fx_in_home = (fx is not None and home == "ILS" and fx in _ILS_PER_UNIT
                                and prof.language == "he" and r() < 0.6)
        self.withholding = (_WITHHOLDING_PERCENTS[int(r() * len(_WITHHOLDING_PERCENTS))]
                            if home == "ILS" and prof.entity == COMPANY and r() < 0.35 else 0)
        if beh == _BOUNCED:
            main = "cheque"
        elif consumer:
            main = _weighted(r, (("card", 50), ("transfer", 30), ("cash", 10), ("cheque", 10)))
        else:
            main = _weighted(r, (("transfer", 60), ("cheque", 30), ("card", 10)))
        self.main_method = main
        self.other_method = "transfer" if main != "transfer" else ("card" if consumer else "cheque")
        statement_payer = (beh in (_ON_TIME, _LITTLE_LATE, _CHRONIC) and not consumer
                           and r() < 0.25)
        typical = _weighted(r, _SIZES[prof.entity])
        po_style = 0
        if prof.entity == COMPANY and r() < 0.4:
            po_style = 1 if r() < 0.5 else 2
        po_next = 4500000000 + int(r() * 90000000) if po_style == 1 else 1000 + int(r() * 8000)

        # timeline: the first invoice opens the relationship; a silent customer's invoices
        # stop a month or two after its payments do
        start = A - 20 - int(r() * (HISTORY_DAYS - 20))
        start = min(start, A - min(HISTORY_DAYS, 20 + 10 * n))  # room for its invoices
        end = A
        self.silence: int | None = None   # silent customers: the day they stop paying
        if beh == _SILENT:
            silence = self.silence = A - 45 - int(r() * 240)
            start = min(start, silence - 60 - int(r() * 200))
            end = min(A, silence + 30 + int(r() * 30))
        span = end - start + 1
        issue = self.issue = ([start] + sorted(start + int(r() * span) for _ in range(n - 1))
                              if n else [])

        # invoices and credit notes
        self.number0 = FIRST_INVOICE_NUMBER + plan.offsets[i]
        self.kinds = kinds = bytearray(n)     # 0 invoice, 1 credit note
        self.due = due = [0] * n
        self.amount = amount = [0] * n
        self.cur = cur = [home] * n
        self.vat = vat = [0] * n
        self.applies = [-1] * n
        self.credited = credited = [0] * n   # credit notes' total on each invoice
        self.desc = desc = [""] * n
        po = self.po = [""] * n
        eom, months = data._eom, data._month
        service = prof.service
        unit_of = {c: 10 ** currency_exponent(c) for c in spec.currencies}
        fx_divisor = _ILS_PER_UNIT.get(fx, 10000) if (fx and home == "ILS") else 10000
        last_inv = -1
        allow_returns = beh != _OVERPAYS and not statement_payer
        for j in range(n):
            d = issue[j]
            if allow_returns and last_inv >= 0 and not credited[last_inv] and r() < 0.012:
                self._credit_note(j, last_inv, amount[last_inv] * (5 + int(r() * 26)) // 100)
                continue
            c = fx if (fx is not None and r() < fx_share) else home
            base = typical if c == home else max(1, typical * 10000 // fx_divisor)
            major = max(1, base * (30 + int(r() * 171)) // 100)
            unit = unit_of[c]
            cents = 0 if r() < 0.7 else int(r() * 100)
            net = major * unit + cents * unit // 100
            v = (18 if d >= _VAT_2025 else 17) if c == home == "ILS" else 0
            amount[j] = net + (net * v + 50) // 100
            vat[j] = v
            cur[j] = c
            due[j] = (eom[d] if terms.end_of_month else d) + terms.days
            if po_style and r() < 0.9:
                po[j] = f"{po_next}" if po_style == 1 else f"PO-{po_next}"
                po_next += 1
            desc[j] = f"{service} {months[d]}"
            last_inv = j
        disputed = self._choose_disputed() if beh == _DISPUTES else []

        # payments
        self.payments: list[list] = []
        skip = set(disputed)
        statement: list[tuple[int, int]] = []   # (settle day, invoice) paid by statements
        prev_settle = 0
        for j in range(n):
            if kinds[j] or j in skip:
                continue
            cover = amount[j] - credited[j]
            if cover <= 0:
                continue
            if beh == _PARTIAL:
                first = cover * (30 + int(r() * 51)) // 100
                s1 = due[j] + int(r() * 40)
                self._pay(j, first, s1)
                if r() < 0.6:
                    self._pay(j, cover - first, s1 + 30 + int(r() * 150))
                continue
            s = self._settle_day(j)
            if s is None:
                continue
            if statement_payer and cur[j] == home:
                s = prev_settle = max(s, prev_settle)
                statement.append((s, j))
            else:
                self._pay(j, cover, s)
        if statement:
            self._pay_statements(statement)
        if beh == _BOUNCED and n:
            self._bounce()
        if beh == _OVERPAYS and n:
            self._overpay()
        return self._finish(disputed)

    # --- invoices ---------------------------------------------------------------------
    def _credit_note(self, j: int, target: int, credit: int) -> None:
        """Make row ``j`` a credit note of ``credit`` on invoice row ``target``."""
        credit = max(credit, 1)
        self.kinds[j] = 1
        self.due[j] = self.issue[j]
        self.amount[j] = credit
        self.cur[j] = self.cur[target]
        self.vat[j] = 0
        self.po[j] = ""
        self.applies[j] = target
        self.credited[target] += credit
        num = self.number0 + target
        self.desc[j] = (f"זיכוי לחשבונית {num}" if self.prof.language == "he"
                        else f"Credit for invoice {num}")

    def _choose_disputed(self) -> list[int]:
        """One or two invoices due at least 10 days ago that the customer contests; half
        the time the last row becomes a partial credit note on the first of them."""
        r, A, kinds, due = self.r, self.as_of, self.kinds, self.due
        last = len(kinds) - 1
        invoices = [j for j in range(len(kinds)) if not kinds[j]]
        candidates = [j for j in invoices if due[j] <= A - 10 and j < last] or invoices
        if not candidates:
            return []
        chosen = {candidates[int(r() * len(candidates))]}
        if len(invoices) >= 8 and r() < 0.5:
            chosen.add(candidates[int(r() * len(candidates))])
        target = min(chosen)
        if last > target and not kinds[last] and last not in chosen and r() < 0.5:
            left = self.amount[target] - self.credited[target]
            credit = left * (10 + int(r() * 31)) // 100
            if credit > 0:
                self._credit_note(last, target, credit)
        return sorted(chosen)

    # --- payments ---------------------------------------------------------------------
    def _settle_day(self, j: int) -> int | None:
        """When the customer pays invoice ``j`` in full (ordinal), or None for never."""
        r, beh, d = self.r, self.beh, self.due[j]
        if beh in (_ON_TIME, _OVERPAYS):
            s = d + 1 + int(r() * 7) if r() < 0.08 else d - int(r() * 6)
        elif beh == _LITTLE_LATE:
            s = d + 1 + int(r() * 25)
        elif beh == _CHRONIC:
            s = d + 30 + int(r() * 121)
        elif beh == _SILENT:
            s = d + int(r() * 15)
            assert self.silence is not None   # set for every silent customer
            if s >= self.silence:
                return None
        else:  # disputes, bounced_cheque
            s = d + int(r() * 20)
        return max(s, self.issue[j])

    def _new_payment(self, day: int, value: int, inv: int, currency: str, amount: int,
                     withholding: int, rate: int, method: str) -> list:
        p = [day, len(self.payments), inv, currency, amount, withholding, rate, value, method,
             "", False]
        self.payments.append(p)
        return p

    def _when(self, settle: int, not_before: int) -> tuple[int, int, str] | None:
        """(date received, value date or 0, method) of a payment made on ``settle``.

        A cheque is often handed over before its value date (post-dated); other methods
        arrive on the day. None when nothing has arrived by as_of.
        """
        method = self.main_method if self.r() < 0.85 else self.other_method
        if method == "cheque":
            received = max(not_before, settle - int(self.r() * 45))
            return None if received > self.as_of else (received, settle, method)
        return None if settle > self.as_of else (settle, 0, method)

    def _pay(self, j: int, cover: int, settle: int) -> None:
        """Invoice ``j`` receives ``cover`` (in its currency, withholding included)."""
        when = self._when(settle, self.issue[j])
        if when is None or cover <= 0:
            return
        day, value, method = when
        c = self.cur[j]
        if c == self.home:
            wh = cover * self.withholding // (100 + self.vat[j]) if self.withholding else 0
            self._new_payment(day, value, j, c, cover - wh, wh, 0, method)
        elif self.pays_fx_in_home:
            rate = ledger_rate(representative_rate(c, day))
            ils = _round_half_up_div(cover * 10**6, rate)
            self._new_payment(day, value, j, self.home, ils, 0, rate, method)
        else:
            self._new_payment(day, value, j, c, cover, 0, 0, method)

    def _pay_statements(self, statement: list[tuple[int, int]]) -> None:
        """Monthly lump sums naming no invoice: on the customer's pay day each month, all
        that has fallen to be paid since the last one."""
        payday = 5 + int(self.r() * 21)
        groups: dict[int, list[int]] = {}
        for s, j in statement:
            groups.setdefault(_next_day_of_month(s, payday), []).append(j)
        for day in sorted(groups):
            js = groups[day]
            when = self._when(day, max(self.issue[j] for j in js))
            if when is None:
                continue
            received, value, method = when
            gross = wh = 0
            for j in js:
                cover = self.amount[j] - self.credited[j]
                gross += cover
                if self.withholding:
                    wh += cover * self.withholding // (100 + self.vat[j])
            self._new_payment(received, value, -1, self.home, gross - wh, wh, 0, method)

    def _bounce(self) -> None:
        """Mark the latest cheque cashed before as_of bounced (adding one if none was)."""
        A = self.as_of
        cashed = [p for p in self.payments
                  if p[_P_METHOD] == "cheque" and p[_P_VALUE] and p[_P_VALUE] <= A - 3]
        pool = [p for p in cashed if p[_P_VALUE] >= A - 150] or cashed
        if pool:
            p = max(pool, key=lambda p: (p[_P_VALUE], p[_P_SEQ]))
        else:
            j = 0
            day = self.issue[j]
            value = max(day, min(self.due[j], A - 3))
            cover = self.amount[j] - self.credited[j]
            c = self.cur[j]
            if c != self.home and self.pays_fx_in_home:
                rate = ledger_rate(representative_rate(c, day))
                p = self._new_payment(day, value, j, self.home,
                                      _round_half_up_div(cover * 10**6, rate), 0, rate, "cheque")
            else:
                p = self._new_payment(day, value, j, c, cover, 0, 0, "cheque")
        p[_P_BOUNCED] = True

    def _overpay(self) -> None:
        """Pay more than asked once: a duplicate transfer, or a payment rounded up to the
        next hundred; with no payment yet, a prepayment on the first invoice."""
        r, A = self.r, self.as_of
        pool = [p for p in self.payments if not p[_P_RATE] and not p[_P_BOUNCED]]
        if pool:
            p = max(pool, key=lambda p: (p[_P_DATE], p[_P_SEQ]))
            if r() < 0.5:
                day = min(A, p[_P_DATE] + 1 + int(r() * 10))
                self._new_payment(day, 0, p[_P_INV], p[_P_CUR], p[_P_AMOUNT], 0, 0, "transfer")
            else:
                step = 100 * 10 ** currency_exponent(p[_P_CUR])
                p[_P_AMOUNT] += step - p[_P_AMOUNT] % step
        else:
            c = self.cur[0]
            extra = 500 * 10 ** currency_exponent(c)
            self._new_payment(self.issue[0], 0, 0, c, self.amount[0] - self.credited[0] + extra,
                              0, 0, "transfer")

    def _allocation_numbers(self) -> list[str]:
        """Each row's allocation number ("" for none): see the module's text. No random draw, so
        the rest of the business is what it was before the numbers existed."""
        out = [""] * len(self.cur)
        if self.prof.entity == CONSUMER:
            return out
        for j, c in enumerate(self.cur):
            if self.kinds[j] or c != "ILS" or self.amount[j] <= _LOWEST_THRESHOLD_MINOR:
                continue
            number = self.number0 + j
            facts = InvoiceFacts(number=str(number), issue_date=date.fromordinal(self.issue[j]), currency=c,
                                 amount_minor=self.amount[j])
            if number % 8 != 3 and needs_allocation_number(facts, "business") is not None:
                out[j] = f"{permute(number, 10**9, 7_654_321, 200_000_000):09d}"
        return out

    # --- rows -------------------------------------------------------------------------
    def _finish(self, disputed: list[int]) -> CustomerBundle:
        data, prof, number0 = self.data, self.prof, self.number0
        kinds, cur, amount, issue, due = self.kinds, self.cur, self.amount, self.issue, self.due
        applies, po, desc = self.applies, self.po, self.desc
        payments = self.payments
        payments.sort()  # by date, then creation order (seq is unique, so nothing further)
        # cheque numbers: one chequebook per customer, used in date order
        book = permute(self.i, 10**6, 823_543, data._plan.chequebook_offset)
        cheques = 0
        bounced = []
        for p in payments:
            if p[_P_METHOD] == "cheque":
                p[_P_CHEQUE] = f"{book:06d}{cheques:03d}"
                cheques += 1
                if p[_P_BOUNCED]:
                    bounced.append(p[_P_CHEQUE])
        open_, unapplied = allocate_minor(kinds, issue, due, amount, cur, applies, payments)
        iso, odd = data._iso, data._odd_formats
        ref, name = prof.ref, prof.name
        amounts = _format_amounts(amount, cur, odd)
        opens = _format_amounts(open_, cur, odd)
        numbers = self._allocation_numbers()
        rows: list[tuple[str, ...]] = [
            (ref, name, "invoice", "", str(number0 + j), po[j], iso[issue[j]], iso[due[j]],
             amounts[j], opens[j], c, desc[j], numbers[j])
            if not kinds[j] else
            (ref, name, "credit_note", str(number0 + applies[j]), str(number0 + j), "",
             iso[issue[j]], iso[due[j]], amounts[j], opens[j], c, desc[j], "")
            for j, c in enumerate(cur)
        ]
        pay_cur = [p[_P_CUR] for p in payments]
        pay_amounts = _format_amounts([p[_P_AMOUNT] for p in payments], pay_cur, odd)
        withheld = _format_amounts([p[_P_WH] for p in payments], pay_cur, odd)
        ref_offset = data._plan.reference_offset
        base = self.i * 1000
        prows: list[tuple[str, ...]] = [
            (ref, iso[day], iso[value] if value else "", pay_amounts[k], c, method, cheque,
             f"{permute(base + seq, 10**9, 282_475_249, ref_offset):09d}",
             withheld[k] if wh else "", str(number0 + inv) if inv >= 0 else "",
             f"{rate // 1_000_000}.{rate % 1_000_000:06d}" if rate else "")
            for k, (day, seq, inv, c, _, wh, rate, value, method, cheque, _) in enumerate(payments)
        ]
        credit = sorted((c, m) for c, m in unapplied.items() if m)
        return CustomerBundle(
            index=self.i, ref=ref, behaviour=BEHAVIOURS[self.beh], profile=prof,
            terms=self.terms, invoices=rows, payments=prows, bounced_cheques=tuple(bounced),
            disputed_invoices=tuple(str(number0 + j) for j in disputed),
            unapplied=dict(zip((c for c, _ in credit),
                               _format_amounts([m for _, m in credit], [c for c, _ in credit], odd))),
        )


def _format_amounts(values: list[int], currencies: list[str], odd: dict) -> list[str]:
    """Minor units as decimal strings ("1250.00"); ``odd`` has the formatters of currencies
    without two decimals. The two-decimal case is written inline: it is most of the work."""
    return ["%d.%02d" % divmod(v, 100) if c not in odd else odd[c](v)
            for v, c in zip(values, currencies)]


def _next_day_of_month(day: int, dom: int) -> int:
    """The first date on or after ordinal ``day`` that is the ``dom``-th of a month."""
    d = date.fromordinal(day)
    if d.day <= dom:
        return date(d.year, d.month, dom).toordinal()
    y, m = (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)
    return date(y, m, dom).toordinal()


def allocate_minor(kinds, issue, due, amount, cur, applies, payments):
    """Open amounts by the rules of :func:`gvia.core.ledger.allocate`, in integer minor units.

    The generator's own fast copy of those rules, for its rows only: every credit note
    names an invoice of its currency; ``payments`` are builder lists in date order;
    ``rate`` is in millionths. Returns (for each row: an invoice's open amount or a credit
    note's unused credit; unapplied credit per currency).
    """
    n = len(kinds)
    open_ = [0 if kinds[j] else amount[j] for j in range(n)]
    unapplied: dict[str, int] = {}
    for j in range(n):  # credit notes first, in issue order (rows are in date order)
        if kinds[j]:
            t = applies[j]
            take = min(amount[j], open_[t])
            open_[t] -= take
            if amount[j] > take:
                open_[j] = amount[j] - take
                unapplied[cur[j]] = unapplied.get(cur[j], 0) + amount[j] - take
    queues: dict[str, list[int]] = {}  # invoice rows per currency, oldest-due first
    cursor: dict[str, int] = {}
    paid = [False] * n

    def oldest_first(code: str) -> Iterator[int]:
        if not queues:  # made when first needed: most customers never need them
            for j in sorted((j for j in range(n) if not kinds[j]),
                            key=lambda j: (due[j], issue[j], j)):
                queues.setdefault(cur[j], []).append(j)
        q = queues.get(code, [])
        k = cursor.get(code, 0)
        while k < len(q) and not open_[q[k]]:
            k += 1
        cursor[code] = k
        for x in range(k, len(q)):
            if open_[q[x]]:
                yield q[x]

    def targets(named: int | None, pc: str, foreign: str | None) -> Iterator[int]:
        if named is not None and cur[named] in (pc, foreign):
            yield named
        for code in (pc, foreign):
            if code is not None:
                yield from (x for x in oldest_first(code) if x != named)

    for p in payments:
        if p[_P_BOUNCED]:
            continue
        pc, rate = p[_P_CUR], p[_P_RATE]
        left = p[_P_AMOUNT] + p[_P_WH]
        named = p[_P_INV] if p[_P_INV] >= 0 else None
        if named is not None and cur[named] == pc and left <= open_[named]:
            # the common case, settled at once: the named invoice takes all of it
            open_[named] -= left
            paid[named] = True
            continue
        foreign = None
        if rate:
            if named is not None and cur[named] != pc:
                foreign = cur[named]
            else:
                others = {cur[j] for j in range(n) if not kinds[j]} - {pc}
                foreign = next(iter(others)) if len(others) == 1 else None
        for j in targets(named, pc, foreign):
            if not left:
                break
            o = open_[j]
            if cur[j] == pc:
                take = min(left, o)
                if take:
                    open_[j] = o - take
                    paid[j] = True
                    left -= take
                continue
            worth = (left * rate + 500_000) // 10**6
            if not o or not worth:
                continue
            if worth >= o:
                consumed = min(_round_half_up_div(o * 10**6, rate), left)
                if not consumed:
                    continue
                open_[j] = 0
            else:
                open_[j] = o - worth
                consumed = left
            paid[j] = True
            left -= consumed
        if left:
            unapplied[pc] = unapplied.get(pc, 0) + left
    for j in range(n):  # tolerance: up to one major unit left after a payment is settled
        if paid[j] and open_[j] and open_[j] <= 10 ** currency_exponent(cur[j]):
            open_[j] = 0
    return open_, unapplied


def generate(customers: int, seed: int = 1, language: str = "he", as_of: date | None = None,
             invoices_per_customer: float = 10.0,
             currencies: tuple[str, ...] = ("ILS", "USD", "EUR")) -> DemoData:
    """Describe a demo business of ``customers`` customers as of ``as_of`` (required).

    ``language`` is "he" (Hebrew names, the default) or "en"; ``currencies[0]`` is the
    business's own currency and the others are what some customers are invoiced in.
    The same arguments always give the same data. Raises ValueError for impossible
    arguments and UnknownCurrency for a currency gvia does not know.
    """
    if as_of is None:
        raise TypeError("generate() needs as_of: the demo's 'today'")
    if not isinstance(as_of, date):
        raise ValueError(f"as_of must be a date, not {as_of!r}")
    if isinstance(customers, bool) or not isinstance(customers, int) or customers < 0:
        raise ValueError(f"customers must be a whole number >= 0, not {customers!r}")
    if customers > MAX_CUSTOMERS:
        raise ValueError(f"at most {MAX_CUSTOMERS} customers")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an integer, not {seed!r}")
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    ipc = invoices_per_customer
    if isinstance(ipc, bool) or not isinstance(ipc, (int, float, Decimal)) \
            or not 0 <= ipc <= MAX_INVOICES_PER_CUSTOMER_MEAN:
        raise ValueError(f"invoices_per_customer must be between 0 and "
                         f"{MAX_INVOICES_PER_CUSTOMER_MEAN}, not {ipc!r}")
    currencies = tuple(currencies)
    if not currencies or len(set(currencies)) != len(currencies):
        raise ValueError("currencies must be one or more different codes")
    for c in currencies:
        currency_exponent(c)  # raises UnknownCurrency
    return DemoData(DemoSpec(customers, seed, language, as_of, ipc, currencies))
