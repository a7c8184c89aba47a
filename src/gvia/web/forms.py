"""Forms: they parse and check the shape of what a page posts; the rules live in the services.

Every form labels its fields from :mod:`gvia.web.i18n` (key ``field.<name>``) in the request's
language, so each input has a visible label.
"""

from __future__ import annotations

import re
import zoneinfo

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils import translation

from gvia.store.models import Document, Membership

from . import i18n

IMPORT_KINDS = ("invoices", "payments", "customers")


def _lang() -> str:
    return i18n.normalize(translation.get_language())


class Labelled:
    """Mixin: labels (and help texts, key ``help.<name>``) in the current language."""

    label_keys: dict[str, str] = {}

    def _label_fields(self) -> None:
        lang = _lang()
        for name, field in self.fields.items():
            field.label = i18n.text(self.label_keys.get(name, f"field.{name}"), lang)
            help_key = f"help.{name}"
            if i18n.has(help_key):
                field.help_text = i18n.text(help_key, lang)


class LabelledForm(Labelled, forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self._label_fields()


# --- sign in -----------------------------------------------------------------------------------

class EmailLoginForm(Labelled, auth_forms.AuthenticationForm):
    """Sign in with an e-mail address: user names are the lower-cased e-mail."""

    username = auth_forms.UsernameField(widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}))

    def __init__(self, request=None, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(request, *args, **kwargs)
        self._label_fields()
        self.fields["username"].label = i18n.text("field.email", _lang())

    def clean_username(self):
        return (self.cleaned_data.get("username") or "").strip().lower()


class PasswordChangeForm(Labelled, auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self._label_fields()


class SetPasswordForm(Labelled, auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self._label_fields()


class PasswordResetForm(Labelled, auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self._label_fields()


# --- customers and documents -------------------------------------------------------------------

def _choices(prefix: str, values) -> list[tuple[str, str]]:
    lang = _lang()
    return [(v, i18n.text(f"{prefix}.{v}", lang)) for v in values]


class DocumentForm(LabelledForm):
    label_keys = {"kind": "field.document_kind"}
    kind = forms.ChoiceField()
    invoice = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    file = forms.FileField()

    def __init__(self, *args, invoices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _choices("document", Document.Kind.values)
        self.fields["invoice"].choices = [("", "—")] + [(str(i.id), i.number) for i in invoices]


# --- imports -----------------------------------------------------------------------------------

class ImportUploadForm(LabelledForm):
    label_keys = {"kind": "field.import_kind"}
    kind = forms.ChoiceField()
    file = forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,.xls,.ods"}))
    preset = forms.ChoiceField(required=False)

    def __init__(self, *args, presets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _choices("import.kind", IMPORT_KINDS)
        self.fields["preset"].choices = [("", "—")] + [(p.name, f"{p.name} ({i18n.text('import.kind.' + p.kind, _lang())})")
                                                      for p in presets]


class ImportMappingForm(LabelledForm):
    """One select per canonical field: the file's column that holds it, or none.

    Field names are ``col_<field>``; the choice value is the 1-based column as ``#N`` (what the
    import's ``columns`` overrides accept) or "" for none."""

    date_format = forms.CharField(required=False, max_length=40)
    save_as = forms.CharField(required=False, max_length=100)

    def __init__(self, *args, fields=(), headers=(), initial_columns=None, required=(), **kwargs):
        super().__init__(*args, **kwargs)
        lang = _lang()
        choices = [("", i18n.text("import.no_column", lang))] + [
            (f"#{i + 1}", h.strip() or f"#{i + 1}") for i, h in enumerate(headers)]
        self.field_names = list(fields)
        for name in fields:
            f = forms.ChoiceField(required=False, choices=choices)
            f.label = i18n.text(f"import.field.{name}", lang) if i18n.has(f"import.field.{name}") else name
            f.widget.attrs["data-field"] = name
            f.gvia_required = name in required
            self.fields[f"col_{name}"] = f
            if initial_columns and name in initial_columns:
                self.initial[f"col_{name}"] = initial_columns[name]
        # date format and preset name after the columns
        self.order_fields([f"col_{n}" for n in fields] + ["date_format", "save_as"])

    def columns(self) -> dict[str, str]:
        """The overrides for the import: every field, "#N" or "" (not read)."""
        return {name: self.cleaned_data.get(f"col_{name}") or "" for name in self.field_names}

    def column_fields(self):
        return [self[f"col_{n}"] for n in self.field_names]

    def _chosen(self, name: str) -> bool:
        key = f"col_{name}"
        value = self.data.get(key) if self.is_bound else self.initial.get(key)
        return bool(value) or self.fields[key].gvia_required

    def primary_fields(self):
        """The fields that have a column, and the required ones: shown first."""
        return [self[f"col_{n}"] for n in self.field_names if self._chosen(n)]

    def more_fields(self):
        """The optional fields without a column, folded away until needed."""
        return [self[f"col_{n}"] for n in self.field_names if not self._chosen(n)]

    def option_fields(self):
        return [self["date_format"], self["save_as"]]


# --- settings ----------------------------------------------------------------------------------

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _zones() -> list[tuple[str, str]]:
    return [(z, z) for z in sorted(zoneinfo.available_timezones()) if "/" in z and not z.startswith("Etc/")]


class OrganizationForm(LabelledForm):
    name = forms.CharField(max_length=200)
    tax_id = forms.CharField(max_length=40, required=False)
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    phone = forms.CharField(max_length=40, required=False)
    email = forms.EmailField(required=False)
    bank_details = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    payment_link = forms.URLField(required=False, assume_scheme="https")
    default_language = forms.ChoiceField(choices=())
    time_zone = forms.ChoiceField(choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_language"].choices = [("he", "עברית"), ("en", "English")]
        self.fields["time_zone"].choices = _zones()

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(i18n.text("settings.name_required", _lang()))
        return name


class LetterheadForm(LabelledForm):
    signatory_name = forms.CharField(max_length=200, required=False)
    signatory_title = forms.CharField(max_length=200, required=False)
    accent_color = forms.CharField(max_length=7, widget=forms.TextInput(attrs={"type": "color"}))
    logo = forms.FileField(required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}))
    remove_logo = forms.BooleanField(required=False)

    def clean_accent_color(self):
        value = self.cleaned_data["accent_color"]
        if not _COLOUR.match(value):
            raise forms.ValidationError(i18n.text("settings.bad_colour", _lang()))
        return value.lower()


class InviteForm(LabelledForm):
    email = forms.EmailField()
    role = forms.ChoiceField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _choices("role", Membership.Role.values)


class RoleForm(LabelledForm):
    role = forms.ChoiceField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _choices("role", Membership.Role.values)
