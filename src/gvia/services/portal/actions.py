"""What a customer does on their own page (issue 16): the answers a collector hopes for.

Each action is taken by a :class:`Visitor` — the organization and the customer a page link
opened (:func:`gvia.services.portal.links.resolve_link`), and that link — and goes through the
service a person would use, so the case reacts the same way whoever records it:

* :func:`tell` — "tell us what happened": a reason for non-payment
  (:data:`gvia.core.nonpayment.CUSTOMER_REASONS`) and free text become an inbound message on the
  timeline through :func:`gvia.services.engine.activities.record_reply` (the one home of a reply:
  it pauses automatic messages for the reply days and opens a task in the worklist's replies); the
  reason becomes the case's (:func:`gvia.services.engine.nonpayment.set_reason`, source ``portal``).
* :func:`promise` — a promise to pay by a date (an amount, or the whole balance). Within the
  settings ``portal_promise_max_days`` (30 days ahead) and ``portal_partial_promises`` (a part of
  the balance; off by default), and with no promise open, it is recorded at once by
  :func:`gvia.services.arrangements.promises.record_promise` (source ``portal``: the case pauses);
  otherwise it waits for a person (:mod:`gvia.services.portal.requests`).
* :func:`plan_options` / :func:`ask_plan` — a payment plan: the page proposes monthly
  instalments of the open balance within the organization's plan limits (the collector's rules:
  :func:`gvia.core.plans.build_plan` and :func:`~gvia.core.plans.check_limits` on
  :func:`gvia.services.arrangements.limits.arrangement_settings`). A request is agreed at once
  by :func:`gvia.services.arrangements.plans.create_plan` when it is within the limits and the
  setting ``portal_plans_automatic`` is on; otherwise it waits for a person.
* :func:`dispute` — a dispute of open invoices with a reason (:data:`gvia.core.disputes.REASONS`)
  and an optional attachment (at most :data:`UPLOAD_MAX_BYTES`, a PDF, PNG or JPEG by its first
  bytes), through :func:`gvia.services.arrangements.disputes.open_dispute` (only those invoices
  leave the ladder) and :func:`gvia.services.files.upload_document`.
* :func:`propose_contact` — a new billing contact, kept as proposed: no message goes there until
  a person confirms it (:func:`gvia.services.portal.requests.decide`).

Every action is one :class:`~gvia.store.models.PortalRequest` row, on the timeline and in the
audit (the actor is ``customer:<ref>``), and rate-limited per link: at most
:data:`ACTIONS_PER_HOUR` actions in an hour and :data:`UPLOADS_PER_DAY` uploads in 24 hours
(refused with ``portal_too_many_actions`` / ``portal_too_many_uploads``). Bad input is a
:class:`~gvia.core.errors.ValidationFailed` naming each field by code, a refusal a
:class:`~gvia.core.errors.RefusedFor`; nothing changes either way. The page words them from the
``portal`` catalog (``problem.<code>``, ``refusal.<code>``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Sum

from gvia.core import disputes as core_disputes
from gvia.core import nonpayment
from gvia.core import plans as core_plans
from gvia.core.errors import FieldProblem, Refused, RefusedFor, ValidationFailed
from gvia.core.money import Money
from gvia.services import audit, clock, files, settings
from gvia.services.arrangements import disputes as dispute_service
from gvia.services.arrangements import plans as plan_service
from gvia.services.arrangements import promises as promise_service
from gvia.services.arrangements.limits import arrangement_settings
from gvia.services.arrangements.paid import customer_currency, open_balance
from gvia.services.arrangements.typed import parse_day, parse_money
from gvia.services.context import Ctx
from gvia.services.engine import nonpayment as nonpayment_reasons
from gvia.services.engine.activities import record_reply, timeline
from gvia.services.locality import org_calendar
from gvia.store.models import Activity, Customer, Invoice, Organization, PaymentPlan, Promise
from gvia.store.models_portal_requests import PortalRequest

__all__ = ["ACTIONS_PER_HOUR", "UPLOADS_PER_DAY", "UPLOAD_MAX_BYTES", "UPLOAD_TYPES", "PLAN_FREQUENCY",
           "PLAN_MOST_INSTALLMENTS", "Visitor", "PlanOption", "PlanOptions", "visitor_ctx", "tell", "promise",
           "plan_options", "ask_plan", "dispute", "propose_contact", "upload_kind"]

#: At most this many actions through one link in an hour (issue 16).
ACTIONS_PER_HOUR = 30
#: At most this many uploads through one link in 24 hours.
UPLOADS_PER_DAY = 5
#: The largest attachment the page takes (bounded well under the staff's own upload limit).
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
#: What an attachment may be, by its first bytes: (extension, content type).
UPLOAD_TYPES = {b"%PDF-": ("pdf", "application/pdf"), b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
                b"\xff\xd8\xff": ("jpg", "image/jpeg")}
#: The page proposes monthly instalments (the collector's plans may be weekly too).
PLAN_FREQUENCY = "monthly"
#: The most instalments a customer may ask for on the page (beyond the limits: a person decides).
PLAN_MOST_INSTALLMENTS = 36
#: The first instalment no later than this many days ahead.
PLAN_FIRST_WITHIN_DAYS = 60


@dataclass(frozen=True)
class Visitor:
    """Who acts on the page: the customer a link opened (``link_id``: that link; None when a
    person acts for them, e.g. a test)."""

    org: Organization
    customer: Customer
    link_id: int | None = None


@dataclass(frozen=True)
class _VisitorCtx(Ctx):
    """The services' context for a customer acting on their page: a collector's rights over
    their own case only (every call names the visitor's customer), recorded as ``customer:<ref>``."""

    customer_ref: str = ""

    @property
    def actor(self) -> str:
        return f"customer:{self.customer_ref}"


def visitor_ctx(v: Visitor) -> Ctx:
    return _VisitorCtx(v.org, None, "collector", v.customer.ref)


# --- limits on the page's use ------------------------------------------------------------------

def _mine(v: Visitor):
    qs = PortalRequest.objects.filter(organization=v.org)
    return qs.filter(link_id=v.link_id) if v.link_id is not None else qs.filter(customer=v.customer, link_id=None)


def _guard(v: Visitor, now: datetime, uploads: int = 0) -> None:
    """Refuse when the link has used up its actions this hour, or its uploads these 24 hours."""
    if _mine(v).filter(at__gt=now - timedelta(hours=1)).count() >= ACTIONS_PER_HOUR:
        raise RefusedFor("portal_too_many_actions", f"{ACTIONS_PER_HOUR} actions an hour at most",
                         most=ACTIONS_PER_HOUR)
    if uploads:
        used = _mine(v).filter(at__gt=now - timedelta(days=1)).aggregate(n=Sum("uploads"))["n"] or 0
        if used + uploads > UPLOADS_PER_DAY:
            raise RefusedFor("portal_too_many_uploads", f"{UPLOADS_PER_DAY} uploads a day at most",
                             most=UPLOADS_PER_DAY)


def _lock(v: Visitor) -> None:
    """One action of a customer at a time (the rate limits count rows written under this lock)."""
    Customer.objects.select_for_update().filter(id=v.customer.id).first()


def _request(v: Visitor, kind: str, status: str, now: datetime, data: dict, waits_for: list[str] | None = None,
             result_id: int | None = None, uploads: int = 0) -> PortalRequest:
    return PortalRequest.objects.create(organization=v.org, customer=v.customer, link_id=v.link_id, kind=kind,
                                        status=status, data=data, waits_for=list(waits_for or []),
                                        result_id=result_id, uploads=uploads, at=now)


def _on_timeline(v: Visitor, ctx: Ctx, req: PortalRequest, today: date, now: datetime, event: str,
                 **values) -> None:
    """A line ``portal`` on the timeline for a request that waits for a person."""
    timeline(v.org, v.customer.id, Activity.Kind.PORTAL, today, now, f"{event} (request {req.id})", ctx.actor,
             event=event, request=req.id, **values)


def _problems(problems: list[FieldProblem]) -> None:
    if problems:
        raise ValidationFailed(problems, code="problems")


def _money_text(money: Money) -> str:
    return str(money.amount)


# --- tell us what happened ---------------------------------------------------------------------

def tell(v: Visitor, reason: str, text: str, now: datetime | None = None) -> PortalRequest:
    """The customer says why they have not paid (a reason code and free text)."""
    now = now or clock.now_utc()
    ctx = visitor_ctx(v)
    problems = []
    if reason not in nonpayment.CUSTOMER_REASONS:
        problems.append(FieldProblem(None, "reason", reason, "choose a reason", code="portal_choose_reason"))
    if not text.strip() and reason == nonpayment.OTHER:
        problems.append(FieldProblem(None, "text", text, "say what happened", code="portal_say_what"))
    if len(text) > 5000:
        problems.append(FieldProblem(None, "text", "", "at most 5000 characters", code="portal_text_too_long",
                                     params={"most": 5000}))
    _problems(problems)
    with transaction.atomic():
        _lock(v)
        _guard(v, now)
        activity = record_reply(ctx, v.customer, text.strip(), now,
                                {"source": "portal", "event": "portal.told", "nonpayment": reason,
                                 "note": text.strip(), "link": v.link_id})
        nonpayment_reasons.set_reason(ctx, v.customer.ref, reason, text, source="portal", now=now)
        req = _request(v, PortalRequest.Kind.TOLD, PortalRequest.Status.DONE, now,
                       {"reason": reason, "text": text.strip()}, result_id=activity.id)
        audit.record(ctx, "portal.told", req, customer=v.customer.ref, reason=reason)
    return req


# --- a promise to pay --------------------------------------------------------------------------

def _balance(ctx: Ctx, v: Visitor, currency: str | None) -> Money:
    code = customer_currency(ctx, v.customer, currency)
    balance = open_balance(ctx, v.customer, code)[0]
    if balance.amount <= 0:
        raise RefusedFor("portal_nothing_owed", f"{v.customer.ref} owes nothing in {code}", currency=code)
    return balance


def promise(v: Visitor, due: date | str, amount: str | None = None, currency: str | None = None,
            note: str = "", now: datetime | None = None) -> PortalRequest:
    """A promise to pay ``amount`` (None: the whole open balance) by ``due``: recorded at once
    within the page's limits, else waiting for a person (``waits_for`` says why)."""
    now = now or clock.now_utc()
    today = clock.org_today(v.org, now)
    ctx = visitor_ctx(v)
    due_day = parse_day(due, "due")
    balance = _balance(ctx, v, currency)
    money = balance if amount in (None, "") else parse_money(str(amount), balance.currency)
    problems = []
    if due_day < today:
        problems.append(FieldProblem(None, "due", due_day.isoformat(), "is in the past", code="before_today",
                                     params={"today": today}))
    if money.amount <= 0:
        problems.append(FieldProblem(None, "amount", str(amount), "must be more than nothing",
                                     code="portal_amount_positive"))
    elif money > balance:
        problems.append(FieldProblem(None, "amount", str(amount), "more than the balance",
                                     code="portal_amount_over_balance", params={"balance": balance}))
    _problems(problems)
    cfg = settings.values(v.org, ("portal_promise_max_days", "portal_partial_promises"))
    waits = []
    if due_day > today + timedelta(days=cfg["portal_promise_max_days"]):
        waits.append("promise_beyond_days")
    if money < balance and not cfg["portal_partial_promises"]:
        waits.append("promise_partial")
    data = {"amount": _money_text(money), "currency": money.currency, "due": due_day.isoformat(),
            "whole_balance": money == balance, "note": note.strip()[:500]}
    with transaction.atomic():
        _lock(v)
        _guard(v, now)
        if Promise.objects.filter(customer=v.customer, status=Promise.Status.OPEN).exists():
            waits.append("promise_already_open")
        recorded = None
        if not waits:
            try:
                with transaction.atomic():
                    recorded = promise_service.record_promise(ctx, v.customer.ref, _money_text(money), due_day,
                                                              "portal", currency=money.currency,
                                                              note=note.strip()[:500], now=now)
            except RefusedFor as exc:   # a rule of the promise service: a person looks at it
                waits.append("needs_person")
                data["refused"] = exc.code
        if recorded is not None:
            req = _request(v, PortalRequest.Kind.PROMISE, PortalRequest.Status.DONE, now, data,
                           result_id=recorded.id)
        else:
            req = _request(v, PortalRequest.Kind.PROMISE, PortalRequest.Status.PENDING, now, data, waits)
            _on_timeline(v, ctx, req, today, now, "portal.promise_requested", amount=data["amount"],
                         currency=money.currency, due=data["due"], note=data["note"])
        audit.record(ctx, "portal.promise", req, customer=v.customer.ref, status=req.status, waits_for=waits,
                     **{k: data[k] for k in ("amount", "currency", "due")})
    return req


# --- a payment plan ----------------------------------------------------------------------------

@dataclass(frozen=True)
class PlanOption:
    installments: int
    each: Money          # every instalment but the last (which takes the remainder)
    last_due: date
    within_limits: bool


@dataclass(frozen=True)
class PlanOptions:
    balance: Money
    first: date           # the first instalment's date the options are built from
    options: tuple[PlanOption, ...]

    @property
    def proposed(self) -> tuple[PlanOption, ...]:
        """The options within the organization's limits: what the page proposes."""
        return tuple(o for o in self.options if o.within_limits)


def _schedule(v: Visitor, balance: Money, installments: int, first: date) -> list[core_plans.Installment]:
    return core_plans.build_plan(balance, installments, PLAN_FREQUENCY, first, None, org_calendar(v.org))


def plan_options(v: Visitor, today: date, first: date | None = None, currency: str | None = None,
                 most: int = 12) -> PlanOptions:
    """Monthly plans of 2 to ``most`` instalments of the open balance from ``first`` (default a
    week from ``today``), each marked within the organization's limits or not."""
    ctx = visitor_ctx(v)
    balance = _balance(ctx, v, currency)
    first = first or today + timedelta(days=7)
    limits = arrangement_settings(v.org).plan_limits
    out = []
    for n in range(2, most + 1):
        try:
            schedule = _schedule(v, balance, n, first)
        except Refused:            # instalments smaller than one agora: no more options
            break
        beyond = core_plans.check_limits(schedule, limits, agreed_on=today)
        regular = [i for i in schedule if i.kind == core_plans.INSTALLMENT]
        out.append(PlanOption(n, regular[0].amount, max(i.due for i in schedule), not beyond))
    return PlanOptions(balance, first, tuple(out))


def ask_plan(v: Visitor, installments: int | str, first: date | str, currency: str | None = None,
             note: str = "", now: datetime | None = None) -> PortalRequest:
    """Ask for a monthly plan of ``installments`` payments from ``first``: agreed at once when the
    organization lets the page agree plans within its limits (``portal_plans_automatic``) and
    this one is; otherwise it waits for a person (``plan_beyond_limits`` or ``plan_needs_approval``)."""
    now = now or clock.now_utc()
    today = clock.org_today(v.org, now)
    ctx = visitor_ctx(v)
    first_day = parse_day(first, "first")
    problems = []
    try:
        count = int(str(installments).strip())
    except ValueError:
        count = 0
    if not 1 <= count <= PLAN_MOST_INSTALLMENTS:
        problems.append(FieldProblem(None, "installments", str(installments), "not a possible number",
                                     code="portal_installments_between",
                                     params={"low": 1, "high": PLAN_MOST_INSTALLMENTS}))
    if first_day < today:
        problems.append(FieldProblem(None, "first", first_day.isoformat(), "is in the past", code="before_today",
                                     params={"today": today}))
    elif first_day > today + timedelta(days=PLAN_FIRST_WITHIN_DAYS):
        problems.append(FieldProblem(None, "first", first_day.isoformat(), "too far ahead",
                                     code="portal_first_too_far", params={"days": PLAN_FIRST_WITHIN_DAYS}))
    _problems(problems)
    balance = _balance(ctx, v, currency)
    try:
        schedule = _schedule(v, balance, count, first_day)
    except Refused:
        raise ValidationFailed([FieldProblem(None, "installments", str(count), "instalments too small",
                                             code="portal_installments_too_small")], code="problems") from None
    beyond = core_plans.check_limits(schedule, arrangement_settings(v.org).plan_limits, agreed_on=today)
    data = {"installments": count, "frequency": PLAN_FREQUENCY, "first": first_day.isoformat(),
            "total": _money_text(balance), "currency": balance.currency,
            "each": _money_text(schedule[0].amount), "last": max(i.due for i in schedule).isoformat(),
            "note": note.strip()[:500]}
    with transaction.atomic():
        _lock(v)
        _guard(v, now)
        if PaymentPlan.objects.filter(customer=v.customer, status=PaymentPlan.Status.ACTIVE).exists():
            raise RefusedFor("portal_plan_running", f"{v.customer.ref} already has a plan running")
        waits = ["plan_beyond_limits"] if beyond else []
        if not beyond and not settings.value(v.org, "portal_plans_automatic"):
            waits.append("plan_needs_approval")
        created = None
        if not waits:
            try:
                with transaction.atomic():
                    created = plan_service.create_plan(ctx, v.customer.ref, count, PLAN_FREQUENCY, first_day,
                                                       currency=balance.currency, now=now)
            except RefusedFor as exc:   # a rule of the plan service: a person looks at it
                waits.append("needs_person")
                data["refused"] = exc.code
        if created is not None:
            req = _request(v, PortalRequest.Kind.PLAN, PortalRequest.Status.DONE, now, data,
                           result_id=created.plan.id)
        else:
            req = _request(v, PortalRequest.Kind.PLAN, PortalRequest.Status.PENDING, now, data, waits)
            _on_timeline(v, ctx, req, today, now, "portal.plan_requested", total=data["total"],
                         currency=balance.currency, count=count, due=data["first"], note=data["note"])
        audit.record(ctx, "portal.plan", req, customer=v.customer.ref, status=req.status, waits_for=waits,
                     installments=count, first=data["first"], total=data["total"], currency=balance.currency)
    return req


# --- a dispute ---------------------------------------------------------------------------------

def upload_kind(head: bytes) -> tuple[str, str] | None:
    """(extension, content type) of an attachment the page takes, from its first bytes; None otherwise."""
    for magic, kind in UPLOAD_TYPES.items():
        if head.startswith(magic):
            return kind
    return None


def _check_upload(attachment: tuple[str, bytes] | None) -> list[FieldProblem]:
    if attachment is None:
        return []
    name, content = attachment
    shown = files.clean_file_name(name)
    if len(content) > UPLOAD_MAX_BYTES:
        return [FieldProblem(None, "attachment", shown, "too large", code="portal_file_too_large",
                             params={"most": UPLOAD_MAX_BYTES // (1024 * 1024)})]
    if not content:
        return [FieldProblem(None, "attachment", shown, "empty", code="portal_file_empty")]
    if upload_kind(content[:16]) is None:
        return [FieldProblem(None, "attachment", shown, "not a PDF, PNG or JPEG", code="portal_file_type")]
    return []


def dispute(v: Visitor, invoice_numbers: list[str] | tuple[str, ...], reason: str, note: str = "",
            attachment: tuple[str, bytes] | None = None, now: datetime | None = None) -> PortalRequest:
    """Dispute open invoices of the customer with a reason (``other`` needs a note) and an
    optional attachment ``(file name, content)``: the dispute service takes exactly those
    invoices off the ladder; the attachment is kept on the first invoice."""
    now = now or clock.now_utc()
    ctx = visitor_ctx(v)
    numbers = sorted({str(n).strip() for n in invoice_numbers if str(n).strip()})
    own = dict(Invoice.objects.filter(customer=v.customer, kind=Invoice.Kind.INVOICE, number__in=numbers)
               .exclude(open_minor=0).values_list("number", "id"))
    problems = []
    if not numbers:
        problems.append(FieldProblem(None, "invoices", "", "choose an invoice", code="portal_choose_invoice"))
    problems += [FieldProblem(None, "invoices", n, "not an open invoice of yours", code="portal_not_your_invoice",
                              params={"number": n}) for n in numbers if n not in own]
    if reason not in core_disputes.REASONS:
        problems.append(FieldProblem(None, "reason", reason, "choose a reason", code="portal_choose_reason"))
    elif reason == "other" and not note.strip():
        problems.append(FieldProblem(None, "note", note, "say what is wrong", code="portal_say_what"))
    if len(note) > 2000:
        problems.append(FieldProblem(None, "note", "", "at most 2000 characters", code="portal_text_too_long",
                                     params={"most": 2000}))
    problems += _check_upload(attachment)
    _problems(problems)
    uploads = 1 if attachment is not None else 0
    with transaction.atomic():
        _lock(v)
        _guard(v, now, uploads)
        d = dispute_service.open_dispute(ctx, v.customer.ref, numbers, reason, note.strip(), now=now)
        data: dict = {"invoices": numbers, "reason": reason, "note": note.strip()}
        if attachment is not None:
            name, content = attachment
            kind = upload_kind(content[:16])
            invoice = Invoice.objects.get(id=own[numbers[0]])
            doc = files.upload_document(ctx, v.customer, "other", content, name, kind[1] if kind else "",
                                        invoice=invoice)
            data["document"] = doc.id
            data["file_name"] = doc.file_name
        req = _request(v, PortalRequest.Kind.DISPUTE, PortalRequest.Status.DONE, now, data, result_id=d.id,
                       uploads=uploads)
        audit.record(ctx, "portal.dispute", req, customer=v.customer.ref, dispute=d.id, invoices=numbers,
                     reason=reason, document=data.get("document"))
    return req


# --- a new billing contact ---------------------------------------------------------------------

def propose_contact(v: Visitor, name: str, email: str, phone: str = "", now: datetime | None = None
                    ) -> PortalRequest:
    """A new billing contact, kept as proposed until a person confirms it (nothing is sent there
    before): :func:`gvia.services.portal.requests.decide`."""
    now = now or clock.now_utc()
    today = clock.org_today(v.org, now)
    ctx = visitor_ctx(v)
    email = email.strip()
    problems = []
    try:
        validate_email(email)
    except ValidationError:
        problems.append(FieldProblem(None, "email", email, "not an e-mail address", code="portal_email_invalid"))
    if len(name.strip()) > 200:
        problems.append(FieldProblem(None, "name", "", "at most 200 characters", code="portal_text_too_long",
                                     params={"most": 200}))
    if len(phone.strip()) > 40:
        problems.append(FieldProblem(None, "phone", "", "at most 40 characters", code="portal_text_too_long",
                                     params={"most": 40}))
    _problems(problems)
    data = {"name": name.strip(), "email": email, "phone": phone.strip()}
    with transaction.atomic():
        _lock(v)
        _guard(v, now)
        req = _request(v, PortalRequest.Kind.CONTACT, PortalRequest.Status.PENDING, now, data,
                       ["contact_needs_confirmation"])
        _on_timeline(v, ctx, req, today, now, "portal.contact_proposed", email=email, name=data["name"])
        audit.record(ctx, "portal.contact", req, customer=v.customer.ref, email=email)
    return req
