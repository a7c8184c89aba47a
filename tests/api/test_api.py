"""The REST API's behaviour (issue 18): keys and scopes, errors as codes, paging and filters, the
bulk upserts' all-or-nothing rule with the row and field of each problem, and that each write goes
through the service the pages and the commands use (its checks, its audit)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gvia.services import apikeys, clock
from gvia.services.context import Ctx
from gvia.store.models import AuditRecord, Customer, Invoice, Payment
from gvia.store.models_api import ApiKey

pytestmark = pytest.mark.django_db


# --- keys ------------------------------------------------------------------------------------

def test_a_key_is_shown_once_and_stored_only_as_its_digest(world):
    made = apikeys.create_key(Ctx(world.org_a, world.owner, "owner"), "sync", "write")
    row = ApiKey.objects.get(id=made.row.id)
    assert made.key.startswith(f"gvia_{row.prefix}_") and len(made.key) > 40
    assert made.key not in repr(list(ApiKey.objects.values()))          # the key itself is nowhere
    assert row.digest == apikeys.digest_of(made.key)
    assert AuditRecord.objects.filter(action="api_key.created", object_id=str(row.id)).exists()


def test_only_an_owner_makes_keys_and_a_scope_is_one_of_three(world):
    with pytest.raises(Exception) as refused:
        apikeys.create_key(Ctx(world.org_a, world.collector, "collector"), "x", "read")
    assert refused.value.code == "role_needed"
    with pytest.raises(Exception) as bad:
        apikeys.create_key(Ctx(world.org_a, world.owner, "owner"), "x", "superuser")
    assert [p.code for p in bad.value.problems] == ["one_of"]
    with pytest.raises(Exception) as unnamed:
        apikeys.create_key(Ctx(world.org_a, world.owner, "owner"), "  ", "read")
    assert [p.code for p in unnamed.value.problems] == ["api_key_needs_name"]


def test_no_key_a_wrong_key_and_a_revoked_key_are_401_without_saying_which(api, world, keys):
    for key in (None, "gvia_nope_nope", keys.read[:-1] + ("A" if keys.read[-1] != "A" else "B"), "Bearer"):
        r = api("get", "/customers/", key)
        assert r.status_code == 401 and r.body == {"code": "api_key_needed", "params": {}}
    ctx = Ctx(world.org_a, world.owner, "owner")
    prefix = keys.read.split("_")[1]
    assert api("get", "/customers/", keys.read).status_code == 200
    apikeys.revoke_key(ctx, prefix)
    assert api("get", "/customers/", keys.read).status_code == 401
    assert ApiKey.objects.get(prefix=prefix).revoked_by == "owner@a.test"


def test_scopes_read_write_admin_each_include_the_ones_before(api, world, keys):
    change = {"reason": "talk first"}
    path = f"/customers/{world.c1.id}/credit-hold"
    r = api("put", path, keys.read, change)
    assert r.status_code == 403 and r.body == {"code": "api_scope_needed",
                                               "params": {"scope": "write", "has_scope": "read"}}
    assert api("get", "/keys/", keys.write).body["code"] == "api_scope_needed"
    assert api("put", path, keys.write, change).status_code == 200
    listed = api("get", "/keys/", keys.admin)
    assert listed.status_code == 200 and {k["name"] for k in listed.body["items"]} == {"reader", "writer", "admin"}
    assert all("key" not in k and "digest" not in k for k in listed.body["items"])


def test_a_keys_actions_are_audited_as_the_key(api, world, keys):
    api("put", f"/customers/{world.c1.id}/credit-hold", keys.write, {"reason": "talk first"})
    record = AuditRecord.objects.filter(organization=world.org_a, action="customer.credit_hold").latest("id")
    assert record.actor == f"api key {keys.write.split('_')[1]}"


def test_an_admin_key_makes_and_revokes_keys_through_the_api(api, keys):
    made = api("post", "/keys/", keys.admin, {"name": "bank sync", "scope": "write"})
    assert made.status_code == 201 and made.body["key"].startswith("gvia_") and made.body["scope"] == "write"
    assert api("get", "/customers/", made.body["key"]).status_code == 200
    assert api("delete", f"/keys/{made.body['id']}", keys.admin).body["revoked_at"]
    assert api("get", "/customers/", made.body["key"]).status_code == 401


# --- errors, paging, filters -----------------------------------------------------------------

def test_errors_are_codes_and_values_never_sentences(api, world, keys):
    r = api("get", "/customers/999999", keys.read)
    assert r.status_code == 404 and r.body == {"code": "no_customer", "params": {"id": 999999}}
    r = api("get", "/customers/?limit=0", keys.read)
    assert r.status_code == 422 and r.body["code"] == "request_invalid"
    assert r.body["problems"] == [{"row": None, "field": "query.limit", "value": "", "code": "greater_than_equal",
                                   "params": {"ge": 1}}]
    r = api("post", "/promises/", keys.write, {"customer_id": world.c1.id,
                                               "due": (clock.org_today(world.org_a) - timedelta(days=3)).isoformat()})
    assert r.status_code in (400, 409) and r.body["code"] and "detail" not in r.body
    r = api("get", f"/customers/{2**63}", keys.read)                   # beyond any id: refused, not a crash
    assert r.status_code == 422


def test_a_body_too_large_is_refused_before_it_is_read(api, keys):
    from gvia.api.common import MAX_BODY_BYTES

    r = api("post", "/payments/bulk", keys.write, {"rows": []}, CONTENT_LENGTH=str(MAX_BODY_BYTES + 1))
    assert r.status_code == 413 and r.body["code"] == "api_body_too_large"


def test_lists_are_paged_by_id_and_filtered(api, world, keys):
    first = api("get", "/invoices/?limit=2", keys.read).body
    assert [i["number"] for i in first["items"]] == ["INV-1001", "INV-1002"] and first["next_after"]
    rest = api("get", f"/invoices/?limit=2&after={first['next_after']}", keys.read).body
    assert [i["number"] for i in rest["items"]] == ["INV-2001", "INV-3001"] and rest["next_after"] is None
    assert [i["number"] for i in api("get", "/invoices/?open=false", keys.read).body["items"]] == ["INV-3001"]
    assert [i["number"] for i in api("get", f"/invoices/?customer_id={world.c2.id}", keys.read).body["items"]] \
        == ["INV-2001"]
    one = api("get", f"/invoices/{world.inv_1001.id}", keys.read).body
    assert one["amount"] == {"amount": "1000.00", "currency": "ILS"} and one["open"]["amount"] == "700.00"
    assert [c["ref"] for c in api("get", "/customers/?overdue=true", keys.read).body["items"]] == ["C001", "C002"]
    assert [c["ref"] for c in api("get", "/customers/?ref=C003", keys.read).body["items"]] == ["C003"]


# --- bulk upserts ----------------------------------------------------------------------------

def test_a_bulk_with_one_bad_row_changes_nothing_and_names_the_row_and_field(api, world, keys):
    before = Payment.objects.filter(organization=world.org_a).count()
    rows = [{"customer_ref": "C002", "date": "2026-03-01", "amount": "100", "currency": "USD", "reference": "W-1"},
            {"customer_ref": "C001", "date": "2026-03-02", "amount": "12,5,0", "reference": "W-2"},
            {"customer_ref": "C404", "date": "2026-03-02", "amount": "10", "reference": "W-3"}]
    r = api("post", "/payments/bulk", keys.write, {"rows": rows})
    assert r.status_code == 400
    assert {(p["row"], p["field"]) for p in r.body["problems"]} >= {(1, "amount")}
    assert all(p["code"] for p in r.body["problems"])
    assert Payment.objects.filter(organization=world.org_a).count() == before


def test_a_bulk_of_payments_is_the_import_counted_once_and_closes_invoices(api, world, keys):
    rows = [{"customer_ref": "C001", "date": "2026-03-05", "amount": "700", "reference": "BANK-9",
             "invoice_number": "INV-1001"}]
    r = api("post", "/payments/bulk", keys.write, {"rows": rows})
    assert r.status_code == 200 and r.body["created"] == 1 and r.body["rows"] == 1
    assert Invoice.objects.get(id=world.inv_1001.id).open_minor == 0          # the ledger recomputed
    again = api("post", "/payments/bulk", keys.write, {"rows": rows}).body
    assert again["created"] == 0 and again["unchanged"] == 1                   # the same payment once
    assert Payment.objects.filter(organization=world.org_a, reference="BANK-9").count() == 1


def test_a_dry_run_counts_and_writes_nothing(api, world, keys):
    rows = [{"customer_ref": "C900", "customer_name": "Delta Ltd"}, {"customer_ref": "C001", "customer_name": "Alon"}]
    r = api("post", "/customers/bulk", keys.write, {"rows": rows, "dry_run": True})
    assert r.status_code == 200 and r.body["dry_run"] and r.body["created"] == 1
    assert not Customer.objects.filter(organization=world.org_a, ref="C900").exists()
    assert api("post", "/customers/bulk", keys.write, {"rows": rows}).body["created"] == 1
    assert Customer.objects.filter(organization=world.org_a, ref="C900").exists()


def test_a_bulk_of_invoices_and_a_tab_in_a_value_is_refused_by_its_shape(api, world, keys):
    row = {"customer_ref": "C002", "invoice_number": "INV-2002", "amount": "50.00", "currency": "USD",
           "issue_date": "2026-03-01", "due_date": "2026-04-01"}
    assert api("post", "/invoices/bulk", keys.write, {"rows": [row]}).body["created"] == 1
    r = api("post", "/invoices/bulk", keys.write, {"rows": [{**row, "description": "a\tb"}]})
    assert r.status_code == 422 and r.body["problems"][0]["field"] == "body.body.rows.0.description"


# --- the rest goes through the services ------------------------------------------------------

def test_credit_hold_and_signals_are_on_the_customer(api, world, keys):
    held = api("put", f"/customers/{world.c1.id}/credit-hold", keys.write, {"reason": "60 days late"}).body
    assert held["credit_hold"]["reason"] == "60 days late" and held["credit_hold"]["since"]
    assert api("get", f"/customers/{world.c1.id}", keys.read).body["credit_hold"]["reason"] == "60 days late"
    assert [c["ref"] for c in api("get", "/customers/?credit_hold=true", keys.read).body["items"]] == ["C001"]
    assert api("delete", f"/customers/{world.c1.id}/credit-hold", keys.write).body["credit_hold"] is None
    refused = api("delete", f"/customers/{world.c1.id}/credit-hold", keys.write)
    assert refused.status_code == 409 and refused.body["code"] == "credit_hold_not_set"
    risk = api("get", f"/customers/{world.c1.id}/signals", keys.read).body
    assert risk["ref"] == "C001" and 0 <= risk["score"] <= 100 and isinstance(risk["signals"], list)


def test_a_promise_a_contact_a_note_and_a_dispute_through_their_services(api, world, keys):
    due = (clock.org_today(world.org_a) + timedelta(days=7)).isoformat()
    promise = api("post", "/promises/", keys.write, {"customer_id": world.c1.id, "amount": "200", "due": due})
    assert promise.status_code == 201 and promise.body["amount"] == {"amount": "200.00", "currency": "ILS"}
    over = api("post", "/promises/", keys.write, {"customer_id": world.c1.id, "amount": "200", "due": due})
    assert over.body["code"] == "promise_already_open"
    assert api("post", f"/promises/{promise.body['id']}/cancel", keys.write).body["status"] == "cancelled"
    contact = api("post", "/contacts/", keys.write, {"customer_id": world.c2.id, "name": "Ann", "email": "not mail"})
    assert contact.status_code == 400 and contact.body["problems"][0]["code"] == "contact_email"
    contact = api("post", "/contacts/", keys.write, {"customer_id": world.c2.id, "name": "Ann",
                                                     "email": "ann@beta.example"})
    assert contact.status_code == 201
    assert api("delete", f"/contacts/{contact.body['id']}", keys.write).status_code == 204
    note = api("post", "/activities/", keys.write, {"customer_id": world.c2.id, "kind": "note", "text": "called"})
    assert note.status_code == 201 and note.body["text"] == "called"
    dispute = api("post", "/disputes/", keys.write, {"customer_id": world.c2.id, "invoice_numbers": ["INV-2001"],
                                                     "reason": "wrong_amount"})
    assert dispute.status_code == 201 and dispute.body["invoice_ids"] == [world.inv_2001.id]
    assert api("get", f"/disputes/?customer_id={world.c2.id}", keys.read).body["items"][0]["status"] == "open"


def test_an_address_that_is_no_operation_is_the_apis_404(api, keys):
    for path in ("/customers/abc", "/nothing-here", "/../v2/customers/"):
        r = api("get", path, keys.read)
        assert r.status_code == 404 and r.body == {"code": "not_found", "params": {}}, path
