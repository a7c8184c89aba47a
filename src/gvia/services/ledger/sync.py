"""Sync with the invoicing services (issue 18): an organization's documents read from Morning
or iCount (:data:`PROVIDERS`: each module's ``FIELDS``, ``connect`` and ``to_rows``) and written
through the imports' own path, on a schedule in the worker and on demand.

* **Credentials** (:func:`set_account`, ``gvia sync set morning api_key_id=… api_key_secret=…``):
  the secret ones sealed (:mod:`gvia.services.sealed`), else read from the environment
  (``GVIA_SYNC_MORNING_API_KEY_SECRET``); shown masked (:func:`show`).
* **A sync** (:func:`sync`): the documents dated from a week before the day the last sync read
  through (the first: ``sync.since_days`` back) to today, read page by page
  (:mod:`gvia.invoicing.morning`), turned into the rows an import writes, then written as one
  import — customers, invoices and credit notes, payments — in one transaction through
  :func:`gvia.services.ledger.imports.import_rows`: all or nothing, every row checked as a file's
  would be. Reading the same documents again changes nothing (invoices by number and kind,
  payments by their reference ``morning:<document>:<payment>``), and a payment a bank line
  already recorded is linked to it, never counted twice (``import_rows`` →
  ``statements.absorb_recorded``).
* **Incremental and idempotent**: ``read_through`` moves only when a sync succeeded.
* **When it fails** the account keeps why (``last_error``, a code) and when it last succeeded;
  an organization whose sync has not succeeded for ``sync.max_age_hours`` sends nothing — its
  messages wait, as with stale data (:func:`stale_org_ids`, read by the dispatcher's
  ``eligible_orgs``) — and the worklist says why.
* **The worker** syncs each organization every ``sync.every_minutes`` before its dispatch batch
  (:func:`sync_due`), so a receipt issued in Morning closes the invoice in gvia before the next
  message goes out.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Callable, Mapping

from django.db import transaction

from gvia.core.errors import FieldProblem, GviaError, RefusedFor, ValidationFailed
from gvia.invoicing import icount, morning
from gvia.invoicing.http import Transport, urllib_transport
from gvia.services import audit, clock, sealed, settings
from gvia.services.context import Ctx
from gvia.services.ledger.imports import MAX_PROBLEMS, ImportReport, import_rows, known_invoices_only
from gvia.store.models import Organization
from gvia.store.models_sync import SyncAccount

PROVIDERS = {"morning": morning, "icount": icount}
OVERLAP = timedelta(days=7)
Log = Callable[[str], None]


def env_name(provider: str, name: str) -> str:
    return f"GVIA_SYNC_{provider.upper()}_{name.upper()}"


def _provider(name: str):
    module = PROVIDERS.get(name)
    if module is None:
        raise RefusedFor("sync_provider_unknown", f"no invoicing service {name!r}", provider=name,
                         known=", ".join(PROVIDERS))
    return module


def _secrets(account: SyncAccount) -> dict[str, str]:
    return sealed.unseal_fields(account.sealed_secrets, "the invoicing service's credentials")


def set_account(ctx: Ctx, provider: str, values: Mapping[str, str]) -> SyncAccount:
    """Store the provider's credentials (an empty value clears a field) and switch its sync on."""
    ctx.require("owner", "setting an invoicing service")
    known = dict(_provider(provider).FIELDS)
    problems = [FieldProblem(None, key, "", f"not a field of {provider}", code="sync_unknown_field",
                             place="setting", params={"field": key, "known": ", ".join(known)})
                for key in values if key not in known]
    problems += [FieldProblem(None, key, "", "too long", code="sync_field_long", place="setting",
                              params={"field": key}) for key, text in values.items() if len(str(text)) > 500]
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        account = (SyncAccount.objects.select_for_update().filter(organization=ctx.org, provider=provider).first()
                   or SyncAccount(organization=ctx.org, provider=provider))
        account.fields, account.sealed_secrets = sealed.set_fields(
            account.fields or {}, account.sealed_secrets, known, values, "the invoicing service's credentials")
        account.active = True
        account.save()
        audit.record(ctx, "sync.set", account, provider=provider, fields=sorted(values))
    return account


def _value(account: SyncAccount, name: str, secret: bool) -> str:
    stored = (_secrets(account) if secret else account.fields or {}).get(name, "")
    return stored or os.environ.get(env_name(account.provider, name), "")


def show(ctx: Ctx) -> list[dict[str, Any]]:
    """Each account: its fields (secrets masked, and where each comes from) and where its sync stands."""
    ctx.require("viewer", "reading the invoicing services")
    out = []
    for account in SyncAccount.objects.filter(organization=ctx.org).order_by("provider"):
        fields = []
        for name, secret in _provider(account.provider).FIELDS:
            value = _value(account, name, secret)
            stored = (_secrets(account) if secret else account.fields or {}).get(name)
            fields.append({"field": name, "value": ("********" if secret and value else value),
                           "source": "set" if stored else ("environment" if value else "")})
        out.append({"provider": account.provider, "active": account.active, "fields": fields,
                    "read_through": account.read_through, "last_attempt_at": account.last_attempt_at,
                    "last_success_at": account.last_success_at, "last_error": account.last_error,
                    "last_counts": account.last_counts, "stale": is_stale(account, clock.now_utc())})
    return out


def client_for(account: SyncAccount, transport: Transport = urllib_transport) -> Any:
    """The provider's client for the account (its ``connect``); ``sync_not_set`` when a credential is missing."""
    module = _provider(account.provider)
    secret = dict(module.FIELDS)
    return module.connect(lambda name: _value(account, name, secret[name]), transport)


@dataclass
class SyncReport:
    provider: str
    since: date
    until: date
    documents: int = 0
    left_out: int = 0
    customers: int = 0
    invoices: int = 0
    payments: int = 0
    parts: list[ImportReport] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"provider": self.provider, "since": self.since.isoformat(), "until": self.until.isoformat(),
                "documents": self.documents, "left_out": self.left_out, "customers": self.customers,
                "invoices": self.invoices, "payments": self.payments}


def sync(ctx: Ctx, provider: str = "morning", now: datetime | None = None,
         transport: Transport = urllib_transport) -> SyncReport:
    """Read the provider's documents and write them (module docstring). Raises SyncFailed (the
    service) or ValidationFailed (what it gave cannot be imported); either way nothing is written
    and the account records the failure."""
    ctx.require("collector", "syncing with an invoicing service")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    account = SyncAccount.objects.filter(organization=ctx.org, provider=provider).first()
    if account is None:
        raise RefusedFor("sync_not_set", f"{provider} is not set", provider=provider)
    since = (account.read_through - OVERLAP if account.read_through
             else today - timedelta(days=int(settings.value(ctx.org, "sync.since_days"))))
    report = SyncReport(provider, since, today)
    SyncAccount.objects.filter(id=account.id).update(last_attempt_at=now)
    try:
        documents = list(client_for(account, transport).documents(since, today))
        rows = _provider(provider).to_rows(documents, source=provider)
        if rows.problems:
            raise ValidationFailed(rows.problems[:MAX_PROBLEMS], f"{provider}: {len(rows.problems)} problem(s)",
                                   code="file_problems", file=provider, n=len(rows.problems))
        report.documents, report.left_out = len(documents), rows.left_out
        report.customers, report.invoices, report.payments = len(rows.customers), len(rows.invoices), len(rows.payments)
        digest = f"{provider}:{since.isoformat()}:{today.isoformat()}:{len(documents)}"
        with transaction.atomic():
            for kind, part in (("customers", rows.customers), ("invoices", rows.invoices),
                               ("payments", rows.payments)):
                if part:
                    if kind == "payments":
                        part = known_invoices_only(ctx, part)
                    report.parts.append(import_rows(ctx, kind, f"{provider} {since}…{today}", part, today=today,
                                                    digest=digest, create_customers=(kind == "payments")))
    except GviaError as exc:
        SyncAccount.objects.filter(id=account.id).update(last_error=getattr(exc, "code", "") or "sync_failed")
        raise
    SyncAccount.objects.filter(id=account.id).update(last_success_at=now, last_error="", read_through=today,
                                                     last_counts=report.as_dict())
    audit.record(ctx, "sync.done", account, **report.as_dict())
    return report


def is_stale(account: SyncAccount, now: datetime) -> bool:
    """Whether the account's documents are too old to act on: no success within ``sync.max_age_hours``."""
    if not account.active:
        return False
    hours = int(settings.value(account.organization, "sync.max_age_hours"))
    return account.last_success_at is None or now - account.last_success_at > timedelta(hours=hours)


def stale_org_ids(now: datetime) -> set[int]:
    """The organizations whose messages wait: an active sync that has not succeeded lately."""
    return {a.organization_id for a in SyncAccount.objects.filter(active=True).select_related("organization")
            if is_stale(a, now)}


def sync_due(now: datetime, log: Log = lambda _: None, transport: Transport = urllib_transport) -> int:
    """The worker's part: sync every active account whose last try is ``sync.every_minutes`` old.
    One failing organization does not stop the others. Returns how many succeeded."""
    done = 0
    for account in SyncAccount.objects.filter(active=True).select_related("organization").order_by("id"):
        org: Organization = account.organization
        every = timedelta(minutes=int(settings.value(org, "sync.every_minutes")))
        if account.last_attempt_at is not None and now - account.last_attempt_at < every:
            continue
        try:
            report = sync(Ctx(org, None, "owner"), account.provider, now, transport)
        except GviaError as exc:
            log(f"sync of {org.slug} with {account.provider} failed: {getattr(exc, 'code', '')} {exc}")
            continue
        done += 1
        log(f"sync of {org.slug} with {account.provider}: {report.documents} documents, "
            f"{report.invoices} invoices, {report.payments} payments")
    return done
