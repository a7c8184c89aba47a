"""The worklist's "who to chase first" (issue 17): on the overview and on its own page, one group at
a time, in the reader's language."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_the_section_and_its_groups_in_hebrew(as_owner, world):
    r = as_owner.get("/worklist/?show=chase_first")
    assert r.status_code == 200
    section = r.context["section"]
    assert section.total >= 1, "the world has something overdue"
    rows = section.rows
    assert [x.priority for x in rows] == sorted((x.priority for x in rows), reverse=True)
    page = r.content.decode()
    assert page.count('data-testid="chase-row"') == len(rows)
    text = _text(page)
    assert "במי לטפל קודם" in text and "ימי איחור:" in text and "גבייה מהירה" in text
    one = as_owner.get("/worklist/?show=chase_first&group=quick_win")
    assert one.context["section"].group == "quick_win"
    assert all("quick_win" in x.groups for x in one.context["section"].rows)
    assert one.context["section"].total == section.groups["quick_win"]
    unknown = as_owner.get("/worklist/?show=chase_first&group=nonsense")
    assert unknown.context["section"].group == "" and unknown.context["section"].total == section.total
    overview = as_owner.get("/worklist/")
    assert "chase_first" not in overview.context["work"].sections           # a lens: on its own page
    assert 'href="?show=chase_first"' in overview.content.decode()


def test_in_english(as_viewer, world):
    text = _text(as_viewer.get("/worklist/?show=chase_first").content.decode())
    assert "Who to chase first" in text and "days overdue:" in text and "Quick wins" in text
    assert "במי לטפל" not in text
