"""The second factor (TOTP, django-otp): each member may turn it on for themself, and an
organization may require it of its owners (the ``owner_two_factor`` setting).

* Turning it on (``two_factor``): gvia makes a secret, shows it as a QR code and as text for the
  authenticator app, and keeps it only once the person types a code the app shows.
* Signing in: after the right password, a person with a second factor is asked for a code
  (``login_code``) before they are signed in; a wrong code signs nobody in (django-otp slows
  repeated wrong codes down).
* Required for owners: an owner whose session has not been confirmed with a code is sent to
  ``two_factor`` from every page (:func:`gvia.web.access.member_required`) — to turn it on, or to
  type a code when it is already on.
"""

from __future__ import annotations

from typing import Any

from django import forms as djforms
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from gvia.services import audit
from gvia.services import settings as org_settings

from .. import i18n
from ..access import member_required
from ..request import GviaRequest
from .common import done, safe_next

SESSION_PENDING = "gvia_2fa_pending"     # {"user": id, "backend": path, "next": url}
SETTING = "owner_two_factor"


def required_for(access) -> bool:
    """True when this member must confirm their session with a second factor."""
    return access.role == "owner" and bool(org_settings.value(access.org, SETTING))


def has_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


class CodeForm(djforms.Form):
    code = djforms.CharField(max_length=12, widget=djforms.TextInput(attrs={
        "autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["code"].label = i18n.text("twofactor.code", _lang())


def _lang() -> str:
    return i18n.normalize(translation.get_language())


def start_second_step(request: HttpRequest, user, next_url: str) -> HttpResponse:
    """The password was right and the user has a second factor: ask for a code first."""
    request.session[SESSION_PENDING] = {"user": user.pk, "backend": getattr(user, "backend", ""), "next": next_url}
    return redirect("login_code")


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SESSION_PENDING)
    if not pending:
        return redirect("login")
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        request.session.pop(SESSION_PENDING, None)
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"].strip().replace(" ", ""))
        if device is not None:
            request.session.pop(SESSION_PENDING, None)
            auth_login(request, user, backend=pending["backend"] or None)
            otp_login(request, device)
            return redirect(pending.get("next") or "dashboard")
        form.add_error("code", i18n.text("twofactor.wrong_code", _lang()))
    return render(request, "gvia/auth/login_code.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=4, dark="#111", light="#fff")


@require_http_methods(["GET", "POST"])
@member_required("viewer", second_factor=False)
def two_factor(request: GviaRequest) -> HttpResponse:
    """Turn the second factor on (or off), or confirm this session with a code."""
    user: Any = request.user       # signed in (member_required); OTPMiddleware adds is_verified()
    action = request.POST.get("action", "")
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    required = required_for(request.access)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if action == "start" and confirmed is None:
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            TOTPDevice.objects.create(user=user, name="gvia", confirmed=False)
            return redirect("two_factor")
        if form.is_valid():
            code = form.cleaned_data["code"].strip().replace(" ", "")
            if action == "confirm":
                device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
                if device is not None and device.verify_token(code):
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                    otp_login(request, device)
                    audit.record(request.ctx, "member.two_factor_on", request.access.membership, email=user.email)
                    done(request, "twofactor.turned_on")
                    return redirect(safe_next(request, "dashboard"))
            elif action == "verify" and confirmed is not None:
                if confirmed.verify_token(code):
                    otp_login(request, confirmed)
                    return redirect(safe_next(request, "dashboard"))
            elif action == "off" and confirmed is not None and not required:
                if confirmed.verify_token(code):
                    TOTPDevice.objects.filter(user=user).delete()
                    audit.record(request.ctx, "member.two_factor_off", request.access.membership, email=user.email)
                    done(request, "twofactor.turned_off")
                    return redirect("two_factor")
            form.add_error("code", i18n.text("twofactor.wrong_code", _lang()))
        status = 400
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first() if confirmed is None else None
    return render(request, "gvia/auth/two_factor.html", {
        "form": form, "confirmed": confirmed, "pending": pending, "required": required,
        "verified": user.is_verified(), "secret": _base32(pending) if pending else "",
        "qr": mark_safe(_qr_svg(pending.config_url)) if pending else "",
        "next": request.GET.get("next") or request.POST.get("next", "")}, status=status)


def _base32(device: TOTPDevice) -> str:
    import base64

    key = base64.b32encode(device.bin_key).decode()
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))
