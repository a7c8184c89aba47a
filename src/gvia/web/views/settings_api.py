"""The settings tab "API keys" (owners; issue 18): the organization's keys for the REST API
(``/api/v1``) — make one (shown on the answering page once, never again: gvia keeps its digest),
see each one's name, prefix, scope, when it was made and last used, and revoke one. Every change
goes through :mod:`gvia.services.apikeys` (checked, audited); the same functions as ``gvia api
key``. A key is named in the revoke form by its id, found only among the organization's own."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gvia.core.errors import GviaError, NotFound, RefusedFor, ValidationFailed
from gvia.services import apikeys

from .. import i18n, words
from ..access import member_required
from ..forms import LabelledForm
from ..request import GviaRequest
from .common import done, report_error
from .settings import TABS

TABS.append(("settings_api", "settings.tab_api"))


class KeyForm(LabelledForm):
    label_keys = {"name": "apikeys.field.name", "scope": "apikeys.field.scope"}
    name = forms.CharField(required=False, max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    scope = forms.ChoiceField(required=False)

    def __init__(self, *args, lang: str, **kwargs):
        super().__init__(*args, **kwargs)
        choice = self.fields["scope"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [(s, i18n.text(f"apikeys.scope.{s}", lang)) for s in apikeys.SCOPES]


#: the HTTP header a program sends (shown as code, in no language)
AUTH_HEADER = "Authorization: Bearer gvia_…"


@require_http_methods(["GET", "POST"])
@member_required("owner")
def settings_api(request: GviaRequest) -> HttpResponse:
    lang = request.access.lang
    form = KeyForm(initial={"scope": "read"}, lang=lang)
    made = None
    status = 200
    if request.method == "POST" and request.POST.get("action") == "revoke":
        try:
            row = apikeys.revoke_key(request.ctx, str(request.POST.get("key", "")).strip()[:20])
        except NotFound:
            # another organization's key, or none: the refusal people read (a 404 page would say less)
            typed = str(request.POST.get("key", ""))[:20]
            report_error(request, RefusedFor("api_key_unknown", "no such API key", key=typed))
        except GviaError as exc:
            report_error(request, exc)
        else:
            done(request, "apikeys.revoked", name=row.name, prefix=row.prefix)
        return redirect("settings_api")
    if request.method == "POST":
        form = KeyForm(request.POST, lang=lang)
        if form.is_valid():
            try:
                made = apikeys.create_key(request.ctx, form.cleaned_data.get("name") or "",
                                          form.cleaned_data.get("scope") or "read")
            except ValidationFailed as exc:
                for p in exc.problems:
                    form.add_error(None, words.problem_text(p, lang))
            except GviaError as exc:
                form.add_error(None, words.refusal_text(exc, lang))
            else:
                form = KeyForm(initial={"scope": "read"}, lang=lang)
        if made is None:
            status = 400
    response = render(request, "gvia/settings/api.html",
                      {"tabs": TABS, "current_tab": "settings_api", "form": form, "made": made,
                       "keys": apikeys.list_keys(request.ctx, include_revoked=True)[:200],
                       "auth_header": AUTH_HEADER}, status=status)
    if made is not None:
        response["Cache-Control"] = "no-store"       # the key is on this page only
    return response

