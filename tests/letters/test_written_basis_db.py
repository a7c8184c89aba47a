"""The ladder and the letter agree on the written basis (issue 12): whether a letter in a language
can name the contract or undertaking a debt rests on is asked of services/letters/basis.py, both
by the letter's claim-basis sentence (content.claim_basis) and, for every customer of a run at
once, by the daily run choosing the Execution Office warning or its fallback."""

from __future__ import annotations

import pytest

from gvia.services.letters import content as letters
from gvia.services.letters.basis import written_basis_reader
from gvia.store.models import Document

pytestmark = pytest.mark.django_db


def agree(ctx, customer) -> dict[str, bool]:
    """What the reader says for each language, after checking the letter says the same."""
    has = written_basis_reader(ctx.org)
    out = {}
    for lang in ("he", "en"):
        worded = letters.claim_basis(ctx.org, customer, lang)
        assert has(customer.id, lang) == bool(worded), (lang, worded)
        out[lang] = has(customer.id, lang)
    return out


def test_the_reader_says_what_the_letter_says(ctx, shop):
    org = ctx.org
    org.settings = {k: v for k, v in org.settings.items() if k != "claim_basis"}
    org.save()
    assert agree(ctx, shop) == {"he": False, "en": False}                      # nothing on file
    org.settings = {**org.settings, "claim_basis": "תעודות משלוח חתומות"}
    org.save()
    assert agree(ctx, shop) == {"he": True, "en": False}                       # Hebrew only: no English basis
    org.settings = {**org.settings, "claim_basis": {"he": "הזמנה חתומה", "en": "the signed order"}}
    org.save()
    assert agree(ctx, shop) == {"he": True, "en": True}
    shop.claim_basis = "הסכם המסגרת החתום"                                     # the customer's own decides
    shop.save()
    assert agree(ctx, shop) == {"he": True, "en": False}
    shop.claim_basis = ""
    shop.save()
    org.settings = {k: v for k, v in org.settings.items() if k != "claim_basis"}
    org.save()
    Document.objects.create(organization=org, customer=shop, kind=Document.Kind.AGREEMENT,
                            file_name="framework.pdf", path="x/framework.pdf", sha256="0" * 64, size=1)
    assert agree(ctx, shop) == {"he": True, "en": True}                        # a signed agreement on file
