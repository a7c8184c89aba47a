"""Israeli statutory interest in letters: no number for a period whose method is not in gvia's
sources (from 1 January 2025, Amendment 9), and the letter says linkage differentials and
interest are added as the law provides; `gvia interest` names the period and the reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from gvia.documents.compose import Para, compose
from gvia.documents.samples import sample_letter
from gvia.services.ledger import books as ledger
from gvia.services.legal import interest, rates
from gvia.services.letters import content as letters

pytestmark = pytest.mark.django_db

BY_LAW = {"he": "לסכומים שלעיל יתווספו הפרשי הצמדה וריבית כחוק.",
          "en": "The amounts above are owed plus linkage differentials and interest as the law provides."}


def paras(lc) -> list[str]:
    return [b.text for b in compose(lc).blocks if isinstance(b, Para)]


@pytest.mark.parametrize("lang", ["he", "en"])
@pytest.mark.parametrize("document", ["reminder", "second_reminder", "warning_letter", "warning_execution_office"])
def test_the_letter_says_it_in_words_only_when_asked(document, lang):
    lc = sample_letter(document, lang)
    assert BY_LAW[lang] not in paras(lc)
    assert BY_LAW[lang] in paras(replace(lc, interest_by_law=True))


def _israeli_customer(ctx, books, due: date):
    c = books.customer("IL1", "כרמל שיווק בע\"מ", language="he")
    books.invoice(c, "1001", "10000.00", due)
    ledger.recompute(ctx, [c.id])
    interest.set_rule(ctx, {"method": "il_linkage", "interest": "linked"}, "IL1")
    return c


def test_after_1_january_2025_no_number_and_the_words(ctx, books):
    c = _israeli_customer(ctx, books, date(2026, 3, 1))         # the whole period is after Amendment 9
    got = interest.customer_interest(ctx, "IL1", date(2026, 6, 1))
    [b] = got.as_dict()["invoices"]
    assert b["complete"] is False and b["interest"] == "0.00" and b["linkage_total"] == "0.00"
    assert b["unsourced"] == [{"from": "2026-03-02", "to": "2026-06-01", "reason": "il_interest_amendment_9_unsourced"}]
    notes: list[str] = []
    lc = letters.letter_context(ctx, c, "second_reminder", date(2026, 6, 1), notes=notes)
    assert lc.extra_lines == () and lc.interest_by_law is True
    assert BY_LAW["he"] in paras(lc)
    # the statement says it in words too, and promises no amount later
    st = letters.statement_context(ctx, c, date(2026, 6, 1))
    assert st.interest_by_law and not st.interest_unavailable and st.extra_lines == ()
    said = [b.text for b in compose(st).blocks if isinstance(b, Para)]
    assert "לסכומים בדף חשבון זה יתווספו הפרשי הצמדה וריבית כחוק." in said


def test_before_2025_the_number_is_shown(ctx, books, tmp_path):
    # a debt due 30 November 2024, to 20 December 2024: CPI and the 2024 Q4 rate imported (made-up
    # figures: this tests the path, not the figures)
    c = _israeli_customer(ctx, books, date(2024, 11, 30))
    f = tmp_path / "cpi.csv"
    f.write_text("# name: il_cpi\n# kind: index\n# base: average 2022 = 100\n# source: test\n"
                 "month,value\n2024-10,110.0\n2024-11,111.1\n", encoding="utf-8")
    rates.import_table(ctx, f)
    g = tmp_path / "linked.csv"
    g.write_text("# name: il_linked_interest\n# kind: rate\n# source: test\n"
                 "effective_from,percent,effective_to\n2024-10-01,3.65,2024-12-31\n", encoding="utf-8")
    rates.import_table(ctx, g)
    # linkage 10,000 × 1.1 / 110 = 100.00; interest on 10,100 for 1-20 December (20 days) at
    # 3.65%: 10,100 × 0.0365 × 20 / 365 = 20.20
    lc = letters.letter_context(ctx, c, "second_reminder", date(2024, 12, 20))
    assert sorted(str(x.amount.amount) for x in lc.extra_lines) == ["100.00", "20.20"]
    assert lc.interest_by_law is False and BY_LAW["he"] not in paras(lc)
    # the same debt on 31 January 2025 runs into the unsourced period: words, no number
    later = letters.letter_context(ctx, c, "second_reminder", date(2025, 1, 31))
    assert later.extra_lines == () and later.interest_by_law is True
