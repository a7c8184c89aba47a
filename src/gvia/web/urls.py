"""URLs of the web application. Names are flat and say the page: ``<thing>_list``,
``<thing>_detail``, ``<thing>_<action>``. Later pages (worklist, policy, approvals, outbox) add
their patterns here in the same style."""

from django.contrib import admin
from django.urls import path

from .views import assets, auth, customers, dashboard, imports, invoices, settings

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    # signing in, passwords, language, organization
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password/change/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth.password_change_done, name="password_change_done"),
    path("password/reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/complete/", auth.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("language/", auth.set_language, name="set_language"),
    path("organization/switch/", auth.switch_org, name="switch_org"),
    # customers, invoices, documents
    path("customers/", customers.customer_list, name="customer_list"),
    path("customers/<int:pk>/", customers.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/statement/", customers.customer_statement, name="customer_statement"),
    path("customers/<int:pk>/documents/", customers.document_upload, name="document_upload"),
    path("documents/<int:pk>/", customers.document_download, name="document_download"),
    path("invoices/<int:pk>/", invoices.invoice_detail, name="invoice_detail"),
    # imports
    path("imports/", imports.import_start, name="import_start"),
    path("imports/done/", imports.import_done, name="import_done"),
    path("imports/<str:token>/", imports.import_map, name="import_map"),
    # settings (owner)
    path("settings/", settings.settings_org, name="settings_org"),
    path("settings/logo/", settings.logo, name="settings_logo"),
    path("settings/users/", settings.settings_users, name="settings_users"),
    path("settings/users/invite/", settings.member_invite, name="member_invite"),
    path("settings/users/<int:pk>/role/", settings.member_role, name="member_role"),
    path("settings/users/<int:pk>/remove/", settings.member_remove, name="member_remove"),
    # the UI font, from the installed font package
    path("fonts/heebo.ttf", assets.ui_font, name="ui_font"),
    path("admin/", admin.site.urls),
]
