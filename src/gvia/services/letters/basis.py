"""Whether a customer's debt rests on a written contract or undertaking a letter can name (the
"written basis" of the Execution Office's fixed-sum route, s.81A1): the customer's own basis
(``Customer.claim_basis``), else a signed agreement uploaded for them, else the organization's
standing wording (the ``claim_basis`` setting, one text or one per language). A wording in
Hebrew is never put into an English letter, so it is no basis for one.

:func:`gvia.services.letters.content.claim_basis` words the basis of one letter by these rules;
:func:`written_basis_reader` answers the same question for every customer of a daily run in two
queries, so that the ladder (:mod:`gvia.core.escalation`) can choose the document before the
letter is written."""

from __future__ import annotations

from typing import Any, Callable

from gvia.core.formatting import has_rtl
from gvia.services import settings
from gvia.store.models import Customer, Document, Organization


def fits(text: str, lang: str) -> str:
    """``text`` as a letter in ``lang`` may print it ("" when it may not: Hebrew in English)."""
    text = (text or "").strip()
    return "" if lang == "en" and has_rtl(text) else text


def org_wording(cfg: Any, lang: str) -> str:
    """The organization's standing wording (the ``claim_basis`` setting's value) for ``lang``:
    its text in that language, else any of its texts that fits."""
    if isinstance(cfg, dict):
        return fits(cfg.get(lang) or "", lang) or next((fits(v, lang) for v in cfg.values() if fits(v, lang)), "")
    return fits(cfg, lang)


def written_basis_reader(org: Organization, customer_ids: list[int] | None = None) -> Callable[[int, str], bool]:
    """``has(customer_id, lang)``: whether a letter in ``lang`` to that customer can name a
    written basis (read once for the whole organization, or for ``customer_ids`` only: one
    customer's page need not read every customer's basis)."""
    bases = Customer.objects.filter(organization=org).exclude(claim_basis="")
    docs = Document.objects.filter(organization=org, kind=Document.Kind.AGREEMENT)
    if customer_ids is not None:
        bases, docs = bases.filter(id__in=customer_ids), docs.filter(customer_id__in=customer_ids)
    own = dict(bases.values_list("id", "claim_basis"))
    agreements = set(docs.values_list("customer_id", flat=True))
    cfg = settings.value(org, "claim_basis")
    general = {lang: bool(org_wording(cfg, lang)) for lang in ("he", "en")}

    def has(customer_id: int, lang: str) -> bool:
        text = own.get(customer_id, "")
        if text.strip():
            return bool(fits(text, lang))        # the customer's own basis decides, as in a letter
        if customer_id in agreements:
            return True
        if lang not in general:
            general[lang] = bool(org_wording(cfg, lang))
        return general[lang]

    return has
