"""Settings of the organization (owner only): its details, the letterhead with the logo, and
the people with their roles. Later settings pages (SMTP, sending mode, calendar, interest) add
themselves to :data:`TABS`."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gvia.core.errors import GviaError, NotFound
from gvia.services import files as documents
from gvia.services import settings as org_settings
from gvia.services.org import members as changes
from gvia.services.sending import people
from gvia.store.models import Membership

from .. import forms, i18n
from ..access import member_required
from ..request import GviaRequest
from .auth import reset_mail
from .common import done, report_error
from .errors import bad_request

# (url name, i18n key): the tabs of the settings pages, in order.
TABS: list[tuple[str, str]] = [
    ("settings_org", "settings.tab_org"),
    ("settings_users", "settings.tab_users"),
]


def _org_initial(org) -> dict:
    return {name: getattr(org, name) for name in changes.ORGANIZATION_FIELDS}


def _letterhead_initial(org) -> dict:
    return {name: getattr(org, name) for name in changes.LETTERHEAD_FIELDS}


@require_http_methods(["GET", "POST"])
@member_required("owner")
def settings_org(request: GviaRequest) -> HttpResponse:
    org = request.ctx.org
    section = request.POST.get("section")
    org_form = forms.OrganizationForm(request.POST if section == "organization" else None,
                                      initial=_org_initial(org), prefix="org", org=org)
    letter_form = forms.LetterheadForm(request.POST if section == "letterhead" else None,
                                       request.FILES if section == "letterhead" else None,
                                       initial=_letterhead_initial(org), prefix="lh")
    status = 200
    if request.method == "POST":
        form = org_form if section == "organization" else letter_form if section == "letterhead" else None
        if form is None:
            return bad_request(request)
        if form.is_valid():
            try:
                if form is org_form:
                    changed = changes.update_organization(request.ctx, dict(form.cleaned_data))
                else:
                    data = {k: form.cleaned_data[k] for k in changes.LETTERHEAD_FIELDS}
                    changed = changes.update_organization(request.ctx, data, what="letterhead")
                    logo = form.cleaned_data.get("logo")
                    if logo:
                        documents.set_logo(request.ctx, logo, logo.name)
                        changed.append("logo")
                    elif form.cleaned_data.get("remove_logo"):
                        documents.clear_logo(request.ctx)
                        changed.append("logo")
            except GviaError as exc:
                report_error(request, exc)
                status = 400
            else:
                done(request, "settings.saved" if changed else "settings.unchanged")
                return redirect("settings_org")
        else:
            status = 400
    return render(request, "gvia/settings/organization.html", {
        "tabs": TABS, "current_tab": "settings_org", "org_form": org_form, "letter_form": letter_form,
        "org": org}, status=status)


@require_GET
@member_required("viewer")
def logo(request: GviaRequest) -> FileResponse:
    """The current organization's logo (for the settings page and letter previews)."""
    org = request.ctx.org
    if not org.logo_path:
        raise Http404("no logo")
    try:
        path = documents.resolve_path(org.logo_path)
    except NotFound:
        raise Http404("no logo")
    if not path.exists():
        raise Http404("no logo")
    with open(path, "rb") as f:
        kind = documents.logo_kind(f.read(8))[1]
    response = FileResponse(open(path, "rb"), content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@member_required("owner")
def settings_users(request: GviaRequest) -> HttpResponse:
    return _users_page(request, forms.InviteForm(prefix="invite"))


def _users_page(request: GviaRequest, invite_form, status: int = 200) -> HttpResponse:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ..lockout import locked_until

    members = list(Membership.objects.filter(organization=request.ctx.org).select_related("user")
                   .order_by("user__email"))
    with_factor = set(TOTPDevice.objects.filter(user__in=[m.user_id for m in members], confirmed=True)
                      .values_list("user_id", flat=True))
    # (member, role form, locked by failed sign-ins until, has a second factor)
    rows = [(m, forms.RoleForm(initial={"role": m.role}, auto_id=f"m{m.id}_%s"),
             locked_until(m.user.username.lower()), m.user_id in with_factor) for m in members]
    return render(request, "gvia/settings/users.html", {
        "tabs": TABS, "current_tab": "settings_users", "rows": rows, "invite_form": invite_form,
        "owner_two_factor": org_settings.value(request.ctx.org, "owner_two_factor")}, status=status)


@require_POST
@member_required("owner")
def member_unlock(request: GviaRequest, pk: int) -> HttpResponse:
    """Let a member locked out by failed sign-ins sign in again now."""
    try:
        m = changes.unlock_member(request.ctx, pk)
    except NotFound:
        raise Http404("no such member")
    done(request, "settings.unlocked", email=m.user.email)
    return redirect("settings_users")


@require_POST
@member_required("owner")
def owner_two_factor(request: GviaRequest) -> HttpResponse:
    """Require (or stop requiring) a second factor of the organization's owners."""
    from gvia.services import settings as org_settings

    wanted = request.POST.get("required") == "1"
    org_settings.set_setting(request.ctx, "owner_two_factor", "true" if wanted else "false")
    done(request, "settings.two_factor_required" if wanted else "settings.two_factor_optional")
    return redirect("settings_users")


@require_POST
@member_required("owner")
def member_invite(request: GviaRequest) -> HttpResponse:
    form = forms.InviteForm(request.POST, prefix="invite")
    if not form.is_valid():
        return _users_page(request, form, status=400)
    email = form.cleaned_data["email"].strip().lower()
    try:
        m = changes.invite_member(request.ctx, email, form.cleaned_data["role"])
    except GviaError as exc:
        report_error(request, exc)
        return _users_page(request, form, status=400)
    # The new member chooses a password through a link e-mailed on the organization's own mail
    # path; when it cannot go, the owner is told why (and may invite them again to resend it).
    subject, text = reset_mail(request, m.user, m.language or request.ctx.org.default_language)
    try:
        people.send_invitation(request.ctx, email, subject, text)
    except people.MailNotSent as exc:
        messages.error(request, i18n.text("settings.invite_not_sent", request.access.lang, email=email,
                                          reason=exc.reason))
        return redirect("settings_users")
    done(request, "settings.invited", email=email)
    return redirect("settings_users")


@require_POST
@member_required("owner")
def member_role(request: GviaRequest, pk: int) -> HttpResponse:
    form = forms.RoleForm(request.POST)
    if not form.is_valid():
        return bad_request(request)
    try:
        m = changes.set_role(request.ctx, pk, form.cleaned_data["role"])
    except NotFound:
        raise Http404("no such member")
    except GviaError as exc:
        report_error(request, exc)
    else:
        done(request, "settings.role_changed", email=m.user.email)
    return redirect("settings_users")


@require_POST
@member_required("owner")
def member_remove(request: GviaRequest, pk: int) -> HttpResponse:
    try:
        changes.remove_member(request.ctx, pk)
    except NotFound:
        raise Http404("no such member")
    except GviaError as exc:
        report_error(request, exc)
    else:
        done(request, "settings.removed")
    return redirect("settings_users")
