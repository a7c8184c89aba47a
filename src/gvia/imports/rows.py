"""The parser that turns one file row into a typed record (parsed.py).

:class:`RowParser` reads a row's cells through a :class:`~gvia.imports.mapping.Mapping` and
returns ``(row, problems)``: a :class:`CustomerRow`, :class:`InvoiceRow` or :class:`PaymentRow`
when every cell is good, else ``None`` and one :class:`~gvia.core.errors.FieldProblem` per bad
cell (all of them, not just the first). A problem names the file, the row number as the
spreadsheet shows it, the column by its header *as written in the file*, the value, and a
message that starts with the canonical field name ("issue_date: no such date ...").

The rules a row must follow (beyond reading each cell, see values.py):

Customers (also the customer columns of invoice and payment rows)
    ``customer_ref`` is required; in a customers file ``customer_name`` too. Tax id, e-mail,
    phone, language and type are checked when given, blank means unknown (None).
    Within one invoice or payment file the customer cells of each distinct customer are read
    once: rows with identical customer cells share one CustomerRow object, whose ``row`` is
    the first row they were seen on.

Invoices
    - ``invoice_number`` is required.
    - ``kind`` blank or no column: an invoice; a negative amount then is an error unless the
      import was told that negative rows are credit notes (below).
    - Dates: an issue date or a due date is required. Without a due date the invoice is due on
      its issue date; without an issue date it is taken as issued on its due date. A due date
      before the issue date is an error (usually day and month swapped).
    - ``amount`` is required. A credit note is a positive amount of kind ``credit_note``.
      A negative amount with no kind given is read as a credit note for the positive amount
      (exports often write credit notes that way) only when ``negative_as_credit_notes`` says
      so (a negative invoice can also be a typo, and a credit note changes what is demanded);
      a negative amount on a row whose kind says "invoice" is an error; a credit note written
      negative is taken as positive. A zero amount is accepted.
    - ``open_amount`` blank or no column: None (the file does not say; the importer treats
      the invoice as fully open). It must not be negative on an invoice (a credit note's
      sign is ignored like its amount's) nor more than the amount.
    - ``currency`` blank or no column: the currency written in the amount ("$1,250"), else the
      organization's default currency. A currency written in an amount that contradicts the
      currency column is an error, and so is an unknown currency.
    - ``applies_to`` is kept for credit notes only; on an invoice row it is ignored (ERP
      exports reuse "מסמך מקור" for an invoice's delivery note or order).
    - An amount with more decimal places than its currency has is an error unless the extra
      digits are zeros ("1250.000" is fine) — but text like "1.250" or "12.500" (one to three
      digits, a point, three digits) is always an error in a two-decimal currency: it is far
      more likely a thousands separator than a price with a trailing zero.
    - Amounts of ten trillion or more are errors.

Payments
    - ``date`` and ``amount`` are required; ``value_date`` blank means none was given.
    - The amount is what was received; ``withholding`` (blank = 0) is tax deducted at source,
      counted as paid on top of it. Neither may be negative, and they cannot both be zero.
    - ``method`` blank or no column: ``cheque`` when the row has a cheque number, else
      ``other``. The status (cleared / pending post-dated cheque) is decided by the importer
      from the value date and the day of the import.
    - ``rate``, when given, is a number above zero.

A row with more cells than the header has columns (and something in the extra cells) is an
error: in a comma-separated file it is almost always an unquoted "1,250.00".

Speed (a million invoice rows must parse in seconds): the parser remembers what it has read —
each distinct date text, kind, currency and set of customer cells is read once (up to 200,000
customers; past that the memory starts again, so later CustomerRows are new objects) — and
invoice and payment rows go through a fast path that handles the common clean row with a few
dictionary look-ups, handing anything else to the full rules (``_parse_invoice``,
``_parse_payment``). Tests check that both paths give the same answers. An invoice row is a
tuple holding integer minor units (see :class:`InvoiceRow`); the fast path reads "1,170.50"
straight into 117050 without a Decimal.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import partial
from operator import itemgetter
from typing import Callable, Iterable, Iterator

from gvia.core.errors import FieldProblem, ValidationFailed
from gvia.core.money import Money, currency_exponent, normalize_currency

from .columns import ParseMany, invoice_batches, parse_each
from .fields import FIELDS, check_kind
from .mapping import Mapping
from .parsed import CustomerRow, InvoiceRow, ParsedRow, PaymentRow
from .values import (
    MAX_AMOUNT,
    STRIP,
    BadValue,
    DateReader,
    cell_text,
    is_exempt_dealer,
    parse_currency,
    parse_customer_type,
    parse_email,
    parse_kind,
    parse_language,
    parse_method,
    parse_phone,
    parse_tax_id,
    parse_yes_no,
    plain_amount,
    plain_minor,
    read_amount,
    read_decimal,
)

_CACHE_LIMIT = 200_000
_CHECKED_CUSTOMER_FIELDS = ("customer_tax_id", "customer_email", "customer_phone",
                            "customer_language", "customer_type", "customer_large_business")
_BAD = object()  # a cell that was read and found wrong (as opposed to blank = None)


def _text(value: object) -> str:
    """A cell as stripped text (the common case, a str, without a function call)."""
    if value.__class__ is str:
        return value.strip(STRIP)
    return cell_text(value)


class RowParser:
    """Parses the rows of one file for one import (``customers``, ``invoices``, ``payments``).

    ``parser.parse(rownum, values) -> (row, [])`` or ``(None, problems)``. (``parse`` is an
    attribute bound in ``__init__`` to the import's own parser, saving a call per row.)

    ``country`` decides the date convention and how tax ids and phones are read;
    ``date_format`` is ``--date-format``; ``default_currency`` is the organization's currency;
    ``decimal_comma`` reads "1.250,00" style amounts; ``source`` (the file name) goes into
    every problem.
    """

    def __init__(self, kind: str, mapping: Mapping, country: str = "IL",
                 date_format: str | None = None, default_currency: str = "ILS", *,
                 decimal_comma: bool = False, source: str = "", negative_as_credit_notes: bool = False) -> None:
        check_kind(kind)
        if mapping.kind != kind:
            raise ValueError(f"the mapping is for {mapping.kind}, not {kind}")  # not shown: a caller's bug
        self.kind = kind
        self.mapping = mapping
        self.country = (country or "").upper()
        self.default_currency = normalize_currency(default_currency)
        self.decimal_comma = decimal_comma
        self.source = source
        self.negative_as_credit_notes = negative_as_credit_notes
        self.dates = DateReader(self.country, date_format)
        self._width = len(mapping.headers)
        self._i: dict[str, int] = {name: -1 if (at := mapping.index(name)) is None else at
                                   for name in FIELDS[kind]}
        self._headers = {name: mapping.header(name) for name in FIELDS[kind]}
        self._words: dict[Callable, dict[str, str | BadValue]] = {
            parse_kind: {}, parse_currency: {}, parse_method: {}}
        self._quanta: dict[str, tuple[int, Decimal]] = {}
        self._zeros: dict[str, Money] = {}
        self._customers: dict[object, tuple[CustomerRow | None, list]] = {}
        present = [i for name, i in self._i.items() if name.startswith(("customer_", "contact_"))
                   and i >= 0]
        self._customer_key = itemgetter(*present)
        readers = {"customer_tax_id": lambda t: parse_tax_id(t, self.country),
                   "customer_email": parse_email,
                   "customer_phone": lambda t: parse_phone(t, self.country),
                   "customer_language": parse_language,
                   "customer_type": parse_customer_type,
                   "customer_large_business": parse_yes_no}
        self._customer_checks = [(name, self._i[name], readers[name])
                                 for name in _CHECKED_CUSTOMER_FIELDS
                                 if self._i.get(name, -1) >= 0]
        self.parse: Callable[[int, list], tuple[ParsedRow | None, list[FieldProblem]]]
        """Parse one row: ``(typed row, [])`` or ``(None, problems)``."""
        if kind == "invoices":
            self.parse = self._invoice_fast_path()
        elif kind == "payments":
            self.parse = self._payment_fast_path()
        else:
            self.parse = self._parse_customer
        self.parse_many: ParseMany
        """Parse a batch: ``(good rows, [problems of each bad row], bad row count)``, the
        same as ``parse`` on each row (invoices: column by column, see columns.py)."""
        self.parse_many = (invoice_batches(self) if kind == "invoices"
                           else partial(parse_each, self.parse))

    # --- helpers -----------------------------------------------------------------------
    def _problem(self, rownum: int, name: str, value: object, message: str, code: str = "",
                 **params: object) -> FieldProblem:
        """A row's problem; with a ``code``, its params also name the field (``name``: the
        import's field, as the edges label it; the problem's ``field`` is the file's header)."""
        return FieldProblem(row=rownum, field=self._headers.get(name) or name,
                            value=cell_text(value),
                            message=f"{name}: {message}", source=self.source,
                            code=code, params={"name": name, **params} if code else {})

    def _bad(self, rownum: int, name: str, value: object, exc: BadValue | str) -> FieldProblem:
        """The problem of a cell a reader refused, with the reader's code when it has one (a
        cached word reading is the BadValue it raised; typed ``| str`` for the caches' type)."""
        if isinstance(exc, str):
            return self._problem(rownum, name, value, exc)
        return self._problem(rownum, name, value, str(exc), exc.code, **exc.params)

    def _fit(self, rownum: int, values: list, problems: list) -> list:
        """Pad a short row; flag a long one whose extra cells are not empty."""
        n = self._width
        if len(values) < n:
            return list(values) + [""] * (n - len(values))
        extra = [cell_text(v) for v in values[n:]]
        if any(extra):
            problems.append(FieldProblem(
                row=rownum, field="", value=", ".join(extra),
                message=f"the row has {len(values)} cells but the header has {n} columns "
                        f"(in a comma-separated file, an unquoted number such as 1,250.00 "
                        f"splits in two: quote it or drop the thousands separator)",
                source=self.source, code="row_too_long", params={"cells": len(values), "columns": n}))
        return values

    def _word(self, parse: Callable[[object], str], text: str) -> str | BadValue:
        """A cached word/currency reading: the value, or the BadValue it raised."""
        cache = self._words.get(parse)
        if cache is None:
            cache = self._words[parse] = {}
        found = cache.get(text)
        if found is None:
            try:
                found = parse(text)
            except BadValue as exc:
                found = exc
            if len(cache) < _CACHE_LIMIT:
                cache[text] = found
        return found

    def _quantum(self, currency: str) -> tuple[int, Decimal]:
        """(decimal places, quantum) of a currency; also remembers its zero Money."""
        q = self._quanta.get(currency)
        if q is None:
            exp = currency_exponent(currency)
            q = self._quanta[currency] = (exp, Decimal(1).scaleb(-exp))
            self._zeros[currency] = Money.zero(currency)
        return q

    def _date(self, rownum: int, values: list, name: str, problems: list):
        """The date in field ``name``: a date, None when blank or no column, _BAD when wrong."""
        i = self._i[name]
        if i < 0:
            return None
        v = values[i]
        if v.__class__ is str and not v.strip(STRIP):
            return None
        try:
            return self.dates(v)  # keyed by the raw cell, as the fast paths look it up
        except BadValue as exc:
            problems.append(self._bad(rownum, name, v, exc))
            return _BAD

    def _currency(self, rownum: int, values: list, problems: list):
        """The currency column's code, None when blank or no column, _BAD when unknown."""
        i = self._i["currency"]
        if i < 0:
            return None
        t = _text(values[i])
        if not t:
            return None
        found = self._word(parse_currency, t)
        if found.__class__ is str:
            return found
        problems.append(self._bad(rownum, "currency", t, found))
        return _BAD

    def _number(self, rownum: int, values: list, name: str, problems: list):
        """``(Decimal, currency hint, decimals)``; None when blank or no column; _BAD when wrong."""
        i = self._i[name]
        if i < 0:
            return None
        v = values[i]
        if v.__class__ is str:
            v = v.strip(STRIP)
            if not v:
                return None
        try:
            return read_amount(v, self.decimal_comma)
        except BadValue as exc:
            problems.append(self._bad(rownum, name, v, exc))
            return _BAD

    def _check_number(self, rownum: int, values: list, name: str, read: tuple, currency: str,
                      column_currency, problems: list) -> bool:
        """Check a read amount against its row's currency; True when it is good."""
        number, hint, decimals = read
        good = True
        if hint is not None and column_currency is not None and hint != column_currency:
            problems.append(self._problem(rownum, name, values[self._i[name]],
                                          f"the amount is written in {hint} but the currency "
                                          f"column says {column_currency}",
                                          code="amount_currency_differs", written=hint, column=column_currency))
            good = False
        exp, quantum = self._quantum(currency)
        if decimals > exp:
            try:
                exact = number == number.quantize(quantum)
            except InvalidOperation:
                exact = False
            # "1.250" is one thousand two hundred and fifty where '.' groups thousands
            if exact and decimals == 3 and 1 <= abs(number) < 1000:
                exact = values[self._i[name]].__class__ is not str
            if not exact:
                problems.append(self._problem(
                    rownum, name, values[self._i[name]],
                    f"{decimals} decimal places, but {currency} has {exp} (is '.' a thousands "
                    f"separator here?)", code="amount_too_many_decimals", decimals=decimals, currency=currency,
                    exponent=exp))
                good = False
        if number >= MAX_AMOUNT or number <= -MAX_AMOUNT:
            problems.append(self._problem(rownum, name, values[self._i[name]],
                                          "the amount is too large", code="amount_too_large"))
            good = False
        return good

    def _optional_text(self, values: list, name: str) -> str | None:
        i = self._i.get(name, -1)
        if i < 0:
            return None
        return _text(values[i]) or None

    # --- customers ---------------------------------------------------------------------
    def _read_customer(self, rownum: int, values: list, name_required: bool
                       ) -> tuple[CustomerRow | None, list[tuple[str, object, BadValue]]]:
        """A customer from a row's customer cells and the (field, value, message) errors."""
        errors: list[tuple[str, object, BadValue]] = []
        ref = _text(values[self._i["customer_ref"]])
        if not ref:
            errors.append(("customer_ref", "", BadValue("missing; every row needs the customer's reference",
                                                        "missing_customer_ref")))
        name = self._optional_text(values, "customer_name")
        if name is None and name_required:
            errors.append(("customer_name", "", BadValue("missing; every customer needs a name",
                                                         "missing_customer_name")))
        checked = dict.fromkeys(_CHECKED_CUSTOMER_FIELDS)
        for field, index, read in self._customer_checks:
            text = _text(values[index])
            if text:
                try:
                    checked[field] = read(text)
                except BadValue as exc:
                    errors.append((field, text, exc))
        if errors:
            return None, errors
        exempt = None
        if checked["customer_type"] is not None:
            exempt = is_exempt_dealer(values[self._i["customer_type"]])
        return CustomerRow(
            rownum, ref, name, checked["customer_tax_id"], checked["customer_email"],
            checked["customer_phone"], checked["customer_language"], checked["customer_type"],
            self._optional_text(values, "customer_address"),
            self._optional_text(values, "contact_name"),
            self._optional_text(values, "customer_claim_basis"),
            exempt,
            checked["customer_large_business"],
        ), errors

    def _new_customer(self, rownum: int, values: list) -> tuple[CustomerRow | None, list]:
        """Read a row's customer cells and remember the result under those cells."""
        found = self._read_customer(rownum, values, name_required=False)
        if len(self._customers) >= _CACHE_LIMIT:
            self._customers.clear()
        self._customers[self._customer_key(values)] = found
        return found

    def _customer(self, rownum: int, values: list, problems: list) -> CustomerRow | None:
        """The row's customer, read once per distinct set of customer cells."""
        found = self._customers.get(self._customer_key(values))
        if found is None:
            found = self._new_customer(rownum, values)
        customer, errors = found
        for name, value, exc in errors:
            problems.append(self._bad(rownum, name, value, exc))
        return customer

    def _parse_customer(self, rownum: int, values: list):
        problems: list[FieldProblem] = []
        if len(values) != self._width:
            values = self._fit(rownum, values, problems)
        customer, errors = self._read_customer(rownum, values, name_required=True)
        for name, value, exc in errors:
            problems.append(self._bad(rownum, name, value, exc))
        if problems:
            return None, problems
        return customer, problems

    # --- invoices ----------------------------------------------------------------------
    INVOICE_CELLS = ("invoice_number", "kind", "issue_date", "due_date", "currency", "amount",
                     "open_amount", "applies_to", "po_number", "description", "allocation_number",
                     "amount_before_vat")

    def invoice_columns(self) -> tuple[int, ...]:
        """Where each of :attr:`INVOICE_CELLS` is in a row (-1: the file has no such column)."""
        return tuple(self._i[name] for name in self.INVOICE_CELLS)

    def settings(self) -> tuple:
        """What decides a row's meaning besides its cells (the import's digests, digests.py):
        the columns each field is read from and every setting the parser reads with."""
        return (self.kind, tuple(sorted(self._i.items())), self.country, self.dates.date_format,
                self.default_currency, self.decimal_comma, self.negative_as_credit_notes)

    def invoice_caches(self) -> tuple:
        """What the invoice fast paths read, and the full rules fill: the customers by their
        cells, the key of a row's customer cells, the reader of a new customer, the kinds and
        currencies met, the currencies' decimal places, the dates met, the default currency."""
        return (self._customers, self._customer_key, self._new_customer, self._words[parse_kind],
                self._words[parse_currency], self._quanta, self.dates.known, self.default_currency)

    def _invoice_fast_path(self) -> Callable[[int, list], tuple]:
        """The parser of invoice rows: a fast path for the common clean row.

        Anything unusual — a cell not seen before (customer, date, kind, currency), a blank
        required cell, a sign, separators or too many decimals in an amount, a problem of any
        kind — hands the row to :meth:`_parse_invoice`, which applies every rule and fills
        the caches this path reads. Both give the same result (a test checks it). The column
        indexes and caches are bound as closure variables: this runs once per row.
        """
        slow = self._parse_invoice
        width = self._width
        (i_number, i_kind, i_issue, i_due, i_currency, i_amount, i_open, i_applies, i_po,
         i_description, i_allocation, i_before) = self.invoice_columns()
        (customers, customer_key, read_customer, kinds, currencies, quanta, known,
         default_currency) = self.invoice_caches()
        date, str_, strip, minor_of = dt.date, str, STRIP, plain_minor
        new_row, row_class = tuple.__new__, InvoiceRow

        def parse(rownum: int, values: list) -> tuple:
            if len(values) != width:
                return slow(rownum, values)
            found = customers.get(customer_key(values))
            if found is None:
                found = read_customer(rownum, values)
            if found[0] is None:
                return slow(rownum, values)
            number = values[i_number]
            number = number.strip(strip) if number.__class__ is str_ else cell_text(number)
            if not number:
                return slow(rownum, values)
            kind = "invoice"
            if i_kind >= 0:
                t = values[i_kind]
                if t != "":
                    found_kind = kinds.get(t.strip(strip)) if t.__class__ is str_ else None
                    if not isinstance(found_kind, str_):   # the cache holds a str or a BadValue
                        return slow(rownum, values)
                    kind = found_kind
            if i_issue >= 0:
                issue = values[i_issue]
                if issue.__class__ is not date:
                    issue = known.get(issue)
                    if issue.__class__ is not date:
                        return slow(rownum, values)
                due = issue
                if i_due >= 0:
                    due = values[i_due]
                    if due == "":
                        due = issue
                    elif due.__class__ is not date:
                        due = known.get(due)
                        if due.__class__ is not date:
                            return slow(rownum, values)
                    if due < issue:
                        return slow(rownum, values)
            else:
                issue = due = values[i_due]
                if issue.__class__ is not date:
                    issue = due = known.get(issue)
                    if issue.__class__ is not date:
                        return slow(rownum, values)
            currency = default_currency
            if i_currency >= 0:
                v = values[i_currency]
                if v != "":
                    currency = currencies.get(v.strip(strip)) if v.__class__ is str_ else None
                    if currency.__class__ is not str_:
                        return slow(rownum, values)
            quantum = quanta.get(currency)
            if quantum is None:
                return slow(rownum, values)
            s = values[i_amount]
            amount = minor_of(s, quantum[0])
            if amount is None:
                return slow(rownum, values)
            open_minor = None
            if i_open >= 0:
                s2 = values[i_open]
                if s2 == s:
                    open_minor = amount
                elif s2 != "":
                    open_minor = minor_of(s2, quantum[0])
                    if open_minor is None or open_minor > amount:
                        return slow(rownum, values)
            applies_to = po_number = description = None
            if i_applies >= 0 and kind == "credit_note":
                applies_to = _text(values[i_applies]) or None
            if i_po >= 0:
                po_number = _text(values[i_po]) or None
            if i_description >= 0:
                description = _text(values[i_description]) or None
            allocation = _text(values[i_allocation]) or None if i_allocation >= 0 else None
            before = None
            if i_before >= 0:
                s3 = values[i_before]
                if s3 != "":
                    before = minor_of(s3, quantum[0])
                    if before is None:
                        return slow(rownum, values)
            return new_row(row_class, (rownum, found[0], number, kind, issue, due, currency, amount,
                                       open_minor, applies_to, po_number, description, allocation,
                                       before)), []

        return parse

    def _parse_invoice(self, rownum: int, values: list):
        problems: list[FieldProblem] = []
        if len(values) != self._width:
            values = self._fit(rownum, values, problems)
        i = self._i
        customer = self._customer(rownum, values, problems)

        number = _text(values[i["invoice_number"]])
        if not number:
            problems.append(self._problem(rownum, "invoice_number", "",
                                          "missing; every invoice needs a number", code="missing_invoice_number"))

        kind, kind_given = "invoice", False
        if i["kind"] >= 0:
            t = _text(values[i["kind"]])
            if t:
                found = self._word(parse_kind, t)
                if found.__class__ is str:
                    kind, kind_given = found, True
                else:
                    problems.append(self._bad(rownum, "kind", t, found))
                    kind = ""

        issue = self._date(rownum, values, "issue_date", problems)
        due = self._date(rownum, values, "due_date", problems)
        if issue is None and due is None:
            name = "issue_date" if i["issue_date"] >= 0 else "due_date"
            problems.append(self._problem(rownum, name, "", "missing; every invoice needs an "
                                                            "issue date or a due date", code="missing_invoice_date"))
        elif issue is None:
            issue = due
        elif due is None:
            due = issue
        elif issue is not _BAD and due is not _BAD and due < issue:
            problems.append(self._problem(
                rownum, "due_date", values[i["due_date"]],
                f"the due date is before the issue date {issue.isoformat()} (day and month "
                f"swapped?)", code="due_before_issue", issue=issue))

        column_currency = self._currency(rownum, values, problems)
        read = self._number(rownum, values, "amount", problems)
        open_read = self._number(rownum, values, "open_amount", problems)
        if read is None:
            problems.append(self._problem(rownum, "amount", "", "missing", code="missing_amount"))
        currency = None
        if column_currency is not _BAD:
            hint = read[1] if read is not None and read is not _BAD else None
            currency = column_currency or hint or self.default_currency
        amount = open_amount = None
        if currency is not None and read is not None and read is not _BAD:
            if self._check_number(rownum, values, "amount", read, currency, column_currency,
                                  problems):
                value = read[0]
                if value < 0:
                    if kind == "credit_note":
                        value = -value
                    elif kind_given:
                        problems.append(self._problem(
                            rownum, "amount", values[i["amount"]],
                            "a negative amount on an invoice; write a credit note as kind "
                            "credit_note with a positive amount", code="negative_invoice_amount"))
                    elif self.negative_as_credit_notes:
                        kind, value = "credit_note", -value
                    else:
                        problems.append(self._problem(
                            rownum, "amount", values[i["amount"]],
                            "a negative amount and no kind: add a kind column, or say that negative "
                            "rows are credit notes", code="negative_amount_no_kind"))
                amount = value
        if currency is not None and open_read is not None and open_read is not _BAD:
            hint = open_read[1]
            if hint is not None and column_currency is None and hint != currency:
                problems.append(self._problem(
                    rownum, "open_amount", values[i["open_amount"]],
                    f"the open amount is in {hint} but the amount is in {currency}",
                    code="open_amount_currency_differs", written=hint, currency=currency))
            elif self._check_number(rownum, values, "open_amount", open_read, currency,
                                    column_currency, problems):
                value = open_read[0]
                if kind == "credit_note":
                    value = abs(value)
                if value < 0:
                    problems.append(self._problem(
                        rownum, "open_amount", values[i["open_amount"]],
                        "a negative open amount on an invoice", code="negative_open_amount"))
                elif amount is not None and value > amount:
                    problems.append(self._problem(
                        rownum, "open_amount", values[i["open_amount"]],
                        f"the open amount is more than the amount {amount}",
                        code="open_amount_over_amount", amount=Money(amount, currency)))
                else:
                    open_amount = value
        before_vat = self._before_vat(rownum, values, kind, currency, column_currency, problems)

        if problems:
            return None, problems
        # no problem means the customer, the amount and the currency were read (each reader
        # above adds a problem when it cannot), which the checker cannot follow by itself
        assert customer is not None and amount is not None and currency is not None
        return InvoiceRow(
            rownum, customer, number, kind, issue, due,
            Money(amount, currency),
            None if open_amount is None else Money(open_amount, currency),
            self._optional_text(values, "applies_to") if kind == "credit_note" else None,
            self._optional_text(values, "po_number"),
            self._optional_text(values, "description"),
            self._optional_text(values, "allocation_number"),
            None if before_vat is None else Money(before_vat, currency),
        ), problems

    def _before_vat(self, rownum: int, values: list, kind: str, currency: str | None, column_currency,
                    problems: list[FieldProblem]) -> Decimal | None:
        """The amount before VAT when the file says it (a credit note's as a positive amount)."""
        read = self._number(rownum, values, "amount_before_vat", problems)
        if currency is None or read is None or read is _BAD:
            return None
        if not self._check_number(rownum, values, "amount_before_vat", read, currency, column_currency,
                                  problems):
            return None
        value = abs(read[0]) if kind == "credit_note" else read[0]
        if value < 0:
            problems.append(self._problem(rownum, "amount_before_vat", values[self._i["amount_before_vat"]],
                                          "a negative amount before VAT on an invoice",
                                          code="negative_before_vat"))
            return None
        return value

    # --- payments ----------------------------------------------------------------------
    def _payment_fast_path(self) -> Callable[[int, list], tuple]:
        """The parser of payment rows: a fast path for the common clean row, handing anything
        unusual to :meth:`_parse_payment` exactly like :meth:`_invoice_fast_path`."""
        slow = self._parse_payment
        width = self._width
        i = self._i
        i_date, i_value, i_currency, i_amount, i_held, i_method = (
            i["date"], i["value_date"], i["currency"], i["amount"], i["withholding"], i["method"])
        i_rate = i["rate"]
        texts = [i[n] for n in ("cheque_number", "cheque_bank", "reference",
                                "withholding_certificate", "invoice_number")]
        customers = self._customers
        customer_key = self._customer_key
        read_customer = self._new_customer
        methods = self._words[parse_method]
        currencies = self._words[parse_currency]
        quanta = self._quanta
        zeros = self._zeros
        known = self.dates.known
        default_currency = self.default_currency
        date, str_, strip, amount_of = dt.date, str, STRIP, plain_amount

        def parse(rownum: int, values: list) -> tuple:
            if len(values) != width:
                return slow(rownum, values)
            found = customers.get(customer_key(values))
            if found is None:
                found = read_customer(rownum, values)
            if found[0] is None:
                return slow(rownum, values)
            paid_on = values[i_date]
            if paid_on.__class__ is not date:
                paid_on = known.get(paid_on)
                if paid_on.__class__ is not date:
                    return slow(rownum, values)
            value_date = None
            if i_value >= 0:
                value_date = values[i_value]
                if value_date == "":
                    value_date = None
                elif value_date.__class__ is not date:
                    value_date = known.get(value_date)
                    if value_date.__class__ is not date:
                        return slow(rownum, values)
            currency = default_currency
            if i_currency >= 0:
                v = values[i_currency]
                if v != "":
                    found_currency = currencies.get(v.strip(strip)) if v.__class__ is str_ else None
                    if not isinstance(found_currency, str_):   # the cache holds a str or a BadValue
                        return slow(rownum, values)
                    currency = found_currency
            quantum = quanta.get(currency)
            if quantum is None:
                return slow(rownum, values)
            value = amount_of(values[i_amount], quantum[0])
            if value is None:
                return slow(rownum, values)
            withholding = zeros[currency]
            if i_held >= 0:
                s = values[i_held]
                if s != "":
                    held = amount_of(s, quantum[0])
                    if held is None:
                        return slow(rownum, values)
                    withholding = Money(held, currency)
            if not value and not withholding:
                return slow(rownum, values)
            cheque_number, cheque_bank, reference, certificate, invoice_number = [
                (_text(values[j]) or None) if j >= 0 else None for j in texts]
            method = None
            if i_method >= 0:
                v = values[i_method]
                if v != "":
                    found_method = methods.get(v.strip(strip)) if v.__class__ is str_ else None
                    if not isinstance(found_method, str_):   # the cache holds a str or a BadValue
                        return slow(rownum, values)
                    method = found_method
            if method is None:
                method = "cheque" if cheque_number else "other"
            if i_rate >= 0 and values[i_rate] != "":
                return slow(rownum, values)
            return PaymentRow(rownum, found[0], paid_on, Money(value, currency), withholding,
                              method, value_date, cheque_number, cheque_bank, reference,
                              certificate, invoice_number, None), []

        return parse

    def _parse_payment(self, rownum: int, values: list):
        problems: list[FieldProblem] = []
        if len(values) != self._width:
            values = self._fit(rownum, values, problems)
        i = self._i
        customer = self._customer(rownum, values, problems)

        paid_on = self._date(rownum, values, "date", problems)
        if paid_on is None:
            problems.append(self._problem(rownum, "date", "", "missing; every payment needs "
                                                              "the date it was received", code="missing_payment_date"))
        value_date = self._date(rownum, values, "value_date", problems)

        column_currency = self._currency(rownum, values, problems)
        read = self._number(rownum, values, "amount", problems)
        held = self._number(rownum, values, "withholding", problems)
        if read is None:
            problems.append(self._problem(rownum, "amount", "", "missing", code="missing_amount"))
        currency = None
        if column_currency is not _BAD:
            hint = read[1] if read is not None and read is not _BAD else None
            currency = column_currency or hint or self.default_currency
        amount = withholding = None
        if currency is not None and read is not None and read is not _BAD:
            if self._check_number(rownum, values, "amount", read, currency, column_currency,
                                  problems):
                if read[0] < 0:
                    problems.append(self._problem(
                        rownum, "amount", values[i["amount"]],
                        "a payment is a positive amount (record a bounced cheque with "
                        "gvia cheque bounce)", code="negative_payment"))
                else:
                    amount = read[0]
        if held is None:
            withholding = Decimal(0)
        elif currency is not None and held is not _BAD:
            if held[1] is not None and column_currency is None and held[1] != currency:
                problems.append(self._problem(
                    rownum, "withholding", values[i["withholding"]],
                    f"the withholding is in {held[1]} but the amount is in {currency}",
                    code="withholding_currency_differs", written=held[1], currency=currency))
            elif self._check_number(rownum, values, "withholding", held, currency,
                                    column_currency, problems):
                if held[0] < 0:
                    problems.append(self._problem(rownum, "withholding",
                                                  values[i["withholding"]],
                                                  "withholding cannot be negative", code="negative_withholding"))
                else:
                    withholding = held[0]
        if amount is not None and withholding is not None and not amount and not withholding:
            problems.append(self._problem(rownum, "amount", values[i["amount"]],
                                          "nothing was paid (amount and withholding are 0)", code="nothing_paid"))

        cheque_number = self._optional_text(values, "cheque_number")
        method = None
        if i["method"] >= 0:
            t = _text(values[i["method"]])
            if t:
                found = self._word(parse_method, t)
                if found.__class__ is str:
                    method = found
                else:
                    problems.append(self._bad(rownum, "method", t, found))
        if method is None:
            method = "cheque" if cheque_number else "other"

        rate = None
        if i["rate"] >= 0:
            t = _text(values[i["rate"]])
            if t:
                try:
                    rate = read_decimal(t)
                except BadValue as exc:
                    problems.append(self._bad(rownum, "rate", t, exc))

        if problems:
            return None, problems
        # no problem means the customer, the amount and the currency were read (each reader
        # above adds a problem when it cannot), which the checker cannot follow by itself
        assert customer is not None and amount is not None and currency is not None
        return PaymentRow(
            rownum, customer, paid_on, Money(amount, currency),
            Money(withholding, currency) if withholding
            else self._zeros[currency],
            method, value_date,
            cheque_number,
            self._optional_text(values, "cheque_bank"),
            self._optional_text(values, "reference"),
            self._optional_text(values, "withholding_certificate"),
            self._optional_text(values, "invoice_number"),
            rate,
        ), problems


def parse_rows(rows: Iterable[tuple[int, list]], parser: RowParser, *,
               max_problems: int = 1000) -> Iterator[ParsedRow]:
    """Yield the good rows of ``rows`` (``Table.rows``); at the end, raise ValidationFailed
    if any row was bad.

    This keeps an import all-or-nothing while streaming: the caller stages what it is given
    (inside a transaction) and the exception after the last row rolls it back. At most
    ``max_problems`` problems are kept; the summary counts them all.
    """
    problems: list[FieldProblem] = []
    bad_rows = total = 0
    parse = parser.parse
    for rownum, values in rows:
        row, found = parse(rownum, values)
        if row is not None:
            yield row
            continue
        bad_rows += 1
        total += len(found)
        if len(problems) < max_problems:
            problems.extend(found[: max_problems - len(problems)])
    if total:
        shown = "" if total == len(problems) else f" (the first {len(problems)} are listed)"
        where = f"{parser.source}: " if parser.source else ""
        raise ValidationFailed(problems, f"{where}{total} problem(s) in {bad_rows} row(s)"
                                         f"{shown}; nothing was imported",
                               code="import_rows" if total == len(problems) else "import_rows_first",
                               file=parser.source, rows=bad_rows, total=total)
