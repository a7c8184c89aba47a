"""The bank details have one home (issue 13): the organization's bank fields (bank, branch,
account, IBAN, beneficiary, ...). The settings page and ``gvia org set`` edit the same fields, and
every letter and e-mail prints what they hold — an owner who changes the account sees it in the
next letter, never the old one."""

from __future__ import annotations

import pytest

from gvia.documents import render
from gvia.documents.emailbody import email_body
from gvia.services.context import Ctx
from gvia.services.ledger import books as ledger
from gvia.services.letters import content as letters
from gvia.services.org import members
from gvia.services.org.details import check
from gvia.store.models import Organization

from .conftest import AS_OF, customer, letterhead, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def c500(ctx, books):
    from datetime import date

    letterhead(ctx.org)
    c = customer(books, "C-500", "נגריית העמק בע״מ")
    books.invoice(c, "BK-1", "3000.00", date(2026, 10, 1), date(2026, 9, 1))
    ledger.recompute(ctx, [c.id])
    return c


def _owner(ctx):
    return Ctx(ctx.org, ctx.user, "owner")


def test_a_changed_account_is_what_the_next_letter_and_email_print(ctx, c500):
    members.update_organization(_owner(ctx), {
        "bank_name": "הבנק הבינלאומי (31)", "bank_branch": "012", "bank_account": "987654",
        "bank_iban": "IL62 0108 0000 0009 9999 999", "bank_beneficiary": "גלבוע ציוד בע״מ", "bank_details": ""})
    org = Organization.objects.get(id=ctx.org.id)
    assert org.bank_iban == "IL620108000000099999999"          # kept without spaces, check digits agreed
    ctx = Ctx(org, ctx.user, ctx.role)
    lc = letters.letter_context(ctx, c500, "reminder", AS_OF, language="he", reference="C-500-1")
    got = text(render(lc))
    for line in ("בנק | הבנק הבינלאומי (31)", "סניף | 012", "מספר חשבון | 987654", "IL620108000000099999999"):
        assert line in got
    assert "12345678" not in got and "לאומי (10)" not in got    # the old account is gone everywhere
    mail = email_body(lc)
    assert "987654" in mail.text and "12345678" not in mail.text and "987654" in mail.html
    en = text(render(letters.letter_context(ctx, c500, "reminder", AS_OF, language="en")))
    assert "987654" in en and "IL620108000000099999999" in en


def test_other_instructions_print_after_the_fields(ctx, c500):
    org = ctx.org
    org.bank_name, org.bank_branch, org.bank_account = "לאומי (10)", "800", "12345678"
    org.bank_details = "לתשלום בשיק: לפקודת גלבוע ציוד"
    org.save()
    bank = letters.bank_of(org)
    assert (bank.bank, bank.branch, bank.account, bank.lines) == ("לאומי (10)", "800", "12345678",
                                                                  ("לתשלום בשיק: לפקודת גלבוע ציוד",))
    got = text(render(letters.letter_context(ctx, c500, "reminder", AS_OF, language="he")))
    assert "מספר חשבון | 12345678" in got and "לתשלום בשיק: לפקודת גלבוע ציוד" in got


def test_an_iban_whose_check_digits_disagree_is_refused(ctx):
    from gvia.core.errors import ValidationFailed

    assert check(ctx.org, "bank_iban", "gb82 west 1234 5698 7654 32") == "GB82WEST12345698765432"
    with pytest.raises(ValidationFailed) as exc:
        check(ctx.org, "bank_iban", "GB83WEST12345698765432")
    assert exc.value.problems[0].field == "bank_iban"


def test_the_settings_page_edits_the_same_fields(client, ctx, c500):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("bank-owner@x.test", "bank-owner@x.test", "Gvia-test-2026!")
    from gvia.store.models import Membership

    Membership.objects.create(user=user, organization=ctx.org, role="owner", language="he")
    client.force_login(user)
    page = client.get("/settings/").content.decode()
    for name in ("bank_name", "bank_branch", "bank_account", "bank_iban", "bank_beneficiary"):
        assert f'name="org-{name}"' in page
    form = {f"org-{k}": v for k, v in {
        "name": ctx.org.name, "default_language": "he", "time_zone": "Asia/Jerusalem", "bank_name": "מזרחי טפחות (20)",
        "bank_branch": "455", "bank_account": "111222", "bank_beneficiary": "גלבוע", "bank_iban": "IL00 1"}.items()}
    refused = client.post("/settings/", {"section": "organization", **form})
    assert refused.status_code == 400 and "אין זה IBAN תקין" in refused.content.decode()
    form["org-bank_iban"] = ""
    assert client.post("/settings/", {"section": "organization", **form}).status_code == 302
    org = Organization.objects.get(id=ctx.org.id)
    assert (org.bank_name, org.bank_branch, org.bank_account) == ("מזרחי טפחות (20)", "455", "111222")
    got = text(render(letters.letter_context(Ctx(org, None, "owner"), c500, "reminder", AS_OF, language="he")))
    assert "מספר חשבון | 111222" in got and "12345678" not in got
