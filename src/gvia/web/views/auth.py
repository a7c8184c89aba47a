"""Signing in and out, passwords, the language switch and the organization switch."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.views.decorators.http import require_POST

from gvia.core.errors import Refused
from gvia.services.org import members as changes

from .. import forms, i18n
from ..access import SESSION_ORG, activate_language, member_required, memberships_of, resolve_access
from ..request import GviaRequest
from . import twofactor
from .common import safe_next
from .errors import bad_request

LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
RESET_MAIL = "gvia/auth/password_reset_email.txt"
RESET_SUBJECT = "gvia/auth/password_reset_subject.txt"


class LoginView(auth_views.LoginView):
    template_name = "gvia/auth/login.html"
    form_class = forms.EmailLoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if twofactor.has_factor(user):       # the password was right; now the code
            return twofactor.start_second_step(self.request, user, self.get_success_url())
        response = super().form_valid(form)
        access = resolve_access(self.request)
        if access is not None:     # the user's own language from now on, also on public pages
            _remember_language(response, access.lang)
        return response


class LogoutView(auth_views.LogoutView):
    next_page = "login"       # a URL name: LogoutView resolves it (resolve_url)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "gvia/auth/password_change.html"
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("password_change_done")

    def dispatch(self, request, *args, **kwargs):
        return member_required("viewer")(super().dispatch)(request, *args, **kwargs)


@member_required("viewer")
def password_change_done(request: GviaRequest) -> HttpResponse:
    from django.contrib import messages

    messages.success(request, i18n.text("auth.password_changed", i18n.normalize(translation.get_language())))
    return redirect("dashboard")


class PasswordResetView(auth_views.PasswordResetView):
    """The reset e-mail goes out on the user's organization's mail path (its SMTP settings,
    GVIA_SMTP_*, or the local catcher: gvia.services.sending.people). When it cannot be sent the
    page says so instead of "on its way"; an unknown address still gets the usual answer."""

    template_name = "gvia/auth/password_reset.html"
    form_class = forms.PasswordResetForm
    email_template_name = RESET_MAIL
    subject_template_name = RESET_SUBJECT
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        from gvia.services.sending.people import MailNotSent

        try:
            return super().form_valid(form)
        except MailNotSent:
            form.add_error(None, i18n.text("auth.reset_not_sent", i18n.normalize(translation.get_language())))
            return self.form_invalid(form)


def reset_mail(request: GviaRequest, user, lang: str) -> tuple[str, str]:
    """The subject and text of the e-mail with a link for ``user`` to choose a password, in
    ``lang`` (an invitation is one: the new member chooses their password)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.template import loader
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    context = {"protocol": "https" if request.is_secure() else "http", "domain": request.get_host(),
               "uid": urlsafe_base64_encode(force_bytes(user.pk)), "user": user,
               "token": default_token_generator.make_token(user)}
    with translation.override(lang):
        subject = "".join(loader.render_to_string(RESET_SUBJECT, context).splitlines())
        return subject, loader.render_to_string(RESET_MAIL, context)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "gvia/auth/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "gvia/auth/password_reset_confirm.html"
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "gvia/auth/password_reset_complete.html"


def _remember_language(response: HttpResponse, lang: str) -> None:
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, max_age=LANGUAGE_COOKIE_AGE, samesite="Lax",
                        secure=settings.LANGUAGE_COOKIE_SECURE)


@require_POST
def set_language(request: GviaRequest) -> HttpResponse:
    """Switch to another language with a web catalog: kept on the user's memberships when signed
    in, and in a cookie for the pages before signing in."""
    lang = request.POST.get("language", "")
    if lang not in i18n.languages():
        return bad_request(request)
    if request.user.is_authenticated:
        access = resolve_access(request)
        if access is not None:
            try:
                changes.set_language(access.ctx, lang)
            except Refused:
                return bad_request(request)
    activate_language(request, lang)
    response = redirect(safe_next(request, reverse("dashboard")))
    _remember_language(response, lang)
    return response


@require_POST
@member_required("viewer")
def switch_org(request: GviaRequest) -> HttpResponse:
    """Make another of the user's organizations the current one."""
    try:
        wanted = int(request.POST.get("org", ""))
    except ValueError:
        raise Http404("no such organization")
    if wanted not in {m.organization_id for m in memberships_of(request.user)}:
        raise Http404("no such organization")
    request.session[SESSION_ORG] = wanted
    return redirect("dashboard")
