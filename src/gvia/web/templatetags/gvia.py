"""Template tags of the web pages: ``{% load gvia %}``.

- ``{% t "key" %}`` / ``{% t "key" n=count %}``: the UI text in the request's language
  (:mod:`gvia.web.i18n`). Parameters are escaped and wrapped in ``<bdi>`` so a number, an
  invoice number or an e-mail keeps its own direction inside Hebrew text; use parameters only
  in element content, never inside an attribute.
- ``{{ m|money }}``, ``{{ d|day }}``, ``{{ n|num }}``, ``{{ s|ltr }}``: values shown inside an
  LTR isolate (``<bdi dir="ltr">``), formatted by :mod:`gvia.web.display`.
- ``{% html_dir %}`` / ``{% html_lang %}``: the ``dir`` and ``lang`` of the page;
  ``{% other_languages as langs %}`` the languages to switch to, each in its own name;
  ``{{ code|language_name }}`` a language named in the reader's language (CLDR).
- ``{% aging_chart report currency %}``: the server-rendered SVG bar chart; ``{% trend_chart %}``
  the 12-month overdue trend.
- ``{{ text|bidi }}``: a sentence gvia wrote (an explanation), its left-to-right runs isolated.
- ``{{ reason|said }}``: a reason a service gave as a code and values, worded (:mod:`gvia.web.words`).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django import template
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from gvia import locale
from gvia.core.money import Money

from .. import charts, display, i18n, words

register = template.Library()


def _lang() -> str:
    return i18n.normalize(translation.get_language())


@register.simple_tag(name="t")
def t(key: str, **params) -> str:
    lang = _lang()
    if not params:
        return i18n.text(key, lang)
    wrapped = {k: mark_safe(f"<bdi>{conditional_escape(_plain(v))}</bdi>") for k, v in params.items()}
    return mark_safe(i18n.text(key, lang, escape=conditional_escape, **wrapped))


def _plain(v) -> str:
    if isinstance(v, i18n.Key):
        return v.text(_lang())
    if isinstance(v, Money):
        return display.money_text(v)
    if isinstance(v, datetime):
        return display.moment_text(v)
    if isinstance(v, date):
        return display.date_text(v)
    if isinstance(v, int) and not isinstance(v, bool):
        return display.number_text(v)
    return "" if v is None else str(v)


def _isolate(text: str, cls: str = "") -> str:
    if cls:
        return format_html('<bdi dir="ltr" class="{}">{}</bdi>', cls, text)
    return format_html('<bdi dir="ltr">{}</bdi>', text)


@register.filter
def money(value) -> str:
    """A Money as '1,250.00 ₪' in an LTR isolate; negative amounts get the class 'neg'."""
    if value is None or value == "":
        return ""
    if not isinstance(value, Money):
        raise TypeError(f"|money needs a Money, got {type(value).__name__}")
    return _isolate(display.money_text(value), "num neg" if value.is_negative else "num")


@register.filter
def currency_name(code) -> str:
    """An ISO currency code as the reader names it: "שקל חדש (₪)", "US Dollar ($)"."""
    return display.currency_text(str(code)) if code else ""


@register.filter
def day(value) -> str:
    if not value:
        return ""
    return _isolate(display.date_text(value), "num")


@register.filter
def moment(value) -> str:
    """A timestamp in the organization's time zone, e.g. 05/03/2026 14:07."""
    if not value:
        return ""
    return _isolate(display.moment_text(value), "num")


@register.filter
def num(value) -> str:
    if value is None or value == "":
        return ""
    return _isolate(display.number_text(int(value)), "num")


@register.filter
def ltr(value) -> str:
    """Text that is always left-to-right (invoice numbers, e-mails, phones, tax ids)."""
    if value is None or value == "":
        return ""
    return _isolate(str(value))


@register.filter
def phone(value) -> str:
    """A phone number in an LTR isolate, national form for the organization's own country."""
    if not value:
        return ""
    return _isolate(display.phone_text(str(value)))


@register.filter
def shown_range(page) -> str:
    """"51–100": the rows a page shows, as one left-to-right run (a range of two isolated
    numbers would read backwards in Hebrew)."""
    return f"{display.number_text(page.first_index)}–{display.number_text(page.last_index)}"


@register.filter
def said(value) -> str:
    """``{{ reason|said }}``: a value a service gave in codes (a :class:`gvia.core.errors.Worded`
    reason, a date, an amount) in the request's language (:func:`gvia.web.words.value_text`)."""
    return words.value_text(value, _lang())


@register.filter
def tr(key: str) -> str:
    """``{{ "key"|tr }}``: like ``{% t %}`` for a key held in a variable (no parameters)."""
    return i18n.text(str(key), _lang())


@register.simple_tag
def html_lang() -> str:
    return _lang()


@register.simple_tag
def html_dir() -> str:
    return i18n.direction(_lang())


@register.simple_tag
def other_languages() -> list[dict[str, str]]:
    """Every language with a web catalog but the page's, named in its own words."""
    current = _lang()
    return [{"code": code, "name": locale.own_name(code), "dir": locale.direction(code)}
            for code in i18n.languages() if code != current]


@register.filter
def language_name(code) -> str:
    """``{{ customer.language|language_name }}``: "Hebrew" / "עברית" in the reader's language."""
    return i18n.language_name(str(code), _lang()) if code else ""


@register.simple_tag
def aging_chart(report, currency: str) -> str:
    lang = _lang()
    labels = {name: i18n.bucket_label(name, lang) for name in report.buckets}
    return mark_safe(charts.aging_bars(
        report.currencies[currency], labels=labels, rtl=i18n.direction(lang) == "rtl",
        amount_text=display.compact_money_text,
        title=i18n.text("dashboard.chart_title", lang, currency=display.currency_text(currency))))


@register.simple_tag
def role_name(role: str) -> str:
    return i18n.text(f"role.{role}", _lang())


@register.filter
def get_money(totals, code: str):
    """``{{ totals|get_money:"ILS" }}``: one currency of a Totals (zero when absent)."""
    return totals.get_or_zero(code)


@register.filter
def bucket(name: str) -> str:
    """The aging bucket's name for people: "not yet due", "1-30 days", "180+ days"."""
    return i18n.bucket_label(name, _lang())


@register.filter
def aging_total(report, code: str):
    return report.total(code)


@register.simple_tag
def aging_row(report, code: str) -> list:
    row = report.currencies[code]
    return [row[name] for name in report.buckets]


@register.simple_tag(takes_context=True)
def nav_links(context) -> list:
    from .. import navigation

    request = context["request"]
    return navigation.links(request.path, request.access)


@register.simple_tag
def entry_text(entry) -> str:
    """A timeline entry's sentence: ``timeline.<kind>`` filled with its parameters."""
    return t(f"timeline.{entry.kind}", **entry.params)


@register.simple_tag
def status_label(status: str) -> str:
    return i18n.text(f"status.{status}", _lang())


@register.simple_tag
def statement_text(line, due_dates=None) -> str:
    """A statement line's details: the core's English description in English; in Hebrew the
    words for its kind (the reference and amounts are in their own columns). ``due_dates``:
    invoice id -> due date."""
    lang = _lang()
    if lang == "en":
        return line.description
    if line.kind == "invoice" and due_dates and line.document_id in due_dates:
        return t("statement.text.invoice", due=due_dates[line.document_id])
    return i18n.text(f"statement.text.{line.kind}" if line.kind != "invoice" else "statement.kind.invoice", lang)


@register.filter
def lookup(mapping, key):
    """``{{ mapping|lookup:key }}``: one entry of a dict (None when absent)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def minor(value, currency: str):
    """``{{ row.amount_minor|minor:row.currency }}``: stored minor units as a Money."""
    if value is None or value == "":
        return None
    return Money.from_minor(int(value), currency)


@register.simple_tag
def trend_chart(currency: str, points, months) -> str:
    """The overdue amount of ``currency`` month by month (``points`` matching ``months``)."""
    from babel.dates import format_date

    lang = _lang()
    locale = display.current_locale()
    labels = [format_date(m, "MMM yy", locale=locale) for m in months]
    return mark_safe(charts.trend_bars(
        list(zip(labels, points)), rtl=i18n.direction(lang) == "rtl", amount_text=display.compact_money_text,
        title=i18n.text("panel.trend_in", lang, currency=currency), empty_text=i18n.text("panel.no_figure", lang)))


_LTR_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,:/@+_#\-]*(?: [A-Za-z0-9][A-Za-z0-9.,:/@+_#\-]*)*")


@register.filter
def bidi(text) -> str:
    """Text written by gvia in a sentence (an explanation, a record's own words): escaped, with
    each run of left-to-right words in it ("700.00 ILS", "INV-1043", "2026-03-20") in an LTR
    isolate, so it keeps its order inside a Hebrew sentence."""
    if text is None:
        return ""
    out, last = [], 0
    raw = str(text)
    for m in _LTR_RUN.finditer(raw):
        out.append(conditional_escape(raw[last:m.start()]))
        out.append(format_html('<bdi dir="ltr">{}</bdi>', m.group(0)))
        last = m.end()
    out.append(conditional_escape(raw[last:]))
    return mark_safe("".join(str(p) for p in out))
