"""PostgreSQL: four workers at once share one outbox (row locks with SKIP LOCKED); no message is
received twice and none is left behind."""

from __future__ import annotations

import subprocess
from collections import Counter
from urllib.parse import quote

import pytest
from django.db import connection

from tests.engine.seed import populate
from tests.engine.support import NOW, env_for, gvia_cmd, received_counts, wait_quiet


def pg_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"]) + (":" + quote(s["PASSWORD"]) if s["PASSWORD"] else "")
    return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.postgres       # skips on the SQLite pass; under CI a skip on the PostgreSQL pass fails
@pytest.mark.django_db(transaction=True)
def test_four_workers_at_once_none_received_twice(tmp_path, smtp):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (GVIA_TEST_BACKEND=postgresql)")
    from gvia.store.models import OutboxMessage

    # 600 a minute per worker: one worker alone would need 12 s, so all four take part
    assert populate(120, rate=600) == 120
    procs = [subprocess.Popen(gvia_cmd(pg_url(), "worker", "--once", "--now", NOW), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env_for(tmp_path, smtp), cwd=tmp_path)
             for _ in range(4)]
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [o[1][-2000:] for o in outs]
    wait_quiet(smtp, 0.3)
    got = received_counts(smtp)
    rows = list(OutboxMessage.objects.values_list("id", "status", "worker"))
    assert len(rows) == 120
    errors = OutboxMessage.objects.exclude(status="sent").values_list("log", flat=True)[:3]
    assert {status for _id, status, _w in rows} == {"sent"}, set(errors)
    assert sorted(got) == sorted(i for i, _s, _w in rows) and set(got.values()) == {1}
    by_worker = Counter(w for _i, _s, w in rows)
    assert len(by_worker) >= 2, by_worker
