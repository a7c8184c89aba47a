"""The texts (the documents' catalogs), and the small parts: envelopes, the legal table, the Hebrew date,
fonts, the letterhead's logo and fonts."""

from __future__ import annotations

from datetime import date

import pytest
import typst

from gvia.core.errors import NotFound, ValidationFailed
from gvia.core.legal_rules import earliest_filing, execution_office_rule
from gvia.core.money import Money
from gvia.documents import render
from gvia.documents.envelope import envelope_for
from gvia.documents.fonts import families, font_dirs, font_stack
from gvia.documents.hebcal import hebrew_date
from gvia.documents.model import DOCUMENTS, LETTER_DOCUMENTS
from gvia.documents.samples import sample_letter, sample_letterhead
from gvia.documents.wording import PLACEHOLDERS, Link, Run, catalogs, fill, languages, texts

from .pdftext import pdf_text


def test_both_languages_have_the_same_texts_and_only_known_placeholders():
    d = catalogs()                 # loading checks ids, plural forms and placeholders (raises)
    assert {"he", "en"} <= set(languages())
    assert d.ids("he") == d.ids("en")
    for doc in LETTER_DOCUMENTS + ("statement", "payment_plan", "settlement"):
        assert d.has(f"{doc}.title") and d.has(f"{doc}.subject")


def test_a_catalog_with_an_unknown_placeholder_or_open_bold_fails_naming_it(tmp_path):
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    from gvia import locale

    for lang, title, extra in (("he", "שלום {nobody}", "**open"), ("en", "Hello", None)):
        c = Catalog(locale=lang, domain="documents")
        c.add("a.title", title)
        if extra:
            c.add("a.x", extra)
            c.add("a.extra", "רק בעברית")
        else:
            c.add("a.x", "Closed **bold**")
        out = tmp_path / lang / "LC_MESSAGES"
        out.mkdir(parents=True)
        with (out / "documents.mo").open("wb") as f:
            write_mo(f, c)
    d = locale.Domain("documents", {lang: _read(tmp_path / lang / "LC_MESSAGES" / "documents.mo")
                                    for lang in ("he", "en")}, {"he": "he.po", "en": "en.po"})
    found = {(p.catalog, p.id, p.message) for p in d.problems(PLACEHOLDERS, bold=True, every_placeholder=False)}
    assert found == {("he.po", "a.title", "unknown placeholder {nobody}"),
                     ("he.po", "a.x", "unbalanced ** (bold)"),
                     ("he.po", "a.extra", "not in the en catalog")}


def _read(path):
    import gettext

    with path.open("rb") as f:
        return gettext.GNUTranslations(f)


def test_fill_bold_links_and_values_taken_literally():
    runs = fill("Pay **{total}** at {link} by {date}.",
                {"total": "₪1.00", "link": Link("https://x.example/p"), "date": "**{x}**"})
    assert runs == [Run("Pay "), Run("₪1.00", bold=True), Run(" at "),
                    Run("https://x.example/p", link=True), Run(" by **{x}**.")]


def test_plural_forms_including_the_hebrew_dual():
    t = texts("he")
    assert t("labels.days", 1, n="1") == "יום אחד"
    assert t("labels.days", 2, n="2") == "יומיים"
    assert t("labels.days", 14, n="14") == "14 ימים"
    assert texts("en")("labels.days", 2, n="2") == "2 days"


def test_one_invoice_is_named_in_the_sentence():
    ctx = sample_letter("reminder", "he")
    one = sample_letter("reminder", "he", invoices=ctx.invoices[:1])
    assert ("לפי הרישומים שלנו, חשבונית INV-2026-0042 על סך ₪12,345.67, שמועד התשלום שלה חל ביום "
            "31/08/2026, טרם שולמה.") in pdf_text(render(one))


def test_envelopes():
    assert envelope_for("auto", "he").name == "din-left"
    assert envelope_for("auto", "en-GB").name == "din-left"
    assert envelope_for("auto", "en-US").name == "us10"
    assert envelope_for("din-right", "he").window_x == 105     # 210 - 20 - 85
    with pytest.raises(ValidationFailed):
        envelope_for("C4-top", "he")


def test_us_letter_paper_for_a_us10_envelope():
    from io import BytesIO

    from pypdf import PdfReader

    pdf = render(sample_letter("reminder", "en", letterhead=sample_letterhead("en", locale="en-US")))
    box = PdfReader(BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)   # 8.5 x 11 in


def test_execution_office_rule_table():
    rule = execution_office_rule(date(2026, 11, 23))
    assert rule.cap == Money.of(75000, "ILS") and rule.notice_days == 30
    assert rule.valid_from == date(2015, 10, 15)
    assert "81א1" in rule.source_he and "81A1" in rule.source_en
    # the filing day itself is the filing clock's (tests/core/test_filing_clock.py)
    assert earliest_filing(rule, date(2026, 11, 23), date(2026, 11, 23)).on == date(2026, 12, 24)
    with pytest.raises(NotFound):
        execution_office_rule(date(2015, 10, 14))


@pytest.mark.parametrize("day, he, en", [
    (date(2026, 11, 23), "י״ג בכסלו תשפ״ז", "13 Kislev 5787"),
    (date(2025, 9, 23), "א׳ בתשרי תשפ״ו", "1 Tishrei 5786"),
    (date(2027, 3, 1), "כ״ב באדר א׳ תשפ״ז", "22 Adar I 5787"),
])
def test_hebrew_date(day, he, en):
    assert hebrew_date(day, "he") == he
    assert hebrew_date(day, "en") == en


def test_fonts_come_only_from_fontpkg_packages():
    assert all("fontpkg" in d for d in font_dirs())
    assert {"Heebo", "Noto Sans", "Frank Ruhl Libre", "Amiri"} <= families()
    assert font_stack("Frank Ruhl Libre") == ["Frank Ruhl Libre", "Heebo", "Noto Sans", "Amiri"]
    assert font_stack("Heebo") == ["Heebo", "Noto Sans", "Amiri"]


def test_pdf_embeds_only_the_chosen_fonts():
    from io import BytesIO

    from pypdf import PdfReader

    lh = sample_letterhead("he", heading_font="Frank Ruhl Libre")
    pdf = render(sample_letter("reminder", "he", letterhead=lh))
    names = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        for f in page["/Resources"]["/Font"].values():
            names.add(str(f.get_object()["/BaseFont"]).split("+", 1)[1])
    assert names and all(n.startswith(("Heebo", "FrankRuhlLibre")) for n in names)
    assert any(n.startswith("FrankRuhlLibre") for n in names)


def test_logo_from_the_letterhead(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(typst.compile(b'#set page(width: 30mm, height: 12mm, fill: red)\n', format="png", ppi=40))
    pdf = render(sample_letter("reminder", "en", letterhead=sample_letterhead("en", logo_path=str(logo))))
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf
    with pytest.raises(ValidationFailed):
        render(sample_letter("reminder", "en",
                             letterhead=sample_letterhead("en", logo_path=str(tmp_path / "none.png"))))


def test_every_document_key_has_a_sample():
    from gvia.documents.samples import sample_context

    for doc in DOCUMENTS:
        assert sample_context(doc, "en").document == doc
