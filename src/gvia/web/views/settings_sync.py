"""The settings tab of the invoicing services (issue 18): Morning and iCount, where the business
keeps its documents. Everyone sees where each sync stands (the last success, the last try's
error, whether the organization's messages wait for it); owners set the credentials; collectors
and owners may sync now. Everything goes through :mod:`gvia.services.ledger.sync`: secrets are
stored sealed and never shown back (a secret field left empty keeps the stored value); an
unknown service or field changes nothing."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gvia.core.errors import GviaError, RefusedFor, ValidationFailed
from gvia.services.ledger import sync

from .. import i18n, words
from ..access import forbidden, member_required
from ..forms import LabelledForm
from ..request import GviaRequest
from .common import done
from .settings import TABS

TABS.append(("settings_sync", "settings.tab_sync"))

NAMES = tuple(sync.PROVIDERS)
#: The fields a person sets on the page, by service (``api_base`` is for tests and operators: CLI only).
PAGE_FIELDS = {name: tuple(f for f, _ in sync.PROVIDERS[name].FIELDS if f != "api_base") for name in NAMES}
SECRET = {f for name in NAMES for f, secret in sync.PROVIDERS[name].FIELDS if secret}


class SyncForm(LabelledForm):
    label_keys = {"provider": "sync.field.provider",
                  **{f: f"sync.field.{f}" for fields in PAGE_FIELDS.values() for f in fields}}
    provider = forms.ChoiceField()

    def __init__(self, *args, lang: str, **kwargs):
        for fields in PAGE_FIELDS.values():
            for f in fields:
                widget = (forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})
                          if f in SECRET else forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}))
                self.base_fields[f] = forms.CharField(required=False, max_length=500, widget=widget)
        super().__init__(*args, **kwargs)
        choice = self.fields["provider"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [(n, i18n.text(f"sync.provider.{n}", lang)) for n in NAMES]


def _rows(stored: list[dict], lang: str) -> list[dict]:
    rows = []
    for row in stored:
        shown = [{"label": i18n.text(f"sync.field.{f['field']}", lang), "set": bool(f["value"]),
                  "value": "" if f["field"] in SECRET else f["value"], "environment": f["source"] == "environment"}
                 for f in row["fields"] if f["field"] in PAGE_FIELDS.get(row["provider"], ())]
        rows.append({**row, "label": i18n.text(f"sync.provider.{row['provider']}", lang), "shown": shown,
                     "counts": row["last_counts"] or {}})
    return rows


@require_http_methods(["GET", "POST"])
@member_required("viewer", change=True)
def settings_sync(request: GviaRequest) -> HttpResponse:
    """GET: the services and where each sync stands; POST (owners): a service's credentials."""
    lang = request.access.lang
    stored = sync.show(request.ctx)
    initial: dict[str, str] = {"provider": stored[0]["provider"] if stored else NAMES[0]}
    for row in stored:
        for f in row["fields"]:
            if f["field"] not in SECRET and f["source"] == "set":
                initial[f["field"]] = f["value"]
    form = SyncForm(request.POST or None, initial=initial, lang=lang) if request.access.is_owner else None
    status = 200
    if request.method == "POST":
        if form is None:
            return forbidden(request, "needs_owner")
        if form.is_valid():
            name = form.cleaned_data["provider"]
            values = {f: str(form.cleaned_data.get(f) or "").strip() for f in PAGE_FIELDS[name]}
            values = {f: v for f, v in values.items() if v or f not in SECRET}   # empty secret: kept
            try:
                sync.set_account(request.ctx, name, values)
            except ValidationFailed as exc:
                for p in exc.problems:
                    form.add_error(None, words.problem_text(p, lang))
            except RefusedFor as exc:
                form.add_error(None, words.refusal_text(exc, lang))
            else:
                done(request, "settings.saved")
                return redirect("settings_sync")
        status = 400
    return render(request, "gvia/settings/sync.html",
                  {"tabs": TABS, "current_tab": "settings_sync", "form": form, "rows": _rows(stored, lang),
                   "can_sync": request.access.can_change}, status=status)


@require_POST
@member_required("collector")
def settings_sync_now(request: GviaRequest) -> HttpResponse:
    """Sync one service now (collectors and owners); a failure is recorded on the account and said,
    worded from ``sync.error.<code>`` (the first problems of a document that cannot be imported)."""
    lang = request.access.lang
    name = request.POST.get("provider", "")
    if name not in NAMES:
        return redirect("settings_sync")
    try:
        report = sync.sync(request.ctx, name)
    except ValidationFailed as exc:
        messages.error(request, i18n.text("sync.failed_now", lang, reason=i18n.text("sync.error.file_problems", lang)))
        for p in exc.problems[:5]:
            messages.error(request, words.problem_text(p, lang))
    except GviaError as exc:
        key = f"sync.error.{getattr(exc, 'code', '')}"
        reason = i18n.text(key if i18n.has(key) else "sync.error.sync_failed", lang)
        messages.error(request, i18n.text("sync.failed_now", lang, reason=reason))
    else:
        done(request, "sync.done_now", provider=i18n.text(f"sync.provider.{name}", lang), documents=report.documents,
             invoices=report.invoices, payments=report.payments)
    return redirect("settings_sync")
