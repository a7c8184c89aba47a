"""Short texts to the customer's mobile: SMS and WhatsApp, through the same outbox as e-mail.

A policy stage's ``sms`` or ``whatsapp`` action is an outbox message like an e-mail: the same
idempotency key, approval, sending hours, do-not-chase and pause checks, the same proof log and
journal, the same crash handling (:mod:`gvia.services.sending.dispatch`). What differs is here:

* **Who sends** (:func:`sender_for`): SMS through the ``sms.provider`` setting's provider — 019
  or Twilio (:mod:`gvia.channels.sms`) —, WhatsApp through the WhatsApp Business Cloud API when
  ``whatsapp.phone_number_id`` and ``whatsapp.token`` are set; credentials from the environment
  or stored sealed (:mod:`gvia.services.settings`, ``gvia sms set``, the settings page). No
  provider: the message fails with a task, as before.
* **To whom** (:func:`mobile_of`): the billing contact's phone, else the primary contact's, else
  the customer's, else any contact's — the first that is a mobile number, in E.164, read in the
  organization's country (:func:`gvia.core.texting.e164`).
* **What it says** (:func:`compose_text`): a short text in the message's language from the
  ``documents`` catalog (``text.<kind>``: courtesy, reminder, warning; ``text.short`` when that
  does not fit), with the business's name, what is open and the customer's page link
  (:func:`gvia.services.portal.links.issue_link`); an SMS must fit in two segments
  (:func:`gvia.core.texting.segments`: Hebrew is UCS-2, 70 characters a segment). A WhatsApp
  message is the organization's approved template (``whatsapp.template``) in the message's
  language, its body parameters the business, the amount and the link; the same text is kept
  as its proof.
* **Opt-out**: a number in :class:`gvia.store.models_sms.TextOptOut` gets nothing more — the
  dispatcher cancels the message (:func:`opted_out`). A reply "הסר"/STOP (any provider's
  webhook), a provider's opt-out report (Twilio's ``OptOutType=STOP``, its error 21610 on
  sending) or a person (``gvia sms opt-out``) records it, with a line on the customer's
  timeline; only a person lifts it (``gvia sms opt-in``).
* **What the providers report** (:func:`record_events`, from the signed webhooks of
  :mod:`gvia.web.views.texthooks`): each reply and delivery report is kept once
  (:class:`gvia.store.models_sms.TextEvent`); a reply goes on the timeline as the customer's
  answer (pausing automatic messages, a task to read it) unless it asks to stop; "delivered"
  dates the message; "failed"/"undelivered" marks it failed with a task — never lost.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import parse_qsl

from django.db import IntegrityError, transaction

from gvia.channels.sms import twilio, whatsapp
from gvia.channels.sms.base import ProviderEvent, TextOut, TextSender
from gvia.channels.sms.sms019 import Sms019
from gvia.channels.sms.twilio import Twilio
from gvia.channels.sms.whatsapp import WhatsApp
from gvia.core import aging
from gvia.core.errors import NotFoundFor, RefusedFor, Worded
from gvia.core.formatting import format_totals, strip_bidi
from gvia.core.message_log import added
from gvia.core.money import Money
from gvia.core.texting import asks_to_stop, e164, segments
from gvia.services import audit, clock, settings
from gvia.services.context import Ctx
from gvia.store.models import Activity, Contact, Customer, Invoice, Organization, OutboxMessage, Task
from gvia.store.models_sms import TextEvent, TextOptOut

PROVIDERS = ("019", "twilio", "whatsapp")
WARNING_DOCUMENTS = frozenset({"second_reminder", "warning_letter", "warning_execution_office", "letter_of_claim"})
FAILED_STATUSES = frozenset({"failed", "undelivered"})
KEYS = {
    "019": ("sms.019.username", "sms.019.token", "sms.019.source", "sms.019.url"),
    "twilio": ("sms.twilio.account_sid", "sms.twilio.auth_token", "sms.twilio.from", "sms.twilio.url"),
    "whatsapp": ("whatsapp.phone_number_id", "whatsapp.token", "whatsapp.app_secret", "whatsapp.verify_token",
                 "whatsapp.template", "whatsapp.url"),
}


# --- who sends -------------------------------------------------------------------------------

def sender_for(org: Organization, channel: str) -> TextSender | None:
    """The adapter that sends ``channel`` (sms, whatsapp) for ``org``; None when not configured."""
    if channel == "whatsapp":
        cfg = settings.values(org, KEYS["whatsapp"])
        if not (cfg["whatsapp.phone_number_id"] and cfg["whatsapp.token"]):
            return None
        return WhatsApp(cfg["whatsapp.phone_number_id"], cfg["whatsapp.token"], cfg["whatsapp.url"])
    provider = settings.value(org, "sms.provider")
    if provider == "019":
        cfg = settings.values(org, KEYS["019"])
        if not (cfg["sms.019.username"] and cfg["sms.019.token"] and cfg["sms.019.source"]):
            return None
        return Sms019(cfg["sms.019.username"], cfg["sms.019.token"], cfg["sms.019.source"], cfg["sms.019.url"])
    if provider == "twilio":
        cfg = settings.values(org, KEYS["twilio"])
        if not (cfg["sms.twilio.account_sid"] and cfg["sms.twilio.auth_token"] and cfg["sms.twilio.from"]):
            return None
        return Twilio(cfg["sms.twilio.account_sid"], cfg["sms.twilio.auth_token"], cfg["sms.twilio.from"],
                      cfg["sms.twilio.url"])
    return None


def hook_url(org: Organization, provider: str) -> str:
    """The address a provider calls gvia back at (replies, delivery reports): what the
    provider's signature is computed over, built from ``public_url``."""
    return f"{settings.value(org, 'public_url')}/hooks/texts/{provider}/{org.slug}/"


def set_provider(ctx: Ctx, provider: str, values: dict[str, str]) -> list[str]:
    """``gvia sms set PROVIDER key=value…``: store that provider's settings (secrets sealed) and,
    for an SMS provider, make it the one that sends SMS. Returns the keys set. Nothing changes
    when a key is unknown or a value does not pass its check."""
    ctx.require("owner", "changing the settings")
    if provider not in PROVIDERS:
        raise RefusedFor("text_provider_unknown", provider=provider, providers=", ".join(PROVIDERS))
    prefix = "whatsapp." if provider == "whatsapp" else f"sms.{provider}."
    keys = {k[len(prefix):]: k for k in KEYS[provider]}
    unknown = sorted(set(values) - set(keys))
    if unknown:
        raise RefusedFor("text_setting_unknown", key=unknown[0], keys=", ".join(sorted(keys)))
    done = []
    with transaction.atomic():
        for short, text in values.items():
            settings.set_setting(ctx, keys[short], text)
            done.append(keys[short])
        if provider != "whatsapp":
            settings.set_setting(ctx, "sms.provider", provider)
            done.append("sms.provider")
    return done


def send_test(ctx: Ctx, raw_phone: str, channel: str = "sms", now: datetime | None = None) -> str:
    """Send a short test text to ``raw_phone`` the way the outbox's texts go (``gvia sms test``),
    without the outbox; audited. Returns the provider's id of the message. Raises RefusedFor:
    ``text_not_a_mobile``, ``text_no_provider``, ``text_test_failed`` (the provider's answer)."""
    ctx.require("owner", "testing the text settings")
    phone = e164(raw_phone, ctx.org.country)
    if phone is None:
        raise RefusedFor("text_not_a_mobile", phone=raw_phone)
    sender = sender_for(ctx.org, channel)
    if sender is None:
        raise RefusedFor("text_no_provider", channel=channel)
    from gvia.channels.smtp import SendError
    from gvia.documents.wording import languages, texts

    lang = ctx.org.default_language if ctx.org.default_language in languages() else "en"
    text = strip_bidi(texts(lang)("text.test", org=ctx.org.name))
    template = settings.value(ctx.org, "whatsapp.template") if channel == "whatsapp" else ""
    out = TextOut(to=phone, text=text, reference=f"gvia-test-{int((now or clock.now_utc()).timestamp())}",
                  template=template, template_language=lang, params=(ctx.org.name, "-", "-") if template else ())
    try:
        sent = sender.send(sender.prepare(out), lambda _: None)
    except SendError as exc:
        raise RefusedFor("text_test_failed", error=str(exc)[:300]) from None
    finally:
        sender.close()
    audit.record(ctx, "texts.test", None, to=phone, channel=channel, provider=sender.provider, id=sent.provider_id)
    return sent.provider_id


def show(ctx: Ctx) -> list[dict]:
    """Each provider: whether it is the one in use (and complete), its settings (secrets
    masked, with where each comes from) and the address to give it for its callbacks."""
    ctx.require("viewer", "reading the settings")
    shown = {r["key"]: r for r in settings.show(ctx)}
    provider = settings.value(ctx.org, "sms.provider")
    rows = []
    for name, keys in KEYS.items():
        channel = "whatsapp" if name == "whatsapp" else "sms"
        complete = sender_for(ctx.org, channel) is not None and (name == "whatsapp" or provider == name)
        rows.append({"provider": name, "active": name == provider or (name == "whatsapp" and complete),
                     "complete": complete, "hook_url": hook_url(ctx.org, name) if name != "019" else "",
                     "fields": [{"key": k, "value": shown[k]["value"], "source": shown[k]["source"]} for k in keys]})
    return rows


# --- to whom ---------------------------------------------------------------------------------

def mobile_of(customer: Customer, region: str, contacts: Iterable[Contact] | None = None) -> str | None:
    """The number a text goes to (see the module doc), E.164; None when there is none.
    ``contacts``: all the customer's contacts, when the caller has read them."""
    if contacts is None:
        rows = list(Contact.objects.filter(customer=customer).exclude(phone="").order_by("id"))
    else:
        rows = sorted((c for c in contacts if c.phone), key=lambda c: c.id)
    order = ([c.phone for c in rows if c.is_billing] + [c.phone for c in rows if c.is_primary]
             + [customer.phone] + [c.phone for c in rows])
    for raw in order:
        number = e164(raw, region)
        if number:
            return number
    return None


def opted_out(org_id: int, phone: str) -> bool:
    return TextOptOut.objects.filter(organization_id=org_id, phone=phone).exists()


# --- what it says ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ComposedText:
    to: str
    text: str
    language: str
    template: str = ""
    params: tuple[str, ...] = ()


def _kind(document: str) -> str:
    if document == "courtesy":
        return "courtesy"
    return "warning" if document in WARNING_DOCUMENTS else "reminder"


def _open_totals(customer: Customer, today: date, overdue_only: bool) -> list[Money]:
    qs = Invoice.objects.filter(customer=customer, kind=Invoice.Kind.INVOICE).exclude(open_minor=0)
    if overdue_only:
        qs = qs.filter(due_date__lt=aging.overdue_bound(today))
    totals: dict[str, int] = {}
    for currency, minor in qs.values_list("currency", "open_minor"):
        totals[currency] = totals.get(currency, 0) + minor
    return [Money.from_minor(m, c) for c, m in sorted(totals.items()) if m > 0]


def page_link(org: Organization, customer: Customer, msg: OutboxMessage, today: date) -> str:
    from gvia.services.portal.links import issue_link

    return issue_link(org, customer, today=today, issued_by="message", issued_ref=str(msg.id)).url


def compose_text(msg: OutboxMessage, org: Organization, today: date) -> ComposedText:
    """The text (and, for WhatsApp, the template) of ``msg`` (see the module doc). Raises
    RefusedFor when the customer has no mobile number or the text cannot fit."""
    from gvia.documents.wording import languages, texts

    customer = Customer.objects.get(id=msg.customer_id)
    to = mobile_of(customer, org.country)
    if to is None:
        raise RefusedFor("text_no_mobile", customer=customer.ref)
    lang = msg.language or customer.language or org.default_language
    if lang not in languages():
        lang = "en"
    t = texts(lang)
    totals = _open_totals(customer, today, overdue_only=msg.document != "courtesy")
    total = strip_bidi(format_totals(totals, lang)) if totals else ""
    link = page_link(org, customer, msg, today)
    values = {"org": org.name, "total": total, "portal_url": link}
    text = strip_bidi(t(f"text.{_kind(msg.document)}", **values))
    if msg.channel == "sms" and not segments(text).fits:
        text = _fitting(t, _kind(msg.document), values, totals) or text
    if msg.channel == "sms" and not segments(text).fits:
        raise RefusedFor("text_too_long", segments=segments(text).count)
    template = settings.value(org, "whatsapp.template") if msg.channel == "whatsapp" else ""
    return ComposedText(to, text, lang, template, (org.name, total, link) if template else ())


def _fitting(t, kind: str, values: dict[str, str], totals: list[Money]) -> str | None:
    """The first wording that fits in two SMS segments: the full text with the amounts' ISO
    codes instead of their symbols (a symbol such as ₪ makes a Latin text UCS-2, 70 characters a
    segment instead of 160), then the short text with symbols, then with codes."""
    coded = {**values, "total": ", ".join(f"{m.currency} {m.amount:,}" for m in totals)}
    for key, vals in ((f"text.{kind}", coded), ("text.short", values), ("text.short", coded)):
        text = strip_bidi(t(key, **vals))
        if segments(text).fits:
            return text
    return None


# --- opting out ------------------------------------------------------------------------------

def record_opt_out(org: Organization, phone: str, source: str, now: datetime, *, provider: str = "",
                   channel: str = "", text: str = "", by: str = "") -> bool:
    """Record that ``phone`` gets no more texts; a line on the timeline of each customer with
    that number. Whether it is new."""
    customers = customers_with(org, phone)
    with transaction.atomic():
        _, created = TextOptOut.objects.get_or_create(
            organization=org, phone=phone,
            defaults={"customer": customers[0] if customers else None, "source": source, "provider": provider,
                      "channel": channel, "text": text[:500], "by": by, "at": now})
        if created:
            today = clock.org_today(org, now)
            for c in customers:
                Activity.objects.create(organization=org, customer=c, kind=Activity.Kind.SYSTEM, date=today, at=now,
                                        text=text[:500], actor=by or "system",
                                        data={"event": "text_opt_out", "phone": phone, "source": source,
                                              "provider": provider, "channel": channel})
    return created


def opt_out(ctx: Ctx, raw_phone: str, now: datetime | None = None) -> str:
    """A person records that a number gets no more texts (``gvia sms opt-out``). Returns it in E.164."""
    ctx.require("collector", "recording an opt-out")
    phone = e164(raw_phone, ctx.org.country)
    if phone is None:
        raise RefusedFor("text_not_a_mobile", phone=raw_phone)
    now = now or clock.now_utc()
    if record_opt_out(ctx.org, phone, TextOptOut.Source.PERSON, now, by=ctx.actor):
        audit.record(ctx, "texts.opt_out", None, phone=phone)
    return phone


def opt_in(ctx: Ctx, raw_phone: str) -> str:
    """A person lifts an opt-out (the customer asked for texts again): ``gvia sms opt-in``."""
    ctx.require("owner", "lifting an opt-out")
    phone = e164(raw_phone, ctx.org.country) or raw_phone.strip()
    n, _ = TextOptOut.objects.filter(organization=ctx.org, phone=phone).delete()
    if not n:
        raise RefusedFor("text_not_opted_out", phone=phone)
    audit.record(ctx, "texts.opt_in", None, phone=phone)
    return phone


def customers_with(org: Organization, phone: str) -> list[Customer]:
    """The organization's customers that have ``phone`` (E.164) as theirs or a contact's. Phones
    are stored as typed ("052-765 4321"): only those ending in the same last digit are read and
    compared in E.164, a tenth of them."""
    ids: set[int] = set()
    last = phone[-1:]
    for cid, raw in Contact.objects.filter(customer__organization=org, phone__endswith=last).values_list(
            "customer_id", "phone"):
        if e164(raw, org.country) == phone:
            ids.add(cid)
    for cid, raw in Customer.objects.filter(organization=org, phone__endswith=last).values_list("id", "phone"):
        if e164(raw, org.country) == phone:
            ids.add(cid)
    return list(Customer.objects.filter(id__in=ids).order_by("id"))


def opt_out_of(customer: Customer, contacts: Iterable[Contact] | None = None) -> TextOptOut | None:
    """The opt-out that stops texts to this customer's mobile (the customer page shows it);
    ``contacts``: all the customer's, when the caller has read them."""
    phone = mobile_of(customer, customer.organization.country, contacts)
    if phone is None:
        return None
    return TextOptOut.objects.filter(organization_id=customer.organization_id, phone=phone).first()


# --- what the providers report ---------------------------------------------------------------

@dataclass
class Recorded:
    new: int = 0
    again: int = 0
    opted_out: int = 0
    replies: int = 0
    delivered: int = 0
    failed: int = 0


def record_events(org: Organization, provider: str, channel: str, events: list[ProviderEvent],
                  now: datetime) -> Recorded:
    """Keep what a provider's (signed) webhook said: see the module doc."""
    out = Recorded()
    today = clock.org_today(org, now)
    for ev in events:
        phone = e164(ev.phone, org.country) or ev.phone[:20]
        msg = (OutboxMessage.objects.filter(organization=org, channel=channel, message_id=ev.provider_id).first()
               if ev.kind == "status" else None)
        customers = customers_with(org, phone) if ev.kind == "inbound" and phone else []
        try:
            with transaction.atomic():
                TextEvent.objects.create(
                    organization=org, provider=provider, kind=ev.kind, provider_id=ev.provider_id[:200],
                    status=ev.status[:30], phone=phone, text=ev.text[:5000],
                    customer=customers[0] if customers else (msg.customer if msg else None), message=msg,
                    data={**ev.data, **({"error": ev.error} if ev.error else {})}, at=now)
        except IntegrityError:
            out.again += 1          # a callback sent again: kept once
            continue
        out.new += 1
        if ev.kind == "status":
            _status(msg, ev, now, today, out)
        elif ev.opted_out or asks_to_stop(ev.text):
            if phone and record_opt_out(org, phone, TextOptOut.Source.REPLY if asks_to_stop(ev.text)
                                        else TextOptOut.Source.PROVIDER, now, provider=provider, channel=channel,
                                        text=ev.text):
                out.opted_out += 1
        elif ev.text.strip():
            from gvia.services.engine.activities import record_reply

            for c in customers:
                record_reply(Ctx(org, None, "owner"), c, ev.text, now,
                             {"source": channel, "channel": channel, "from": phone, "provider": provider})
            out.replies += 1
    return out


def reports_before_record(msg: OutboxMessage, provider: str, now: datetime) -> Recorded:
    """Delivery reports that came before the dispatcher recorded ``msg`` as sent (a provider may
    call back within a second): kept then without their message, given to it now."""
    out = Recorded()
    org = Organization.objects.only("time_zone").get(id=msg.organization_id)
    early = TextEvent.objects.filter(organization_id=msg.organization_id, provider=provider,
                                     kind=TextEvent.Kind.STATUS, provider_id=msg.message_id, message__isnull=True)
    for row in early.order_by("at", "id"):
        TextEvent.objects.filter(id=row.id).update(message=msg, customer_id=msg.customer_id)
        msg.refresh_from_db()
        _status(msg, ProviderEvent("status", row.provider_id, status=row.status, error=row.data.get("error", "")),
                now, clock.org_today(org, now), out)
    return out


def _status(msg: OutboxMessage | None, ev: ProviderEvent, now: datetime, today: date, out: Recorded) -> None:
    if msg is None:
        return
    if ev.status in ("delivered", "read"):
        if msg.delivered_date is None:
            OutboxMessage.objects.filter(id=msg.id).update(delivered_date=today, updated_at=now)
        out.delivered += 1
    elif ev.status in FAILED_STATUSES:
        from gvia.services.sending.dispatch import open_task

        note = f"the provider reports it was not delivered ({ev.status}{', error ' + ev.error if ev.error else ''})"
        OutboxMessage.objects.filter(id=msg.id).update(
            status=OutboxMessage.Status.FAILED, updated_at=now,
            log=added(msg.log, now, Worded(note, "outbox_text_not_delivered" if ev.error
                                           else "outbox_text_not_delivered_plain", status=ev.status,
                                           error=ev.error or "")))
        open_task(msg, Task.Kind.FAILED_MESSAGE, note, today)
        Activity.objects.create(organization_id=msg.organization_id, customer_id=msg.customer_id,
                                kind=Activity.Kind.SYSTEM, date=today, at=now, text=note, actor="system",
                                data={"event": "text_not_delivered", "message": msg.id, "channel": msg.channel,
                                      "status": ev.status, "error": ev.error})
        out.failed += 1


# --- the providers' webhooks -----------------------------------------------------------------

MAX_BODY = 64 * 1024
"""A webhook call's body is read up to this; a larger one is refused (``text_hook_too_large``)."""


def _org(slug: str) -> Organization:
    org = Organization.objects.filter(slug=slug).first()
    if org is None:
        raise NotFoundFor("text_hook_unknown", slug=slug)
    return org


def receive(provider: str, slug: str, *, headers: dict[str, str], body: bytes, now: datetime) -> Recorded:
    """A provider's webhook call (a reply or a delivery report): its signature checked with the
    organization's secret (Twilio: ``X-Twilio-Signature`` over :func:`hook_url` and the form;
    WhatsApp: ``X-Hub-Signature-256`` over the body), then :func:`record_events`. Raises
    NotFoundFor (unknown provider or organization) or RefusedFor (``text_hook_too_large``,
    ``text_hook_forged``, ``text_hook_unreadable``): nothing is recorded then."""
    if provider not in ("twilio", "whatsapp"):
        raise NotFoundFor("text_hook_unknown", slug=provider)
    org = _org(slug)
    if len(body) > MAX_BODY:
        raise RefusedFor("text_hook_too_large", most=MAX_BODY)
    lower = {k.lower(): v for k, v in headers.items()}
    if provider == "twilio":
        form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        token = settings.value(org, "sms.twilio.auth_token")
        if not twilio.valid_signature(hook_url(org, "twilio"), form, token, lower.get("x-twilio-signature", "")):
            raise RefusedFor("text_hook_forged", provider=provider)
        channel = "whatsapp" if form.get("From", "").startswith("whatsapp:") else "sms"
        events = twilio.events(form)
    else:
        secret = settings.value(org, "whatsapp.app_secret")
        if not whatsapp.valid_signature(body, secret, lower.get("x-hub-signature-256", "")):
            raise RefusedFor("text_hook_forged", provider=provider)
        try:
            payload = json.loads(body)
        except ValueError:
            raise RefusedFor("text_hook_unreadable", provider=provider) from None
        channel = "whatsapp"
        events = whatsapp.events(payload if isinstance(payload, dict) else {})
    return record_events(org, provider, channel, events, now)


def verify_subscription(provider: str, slug: str, params: dict[str, str]) -> str:
    """WhatsApp's webhook check (a GET): the challenge, when the verify token is the
    organization's; RefusedFor ``text_hook_forged`` otherwise."""
    if provider != "whatsapp":
        raise NotFoundFor("text_hook_unknown", slug=provider)
    org = _org(slug)
    expected = settings.value(org, "whatsapp.verify_token")
    given = params.get("hub.verify_token", "")
    if params.get("hub.mode") != "subscribe" or not expected or not hmac.compare_digest(expected, given):
        raise RefusedFor("text_hook_forged", provider=provider)
    return params.get("hub.challenge", "")[:200]
