"""The canonical fields of each import, and the column headers that name them.

Three imports exist: ``customers``, ``invoices`` and ``payments``. Each has a fixed list of
canonical fields (the names used by ``--column FIELD=HEADER``), some of them required, and for
every field the headers that mean it, in English and in Hebrew as Israeli accounting software
exports them ("מס' חשבונית", "תאריך פירעון", "ח.פ.", "יתרה לתשלום", ...).

Headers are compared after :func:`normalize_header`: case-folded, with everything that is not a
letter or digit removed, so "Due Date", "due_date" and "DUE-DATE" are one header, and so are
"מס' חשבונית", "מס. חשבונית" and "מס חשבונית", or 'דוא"ל', "דוא״ל" and "דואל".

Aliases are listed most specific first: when two columns could both be the amount ("סכום" and
'סה"כ'), the one whose header comes first in the field's list wins and the other is left unused.
Within one import no header means two fields (a test checks this); where a header means
different things in different imports the import decides — "תאריך" is the issue date of an
invoice but the date of a payment, "אסמכתא" the number of an invoice (as Hashavshevet names
it) but the reference of a payment, and "תאריך ערך" the due date of an invoice but the value
date of a payment (a post-dated cheque's date).

Headers deliberately *not* matched automatically because they are ambiguous: a bare "VAT"
(usually the VAT amount, not the VAT number), "מס'" / "No." / "#" (usually a running line
number), "Number". Name such columns with ``--column``.
"""

from __future__ import annotations

KINDS = ("customers", "invoices", "payments")

# --- the fields of each import, in the order they are matched -------------------------------

CUSTOMER_FIELDS = (
    "customer_ref", "customer_name", "customer_tax_id", "customer_email", "customer_phone",
    "customer_language", "customer_type", "customer_address", "contact_name", "customer_claim_basis",
    "customer_large_business",
)

STATEMENT_FIELDS = (
    "booking_date", "value_date", "amount", "credit", "debit", "currency", "text", "details",
    "reference", "end_to_end_id", "payer_name", "payer_account", "account", "balance",
)

FIELDS: dict[str, tuple[str, ...]] = {
    "customers": CUSTOMER_FIELDS,
    "invoices": CUSTOMER_FIELDS + (
        "invoice_number", "kind", "applies_to", "po_number", "issue_date", "due_date",
        "amount", "open_amount", "currency", "description", "allocation_number", "amount_before_vat",
    ),
    # customer_name, cheque_bank and withholding_certificate are optional extras beyond the
    # issue's list: a name creates an unknown customer properly, the other two are kept on
    # the payment record (a cheque's bank; the withholding certificate number).
    "payments": (
        "customer_ref", "customer_name", "date", "value_date", "amount", "currency", "method",
        "cheque_number", "cheque_bank", "reference", "withholding", "withholding_certificate",
        "invoice_number", "rate",
    ),
    # a bank statement's lines (issue 18; read by imports/statements/, not by the row parser)
    "statement": STATEMENT_FIELDS,
}

# Each entry is a group of alternatives; a file must have a column for at least one field of
# every group. Invoices need an issue date or a due date: a missing one is taken from the other
# (see rows.py).
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "customers": (("customer_ref",), ("customer_name",)),
    "invoices": (("customer_ref",), ("invoice_number",), ("issue_date", "due_date"), ("amount",)),
    "payments": (("customer_ref",), ("date",), ("amount",)),
    "statement": (("booking_date", "value_date"), ("amount", "credit")),
}

# One line of help per field, used in messages and by the command line's help.
DESCRIPTIONS: dict[str, str] = {
    "customer_ref": "the business's own reference for the customer (customer number / code)",
    "customer_name": "the customer's name",
    "customer_tax_id": "company number or ID number (Israel: ח.פ. / ע.מ. / ת.ז., check digit "
                       "verified); VAT or company number elsewhere",
    "customer_email": "one e-mail address",
    "customer_phone": "one phone number, stored in E.164 form (+972...)",
    "customer_language": "he, en, ar or ru (also עברית / אנגלית / ערבית / רוסית, Hebrew / English / Arabic / Russian)",
    "customer_type": "business, sole_trader, consumer or public_body (also חברה / עוסק מורשה / "
                     "עוסק פטור / פרטי / גוף ציבורי, company / sole trader / private / public body)",
    "customer_address": "postal address as one line",
    "contact_name": "the person to address at the customer",
    "customer_claim_basis": "the written agreement on file the debt rests on (e.g. \"signed framework "
                            "agreement of 2024-03-01\"); blank: the organization's claim_basis",
    "customer_large_business": "yes or no (also כן / לא): a large buyer under Israel's suppliers' payment law, "
                               "whose agreed payment day later than the law's yields to it; blank changes nothing",
    "invoice_number": "the invoice (or credit note) number",
    "kind": "invoice or credit_note (also חשבונית מס, חשבונית זיכוי, credit)",
    "applies_to": "for a credit note: the number of the invoice it reduces",
    "po_number": "the customer's purchase order number",
    "issue_date": "the date the invoice was issued",
    "due_date": "the date payment is due",
    "amount": "the invoice total (a credit note's amount is positive)",
    "open_amount": "what is still unpaid of the invoice, when the export says so",
    "currency": "ISO code or sign (ILS, ₪, ש\"ח, USD, $, EUR ...); blank means the "
                "organization's currency",
    "description": "free text",
    "allocation_number": "Israel's allocation number of the invoice (מספר הקצאה, \"חשבוניות ישראל\")",
    "amount_before_vat": "the invoice's amount before VAT (blank: computed from the amount and the VAT "
                         "rate of the issue date)",
    "date": "the date the payment was received",
    "value_date": "the value date (a post-dated cheque's date)",
    "method": "transfer, card, cash, cheque or other (also העברה, אשראי, מזומן, צ'ק)",
    "cheque_number": "the cheque's number",
    "cheque_bank": "the bank the cheque is drawn on",
    "reference": "the payment's reference (receipt number, bank reference)",
    "withholding": "tax withheld at source (ניכוי במקור), counted as paid on top of amount",
    "withholding_certificate": "the withholding tax certificate number",
    "rate": "exchange rate to the invoice's currency, for a payment in another currency",
    "booking_date": "the day the bank booked the line",
    "credit": "money in (a statement with separate credit and debit columns)",
    "debit": "money out (a statement with separate credit and debit columns)",
    "text": "what the line says: the transfer's text, the payer",
    "details": "more of what the line says (an export's second description column)",
    "end_to_end_id": "the payer's end-to-end reference of a transfer",
    "payer_name": "who paid",
    "payer_account": "the account the money came from",
    "account": "the business's own account the statement is of",
    "balance": "the account's balance after the line",
}

# --- aliases ---------------------------------------------------------------------------------
# The canonical name itself is always an alias too (added below).

_COMMON: dict[str, tuple[str, ...]] = {
    "customer_ref": (
        "customer ref", "customer reference", "customer id", "customer no", "customer number",
        "customer code", "client id", "client no", "client number", "client code",
        "account no", "account number", "account code", "account id", "account", "debtor code",
        "debtor no", "debtor id",
        "מס' לקוח", "מספר לקוח", "קוד לקוח", "מפתח לקוח", "מפתח חשבון", "מזהה לקוח",
        "כרטיס לקוח", "מס' כרטיס", "מספר כרטיס", "כרטיס", "מס' חשבון", "מספר חשבון",
        "קוד חשבון", "חשבון",
    ),
    "customer_name": (
        "customer name", "client name", "debtor name", "account name", "company name",
        "customer", "client", "debtor", "company", "name",
        "שם לקוח", "שם הלקוח", "שם חשבון", "שם כרטיס", "שם חברה", "שם העסק", "לקוח", "שם",
    ),
    "customer_tax_id": (
        "tax id", "tax number", "tax no", "vat number", "vat no", "vat id", "vat reg no",
        "vat registration number", "company number", "company no", "registration number",
        "business number", "ein", "tin",
        "ח.פ.", "ח.פ./ע.מ.", "ח.פ./ת.ז.", "ע.מ.", "ח.פ. / ע.מ. / ת.ז.", "עוסק מורשה",
        "מס' עוסק מורשה", "מספר עוסק מורשה", "מס' עוסק", "מספר עוסק", "מס' ח.פ.",
        "מספר ח.פ.", "מספר חברה", "מספר תאגיד", "ת.ז.", "תעודת זהות", "מספר זהות",
        "מס' זהות",
    ),
    "customer_email": (
        "email", "e-mail", "email address", "e-mail address", "mail",
        'דוא"ל', 'כתובת דוא"ל', "אימייל", "מייל", "כתובת מייל", "דואר אלקטרוני",
    ),
    "customer_phone": (
        "phone", "telephone", "phone number", "tel", "mobile", "mobile phone", "cell",
        "טלפון", "מס' טלפון", "מספר טלפון", "טלפון נייד", "נייד", "טל'", "פלאפון",
        "סלולרי", "טלפון 1",
    ),
    "customer_language": ("language", "lang", "שפה", "שפת תקשורת"),
    "customer_type": ("customer type", "client type", "סוג לקוח"),
    "customer_address": (
        "address", "customer address", "billing address", "street",
        "כתובת", "כתובת לקוח", "רחוב",
    ),
    "customer_claim_basis": (
        "claim basis", "agreement on file", "written agreement", "signed agreement",
        "בסיס התביעה", "בסיס החוב", "הסכם בכתב", "הסכם חתום", "ההסכם שבתיק",
    ),
    "customer_large_business": (
        "large business", "large buyer", "large customer", "large company",
        "עסק גדול", "לקוח גדול", "חברה גדולה", "מזמין גדול",
    ),
    "contact_name": (
        "contact name", "contact person", "contact", "attention",
        "איש קשר", "שם איש קשר", "איש קשר לגבייה",
    ),
    "currency": ("currency", "currency code", "curr", "ccy", "מטבע", "קוד מטבע", "מטבע עסקה"),
}

_INVOICES: dict[str, tuple[str, ...]] = {
    "invoice_number": (
        "invoice number", "invoice no", "invoice #", "invoice id", "inv no", "inv number",
        "invoice", "document number", "document no", "doc no", "doc number",
        "מס' חשבונית", "מספר חשבונית", "חשבונית", "מס' מסמך", "מספר מסמך", "מסמך",
        "אסמכתא", "מס' אסמכתא",
    ),
    "kind": (
        "kind", "document type", "doc type", "invoice type", "transaction type", "type",
        "סוג מסמך", "סוג חשבונית", "סוג תנועה", "סוג",
    ),
    "applies_to": (
        "applies to", "original invoice", "credited invoice", "against invoice",
        "related invoice", "for invoice",
        "חשבונית מקור", "מסמך מקור", "חשבונית מקורית", "בגין חשבונית", "מתייחס לחשבונית",
        "עבור חשבונית", "מסמך בסיס",
    ),
    "po_number": (
        "po number", "po no", "po", "p.o.", "purchase order", "purchase order number",
        "customer po", "order number", "order no",
        "מס' הזמנה", "מספר הזמנה", "הזמנת רכש", "מס' הזמנת רכש", "הזמנה",
    ),
    "issue_date": (
        "issue date", "invoice date", "document date", "doc date", "date issued", "date",
        "תאריך חשבונית", "תאריך מסמך", "תאריך הפקה", "תאריך הנפקה", "תאריך אסמכתא", "תאריך",
    ),
    "due_date": (
        "due date", "payment due", "due by", "pay by", "due",
        "תאריך פירעון", "תאריך פרעון", "מועד פירעון", "מועד פרעון", "תאריך לתשלום",
        "לתשלום עד", "מועד תשלום", "תאריך תשלום", "תאריך ערך",
    ),
    "amount": (
        "amount", "invoice amount", "total amount", "invoice total", "total incl vat",
        "amount incl vat", "gross amount", "gross", "total", "sum",
        "סכום", "סכום כולל", 'סכום כולל מע"מ', "סכום חשבונית", "סכום מסמך", "סכום ברוטו",
        'סה"כ', 'סה"כ כולל מע"מ', 'סה"כ לתשלום',
    ),
    "open_amount": (
        "open amount", "open balance", "balance due", "amount due", "amount outstanding",
        "outstanding", "balance", "remaining", "unpaid", "open",
        "יתרה לתשלום", "יתרה פתוחה", "יתרת חוב", "יתרה לגבייה", "סכום פתוח", "יתרה", "חוב",
        "פתוח",
    ),
    "description": (
        "description", "details", "memo", "notes", "note", "remarks", "narrative",
        "תיאור", "תאור", "פרטים", "פירוט", "הערות", "הערה",
    ),
    "allocation_number": (
        "allocation number", "allocation no", "invoice allocation number",
        "מספר הקצאה", "מס' הקצאה", "מספר הקצאה לחשבונית",
    ),
    "amount_before_vat": (
        "amount before vat", "amount excl vat", "amount excluding vat", "net amount", "net",
        "total before vat", "total excl vat",
        'סכום לפני מע"מ', 'סה"כ לפני מע"מ', 'סכום ללא מע"מ', 'סה"כ ללא מע"מ', "סכום נטו",
    ),
}

_PAYMENTS: dict[str, tuple[str, ...]] = {
    # A payments export's "מספר חשבון" is as likely the payer's bank account as the customer,
    # so payments match only the unambiguous customer headers.
    "customer_ref": tuple(a for a in _COMMON["customer_ref"]
                          if a not in ("מס' חשבון", "מספר חשבון", "חשבון", "account no",
                                       "account number", "account")),
    "date": (
        "payment date", "date received", "receipt date", "received", "date",
        "תאריך תשלום", "תאריך קבלה", "תאריך תקבול", "תאריך מסמך", "תאריך אסמכתא", "תאריך",
    ),
    "value_date": (
        "value date", "cheque date", "check date", "due date",
        "תאריך ערך", "תאריך פירעון", "תאריך פרעון", "תאריך צ'ק", "תאריך שיק", "פירעון",
    ),
    "amount": (
        "amount", "amount received", "amount paid", "payment amount", "paid", "total",
        "סכום", "סכום תשלום", "סכום קבלה", "סכום ששולם", "שולם", 'סה"כ',
    ),
    "method": (
        "method", "payment method", "payment type", "means of payment", "type",
        "אמצעי תשלום", "סוג תשלום", "אופן תשלום", "אמצעי", "סוג",
    ),
    "cheque_number": (
        "cheque number", "cheque no", "check number", "check no", "check #", "cheque", "check",
        "מס' צ'ק", "מספר צ'ק", "מס' שיק", "מספר שיק", "מס' המחאה", "מספר המחאה", "צ'ק", "שיק",
    ),
    "cheque_bank": ("bank", "bank name", "drawee bank", "בנק", "שם בנק", "בנק משוך"),
    "reference": (
        "reference", "payment reference", "ref", "receipt number", "receipt no", "receipt",
        "transaction id", "transaction", "confirmation",
        "אסמכתא", "מס' אסמכתא", "מס' קבלה", "מספר קבלה", "קבלה", "מס' מסמך", "מספר מסמך",
    ),
    "withholding": (
        "withholding", "withholding tax", "tax withheld", "wht",
        "ניכוי במקור", "ניכוי מס במקור", "מס במקור", "סכום ניכוי", "ניכוי",
    ),
    "withholding_certificate": (
        "withholding certificate", "wht certificate",
        "אישור ניכוי במקור", "מס' אישור ניכוי", "אישור ניכוי",
    ),
    "invoice_number": (
        "invoice number", "invoice no", "invoice #", "invoice", "for invoice", "applies to",
        "מס' חשבונית", "מספר חשבונית", "חשבונית", "עבור חשבונית", "בגין חשבונית",
    ),
    "rate": (
        "rate", "exchange rate", "fx rate", "conversion rate",
        "שער", "שער המרה", "שער יציג", "שער חליפין",
    ),
}

# The headers of bank statement exports (issue 18): the columns of the Israeli banks' exports as
# imports/statements/banks.py cites them, and the usual English ones. A statement's amount is
# signed (Discount's "₪ זכות/חובה"); "זכות"/"חובה" are separate credit and debit columns.
_STATEMENT: dict[str, tuple[str, ...]] = {
    "booking_date": ("booking date", "date", "posting date", "transaction date", "entry date",
                     "תאריך", "תאריך ביצוע", "תאריך פעולה", "תאריך תנועה", "תאריך רישום"),
    "value_date": ("value date", "valuta", "תאריך ערך", "יום ערך"),
    "amount": ("amount", "transaction amount", "סכום", "זכות/חובה", "סכום הפעולה", "סכום התנועה"),
    "credit": ("credit", "credit amount", "money in", "paid in", "זכות", "בזכות", "סכום זכות", "סכום זיכוי"),
    "debit": ("debit", "debit amount", "money out", "paid out", "חובה", "בחובה", "סכום חובה", "סכום חיוב"),
    "currency": _COMMON["currency"],
    "text": ("description", "transaction description", "narrative", "memo", "text",
             "תיאור", "תאור", "תיאור הפעולה", "תיאור התנועה", "תיאור פעולה", "הפעולה", "סוג תנועה",
             "סוג פעולה"),
    "details": ("additional details", "more details", "extended description", "פרטים", "תאור מורחב",
                "תיאור מורחב", "פירוט", "הערה", "הערות", "לטובת", "עבור"),
    "reference": ("reference", "bank reference", "ref", "transaction id", "אסמכתא", "אסמכתה", "מס' אסמכתא"),
    "end_to_end_id": ("end to end id", "end-to-end id", "endtoendid", "e2e id"),
    "payer_name": ("payer", "payer name", "counterparty", "counterparty name", "name", "שם המעביר",
                   "שם משלם", "שם המשלם", "מעביר"),
    "payer_account": ("payer account", "counterparty account", "counterparty iban", "iban",
                      "חשבון המעביר", "חשבון משלם"),
    "account": ("account", "account number", "account no", "חשבון", "מספר חשבון", "מס' חשבון"),
    "balance": ("balance", "running balance", "יתרה", "יתרה לאחר פעולה", "יתרה בש\"ח", "היתרה בש\"ח",
                "יתרה בשח", "יתרה בש''ח"),
}

_CUSTOMERS: dict[str, tuple[str, ...]] = {
    # in a customers file a bare "type" / "סוג" can only be the customer's type
    "customer_type": _COMMON["customer_type"] + ("type", "סוג"),
}


def normalize_header(text: str) -> str:
    """The comparison key of a header: case-folded letters and digits only.

    Drops spaces, punctuation, geresh/gershayim (׳ ״), quotes, direction marks and BOMs.
    """
    return "".join(ch for ch in str(text).casefold() if ch.isalnum())


def _build() -> tuple[dict[str, dict[str, tuple[str, ...]]], dict[str, dict[str, tuple[str, ...]]]]:
    extras = {"customers": _CUSTOMERS, "invoices": _INVOICES, "payments": _PAYMENTS, "statement": _STATEMENT}
    keys_table: dict[str, dict[str, tuple[str, ...]]] = {}
    text_table: dict[str, dict[str, tuple[str, ...]]] = {}
    for kind, names in FIELDS.items():
        keys_table[kind], text_table[kind] = {}, {}
        for name in names:
            given = extras[kind].get(name) or _COMMON.get(name) or ()
            keys: list[str] = []
            texts: list[str] = []
            for alias in (name, *given):
                key = normalize_header(alias)
                if key and key not in keys:
                    keys.append(key)
                    texts.append(alias)
            keys_table[kind][name], text_table[kind][name] = tuple(keys), tuple(texts)
    return keys_table, text_table


# ALIASES[kind][field] -> normalized header keys, most specific first; ALIAS_TEXTS the same
# headers as written, for messages and help.
ALIASES, ALIAS_TEXTS = _build()

# Suffixes an export adds to a money column's header ('סכום בש"ח', "Amount (ILS)", "יתרה ₪");
# a header that matches nothing is tried again without them. (₪ and $ vanish in normalizing.)
CURRENCY_SUFFIXES = tuple(normalize_header(s) for s in (
    'בש"ח', 'ש"ח', "בשקלים", "שקלים", "ils", "nis", "usd", "eur", "gbp"))


def check_kind(kind: str) -> str:
    """Return ``kind`` if it is one of :data:`KINDS`, else raise ValueError."""
    if kind not in FIELDS:
        raise ValueError(f"unknown import {kind!r}; expected one of {', '.join(KINDS)}")  # not shown: a caller's bug
    return kind
