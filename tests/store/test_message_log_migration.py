"""0034: the English lines an outbox message's log kept before become entries, each shown as it was."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gvia.core.message_log import EARLIER, said
from gvia.store.models import OutboxMessage

BEFORE = ("gvia", "0033_outbox_message_id_index")


@pytest.mark.django_db(transaction=True)
def test_the_old_lines_become_entries_shown_as_they_were():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    org = old.get_model("gvia", "Organization").objects.create(name="Old", slug="old-log")
    customer = old.get_model("gvia", "Customer").objects.create(organization=org, ref="C1", name="Old customer")
    Message = old.get_model("gvia", "OutboxMessage")
    common = dict(organization=org, customer=customer, channel="email", document="reminder",
                  planned_for="2026-12-01")
    Message.objects.create(idempotency_key="a", status="failed", **common,
                           last_error="attempt 1: 451 try later\nattempt 2: 550 no such user")
    Message.objects.create(idempotency_key="b", status="queued", **common)
    call_command("migrate", verbosity=0)
    failed, queued = OutboxMessage.objects.get(idempotency_key="a"), OutboxMessage.objects.get(idempotency_key="b")
    assert [e["code"] for e in failed.log] == [EARLIER, EARLIER]
    assert [said(e).params["text"] for e in failed.log] == ["attempt 1: 451 try later", "attempt 2: 550 no such user"]
    assert queued.log == []
