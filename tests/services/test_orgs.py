import pytest

from gvia.cli import words as cli_words
from gvia.core.errors import NotFound, Refused, RefusedFor
from gvia.services import settings
from gvia.services.context import resolve
from gvia.services.org.organizations import add_member, init_organization
from gvia.store.models import AuditRecord, Membership, Organization

pytestmark = pytest.mark.django_db


def test_init_creates_org_owner_and_audit_record():
    org = init_organization("גלבוע ציוד בע\"מ", country="IL", admin_email="Owner@Example.co.il",
                            admin_password="s3cret-pass")
    assert (org.country, org.default_currency, org.default_language, org.time_zone) == (
        "IL", "ILS", "he", "Asia/Jerusalem")
    assert org.settings == {} and settings.value(org, "sending_mode") == "approve_all"   # the declared default
    m = Membership.objects.get(organization=org)
    assert (m.user.email, m.role) == ("owner@example.co.il", "owner")
    assert AuditRecord.objects.filter(organization=org, action="organization.created").count() == 1


def test_uk_defaults():
    org = init_organization("Acme Ltd", country="gb", admin_email="a@acme.co.uk", admin_password="Gvia-test-2026!")
    assert (org.default_currency, org.default_language, org.time_zone) == ("GBP", "en", "Europe/London")


@pytest.mark.parametrize("kwargs,message", [
    ({"admin_email": "not-an-email"}, "not-an-email is not an e-mail address."),
    ({"admin_password": "short"}, "it is too short (at least 8 characters)"),
    ({"currency": "XXX"}, "XXX is not a currency code we know."),
    ({"language": "fr"}, "The language must be one of he, en, not fr."),
])
def test_bad_input_is_refused_and_nothing_is_created(kwargs, message):
    args = {"admin_email": "a@b.co", "admin_password": "Gvia-test-2026!", **kwargs}
    with pytest.raises(Refused) as e:
        init_organization("X", **args)
    cli_words.use("en")            # as the command line words the code
    assert message in cli_words.refusal_text(e.value)
    assert Organization.objects.count() == 0


def test_a_refused_password_says_why_in_hebrew():
    with pytest.raises(RefusedFor) as e:
        init_organization("X", admin_email="a@b.co", admin_password="12345678")
    cli_words.use("he")
    try:
        assert cli_words.refusal_text(e.value) == "הסיסמה נדחתה: היא נפוצה מדי; היא מורכבת מספרות בלבד."
    finally:
        cli_words.use("en")


def test_resolve_needs_org_when_several_and_checks_membership():
    a = init_organization("A", admin_email="a@a.co", admin_password="Gvia-test-2026!")
    init_organization("B", admin_email="b@b.co", admin_password="Gvia-test-2026!")
    with pytest.raises(Refused, match="several organizations"):
        resolve(None, None)
    assert resolve("a", "a@a.co").org == a
    with pytest.raises(Refused, match="not a member"):
        resolve("a", "b@b.co")
    with pytest.raises(NotFound):
        resolve("nope", None)


def test_collector_cannot_add_members():
    init_organization("A", admin_email="a@a.co", admin_password="Gvia-test-2026!")
    owner = resolve("a", "a@a.co")
    add_member(owner, "c@a.co", "Gvia-test-2026!", "collector")
    collector = resolve("a", "c@a.co")
    assert collector.role == "collector"
    with pytest.raises(Refused, match="owner role"):
        add_member(collector, "d@a.co", "Gvia-test-2026!", "viewer")
