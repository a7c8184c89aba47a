"""OFX statements (SGML 1.x and XML 2.x) read with ofxparse (``OfxParser.parse``).

Every account of the file is read; a transaction's ``FITID`` is its reference, its ``NAME``
(``payee``) the other side and ``MEMO`` its text.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from gvia.core.errors import UnknownCurrency
from gvia.core.money import Money

from .lines import Statement, StatementLine, refuse


def read_ofx(path: Path, data: bytes, account: str = "", currency: str = "ILS") -> Statement:
    from ofxparse import OfxParser  # type: ignore[import-untyped]  # ofxparse ships no py.typed

    name = path.name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # bs4 warns that it parses the XML dialect as HTML
            ofx = OfxParser.parse(io.BytesIO(data))
    except Exception:  # noqa: BLE001 — ofxparse raises OfxParserException, ValueError, IndexError … on damage
        raise refuse(name, code="statement_unreadable",
                     message="not an OFX statement that can be read", format="OFX") from None
    lines = []
    pos = 0
    for acct in ofx.accounts:
        stmt = getattr(acct, "statement", None)
        cur = str(getattr(stmt, "currency", "") or currency).upper()
        for tx in getattr(stmt, "transactions", []):
            pos += 1
            try:
                amount = Money.of(tx.amount, cur)
            except UnknownCurrency:
                raise refuse(name, code="statement_bad_amount", message="the account's currency is not known", row=pos,
                             field="CURDEF", value=cur) from None
            memo = str(tx.memo or "")
            payee = str(tx.payee or "")
            lines.append(StatementLine(
                position=pos, account=str(acct.account_id or account), booking_date=tx.date.date(),
                amount=amount, text=memo if memo != payee else "", reference=str(tx.id or ""),
                payer_name=payee))
    return Statement(name, "ofx", "", tuple(lines))
