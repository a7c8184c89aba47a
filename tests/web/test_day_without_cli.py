"""The collector's day without the command line (issue 13): record a payment, mark a cheque
bounced, a letter on demand (preview, download, send through approval), the day's paper letters
(print batch, registered mail), and the daily run from the web (what it will do, then run it).

Each flow through Django's test client: what it changes, and its refusal paths (worded in the
reader's language: the collector reads Hebrew, the viewer English)."""

from __future__ import annotations

import pytest

from gvia.store.models import Activity, Case, Customer, Invoice, OutboxMessage, Payment

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _pay(client, customer, **over):
    data = {"amount": "700.00", "currency": "ILS", "date": TODAY.isoformat(), "method": "transfer",
            "cheque_number": "", "value_date": "", "reference": "", "invoice_number": ""}
    data.update(over)
    return client.post(f"/customers/{customer.id}/payment/", data)


# --- payments ------------------------------------------------------------------------------------

def test_a_payment_recorded_by_hand_settles_the_oldest_invoice(as_collector, world):
    r = as_collector.get(f"/customers/{world.c1.id}/payment/")
    assert r.status_code == 200 and 'name="csrfmiddlewaretoken"' in r.content.decode()
    r = _pay(as_collector, world.c1, reference="BANK-55")
    assert r.status_code == 302 and r["Location"].endswith(f"/customers/{world.c1.id}/#payments")
    payment = Payment.objects.get(customer=world.c1, reference="BANK-55")
    assert (payment.amount_minor, payment.currency, payment.status, payment.import_key) == (
        70000, "ILS", "cleared", "ref:C001:BANK-55")
    world.inv_1001.refresh_from_db()
    world.inv_1002.refresh_from_db()
    assert (world.inv_1001.open_minor, world.inv_1002.open_minor) == (0, 50000)
    page = as_collector.get(r["Location"]).content.decode()
    assert "נרשם תשלום" in page


def test_a_refused_payment_says_why_in_hebrew_and_changes_nothing(as_collector, world):
    before = Payment.objects.count()
    r = _pay(as_collector, world.c1, amount="0")
    assert r.status_code == 400 and "הסכום חייב להיות גדול מאפס" in r.content.decode()
    r = _pay(as_collector, world.c1, date="2026-03-16")
    assert r.status_code == 400 and "לא ניתן לקבל תשלום אחרי היום" in r.content.decode()
    r = _pay(as_collector, world.c1, method="cheque")
    assert r.status_code == 400 and "לשיק נדרש מספר" in r.content.decode()
    r = _pay(as_collector, world.c1, amount="abc")
    assert r.status_code == 400
    assert Payment.objects.count() == before
    # the same bank reference twice is one payment, as a re-import would see it
    assert _pay(as_collector, world.c1, amount="10", reference="BANK-1").status_code == 302
    r = _pay(as_collector, world.c1, amount="10", reference="BANK-1")
    assert r.status_code == 400 and "כבר רשום" in r.content.decode()
    assert Payment.objects.count() == before + 1


def test_a_post_dated_cheque_is_pending_and_a_viewer_may_not_record(client, as_collector, world):
    r = _pay(as_collector, world.c1, method="cheque", cheque_number="9001", value_date="2026-04-20", amount="100")
    assert r.status_code == 302
    assert Payment.objects.get(customer=world.c1, cheque_number="9001").status == "pending"
    client.force_login(world.viewer)
    assert client.get(f"/customers/{world.c1.id}/payment/").status_code == 403
    assert _pay(client, world.c1, amount="5").status_code == 403
    assert not Payment.objects.filter(customer=world.c1, amount_minor=500).exists()


def test_a_bounced_cheque_opens_its_invoice_again(as_collector, world):
    cheque = Payment.objects.get(customer=world.c3, cheque_number="4455")
    page = as_collector.get(f"/customers/{world.c3.id}/payment/").content.decode()
    assert f'data-testid="bounce-{cheque.id}"' in page
    r = as_collector.post(f"/customers/{world.c3.id}/cheques/{cheque.id}/bounce/")
    assert r.status_code == 302
    cheque.refresh_from_db()
    world.inv_3001.refresh_from_db()
    assert (cheque.status, world.inv_3001.open_minor) == ("bounced", 25000)
    # again: refused in words, nothing changes
    r = as_collector.post(f"/customers/{world.c3.id}/cheques/{cheque.id}/bounce/", follow=True)
    assert "כבר מסומן כחוזר" in r.content.decode()
    # a cheque of another customer under this customer's URL is not found
    other = Payment.objects.create(organization=world.org_a, customer=world.c1, date=TODAY, amount_minor=100,
                                   currency="ILS", method="cheque", cheque_number="1", import_key="x1")
    assert as_collector.post(f"/customers/{world.c3.id}/cheques/{other.id}/bounce/").status_code == 404
    assert as_collector.get(f"/customers/{world.c3.id}/cheques/{cheque.id}/bounce/").status_code == 405


# --- a letter on demand ------------------------------------------------------------------------

def test_letter_on_demand_preview_and_download(as_viewer, world):
    base = f"/customers/{world.c1.id}/letter/"
    assert as_viewer.get(base).status_code == 200
    page = as_viewer.get(base + "?document=reminder&language=en").content.decode()
    assert 'data-testid="letter-chosen"' in page and "letter.pdf?document=reminder&amp;language=en" in page
    assert 'data-testid="letter-send-form"' not in page           # a viewer reads, does not send
    r = as_viewer.get(f"/customers/{world.c1.id}/letter.pdf?document=reminder&language=he")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert r["Content-Disposition"].startswith("inline")
    r = as_viewer.get(f"/customers/{world.c1.id}/letter.pdf?document=statement&language=en&download=1")
    assert r["Content-Disposition"].startswith('attachment; filename="statement-C001-2026-03-15.pdf"')
    # refusals: a document that is not offered; a letter the organization cannot produce yet
    assert as_viewer.get(base + "?document=bogus&language=en").status_code == 400
    r = as_viewer.get(f"/customers/{world.c1.id}/letter.pdf?document=warning_execution_office&language=en")
    assert r.status_code == 409


def test_a_letter_sent_on_demand_waits_for_approval(as_collector, world):
    url = f"/customers/{world.c1.id}/letter/send/"
    r = as_collector.post(url, {"document": "reminder", "language": "he", "channel": "email"})
    assert r.status_code == 302
    msg = OutboxMessage.objects.get(customer=world.c1, idempotency_key__startswith="on_demand:")
    assert (msg.status, msg.document, msg.channel, msg.language, msg.needs_approval) == (
        "awaiting_approval", "reminder", "email", "he", False)
    assert Activity.objects.filter(customer=world.c1, data__event="message.asked_by_hand").exists()
    # twice: refused, in Hebrew
    r = as_collector.post(url, {"document": "reminder", "language": "he", "channel": "email"})
    assert r.status_code == 400 and "כבר ממתין" in r.content.decode()
    # no e-mail address; do not chase; a letter that cannot be produced
    r = as_collector.post(f"/customers/{world.c3.id}/letter/send/",
                          {"document": "reminder", "language": "he", "channel": "email"})
    assert r.status_code == 400 and "אין כתובת דואר אלקטרוני" in r.content.decode()
    Customer.objects.filter(id=world.c2.id).update(do_not_chase=True)
    r = as_collector.post(f"/customers/{world.c2.id}/letter/send/",
                          {"document": "reminder", "language": "en", "channel": "email"})
    assert r.status_code == 400 and "לא לגבות" in r.content.decode()
    r = as_collector.post(url, {"document": "warning_execution_office", "language": "he", "channel": "letter"})
    assert r.status_code == 409 and r.templates[0].name == "gvia/pdf_refused.html"
    assert OutboxMessage.objects.filter(idempotency_key__startswith="on_demand:").count() == 1


def test_a_registered_warning_on_demand_needs_an_owner(as_collector, engine):
    world = engine.world
    r = as_collector.post(f"/customers/{world.c2.id}/letter/send/",
                          {"document": "warning_letter", "language": "en", "channel": "registered_letter"})
    assert r.status_code == 302
    msg = OutboxMessage.objects.get(customer=world.c2, idempotency_key__startswith="on_demand:")
    assert (msg.status, msg.needs_approval) == ("awaiting_approval", True)


# --- paper letters: print batch, registered mail -------------------------------------------------

def test_print_the_batch_then_record_the_registered_mail(client, engine):
    from gvia.services.context import Ctx
    from gvia.services.engine import approvals

    world = engine.world
    approvals.approve(Ctx(world.org_a, world.owner, "owner"), engine.letter.id)
    client.force_login(world.collector)
    page = client.get("/letters/").content.decode()
    assert f'data-testid="to-print-{engine.letter.id}"' in page
    r = client.post("/letters/print/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert r["Content-Disposition"] == 'attachment; filename="print-batch-2026-03-15.pdf"'
    engine.letter.refresh_from_db()
    assert engine.letter.status == "sent"
    plain = OutboxMessage.objects.create(organization=world.org_a, customer=world.c1, idempotency_key="plain-1",
                                         channel="letter", document="reminder", status="sent", planned_for=TODAY)
    page = client.get("/letters/").content.decode()
    assert f'data-testid="printed-{engine.letter.id}"' in page
    assert f'data-testid="printed-{plain.id}"' not in page     # a plain letter has no number to record
    url = f"/letters/{engine.letter.id}/registered/"
    # refusals, in Hebrew: no number; posted after today; delivered before posted
    r = client.post(url, {"number": "", "posted": "2026-03-15"})
    assert r.status_code == 400
    r = client.post(url, {"number": "RR123456789IL", "posted": "2026-03-16"})
    assert r.status_code == 400 and "מאוחר מהיום" in r.content.decode()    # next to the posting date
    r = client.post(url, {"number": "RR123456789IL", "posted": "2026-03-15", "delivered": "2026-03-14"})
    assert r.status_code == 400 and "מוקדם מיום המשלוח" in r.content.decode()
    engine.letter.refresh_from_db()
    assert engine.letter.registered_number == ""
    r = client.post(url, {"number": "RR123456789IL", "posted": "2026-03-15", "delivered": "2026-03-15"})
    assert r.status_code == 302
    engine.letter.refresh_from_db()
    assert (engine.letter.registered_number, engine.letter.posted_date, engine.letter.delivered_date) == (
        "RR123456789IL", TODAY, TODAY)
    assert Activity.objects.filter(customer=world.c2, data__event="letter.registered").exists()
    # the case's legal clock reads the days recorded: the warning posted and delivered today
    state = Case.objects.get(customer=world.c2).state
    assert (state.get("warning_sent"), state.get("warning_delivered")) == ("2026-03-15", "2026-03-15")
    # delivered: it leaves the list; an e-mail is not a letter to register
    assert f'data-testid="printed-{engine.letter.id}"' not in client.get("/letters/").content.decode()
    r = client.post(f"/letters/{engine.email.id}/registered/", {"number": "RR1", "posted": "2026-03-15"})
    assert r.status_code == 400 and "עדיין לא הודפס" in r.content.decode()


def test_a_viewer_sees_the_letters_but_prints_nothing(as_viewer, engine):
    page = as_viewer.get("/letters/")
    assert page.status_code == 200 and 'data-testid="print-batch"' not in page.content.decode()
    assert as_viewer.post("/letters/print/").status_code == 403
    assert as_viewer.post(f"/letters/{engine.letter.id}/registered/",
                          {"number": "RR1", "posted": "2026-03-15"}).status_code == 403


def test_nothing_to_print_is_said(as_collector, world):
    r = as_collector.post("/letters/print/", follow=True)
    assert r.status_code == 200 and "לא היה מה להדפיס" in r.content.decode()


# --- the daily run from the web ------------------------------------------------------------------

def test_an_owner_sees_what_the_run_will_do_then_runs_it(client, world):
    client.force_login(world.owner)
    before = OutboxMessage.objects.count()
    r = client.get("/run/")
    assert r.status_code == 200 and 'data-testid="run-summary"' in r.content.decode()
    summary = r.context["s"]
    assert summary["customers"] >= 2 and summary["messages"] >= 1
    assert OutboxMessage.objects.count() == before          # the dry run changed nothing
    r = client.post("/run/go/")
    assert r.status_code == 302 and r["Location"] == "/worklist/"
    assert OutboxMessage.objects.count() - before == summary["messages"]
    client.force_login(world.collector)
    assert client.get("/run/").status_code == 403
    assert client.post("/run/go/").status_code == 403


def test_the_customer_page_links_to_the_new_actions(client, world):
    client.force_login(world.collector)
    page = client.get(f"/customers/{world.c1.id}/").content.decode()
    assert f"/customers/{world.c1.id}/letter/" in page and f"/customers/{world.c1.id}/payment/" in page
    client.force_login(world.viewer)
    page = client.get(f"/customers/{world.c1.id}/").content.decode()
    assert f"/customers/{world.c1.id}/letter/" in page and f"/customers/{world.c1.id}/payment/" not in page


def test_invoice_number_must_be_the_customers(as_collector, world):
    r = _pay(as_collector, world.c1, amount="10", invoice_number="INV-2001")
    assert r.status_code == 400
    assert not Invoice.objects.filter(number="INV-2001", open_minor=0).exists()
    assert not Payment.objects.filter(customer=world.c1, amount_minor=1000).exists()


def test_a_letter_asked_for_by_hand_is_approved_and_composed_like_the_ladders(client, world):
    from gvia.services.context import Ctx
    from gvia.services.engine import approvals
    from gvia.services.letters import on_demand
    from gvia.services.sending.compose import compose_message

    msg = on_demand.request_send(Ctx(world.org_a, world.collector, "collector"), "C001", "second_reminder", "email",
                                 "en")
    client.force_login(world.owner)
    page = client.get(f"/outbox/{msg.id}/")
    assert page.status_code == 200
    assert client.get(f"/outbox/{msg.id}/pdf/").content.startswith(b"%PDF")
    approvals.approve(Ctx(world.org_a, world.owner, "owner"), msg.id)
    msg.refresh_from_db()
    assert msg.status == "queued"
    composed = compose_message(msg, world.org_a, TODAY)
    # to the billing contact, as the ladder's messages go; in the language asked for
    assert composed.email is not None and composed.email.to == ["dana@alon.example"]
    assert composed.email.subject.startswith("Second reminder")
