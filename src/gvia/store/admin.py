"""The Django admin, for operators of the installation only, and only for reading.

It is off unless ``GVIA_ADMIN=1`` (every admin URL answers 404). When it is on, only an operator
— a user made by ``gvia operator create``, never a member of any organization (see
:mod:`gvia.services.org.operators`) — can sign in to it; a member of an organization is refused
even when an old database still marks them staff. Nothing can be added, changed or deleted
here: organizations, their people and their records change only through gvia's services, which
check the role and write the audit (memberships above all).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404

from . import models as m


def _admin_on() -> None:
    if not settings.GVIA_ADMIN:
        raise Http404("the admin is off (GVIA_ADMIN)")  # not shown: the 404 page (web/views/errors.py) words its own


def _is_operator(user) -> bool:
    from gvia.services.org.operators import is_operator

    return is_operator(user)


class OperatorLoginForm(AdminAuthenticationForm):
    """Signs in operators only: a member of an organization is refused like a wrong password."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not _is_operator(user):
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login",
                                  params={"username": self.username_field.verbose_name})


class OperatorAdminSite(admin.AdminSite):
    site_header = "gvia — operators"
    site_title = "gvia operators"
    login_form = OperatorLoginForm

    def has_permission(self, request) -> bool:
        return bool(settings.GVIA_ADMIN) and _is_operator(request.user)

    def admin_view(self, view, cacheable=False):
        wrapped = super().admin_view(view, cacheable)

        def gate(request, *args, **kwargs):
            _admin_on()
            return wrapped(request, *args, **kwargs)

        gate.__wrapped__ = wrapped
        return gate

    def login(self, request, extra_context=None):
        _admin_on()
        return super().login(request, extra_context)

    def catch_all_view(self, request, url):
        _admin_on()
        return super().catch_all_view(request, url)

    def i18n_javascript(self, request, extra_context=None):
        _admin_on()
        return super().i18n_javascript(request, extra_context)


site = OperatorAdminSite(name="admin")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Operators look; gvia's services change."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)


@admin.register(m.Organization, site=site)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ("name", "country", "default_currency", "default_language")


@admin.register(m.Membership, site=site)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "organization", "role")
    list_filter = ("role", "organization")


class ContactInline(admin.TabularInline):
    model: type[Model] = m.Contact      # AddressInline below shows addresses the same way
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AddressInline(ContactInline):
    model = m.Address


@admin.register(m.Customer, site=site)
class CustomerAdmin(ReadOnlyAdmin):
    list_display = ("ref", "name", "kind", "language", "do_not_chase", "organization")
    search_fields = ("ref", "name", "tax_id", "email", "phone")
    list_filter = ("organization", "kind", "language", "do_not_chase")
    inlines = [ContactInline, AddressInline]


@admin.register(m.Invoice, site=site)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "customer", "issue_date", "due_date", "amount_minor", "open_minor", "currency")
    search_fields = ("number", "customer__name", "customer__ref")
    list_filter = ("organization", "kind", "currency")


@admin.register(m.Payment, site=site)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("date", "customer", "amount_minor", "currency", "method", "status", "reference")
    search_fields = ("reference", "cheque_number", "customer__name")
    list_filter = ("organization", "method", "status")


@admin.register(m.Allocation, site=site)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ("invoice", "source", "payment", "amount_minor", "source_currency")


@admin.register(m.AuditRecord, site=site)
class AuditAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id", "organization")
    list_filter = ("organization", "action")


@admin.register(get_user_model(), site=site)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("email", "is_active", "is_staff", "last_login")
    search_fields = ("email",)
    exclude = ("password",)


site.register(m.Document, ReadOnlyAdmin)
site.register(m.ImportRun, ReadOnlyAdmin)
site.register(m.MappingPreset, ReadOnlyAdmin)
