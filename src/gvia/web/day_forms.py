"""The forms of the collector's day outside the command line (issue 13): a payment recorded by
hand, a letter on demand, a registered letter's posting. They check shape only; the rules are the
services' (:mod:`gvia.services.ledger.payments`, :mod:`gvia.services.letters.on_demand`,
:func:`gvia.services.sending.outbox.record_registered`)."""

from __future__ import annotations

from django import forms

from gvia import locale
from gvia.core.errors import ValidationFailed
from gvia.services.ledger.payments import METHODS
from gvia.services.letters.on_demand import DOCUMENTS

from . import i18n
from .forms import DateInput, LabelledForm, _choices, _lang, _languages
from .words import problem_text


class PaymentForm(LabelledForm):
    label_keys = {name: f"payment.field.{name}" for name in (
        "amount", "currency", "date", "method", "cheque_number", "value_date", "reference", "invoice_number")}
    amount = forms.DecimalField(max_digits=18, decimal_places=2)
    currency = forms.ChoiceField()
    date = forms.DateField(widget=DateInput())
    method = forms.ChoiceField()
    cheque_number = forms.CharField(max_length=40, required=False)
    value_date = forms.DateField(required=False, widget=DateInput())
    reference = forms.CharField(max_length=100, required=False)
    invoice_number = forms.ChoiceField(required=False)

    def __init__(self, *args, currencies=(), invoice_numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [(c, c) for c in currencies]
        self.fields["method"].choices = _choices("method", METHODS)
        self.fields["invoice_number"].choices = [("", "—")] + [(n, n) for n in invoice_numbers]


class LetterForm(LabelledForm):
    label_keys = {"document": "letter.field.document", "language": "letter.field.language"}
    document = forms.ChoiceField()
    language = forms.ChoiceField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = _choices("doc", DOCUMENTS)
        self.fields["language"].choices = _languages(locale.languages("documents"))


class RegisteredForm(LabelledForm):
    label_keys = {"number": "mail.field.number", "posted": "mail.field.posted", "delivered": "mail.field.delivered"}
    number = forms.CharField(max_length=60)
    posted = forms.DateField(widget=DateInput())
    delivered = forms.DateField(required=False, widget=DateInput())


def word_problems(form, exc: ValidationFailed, keys: dict[str, str] | None = None) -> None:
    """A service's problems on the form in the reader's language, next to their field when the
    form has it, else above the form: a coded problem is worded by :func:`gvia.web.words.problem_text`,
    else by the key ``keys`` gives for its field (a service that still words its own)."""
    lang = _lang()
    for p in exc.problems:
        key = (keys or {}).get(p.field, "")
        if p.code and i18n.has(f"problem.{p.code}"):
            words = problem_text(p, lang)
        else:
            words = i18n.text(key, lang) if key else str(p)
        form.add_error(p.field if p.field in form.fields else None, words)


class ContactForm(LabelledForm):
    label_keys = {name: f"contact.field.{name}" for name in (
        "name", "role", "email", "phone", "is_primary", "is_billing", "cc")}
    name = forms.CharField(max_length=200, required=False)
    role = forms.CharField(max_length=100, required=False)
    email = forms.CharField(max_length=254, required=False)
    phone = forms.CharField(max_length=40, required=False)
    is_primary = forms.BooleanField(required=False)
    is_billing = forms.BooleanField(required=False)
    cc = forms.BooleanField(required=False)
