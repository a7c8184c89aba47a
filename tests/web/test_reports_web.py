"""The reports page (issue 17): /reports/ — a report of the organization's own figures, worded in
the reader's language, with its chart — and its CSV and XLSX downloads (safe cells).

The ledger is the web tests' world (tests/web/conftest.py; today 2026-03-15). Added here: A's
aging snapshots for January–March 2026, C001's collector (a user whose e-mail begins with a
formula), C003 unassigned, and running cases with reasons; B collects 999.00 GBP in February
from a customer assigned to B's owner, with a snapshot of its own — none of it may reach A's reports.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from gvia.services.ledger.reports import NAMES

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example")@a.test'
PERIOD = {"from": "2026-01", "to": "2026-03"}


@pytest.fixture
def figures(world):
    from gvia.store.models import AgingSnapshot, Case, Membership, Payment

    sly = get_user_model().objects.create_user(username="sly", email=FORMULA, password="x-x-x-x-x-1")
    Membership.objects.create(user=sly, organization=world.org_a, role="collector")
    world.c1.collector = sly
    world.c1.save(update_fields=["collector"])
    for day, overdue in ((date(2026, 1, 31), 0), (date(2026, 2, 28), 70000), (date(2026, 3, 14), 70000)):
        AgingSnapshot.objects.create(organization=world.org_a, date=day, currency="ILS",
                                     open_minor=overdue + 50000, overdue_minor=overdue)
    Case.objects.create(organization=world.org_a, customer=world.c1, active=True, nonpayment_reason="dispute")
    Case.objects.create(organization=world.org_a, customer=world.c2, active=True, nonpayment_reason="cash_flow")
    Case.objects.create(organization=world.org_a, customer=world.c3, active=True)
    # B's own figures
    world.s1.collector = world.owner_b
    world.s1.save(update_fields=["collector"])
    Payment.objects.create(organization=world.org_b, customer=world.s1, date=date(2026, 2, 3), amount_minor=99900,
                           currency="GBP", import_key="b1")
    AgingSnapshot.objects.create(organization=world.org_b, date=date(2026, 2, 28), currency="GBP",
                                 open_minor=123400, overdue_minor=123400)
    Case.objects.create(organization=world.org_b, customer=world.s1, active=True, nonpayment_reason="refuses")
    return world


def _speak(lang):
    """The reader's language (their membership's): everyone's, here."""
    from gvia.store.models import Membership

    Membership.objects.update(language=lang)


def _get(client, lang, **query):
    _speak(lang)
    return client.get("/reports/", {**PERIOD, **query})


def _text(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.content.decode())


@pytest.mark.parametrize("lang", ["he", "en"])
@pytest.mark.parametrize("name", NAMES)
def test_every_report_renders_in_both_languages(as_owner, figures, lang, name):
    r = _get(as_owner, lang, report=name)
    assert r.status_code == 200
    page = r.content.decode()
    assert '<svg' in page and 'class="chart ' in page          # the main figure, drawn on the server
    assert "<table" in page
    ids = re.findall(r'id="([^"]+)"', page)
    assert len(ids) == len(set(ids))                                 # one chart per currency, each its own ids
    assert not re.search(r"\b20\d\d-\d\d(-\d\d)?\b", _text(r).replace('value="', ""))   # no ISO dates shown
    assert "GBP" not in page and "Hidden Customer" not in page and "owner@b.test" not in page   # B's, never
    if lang == "he":
        assert 'direction="rtl"' in page
        assert "Collection reports" not in page


def test_hebrew_words_the_columns_reasons_and_the_unassigned(as_owner, figures):
    r = _get(as_owner, "he", report="reasons")
    text = _text(r)
    assert "סיבות לאי-תשלום" in text and "מחלוקת" in text and "תזרים מזומנים" in text
    assert "dispute" not in text and "cash_flow" not in text
    assert "לא ידוע" in text                         # C003's case: no reason known
    page = r.content.decode()
    assert 'class="chart shares"' in page and 'direction="rtl">מחלוקת</text>' in page   # a bar per reason
    r = _get(as_owner, "he", report="collected_vs_overdue")
    text = _text(r)
    assert "ללא גובה" in text                        # C003's 250.00 ILS in March: nobody's customer
    assert "גובה" in text and "נגבה" in text
    assert "מרץ 2026" in text and "פברואר 2026" in text


def test_the_english_page_words_it_in_english(as_owner, figures):
    r = _get(as_owner, "en", report="collected_vs_overdue")
    text = _text(r)
    assert "Collected against overdue" in text and "Unassigned" in text and "March 2026" in text
    assert "300.00" in text and "250.00" in text       # C001's February payment, C003's in March


def test_the_default_period_is_the_last_twelve_months(as_owner, figures):
    _speak("en")
    r = as_owner.get("/reports/", {"report": "promise_kept_rate"})
    assert r.status_code == 200
    table = _text(r).split("Broken", 1)[1]          # the table, after its heading row
    assert "April 2025" in table and "March 2026" in table and "March 2025" not in table
    assert re.search(r'<option value="2025-04" selected>April 2025</option>', r.content.decode())
    assert re.search(r'<option value="2026-03" selected>March 2026</option>', r.content.decode())


def test_csv_download_in_the_readers_words_with_safe_cells(as_owner, figures):
    _speak("en")
    r = as_owner.get("/reports/export/", {**PERIOD, "report": "collected_vs_overdue", "format": "csv"})
    assert r.status_code == 200
    assert r["Content-Disposition"] == 'attachment; filename="collected_vs_overdue-2026-01-2026-03.csv"'
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["Month", "Collector", "Currency", "Collected", "Overdue"]
    body = {tuple(row[:4]) for row in rows[1:]}
    assert ("2026-02", "'" + FORMULA, "ILS", "300.00") in body      # a formula is written as text
    assert ("2026-03", "Unassigned", "ILS", "250.00") in body
    assert not any(row[1].startswith("=") for row in rows)
    assert "GBP" not in r.content.decode("utf-8-sig")


def test_xlsx_download_parses_with_safe_cells(as_owner, figures):
    _speak("he")
    r = as_owner.get("/reports/export/", {**PERIOD, "report": "collected_vs_overdue", "format": "xlsx"})
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith("attachment;")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["חודש", "גובה", "מטבע", "נגבה", "בפיגור"]
    collectors = [row[1] for row in rows[1:]]
    assert "'" + FORMULA in collectors and "ללא גובה" in collectors
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)    # no formula anywhere
    assert "GBP" not in [row[2] for row in rows[1:]]


def test_reasons_download_words_the_reasons(as_owner, figures):
    _speak("en")
    r = as_owner.get("/reports/export/", {"report": "reasons", "format": "csv"})
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    cases = {row[0]: row[1] for row in rows[1:]}
    assert cases["Not known"] == "1" and sum(int(n) for n in cases.values()) == 3    # B's case not counted


@pytest.mark.parametrize("query, words_he, words_en", [
    ({"report": "nonsense"}, "אין דוח כזה", "There is no such report"),
    ({"from": "2026-13"}, "החודש שנבחר אינו תקין", "That is not a month"),
    ({"from": "yesterday"}, "החודש שנבחר אינו תקין", "That is not a month"),
    ({"from": "2026-03", "to": "2026-01"}, "תחילת התקופה אחרי סופה", "The period starts after it ends"),
    ({"from": "1990-01"}, "התקופה ארוכה מדי: עד 120 חודשים", "at most 120 months"),
])
def test_a_bad_choice_is_400_with_words(as_owner, figures, query, words_he, words_en):
    for lang, expected in (("he", words_he), ("en", words_en)):
        r = _get(as_owner, lang, **query)
        assert r.status_code == 400
        assert expected in r.content.decode()
        assert "<table" not in r.content.decode()
        _speak(lang)
        r = as_owner.get("/reports/export/", {**PERIOD, **query, "format": "csv"})
        assert r.status_code == 400 and expected in r.content.decode()


def test_a_download_in_another_format_is_400(as_owner, figures):
    _speak("en")
    r = as_owner.get("/reports/export/", {"report": "dso", "format": "pdf"})
    assert r.status_code == 400 and "CSV or Excel only" in r.content.decode()


def test_a_viewer_reads_reports_and_finds_them_in_the_navigation(as_viewer, figures):
    r = as_viewer.get("/reports/", {"report": "dso"})
    assert r.status_code == 200
    assert 'href="/reports/"' in as_viewer.get("/").content.decode()
    assert as_viewer.get("/reports/export/", {"report": "dso", "format": "xlsx"}).status_code == 200


def test_signed_out_is_sent_to_sign_in(client, figures):
    assert client.get("/reports/").status_code == 302


def test_b_sees_only_bs(client, figures):
    client.force_login(figures.owner_b)
    _speak("en")
    r = client.get("/reports/", {**PERIOD, "report": "collected_vs_overdue"})
    text = _text(r)
    assert "999.00" in text and "owner@b.test" in text
    assert "300.00" not in text and "HYPERLINK" not in text



def test_share_bars_scale_direction_and_escaping():
    from decimal import Decimal

    from gvia.web.report_charts import share_bars

    points = [("<b>cash</b>", Decimal(50)), ("other", Decimal(25)), ("none", None)]
    ltr = share_bars(points, rtl=False, value_text=lambda v: f"{v}%", title="t")
    # the largest share fills the plot: 600 - 2*12 - 200 - 56 = 320; half of it 160; no bar without a figure
    assert 'width="320.0"' in ltr and 'width="160.0"' in ltr and ltr.count("<rect") == 2
    assert "&lt;b&gt;cash&lt;/b&gt;" in ltr and "<b>" not in ltr
    assert 'x="212"' in ltr.split("<rect", 1)[1].split("/>")[0]         # bars start after the names, at the left
    rtl = share_bars(points, rtl=True, value_text=lambda v: f"{v}%", title="t")
    first = rtl.split("<rect", 1)[1].split("/>")[0]
    assert 'x="68.0"' in first and 'width="320.0"' in first                # and end before them, at the right
    assert 'x="588" y="35" text-anchor="start" font-size="13" direction="rtl"' in rtl


def test_figure_bars_label_few_values_and_only_the_newest_of_many():
    from decimal import Decimal

    from gvia.web.charts import figure_bars

    few = figure_bars([(f"m{i}", Decimal(i)) for i in range(1, 4)], rtl=False, value_text=str, title="t")
    assert few.count('class="amount"') == 3
    many = figure_bars([(f"m{i}", Decimal(i)) for i in range(1, 13)] + [("m13", None)], rtl=False,
                       value_text=lambda v: f"<{v}>", title="t", empty_text="-")
    assert many.count('class="amount"') == 1 and "&lt;12&gt;</text>" in many and "m13: -" in many


def test_a_report_is_kept_until_something_changes(as_owner, figures, django_assert_max_num_queries):
    """DSO reads every invoice and allocation: the page computes it once and shows it again while the
    organization's data version (its newest audit record) is the same; a change shows at once."""
    from gvia.services import audit
    from gvia.services.context import Ctx
    from gvia.store.models import Invoice

    query = {**PERIOD, "report": "dso"}

    def table(response):
        assert response.status_code == 200
        return re.findall(r"<table.*?</table>", response.content.decode(), re.S)

    first = table(as_owner.get("/reports/", query))
    assert first
    with django_assert_max_num_queries(12):          # the session, the membership, the version: no invoice read
        again = table(as_owner.get("/reports/", query))
    assert again == first
    inv = Invoice.objects.filter(organization=figures.org_a, kind="invoice").first()
    Invoice.objects.filter(id=inv.id).update(amount_minor=inv.amount_minor + 1_000_000)
    assert table(as_owner.get("/reports/", query)) == first                # no audit record: still kept
    audit.record(Ctx(figures.org_a, None, "owner"), "invoice.changed", inv)
    assert table(as_owner.get("/reports/", query)) != first                # a change made through gvia: at once
