"""Why a customer has not paid: the one list of reasons for non-payment.

The first question in collecting is why the customer has not paid (issue 17). A case carries
one of these reasons, set from a call, a reply or the customer's own page ("tell us what
happened", issue 16), and the reports count them by share. This module is their one home; the
words for each code are the catalogs' ``nonpayment.<code>`` entries (web, cli and the customer
page's ``portal`` domain), never here.

=============================  ============================================================
``cash_flow``                  they cannot pay now: short of money, waiting for their own
                               customers
``dispute``                    they disagree with an invoice (the dispute itself is a
                               :mod:`gvia.core.disputes` record)
``forgot``                     an oversight: they meant to pay
``wrong_contact``              the messages reach the wrong person or address
``unreachable``                nobody answers on any channel
``refuses``                    they say they will not pay
``waiting_allocation_number``  they wait for the invoice's allocation number (מספר הקצאה)
                               before they may pay or deduct its VAT
``other``                      anything else; the free text says what
=============================  ============================================================

``unreachable`` and ``refuses`` are what a collector concludes, never what a customer says of
themselves, so the customer's page offers :data:`CUSTOMER_REASONS` — the others.
"""

from __future__ import annotations

CASH_FLOW = "cash_flow"
DISPUTE = "dispute"
FORGOT = "forgot"
WRONG_CONTACT = "wrong_contact"
UNREACHABLE = "unreachable"
REFUSES = "refuses"
WAITING_ALLOCATION_NUMBER = "waiting_allocation_number"
OTHER = "other"

#: Every reason for non-payment, in the order a person reads them.
REASONS: tuple[str, ...] = (
    CASH_FLOW, DISPUTE, FORGOT, WRONG_CONTACT, UNREACHABLE, REFUSES, WAITING_ALLOCATION_NUMBER, OTHER,
)

#: The reasons a customer may give on their own page.
CUSTOMER_REASONS: tuple[str, ...] = tuple(r for r in REASONS if r not in (UNREACHABLE, REFUSES))

__all__ = [
    "CASH_FLOW", "DISPUTE", "FORGOT", "WRONG_CONTACT", "UNREACHABLE", "REFUSES",
    "WAITING_ALLOCATION_NUMBER", "OTHER", "REASONS", "CUSTOMER_REASONS", "is_reason",
]


def is_reason(code: str) -> bool:
    """Whether ``code`` is one of :data:`REASONS`."""
    return code in REASONS
