"""CAMT.053 (ISO 20022 bank-to-customer statement) read with pycamt.

pycamt's ``Camt053Parser.get_transactions`` gives one dict per entry, or per transaction of an
entry that details several (``TxDtls``); its keys are named in its source (pycamt/parser.py:
``_extract_common_entry_data``, ``_extract_transaction_details``). Entries not booked (status
``PDNG``, pending, or ``INFO``) are left out: only booked lines are money on the account.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from gvia.core.errors import UnknownCurrency
from gvia.core.money import Money

from .lines import Statement, StatementLine, refuse

NOT_BOOKED = frozenset({"PDNG", "INFO"})


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def read_camt(path: Path, data: bytes, account: str = "") -> Statement:
    from lxml.etree import XMLSyntaxError  # type: ignore[import-untyped]  # lxml ships no stubs; only the error class is used
    from pycamt.parser import Camt053ParseError, Camt053Parser  # type: ignore[import-untyped]  # pycamt ships no py.typed

    name = path.name
    try:
        txs = Camt053Parser(data).get_transactions()
    except (XMLSyntaxError, Camt053ParseError, ValueError):
        raise refuse(name, code="statement_unreadable", message="not a CAMT.053 statement that can be read",
                     format="CAMT.053") from None
    lines = []
    for pos, tx in enumerate(txs, start=1):
        if (tx.get("Status") or "BOOK") in NOT_BOOKED:
            continue
        booked = _day(tx.get("BookingDate")) or _day(tx.get("ValueDate"))
        if booked is None:
            raise refuse(name, code="statement_no_date",
                         message="an entry without its booking date", row=pos, field="BookgDt")
        try:
            number = Decimal(tx.get("Amount") or "")
            amount = Money.of(number, (tx.get("Currency") or "").upper())
        except (InvalidOperation, UnknownCurrency):
            raise refuse(name, code="statement_bad_amount",
                         message="an entry's amount or currency cannot be read", row=pos,
                         field="Amt", value=f"{tx.get('Amount')} {tx.get('Currency')}") from None
        credit = tx.get("CreditDebitIndicator") == "CRDT"
        if tx.get("ReversalIndicator") == "true":
            credit = not credit
        e2e = tx.get("EndToEndId") or ""
        text = " ".join(t for t in (tx.get("RemittanceInformationFull") or tx.get("RemittanceInformation"),
                                    tx.get("AdditionalRemittanceInformation"), tx.get("AdditionalEntryInformation"))
                        if t)
        lines.append(StatementLine(
            position=pos, account=tx.get("AccountIBAN") or account, booking_date=booked,
            value_date=_day(tx.get("ValueDate")), amount=amount if credit else -amount, text=text,
            reference=tx.get("TransactionID") or "", end_to_end_id="" if e2e == "NOTPROVIDED" else e2e,
            payer_name=(tx.get("DebtorName") if credit else tx.get("CreditorName")) or "",
            payer_account=(tx.get("DebtorIBAN") if credit else tx.get("CreditorIBAN")) or ""))
    return Statement(name, "camt053", "", tuple(lines))
