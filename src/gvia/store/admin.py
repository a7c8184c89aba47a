"""Django admin for staff: everything visible; money records read-only.

Invoices, payments and allocations change only through gvia's services, so the ledger stays
consistent (open amounts and allocations are derived from them).
"""

from django.contrib import admin

from . import models as m


@admin.register(m.Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "default_currency", "default_language")


@admin.register(m.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role")
    list_filter = ("role", "organization")


class ContactInline(admin.TabularInline):
    model = m.Contact
    extra = 0


class AddressInline(admin.TabularInline):
    model = m.Address
    extra = 0


@admin.register(m.Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("ref", "name", "kind", "language", "do_not_chase", "organization")
    search_fields = ("ref", "name", "tax_id", "email", "phone")
    list_filter = ("organization", "kind", "language", "do_not_chase")
    inlines = [ContactInline, AddressInline]
    raw_id_fields = ("collector",)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible to staff, changed only through gvia's services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "customer", "issue_date", "due_date", "amount_minor", "open_minor", "currency")
    search_fields = ("number", "customer__name", "customer__ref")
    list_filter = ("organization", "kind", "currency")


@admin.register(m.Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("date", "customer", "amount_minor", "currency", "method", "status", "reference")
    search_fields = ("reference", "cheque_number", "customer__name")
    list_filter = ("organization", "method", "status")


@admin.register(m.Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ("invoice", "source", "payment", "amount_minor", "source_currency")


@admin.register(m.AuditRecord)
class AuditAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id", "organization")
    list_filter = ("organization", "action")


admin.site.register(m.Document)
admin.site.register(m.ImportRun, ReadOnlyAdmin)
admin.site.register(m.MappingPreset)
