"""The day without the command line, in a real browser (issue 13), in Hebrew and in English:
record a payment, a letter on demand (preview and download), print the day's letters as one
batch and enter the registered-mail number with the posting and delivery days; the payment
again on a 375x667 phone.

The data is the engine's world of ``tests/web/conftest.py`` (today 2026-03-15): C002's registered
warning letter waits for an owner's approval; approved, it is the day's paper letter to print.
"""

from __future__ import annotations

import re

import pytest

from gvia.store.models import OutboxMessage, Payment

from ..conftest import make_engine, make_world
from .conftest import WAIT_MS, shot
from .test_flows import html_attrs, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "he": {"dir": "rtl", "recorded": "נרשם תשלום", "mail_recorded": "נרשם", "printed": "מכתבים שהודפסו"},
    "en": {"dir": "ltr", "recorded": "A payment of", "mail_recorded": "is recorded", "printed": "Letters printed"},
}


def _to_language(page, lang: str) -> None:
    if lang == "en":
        page.click("[data-testid=lang-en]")
        page.wait_for_selector("html[dir=ltr]")
    assert html_attrs(page) == (WORDS[lang]["dir"], lang)


@pytest.mark.parametrize("lang", ["he", "en"])
def test_payment_letter_on_demand_print_batch_and_registered_mail(page, lang):
    from gvia.services.context import Ctx
    from gvia.services.engine import approvals

    engine = make_engine(make_world())
    world = engine.world
    approvals.approve(Ctx(world.org_a, world.owner, "owner"), engine.letter.id)
    login(page, "owner@a.test")
    _to_language(page, lang)
    words = WORDS[lang]

    # record a payment from the customer page
    page.goto(page.base + f"/customers/{world.c1.id}/")
    page.click("[data-testid=record-payment]")
    page.wait_for_url(re.compile(rf"/customers/{world.c1.id}/payment/$"))
    assert html_attrs(page) == (words["dir"], lang)
    page.fill("#pay_amount", "0")
    page.click("[data-testid=payment-submit]")
    page.locator(".field.has-error").first.wait_for()          # refused next to its field, nothing saved
    page.fill("#pay_amount", "150.00")
    page.fill("#pay_reference", f"BANK-{lang}")
    page.click("[data-testid=payment-submit]")
    page.wait_for_url(re.compile(rf"/customers/{world.c1.id}/#payments$"))
    assert words["recorded"] in page.text_content("main")
    assert Payment.objects.get(customer=world.c1, reference=f"BANK-{lang}").amount_minor == 15000
    shot(page, f"payment-recorded-{lang}")

    # a letter on demand: choose, preview, download
    page.click("[data-testid=letter-on-demand]")
    page.wait_for_url(re.compile(rf"/customers/{world.c1.id}/letter/$"))
    page.select_option("#letter_document", "second_reminder")
    page.select_option("#letter_language", lang)
    page.click("[data-testid=letter-preview]")
    page.locator("[data-testid=letter-chosen]").wait_for()
    frame_src = page.get_attribute("[data-testid=letter-frame]", "src")
    preview = page.request.get(page.base + frame_src)
    assert preview.status == 200 and preview.headers["content-type"] == "application/pdf"
    assert preview.body().startswith(b"%PDF")
    with page.expect_download(timeout=60000) as download:
        page.click("[data-testid=letter-download]")
    assert download.value.suggested_filename == "second_reminder-C001-2026-03-15.pdf"
    with open(download.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
    shot(page, f"letter-on-demand-{lang}")

    # the day's paper letters: one batch PDF, then the registered-mail number and the days
    page.goto(page.base + "/letters/")
    page.locator(f"[data-testid=to-print-{engine.letter.id}]").wait_for()
    with page.expect_download(timeout=60000) as batch:
        page.click("[data-testid=print-batch]")
    assert batch.value.suggested_filename == "print-batch-2026-03-15.pdf"
    with open(batch.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
    page.goto(page.base + "/letters/")
    assert words["printed"] in page.text_content("main")      # said after the download
    shot(page, f"letters-printed-{lang}")
    row = page.locator(f"[data-testid=printed-{engine.letter.id}]")
    row.locator(f"#r{engine.letter.id}_number").fill("RR123456785IL")
    row.locator(f"#r{engine.letter.id}_posted").fill("2026-03-15")
    row.locator(f"#r{engine.letter.id}_delivered").fill("2026-03-14")          # before the posting: refused
    row.locator(f"[data-testid=record-{engine.letter.id}]").click()
    page.locator(f"[data-testid=printed-{engine.letter.id}] .form-errors, "
                 f"[data-testid=printed-{engine.letter.id}] .has-error").first.wait_for()
    row = page.locator(f"[data-testid=printed-{engine.letter.id}]")
    row.locator(f"#r{engine.letter.id}_delivered").fill("2026-03-15")
    row.locator(f"[data-testid=record-{engine.letter.id}]").click()
    page.wait_for_url(re.compile(r"/letters/#printed$"))
    assert words["mail_recorded"] in page.text_content("main")
    assert page.locator(f"[data-testid=printed-{engine.letter.id}]").count() == 0
    letter = OutboxMessage.objects.get(id=engine.letter.id)
    assert (letter.registered_number, str(letter.posted_date), str(letter.delivered_date)) == (
        "RR123456785IL", "2026-03-15", "2026-03-15")
    shot(page, f"letters-posted-{lang}")


@pytest.fixture
def small_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="he-IL",
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    context.set_default_timeout(WAIT_MS)
    pg = context.new_page()
    pg.base = live_server.url
    yield pg
    context.close()


def test_record_a_payment_on_a_phone(small_phone):
    page = small_phone
    world = make_world()
    login(page, "collector@a.test")
    page.goto(page.base + f"/customers/{world.c3.id}/payment/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    cheque = Payment.objects.get(customer=world.c3, cheque_number="4455")
    page.click(f"[data-testid=bounce-{cheque.id}]")                      # the cheque bounced
    page.wait_for_url(re.compile(rf"/customers/{world.c3.id}/#payments$"))
    assert "סומן כחוזר" in page.text_content("main")
    page.goto(page.base + f"/customers/{world.c3.id}/payment/")
    page.fill("#pay_amount", "250")
    page.select_option("#pay_method", "cash")
    page.click("[data-testid=payment-submit]")
    page.wait_for_url(re.compile(rf"/customers/{world.c3.id}/#payments$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    world.inv_3001.refresh_from_db()
    assert world.inv_3001.open_minor == 0
    shot(page, "payment-phone-he")
