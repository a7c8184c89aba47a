"""Webhooks over the database and a real HTTP receiver on loopback (issue 18): one event per fact,
written with the fact; signed deliveries; tries again with backoff until a 2xx; given up after the
last try and tried again on request; an endpoint that is down costs one try a round; organizations
sealed from each other."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction

from gvia.core import webhooks as rules
from gvia.core.errors import NotFoundFor, RefusedFor, ValidationFailed
from gvia.services.arrangements import disputes, promises
from gvia.services.context import resolve
from gvia.services.engine import daily_run
from gvia.services.org.organizations import init_organization
from gvia.services.webhooks import delivery, endpoints, events
from gvia.store.models import AuditRecord
from gvia.store.models_webhooks import WebhookDelivery, WebhookEndpoint, WebhookEvent

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)


class Receiver:
    """An HTTP server on loopback that keeps what it is sent and answers the statuses it is told."""

    def __init__(self) -> None:
        self.got: list[tuple[dict[str, str], bytes]] = []
        self.paths: list[str] = []
        self.answers: list[int] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 — http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.got.append(({k: v for k, v in self.headers.items()}, body))
                outer.paths.append(self.path)
                self.send_response(outer.answers.pop(0) if outer.answers else 204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/gvia?src=test"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def owing(books):
    c = books.customer("C1", "אלון בע\"מ", email="pay@alon.co.il")
    books.invoice(c, "1001", "5000.00", date(2026, 10, 1))
    books.invoice(c, "1002", "700.00", date(2026, 11, 1))
    return c


def test_a_promise_is_told_once_signed_and_the_receiver_can_check_it(ctx, owing, receiver):
    endpoint, secret = endpoints.add_endpoint(ctx, receiver.url, ["payment.promised"], now=NOW)
    assert secret.startswith("whsec_") and secret not in endpoint.sealed_secret
    promise = promises.record_promise(ctx, "C1", "1500", date(2026, 12, 20), now=NOW)
    report = delivery.deliver_due(NOW)
    assert (report.delivered, report.retrying, report.given_up) == (1, 0, 0)
    [(headers, body)] = receiver.got
    assert rules.verify(secret, headers["Gvia-Signature"], body, now=int(NOW.timestamp()))
    event = json.loads(body)
    assert headers["Gvia-Event-Id"] == event["id"] and headers["Gvia-Event-Type"] == "payment.promised"
    assert event["type"] == "payment.promised"
    assert event["data"] == {"customer": {"ref": "C1", "name": "אלון בע\"מ"}, "promise": promise.id,
                             "amount": "1500.00", "currency": "ILS", "due": "2026-12-20", "source": "manual",
                             "replaces": []}
    # delivered: nothing more to send; the log says so
    assert delivery.deliver_due(NOW + timedelta(hours=1)).tried == 0
    [logged] = endpoints.delivery_log(ctx)
    assert (logged["status"], logged["attempts"], logged["last_status"], logged["event"]) == (
        "delivered", 1, 204, "payment.promised")
    # a dispute is not a kind this endpoint wants
    disputes.open_dispute(ctx, "C1", ["1002"], "wrong_amount", now=NOW)
    assert WebhookEvent.objects.count() == 1


def test_one_fact_one_event_and_nothing_without_a_listener(ctx, owing, receiver):
    assert events.emit(ctx.org, "dispute.opened", "dispute:1", {}) is None         # nobody listens yet
    assert WebhookEvent.objects.count() == 0
    endpoints.add_endpoint(ctx, receiver.url, now=NOW)                               # every kind
    endpoints.add_endpoint(ctx, receiver.url.replace("/hooks/", "/other/"), ["dispute.opened"], now=NOW)
    first = events.emit(ctx.org, "dispute.opened", "dispute:1", {"dispute": 1}, NOW)
    again = events.emit(ctx.org, "dispute.opened", "dispute:1", {"dispute": 1}, NOW)
    assert first is not None and again is not None and first.event_id == again.event_id
    assert WebhookEvent.objects.count() == 1 and WebhookDelivery.objects.count() == 2
    delivery.deliver_due(NOW)
    assert sorted(h["Gvia-Event-Id"] for h, _ in receiver.got) == [str(first.event_id)] * 2


def test_an_event_is_written_with_its_fact_and_rolled_back_with_it(ctx, owing, receiver):
    endpoints.add_endpoint(ctx, receiver.url, now=NOW)
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            disputes.open_dispute(ctx, "C1", ["1001"], "wrong_amount", now=NOW)
            raise RuntimeError("the fact does not happen after all")
    assert WebhookEvent.objects.count() == 0
    d = disputes.open_dispute(ctx, "C1", ["1001"], "wrong_amount", now=NOW)
    [event] = WebhookEvent.objects.all()
    assert (event.kind, event.fact, event.payload["invoices"], event.payload["reason"]) == (
        "dispute.opened", f"dispute:{d.id}", ["1001"], "wrong_amount")


def test_a_failed_try_waits_and_is_tried_again(ctx, owing, receiver):
    endpoints.add_endpoint(ctx, receiver.url, now=NOW)
    receiver.answers = [500, 302]
    promises.record_promise(ctx, "C1", None, date(2026, 12, 20), now=NOW)
    assert delivery.deliver_due(NOW).retrying == 1
    d = WebhookDelivery.objects.get()
    assert (d.status, d.attempts, d.last_status, d.last_error, d.next_attempt_at) == (
        "pending", 1, 500, "http_status", NOW + timedelta(minutes=1))
    assert delivery.deliver_due(NOW + timedelta(seconds=59)).tried == 0             # not yet
    assert delivery.deliver_due(NOW + timedelta(minutes=1)).retrying == 1           # a redirect is a failure
    assert delivery.deliver_due(NOW + timedelta(minutes=6)).delivered == 1
    bodies = {b for _, b in receiver.got}
    assert len(receiver.got) == 3 and len(bodies) == 1                             # the same bytes every try
    d.refresh_from_db()
    assert (d.status, d.attempts) == ("delivered", 3)


def test_given_up_after_the_last_try_then_retried_on_request(ctx, owing):
    endpoints.add_endpoint(ctx, "https://hooks.example.com/gvia", now=NOW)
    promises.record_promise(ctx, "C1", "100", date(2026, 12, 20), now=NOW)
    tries = []

    def refused(url, body, headers):
        tries.append(url)
        return None, "no_answer"

    at = NOW
    for _ in range(rules.MAX_ATTEMPTS):
        delivery.deliver_due(at, post=refused)
        at += timedelta(days=2)
    d = WebhookDelivery.objects.get()
    assert (d.status, d.attempts, d.last_error, len(tries)) == ("failed", rules.MAX_ATTEMPTS, "no_answer", 10)
    assert delivery.deliver_due(at, post=refused).tried == 0
    endpoints.retry(ctx, d.id, now=at)
    assert delivery.deliver_due(at, post=lambda u, b, h: (200, "")).delivered == 1
    with pytest.raises(RefusedFor) as err:
        endpoints.retry(ctx, d.id, now=at)
    assert err.value.code == "webhook_delivery_not_failed"


def test_a_receiver_that_is_down_costs_one_try_a_round(ctx, owing):
    endpoints.add_endpoint(ctx, "http://127.0.0.1:9/gvia", now=NOW)                 # nothing listens on port 9
    promises.record_promise(ctx, "C1", "100", date(2026, 12, 20), now=NOW)
    disputes.open_dispute(ctx, "C1", ["1001"], "wrong_amount", now=NOW)
    report = delivery.deliver_due(NOW)
    assert report.tried == 1
    assert sorted(WebhookDelivery.objects.values_list("attempts", flat=True)) == [0, 1]


def test_the_daily_run_tells_each_stage_change_once(ctx, owing, receiver):
    endpoints.add_endpoint(ctx, receiver.url, ["stage.changed"], now=NOW)
    daily_run.run(ctx, NOW)
    daily_run.run(ctx, NOW)                                                         # the same day again: no change
    stage_events = list(WebhookEvent.objects.filter(kind="stage.changed"))
    assert len(stage_events) == 1
    data = stage_events[0].payload
    assert data["customer"] == {"ref": "C1", "name": "אלון בע\"מ"} and data["stage"] and data["cycle"] == 1
    assert stage_events[0].fact == f"stage:{owing.id}:1:{data['stage']}"


def test_addresses_and_kinds_are_checked_and_only_owners_add(ctx, receiver):
    with pytest.raises(ValidationFailed) as err:
        endpoints.add_endpoint(ctx, "http://hooks.example.com/x", ["payment.promised", "invoice.paid"])
    assert [p.code for p in err.value.problems] == ["webhook_url_https", "webhook_kind_unknown"]
    with pytest.raises(ValidationFailed):
        endpoints.add_endpoint(ctx, "ftp://hooks.example.com/x")
    assert WebhookEndpoint.objects.count() == 0
    collector = ctx.__class__(ctx.org, ctx.user, "collector")
    with pytest.raises(RefusedFor) as refused:
        endpoints.add_endpoint(collector, receiver.url)
    assert refused.value.code == "role_needed"
    endpoint, _ = endpoints.add_endpoint(ctx, receiver.url)
    assert AuditRecord.objects.filter(action="webhook.add", object_id=str(endpoint.id)).exists()


def test_organizations_are_sealed(ctx, owing, receiver):
    mine, _ = endpoints.add_endpoint(ctx, receiver.url, now=NOW)
    init_organization("Other Ltd", country="IL", admin_email="owner@other.co.il", admin_password="Gvia-test-2026!")
    other = resolve("other-ltd", "owner@other.co.il")
    theirs, _ = endpoints.add_endpoint(other, receiver.url.replace("/hooks/", "/theirs/"), now=NOW)
    promises.record_promise(ctx, "C1", "100", date(2026, 12, 20), now=NOW)
    delivery.deliver_due(NOW)
    assert receiver.paths == ["/hooks/gvia?src=test"]                                # mine only
    assert WebhookDelivery.objects.filter(endpoint=theirs).count() == 0
    assert [r["id"] for r in endpoints.list_endpoints(other)] == [theirs.id]
    assert endpoints.delivery_log(other) == []
    with pytest.raises(NotFoundFor):
        endpoints.remove_endpoint(other, mine.id)
    d = WebhookDelivery.objects.get(endpoint=mine)
    with pytest.raises(NotFoundFor):
        endpoints.retry(other, d.id)
    endpoints.remove_endpoint(ctx, mine.id)
    with pytest.raises(RefusedFor):
        endpoints.remove_endpoint(ctx, mine.id)
