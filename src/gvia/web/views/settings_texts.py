"""The settings tab of SMS and WhatsApp (owners; issue 16): which provider sends SMS (019 or
Twilio) and its credentials, the WhatsApp Cloud API's, the addresses to give the providers for
their replies and delivery reports, the numbers that asked for no more texts, and the replies
from numbers no customer has. Every value
goes through :mod:`gvia.services.settings` (checked, audited, secrets sealed and never shown
back: a secret field left empty keeps the stored value); a bad value changes nothing."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gvia.services import settings as org_settings
from gvia.services.sending import texts
from gvia.store.models_sms import TextEvent, TextOptOut

from .. import i18n
from ..access import member_required
from ..forms import LabelledForm
from ..request import GviaRequest
from .common import done
from .settings import TABS
from .settings_engine import save_settings

TABS.append(("settings_texts", "settings.tab_texts"))

#: The page's fields and their settings (the providers' API addresses are for tests and operators: CLI only).
FIELDS = {
    "provider": "sms.provider",
    "s019_username": "sms.019.username", "s019_token": "sms.019.token", "s019_source": "sms.019.source",
    "twilio_account_sid": "sms.twilio.account_sid", "twilio_auth_token": "sms.twilio.auth_token",
    "twilio_from": "sms.twilio.from",
    "wa_phone_number_id": "whatsapp.phone_number_id", "wa_token": "whatsapp.token",
    "wa_app_secret": "whatsapp.app_secret", "wa_verify_token": "whatsapp.verify_token",
    "wa_template": "whatsapp.template",
}
SECRET = {f for f, key in FIELDS.items() if org_settings.SETTINGS[key].secret}


class TextsForm(LabelledForm):
    label_keys = {f: f"texts.field.{f}" for f in FIELDS}
    provider = forms.ChoiceField(required=False)

    def __init__(self, *args, lang: str, **kwargs):
        for f in FIELDS:
            if f == "provider":
                continue
            widget = (forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})
                      if f in SECRET else forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}))
            self.base_fields[f] = forms.CharField(required=False, max_length=1000, widget=widget)
        super().__init__(*args, **kwargs)
        choice = self.fields["provider"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [(p, i18n.text(f"texts.choice.{p or 'none'}", lang)) for p in ("", "019", "twilio")]


@require_http_methods(["GET", "POST"])
@member_required("owner")
def settings_texts(request: GviaRequest) -> HttpResponse:
    lang = request.access.lang
    shown = {r["key"]: r for r in org_settings.show(request.ctx)}
    initial = {f: shown[key]["value"] for f, key in FIELDS.items()
               if f not in SECRET and shown[key]["source"] == "set"}
    initial["provider"] = shown["sms.provider"]["value"] or ""
    form = TextsForm(request.POST or None, initial=initial, lang=lang)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = {FIELDS[f]: str(form.cleaned_data.get(f) or "").strip() for f in FIELDS}
            values = {k: v for k, v in values.items() if v or not org_settings.SETTINGS[k].secret}  # empty: kept
            if save_settings(request, form, values, {key: f for f, key in FIELDS.items()}):
                done(request, "settings.saved")
                return redirect("settings_texts")
        status = 400
    rows = []
    for row in texts.show(request.ctx):
        fields = [{"label": i18n.text(f"texts.field.{f}", lang), "set": bool(x["value"]),
                   "value": "" if f in SECRET else x["value"], "environment": x["source"] == "environment"}
                  for x in row["fields"] for f, key in FIELDS.items() if key == x["key"]]
        rows.append({**row, "label": i18n.text(f"texts.choice.{row['provider']}", lang), "shown": fields})
    opt_outs = list(TextOptOut.objects.filter(organization=request.ctx.org).select_related("customer")
                    .order_by("-at")[:200])
    # replies from numbers no customer has: kept (TextEvent), shown here so that a person adds the number
    unmatched = list(TextEvent.objects.filter(organization=request.ctx.org, kind=TextEvent.Kind.INBOUND,
                                              customer__isnull=True).order_by("-at")[:50])
    return render(request, "gvia/settings/texts.html",
                  {"tabs": TABS, "current_tab": "settings_texts", "form": form, "rows": rows, "opt_outs": opt_outs,
                   "unmatched": unmatched}, status=status)
