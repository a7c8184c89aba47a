"""The words of the web pages, in Hebrew and English, as plain data.

Why a dictionary and not gettext: Django's gettext needs compiled .mo files, and compiling needs
the gettext tools, which a fresh machine may lack. A dictionary keeps the texts as reviewable data
with no build step. (Django's own messages — form validation, password rules — still come in
Hebrew from Django's shipped translations, because each request activates the user's language.)

``STRINGS[key] = (hebrew, english)``. Texts may hold ``{name}`` placeholders filled by
:func:`text`. Templates use ``{% t "key" name=value %}`` (see ``templatetags/gvia.py``), which
puts each value in a ``<bdi>`` so numbers, amounts and e-mails keep their direction in Hebrew.
A test checks that every key a template or view uses exists here in both languages.

Other modules add their words with :func:`add` (keys prefixed with their area: "worklist.",
"policy.", ...), so each area owns its texts.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

LANGS = ("he", "en")
RTL = {"he"}

STRINGS: dict[str, tuple[str, str]] = {
    # --- navigation and frame --------------------------------------------------------------------
    "nav.skip": ("דילוג לתוכן", "Skip to content"),
    "nav.main": ("ניווט ראשי", "Main navigation"),
    "nav.dashboard": ("לוח בקרה", "Dashboard"),
    "nav.customers": ("לקוחות", "Customers"),
    "nav.imports": ("ייבוא", "Import"),
    "nav.settings": ("הגדרות", "Settings"),
    "nav.breadcrumb": ("מיקום בדף", "Breadcrumb"),
    "nav.back_home": ("חזרה ללוח הבקרה", "Back to the dashboard"),
    "org.switch": ("מעבר", "Switch"),
    "org.switch_label": ("ארגון נוכחי", "Current organization"),
    "role.owner": ("בעלים", "Owner"),
    "role.collector": ("גובה", "Collector"),
    "role.viewer": ("צפייה בלבד", "Viewer"),
    "language.he": ("עברית", "Hebrew"),
    "language.en": ("אנגלית", "English"),
    "forbidden.title": ("אין הרשאה", "Not allowed"),
    "forbidden.no_membership": ("המשתמש אינו שייך לאף ארגון. פנו לבעלים של הארגון כדי שיוסיפו אתכם.",
                                "Your user does not belong to any organization yet. Ask the organization's "
                                "owner to add you."),
    "forbidden.needs_collector": ("הפעולה דורשת הרשאת גובה או בעלים. ההרשאה שלכם היא צפייה בלבד.",
                                  "This needs the collector or owner role; you can view only."),
    "forbidden.needs_owner": ("הדף הזה פתוח רק לבעלים של הארגון.", "Only the organization's owners can open this page."),
    "pager.label": ("עמודים", "Pages"),
    "pager.previous": ("הקודם", "Previous"),
    "pager.next": ("הבא", "Next"),
    "pager.page_of": ("עמוד {page} מתוך {pages}", "Page {page} of {pages}"),
    "pager.page": ("עמוד {page}", "Page {page}"),

    # --- signing in ------------------------------------------------------------------------------
    "auth.login_title": ("כניסה ל-gvia", "Sign in to gvia"),
    "auth.login_intro": ("היכנסו עם כתובת הדוא\"ל והסיסמה שלכם.", "Sign in with your e-mail address and password."),
    "auth.login": ("כניסה", "Sign in"),
    "auth.logout": ("יציאה", "Sign out"),
    "auth.forgot": ("שכחתם את הסיסמה?", "Forgot your password?"),
    "auth.password_change": ("שינוי סיסמה", "Change password"),
    "auth.password_change_submit": ("שמירת הסיסמה", "Save the password"),
    "auth.password_changed": ("הסיסמה שונתה.", "Your password was changed."),
    "auth.reset_title": ("איפוס סיסמה", "Reset your password"),
    "auth.reset_intro": ("נשלח קישור לבחירת סיסמה חדשה לכתובת הדוא\"ל שלכם.",
                         "We will e-mail you a link to choose a new password."),
    "auth.reset_send": ("שליחת הקישור", "Send the link"),
    "auth.reset_sent_title": ("בדקו את תיבת הדוא\"ל", "Check your e-mail"),
    "auth.reset_sent": ("אם הכתובת רשומה אצלנו, נשלח אליה קישור לבחירת סיסמה חדשה.",
                        "If the address belongs to a user, a link to choose a new password is on its way."),
    "auth.back_to_login": ("חזרה לכניסה", "Back to sign in"),
    "auth.reset_new_title": ("בחירת סיסמה חדשה", "Choose a new password"),
    "auth.reset_invalid_title": ("הקישור אינו בתוקף", "This link no longer works"),
    "auth.reset_invalid": ("ייתכן שכבר השתמשו בקישור או שפג תוקפו.", "It may have been used already or it has expired."),
    "auth.reset_again": ("בקשת קישור חדש", "Ask for a new link"),
    "auth.reset_complete_title": ("הסיסמה נשמרה. אפשר להיכנס.", "Your password is saved. You can sign in."),
    "auth.reset_mail_subject": ("gvia: בחירת סיסמה", "gvia: choose your password"),
    "auth.reset_mail_hello": ("שלום,", "Hello,"),
    "auth.reset_mail_body": ("כדי לבחור סיסמה ל-gvia, פתחו את הקישור הבא:",
                             "To choose your gvia password, open this link:"),
    "auth.reset_mail_user": ("שם המשתמש שלכם:", "Your user name:"),

    # --- form fields -----------------------------------------------------------------------------
    "field.email": ("דוא\"ל", "E-mail"),
    "field.username": ("דוא\"ל", "E-mail"),
    "field.password": ("סיסמה", "Password"),
    "field.old_password": ("הסיסמה הנוכחית", "Current password"),
    "field.new_password1": ("סיסמה חדשה", "New password"),
    "field.new_password2": ("הסיסמה החדשה שוב", "New password again"),
    "field.document_kind": ("סוג המסמך", "Kind of document"),
    "field.invoice": ("חשבונית (לא חובה)", "Invoice (optional)"),
    "field.file": ("קובץ", "File"),
    "field.import_kind": ("מה יש בקובץ", "What the file holds"),
    "field.preset": ("מיפוי שמור (לא חובה)", "Saved mapping (optional)"),
    "field.date_format": ("תבנית תאריך (לא חובה)", "Date format (optional)"),
    "field.save_as": ("שמירת המיפוי בשם (לא חובה)", "Save this mapping as (optional)"),
    "field.name": ("שם", "Name"),
    "field.tax_id": ("ח.פ. / ע.מ.", "Tax or company number"),
    "field.address": ("כתובת", "Address"),
    "field.phone": ("טלפון", "Phone"),
    "field.bank_details": ("פרטי בנק לתשלום", "Bank details for payment"),
    "field.payment_link": ("קישור לתשלום", "Payment link"),
    "field.default_language": ("שפת ברירת המחדל", "Default language"),
    "field.time_zone": ("אזור זמן", "Time zone"),
    "field.signatory_name": ("שם החותם", "Signatory's name"),
    "field.signatory_title": ("תפקיד החותם", "Signatory's title"),
    "field.accent_color": ("צבע הדגשה", "Accent colour"),
    "field.logo": ("לוגו (PNG או JPEG)", "Logo (PNG or JPEG)"),
    "field.remove_logo": ("הסרת הלוגו", "Remove the logo"),
    "field.role": ("תפקיד", "Role"),
    "help.date_format": ("למשל %d/%m/%Y. בלי תבנית: תאריכי ISO והסדר הנהוג במדינה (יום קודם בישראל).",
                         "For example %d/%m/%Y. Without one: ISO dates and the country's usual order "
                         "(day first in Israel and the UK)."),
    "help.save_as": ("בפעם הבאה אפשר לבחור את המיפוי הזה בעת העלאת קובץ.",
                     "Next time, choose this mapping when you upload a file."),
    "help.bank_details": ("מופיע במכתבים: בנק, סניף, מספר חשבון.", "Shown on letters: bank, branch, account."),

    # --- dashboard -------------------------------------------------------------------------------
    "dashboard.title": ("לוח בקרה", "Dashboard"),
    "dashboard.as_of": ("נכון ל-{day}", "As of {day}"),
    "dashboard.summary": ("תמונת מצב", "Summary"),
    "dashboard.overdue_total": ("סך הכול בפיגור", "Overdue in total"),
    "dashboard.nothing_overdue": ("אין חובות בפיגור", "Nothing overdue"),
    "dashboard.customers_overdue": ("לקוחות בפיגור", "Customers overdue"),
    "dashboard.of_total": ("מתוך {n}", "of {n}"),
    "dashboard.of_open": ("מתוך {n} פתוחות", "of {n} open"),
    "dashboard.see_overdue": ("לרשימת הלקוחות בפיגור", "See the customers overdue"),
    "dashboard.invoices_overdue": ("חשבוניות בפיגור", "Invoices overdue"),
    "dashboard.unapplied": ("זיכויים שלא שויכו", "Unapplied credit"),
    "dashboard.aging_in": ("גיול חובות ב-{currency}", "Aging in {currency}"),
    "dashboard.chart_title": ("גיול חובות ב-{currency}", "Aging in {currency}"),
    "dashboard.total": ("סה\"כ", "Total"),
    "dashboard.empty_title": ("עדיין אין נתונים", "No data yet"),
    "dashboard.empty_text": ("ייבאו את רשימת החשבוניות הפתוחות מתוכנת הנהלת החשבונות כדי להתחיל.",
                             "Import your open invoices from your accounting software to begin."),
    "dashboard.import_now": ("ייבוא קובץ", "Import a file"),
    "dashboard.data_title": ("הנתונים", "Your data"),
    "dashboard.last_import": ("הייבוא האחרון: {when}, הקובץ {file}", "Last import: {when}, file {file}"),
    "dashboard.no_import": ("עוד לא יובא קובץ.", "No file has been imported yet."),
    "dashboard.import_more": ("ייבוא קובץ מעודכן", "Import an updated file"),
    "bucket.not_due": ("טרם הגיע מועדן", "Not yet due"),
    "bucket.range": ("{a}-{b} ימים", "{a}-{b} days"),
    "bucket.over": ("מעל {n} ימים", "Over {n} days"),

    # --- customers -------------------------------------------------------------------------------
    "customers.title": ("לקוחות", "Customers"),
    "customers.search_label": ("חיפוש", "Search"),
    "customers.search_help": ("שם, מספר לקוח, ח.פ., טלפון או דוא\"ל", "Name, reference, tax id, phone or e-mail"),
    "customers.currency": ("מטבע", "Currency"),
    "customers.all_currencies": ("כל המטבעות", "All currencies"),
    "customers.overdue_filter": ("פיגור", "Overdue"),
    "customers.overdue_all": ("כל הלקוחות", "All customers"),
    "customers.overdue_any": ("בפיגור", "Overdue"),
    "customers.overdue_none": ("ללא פיגור", "Nothing overdue"),
    "customers.overdue_range": ("בפיגור {range} ימים", "Overdue {range} days"),
    "customers.sort": ("מיון", "Sort by"),
    "customers.sort.name": ("שם (א-ת)", "Name (A–Z)"),
    "customers.sort.-name": ("שם (ת-א)", "Name (Z–A)"),
    "customers.sort.ref": ("מספר לקוח", "Reference"),
    "customers.sort.-ref": ("מספר לקוח (יורד)", "Reference (descending)"),
    "customers.sort.-overdue": ("סכום בפיגור (מהגבוה)", "Overdue amount (highest first)"),
    "customers.sort.overdue": ("סכום בפיגור (מהנמוך)", "Overdue amount (lowest first)"),
    "customers.sort.-days": ("ימי פיגור (מהוותיק)", "Days overdue (oldest first)"),
    "customers.sort.days": ("ימי פיגור (מהחדש)", "Days overdue (newest first)"),
    "customers.apply": ("הצגה", "Show"),
    "customers.showing": ("{shown} מתוך {total} לקוחות", "{shown} of {total} customers"),
    "customers.showing_some": ("לקוחות {shown}; יש עוד", "Customers {shown}; there are more"),
    "customers.none_found": ("לא נמצאו לקוחות.", "No customers found."),
    "customers.sorted_by_overdue_in": ("ממוין לפי הסכום בפיגור ב-{currency}", "sorted by the amount overdue in {currency}"),
    "customers.col_name": ("לקוח", "Customer"),
    "customers.col_ref": ("מספר לקוח", "Reference"),
    "customers.col_open": ("יתרה פתוחה", "Open"),
    "customers.col_overdue": ("בפיגור", "Overdue"),
    "customers.col_days": ("ימי פיגור", "Days overdue"),
    "customers.hold": ("לא לגבות", "Do not chase"),

    "customer.ref": ("מספר לקוח", "Ref."),
    "customer.tax_id": ("ח.פ.", "Tax id"),
    "customer.kind.business": ("עסק", "Business"),
    "customer.kind.consumer": ("לקוח פרטי", "Consumer"),
    "customer.language": ("שפה", "Language"),
    "customer.hold_reason": ("לא לגבות: {reason}", "Do not chase: {reason}"),
    "customer.statement": ("כרטסת", "Statement of account"),
    "customer.balance": ("יתרה", "Balance"),
    "customer.open_balance": ("יתרה פתוחה", "Open balance"),
    "customer.nothing_open": ("אין יתרה פתוחה", "Nothing open"),
    "customer.overdue": ("בפיגור", "Overdue"),
    "customer.nothing_overdue": ("אין פיגור", "Nothing overdue"),
    "customer.oldest_days": ("החשבונית הוותיקה ביותר: {days} ימים בפיגור", "Oldest invoice {days} days overdue"),
    "customer.credit": ("זיכוי שלא שויך", "Unapplied credit"),
    "customer.on_page": ("בדף הזה", "On this page"),
    "customer.invoices": ("חשבוניות", "Invoices"),
    "customer.payments": ("תשלומים", "Payments"),
    "customer.documents": ("מסמכים", "Documents"),
    "customer.timeline": ("ציר זמן", "Timeline"),
    "customer.contacts": ("אנשי קשר", "Contacts"),
    "customer.addresses": ("כתובות", "Addresses"),
    "customer.no_invoices": ("אין חשבוניות.", "No invoices."),
    "customer.no_payments": ("אין תשלומים.", "No payments."),
    "customer.no_contacts": ("אין פרטי קשר.", "No contact details."),
    "customer.no_documents": ("אין מסמכים.", "No documents."),
    "customer.showing_latest": ("מוצגות {n} האחרונות.", "Showing the latest {n}."),
    "customer.timeline_all": ("הצגת הכול", "Show everything"),
    "customer.timeline_empty": ("עוד לא קרה דבר עם הלקוח הזה.", "Nothing has happened with this customer yet."),
    "customer.add_document": ("הוספת מסמך", "Add a document"),
    "customer.upload": ("העלאה", "Upload"),
    "customer.document_added": ("המסמך {name} נשמר.", "The document {name} was saved."),
    "contact.primary": ("ראשי", "Primary"),
    "contact.billing": ("חיובים", "Billing"),
    "contact.cc": ("בהעתק", "CC"),

    # --- invoices and payments -------------------------------------------------------------------
    "invoice.number": ("מספר", "Number"),
    "invoice.issue_date": ("תאריך הפקה", "Issued"),
    "invoice.due_date": ("לתשלום עד", "Due"),
    "invoice.amount": ("סכום", "Amount"),
    "invoice.open": ("פתוח", "Open"),
    "invoice.status": ("מצב", "Status"),
    "invoice.days_overdue": ("{days} ימים", "{days} days"),
    "invoice.kind.invoice": ("חשבונית", "Invoice"),
    "invoice.kind.credit_note": ("חשבונית זיכוי", "Credit note"),
    "invoice.settled_outside": ("נסגר מחוץ ל-gvia", "Settled outside gvia"),
    "invoice.covered_by": ("מה כיסה את החשבונית", "What covered it"),
    "invoice.source": ("מקור", "Source"),
    "invoice.applied": ("סכום ששויך", "Applied"),
    "invoice.nothing_applied": ("עוד לא שויך אליה תשלום או זיכוי.", "No payment or credit has been applied yet."),
    "invoice.credit_notes": ("חשבוניות זיכוי", "Credit notes"),
    "invoice.details": ("פרטים", "Details"),
    "invoice.customer": ("לקוח", "Customer"),
    "invoice.applies_to": ("זיכוי עבור", "Credits invoice"),
    "invoice.po_number": ("הזמנת רכש", "Purchase order"),
    "invoice.description": ("תיאור", "Description"),
    "invoice.source_file": ("יובאה מהקובץ", "Imported from"),
    "invoice.add_document": ("הוספת מסמך בדף הלקוח", "Add a document on the customer's page"),
    "status.open": ("פתוחה", "Open"),
    "status.overdue": ("בפיגור", "Overdue"),
    "status.paid": ("שולמה", "Paid"),
    "status.credit_note": ("זיכוי", "Credit note"),
    "allocation.payment": ("תשלום", "Payment"),
    "allocation.credit_note": ("חשבונית זיכוי", "Credit note"),
    "allocation.tolerance": ("הפרש קטן שנסגר", "Small difference settled"),
    "payment.date": ("תאריך", "Date"),
    "payment.amount": ("סכום", "Amount"),
    "payment.method": ("אמצעי", "Method"),
    "payment.reference": ("אסמכתא", "Reference"),
    "payment.status": ("מצב", "Status"),
    "payment.withholding": ("ניכוי במקור {amount}", "Withheld at source {amount}"),
    "payment.for_invoice": ("עבור {number}", "For {number}"),
    "payment.value_date": ("לפירעון ב-{day}", "Value date {day}"),
    "payment.status.cleared": ("נפרע", "Cleared"),
    "payment.status.pending": ("שיק דחוי", "Post-dated"),
    "payment.status.bounced": ("חזר", "Bounced"),
    "method.transfer": ("העברה בנקאית", "Bank transfer"),
    "method.card": ("כרטיס אשראי", "Card"),
    "method.cash": ("מזומן", "Cash"),
    "method.cheque": ("שיק", "Cheque"),
    "method.other": ("אחר", "Other"),
    "document.agreement": ("הסכם חתום", "Signed agreement"),
    "document.invoice_copy": ("העתק חשבונית", "Invoice copy"),
    "document.delivery_proof": ("אישור מסירה", "Delivery proof"),
    "document.letter": ("מכתב שנשלח", "Letter sent"),
    "document.other": ("אחר", "Other"),

    # --- statement of account --------------------------------------------------------------------
    "statement.title": ("כרטסת לקוח", "Statement of account"),
    "statement.as_of": ("נכון לתאריך", "As of"),
    "statement.show": ("הצגה", "Show"),
    "statement.download_csv": ("הורדה כ-CSV", "Download as CSV"),
    "statement.in_currency": ("תנועות ב-{currency}", "Entries in {currency}"),
    "statement.date": ("תאריך", "Date"),
    "statement.document": ("מסמך", "Document"),
    "statement.description": ("פירוט", "Details"),
    "statement.debit": ("חובה", "Debit"),
    "statement.credit": ("זכות", "Credit"),
    "statement.balance": ("יתרה", "Balance"),
    "statement.closing": ("יתרת סגירה", "Closing balance"),
    "statement.pending": ("טרם נפרע", "Not yet cleared"),
    "statement.empty": ("אין תנועות עד התאריך הזה.", "No entries up to this date."),
    "statement.open_items": ("חשבוניות פתוחות", "Open invoices"),
    "statement.kind.invoice": ("חשבונית", "Invoice"),
    "statement.kind.credit_note": ("זיכוי", "Credit note"),
    "statement.kind.settled_outside": ("נסגר מחוץ ל-gvia", "Settled outside gvia"),
    "statement.kind.write_off": ("מחיקה", "Write-off"),
    "statement.kind.payment": ("תשלום", "Payment"),
    "statement.kind.withholding": ("ניכוי במקור", "Withholding"),
    "statement.kind.exchange": ("המרת מטבע", "Exchange"),
    "statement.kind.tolerance": ("הפרש קטן", "Small difference"),
    "statement.kind.bounced": ("תשלום שחזר", "Bounced payment"),
    "statement.text.invoice": ("חשבונית לתשלום עד {due}", "Invoice due {due}"),
    "statement.text.credit_note": ("הודעת זיכוי", "Credit note"),
    "statement.text.settled_outside": ("חלק שנסגר מחוץ ל-gvia", "Part settled outside gvia"),
    "statement.text.write_off": ("חלק שנמחק", "Part written off"),
    "statement.text.payment": ("תשלום שהתקבל", "Payment received"),
    "statement.text.withholding": ("מס שנוכה במקור", "Tax withheld at source"),
    "statement.text.exchange": ("המרה בשער התשלום", "Converted at the payment's rate"),
    "statement.text.tolerance": ("הפרש קטן נסגר אוטומטית", "Small difference settled automatically"),
    "statement.text.bounced": ("התשלום חזר ואינו נספר", "Returned unpaid; not counted"),

    # --- timeline --------------------------------------------------------------------------------
    "timeline.invoice": ("הופקה חשבונית {number} על {amount}, לתשלום עד {due}",
                         "Invoice {number} issued for {amount}, due {due}"),
    "timeline.credit_note": ("הופקה חשבונית זיכוי {number} על {amount}", "Credit note {number} issued for {amount}"),
    "timeline.payment": ("התקבל תשלום של {amount} ({method})", "Payment of {amount} received ({method})"),
    "timeline.payment_pending": ("התקבל שיק דחוי {number} על {amount}, לפירעון ב-{value_date}",
                                 "Post-dated cheque {number} for {amount} received, value date {value_date}"),
    "timeline.payment_bounced": ("שיק {number} על {amount} חזר", "Cheque {number} for {amount} bounced"),
    "timeline.document": ("נוסף מסמך: {doc_kind}, {name}", "Document added: {doc_kind}, {name}"),
    "timeline.audit": ("{action}", "{action}"),
    "audit.cheque.bounced": ("שיק סומן כחוזר", "Cheque marked as bounced"),
    "audit.customer.updated": ("פרטי הלקוח עודכנו", "Customer details changed"),
    "audit.customer.created": ("הלקוח נוצר", "Customer created"),

    # --- imports ---------------------------------------------------------------------------------
    "import.title": ("ייבוא נתונים", "Import data"),
    "import.steps": ("שלבי הייבוא", "Import steps"),
    "import.step_upload": ("העלאת קובץ", "Upload a file"),
    "import.step_map": ("התאמת עמודות ותצוגה מקדימה", "Match columns and preview"),
    "import.step_commit": ("ייבוא", "Import"),
    "import.upload_title": ("העלאת קובץ", "Upload a file"),
    "import.upload_intro": ("קובץ CSV או Excel שיוצא מתוכנת הנהלת החשבונות. שום דבר לא נשמר לפני התצוגה המקדימה.",
                            "A CSV or Excel file exported from your accounting software. Nothing is saved "
                            "before you have seen the preview."),
    "import.upload_next": ("המשך", "Continue"),
    "import.kind.invoices": ("חשבוניות פתוחות", "Open invoices"),
    "import.kind.payments": ("תשלומים", "Payments"),
    "import.kind.customers": ("לקוחות", "Customers"),
    "import.recent": ("ייבואים אחרונים", "Recent imports"),
    "import.none_yet": ("עוד לא יובא קובץ.", "Nothing imported yet."),
    "import.run_counts": ("{rows} שורות, {created} חדשות, {updated} עודכנו",
                          "{rows} rows, {created} new, {updated} updated"),
    "import.presets": ("מיפויים שמורים", "Saved mappings"),
    "import.map_title": ("התאמת עמודות", "Match the columns"),
    "import.using_preset": ("לפי המיפוי {name}", "using the mapping {name}"),
    "import.columns_title": ("איזו עמודה מכילה מה", "Which column holds what"),
    "import.columns_intro": ("זיהינו את העמודות לפי הכותרות. בדקו ותקנו אם צריך, ואז הציגו תצוגה מקדימה.",
                             "We matched the columns by their headers. Check them, correct what is wrong, "
                             "then preview."),
    "import.no_column": ("— לא לקרוא —", "— do not read —"),
    "import.required": ("חובה", "required"),
    "import.more_columns": ("עמודות נוספות שלא זוהו ({n})", "More columns, not matched ({n})"),
    "import.problem_count": ("נמצאו {n} בעיות:", "{n} problems found:"),
    "import.sample_title": ("השורות הראשונות בקובץ", "The first rows of the file"),
    "import.preview": ("תצוגה מקדימה", "Preview"),
    "import.commit": ("ייבוא הקובץ", "Import the file"),
    "import.discard": ("ביטול", "Cancel"),
    "import.choose_other": ("בחירת קובץ אחר", "Choose another file"),
    "import.problems_title": ("יש בעיות בקובץ", "The file has problems"),
    "import.nothing_written": ("שום דבר לא נשמר. תקנו את הקובץ או את התאמת העמודות ונסו שוב.",
                               "Nothing was written. Correct the file or the column matching and try again."),
    "import.row": ("שורה", "Row"),
    "import.column": ("עמודה", "Column"),
    "import.value": ("ערך", "Value"),
    "import.message": ("הבעיה", "Problem"),
    "import.preview_title": ("תצוגה מקדימה: הקובץ תקין", "Preview: the file is fine"),
    "import.nothing_written_yet": ("עוד לא נשמר דבר. כך ייראה הייבוא:", "Nothing is saved yet. The import would do this:"),
    "import.count_rows": ("{n} שורות נקראו", "{n} rows read"),
    "import.count_created": ("{n} רשומות חדשות", "{n} new records"),
    "import.count_updated": ("{n} רשומות יעודכנו", "{n} records updated"),
    "import.count_unchanged": ("{n} ללא שינוי", "{n} unchanged"),
    "import.count_customers": ("{n} לקוחות חדשים", "{n} new customers"),
    "import.count_closed": ("{n} חשבוניות ייסגרו (לא בקובץ)", "{n} invoices closed (missing from the file)"),
    "import.changes": ("השינויים ({n})", "The changes ({n})"),
    "import.committed": ("הקובץ יובא: {rows} שורות, {created} חדשות, {updated} עודכנו.",
                         "The file was imported: {rows} rows, {created} new, {updated} updated."),
    "import.done_title": ("הייבוא הושלם", "Import complete"),
    "import.closed_list": ("החשבוניות שנסגרו", "The invoices closed"),
    "import.see_customers": ("ללקוחות", "Go to customers"),
    "import.another": ("ייבוא קובץ נוסף", "Import another file"),
    "import.field.customer_ref": ("מספר לקוח", "Customer reference"),
    "import.field.customer_name": ("שם הלקוח", "Customer name"),
    "import.field.customer_tax_id": ("ח.פ. / ת.ז.", "Tax id"),
    "import.field.customer_email": ("דוא\"ל", "E-mail"),
    "import.field.customer_phone": ("טלפון", "Phone"),
    "import.field.customer_language": ("שפת הלקוח", "Customer language"),
    "import.field.customer_type": ("עסק או פרטי", "Business or consumer"),
    "import.field.customer_address": ("כתובת", "Address"),
    "import.field.contact_name": ("איש קשר", "Contact person"),
    "import.field.invoice_number": ("מספר חשבונית", "Invoice number"),
    "import.field.kind": ("סוג מסמך", "Document kind"),
    "import.field.applies_to": ("זיכוי עבור חשבונית", "Credit note for invoice"),
    "import.field.po_number": ("הזמנת רכש", "Purchase order"),
    "import.field.issue_date": ("תאריך הפקה", "Issue date"),
    "import.field.due_date": ("תאריך פירעון", "Due date"),
    "import.field.amount": ("סכום", "Amount"),
    "import.field.open_amount": ("יתרה לתשלום", "Open amount"),
    "import.field.currency": ("מטבע", "Currency"),
    "import.field.description": ("תיאור", "Description"),
    "import.field.date": ("תאריך", "Date"),
    "import.field.value_date": ("תאריך ערך", "Value date"),
    "import.field.method": ("אמצעי תשלום", "Method"),
    "import.field.cheque_number": ("מספר שיק", "Cheque number"),
    "import.field.cheque_bank": ("בנק השיק", "Cheque bank"),
    "import.field.reference": ("אסמכתא", "Reference"),
    "import.field.withholding": ("ניכוי במקור", "Withholding tax"),
    "import.field.withholding_certificate": ("אישור ניכוי במקור", "Withholding certificate"),
    "import.field.rate": ("שער המרה", "Exchange rate"),
    "audit.import.invoices": ("יובא קובץ חשבוניות", "Invoices file imported"),
    "audit.import.payments": ("יובא קובץ תשלומים", "Payments file imported"),
    "audit.import.customers": ("יובא קובץ לקוחות", "Customers file imported"),

    # --- settings --------------------------------------------------------------------------------
    "settings.title": ("הגדרות", "Settings"),
    "settings.tab_org": ("הארגון ונייר המכתבים", "Organization and letterhead"),
    "settings.tab_users": ("משתמשים והרשאות", "Users and roles"),
    "settings.org_title": ("פרטי הארגון", "Organization details"),
    "settings.fixed": ("מדינה {country}, מטבע {currency}: נקבעו בעת ההקמה.",
                       "Country {country} and currency {currency} were set when the organization was created."),
    "settings.save": ("שמירה", "Save"),
    "settings.saved": ("השינויים נשמרו.", "Your changes were saved."),
    "settings.unchanged": ("לא היה מה לשנות.", "Nothing changed."),
    "settings.name_required": ("לארגון צריך להיות שם.", "The organization needs a name."),
    "settings.bad_colour": ("צבע בצורה ‎#1f4e79‎.", "A colour like #1f4e79."),
    "settings.letterhead_title": ("נייר מכתבים", "Letterhead"),
    "settings.letterhead_intro": ("כך ייחתמו המכתבים והדוא\"ל שיוצאים בשמכם.",
                                  "How the letters and e-mails sent in your name are signed."),
    "settings.logo_alt": ("הלוגו הנוכחי", "The current logo"),
    "settings.members": ("משתמשים", "People"),
    "settings.actions": ("פעולות", "Actions"),
    "settings.you": ("את/ה", "you"),
    "settings.role_of": ("התפקיד של {email}", "Role of {email}"),
    "settings.change_role": ("עדכון", "Update"),
    "settings.remove": ("הסרה", "Remove"),
    "settings.role_changed": ("התפקיד של {email} עודכן.", "The role of {email} was changed."),
    "settings.removed": ("המשתמש הוסר מהארגון.", "The person was removed from the organization."),
    "settings.invite_title": ("הוספת משתמש", "Add a person"),
    "settings.invite_intro": ("המשתמש יקבל דוא\"ל עם קישור לבחירת סיסמה.",
                              "They get an e-mail with a link to choose their password."),
    "settings.invite": ("הוספה", "Add"),
    "settings.invited": ("{email} נוסף/ה ונשלח דוא\"ל לבחירת סיסמה.", "{email} was added and sent an e-mail to choose a password."),
    "settings.role_owner_help": ("הכול, כולל הגדרות, משתמשים ואישור מכתבים רשמיים.",
                                 "Everything, including settings, people and approving formal letters."),
    "settings.role_collector_help": ("עבודת הגבייה היומית: ייבוא, שיחות, הבטחות, מסמכים.",
                                     "The daily collection work: imports, calls, promises, documents."),
    "settings.role_viewer_help": ("צפייה בלבד, בלי שינויים.", "Can look at everything, change nothing."),
    "audit.organization.created": ("הארגון נוצר", "Organization created"),
    "audit.organization.updated": ("פרטי הארגון עודכנו", "Organization details changed"),
    "audit.letterhead.updated": ("נייר המכתבים עודכן", "Letterhead changed"),
    "audit.organization.logo_set": ("הלוגו הוחלף", "Logo changed"),
    "audit.organization.logo_removed": ("הלוגו הוסר", "Logo removed"),
    "audit.member.added": ("משתמש נוסף", "Person added"),
    "audit.member.role_changed": ("תפקיד שונה", "Role changed"),
    "audit.member.removed": ("משתמש הוסר", "Person removed"),
    "audit.user.language_set": ("השפה שונתה", "Language changed"),
    "audit.document.added": ("נוסף מסמך", "Document added"),
    "audit.import.preset_saved": ("נשמר מיפוי עמודות", "Column mapping saved"),
}


def add(strings: dict[str, tuple[str, str]]) -> None:
    """Add another area's words. A key may not be defined twice with different words."""
    for key, pair in strings.items():
        if key in STRINGS and STRINGS[key] != pair:
            raise ValueError(f"i18n key {key!r} is already defined differently")
        if len(pair) != len(LANGS) or not all(isinstance(s, str) and s for s in pair):
            raise ValueError(f"i18n key {key!r} needs a non-empty text in each of {LANGS}")
        STRINGS[key] = pair


@lru_cache(maxsize=64)
def normalize(lang: str | None) -> str:
    """'he', 'he-il', 'en-us' -> 'he' / 'en'; anything else -> 'he'."""
    base = (lang or "").split("-")[0].split("_")[0].lower()
    return base if base in LANGS else "he"


def direction(lang: str) -> str:
    return "rtl" if normalize(lang) in RTL else "ltr"


def has(key: str) -> bool:
    return key in STRINGS


def text(key: str, lang: str, escape: Callable[[str], str] | None = None, **params) -> str:
    """The text of ``key`` in ``lang``, with ``{name}`` placeholders filled from ``params``.

    An unknown key comes back as the key itself, so a missing text shows instead of breaking the
    page (the test of the templates catches it first). ``escape`` is applied to the text before
    the (already safe) parameters are put in.
    """
    pair = STRINGS.get(key)
    template = pair[LANGS.index(normalize(lang))] if pair else key
    if escape is not None:
        template = str(escape(template))
    return template.format(**params) if params else template


class Key(str):
    """A value that is itself a key to translate when shown (``Key("method.cheque")``), with the
    text to show when the key is unknown (an audit action nobody named yet)."""

    def __new__(cls, key: str, fallback: str | None = None):
        obj = super().__new__(cls, key)
        obj.fallback = fallback if fallback is not None else key
        return obj

    def text(self, lang: str) -> str:
        return text(str(self), lang) if has(str(self)) else self.fallback


def bucket_label(name: str, lang: str) -> str:
    """An aging bucket for people: "not_due" -> "Not yet due", "31-60" -> "31-60 days",
    "180+" -> "Over 180 days". The range keeps the ASCII hyphen: between two numbers it binds
    them into one left-to-right run, so Hebrew shows "31-60 ימים", not "60–31"."""
    if name == "not_due":
        return text("bucket.not_due", lang)
    if name.endswith("+"):
        return text("bucket.over", lang, n=name[:-1])
    a, _, b = name.partition("-")
    return text("bucket.range", lang, a=a, b=b)
