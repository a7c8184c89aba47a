"""The settings tabs of the engine (owners): sending (mode, hours, the daily run's time, the
send rate), the business calendar (days off each week, extra holidays and work days), e-mail
(the SMTP server, a connection check and a test message), the interest rule, and — when no
SMTP server is set — the local mail catcher's messages as the customer would see them.

Every value goes through :mod:`gvia.services.settings` (checked, audited; the SMTP password is
never shown back), the interest rule through :mod:`gvia.services.legal.interest`. A form with a bad
value changes nothing: its settings are saved together or not at all, and each problem is shown
next to its field.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import messages as flash
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from gvia.channels.smtp import SendError, check_connection
from gvia.core.calendar import weekend_for
from gvia.core.errors import GviaError, NotFound, Refused, ValidationFailed
from gvia.services import settings as org_settings
from gvia.services.legal import interest
from gvia.services.locality import org_calendar
from gvia.services.mailbox.reading import check_mailbox, last_state
from gvia.services.sending import mailconfig
from gvia.services.settings import WEEKDAYS

from .. import forms, i18n, mailbox, words
from ..access import member_required
from ..request import GviaRequest
from .common import done, today
from .settings import TABS

TABS.extend([
    ("settings_sending", "settings.tab_sending"),
    ("settings_calendar", "settings.tab_calendar"),
    ("settings_mail", "settings.tab_mail"),
    ("settings_interest", "settings.tab_interest"),
    ("settings_mailbox", "settings.tab_mailbox"),
])

SENDING_KEYS = ("sending_mode", "sending_hours", "daily_run_time", "send_rate_per_minute")
CALENDAR_KEYS = ("weekend", "extra_holidays", "extra_workdays")
SMTP_KEYS = ("host", "port", "user", "password", "security", "mail_from")
MAILBOX_KEYS = ("host", "port", "user", "password", "folder", "security", "poll_minutes")   # the reply mailbox


def _shown(request: GviaRequest, keys: Iterable[str]) -> dict[str, dict]:
    """The settings ``keys`` as they stand: value and source (:func:`gvia.services.settings.show`)."""
    return {r["key"]: r for r in org_settings.show(request.ctx, keys)}


def save_settings(request: GviaRequest, form, values: dict[str, str], field_of: dict[str, str]) -> bool:
    """Set each setting whose value differs from the one in force (an empty value goes back to
    the default); all or nothing. The service's problems go to the form's fields (``field_of``:
    key -> field)."""
    shown = _shown(request, values)
    failed = False
    with transaction.atomic():
        for key, value in values.items():
            row = shown[key]
            try:
                if value == "":
                    if row["source"] == "set":
                        org_settings.unset_setting(request.ctx, key)
                elif row["source"] == "environment" or str(row["value"]) != value:
                    org_settings.set_setting(request.ctx, key, value)
            except ValidationFailed as exc:
                failed = True
                for p in exc.problems:
                    form.add_error(field_of.get(key), words.problem_text(p, request.access.lang))
        if failed:
            transaction.set_rollback(True)
    if failed:
        request.ctx.org.refresh_from_db()
    return not failed


def _tab(request: GviaRequest, template: str, name: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"gvia/settings/{template}", {"tabs": TABS, "current_tab": name, **context},
                  status=status)


# --- sending -------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@member_required("owner")
def settings_sending(request: GviaRequest) -> HttpResponse:
    shown = _shown(request, SENDING_KEYS)
    initial = {k: shown[k]["value"] for k in SENDING_KEYS}
    form = forms.SendingForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            values = {k: str(form.cleaned_data[k]).strip() for k in SENDING_KEYS}
            if save_settings(request, form, values, {k: k for k in SENDING_KEYS}):
                done(request, "settings.saved")
                return redirect("settings_sending")
        return _tab(request, "sending.html", "settings_sending", {"form": form, "shown": shown}, status=400)
    return _tab(request, "sending.html", "settings_sending", {"form": form, "shown": shown})


# --- the business calendar -------------------------------------------------------------------------

def days_off_ahead(org, start: date, lang: str, days: int = 120) -> list[tuple[date, str]]:
    """The holidays of the organization's calendar in the next ``days`` days, named in the
    reader's language (weekly days off are not listed)."""
    cal = org_calendar(org)
    out = []
    for n in range(days):
        d = start + timedelta(days=n)
        if not cal.is_business_day(d) and d.weekday() not in cal.weekend:
            name = cal.public_holiday_name(d, lang)
            out.append((d, name if name is not None else i18n.text("setting.company_holiday", lang)))
    return out


@require_http_methods(["GET", "POST"])
@member_required("owner")
def settings_calendar(request: GviaRequest) -> HttpResponse:
    org = request.ctx.org
    cfg = org_settings.values(org, ("weekend", "extra_holidays", "extra_workdays"))
    weekend = (cfg["weekend"].split(",") if cfg["weekend"]
               else [WEEKDAYS[d] for d in sorted(weekend_for(org.country))])
    initial = {"weekend": weekend, "extra_holidays": ", ".join(cfg["extra_holidays"]),
               "extra_workdays": ", ".join(cfg["extra_workdays"])}
    form = forms.CalendarForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            chosen = [d for d in WEEKDAYS if d in form.cleaned_data["weekend"]]
            default = [WEEKDAYS[d] for d in sorted(weekend_for(org.country))]
            values = {
                "weekend": "" if chosen == default else ",".join(chosen),
                "extra_holidays": _dates_text(form.cleaned_data["extra_holidays"]),
                "extra_workdays": _dates_text(form.cleaned_data["extra_workdays"]),
            }
            if save_settings(request, form, values, {k: k for k in CALENDAR_KEYS}):
                done(request, "settings.saved")
                return redirect("settings_calendar")
        status = 400
    return _tab(request, "calendar.html", "settings_calendar", {
        "form": form, "days_off": days_off_ahead(org, today(request), request.LANGUAGE_CODE)}, status=status)


def _dates_text(text: str) -> str:
    """Dates typed one per line or separated by commas, as the setting takes them."""
    parts = [p.strip() for p in text.replace("\n", ",").split(",")]
    return ",".join(p for p in parts if p)


# --- e-mail ----------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@member_required("owner")
def settings_mail(request: GviaRequest) -> HttpResponse:
    org = request.ctx.org
    shown = _shown(request, [*(f"smtp.{k}" for k in SMTP_KEYS), *(f"mailbox.{k}" for k in MAILBOX_KEYS)])
    initial = {k: ("" if k == "password" else shown[f"smtp.{k}"]["value"]) for k in SMTP_KEYS}
    section = request.POST.get("section", "")
    form = forms.SmtpForm(request.POST if section == "smtp" else None, initial=initial)
    test_form = forms.MailTestForm(request.POST if section == "test" else None,
                                   initial={"address": request.user.email})
    status, check = 200, None
    replies_form = forms.ReplyMailboxForm(
        request.POST if section == "replies" else None,
        initial={k: ("" if k == "password" or shown[f"mailbox.{k}"]["source"] == "default" and k == "folder"
                     else shown[f"mailbox.{k}"]["value"]) for k in MAILBOX_KEYS})
    replies_check: tuple[str, str, str] | None = None
    if section == "smtp":
        if form.is_valid():
            values = {f"smtp.{k}": str(form.cleaned_data[k]).strip() for k in SMTP_KEYS}
            if not values["smtp.password"]:
                values.pop("smtp.password")      # empty: keep the password as it is
            if save_settings(request, form, values, {f"smtp.{k}": k for k in SMTP_KEYS}):
                done(request, "settings.saved")
                return redirect("settings_mail")
        status = 400
    elif section == "check":
        smtp = mailconfig.smtp_settings(org)
        if smtp is None:
            check = ("info", "mail.check_catcher", "")
        else:
            try:
                check = ("ok", "mail.check_ok", check_connection(smtp))
            except SendError as exc:
                check, status = ("error", "mail.check_failed", str(exc)), 400
    elif section == "replies":
        if replies_form.is_valid():
            values = {f"mailbox.{k}": str(replies_form.cleaned_data[k]).strip() for k in MAILBOX_KEYS}
            if not values["mailbox.password"]:
                values.pop("mailbox.password")      # empty: keep the password as it is
            if save_settings(request, replies_form, values, {f"mailbox.{k}": k for k in MAILBOX_KEYS}):
                done(request, "settings.saved")
                return redirect(reverse("settings_mail") + "#replies-h")
        status = 400
    elif section == "replies_check":
        try:
            replies_check = ("ok", "replies.check_ok", str(check_mailbox(request.ctx)))
        except Refused as exc:
            replies_check, status = ("error", "replies.check_failed", words.refusal_text(exc, request.access.lang)), 400
    elif section == "test":
        if test_form.is_valid():
            try:
                reply = mailconfig.send_test(request.ctx, test_form.cleaned_data["address"])
            except Refused as exc:
                flash.error(request, words.refusal_text(exc, request.access.lang))
                status = 400
            else:
                done(request, "mail.test_sent", address=test_form.cleaned_data["address"], reply=reply)
                return redirect("settings_mail")
        else:
            status = 400
    return _tab(request, "mail.html", "settings_mail", {
        "form": form, "test_form": test_form, "check": check, "catcher": mailconfig.smtp_settings(org) is None,
        "password_set": org_settings.is_set(org, "smtp.password"), "sender": mailconfig.mail_from(org),
        "replies_form": replies_form, "replies_check": replies_check, "replies_state": last_state(org),
        "replies_password_set": org_settings.is_set(org, "mailbox.password")},
        status=status)


# --- interest --------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@member_required("owner")
def settings_interest(request: GviaRequest) -> HttpResponse:
    _rule, data, source = interest.rule_for(request.ctx, None)
    initial = {k: str(v) for k, v in data.items()}
    form = forms.InterestForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if form.cleaned_data["method"] == "none":
                    interest.unset_rule(request.ctx)
                else:
                    interest.set_rule(request.ctx, form.rule())
            except ValidationFailed as exc:
                for p in exc.problems:
                    form.add_error(p.field if p.field in form.fields else None,
                                   words.problem_text(p, request.access.lang))
            except GviaError as exc:
                form.add_error(None, words.refusal_text(exc, request.access.lang))
            else:
                done(request, "settings.saved")
                return redirect("settings_interest")
        status = 400
    return _tab(request, "interest.html", "settings_interest", {"form": form, "source": source}, status=status)


# --- the local mail catcher ------------------------------------------------------------------------

@require_GET
@member_required("owner")
def settings_mailbox(request: GviaRequest) -> HttpResponse:
    return _tab(request, "mailbox.html", "settings_mailbox", {
        "caught": mailbox.caught_messages(request.ctx), "catcher": mailconfig.smtp_settings(request.ctx.org) is None})


@require_GET
@member_required("owner")
# the e-mail's own inline styles, in its sandboxed frame
@csp_update({"style-src": [UNSAFE_INLINE]})  # type: ignore[arg-type]  # django-csp types views as request-only
def mailbox_message(request: GviaRequest, name: str) -> HttpResponse:
    try:
        opened = mailbox.open_message(request.ctx, name)
    except NotFound:
        raise Http404("no such message")
    return _tab(request, "mailbox_message.html", "settings_mailbox", {"m": opened})


@require_GET
@member_required("owner")
def mailbox_attachment(request: GviaRequest, name: str, index: int) -> HttpResponse:
    try:
        file_name, content_type, data = mailbox.attachment(request.ctx, name, index)
    except NotFound:
        raise Http404("no such attachment")
    response = HttpResponse(data, content_type="application/octet-stream")
    # content_disposition_header gives None only for an inline file without a name
    response["Content-Disposition"] = content_disposition_header(True, file_name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response
