"""The customer page's invoices show when each open one is expected to be paid, with its range and
what the prediction rests on, in the reader's language (issue 17)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_the_open_invoices_predicted_in_hebrew(as_owner, world):
    r = as_owner.get(f"/customers/{world.c1.id}/")
    predicted = r.context["predicted"]
    assert predicted, "the world's first customer has open invoices"
    page = r.content.decode()
    assert page.count('data-testid="prediction"') == len(predicted)
    text = _text(page)
    assert "צפי תשלום" in text
    assert any(w in text for w in ("בסבירות 80%", "והלאה"))
    assert any(w in text for w in ("לפי היסטוריית", "מאוחר מכל מה שנראה"))


def test_in_english_for_an_english_reader(as_viewer, world):
    english = _text(as_viewer.get(f"/customers/{world.c1.id}/").content.decode())
    assert "Expected payment" in english and "צפי תשלום" not in english
    assert any(w in english for w in ("80% likely", "from "))
