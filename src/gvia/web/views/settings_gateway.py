"""The settings tab of the payment gateway (owners; issue 16): which gateway takes card payments
from the customer's page, its credentials, and the address to give the gateway for its
notifications. Everything goes through :mod:`gvia.services.gateways.accounts`: secrets are
stored sealed and never shown back (a secret field left empty keeps the stored value); an
unknown gateway or field changes nothing."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gvia import gateways
from gvia.core.errors import RefusedFor, ValidationFailed
from gvia.services.gateways import accounts

from .. import i18n, words
from ..access import member_required
from ..forms import LabelledForm
from ..request import GviaRequest
from .common import done
from .settings import TABS

TABS.append(("settings_gateway", "settings.tab_gateway"))

#: The fields a person sets on the page, by gateway (``api_base`` is for tests and operators: CLI only).
PAGE_FIELDS = {name: tuple(f for f, _ in gateways.adapter(name).FIELDS if f != "api_base") for name in gateways.NAMES}
SECRET = {f for name in gateways.NAMES for f, secret in gateways.adapter(name).FIELDS if secret}


class GatewayForm(LabelledForm):
    label_keys = {"gateway": "gateway.field.gateway",
                  **{f: f"gateway.field.{f}" for fields in PAGE_FIELDS.values() for f in fields}}
    gateway = forms.ChoiceField()

    def __init__(self, *args, lang: str, **kwargs):
        for fields in PAGE_FIELDS.values():
            for f in fields:
                widget = (forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})
                          if f in SECRET else forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}))
                self.base_fields[f] = forms.CharField(required=False, max_length=500, widget=widget)
        super().__init__(*args, **kwargs)
        choice = self.fields["gateway"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [(n, i18n.text(f"gateway.choice.{n}", lang)) for n in gateways.NAMES]


@require_http_methods(["GET", "POST"])
@member_required("owner")
def settings_gateway(request: GviaRequest) -> HttpResponse:
    lang = request.access.lang
    stored = accounts.show(request.ctx)
    in_use = next((r for r in stored if r["active"]), None)
    initial: dict[str, str] = {"gateway": in_use["gateway"] if in_use else gateways.NAMES[0]}
    for row in stored:
        for f in row["fields"]:
            if f["field"] not in SECRET and f["source"] == "set":
                initial[f["field"]] = f["value"]
    form = GatewayForm(request.POST or None, initial=initial, lang=lang)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            name = form.cleaned_data["gateway"]
            values = {f: str(form.cleaned_data.get(f) or "").strip() for f in PAGE_FIELDS[name]}
            values = {f: v for f, v in values.items() if v or f not in SECRET}   # empty secret: kept
            try:
                accounts.set_account(request.ctx, name, values)
            except ValidationFailed as exc:
                for p in exc.problems:
                    form.add_error(None, words.problem_text(p, lang))
            except RefusedFor as exc:
                form.add_error(None, words.refusal_text(exc, lang))
            else:
                done(request, "settings.saved")
                return redirect("settings_gateway")
        status = 400
    rows = []
    for row in stored:
        label = i18n.text(f"gateway.choice.{row['gateway']}", lang)
        fields = [{"label": i18n.text(f"gateway.field.{f['field']}", lang), "set": bool(f["value"]),
                   "value": "" if f["field"] in SECRET else f["value"], "environment": f["source"] == "environment"}
                  for f in row["fields"] if f["field"] in PAGE_FIELDS.get(row["gateway"], ())]
        rows.append({**row, "label": label, "shown": fields})
    return render(request, "gvia/settings/gateway.html",
                  {"tabs": TABS, "current_tab": "settings_gateway", "form": form, "rows": rows,
                   "page_fields": PAGE_FIELDS}, status=status)
