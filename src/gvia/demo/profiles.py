"""Who a demo customer is: name, tax id, phone, e-mail, address and contact person.

Three kinds of customer, as an Israeli business meets them:

* **company** (חברה בע"מ): a business with a company number (ח.פ.), nine digits starting
  with 51 and a check digit (Luhn), valid per ``stdnum.il.hp``;
* **sole trader** (עוסק מורשה): a business identified by the owner's ID number (ת.ז.), nine
  digits with a check digit, valid per ``stdnum.il.idnr``; it starts with 2 or 3, so it
  is never mistaken for a company number;
* **consumer**: a private person, with an ID number most of the time.

Tax ids are unique within one generated business: they are made from the customer's index
by a permutation (an affine map modulo a power of ten), not drawn at random. Phones are
Israeli numbers in E.164 form, valid per ``phonenumbers``: mobiles (+9725X...) for people,
often a landline of the city's area code for companies. E-mail addresses use the reserved
``.example`` domain so that demo data can never reach a real mailbox.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from random import Random

from stdnum import luhn

from . import names

COMPANY = "company"
SOLE_TRADER = "sole_trader"
CONSUMER = "consumer"
#: The customer type each entity is imported as (gvia.core.customer_kinds): a sole trader is
#: one, never a company.
CUSTOMER_TYPES = {COMPANY: "business", SOLE_TRADER: "sole_trader", CONSUMER: "consumer"}

# Largest number of customers whose tax ids the permutations keep unique.
MAX_CUSTOMERS = 1_000_000


def permute(x: int, modulus: int, multiplier: int, offset: int) -> int:
    """A bijection of ``range(modulus)``: ``(x * multiplier + offset) % modulus``.

    ``multiplier`` must share no prime factor with ``modulus``; then distinct ``x`` below
    ``modulus`` give distinct results.
    """
    return (x * multiplier + offset) % modulus


def company_number(serial: int) -> str:
    """The company number (ח.פ.) for ``serial`` in ``range(10**6)``: "51" + 6 digits + check."""
    body = f"51{serial:06d}"
    return body + luhn.calc_check_digit(body)


def id_number(serial: int) -> str:
    """An ID number (ת.ז.) for ``serial`` in ``range(2 * 10**7)``: 2 or 3, 7 digits, check."""
    body = "23"[serial // 10**7] + f"{serial % 10**7:07d}"
    return body + luhn.calc_check_digit(body)


_MOBILE_OPERATOR = "02348"  # 050, 052, 053, 054, 058
_MOBILE_NEXT = "34567"      # a digit every one of those prefixes allows next
_LANDLINE_NEXT = "345678"


def _digits(r, n: int) -> str:
    """``n`` random decimal digits."""
    return f"{int(r() * 10**n):0{n}d}"


def mobile_phone(r) -> str:
    """An Israeli mobile number in E.164 form: +972 5X Y DDDDDD."""
    return ("+9725" + _MOBILE_OPERATOR[int(r() * 5)] + _MOBILE_NEXT[int(r() * 5)]
            + _digits(r, 6))


def landline_phone(r, area: str) -> str:
    """An Israeli landline in E.164 form in area ``area`` (2, 3, 4, 8 or 9): +972 A DDDDDDD."""
    return "+972" + area + _LANDLINE_NEXT[int(r() * 6)] + _digits(r, 6)


_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """"Cohen & Sons" -> "cohen-sons": the host part of a demo e-mail address."""
    return _SLUG.sub("-", text.lower()).strip("-")


@dataclass(slots=True)
class Profile:
    """One demo customer as the customers file shows it, plus what its invoices say.

    Read-only by convention (not frozen: freezing costs measurable time at 100,000)."""

    ref: str
    name: str
    entity: str          # company | sole_trader | consumer
    customer_type: str   # business | sole_trader | consumer (gvia.core.customer_kinds)
    language: str        # he | en
    tax_id: str
    email: str
    phone: str
    address: str
    contact_name: str
    service: str         # the words on its invoices ("שירותי שיווק")
    claim_basis: str = ""  # the written agreement on file, for some companies (see make_profile)

    def row(self) -> tuple[str, ...]:
        """The values in the order of :data:`gvia.demo.generator.CUSTOMER_FIELDS`."""
        return (self.ref, self.name, self.tax_id, self.email, self.phone, self.language,
                self.customer_type, self.address, self.contact_name, self.claim_basis)


def _pick(r, seq):
    return seq[int(r() * len(seq))]


def _say(pair: tuple[str, ...], he: bool) -> str:
    """The Hebrew or the English spelling of a name part."""
    return pair[0] if he else pair[1]


def _person(r, he: bool) -> tuple[str, str, str]:
    """(name as written, first name in Latin letters, last name in Latin letters)."""
    first, last = _pick(r, names.FIRST_NAMES), _pick(r, names.LAST_NAMES)
    shown = f"{first[0]} {last[0]}" if he else f"{first[1]} {last[1]}"
    return shown, first[1], last[1]


def _company_name(r, he: bool, trade: tuple[str, str, str, str]) -> tuple[str, str]:
    """(company name as written, host name for its e-mail)."""
    ltd = _say(names.LIMITED, he)
    t_en = trade[1]
    t = _say(trade, he)
    p = r()
    if p < 0.25:
        a, b = _pick(r, names.INITIALS), _pick(r, names.INITIALS)
        shown = f"{a[0]}.{b[0]}. {t} {ltd}" if he else f"{a[1].title()}.{b[1].title()}. {t} {ltd}"
        return shown, slug(f"{a[1]}{b[1]} {t_en}")
    last = _pick(r, names.LAST_NAMES)
    if p < 0.55:
        return f"{_say(last, he)} {t} {ltd}", slug(f"{last[1]} {t_en}")
    if p < 0.70:
        other = _pick(r, names.LAST_NAMES)
        joined = f"{last[0]} את {other[0]}" if he else f"{last[1]} & {other[1]}"
        return f"{joined} {t} {ltd}", slug(f"{last[1]} {other[1]}")
    if p < 0.80:
        return f"{_say(last, he)} {_say(names.AND_SONS, he)} {ltd}", slug(f"{last[1]} sons")
    brand = _pick(r, names.BRANDS)
    year = 1985 + int(r() * 39)
    return f"{_say(brand, he)} {t} ({year}) {ltd}", slug(f"{brand[1]} {t_en}")


def _address(r, he: bool, city: tuple[str, str, str, str]) -> str:
    street = _pick(r, names.STREETS)
    number = 1 + int(r() * 120)
    postal = city[3] + _digits(r, 5)
    if he:
        return f"{street[0]} {number}, {city[0]} {postal}"
    return f"{number} {street[1]} St., {city[1]} {postal}"


@dataclass(frozen=True, slots=True)
class TaxIdKeys:
    """The permutation offsets that make one business's tax ids (derived from its seed)."""

    company_offset: int
    person_offset: int


def make_profile(rng: Random, index: int, ref: str, language: str, keys: TaxIdKeys) -> Profile:
    """Draw customer number ``index``'s identity from ``rng``.

    ``language`` is the demo's language: in a Hebrew demo about one business in twenty
    (one consumer in thirty) is an English-speaking customer with an English name.
    """
    r = rng.random
    p = r()
    entity = COMPANY if p < 0.62 else SOLE_TRADER if p < 0.85 else CONSUMER
    if language == "en":
        lang = "en"
    else:
        lang = "en" if r() < (0.03 if entity == CONSUMER else 0.05) else "he"
    he = lang == "he"
    city = _pick(r, names.CITIES)
    if entity == COMPANY:
        trade = _pick(r, names.TRADES)
        name, host = _company_name(r, he, trade)
        service = trade[2] if he else trade[3]
        tax_id = company_number(permute(index, 10**6, 823_543, keys.company_offset))
        contact, _, _ = _person(r, he)
        email = f"{_pick(r, names.MAILBOXES)}@{host}.{names.BUSINESS_TLD}"
        phone = landline_phone(r, city[2]) if r() < 0.6 else mobile_phone(r)
    elif entity == SOLE_TRADER:
        trade = _pick(r, names.SOLE_TRADES)
        contact, first_en, last_en = _person(r, he)
        name = f"{contact} - {trade[0]}" if he else f"{contact} {trade[1]}"
        service = trade[2] if he else trade[3]
        tax_id = id_number(permute(index, 2 * 10**7, 5_764_801, keys.person_offset))
        email = f"{slug(first_en)}@{slug(last_en + ' ' + trade[1])}.{names.BUSINESS_TLD}"
        phone = mobile_phone(r)
    else:
        contact, first_en, last_en = _person(r, he)
        name = contact
        svc = _pick(r, names.CONSUMER_SERVICES)
        service = svc[0] if he else svc[1]
        has_id = r() < 0.7
        tax_id = id_number(permute(index, 2 * 10**7, 5_764_801, keys.person_offset)) if has_id else ""
        email = (f"{slug(first_en)}.{slug(last_en)}{10 + int(r() * 90)}@"
                 f"{_pick(r, names.CONSUMER_DOMAINS)}")
        phone = mobile_phone(r)
    return Profile(
        ref=ref, name=name, entity=entity, customer_type=CUSTOMER_TYPES[entity],
        language=lang, tax_id=tax_id, email=email, phone=phone,
        address=_address(r, he, city), contact_name=contact, service=service,
        claim_basis=framework_agreement(ref, he) if entity == COMPANY and index % 4 == 0 else "",
    )


def framework_agreement(ref: str, he: bool) -> str:
    """The written agreement on file of a company that signed one (one company in four, by its
    index: no random draw, so the rest of the demo stays as it was)."""
    return f"הסכם מסגרת חתום מס' FA-{ref}" if he else f"the signed framework agreement no. FA-{ref}"
