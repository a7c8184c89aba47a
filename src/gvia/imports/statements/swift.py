"""SWIFT MT940 statements read with mt-940 (``mt940.models.Transactions``).

Each ``:61:`` line is a transaction; its ``:86:`` text (``transaction_details``) is the transfer's
text. ``entry_date`` is the booking date when the bank gives it, else the ``:61:`` value date. The
account is the ``:25:`` account identification. "NONREF" is no reference.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from gvia.core.errors import UnknownCurrency
from gvia.core.money import Money

from .lines import Statement, StatementLine, refuse


def read_mt940(path: Path, data: bytes, account: str = "") -> Statement:
    import mt940

    name = path.name
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    try:
        txs = mt940.models.Transactions()
        txs.parse(text)
    except Exception:  # noqa: BLE001 — mt-940 raises bare exceptions of many kinds on a damaged file
        raise refuse(name, code="statement_unreadable", message="not an MT940 statement that can be read",
                     format="MT940") from None
    own = str(txs.data.get("account_identification") or account)
    lines = []
    for pos, tx in enumerate(txs, start=1):
        d = tx.data
        amt = d.get("amount")
        day = d.get("entry_date") or d.get("date")
        if amt is None or day is None:
            raise refuse(name, code="statement_no_date",
                         message="a :61: line without its date or amount", row=pos, field=":61:")
        try:
            amount = Money.of(amt.amount, str(amt.currency).upper())
        except UnknownCurrency:
            raise refuse(name, code="statement_bad_amount",
                         message="a line's currency is not known", row=pos, field=":61:",
                         value=str(amt.currency)) from None
        ref = d.get("bank_reference") or d.get("customer_reference") or ""
        value = d.get("date")
        lines.append(StatementLine(
            position=pos, account=own, booking_date=date(day.year, day.month, day.day),
            value_date=date(value.year, value.month, value.day) if value else None, amount=amount,
            text=" ".join(str(d.get("transaction_details") or "").split()),
            reference="" if ref == "NONREF" else str(ref), end_to_end_id=str(d.get("end_to_end_reference") or ""),
            payer_name=str(d.get("applicant_name") or ""), payer_account=str(d.get("applicant_iban") or "")))
    if not lines and b":20:" not in data:
        raise refuse(name, code="statement_unreadable",
                     message="not an MT940 statement that can be read", format="MT940")
    return Statement(name, "mt940", "", tuple(lines))
