"""Organizations are sealed (issue 14, finding 1): no role of organization A reaches organization
B's data by any URL the application serves, the Django admin included.

The test walks the whole URL configuration (``get_resolver()``), and every model the admin
registers. Each pattern's keyword arguments are filled from :data:`KWARGS` — which kind of object
(or value) each one names — with the ids of B's objects (and, where a URL names a container and an
item, A's container with B's item), then every pattern is asked for with GET and POST as A's
owner, collector and viewer. No answer may be a 200 for a URL naming B's object, no answer may
show B's names, and nothing of B's may change. A pattern whose keyword arguments have no entry
in :data:`KWARGS` fails the test: a new page cannot be forgotten.
"""

from __future__ import annotations

import itertools
import re
from datetime import timedelta
from email.message import EmailMessage

import pytest
from django.apps import apps
from django.contrib.admin.sites import all_sites
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver

from gvia.core.message_log import from_text
from gvia.store.models import (
    Contact,
    Customer,
    Document,
    ImportRun,
    Membership,
    OutboxMessage,
    Payment,
    PaymentPlan,
)
from gvia.store.models_portal_requests import PortalRequest

from .conftest import PASSWORD, TODAY

pytestmark = pytest.mark.django_db

# Words only B's objects hold (see make_world and b_objects): none may appear in an answer to A.
B_MARKERS = ("Secret Corp", "Hidden Customer Ltd", "INV-9001", "owner@b.test", "SECRET-NOTE-B", "secret-b.pdf",
             "Secret subject B", "bravo-preset", "bravo-import.csv", "TR-BRAVO")

# What each keyword argument of each URL names. An object kind is filled with A's or B's object of
# that kind (at least one of B's); anything else is a fixed value. "public" marks pages anyone
# may open (a password-reset link): they may answer 200, but never with B's data.
KWARGS: dict[str, dict[str, str | tuple]] = {
    "customer_detail": {"pk": "customer"},
    "customer_statement": {"pk": "customer"},
    "customer_action": {"pk": "customer", "name": ("note", "plan", "casefile")},
    "document_upload": {"pk": "customer"},
    # the customer's page: public, its signed token decides whose page opens; tokens that are no
    # link's (B's own token and one of A's signed over B's are tried in tests/portal/test_page.py)
    "portal_page": {"token": ("not-a-token", "forged.signature")},
    "portal_statement": {"token": ("not-a-token", "forged.signature")},
    "portal_answer": {"token": ("not-a-token", "forged.signature"), "action": ("tell", "dispute")},
    "portal_pay": {"token": ("not-a-token", "forged.signature")},
    "portal_paid": {"token": ("not-a-token", "forged.signature")},
    "document_download": {"pk": "document"},
    "invoice_detail": {"pk": "invoice"},
    "invoice_allocation": {"pk": "invoice"},
    "call_log": {"pk": "customer"},
    "case_promise": {"pk": "customer"},
    "case_plan": {"pk": "customer"},
    "plan_cancel": {"pk": "customer", "plan_id": "plan"},
    "case_settlement": {"pk": "customer"},
    "settlement_decide": {"pk": "customer", "item": "settlement", "decision": ("approve", "reject")},
    "portal_request_decide": {"pk": "customer", "item": "portal_request", "decision": ("approve", "reject")},
    "agreement_pdf": [{"pk": "customer", "document": ("payment_plan",), "item": "plan"},
                      {"pk": "customer", "document": ("settlement",), "item": "settlement"}],
    "case_dispute": {"pk": "customer"},
    "dispute_resolve": {"pk": "customer", "item": "dispute"},
    "case_pause": {"pk": "customer"},
    "pause_lift": {"pk": "customer", "item": "pause"},
    "case_note": {"pk": "customer"},
    "case_reason": {"pk": "customer"},
    "case_credit_hold": {"pk": "customer"},
    "case_details": {"pk": "customer"},
    "send_now": {"pk": "customer"},
    "statement_pdf": {"pk": "customer"},
    "case_casefile": {"pk": "customer"},
    "case_legal": {"pk": "customer"},
    "case_filing_pack": {"pk": "customer"},
    "case_legal_creditor": {"pk": "customer"},
    "case_after_rejection": {"pk": "customer"},
    "record_payment": {"pk": "customer"},
    "cheque_bounce": {"pk": "customer", "payment": "payment"},
    "match_confirm": {"pk": "bank_match"},
    "match_reject": {"pk": "bank_match"},
    "match_undo": {"pk": "bank_match"},
    "line_assign": {"pk": "bank_line"},
    "case_letter": {"pk": "customer"},
    "case_letter_pdf": {"pk": "customer"},
    "case_letter_send": {"pk": "customer"},
    "letter_registered": {"pk": "message"},
    "customer_contacts": {"pk": "customer"},
    "contact_change": {"pk": "customer", "contact": "contact"},
    "contact_remove": {"pk": "customer", "contact": "contact"},
    "approval_preview": {"pk": "message"},
    "message_detail": {"pk": "message"},
    "message_pdf": {"pk": "message"},
    "message_received": {"pk": "message"},
    "message_approve": {"pk": "message"},
    "message_reject": {"pk": "message"},
    "message_free_text": {"pk": "message"},
    "message_resolve": {"pk": "message"},
    "import_map": {"token": "import_token"},
    "member_role": {"pk": "membership"},
    "member_remove": {"pk": "membership"},
    "member_unlock": {"pk": "membership"},
    "mailbox_message": {"name": "caught_mail"},
    "mailbox_attachment": {"name": "caught_mail", "index": ("0",)},
    "password_reset_confirm": {"uidb64": "public:uid", "token": ("set-password", "bad-token")},
    # a gateway's notification address: public; a token that is no organization's (B's own is
    # tried in tests/gateways/test_notify_web.py, where a forged notice changes nothing of B's)
    "gateway_notify": {"name": ("stripe", "grow"), "token": ("no-such-token",)},
    # SMS and WhatsApp providers' callbacks: public, signed with the organization's secret; an
    # organization that is none (B's own, forged, is refused in tests/texts/test_text_hooks.py)
    "text_hook": {"provider": ("twilio", "whatsapp"), "org": ("no-such-org",)},
}
# The REST API (issue 18): a signed-in session is no API key, so every operation answers 401 here;
# tests/api/test_isolation.py calls each one with another organization's key.
KWARGS.update({f"api-v1:{name}": spec for name, spec in {
    "get_customer": {"customer_id": "customer"}, "change_customer": {"customer_id": "customer"},
    "set_credit_hold": {"customer_id": "customer"}, "lift_credit_hold": {"customer_id": "customer"},
    "customer_signals": {"customer_id": "customer"}, "get_contact": {"contact_id": "contact"},
    "change_contact": {"contact_id": "contact"}, "remove_contact": {"contact_id": "contact"},
    "get_invoice": {"invoice_id": "invoice"}, "get_payment": {"payment_id": "payment"},
    "get_case": {"case_id": ("1",)}, "set_reason": {"case_id": ("1",)}, "get_activity": {"activity_id": ("1",)},
    "get_promise": {"promise_id": ("1",)}, "cancel_promise": {"promise_id": ("1",)}, "get_plan": {"plan_id": "plan"},
    "cancel_plan": {"plan_id": "plan"}, "get_dispute": {"dispute_id": "dispute"},
    "resolve_dispute": {"dispute_id": "dispute"}, "get_message": {"message_id": "message"},
    "revoke_key": {"key_id": ("1",)},
}.items()})
# The admin's own keyword arguments; object_id is the object of the model the URL is about.
ADMIN_KWARGS = {
    "app_label": ("gvia", "auth"),
    "url": "admin_path",
    "content_type_id": "content_type",
    "object_id": "admin_object",
    "id": "admin_object",            # a user's password form
}
# Extra POST fields that name B's objects in the body rather than in the URL.
POST_DATA = {
    "switch_org": lambda objs: {"org": objs["B"]["org"].id},
    "document_upload": lambda objs: {"kind": "agreement", "invoice": objs["B"]["invoice"].id},
    "call_log": lambda objs: {"outcome": "no_answer", "at": "2026-03-15T10:00"},
    "case_note": lambda objs: {"text": "hello", "kind": "note"},
    "case_reason": lambda objs: {"reason": "refuses", "note": "Hidden"},
    "case_credit_hold": lambda objs: {"reason": "Hidden hold"},
    "record_payment": lambda objs: {"amount": "10", "currency": objs["B"]["invoice"].currency, "date": "2026-03-15",
                                    "method": "transfer", "invoice_number": objs["B"]["invoice"].number},
    "case_letter_send": lambda objs: {"document": "reminder", "language": "en", "channel": "email"},
    "letter_registered": lambda objs: {"number": "RR1", "posted": "2026-03-15"},
    "customer_contacts": lambda objs: {"name": "x"},
    "contact_change": lambda objs: {"name": "x", "email": "x@example.com"},
}


def walk(patterns, prefix: str = "", namespace: str = ""):
    """Every URL pattern of the configuration: (route, name or None, pattern)."""
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        else:
            assert isinstance(p, URLPattern)
            yield prefix + str(p.pattern), (namespace + p.name) if p.name else None, p


REGEX_GROUP = r"\(\?P<(\w+)>[^)]*\)"     # re_path's (?P<name>...)
ROUTE_PART = r"<(?:\w+:)?(\w+)>"           # path's <converter:name>


def kwarg_names(route: str) -> list[str]:
    return re.findall(REGEX_GROUP, route) + re.findall(ROUTE_PART, re.sub(REGEX_GROUP, "", route))


def build(route: str, values: dict[str, str]) -> str:
    url = re.sub(REGEX_GROUP, lambda m: "\0" + m.group(1) + "\0", route)
    url = re.sub(ROUTE_PART, lambda m: str(values[m.group(1)]), url)
    url = re.sub(r"\0(\w+)\0", lambda m: str(values[m.group(1)]), url)
    return "/" + url.replace("^", "").replace("$", "").replace("\\", "")


# --- the two organizations' objects -----------------------------------------------------------

def objects_of(org, customer, invoice, owner, note: str, file_name: str, subject: str, settings) -> dict:
    from gvia.services import files
    from gvia.services.arrangements import disputes, plans, settlements
    from gvia.services.context import Ctx
    from gvia.services.engine import activities, pauses
    from gvia.services.ledger.imports import save_preset
    from gvia.services.sending.mailconfig import mail_from

    ctx = Ctx(org, owner, "owner")
    plan = plans.create_plan(ctx, customer.ref, 2, "monthly", TODAY + timedelta(days=20))
    plan = PaymentPlan.objects.filter(customer=customer).latest("id")
    plans.cancel_plan(ctx, plan.id, "to offer a settlement")    # one arrangement at a time
    settlement = settlements.offer_settlement(ctx, customer.ref, "100", TODAY + timedelta(days=10))
    dispute = disputes.open_dispute(ctx, customer.ref, [invoice.number], "wrong_amount", note=note)
    pause = pauses.pause(ctx, customer.ref, TODAY + timedelta(days=5), note)
    activities.add(ctx, customer.ref, "note", note)
    doc = files.upload_document(ctx, customer, "agreement", b"%PDF-1.4 " + note.encode(), file_name)
    msg = OutboxMessage.objects.create(
        organization=org, customer=customer, idempotency_key=f"test:{org.id}", channel="email",
        document="reminder", status=OutboxMessage.Status.UNCERTAIN, planned_for=TODAY, subject=subject,
        to_addrs=[customer.email or "x@example.com"], log=from_text(note))
    preset = save_preset(ctx, "invoices", "bravo-preset" if "B" in note else "alpha-preset",
                         {"invoice_number": "Number"}, None)
    run = ImportRun.objects.create(organization=org, kind="invoices", user=owner, at=msg.created_at,
                                   file_name="bravo-import.csv" if "B" in note else "alpha-import.csv", sha256="0" * 64)
    # a caught e-mail of this organization's message, with an attachment
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = mail_from(org), "x@example.com", subject
    mail["Message-ID"], mail["X-Gvia-Message"] = f"<m{msg.id}@test>", str(msg.id)
    mail.set_content(note)
    mail.add_attachment(note.encode(), maintype="application", subtype="octet-stream", filename=file_name)
    folder = settings.MAIL_CATCHER_DIR
    folder.mkdir(parents=True, exist_ok=True)
    caught = f"m{msg.id}_test.eml"
    (folder / caught).write_bytes(mail.as_bytes())
    membership = Membership.objects.filter(organization=org, user=owner).get()
    cheque = Payment.objects.create(organization=org, customer=customer, date=TODAY, amount_minor=500,
                                    currency=invoice.currency, method="cheque", cheque_number=f"77{org.id}",
                                    import_key=f"cheque-{org.id}")
    contact = Contact.objects.create(customer=customer, name=f"{note} contact", email=f"c{org.id}@example.com")
    # a bank line with a suggestion waiting, and one waiting without any (issue 18)
    from gvia.store.models_statements import BankLine, BankMatch, BankStatement
    stmt = BankStatement.objects.create(organization=org, file_name=file_name, sha256="0" * 64, format="table",
                                        imported_at=msg.created_at)
    line = BankLine.objects.create(organization=org, statement=stmt, key=f"k{org.id}", position=1, booking_date=TODAY,
                                   amount_minor=500, currency=invoice.currency, text=note)
    bank_line = BankLine.objects.create(organization=org, statement=stmt, key=f"w{org.id}", position=2,
                                        booking_date=TODAY, amount_minor=700, currency=invoice.currency, text=note)
    bank_match = BankMatch.objects.create(organization=org, line=line, kind="invoices", confidence=55,
                                          reasons=[{"code": "amount_only", "params": {"number": invoice.number}}],
                                          customer=customer, plan={"allocations": [[invoice.id, 500]]})
    portal_request = PortalRequest.objects.create(   # a customer's request from their page, waiting (issue 16)
        organization=org, customer=customer, kind="contact", status="pending", at=msg.created_at,
        data={"name": note, "email": f"p{org.id}@example.com", "phone": ""}, waits_for=["contact_needs_confirmation"])
    return {"org": org, "customer": customer, "invoice": invoice, "plan": plan, "settlement": settlement,
            "payment": cheque, "contact": contact, "portal_request": portal_request,
            "bank_match": bank_match, "bank_line": bank_line,
            "dispute": dispute, "pause": pause, "document": doc, "message": msg, "membership": membership,
            "preset": preset, "import_run": run, "caught_mail": caught, "owner": owner,
            "import_token": f"tok{org.id}"}


@pytest.fixture
def sealed(world, settings):
    from gvia.services.context import Ctx
    from gvia.services.ledger import books as ledger

    b_customer = world.s1
    Customer.objects.filter(id=b_customer.id).update(email="hidden@secret.example")
    b_customer.refresh_from_db()
    Payment.objects.create(organization=world.org_b, customer=b_customer, date=TODAY, amount_minor=1000,
                           currency="GBP", import_key="pb", reference="TR-BRAVO")
    ledger.recompute(Ctx(world.org_b, None), [b_customer.id])
    return {
        "A": objects_of(world.org_a, world.c1, world.inv_1001, world.owner, "alpha-note", "alpha.pdf",
                        "Alpha subject", settings),
        "B": objects_of(world.org_b, b_customer, world.inv_9001, world.owner_b, "SECRET-NOTE-B", "secret-b.pdf",
                        "Secret subject B", settings),
    }


def b_snapshot(org) -> dict:
    """Every row of B's, in every table of gvia's, and B's people."""
    out = {}
    for model in apps.get_app_config("gvia").get_models():
        names = {f.name: f for f in model._meta.get_fields() if getattr(f, "many_to_one", False)}
        if model is type(org):
            qs = model.objects.filter(id=org.id)
        elif "organization" in names:
            qs = model.objects.filter(organization=org)
        else:
            via = next((n for n, f in names.items()
                        if any(g.name == "organization" for g in f.related_model._meta.get_fields())), None)
            qs = model.objects.filter(**{f"{via}__organization": org}) if via else model.objects.all()
        out[model.__name__] = sorted(map(repr, qs.values()))
    out["users"] = sorted(map(repr, get_user_model().objects.filter(memberships__organization=org).values()))
    return out


# --- filling the URLs --------------------------------------------------------------------------

def value_of(kind, side: str, objs: dict, model_of_route=None):
    if isinstance(kind, tuple):
        return kind
    if kind == "public:uid":
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        return (urlsafe_base64_encode(force_bytes(objs[side]["owner"].pk)),)
    if kind == "admin_object":
        return (objs[side]["admin"][model_of_route].pk,)
    if kind == "admin_path":
        return (f"gvia/customer/{objs[side]['customer'].pk}/change/",)
    if kind == "content_type":
        return (ContentType.objects.get_for_model(Customer).pk,)
    obj = objs[side][kind]
    return (obj if isinstance(obj, str) else obj.pk,)


OBJECT_KINDS = {"customer", "invoice", "document", "plan", "settlement", "dispute", "pause", "message", "payment",
                "contact", "membership", "import_token", "caught_mail", "admin_object", "admin_path", "public:uid"}


def variants(route: str, spec: dict, objs: dict, model_of_route=None):
    """Each filling of the route's keyword arguments with at least one of B's objects: B's
    everywhere, and A's container with B's item."""
    names = kwarg_names(route)
    object_names = [n for n in names if not isinstance(spec[n], tuple) and spec[n] in OBJECT_KINDS]
    private = any(not str(spec[n]).startswith("public:") for n in object_names)
    for sides in itertools.product("AB", repeat=len(object_names)):
        if object_names and "B" not in sides:
            continue
        side_of = dict(zip(object_names, sides))
        choices = [value_of(spec[n], side_of.get(n, "B"), objs, model_of_route) for n in names]
        for combo in itertools.product(*choices):
            yield build(route, dict(zip(names, combo))), private


def admin_model(route: str):
    if route.startswith("admin/r/"):        # "view on site": a content type (Customer's) and an object of it
        return Customer
    m = re.match(r"admin/(\w+)/(\w+)/", route)
    if not m:
        return None
    return next((model for site in all_sites for model in site._registry
                 if (model._meta.app_label, model._meta.model_name) == m.groups()), None)


def admin_objects(objs: dict, side: str) -> dict:
    o = objs[side]
    from django.contrib.auth.models import Group

    from gvia.store.models import Allocation, AuditRecord

    return {
        Group: Group.objects.get_or_create(name=f"group-{side}")[0],
        get_user_model(): o["owner"], type(o["org"]): o["org"], Membership: o["membership"], Customer: o["customer"],
        type(o["invoice"]): o["invoice"], Payment: Payment.objects.filter(organization=o["org"]).first(),
        Allocation: Allocation.objects.filter(invoice__organization=o["org"]).first(),
        AuditRecord: AuditRecord.objects.filter(organization=o["org"]).first(), Document: o["document"],
        ImportRun: o["import_run"], type(o["preset"]): o["preset"],
    }


def every_url(objs: dict):
    """(url, names B's object, url name) for every pattern; fails on a pattern nobody mapped."""
    unmapped = []
    for route, name, pattern in walk(get_resolver().url_patterns):
        names = kwarg_names(route)
        if route.startswith("admin/"):
            model = admin_model(route)
            spec = {n: ADMIN_KWARGS.get(n) for n in names}
            if None in spec.values():
                unmapped.append(route)
                continue
            if model is not None:
                assert model in objs["B"]["admin"], f"{route}: no object of {model.__name__} to try"
            elif "object_id" in names:
                unmapped.append(f"{route}: an object of which model?")
                continue
            for url, named in variants(route, spec, objs, model):
                yield url, named, name or route
            continue
        if not names:
            yield build(route, {}), False, name
            continue
        specs = KWARGS.get(name)
        if specs is None:
            unmapped.append(f"{route} ({name})")
            continue
        for spec in specs if isinstance(specs, list) else [specs]:
            missing = set(names) - set(spec)
            if missing:
                unmapped.append(f"{route} ({name}): {sorted(missing)}")
                continue
            for url, named in variants(route, spec, objs):
                yield url, named, name
    assert not unmapped, "URL patterns whose keyword arguments the test cannot fill (add them to KWARGS): " \
                         + "; ".join(unmapped)


def _answer_shows_b(response) -> list[str]:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    text = body.decode("utf-8", "replace")
    return [m for m in B_MARKERS if m in text]


@pytest.mark.parametrize("gvia_admin", [False, True], ids=["admin-off", "admin-on"])
def test_no_role_of_one_organization_reaches_anothers_data_by_any_url(client, world, sealed, settings, gvia_admin):
    settings.GVIA_ADMIN = gvia_admin
    objs = sealed
    for side in "AB":
        objs[side]["admin"] = admin_objects(objs, side)
    before = b_snapshot(world.org_b)
    urls = list(every_url(objs))
    assert len({u for u, _, _ in urls}) > 150          # the whole configuration, the admin's too
    leaks = []
    for user in (world.owner, world.collector, world.viewer):
        for url, names_b, name in urls:
            for method in ("get", "post"):
                client.force_login(user)
                session = client.session       # a token of B's import, as a user who left B would keep
                session["gvia_imports"] = {objs["B"]["import_token"]: {
                    "org": world.org_b.id, "path": f"org-{world.org_b.id}/imports/x/bravo-import.csv",
                    "name": "bravo-import.csv", "kind": "invoices", "preset": ""}}
                session.save()
                data = POST_DATA[name](objs) if method == "post" and name in POST_DATA else {}
                r = getattr(client, method)(url, data) if method == "post" else client.get(url)
                shown = _answer_shows_b(r)
                if shown:
                    leaks.append(f"{method.upper()} {url} as {user.email}: {r.status_code} shows {shown}")
                elif names_b and r.status_code == 200:
                    leaks.append(f"{method.upper()} {url} as {user.email}: 200 for B's object")
                elif r.status_code >= 500:
                    leaks.append(f"{method.upper()} {url} as {user.email}: {r.status_code}")
                if url.startswith("/admin/") and not gvia_admin:
                    assert r.status_code == 404, f"{method.upper()} {url}: the admin is off, yet {r.status_code}"
    assert not leaks, "\n".join(leaks)
    assert b_snapshot(world.org_b) == before, "a request of A's changed B's data"


# --- the admin: operators only, never members --------------------------------------------------

def test_the_admin_is_off_unless_gvia_admin(client, world, settings):
    from gvia.services.org.operators import create_operator

    create_operator("ops@install.test", "operator-password-1")
    settings.GVIA_ADMIN = False
    client.login(username="ops@install.test", password="operator-password-1")
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404
    assert client.get(f"/admin/gvia/customer/{world.s1.id}/change/").status_code == 404


def test_only_an_operator_signs_in_to_the_admin_and_it_only_reads(client, world, settings):
    from gvia.services.org.operators import create_operator

    settings.GVIA_ADMIN = True
    create_operator("ops@install.test", "operator-password-1")
    # members are refused at the admin's sign-in, owners of an organization too
    for email in ("owner@a.test", "viewer@a.test"):
        r = client.post("/admin/login/", {"username": email, "password": PASSWORD, "next": "/admin/"})
        assert r.status_code == 200 and r.context["form"].errors, email
    # an operator reads
    r = client.post("/admin/login/", {"username": "ops@install.test", "password": "operator-password-1",
                                      "next": "/admin/"})
    assert r.status_code == 302
    assert client.get(f"/admin/gvia/customer/{world.s1.id}/change/").status_code == 200
    # ...and changes nothing: no membership can be added or changed here
    m = Membership.objects.get(organization=world.org_b, user=world.owner_b)
    assert client.get("/admin/gvia/membership/add/").status_code == 403
    r = client.post(f"/admin/gvia/membership/{m.id}/change/", {"user": world.owner.id, "organization": world.org_b.id,
                                                                "role": "owner"})
    assert r.status_code == 403
    assert client.post(f"/admin/gvia/membership/{m.id}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/gvia/customer/{world.s1.id}/change/", {"name": "x"}).status_code == 403
    assert set(Membership.objects.filter(organization=world.org_b).values_list("user__email", flat=True)) == {
        "owner@b.test", "multi@x.test"}


def test_a_member_marked_staff_by_an_old_database_is_still_refused(client, world, settings):
    settings.GVIA_ADMIN = True
    get_user_model().objects.filter(email="owner@a.test").update(is_staff=True, is_superuser=True)
    client.force_login(get_user_model().objects.get(email="owner@a.test"))
    r = client.get(f"/admin/gvia/customer/{world.s1.id}/change/")
    assert r.status_code == 302 and r["Location"].startswith("/admin/login/")
    r = client.post("/admin/login/", {"username": "owner@a.test", "password": PASSWORD, "next": "/admin/"})
    assert r.status_code == 200 and r.context["form"].errors


def test_init_makes_owners_never_staff(db):
    from gvia.services.org.organizations import init_organization

    init_organization("Acme", country="GB", admin_email="me@acme.test", admin_password="Gvia-test-2026!")
    user = get_user_model().objects.get(email="me@acme.test")
    assert (user.is_staff, user.is_superuser) == (False, False)


def test_operators_and_members_never_mix(world):
    from gvia.core.errors import Refused
    from gvia.services.context import Ctx
    from gvia.services.org.operators import create_operator
    from gvia.services.org.organizations import add_member, init_organization

    create_operator("ops@install.test", "operator-password-1")
    with pytest.raises(Refused) as err:
        add_member(Ctx(world.org_a, world.owner, "owner"), "ops@install.test", "whatever-1", "viewer")
    assert err.value.code == "operator_not_member"
    with pytest.raises(Refused) as err:
        init_organization("Ops Ltd", country="GB", admin_email="ops@install.test", admin_password="Gvia-test-2026!")
    assert err.value.code == "operator_not_member"
    with pytest.raises(Refused) as err:
        create_operator("owner@a.test", "operator-password-1")
    assert err.value.code == "operator_is_member"
    with pytest.raises(Refused) as err:
        create_operator("ops2@install.test", "short")
    assert (err.value.code, err.value.params) == ("operator_password_short", {"most": 12})
    assert not Membership.objects.filter(user__email="ops@install.test").exists()


def test_the_migration_takes_staff_rights_from_members(transactional_db):
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from gvia.services.org.organizations import init_organization

    init_organization("Acme", country="GB", admin_email="me@acme.test", admin_password="Gvia-test-2026!")
    User = get_user_model()
    User.objects.filter(email="me@acme.test").update(is_staff=True, is_superuser=True)
    ops = User.objects.create_user("ops@install.test", "ops@install.test", "operator-password-1")
    User.objects.filter(id=ops.id).update(is_staff=True, is_superuser=True)
    executor = MigrationExecutor(connection)
    executor.migrate([("gvia", "0010_import_write_less")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("gvia", "0011_members_are_not_staff")])
    me = User.objects.get(email="me@acme.test")
    assert (me.is_staff, me.is_superuser) == (False, False)
    ops.refresh_from_db()
    assert (ops.is_staff, ops.is_superuser) == (True, True)       # not a member: an operator stays one
    call_command("migrate", verbosity=0)
