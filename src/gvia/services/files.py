"""Files kept for an organization: documents attached to customers and invoices, the letterhead
logo, and files waiting to be imported.

A file is stored under ``settings.STORAGE_ROOT`` at a path made of the organization and the
file's SHA-256 (``org-<id>/<area>/<sha256>.<ext>``), so the same content is stored once and the
folder never depends on a name a user typed (a file to import keeps its cleaned name inside a
folder named by its checksum, so messages about it quote the name the user knows). The database
keeps the path relative to the storage root, the checksum, the size and the name as uploaded.
Reading a document back checks that its path stays under the storage root and that the content
still has its checksum.

Uploads are refused (nothing written) when empty, larger than :data:`MAX_BYTES` (a file to
import: :data:`IMPORT_MAX_BYTES`), or of a kind the area does not accept (the logo must be a PNG
or JPEG image); a spreadsheet to import is also checked against the import's limits on what it
unpacks to and its rows (:func:`gvia.imports.tables.check_spreadsheet`) before it is kept.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable

from django.conf import settings
from django.db import transaction

from gvia.core.errors import NotFoundFor, RefusedFor
from gvia.services import audit
from gvia.services.context import Ctx
from gvia.store.models import Customer, Document, Invoice

MAX_BYTES = 25 * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("GVIA_UPLOAD_MAX_MB", "100")) * 1024 * 1024
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": ("png", "image/png"), b"\xff\xd8\xff": ("jpg", "image/jpeg")}


@dataclass(frozen=True)
class StoredFile:
    path: str          # relative to the storage root, with '/' separators
    sha256: str
    size: int
    file_name: str     # as uploaded, cleaned


def storage_root() -> Path:
    return Path(settings.STORAGE_ROOT)


def clean_file_name(name: str) -> str:
    """The uploaded name without folders or control characters, at most 200 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = base.strip().strip(".") or "file"
    return base[:200]


def _chunks(source: BinaryIO | bytes | Iterable[bytes]) -> Iterable[bytes]:
    if isinstance(source, (bytes, bytearray)):
        yield bytes(source)
        return
    if hasattr(source, "chunks"):        # Django UploadedFile
        yield from source.chunks()
        return
    if hasattr(source, "read"):
        for block in iter(lambda: source.read(1 << 20), b""):
            yield block
        return
    yield from source


def _extension(name: str) -> str:
    ext = Path(name).suffix.lower()
    return ext if re.fullmatch(r"\.[a-z0-9]{1,5}", ext) else ""


def store_file(org, area: str, source, file_name: str, max_bytes: int = MAX_BYTES,
               keep_name: bool = False) -> StoredFile:
    """Write ``source`` under the storage root as ``org-<id>/<area>/<sha256>.<ext>`` and return it.

    With ``keep_name`` the path is ``org-<id>/<area>/<sha256>/<cleaned name>`` instead (a file to
    import, whose name the import's messages quote). Streams to a temporary file while hashing,
    then moves it into place (an existing file with the same checksum is kept). Refuses empty
    and oversized files.
    """
    if not re.fullmatch(r"[a-z][a-z0-9_-]*", area):
        raise ValueError(f"bad storage area {area!r}")  # not shown: the areas are gvia's own names, never a person's
    folder = storage_root() / f"org-{org.id}" / area
    folder.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            for block in _chunks(source):
                size += len(block)
                if size > max_bytes:
                    raise RefusedFor("file_too_large", f"{clean_file_name(file_name)}: over {max_bytes} bytes",
                                     file=clean_file_name(file_name), most=max_bytes // (1024 * 1024))
                h.update(block)
                out.write(block)
        if size == 0:
            raise RefusedFor("file_empty", "the file is empty")
        digest = h.hexdigest()
        clean = clean_file_name(file_name)
        relative = f"{digest}/{clean}" if keep_name else digest + _extension(clean)
        final = folder / relative
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            os.unlink(tmp)
        else:
            os.replace(tmp, final)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return StoredFile(f"org-{org.id}/{area}/{relative}", digest, size, clean)


def resolve_path(relative: str) -> Path:
    """The absolute path of a stored file; refuses a path that leaves the storage root."""
    root = storage_root().resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise NotFoundFor("stored_file_unknown", "no such stored file")
    return path


@transaction.atomic
def upload_document(ctx: Ctx, customer: Customer, kind: str, source, file_name: str,
                    content_type: str = "", invoice: Invoice | None = None) -> Document:
    """Attach a file (signed agreement, delivery proof, ...) to a customer, or one of its invoices."""
    ctx.require("collector", "adding a document")
    if customer.organization_id != ctx.org.id:
        raise NotFoundFor("no_customer", "not this organization's customer", ref=customer.ref)
    if kind not in Document.Kind.values:
        raise RefusedFor("document_kind_unknown", f"no document kind {kind!r}", kinds=tuple(Document.Kind.values))
    if invoice is not None and (invoice.organization_id != ctx.org.id or invoice.customer_id != customer.id):
        raise RefusedFor("invoice_not_customers", "the invoice is not this customer's", ref=customer.ref)
    stored = store_file(ctx.org, "documents", source, file_name)
    doc = Document.objects.create(
        organization=ctx.org, customer=customer, invoice=invoice, kind=kind, file_name=stored.file_name,
        path=stored.path, sha256=stored.sha256, size=stored.size, content_type=(content_type or "")[:100],
        uploaded_by=ctx.user if getattr(ctx.user, "pk", None) else None)
    audit.record(ctx, "document.added", doc, customer_id=customer.id, customer_ref=customer.ref, kind=kind,
                 file_name=stored.file_name, sha256=stored.sha256, size=stored.size,
                 invoice=invoice.number if invoice else "")
    return doc


def get_document(ctx: Ctx, document_id: int) -> Document:
    doc = Document.objects.filter(organization=ctx.org, id=document_id).select_related("customer").first()
    if doc is None:
        raise NotFoundFor("document_unknown", f"no document {document_id}", document=document_id)
    return doc


def open_document(ctx: Ctx, doc: Document) -> BinaryIO:
    """The document's content for reading; refuses a file whose checksum no longer matches."""
    if doc.organization_id != ctx.org.id:
        raise NotFoundFor("document_unknown", "not this organization's document", document=doc.id)
    path = resolve_path(doc.path)
    if not path.exists():
        raise NotFoundFor("document_file_missing", f"document {doc.id}: file missing", document=doc.id)
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    if h.hexdigest() != doc.sha256:
        raise RefusedFor("document_file_changed", f"document {doc.id}: checksum differs", document=doc.id)
    return open(path, "rb")


def stage_import(ctx: Ctx, source, file_name: str) -> StoredFile:
    """Keep an uploaded file to import until it is previewed and committed (or dropped)."""
    ctx.require("collector", "importing")
    from gvia.imports.tables import SPREADSHEET_SUFFIXES, check_spreadsheet

    stored = store_file(ctx.org, "imports", source, file_name, max_bytes=IMPORT_MAX_BYTES, keep_name=True)
    path = resolve_path(stored.path)
    with open(path, "rb") as f:
        head = f.read(8)
    if path.suffix.lower() in SPREADSHEET_SUFFIXES or head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        try:
            check_spreadsheet(path)
        except BaseException:
            drop_staged(ctx, stored.path)
            raise
    return stored


def logo_kind(head: bytes) -> tuple[str, str]:
    """("png", "image/png") or ("jpg", "image/jpeg") from a file's first bytes; Refused otherwise."""
    for magic, kind in LOGO_TYPES.items():
        if head.startswith(magic):
            return kind
    raise RefusedFor("logo_kind", "not a PNG or JPEG image")


@transaction.atomic
def set_logo(ctx: Ctx, source, file_name: str) -> str:
    """Store the letterhead logo and point the organization at it; returns its stored path."""
    ctx.require("owner", "changing the letterhead")
    data = b"".join(_chunks(source)) if not isinstance(source, (bytes, bytearray)) else bytes(source)
    if len(data) > LOGO_MAX_BYTES:
        raise RefusedFor("logo_too_large", "the logo is too large", most=LOGO_MAX_BYTES // (1024 * 1024))
    logo_kind(data[:8])
    stored = store_file(ctx.org, "logo", data, file_name, max_bytes=LOGO_MAX_BYTES)
    previous = ctx.org.logo_path
    ctx.org.logo_path = stored.path
    ctx.org.save(update_fields=["logo_path"])
    audit.record(ctx, "organization.logo_set", ctx.org, path=stored.path, sha256=stored.sha256,
                 previous=previous, file_name=stored.file_name)
    return stored.path


@transaction.atomic
def clear_logo(ctx: Ctx) -> None:
    ctx.require("owner", "changing the letterhead")
    previous = ctx.org.logo_path
    if not previous:
        return
    ctx.org.logo_path = ""
    ctx.org.save(update_fields=["logo_path"])
    audit.record(ctx, "organization.logo_removed", ctx.org, previous=previous)


def drop_staged(ctx: Ctx, relative: str) -> None:
    """Delete a staged import file once it is imported or abandoned (its checksum stays on the
    import run)."""
    if not relative.startswith(f"org-{ctx.org.id}/imports/"):
        raise RefusedFor("staged_file_unknown", "not a staged import file of this organization")
    path = resolve_path(relative)
    if path.exists():
        path.unlink()
    try:
        path.parent.rmdir()
    except OSError:
        pass
