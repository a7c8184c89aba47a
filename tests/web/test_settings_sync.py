"""The invoicing services' settings tab and the worklist's sync_stale section (issue 18): everyone
sees where each sync stands, owners set the credentials (secrets sealed, never shown back, kept when
left empty), collectors and owners sync now against a real HTTP fake of iCount's API; a failed sync
is said in the reader's language and its service listed in the worklist until a sync succeeds; one
organization never reaches another's account."""

from __future__ import annotations

import pytest

from gvia.invoicing import icount
from gvia.services.context import Ctx
from gvia.services.engine import worklist
from gvia.services.ledger import sync
from gvia.store.models import Invoice, Membership
from gvia.store.models_sync import SyncAccount
from tests.support.fake_icount import FakeICount

from .conftest import NOW, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(icount.ICountClient, "min_interval", 0.0)
    f = FakeICount()
    f.document("invoice", 1001, "2026-02-01", "77", "לקוח מאייקאונט", "1180", due="2026-03-01")
    yield f
    f.close()


def _speak(world, user, lang: str) -> None:
    Membership.objects.filter(user=user, organization=world.org_a).update(language=lang)


def test_owner_connects_icount_and_the_password_stays_hidden(as_owner, world, fake):
    _speak(world, world.owner, "he")
    page = as_owner.get("/settings/sync/")
    assert page.status_code == 200 and "עדיין לא חובר שירות חשבוניות." in page.content.decode()
    r = as_owner.post("/settings/sync/", {"provider": "icount", "cid": fake.cid, "user": fake.user,
                                          "pass": fake.password})
    assert r.status_code == 302
    account = SyncAccount.objects.get(organization=world.org_a)
    assert account.provider == "icount" and fake.password not in account.sealed_secrets
    html = as_owner.get("/settings/sync/").content.decode()
    assert "אייקאונט" in html and fake.password not in html and "הוגדר (מוסתר)" in html
    assert "עדיין לא היה" in html and 'data-testid="sync-now-icount"' in html
    # saved again with the password empty: it is kept
    again = {"provider": "icount", "cid": fake.cid, "user": fake.user}
    assert as_owner.post("/settings/sync/", again).status_code == 302
    assert sync.client_for(SyncAccount.objects.get()).password == fake.password
    assert as_owner.post("/settings/sync/", {"provider": "sumit"}).status_code == 400


def test_a_collector_syncs_now_and_a_failure_is_said_and_listed(as_collector, world, fake):
    owner = Ctx(world.org_a, world.owner, "owner")
    sync.set_account(owner, "icount", {"cid": fake.cid, "user": fake.user, "pass": "wrong", "api_base": fake.base})
    html = as_collector.get("/settings/sync/").content.decode()
    assert 'data-testid="sync-form"' not in html                       # the credentials are the owner's
    assert as_collector.post("/settings/sync/", {"provider": "icount", "cid": "x"}).status_code == 403
    r = as_collector.post("/settings/sync/now/", {"provider": "icount"}, follow=True)
    assert "הסנכרון נכשל: השירות דחה את פרטי הגישה. דבר לא שונה." in r.content.decode()   # the collector reads Hebrew
    assert Invoice.objects.filter(number="1001").count() == 0
    # the worklist says why the messages wait
    [row] = worklist.section(owner, "sync_stale", TODAY).rows
    assert (row.provider, row.last_success, row.sync_error) == ("icount", None, "sync_refused")
    page = as_collector.get("/worklist/").content.decode()
    assert 'data-testid="sync-stale-icount"' in page and "עדיין לא הצליח אף סנכרון." in page
    assert "עד שסנכרון יצליח, אף הודעה לא יוצאת." in page
    sync.set_account(owner, "icount", {"pass": fake.password})
    r = as_collector.post("/settings/sync/now/", {"provider": "icount"}, follow=True)
    assert "הסנכרון עם אייקאונט הושלם — מסמכים: 1; חשבוניות: 1; תקבולים: 0." in r.content.decode()
    assert Invoice.objects.get(number="1001").organization == world.org_a
    assert SyncAccount.objects.get().last_success_at == NOW
    assert worklist.section(owner, "sync_stale", TODAY).total == 0
    # a document in a currency no source describes: refused whole, named, in the reader's language
    fake.document("invoice", 1002, "2026-03-10", "77", "לקוח מאייקאונט", "90", currency="EUR")
    html = as_collector.post("/settings/sync/now/", {"provider": "icount"}, follow=True).content.decode()
    assert "הסנכרון נכשל: חלק מהמסמכים לא ניתנים לייבוא. דבר לא שונה." in html
    assert "המסמך 1002 הוא במטבע אירו (€): מאייקאונט נקראים רק מסמכים בשקלים" in html
    assert not Invoice.objects.filter(number="1002").exists()


def test_a_viewer_sees_the_state_in_english_but_cannot_sync(as_viewer, world, fake):
    sync.set_account(Ctx(world.org_a, world.owner, "owner"), "icount",
                     {"cid": fake.cid, "user": fake.user, "pass": fake.password, "api_base": fake.base})
    html = as_viewer.get("/settings/sync/").content.decode()
    assert "iCount" in html and "set (hidden)" in html and fake.password not in html
    assert 'data-testid="sync-now-icount"' not in html and 'data-testid="sync-form"' not in html
    assert as_viewer.post("/settings/sync/now/", {"provider": "icount"}).status_code == 403
    assert fake.calls == [] and SyncAccount.objects.get().last_attempt_at is None


def test_another_organization_never_reaches_the_account(client, world, fake):
    sync.set_account(Ctx(world.org_a, world.owner, "owner"), "icount",
                     {"cid": fake.cid, "user": fake.user, "pass": fake.password, "api_base": fake.base})
    client.force_login(world.owner_b)
    html = client.get("/settings/sync/").content.decode()
    assert fake.cid not in html and 'data-testid="sync-icount"' not in html
    client.post("/settings/sync/now/", {"provider": "icount"})
    assert fake.calls == [] and Invoice.objects.filter(number="1001").count() == 0
    assert SyncAccount.objects.get().last_attempt_at is None
    assert worklist.section(Ctx(world.org_b, world.owner_b, "owner"), "sync_stale", TODAY).total == 0
