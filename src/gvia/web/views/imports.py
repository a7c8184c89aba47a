"""Importing a file in three steps: upload, map the columns and preview, then commit.

1. Upload (``import_start``): the file is kept under the storage root (``documents.stage_import``)
   and remembered in the session under a random token.
2. Map and preview (``import_map``): the page shows the columns the import recognised (or the
   chosen preset's), one select per field to change them, and the first rows of the file. "Preview"
   runs the import as a dry run: every row is parsed and checked and nothing is written. Problems
   are listed per row (row, column, value, message); otherwise the page says what the import
   would create and change.
3. Commit (``import_map`` with ``action=commit``): the same import for real, with the same
   columns; optionally the mapping is saved as a preset (headers, not positions, where the
   header names the column unambiguously).

The unified export (מבנה אחיד, issue 18) has no columns to map: its zip is imported on upload
(``services/ledger/unified.py``) and the done page follows, or its problems are listed.
"""

from __future__ import annotations

import secrets

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gvia.core.errors import GviaError, Refused, RefusedFor, ValidationFailed
from gvia.imports.fields import FIELDS, REQUIRED
from gvia.imports.mapping import build_mapping
from gvia.imports.tables import read_table
from gvia.services import files as documents
from gvia.services.ledger import imports
from gvia.store.models import ImportRun, MappingPreset

from .. import forms, words
from ..access import member_required
from ..request import GviaRequest
from .common import done, report_error, today

SESSION_KEY = "gvia_imports"
KEEP = 5            # staged files remembered per session
SAMPLE_ROWS = 5


def _staged(request: GviaRequest, token: str) -> dict:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry or entry.get("org") != request.ctx.org.id:
        raise Http404("no such import")
    return entry


def _remember(request: GviaRequest, token: str, entry: dict) -> None:
    staged = dict(request.session.get(SESSION_KEY, {}))
    staged[token] = entry
    for old in list(staged)[:-KEEP]:
        staged.pop(old)
    request.session[SESSION_KEY] = staged


def _forget(request: GviaRequest, token: str) -> None:
    staged = dict(request.session.get(SESSION_KEY, {}))
    staged.pop(token, None)
    request.session[SESSION_KEY] = staged


@require_http_methods(["GET", "POST"])
@member_required("collector")
def import_start(request: GviaRequest) -> HttpResponse:
    org = request.ctx.org
    presets = list(MappingPreset.objects.filter(organization=org).order_by("kind", "name"))
    if request.method == "POST" and _content_length(request) > documents.IMPORT_MAX_BYTES + 64 * 1024:
        # refused before the upload is read (and spooled to disk) at all
        report_error(request, RefusedFor("upload_too_large", "the upload is too large",
                                         most=documents.IMPORT_MAX_BYTES // (1024 * 1024)))
        return render(request, "gvia/imports/start.html", {
            "form": forms.ImportUploadForm(presets=presets), "presets": presets,
            "runs": ImportRun.objects.filter(organization=org).select_related("user").order_by("-at")[:10]},
            status=413)
    form = forms.ImportUploadForm(request.POST or None, request.FILES or None, presets=presets)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stored = documents.stage_import(request.ctx, upload, upload.name)
        except GviaError as exc:
            report_error(request, exc)
        else:
            if form.cleaned_data["kind"] == "unified":   # no columns to map: imported as it comes
                response = _import_unified(request, stored)
                if response is not None:
                    return response
                runs = ImportRun.objects.filter(organization=org).select_related("user").order_by("-at")[:10]
                return render(request, "gvia/imports/start.html", {"form": form, "runs": runs, "presets": presets},
                              status=400)
            token = secrets.token_urlsafe(12)
            preset = form.cleaned_data.get("preset") or ""
            _remember(request, token, {"org": org.id, "path": stored.path, "name": stored.file_name,
                                       "kind": form.cleaned_data["kind"], "preset": preset})
            return redirect("import_map", token=token)
    runs = ImportRun.objects.filter(organization=org).select_related("user").order_by("-at")[:10]
    return render(request, "gvia/imports/start.html", {"form": form, "runs": runs, "presets": presets},
                  status=400 if request.method == "POST" else 200)


def _import_unified(request: GviaRequest, stored) -> HttpResponse | None:
    """The Tax Authority's unified export (a zip of INI.TXT and BKMVDATA.TXT), imported at once
    (issue 18): the done page, or None with the problems at the top of the page."""
    from gvia.services.ledger.unified import import_unified

    try:
        report = import_unified(request.ctx, documents.resolve_path(stored.path), today=today(request))
    except (ValidationFailed, Refused) as exc:
        report_error(request, exc)
        return None
    finally:
        documents.drop_staged(request.ctx, stored.path)
    done(request, "import.unified_committed", invoices=report.invoices, credit_notes=report.credit_notes,
         payments=report.payments)
    parts = report.parts
    request.session["gvia_last_import"] = {
        "kind": "unified", "file": stored.file_name, "rows": sum(p.rows for p in parts),
        "created": sum(p.created for p in parts), "updated": sum(p.updated for p in parts),
        "unchanged": sum(p.unchanged for p in parts), "closed": 0, "closed_numbers": [],
        "customers_created": next((p.created for p in parts if p.kind == "customers"), 0),
        "no_allocation_numbers": not report.allocation_numbers_in_file}
    return redirect("import_done")


def _content_length(request: GviaRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _preset_dict(request: GviaRequest, kind: str, name: str) -> tuple[dict | None, str]:
    if not name:
        return None, ""
    p = MappingPreset.objects.filter(organization=request.ctx.org, kind=kind, name=name).first()
    if p is None:
        return None, ""
    return {"kind": kind, "columns": dict(p.columns)}, p.date_format or ""


def _as_positions(mapping) -> dict[str, str]:
    return {name: f"#{i + 1}" for name, i in mapping.columns.items()}


def _as_headers(columns: dict[str, str], headers: list[str]) -> dict[str, str]:
    """Columns chosen as '#N' saved by header text where that header is unique in the file."""
    out = {}
    for name, choice in columns.items():
        if not choice.startswith("#"):
            continue
        header = headers[int(choice[1:]) - 1] if choice[1:].isdigit() and int(choice[1:]) <= len(headers) else ""
        out[name] = header if header.strip() and headers.count(header) == 1 else choice
    return out


@require_http_methods(["GET", "POST"])
@member_required("collector")
def import_map(request: GviaRequest, token: str) -> HttpResponse:
    entry = _staged(request, token)
    kind = entry["kind"]
    path = documents.resolve_path(entry["path"])
    problems: list = []
    summary = ""
    report = None
    try:
        table = read_table(path)
    except (GviaError, OSError) as exc:
        problems = exc.problems if isinstance(exc, ValidationFailed) else []
        return render(request, "gvia/imports/map.html", {
            "entry": entry, "token": token, "unreadable": True,
            "problems": words.problem_rows(problems, request.access.lang),
            "summary": words.summary_text(exc, request.access.lang) if isinstance(exc, ValidationFailed)
            else words.refusal_text(exc, request.access.lang) if isinstance(exc, GviaError) else str(exc)},
            status=400)
    headers = list(table.headers)
    sample = []
    for _, cells in table.rows:
        sample.append([("" if c is None else str(c)) for c in cells[:len(headers)]])
        if len(sample) >= SAMPLE_ROWS:
            break

    preset, preset_date_format = _preset_dict(request, kind, entry.get("preset", ""))
    detected: dict[str, str] = {}
    try:
        detected = _as_positions(build_mapping(kind, headers, None, preset))
    except ValidationFailed as exc:   # a required column was not recognised: the user picks it
        problems, summary = exc.problems, words.summary_text(exc, request.access.lang)
    initial_columns = entry.get("columns") or detected
    initial = {"date_format": entry.get("date_format", preset_date_format)}
    required = {name for group in REQUIRED[kind] for name in group}
    form = forms.ImportMappingForm(request.POST or None, fields=FIELDS[kind], headers=headers,
                                   initial_columns=initial_columns, initial=initial, required=required, kind=kind)
    action = request.POST.get("action", "")
    status = 200
    if request.method == "POST":
        if action == "discard":
            _forget(request, token)
            return redirect("import_start")
        if form.is_valid():
            columns = form.columns()
            date_format = form.cleaned_data["date_format"].strip() or None
            entry.update(columns=columns, date_format=date_format or "")
            _remember(request, token, entry)
            problems, summary = [], ""
            try:
                report = imports.import_file(request.ctx, kind, path, today=today(request), columns=columns,
                                             date_format=date_format, dry_run=action != "commit",
                                             create_customers=form.said("create_customers"),
                                             negative_as_credit_notes=form.said("negative_as_credit_notes"))
            except ValidationFailed as exc:
                problems, summary, status = exc.problems, words.summary_text(exc, request.access.lang), 400
            except Refused as exc:
                summary, status = words.refusal_text(exc, request.access.lang), 400
            else:
                if action == "commit":
                    save_as = form.cleaned_data["save_as"].strip()
                    if save_as:
                        imports.save_preset(request.ctx, kind, save_as, _as_headers(columns, headers), date_format)
                    _forget(request, token)
                    documents.drop_staged(request.ctx, entry["path"])
                    done(request, "import.committed", rows=report.rows, created=report.created,
                         updated=report.updated)
                    request.session["gvia_last_import"] = report.as_dict()
                    return redirect("import_done")
        else:
            status = 400
    return render(request, "gvia/imports/map.html", {
        "entry": entry, "token": token, "form": form, "headers": headers, "sample": sample,
        "detected": detected, "problems": words.problem_rows(problems, request.access.lang),
        "summary": summary, "report": report,
        "previewed": report is not None and action != "commit",
        "source": table.source, "preset": entry.get("preset", ""),
    }, status=status)


@member_required("collector")
def import_done(request: GviaRequest) -> HttpResponse:
    report = request.session.get("gvia_last_import")
    if not report:
        return redirect("import_start")
    return render(request, "gvia/imports/done.html", {"report": report})
