"""Organizations are sealed on the API too (issue 18, and the security issue's isolation test):
every operation the API serves — walked from its own OpenAPI route list, so a new endpoint that
this test cannot fill fails it — is called with organization A's ``admin`` key against
organization B's objects. An operation naming B's object answers 404; a list answers nothing of
B's (and nothing at all when filtered by B's customer); nothing of B's changes (every row of B's,
in every table, compared before and after)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from gvia.services import clock
from tests.web.test_sealed import b_snapshot

pytestmark = pytest.mark.django_db

# What each path parameter names: the kind of B's object filled in.
PATH_OBJECTS = {"customer_id": "customer", "contact_id": "contact", "invoice_id": "invoice", "payment_id": "payment",
                "case_id": "case", "activity_id": "activity", "promise_id": "promise", "plan_id": "plan",
                "dispute_id": "dispute", "message_id": "message", "key_id": "key"}
# Words only B's objects hold: none may be in an answer to A.
B_MARKERS = ("Secret Corp", "Hidden Customer Ltd", "INV-9001", "SECRET-NOTE-B", "Secret subject B", "TR-BRAVO",
             "b-contact@example.com")


def bodies(b: dict, today) -> dict[str, dict]:
    """The body of every operation that takes one, naming B's objects wherever it names any."""
    later = (today + timedelta(days=10)).isoformat()
    return {
        "PATCH /api/v1/customers/{customer_id}": {"name": "Taken over"},
        "PUT /api/v1/customers/{customer_id}/credit-hold": {"reason": "held by A"},
        # refs are the organization's own: S001 in A's rows is A's (unknown) customer, never B's
        "POST /api/v1/customers/bulk": {"rows": [{"customer_ref": "S001", "customer_name": "Taken over"}]},
        "POST /api/v1/invoices/bulk": {"rows": [{"customer_ref": "S001", "invoice_number": "X-1", "amount": "5",
                                                 "issue_date": "2026-01-01"}]},
        "POST /api/v1/payments/bulk": {"rows": [{"customer_ref": "S001", "date": "2026-03-01", "amount": "5"}]},
        "POST /api/v1/contacts/": {"customer_id": b["customer"], "name": "A's contact"},
        "PUT /api/v1/contacts/{contact_id}": {"name": "renamed by A"},
        "PUT /api/v1/cases/{case_id}/reason": {"reason": "forgot"},
        "POST /api/v1/activities/": {"customer_id": b["customer"], "kind": "note", "text": "A was here"},
        "POST /api/v1/promises/": {"customer_id": b["customer"], "due": later},
        "POST /api/v1/plans/": {"customer_id": b["customer"], "installments": 2, "frequency": "monthly",
                                "first": later},
        "POST /api/v1/plans/{plan_id}/cancel": {"reason": "A"},
        "POST /api/v1/disputes/": {"customer_id": b["customer"], "invoice_numbers": ["X-1"], "reason": "wrong_amount"},
        "POST /api/v1/disputes/{dispute_id}/resolve": {"outcome": "rejected"},
        "POST /api/v1/keys/": {"name": "A's own key"},
    }


@pytest.fixture
def b_objects(world, keys) -> dict:
    from gvia.services.arrangements import disputes, plans, promises
    from gvia.services.context import Ctx
    from gvia.services.engine import activities
    from gvia.store.models import Case, Contact, OutboxMessage, Payment
    from gvia.store.models_api import ApiKey

    ctx = Ctx(world.org_b, world.owner_b, "owner")
    today = clock.org_today(world.org_b)
    s1 = world.s1
    made = plans.create_plan(ctx, s1.ref, 2, "monthly", today + timedelta(days=20))
    plans.cancel_plan(ctx, made.plan.id, "to try the others")
    promise = promises.record_promise(ctx, s1.ref, "1", today + timedelta(days=5), note="SECRET-NOTE-B")
    dispute = disputes.open_dispute(ctx, s1.ref, ["INV-9001"], "wrong_amount", note="SECRET-NOTE-B")
    activity = activities.add(ctx, s1.ref, "note", "SECRET-NOTE-B")
    contact = Contact.objects.create(customer=s1, name="SECRET-NOTE-B contact", email="b-contact@example.com")
    payment = Payment.objects.create(organization=world.org_b, customer=s1, date=today, amount_minor=100,
                                     currency="GBP", import_key="b-1", reference="TR-BRAVO")
    case, _ = Case.objects.get_or_create(organization=world.org_b, customer=s1)
    message = OutboxMessage.objects.create(organization=world.org_b, customer=s1, idempotency_key="b-msg",
                                           channel="email", document="reminder", status="sent", planned_for=today,
                                           subject="Secret subject B", to_addrs=["hidden@secret.example"])
    return {"customer": s1.id, "invoice": world.inv_9001.id, "contact": contact.id, "payment": payment.id,
            "case": case.id, "activity": activity.id, "promise": promise.id, "plan": made.plan.id,
            "dispute": dispute.id, "message": message.id,
            "key": ApiKey.objects.get(organization=world.org_b).id}


def operations(api_client) -> list[tuple[str, str, bool]]:
    """(method, path template, takes a body) of every operation, from the API's own OpenAPI document."""
    schema = api_client("get", "/openapi.json", None).body
    return [(method.upper(), path, "requestBody" in op) for path, item in schema["paths"].items()
            for method, op in item.items() if method in ("get", "post", "put", "patch", "delete")]


def test_every_operation_with_one_organizations_key_reaches_nothing_of_anothers(api, world, keys, b_objects):
    before = b_snapshot(world.org_b)
    today = clock.org_today(world.org_a)
    body_of = bodies(b_objects, today)
    ops = operations(api)
    assert len(ops) >= 30
    unfilled, leaks = [], []
    for method, path, takes_body in ops:
        names = [p.strip("{}").split(":")[-1] for p in path.split("/") if p.startswith("{")]
        if any(n not in PATH_OBJECTS for n in names):
            unfilled.append(f"{method} {path}: {names}")
            continue
        url = path
        for n in names:
            url = url.replace("{" + n + "}", str(b_objects[PATH_OBJECTS[n]]))
        body = body_of.get(f"{method} {path}")
        if takes_body and body is None:
            unfilled.append(f"{method} {path}: no body")
            continue
        urls = [url]
        if method == "GET" and not names:
            urls.append(url + f"?customer_id={b_objects['customer']}")
        for u in urls:
            r = api(method, u.removeprefix("/api/v1"), keys.admin, body)
            text = r.content.decode()
            shown = [m for m in B_MARKERS if m in text]
            if shown:
                leaks.append(f"{method} {u}: shows {shown}")
            if r.status_code >= 500:
                leaks.append(f"{method} {u}: {r.status_code}")
            if names and r.status_code != 404:
                leaks.append(f"{method} {u}: {r.status_code} {text[:200]}")
            if method == "GET" and not names:
                assert r.status_code == 200, (u, text)
                items = r.body.get("items", r.body.get("customers"))
                if "customer_id=" in u and "customer_id" in json.dumps(
                        api("get", "/openapi.json", None).body["paths"][path]["get"].get("parameters", [])):
                    assert items == [], (u, items)
                for item in items:
                    if item.get("customer_id") == b_objects["customer"] or (
                            path == "/api/v1/customers/" and item["id"] == b_objects["customer"]):
                        leaks.append(f"{method} {u}: lists B's {item}")
    assert not unfilled, "operations this test cannot fill (add them to PATH_OBJECTS or bodies): " + "; ".join(unfilled)
    assert not leaks, "\n".join(leaks)
    assert b_snapshot(world.org_b) == before
