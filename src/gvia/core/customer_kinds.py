"""The kinds of customer gvia knows, and what the law makes of each.

======================  ================================================================
``business``            a company or another body registered as one (Israel: ח.פ.)
``sole_trader``         a person trading in their own name (Israel: עוסק מורשה or עוסק
                        פטור; UK: sole trader)
``consumer``            a private person buying for themselves
``public_body``         a government office, a local authority, a statutory corporation
======================  ================================================================

This module is the one home of that list and of three decisions made from it:

* :func:`is_individual` — a person, not a body: a sole trader is as much an individual as a
  consumer. The UK Pre-Action Protocol for Debt Claims applies whenever a business claims
  from an individual, sole traders included (:mod:`gvia.core.legal_rules`); a letter greets
  an individual by name.
* :func:`in_business` — the customer buys in the course of a business: a company, a sole
  trader or a public body. The UK Late Payment of Commercial Debts (Interest) Act 1998 and
  Directive 2011/7/EU apply to those debts (public authorities included), never to a
  consumer's (:mod:`gvia.core.interest`).
* :func:`id_label` — how a document labels the customer's number: ח.פ. (company number)
  for a business; ע.מ. (the VAT dealer's number, עוסק מורשה) for a sole trader, never
  ח.פ.; ת.ז. (personal ID) for a consumer; מס' תאגיד (a corporation's number) for a public
  body. The codes are keys ``labels.<code>`` of the ``documents`` catalogs.
"""

from __future__ import annotations

BUSINESS, SOLE_TRADER, CONSUMER, PUBLIC_BODY = "business", "sole_trader", "consumer", "public_body"
CUSTOMER_KINDS: tuple[str, ...] = (BUSINESS, SOLE_TRADER, CONSUMER, PUBLIC_BODY)
DEFAULT_KIND = BUSINESS

#: id-label codes (``labels.<code>`` in the documents catalogs)
COMPANY_NO, DEALER_NO, PERSON_ID, CORPORATION_NO = "company_no", "dealer_no", "person_id", "corporation_no"
ID_LABELS: tuple[str, ...] = (COMPANY_NO, DEALER_NO, PERSON_ID, CORPORATION_NO)

_ID_LABEL_OF = {BUSINESS: COMPANY_NO, SOLE_TRADER: DEALER_NO, CONSUMER: PERSON_ID, PUBLIC_BODY: CORPORATION_NO}

__all__ = ["BUSINESS", "SOLE_TRADER", "CONSUMER", "PUBLIC_BODY", "CUSTOMER_KINDS", "DEFAULT_KIND",
           "COMPANY_NO", "DEALER_NO", "PERSON_ID", "CORPORATION_NO", "ID_LABELS",
           "known", "is_individual", "in_business", "id_label"]


def known(kind: str) -> str:
    """``kind`` when it is one of :data:`CUSTOMER_KINDS`, else :data:`DEFAULT_KIND`."""
    return kind if kind in CUSTOMER_KINDS else DEFAULT_KIND


def is_individual(kind: str) -> bool:
    """A person rather than a body: a sole trader or a consumer."""
    return kind in (SOLE_TRADER, CONSUMER)


def in_business(kind: str) -> bool:
    """The customer buys in the course of a business: anyone but a consumer."""
    return known(kind) != CONSUMER


def id_label(kind: str) -> str:
    """The code of the label of the customer's number (see the module's text)."""
    return _ID_LABEL_OF[known(kind)]
