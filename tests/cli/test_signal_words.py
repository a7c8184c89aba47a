"""Every early-warning signal's facts are worded in each shipped language (issue 17): the scripted
histories of tests/core/test_signals.py, one signal each, worded by the command line's catalog —
each fact's day and figures appear as the reader writes them, nothing left unfilled."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from gvia.cli import words
from gvia.cli.commands_signals import fact_text, signal_text
from gvia.core import formatting
from gvia.core import signals as sg
from tests.core.test_signals import BASE, TODAY, W, d, paid_on_time

SCRIPTED = {
    "silence": replace(BASE, sent=BASE.sent + (d(30), d(20), d(12))),
    "slower_replies": replace(BASE, sent=tuple(d(600 - 60 * k) for k in range(8)),
                              replies=tuple(sg.Reply(d(600 - 60 * k) + timedelta(days=t))
                                            for k, t in enumerate((1, 2, 1, 2, 2, 9, 12, 10)))),
    "passed_around": replace(BASE, contacts_added=(d(700), d(60)),
                             replies=BASE.replies[:-1] + (sg.Reply(d(48), "yossi"),)),
    "partial_payments": replace(BASE, payments=(sg.Payment(d(100), partial=True), sg.Payment(d(40), partial=True))),
    "broken_promises": replace(BASE, promises=(sg.Promise(d(20), kept=False),)),
    "missed_instalments": replace(BASE, missed_instalments=(d(15),)),
    "bounced_cheques": replace(BASE, payments=(sg.Payment(d(70), bounced=True),)),
    "later_payments": replace(BASE, invoices=paid_on_time(8, start=700) + tuple(
        sg.Invoice(d(300 - 60 * k), 1000_00, "ILS", d(300 - 60 * k - 25)) for k in range(4))),
    "growing_balance": replace(BASE, invoices=BASE.invoices + tuple(
        sg.Invoice(d(n), 500_00, "ILS") for n in (85, 55, 25))),
    "disputes": replace(BASE, disputes=(d(33),)),
}


@pytest.fixture(autouse=True)
def _english_after():
    yield
    words.use("en")


def test_every_signal_is_scripted():
    assert set(SCRIPTED) == set(sg.CODES)


@pytest.mark.parametrize("lang", ["en", "he"])
@pytest.mark.parametrize("code", sg.CODES)
def test_each_signal_names_its_facts_in_the_language(code, lang):
    words.use(lang)
    found = {s.code: s for s in sg.signals(SCRIPTED[code], TODAY, W)}[code]
    assert found.points == W.weights[code]
    text = signal_text(found)
    assert "{" not in text and text == "; ".join(fact_text(f) for f in found.evidence)
    for fact in found.evidence:
        worded = fact_text(fact)
        for name, value in fact.values.items():
            if name == "currency":
                continue
            if name == "amount_minor":
                shown = formatting.format_money(sg_money(value, fact.values["currency"]), lang)
            elif hasattr(value, "isoformat"):
                shown = formatting.format_date(value, lang)
            else:
                shown = str(value)
            assert shown in worded, (code, lang, name, worded)
    assert words.t(f"signal.{code}") != f"signal.{code}"


def sg_money(minor, currency):
    from gvia.core.money import Money

    return Money.from_minor(int(minor), str(currency))
