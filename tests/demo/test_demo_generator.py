"""The demo generator: deterministic, valid, realistic in its proportions, and fast."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from decimal import Decimal

import phonenumbers
import pytest
from stdnum.il import hp, idnr

from gvia.core.aging import bucket_name, bucket_names
from gvia.core.errors import NotFound, UnknownCurrency
from gvia.demo import BEHAVIOURS, INVOICE_FIELDS, PAYMENT_FIELDS, generate
from gvia.demo.generator import ledger_rate, total_invoices


def rows(bundles, which):
    fields = INVOICE_FIELDS if which == "invoices" else PAYMENT_FIELDS
    return [dict(zip(fields, r)) for b in bundles for r in getattr(b, which)]


# --- determinism ----------------------------------------------------------------------


def snapshot(data):
    return (list(data.iter_customer_rows()), list(data.iter_invoice_rows()),
            list(data.iter_payment_rows()), data.bounced_cheques(), data.disputed_invoices())


def test_same_arguments_give_identical_data(as_of):
    a = generate(120, seed=5, as_of=as_of)
    b = generate(120, seed=5, as_of=as_of)
    assert snapshot(a) == snapshot(b)


def test_a_customer_rebuilt_alone_is_the_same(hebrew500):
    data, bundles = hebrew500
    for k in (0, 17, 499):
        again = data.bundle(data.ref(k))
        assert (again.invoices, again.payments) == (bundles[k].invoices, bundles[k].payments)
        assert data.profile(k).row() == bundles[k].profile.row()


def test_other_seed_or_day_gives_other_data(as_of):
    base = snapshot(generate(60, seed=5, as_of=as_of))
    assert snapshot(generate(60, seed=6, as_of=as_of)) != base
    assert snapshot(generate(60, seed=-5, as_of=as_of)) != base
    assert snapshot(generate(60, seed=5, as_of=date(2025, 11, 24))) != base


def test_customer_rows_come_from_the_same_draws_as_bundles(english200):
    data, bundles = english200
    assert list(data.iter_customer_rows()) == [b.profile.row() for b in bundles]


# --- sizes ------------------------------------------------------------------------------


def test_invoice_rows_total_exactly(as_of):
    assert total_invoices(7, 2.5) == 18          # 17.5 rounds half up
    assert total_invoices(100_000, 10.0) == 1_000_000
    data = generate(7, seed=2, as_of=as_of, invoices_per_customer=2.5)
    assert data.invoice_count == 18
    assert len(list(data.iter_invoice_rows())) == 18
    few = generate(40, seed=2, as_of=as_of, invoices_per_customer=0.5)
    assert len(list(few.iter_invoice_rows())) == 20 == few.invoice_count


def test_empty_business(as_of):
    data = generate(0, as_of=as_of)
    assert snapshot(data) == ([], [], [], [], [])


def test_invoice_counts_are_skewed(hebrew500):
    _, bundles = hebrew500
    counts = sorted(len(b.invoices) for b in bundles)
    assert sum(counts) == 5000
    assert counts[0] >= 1
    assert counts[-1] >= 30          # a few large customers ...
    assert counts[len(counts) // 2] < 10   # ... and a median below the mean


def test_a_size_1000_run_is_quick(as_of):
    start = time.process_time()
    data = generate(1000, seed=9, as_of=as_of)
    n = sum(len(b.invoices) + len(b.payments) for b in data.iter_bundles())
    assert n > 10_000
    assert time.process_time() - start < 5   # about 0.1 s; generous for busy machines


# --- validity ---------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["hebrew500", "english200"])
def test_customers_are_valid(fixture, request):
    data, bundles = request.getfixturevalue(fixture)
    tax_ids = []
    for b in bundles:
        p = b.profile
        if p.entity == "company":
            assert hp.is_valid(p.tax_id) and p.tax_id.startswith("51"), p
        elif p.tax_id:
            assert idnr.is_valid(p.tax_id) and len(p.tax_id) == 9 and p.tax_id[0] in "23", p
        else:
            assert p.entity == "consumer"
        if p.tax_id:
            tax_ids.append(p.tax_id)
        number = phonenumbers.parse(p.phone)
        assert phonenumbers.is_valid_number(number), p.phone
        assert phonenumbers.region_code_for_number(number) == "IL"
        assert p.email.count("@") == 1 and p.email.endswith(".example")
        assert p.customer_type in ("business", "sole_trader", "consumer") and p.language in ("he", "en")
        assert p.name and p.address and p.contact_name
        assert b.ref == p.ref == data.ref(b.index)
    assert len(tax_ids) == len(set(tax_ids))


def test_hebrew_demo_is_mostly_hebrew(hebrew500, english200):
    _, he = hebrew500
    languages = Counter(b.profile.language for b in he)
    assert languages["he"] > 430 and languages["en"] > 5
    assert "בע\"מ" in " ".join(b.profile.name for b in he)
    _, en = english200
    assert {b.profile.language for b in en} == {"en"}
    assert any(b.profile.name.endswith("Ltd") for b in en)


@pytest.mark.parametrize("fixture", ["hebrew500", "english200"])
def test_invoices_are_valid(fixture, request, as_of):
    data, bundles = request.getfixturevalue(fixture)
    invoices = rows(bundles, "invoices")
    numbers = [r["invoice_number"] for r in invoices]
    assert len(numbers) == len(set(numbers)) == data.invoice_count
    by_number = {r["invoice_number"]: r for r in invoices}
    for r in invoices:
        issue, due = date.fromisoformat(r["issue_date"]), date.fromisoformat(r["due_date"])
        assert issue <= as_of and due >= issue
        amount, open_ = Decimal(r["amount"]), Decimal(r["open_amount"])
        assert amount.as_tuple().exponent == -2 and open_.as_tuple().exponent == -2
        assert 0 < amount and 0 <= open_ <= amount
        assert r["currency"] in ("ILS", "USD", "EUR")
        if r["kind"] == "credit_note":
            target = by_number[r["applies_to"]]
            assert target["kind"] == "invoice" and target["customer_ref"] == r["customer_ref"]
            assert target["currency"] == r["currency"] and due == issue
            assert target["issue_date"] <= r["issue_date"]
        else:
            assert r["kind"] == "invoice" and r["applies_to"] == ""


@pytest.mark.parametrize("fixture", ["hebrew500", "english200"])
def test_payments_are_valid(fixture, request, as_of):
    data, bundles = request.getfixturevalue(fixture)
    invoices = {r["invoice_number"]: r for r in rows(bundles, "invoices")}
    payments = rows(bundles, "payments")
    references = [p["reference"] for p in payments]
    assert len(references) == len(set(references))
    cheques = [p["cheque_number"] for p in payments if p["method"] == "cheque"]
    assert all(cheques) and len(cheques) == len(set(cheques))
    for p in payments:
        day = date.fromisoformat(p["date"])
        assert day <= as_of
        assert p["method"] in ("transfer", "card", "cash", "cheque")
        assert Decimal(p["amount"]) > 0
        if p["method"] != "cheque":
            assert p["value_date"] == "" and p["cheque_number"] == ""
        else:
            assert date.fromisoformat(p["value_date"]) >= day
        if p["invoice_number"]:
            inv = invoices[p["invoice_number"]]
            assert inv["customer_ref"] == p["customer_ref"] and inv["kind"] == "invoice"
            assert date.fromisoformat(inv["issue_date"]) <= day
            if p["rate"]:
                # a foreign invoice paid in shekels at about 1/3.70 (USD) or 1/4.00 (EUR)
                assert p["currency"] == "ILS" and inv["currency"] in ("USD", "EUR")
                assert Decimal("0.2") < Decimal(p["rate"]) < Decimal("0.3")
        else:
            assert not p["rate"]
        if p["withholding"]:
            assert p["currency"] == "ILS" and Decimal(p["withholding"]) > 0


def test_rows_of_a_customer_are_in_date_order(hebrew500):
    _, bundles = hebrew500
    for b in bundles:
        issued = [r[INVOICE_FIELDS.index("issue_date")] for r in b.invoices]
        paid = [r[PAYMENT_FIELDS.index("date")] for r in b.payments]
        assert issued == sorted(issued) and paid == sorted(paid)
        numbers = [int(r[INVOICE_FIELDS.index("invoice_number")]) for r in b.invoices]
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def test_ledger_rate_is_the_inverse_of_the_representative_rate():
    # 1 / 3.7000 = 0.270270|27... -> 0.270270 ; 1 / 4.0000 = 0.25
    assert ledger_rate(37000) == 270270
    assert ledger_rate(40000) == 250000


# --- realism and behaviours -------------------------------------------------------------


def test_behaviour_quotas_at_200(as_of):
    data = generate(200, seed=4, as_of=as_of)
    # 42, 20, 10, 8, 6, 6, 4, 4 percent of 200
    assert data.behaviour_counts() == {
        "pays_on_time": 84, "a_little_late": 40, "chronically_late": 20, "partial_payer": 16,
        "goes_silent": 12, "disputes": 12, "overpays": 8, "bounced_cheque": 8,
    }
    assert Counter(data.behaviours.values()) == Counter(data.behaviour_counts())
    assert set(data.behaviours) == {data.ref(i) for i in range(200)}


def test_every_behaviour_present_even_when_small(as_of):
    data = generate(8, seed=1, as_of=as_of)
    assert sorted(data.behaviours.values()) == sorted(BEHAVIOURS)
    for seed in range(5):
        counts = generate(200, seed=seed, as_of=as_of).behaviour_counts()
        assert all(counts[b] > 0 for b in BEHAVIOURS)


def test_behaviour_lookup(hebrew500):
    data, bundles = hebrew500
    assert data.customer_behaviour(bundles[3].ref) == bundles[3].behaviour
    assert data.behaviours[bundles[4].ref] == bundles[4].behaviour
    with pytest.raises(NotFound):
        data.customer_behaviour("999")
    with pytest.raises(KeyError):
        data.behaviours["nobody"]


def test_aging_has_every_bucket(hebrew500, as_of):
    _, bundles = hebrew500
    buckets = Counter()
    for r in rows(bundles, "invoices"):
        if r["kind"] == "invoice" and r["currency"] == "ILS" and Decimal(r["open_amount"]):
            days = (as_of - date.fromisoformat(r["due_date"])).days
            buckets[bucket_name(days)] += 1
    assert set(buckets) == set(bucket_names())


def test_the_demo_has_the_hard_cases(hebrew500, as_of):
    data, bundles = hebrew500
    invoices = rows(bundles, "invoices")
    payments = rows(bundles, "payments")
    assert Counter(r["currency"] for r in invoices)["ILS"] > 0.8 * len(invoices)
    assert {"USD", "EUR"} <= {r["currency"] for r in invoices}
    assert sum(r["kind"] == "credit_note" for r in invoices) >= 10
    assert sum(bool(r["po_number"]) for r in invoices) > 100
    pending = [p for p in payments if p["value_date"] and date.fromisoformat(p["value_date"]) > as_of]
    assert len(pending) >= 10 and {p["method"] for p in pending} == {"cheque"}
    assert sum(bool(p["withholding"]) for p in payments) >= 50
    assert sum(bool(p["rate"]) for p in payments) >= 10
    assert sum(not p["invoice_number"] for p in payments) >= 10   # lump sums
    assert Counter(p["method"] for p in payments).keys() == {"transfer", "card", "cash", "cheque"}
    assert any(b.unapplied for b in bundles if b.behaviour == "overpays")
    # end-of-month terms: due dates a fixed number of days after a month's end
    eom = [b for b in bundles if b.terms.end_of_month]
    assert eom and all(
        date.fromisoformat(r[7]) == b.terms.due(date.fromisoformat(r[6]))
        for b in eom for r in b.invoices if r[2] == "invoice")


def test_bounced_cheques(hebrew500, as_of):
    data, bundles = hebrew500
    bounced = data.bounced_cheques()
    assert len(bounced) == data.behaviour_counts()["bounced_cheque"] == 20   # 4% of 500
    cheques = {p["cheque_number"]: p for p in rows(bundles, "payments") if p["cheque_number"]}
    for number in bounced:
        p = cheques[number]
        assert p["method"] == "cheque"
        assert date.fromisoformat(p["value_date"]) <= as_of   # it was presented, and bounced
        assert data.customer_behaviour(p["customer_ref"]) == "bounced_cheque"


def test_disputed_invoices_stay_open(hebrew500, as_of):
    data, bundles = hebrew500
    invoices = {r["invoice_number"]: r for r in rows(bundles, "invoices")}
    disputed = data.disputed_invoices()
    assert len(disputed) >= 30   # one or two for each of the 30 disputing customers
    for number in disputed:
        r = invoices[number]
        assert Decimal(r["open_amount"]) > 0 and r["kind"] == "invoice"
        assert data.customer_behaviour(r["customer_ref"]) == "disputes"


def test_goes_silent_means_no_recent_payment(hebrew500, as_of):
    _, bundles = hebrew500
    for b in bundles:
        if b.behaviour == "goes_silent" and b.payments:
            last = max(date.fromisoformat(r[1]) for r in b.payments)
            assert (as_of - last).days > 45, b.ref   # silent for at least 45 days


# --- arguments --------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs", [
    {"customers": -1}, {"customers": 1.5}, {"language": "fr"}, {"invoices_per_customer": -1},
    {"invoices_per_customer": 1000}, {"currencies": ()}, {"currencies": ("ILS", "ILS")},
    {"seed": "x"}, {"as_of": "2025-11-23"},
])
def test_bad_arguments_are_refused(kwargs, as_of):
    args = {"customers": 10, "as_of": as_of, **kwargs}
    with pytest.raises(ValueError):
        generate(**args)


def test_as_of_is_required_and_currency_known(as_of):
    with pytest.raises(TypeError):
        generate(10)
    with pytest.raises(UnknownCurrency):
        generate(10, as_of=as_of, currencies=("ILS", "XXX"))
