"""Documents: stored under the storage root by checksum, attached to a customer, read back."""

from __future__ import annotations

import hashlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from gvia.core.errors import NotFound, Refused
from gvia.services import files as documents
from gvia.services.context import Ctx
from gvia.store.models import AuditRecord, Document

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 signed agreement"
SHA = hashlib.sha256(PDF).hexdigest()


def ctx(world, user=None, role="collector"):
    return Ctx(world.org_a, user or world.collector, role)


def test_upload_stores_the_file_by_checksum_and_records_it(world):
    doc = documents.upload_document(ctx(world), world.c1, "agreement", PDF, "../../הסכם חתום.PDF",
                                    content_type="application/pdf", invoice=world.inv_1001)
    assert (doc.sha256, doc.size, doc.file_name, doc.kind) == (SHA, len(PDF), "הסכם חתום.PDF", "agreement")
    assert doc.path == f"org-{world.org_a.id}/documents/{SHA}.pdf"
    assert (settings.STORAGE_ROOT / doc.path).read_bytes() == PDF
    assert doc.invoice_id == world.inv_1001.id and doc.uploaded_by_id == world.collector.id
    rec = AuditRecord.objects.get(action="document.added")
    assert (rec.actor, rec.details["customer_ref"], rec.details["sha256"]) == ("collector@a.test", "C001", SHA)


def test_the_same_content_is_stored_once(world):
    a = documents.upload_document(ctx(world), world.c1, "agreement", PDF, "a.pdf")
    b = documents.upload_document(ctx(world), world.c2, "delivery_proof", PDF, "b.pdf")
    assert a.path == b.path
    assert len(list((settings.STORAGE_ROOT / f"org-{world.org_a.id}" / "documents").iterdir())) == 1


def test_refusals_write_nothing(world):
    with pytest.raises(Refused):
        documents.upload_document(ctx(world), world.c1, "agreement", b"", "empty.pdf")
    with pytest.raises(Refused):
        documents.upload_document(ctx(world), world.c1, "passport", PDF, "x.pdf")
    with pytest.raises(Refused):
        documents.upload_document(ctx(world, world.viewer, "viewer"), world.c1, "agreement", PDF, "x.pdf")
    with pytest.raises(Refused):          # another customer's invoice
        documents.upload_document(ctx(world), world.c2, "agreement", PDF, "x.pdf", invoice=world.inv_1001)
    with pytest.raises(NotFound):         # another organization's customer
        documents.upload_document(ctx(world), world.s1, "agreement", PDF, "x.pdf")
    assert Document.objects.count() == 0
    folder = settings.STORAGE_ROOT / f"org-{world.org_a.id}" / "documents"
    assert not folder.exists() or [p.name for p in folder.iterdir()] == []


def test_too_large_is_refused(world, monkeypatch):
    monkeypatch.setattr(documents, "MAX_BYTES", 10)
    with pytest.raises(Refused) as refused:
        documents.store_file(world.org_a, "documents", b"x" * 11, "big.bin", max_bytes=10)
    assert (refused.value.code, refused.value.params) == ("file_too_large", {"file": "big.bin", "most": 0})


def test_reading_back_checks_the_checksum(world):
    doc = documents.upload_document(ctx(world), world.c1, "agreement", PDF, "a.pdf")
    with documents.open_document(ctx(world), doc) as f:
        assert f.read() == PDF
    (settings.STORAGE_ROOT / doc.path).write_bytes(b"tampered")
    with pytest.raises(Refused, match="checksum"):
        documents.open_document(ctx(world), doc)


def test_a_path_outside_the_storage_root_is_refused(world):
    with pytest.raises(NotFound):
        documents.resolve_path("../../etc/passwd")


def test_upload_and_download_through_the_pages(as_collector, world):
    r = as_collector.post(f"/customers/{world.c1.id}/documents/", {
        "kind": "delivery_proof", "invoice": world.inv_1002.id,
        "file": SimpleUploadedFile("תעודת משלוח.pdf", PDF, content_type="application/pdf")})
    assert r.status_code == 302 and r["Location"].endswith(f"/customers/{world.c1.id}/#documents")
    doc = Document.objects.get()
    page = as_collector.get(f"/customers/{world.c1.id}/")
    html = page.content.decode()
    assert "תעודת משלוח.pdf" in html and "אישור מסירה" in html
    assert page.context["entries"][0].kind == "document"            # newest on the timeline
    r = as_collector.get(f"/documents/{doc.id}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert r["Content-Type"] == "application/octet-stream" and r["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in r["Content-Disposition"]
    assert world.inv_1002.number in as_collector.get(f"/invoices/{world.inv_1002.id}/").content.decode()


def test_upload_without_a_file_is_shown_again_with_the_error(as_collector, world):
    r = as_collector.post(f"/customers/{world.c1.id}/documents/", {"kind": "agreement"})
    assert r.status_code == 400
    assert r.context["doc_form"].errors["file"]
    assert Document.objects.count() == 0


def test_logo_must_be_an_image(world):
    owner = Ctx(world.org_a, world.owner, "owner")
    with pytest.raises(Refused, match="PNG or JPEG"):
        documents.set_logo(owner, b"<svg onload=alert(1)>", "logo.svg")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    path = documents.set_logo(owner, png, "logo.png")
    assert path.startswith(f"org-{world.org_a.id}/logo/") and path.endswith(".png")
    world.org_a.refresh_from_db()
    assert world.org_a.logo_path == path
    with pytest.raises(Refused):
        documents.set_logo(Ctx(world.org_a, world.collector, "collector"), png, "logo.png")
