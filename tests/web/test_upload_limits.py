"""The import upload is bounded (issue 14, finding 5): the zip bomb is refused at upload with a
message naming the file and the limit, and nothing is kept; an upload larger than the limit is
refused from its Content-Length, before it is read."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gvia.services import files
from tests.support.sheets import zip_bomb

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_the_zip_bomb_is_refused_at_upload(as_collector, world, tmp_path, settings):
    bomb = zip_bomb(tmp_path / "bomb.xlsx")
    r = as_collector.post("/imports/", {"kind": "invoices", "preset": "",
                                        "file": SimpleUploadedFile("bomb.xlsx", bomb.read_bytes())})
    assert r.status_code == 400
    text = _messages(r)
    assert "bomb.xlsx" in text and "נפרס" in text and "256 MB" in text
    staged = settings.STORAGE_ROOT / f"org-{world.org_a.id}" / "imports"
    assert not [p for p in staged.rglob("*") if p.is_file()]


def test_an_upload_larger_than_the_limit_is_refused_before_it_is_read(as_collector, world, monkeypatch):
    monkeypatch.setattr(files, "IMPORT_MAX_BYTES", 1024 * 1024)
    body = b"customer_ref,invoice_number\n" + b"C1,N1\n" * 300_000
    r = as_collector.post("/imports/", {"kind": "invoices", "preset": "",
                                        "file": SimpleUploadedFile("big.csv", body, content_type="text/csv")})
    assert r.status_code == 413
    assert "הקובץ גדול מ־1 מגה־בייט, הגודל המרבי להעלאה." in _messages(r)     # the collector reads Hebrew


def test_a_file_between_the_limits_names_itself(as_collector, world, monkeypatch):
    """Just over the limit but within the Content-Length slack: refused while it is stored."""
    monkeypatch.setattr(files, "IMPORT_MAX_BYTES", 1024 * 1024)
    body = b"customer_ref,invoice_number\n" + b"C1,N1\n" * 180_000
    r = as_collector.post("/imports/", {"kind": "invoices", "preset": "",
                                        "file": SimpleUploadedFile("edge.csv", body, content_type="text/csv")})
    assert r.status_code == 400
    assert "edge.csv: הקובץ גדול מ־1 מגה־בייט" in _messages(r)
