"""URLs of the web application. Names are flat and say the page: ``<thing>_list``,
``<thing>_detail``, ``<thing>_<action>``; the customer page's actions are ``case_<action>``."""

from django.urls import include, path

from gvia.store.admin import site as operator_admin

from .views import (
                    approvals_web,
                    assets,
                    auth,
                    case_actions,
                    case_decisions,
                    contacts_web,
                    customer_flags,
                    customers,
                    dashboard,
                    gateways_web,
                    imports,
                    invoices,
                    legal_web,
                    letters_web,
                    mail_web,
                    matches_web,
                    messages,
                    payments_web,
                    policy,
                    portal_actions,
                    portal_pay,
                    portal_requests_web,
                    replies_web,
                    reports_web,
                    run_web,
                    settings,
                    settings_api,
                    settings_engine,
                    settings_gateway,
                    settings_sync,
                    settings_texts,
                    texthooks,
                    twofactor,
                    worklist,
)

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
    path("login/code/", twofactor.login_code, name="login_code"),
    path("account/two-factor/", twofactor.two_factor, name="two_factor"),
    # customers, invoices, documents
    path("customers/", customers.customer_list, name="customer_list"),
    path("customers/<int:pk>/", customers.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/statement/", customers.customer_statement, name="customer_statement"),
    path("customers/<int:pk>/actions/<str:name>/", customers.customer_action, name="customer_action"),
    path("customers/<int:pk>/documents/", customers.document_upload, name="document_upload"),
    path("documents/<int:pk>/", customers.document_download, name="document_download"),
    path("invoices/<int:pk>/", invoices.invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/allocation/", invoices.invoice_allocation, name="invoice_allocation"),
    # the case: what a person does about a customer
    path("customers/<int:pk>/call/", case_actions.log_call, name="call_log"),
    path("customers/<int:pk>/promise/", case_actions.record_promise, name="case_promise"),
    path("customers/<int:pk>/plan/", case_actions.plan, name="case_plan"),
    path("customers/<int:pk>/plan/<int:plan_id>/cancel/", case_actions.plan_cancel, name="plan_cancel"),
    path("customers/<int:pk>/settlement/", case_actions.offer_settlement, name="case_settlement"),
    path("customers/<int:pk>/settlement/<int:item>/<str:decision>/", case_actions.decide_settlement,
         name="settlement_decide"),
    path("customers/<int:pk>/agreements/<str:document>/<int:item>.pdf", case_actions.agreement_pdf,
         name="agreement_pdf"),
    path("customers/<int:pk>/dispute/", case_actions.open_dispute, name="case_dispute"),
    path("customers/<int:pk>/requests/<int:item>/<str:decision>/", portal_requests_web.decide,
         name="portal_request_decide"),
    path("customers/<int:pk>/dispute/<int:item>/resolve/", case_actions.resolve_dispute, name="dispute_resolve"),
    path("customers/<int:pk>/pause/", case_actions.pause, name="case_pause"),
    path("customers/<int:pk>/pause/<int:item>/lift/", case_actions.lift_pause, name="pause_lift"),
    path("customers/<int:pk>/note/", case_actions.add_note, name="case_note"),
    path("customers/<int:pk>/reason/", customer_flags.set_reason, name="case_reason"),
    path("customers/<int:pk>/credit-hold/", customer_flags.credit_hold_change, name="case_credit_hold"),
    path("customers/<int:pk>/details/", customers.edit_details, name="case_details"),
    path("customers/<int:pk>/send-now/", case_actions.send_now, name="send_now"),
    path("customers/<int:pk>/statement.pdf", case_actions.statement_pdf, name="statement_pdf"),
    path("customers/<int:pk>/casefile/", case_actions.build_casefile, name="case_casefile"),
    path("customers/<int:pk>/legal/", legal_web.legal_page, name="case_legal"),
    path("customers/<int:pk>/legal/pack/", legal_web.legal_pack, name="case_filing_pack"),
    path("customers/<int:pk>/legal/creditor/", legal_web.legal_creditor, name="case_legal_creditor"),
    # the day without the command line: payments, cheques, letters on demand (issue 13)
    path("customers/<int:pk>/payment/", payments_web.record_payment, name="record_payment"),
    path("customers/<int:pk>/cheques/<int:payment>/bounce/", payments_web.bounce_cheque, name="cheque_bounce"),
    path("customers/<int:pk>/letter/", letters_web.letter_page, name="case_letter"),
    path("customers/<int:pk>/letter.pdf", letters_web.letter_pdf, name="case_letter_pdf"),
    path("customers/<int:pk>/letter/send/", letters_web.letter_send, name="case_letter_send"),
    path("customers/<int:pk>/contacts/", contacts_web.customer_contacts, name="customer_contacts"),
    path("customers/<int:pk>/contacts/<int:contact>/", contacts_web.contact_change, name="contact_change"),
    path("customers/<int:pk>/contacts/<int:contact>/remove/", contacts_web.contact_remove, name="contact_remove"),
    # the collector's day and the outbox
    path("worklist/", worklist.worklist, name="worklist"),
    # the reply mailbox's decisions (issue 16): ids in the form, found only in the organization's own
    path("worklist/suggestions/", replies_web.suggestion_decide, name="suggestion_decide"),
    path("worklist/unmatched/", replies_web.unmatched_decide, name="unmatched_decide"),
    path("worklist/failing/", replies_web.address_works, name="address_works"),
    path("approvals/", approvals_web.approvals_page, name="approvals"),
    path("approvals/preview/<int:pk>/", approvals_web.approval_preview, name="approval_preview"),
    path("approvals/group/", approvals_web.approve_group, name="approvals_group"),
    path("outbox/", messages.outbox_list, name="outbox"),
    path("outbox/<int:pk>/", messages.message_detail, name="message_detail"),
    path("outbox/<int:pk>/received/", messages.message_received, name="message_received"),
    path("outbox/<int:pk>/pdf/", messages.message_pdf, name="message_pdf"),
    path("outbox/<int:pk>/approve/", messages.message_approve, name="message_approve"),
    path("outbox/<int:pk>/reject/", messages.message_reject, name="message_reject"),
    path("outbox/<int:pk>/text/", messages.message_free_text, name="message_free_text"),
    path("outbox/<int:pk>/resolve/", messages.message_resolve, name="message_resolve"),
    path("customers/<int:pk>/after-rejection/", case_decisions.after_rejection, name="case_after_rejection"),
    # paper letters: the print batch, registered mail; the daily run from the web (issue 13)
    path("letters/", mail_web.letters_post, name="letters_post"),
    path("letters/print/", mail_web.letters_print, name="letters_print"),
    path("letters/<int:pk>/registered/", mail_web.letter_registered, name="letter_registered"),
    path("run/", run_web.run_now, name="run_now"),
    path("run/go/", run_web.run_do, name="run_do"),
    # the escalation ladder
    path("policy/", policy.policy_page, name="policy"),
    # imports
    path("imports/", imports.import_start, name="import_start"),
    path("imports/done/", imports.import_done, name="import_done"),
    path("imports/<str:token>/", imports.import_map, name="import_map"),
    # the collection reports and their downloads (issue 17)
    path("reports/", reports_web.reports_page, name="reports"),
    path("reports/export/", reports_web.report_export, name="report_export"),
    # bank statements and their matches (issue 18)
    path("matches/", matches_web.matches_page, name="matches"),
    path("matches/<int:pk>/confirm/", matches_web.match_confirm, name="match_confirm"),
    path("matches/<int:pk>/reject/", matches_web.match_reject, name="match_reject"),
    path("matches/<int:pk>/undo/", matches_web.match_undo, name="match_undo"),
    path("matches/lines/<int:pk>/assign/", matches_web.line_assign, name="line_assign"),
    # settings (owner)
    path("settings/", settings.settings_org, name="settings_org"),
    path("settings/logo/", settings.logo, name="settings_logo"),
    path("settings/users/", settings.settings_users, name="settings_users"),
    path("settings/users/invite/", settings.member_invite, name="member_invite"),
    path("settings/users/<int:pk>/role/", settings.member_role, name="member_role"),
    path("settings/users/<int:pk>/remove/", settings.member_remove, name="member_remove"),
    path("settings/users/<int:pk>/unlock/", settings.member_unlock, name="member_unlock"),
    path("settings/users/two-factor/", settings.owner_two_factor, name="owner_two_factor"),
    path("settings/sending/", settings_engine.settings_sending, name="settings_sending"),
    path("settings/calendar/", settings_engine.settings_calendar, name="settings_calendar"),
    path("settings/mail/", settings_engine.settings_mail, name="settings_mail"),
    path("settings/texts/", settings_texts.settings_texts, name="settings_texts"),
    path("settings/interest/", settings_engine.settings_interest, name="settings_interest"),
    path("settings/mailbox/", settings_engine.settings_mailbox, name="settings_mailbox"),
    path("settings/gateway/", settings_gateway.settings_gateway, name="settings_gateway"),
    # the invoicing services the business keeps its documents in (Morning, iCount; issue 18)
    path("settings/sync/", settings_sync.settings_sync, name="settings_sync"),
    path("settings/sync/now/", settings_sync.settings_sync_now, name="settings_sync_now"),
    path("settings/api/", settings_api.settings_api, name="settings_api"),   # the REST API's keys (issue 18)
    path("settings/mailbox/<str:name>/", settings_engine.mailbox_message, name="mailbox_message"),
    path("settings/mailbox/<str:name>/attachments/<int:index>/", settings_engine.mailbox_attachment,
         name="mailbox_attachment"),
    # a payment gateway's notifications: no sign-in, no CSRF token; checked by the gateway's own rules (issue 16)
    path("gateways/<str:name>/notify/<str:token>/", gateways_web.gateway_notify, name="gateway_notify"),
    # SMS and WhatsApp providers' replies and delivery reports: no sign-in, no CSRF token; signed (issue 16)
    path("hooks/texts/<str:provider>/<slug:org>/", texthooks.text_hook, name="text_hook"),
    # paying by card from the customer's page, and the gateway's way back (issue 16)
    path("p/<str:token>/pay/", portal_pay.portal_pay, name="portal_pay"),
    path("p/<str:token>/paid/", portal_pay.portal_paid, name="portal_paid"),
    # what the customer answers on their page: the signed link decides whose (issue 16)
    path("p/<str:token>/answer/<str:action>/", portal_actions.portal_answer, name="portal_answer"),
    # the customer's page, no sign-in: the signed link decides whose (issue 16)
    path("", include("gvia.web.portal.urls")),
    # the UI font, from the installed font package
    path("fonts/heebo.ttf", assets.ui_font, name="ui_font"),
    # the Django admin: 404 unless GVIA_ADMIN=1, then for operators only, read-only (gvia.store.admin)
    path("admin/", operator_admin.urls),
]

# no such page, a server error: in the reader's language (Django's own pages are English)
handler400 = "gvia.web.views.errors.bad_request"
handler404 = "gvia.web.views.errors.not_found"
handler500 = "gvia.web.views.errors.server_error"
