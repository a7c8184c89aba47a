"""The import page takes a unified export's zip (issue 18): imported on upload, the done page in
the user's language; a bad export lists its problems (file, line, field) and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gvia.store.models import Customer, Invoice, Payment
from tests.imports.test_unified_writer import gilboa
from tests.web.conftest import as_collector, world  # noqa: F401 — the web tests' fixtures, used by name

pytestmark = pytest.mark.django_db


def _upload(client, path):
    return client.post("/imports/", {"kind": "unified", "preset": "", "file": SimpleUploadedFile(
        path.name, path.read_bytes(), content_type="application/zip")})


def test_a_zip_is_imported_from_the_import_page(as_collector, world, tmp_path):  # noqa: F811 — fixtures by name
    r = _upload(as_collector, gilboa().zip(tmp_path))
    assert r.status_code == 302 and r["Location"].endswith("/imports/done/"), r.content.decode()[:1500]
    org = world.org_a
    assert sorted(Invoice.objects.filter(organization=org, customer__ref__in=("1001", "2002"))
                  .values_list("number", flat=True)) == ["5001", "5002", "8001", "9001"]
    assert Payment.objects.filter(organization=org, reference__startswith="400-7001/").count() == 2
    assert not Customer.objects.filter(organization=world.org_b, ref="1001").exists()    # the other org's: none
    page = as_collector.get(r["Location"]).content.decode()
    assert "ייצוא במבנה אחיד" in page and "אין שדה למספר הקצאה" in page


def test_a_bad_export_is_listed_and_nothing_written(as_collector, world, tmp_path):  # noqa: F811 — fixtures
    bad = gilboa()
    bad.document(305, "5009", dt.date(2026, 7, 1), "", "בלי מפתח", "100")
    r = _upload(as_collector, bad.zip(tmp_path))
    page = r.content.decode()
    assert r.status_code == 400
    assert "שורה 17" in page and "C100 1225" in page and "השדה ריק" in page
    assert not Customer.objects.filter(organization=world.org_a, ref="1001").exists()
