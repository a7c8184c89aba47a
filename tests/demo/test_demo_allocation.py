"""The demo's allocation numbers (issue 15): an invoice in shekels to a company or a sole trader
that needs one (gvia.core.allocation) carries a 9-digit number, except one in eight by its number,
which the worklist then shows; consumers, credit notes and other currencies (USD, EUR) carry none."""

from __future__ import annotations

from datetime import date

from gvia.core.allocation import InvoiceFacts, needs_allocation_number
from gvia.demo import INVOICE_FIELDS

FIELD = {f: i for i, f in enumerate(INVOICE_FIELDS)}


def test_most_invoices_that_need_a_number_carry_one(hebrew500):
    data, bundles = hebrew500
    needed = carried = 0
    for b in bundles:
        for row in b.invoices:
            number = row[FIELD["allocation_number"]]
            facts = InvoiceFacts(number=row[FIELD["invoice_number"]],
                                 issue_date=date.fromisoformat(row[FIELD["issue_date"]]),
                                 currency=row[FIELD["currency"]],
                                 amount_minor=round(float(row[FIELD["amount"]].replace(",", "")) * 100),
                                 kind=row[FIELD["kind"]])
            kind = "consumer" if b.profile.entity == "consumer" else "business"
            if needs_allocation_number(facts, kind) is None:
                assert number == ""
                continue
            needed += 1
            if number:
                carried += 1
                assert len(number) == 9 and number.isdigit()
            else:
                assert int(facts.number) % 8 == 3
    assert needed > 50 and 0.8 < carried / needed < 0.95, (needed, carried)

