"""The organization's details that letters print — one home: the Organization's own fields.

Name, company number, address, phone, e-mail, signatory and title, the bank details (bank,
branch, account, IBAN, beneficiary, SWIFT/BIC, sort code, and other payment instructions as
written), payment link,
and, for English letters from a business whose own details are in Hebrew, the English name,
address and signatory (``name_en``, ``address_en``, ``signatory_name_en``,
``signatory_title_en``; empty: the letter prints the others). The web's settings page, ``gvia
org show|set`` and ``gvia init`` read and write these same fields through
:func:`gvia.services.org.members.update_organization` and ``set_detail`` (audited) and
:func:`gvia.services.org.organizations.init_organization`, each value checked by
:func:`check` (an e-mail address, a web address, a phone number as ``phonenumbers`` reads it in
the organization's country; each error names the field). No detail lives in a settings key.

:func:`explained` rewords a letter's refusal for missing details (the problems of
:mod:`gvia.documents.checks`): each one names the setting or the customer field to fill in and
how to fill it in.
"""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from gvia.core.errors import FieldProblem, ValidationFailed
from gvia.services.context import Ctx
from gvia.store.models import Organization


@dataclass(frozen=True)
class Detail:
    name: str          # the Organization field
    what: str          # what it is, for people
    kind: str = "text"  # text | lines | email | url | phone | iban


DETAILS: tuple[Detail, ...] = (
    Detail("name", "the business's name"),
    Detail("name_en", "the business's name in English letters (empty: the name)"),
    Detail("tax_id", "the company number"),
    Detail("address", "the postal address (one line each, separated by \\n or new lines)", "lines"),
    Detail("address_en", "the postal address in English letters (empty: the address)", "lines"),
    Detail("phone", "the phone number customers call", "phone"),
    Detail("email", "the e-mail address customers write to", "email"),
    Detail("signatory_name", "who signs the letters"),
    Detail("signatory_title", "the signatory's title"),
    Detail("signatory_name_en", "who signs English letters (empty: the signatory)"),
    Detail("signatory_title_en", "the signatory's title in English letters (empty: the title)"),
    Detail("bank_name", "the bank customers pay into (e.g. Bank Hapoalim (12))"),
    Detail("bank_branch", "its branch number"),
    Detail("bank_account", "the account number"),
    Detail("bank_iban", "the IBAN (for payments from abroad)", "iban"),
    Detail("bank_beneficiary", "the account's name (the beneficiary)"),
    Detail("bank_swift", "the bank's SWIFT/BIC code"),
    Detail("bank_sort_code", "the sort code (UK)"),
    Detail("bank_details", "other payment instructions, printed as written after the bank details", "lines"),
    Detail("payment_link", "a web page where customers pay", "url"),
)
BY_NAME = {d.name: d for d in DETAILS}
REQUIRED = ("name",)


def _field(name: str):
    return Organization._meta.get_field(name)


def _problem(name: str, value: str, message: str, code: str = "", **params: object) -> ValidationFailed:
    """A detail that does not pass its check; ``code`` and ``params`` for the edges to word
    (``problem.<code>``), ``message`` the English for logs and tests."""
    return ValidationFailed([FieldProblem(None, name, value, message, place="setting", code=code, params=params)])


def check(org: Organization, name: str, value: str) -> str:
    """``value`` as the field ``name`` keeps it (trimmed; ``\\n`` typed on a command line in an
    address becomes a new line; a web address without a scheme gets https://), or
    :class:`ValidationFailed` naming the field and what is wrong."""
    detail = BY_NAME.get(name)
    if detail is None:
        raise ValidationFailed([FieldProblem(None, name, value, "not a detail", place="setting",
                                             code="detail_unknown", params={"choices": tuple(BY_NAME)})])
    text = (value or "").strip()
    if detail.kind == "lines":
        text = "\n".join(ln.strip() for ln in text.replace("\\n", "\n").splitlines() if ln.strip())
    if not text:
        if name in REQUIRED:
            raise _problem(name, value, "cannot be empty", code="setting_empty")
        return ""
    limit = getattr(_field(name), "max_length", None)
    if limit and len(text) > limit:
        raise _problem(name, value, f"at most {limit} characters", code="setting_too_long", most=limit)
    if detail.kind == "email":
        try:
            validate_email(text)
        except ValidationError:
            raise _problem(name, value, "not an e-mail address", code="setting_email") from None
    elif detail.kind == "url":
        if "://" not in text:
            text = "https://" + text
        try:
            URLValidator(schemes=("http", "https"))(text)
        except ValidationError:
            raise _problem(name, value, "not a web address", code="setting_url") from None
    elif detail.kind == "iban":
        text = "".join(text.split()).upper()
        if not _iban_ok(text):
            raise _problem(name, value, "not an IBAN (its country, check digits and number do not agree)",
                           code="detail_iban")
    elif detail.kind == "phone":
        region = (org.country or "").upper() or None
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            raise _problem(name, value, "not a phone number", code="setting_phone") from None
        if not phonenumbers.is_possible_number(number):
            raise (_problem(name, value, "not a possible phone number", code="setting_phone_in", country=region)
                   if region else _problem(name, value, "not a possible phone number", code="setting_phone"))
    return text


def _iban_ok(iban: str) -> bool:
    """ISO 13616: two letters, two check digits, up to 30 letters and digits, and the whole,
    its first four characters moved to the end and letters read as 10-35, is 1 modulo 97."""
    if not (15 <= len(iban) <= 34 and iban[:2].isalpha() and iban[2:4].isdigit() and iban.isalnum()
            and iban.isascii()):
        return False
    digits = "".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


def checked(org: Organization, values: dict) -> dict:
    """Every detail among ``values`` checked (:func:`check`); other keys as they are. All the
    problems are raised together."""
    out, problems = dict(values), []
    for name, value in values.items():
        if name in BY_NAME:
            try:
                out[name] = check(org, name, "" if value is None else str(value))
            except ValidationFailed as exc:
                problems.extend(exc.problems)
    if problems:
        raise ValidationFailed(problems)
    return out


def show(ctx: Ctx) -> list[dict]:
    """Each detail: its name, its value and what it is."""
    ctx.require("viewer", "reading the organization's details")
    return [{"field": d.name, "value": getattr(ctx.org, d.name), "what": d.what} for d in DETAILS]


# --- a letter's refusal, worded as what to fill in and where -----------------------------------

# The fields of gvia.documents.checks' problems -> (place, name, how to set it)
_ORG = "gvia org set {name} VALUE, or Settings → Organization on the web"
_CUSTOMER = "on the customer's page (Details), or import it in a customers file"
_CUSTOMER_PAGE = "on the customer's page (Details)"     # a customers file sets an address only on a new customer
HOW_TO_SET: dict[str, tuple[str, str, str]] = {
    "letterhead.name": ("setting", "name", _ORG),
    "letterhead.tax_id": ("setting", "tax_id", _ORG),
    "letterhead.address_lines": ("setting", "address", _ORG + " (address_en for English letters)"),
    "letterhead.phone": ("setting", "phone", _ORG),
    "letterhead.email": ("setting", "email", _ORG),
    "letterhead.signatory_name": ("setting", "signatory_name", _ORG),
    "debtor.name": ("customer field", "name", _CUSTOMER),
    "debtor.tax_id": ("customer field", "tax_id", _CUSTOMER),
    "debtor.address_lines": ("customer field", "address", _CUSTOMER_PAGE),
    "claim_basis": ("setting", "claim_basis",
                    "the customer field claim_basis (the agreement on file: on the customer's page, or "
                    "import it in a customers file), else the setting: gvia settings set claim_basis VALUE"),
}


def explained(exc: ValidationFailed) -> ValidationFailed:
    """``exc`` with each problem about a missing detail naming the setting or customer field to
    fill in and how (the other problems as they were); ``exc`` itself when there is none."""
    if not any(p.field in HOW_TO_SET for p in exc.problems):
        return exc
    problems = []
    for p in exc.problems:
        found = HOW_TO_SET.get(p.field)
        if found is None:
            problems.append(p)
            continue
        place, name, how = found
        problems.append(FieldProblem(p.row, name, p.value, f"{p.message} — set it: {how.format(name=name)}",
                                     p.source, place=place))
    return ValidationFailed(problems, exc.summary)


__all__ = ["Detail", "DETAILS", "BY_NAME", "check", "checked", "show", "HOW_TO_SET", "explained"]
