"""Forms: they parse and check the shape of what a page posts; the rules live in the services.

Every form labels its fields from :mod:`gvia.web.i18n` (key ``field.<name>``) in the request's
language, so each input has a visible label.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime
from functools import lru_cache
from typing import Any

from babel.core import get_global
from babel.dates import get_timezone_location
from django import forms
from django.contrib.auth import forms as auth_forms
from django.db.models import CharField as CharColumn
from django.utils import translation

from gvia import locale
from gvia.core.customer_kinds import CUSTOMER_KINDS
from gvia.core.disputes import REASONS as DISPUTE_REASONS
from gvia.core.errors import ValidationFailed
from gvia.core.escalation import CALL_OUTCOMES, SENDING_MODES
from gvia.core.interest import COMPOUNDING, IL_INTEREST_KINDS
from gvia.core.interest import METHODS as INTEREST_METHODS
from gvia.core.nonpayment import REASONS as NONPAYMENT_REASONS
from gvia.core.plans import FREQUENCIES
from gvia.services.org import details as org_details
from gvia.store.models import Document, Membership, Organization

from . import i18n, words

IMPORT_KINDS = ("invoices", "payments", "customers", "unified")   # unified: the Tax Authority's export (zip)


def _lang() -> str:
    return i18n.normalize(translation.get_language())


class Labelled:
    """Mixin: labels (and help texts, key ``help.<name>``) in the current language."""

    label_keys: dict[str, str] = {}
    fields: dict[str, forms.Field]      # the form's own (the mixin goes with a Django form)

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
        lang = _lang()
        self.fields["username"].label = i18n.text("field.email", lang)
        # Django's own words say "username" and talk about upper and lower case
        self.error_messages = {**self.error_messages, "invalid_login": i18n.text("login.invalid", lang),
                               "inactive": i18n.text("login.inactive", lang)}

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

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        """The link goes out on the user's organization's mail path, like its customers' messages
        (gvia.services.sending.people); a failure is raised (MailNotSent), never swallowed."""
        from django.template import loader

        from gvia.services.sending import people

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        people.send(people.organization_of(context.get("user")), to_email, subject, body, "password_reset")


# --- customers and documents -------------------------------------------------------------------

def _choices(prefix: str, values) -> list[tuple[str, str]]:
    lang = _lang()
    return [(v, i18n.text(f"{prefix}.{v}", lang)) for v in values]


def _languages(codes) -> list[tuple[str, str]]:
    """Each language named in the reader's language ("עברית", "אנגלית" on a Hebrew page; "Hebrew",
    "English" on an English one): these choose the language of letters, of a customer or of the
    organization. (The header's menu that switches the page's own language names each language in
    itself, marked with its ``lang``.)"""
    reader = _lang()
    return [(code, locale.language_name(code, reader)) for code in codes]


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
    file = forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,.xls,.ods,.zip"}))
    preset = forms.ChoiceField(required=False)

    def __init__(self, *args, presets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _choices("import.kind", IMPORT_KINDS)
        self.fields["preset"].choices = [("", "—")] + [
            (p.name, f"{p.name} ({i18n.text('import.kind.' + p.kind, _lang())})") for p in presets]


class ColumnField(forms.ChoiceField):
    """The file's column for one field of an import; ``gvia_required``: the import needs that field
    (the template marks it)."""

    def __init__(self, *, gvia_required: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gvia_required = gvia_required


class ImportMappingForm(LabelledForm):
    """One select per canonical field: the file's column that holds it, or none.

    Field names are ``col_<field>``; the choice value is the 1-based column as ``#N`` (what the
    import's ``columns`` overrides accept) or "" for none."""

    date_format = forms.CharField(required=False, max_length=40)
    save_as = forms.CharField(required=False, max_length=100)
    # what the file's kind asks the user to say outright (the import refuses these rows otherwise)
    create_customers = forms.BooleanField(required=False)            # payments
    negative_as_credit_notes = forms.BooleanField(required=False)    # invoices
    KIND_OPTIONS = {"payments": ("create_customers",), "invoices": ("negative_as_credit_notes",)}

    def __init__(self, *args, fields=(), headers=(), initial_columns=None, required=(), kind="", **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("create_customers", "negative_as_credit_notes"):
            if name not in self.KIND_OPTIONS.get(kind, ()):
                del self.fields[name]
        lang = _lang()
        choices = [("", i18n.text("import.no_column", lang))] + [
            (f"#{i + 1}", h.strip() or f"#{i + 1}") for i, h in enumerate(headers)]
        self.field_names = list(fields)
        for name in fields:
            f = ColumnField(required=False, choices=choices, gvia_required=name in required)
            f.label = i18n.text(f"import.field.{name}", lang) if i18n.has(f"import.field.{name}") else name
            f.widget.attrs["data-field"] = name
            self.fields[f"col_{name}"] = f
            if initial_columns and name in initial_columns:
                self.initial[f"col_{name}"] = initial_columns[name]
        # date format and preset name after the columns
        self.order_fields([f"col_{n}" for n in fields] + ["date_format", "save_as", *self.KIND_OPTIONS.get(kind, ())])

    def columns(self) -> dict[str, str]:
        """The overrides for the import: every field, "#N" or "" (not read)."""
        return {name: self.cleaned_data.get(f"col_{name}") or "" for name in self.field_names}

    def _chosen(self, name: str) -> bool:
        key = f"col_{name}"
        value = self.data.get(key) if self.is_bound else self.initial.get(key)
        field = self.fields[key]
        return bool(value) or (isinstance(field, ColumnField) and field.gvia_required)

    def primary_fields(self):
        """The fields that have a column, and the required ones: shown first."""
        return [self[f"col_{n}"] for n in self.field_names if self._chosen(n)]

    def more_fields(self):
        """The optional fields without a column, folded away until needed."""
        return [self[f"col_{n}"] for n in self.field_names if not self._chosen(n)]

    def option_fields(self):
        return [self[n] for n in ("date_format", "save_as", "create_customers", "negative_as_credit_notes")
                if n in self.fields]

    def said(self, option: str) -> bool:
        """Whether the user ticked one of the kind's yes/no options (False when the kind has none)."""
        return option in self.fields and bool(self.cleaned_data.get(option))


# --- settings ----------------------------------------------------------------------------------

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@lru_cache(maxsize=8)
def _zones(lang: str) -> list[tuple[str, str]]:
    """The time zones named in the reader's language (CLDR: "שעון ישראל", "Israel Time"), one per
    name: no alias (Asia/Tel_Aviv is Asia/Jerusalem, CLDR's zone aliases), then the first identifier
    of a name; in the order of the names."""
    aliases = get_global("zone_aliases")
    named: dict[str, str] = {}
    for z in sorted(zoneinfo.available_timezones()):
        if "/" in z and not z.startswith("Etc/") and z not in aliases:
            named.setdefault(get_timezone_location(z, locale=lang), z)
    return sorted(((z, name) for name, z in named.items()), key=lambda c: c[1])


def _org_text(name: str) -> forms.CharField:
    """An optional text field of the organization, as long as its column allows (the model is the
    one home of the length)."""
    column = Organization._meta.get_field(name)
    assert isinstance(column, CharColumn), name
    return forms.CharField(max_length=column.max_length, required=False)


class OrganizationForm(LabelledForm):
    """The organization's details (gvia.services.org.details: the same fields ``gvia org set``
    changes, checked by the same rules)."""

    name = forms.CharField(max_length=200)
    name_en = _org_text("name_en")
    tax_id = _org_text("tax_id")
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    address_en = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    phone = _org_text("phone")
    email = forms.EmailField(required=False)
    bank_name = _org_text("bank_name")
    bank_branch = _org_text("bank_branch")
    bank_account = _org_text("bank_account")
    bank_iban = _org_text("bank_iban")
    bank_beneficiary = _org_text("bank_beneficiary")
    bank_swift = _org_text("bank_swift")
    bank_sort_code = _org_text("bank_sort_code")
    bank_details = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    payment_link = forms.URLField(required=False, assume_scheme="https")
    default_language = forms.ChoiceField(choices=())
    time_zone = forms.ChoiceField(choices=())

    def __init__(self, *args, org=None, **kwargs):
        self.org = org
        super().__init__(*args, **kwargs)
        self.fields["default_language"].choices = _languages(i18n.languages())
        zones = _zones(_lang())
        current = (self.initial.get("time_zone") or getattr(org, "time_zone", "") or "")
        if current and current not in dict(zones):    # an alias chosen before: still shown, by its name
            zones = [*zones, (current, get_timezone_location(current, locale=_lang()))]
        self.fields["time_zone"].choices = zones

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(i18n.text("settings.name_required", _lang()))
        return name

    def clean_bank_iban(self):
        """An IBAN whose check digits agree (gvia.services.org.details.check), kept without spaces."""
        try:
            return org_details.check(self.org or Organization(), "bank_iban", self.cleaned_data["bank_iban"])
        except ValidationFailed:
            raise forms.ValidationError(i18n.text("settings.bad_iban", _lang())) from None

    def clean_phone(self):
        """A phone number as ``phonenumbers`` reads it in the organization's country."""
        try:
            return org_details.check(self.org or Organization(), "phone", self.cleaned_data["phone"])
        except ValidationFailed:
            raise forms.ValidationError(i18n.text("settings.bad_phone", _lang())) from None


class LetterheadForm(LabelledForm):
    signatory_name = forms.CharField(max_length=200, required=False)
    signatory_title = forms.CharField(max_length=200, required=False)
    signatory_name_en = forms.CharField(max_length=200, required=False)
    signatory_title_en = forms.CharField(max_length=200, required=False)
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


# --- the case: calls, promises, plans, settlements, disputes, pauses, notes --------------------
# The services check the rules (dates not in the past, amounts exact to the currency, limits);
# these forms only read the shape. A service's ValidationFailed names its fields as the CLI
# does ("promise-date", "invoice"...): :data:`SERVICE_FIELDS` maps them back to these fields.

SERVICE_FIELDS = {"promise-date": "promise_date", "invoice": "invoices", "at": "call_back_at", "date": "due",
                  "first": "first", "down": "down", "installments": "installments", "deadline": "deadline",
                  "amount": "amount", "currency": "currency", "reason": "reason", "until": "until",
                  "text": "text", "note": "note", "owner": "note"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class LocalDateTimeField(forms.Field):
    """A date and time as the person typed it (``<input type=datetime-local>``), without a time
    zone: the view puts it in the organization's."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"):
            try:
                return datetime.strptime(str(value).strip(), fmt)
            except ValueError:
                continue
        raise forms.ValidationError(i18n.text("case.bad_moment", _lang()))


def apply_problems(form, exc) -> None:
    """Show a service's ValidationFailed on the form: each problem next to its field when the
    form has it, else above the form."""
    lang = _lang()
    for p in exc.problems:
        name = SERVICE_FIELDS.get(p.field, p.field)
        worded = words.problem_text(p, lang) if p.code else ""
        message = worded if worded and worded != p.message else (
            p.message + (f" ({p.value})" if p.value not in ("", None) else ""))
        if name in form.fields:
            form.add_error(name, message)
        else:
            form.add_error(None, words.problem_line(p, lang))
    if not exc.problems:
        form.add_error(None, words.summary_text(exc, lang))


class CallForm(LabelledForm):
    """What a call achieved; the follow-up fields the outcome needs (the service says which)."""

    label_keys = {"outcome": "call.field.outcome", "promise_date": "call.field.promise_date",
                  "amount": "call.field.amount", "invoices": "call.field.invoices", "reason": "call.field.reason",
                  "call_back_at": "call.field.call_back_at", "note": "call.field.note",
                  "replace_promise": "promise.field.replace_open", "nonpayment": "call.field.nonpayment"}
    outcome = forms.ChoiceField()
    promise_date = forms.DateField(required=False, widget=DateInput())
    amount = forms.CharField(required=False, max_length=30)
    invoices = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(required=False, max_length=300)
    call_back_at = LocalDateTimeField(required=False)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    replace_promise = forms.BooleanField(required=False)
    nonpayment = forms.ChoiceField(required=False)      # why they have not paid, as said on the call

    def __init__(self, *args, invoice_numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = _choices("call.outcome", CALL_OUTCOMES)
        self.fields["nonpayment"].choices = [("", "—")] + _choices("nonpayment", NONPAYMENT_REASONS)
        self.fields["invoices"].choices = [(n, n) for n in invoice_numbers]


class PromiseForm(LabelledForm):
    label_keys = {"amount": "promise.field.amount", "due": "promise.field.due", "currency": "case.field.currency",
                  "note": "case.field.note", "replace_open": "promise.field.replace_open"}
    amount = forms.CharField(required=False, max_length=30)
    due = forms.DateField(widget=DateInput())
    currency = forms.ChoiceField(required=False)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    replace_open = forms.BooleanField(required=False)

    def __init__(self, *args, currencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [("", "—")] + [(c, c) for c in currencies]


class PlanForm(LabelledForm):
    label_keys = {"installments": "plan.field.installments", "frequency": "plan.field.frequency",
                  "first": "plan.field.first", "down": "plan.field.down", "cheques": "plan.field.cheques",
                  "currency": "case.field.currency"}
    installments = forms.IntegerField(min_value=1, max_value=360, initial=3)
    frequency = forms.ChoiceField()
    first = forms.DateField(widget=DateInput())
    down = forms.CharField(required=False, max_length=30)
    cheques = forms.BooleanField(required=False)
    currency = forms.ChoiceField(required=False)

    def __init__(self, *args, currencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frequency"].choices = _choices("plan.frequency", FREQUENCIES)
        self.fields["frequency"].initial = "monthly"
        self.fields["currency"].choices = [("", "—")] + [(c, c) for c in currencies]

    def terms(self) -> dict:
        d = self.cleaned_data
        return {"installments": d["installments"], "frequency": d["frequency"], "first": d["first"],
                "down": d["down"].strip() or None, "cheques": d["cheques"], "currency": d["currency"] or None}


class SettlementForm(LabelledForm):
    label_keys = {"amount": "settlement.field.amount", "deadline": "settlement.field.deadline",
                  "reason": "settlement.field.reason", "currency": "case.field.currency",
                  "waives_interest": "settlement.field.waives_interest"}
    amount = forms.CharField(max_length=30)
    deadline = forms.DateField(widget=DateInput())
    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    currency = forms.ChoiceField(required=False)
    waives_interest = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args, currencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [("", "—")] + [(c, c) for c in currencies]


class DecisionForm(LabelledForm):
    """Approve or decline something with a reason (settlements, messages)."""

    label_keys = {"reason": "case.field.decision_reason"}
    reason = forms.CharField(required=False, max_length=1000)


class DisputeForm(LabelledForm):
    label_keys = {"invoices": "dispute.field.invoices", "reason": "dispute.field.reason", "note": "case.field.note"}
    invoices = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)
    reason = forms.ChoiceField()
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, invoice_numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invoices"].choices = [(n, n) for n in invoice_numbers]
        self.fields["reason"].choices = _choices("dispute.reason", DISPUTE_REASONS)


DISPUTE_OUTCOMES = ("rejected", "valid_credit_note", "valid_write_off")


class DisputeResolveForm(LabelledForm):
    label_keys = {"outcome": "dispute.field.outcome", "note": "case.field.note"}
    outcome = forms.ChoiceField()
    note = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = _choices("dispute.outcome", DISPUTE_OUTCOMES)


class PauseForm(LabelledForm):
    label_keys = {"until": "pause.field.until", "reason": "pause.field.reason"}
    until = forms.DateField(widget=DateInput())
    reason = forms.CharField(max_length=500)


NOTE_KINDS = ("note", "reply")


class CustomerDetailsForm(LabelledForm):
    """A customer's details and first address (gvia.services.ledger.customers.update_customer
    checks them as an import does)."""

    label_keys = {name: f"customer.field.{name}" for name in (
        "name", "kind", "tax_id", "email", "phone", "language", "claim_basis", "line1", "line2", "city",
        "postal_code", "do_not_chase", "do_not_chase_reason", "policy", "vat_exempt", "large_business")}
    name = forms.CharField(max_length=300)
    kind = forms.ChoiceField()
    tax_id = forms.CharField(max_length=40, required=False)
    email = forms.CharField(max_length=254, required=False)
    phone = forms.CharField(max_length=40, required=False)
    language = forms.ChoiceField()
    claim_basis = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    vat_exempt = forms.BooleanField(required=False)
    large_business = forms.BooleanField(required=False)  # the suppliers' payment law (gvia.core.suppliers_law)
    line1 = forms.CharField(max_length=200, required=False)
    line2 = forms.CharField(max_length=200, required=False)
    city = forms.CharField(max_length=100, required=False)
    postal_code = forms.CharField(max_length=20, required=False)
    do_not_chase = forms.BooleanField(required=False)
    do_not_chase_reason = forms.CharField(max_length=300, required=False)
    policy = forms.ChoiceField(required=False)

    def __init__(self, *args, policies=(), **kwargs):
        """``policies``: the names of the organization's ladders (none chosen: its default)."""
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = [("", i18n.text("customer.policy_default", _lang()))] + [
            (name, name) for name in policies]
        self.fields["kind"].choices = _choices("customer.kind", CUSTOMER_KINDS)
        self.fields["language"].choices = _languages(locale.languages("documents"))
        self.fields["claim_basis"].help_text = i18n.text("customer.help.claim_basis", _lang())
        self.fields["large_business"].help_text = i18n.text("customer.help.large_business", _lang())


class NoteForm(LabelledForm):
    label_keys = {"kind": "note.field.kind", "text": "note.field.text"}
    kind = forms.ChoiceField(widget=forms.RadioSelect, initial="note")
    text = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _choices("note.kind", NOTE_KINDS)


class ReasonForm(LabelledForm):
    """Why the customer has not paid (:mod:`gvia.core.nonpayment`), and a note."""

    label_keys = {"reason": "reason.field.reason", "note": "reason.field.note"}
    reason = forms.ChoiceField()
    note = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = _choices("nonpayment", NONPAYMENT_REASONS)


class CreditHoldForm(LabelledForm):
    """Put the customer on credit hold with a reason, or lift it."""

    label_keys = {"reason": "credit_hold.field.reason", "lift": "credit_hold.field.lift"}
    reason = forms.CharField(max_length=300, required=False)
    lift = forms.BooleanField(required=False)


class CaseFileForm(LabelledForm):
    label_keys = {"as_of": "casefile.field.as_of", "language": "casefile.field.language"}
    as_of = forms.DateField(required=False, widget=DateInput())
    language = forms.ChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "—"), *_languages(locale.languages("documents"))]


class FreeTextForm(LabelledForm):
    label_keys = {"free_text": "message.field.free_text"}
    free_text = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


# --- policy and settings -----------------------------------------------------------------------

class PolicyTextForm(LabelledForm):
    label_keys = {"text": "policy.field.text"}
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 28, "spellcheck": "false", "dir": "ltr",
                                                        "class": "code"}), strip=False)


class SendingForm(LabelledForm):
    """Keys of :mod:`gvia.services.settings`; empty means "back to the default"."""

    label_keys = {k: f"setting.{k}" for k in ("sending_mode", "sending_hours", "daily_run_time",
                                              "send_rate_per_minute")}
    sending_mode = forms.ChoiceField()
    sending_hours = forms.CharField(required=False, max_length=20)
    daily_run_time = forms.CharField(required=False, max_length=5)
    send_rate_per_minute = forms.CharField(required=False, max_length=7)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sending_mode"].choices = _choices("setting.mode", SENDING_MODES)


class CalendarForm(LabelledForm):
    label_keys = {k: f"setting.{k}" for k in ("weekend", "extra_holidays", "extra_workdays")}
    weekend = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    extra_holidays = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    extra_workdays = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weekend"].choices = _choices("weekday", ("sun", "mon", "tue", "wed", "thu", "fri", "sat"))


SMTP_SECURITY = ("none", "starttls", "ssl")


class SmtpForm(LabelledForm):
    label_keys = {k: f"setting.smtp_{k}" for k in ("host", "port", "user", "password", "security", "mail_from")}
    host = forms.CharField(required=False, max_length=255)
    port = forms.CharField(required=False, max_length=5)
    user = forms.CharField(required=False, max_length=254)
    password = forms.CharField(required=False, max_length=500,
                               widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}))
    security = forms.ChoiceField()
    mail_from = forms.CharField(required=False, max_length=254)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["security"].choices = _choices("setting.security", SMTP_SECURITY)


class ReplyMailboxForm(LabelledForm):
    """The reply mailbox read over IMAP (issue 16; :mod:`gvia.services.mailbox`)."""
    label_keys = {k: f"setting.mailbox_{k}" for k in ("host", "port", "user", "password", "folder", "security",
                                                       "poll_minutes")}
    host = forms.CharField(required=False, max_length=255)
    port = forms.CharField(required=False, max_length=5)
    user = forms.CharField(required=False, max_length=254)
    password = forms.CharField(required=False, max_length=500,
                               widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}))
    folder = forms.CharField(required=False, max_length=200)
    security = forms.ChoiceField()
    poll_minutes = forms.CharField(required=False, max_length=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["security"].choices = _choices("setting.security", ("ssl", "starttls", "none"))


class MailTestForm(LabelledForm):
    label_keys = {"address": "setting.test_address"}
    address = forms.EmailField()


INTEREST_FIELDS = ("percent", "compounding", "grace_days", "reference", "day_count", "margin", "fixed_fee",
                   "fee_currency", "interest")


class InterestForm(LabelledForm):
    """The organization's interest rule: the method and its settings as text (the core checks
    them: :func:`gvia.core.interest.parse_interest_rule`)."""

    label_keys = {k: f"interest.field.{k}" for k in ("method",) + INTEREST_FIELDS}
    method = forms.ChoiceField()
    percent = forms.CharField(required=False, max_length=20)
    compounding = forms.ChoiceField(required=False)
    grace_days = forms.CharField(required=False, max_length=5)
    reference = forms.CharField(required=False, max_length=60)
    day_count = forms.CharField(required=False, max_length=20)
    margin = forms.CharField(required=False, max_length=20)
    fixed_fee = forms.CharField(required=False, max_length=20)
    fee_currency = forms.CharField(required=False, max_length=3)
    interest = forms.ChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = _choices("interest.method", INTEREST_METHODS)
        self.fields["compounding"].choices = [("", "—")] + _choices("interest.compounding", COMPOUNDING)
        self.fields["interest"].choices = [("", "—")] + _choices("interest.il_kind", IL_INTEREST_KINDS)

    def rule(self) -> dict:
        """The rule as the service takes it: the method and the settings that were filled in."""
        d = self.cleaned_data
        out = {"method": d["method"]}
        for name in INTEREST_FIELDS:
            value = (d.get(name) or "").strip()
            if value:
                out[name] = value
        return out
