"""Bank statements and their matches, in the web (issue 18): upload a statement, see what was
applied and what waits for a person, confirm, change (other invoices), reject or undo.

The rules are the service's (:mod:`gvia.services.ledger.statements`); a match's reasons are codes
worded here from the web catalog (``match.reason.<code>``), amounts and dates as the reader writes them.
"""

from __future__ import annotations

import re
from datetime import date

from django import forms as djforms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods, require_POST

from gvia.core.errors import GviaError
from gvia.core.money import Money
from gvia.imports.statements import LAYOUTS
from gvia.services import files
from gvia.services.ledger import statements

from .. import display, i18n, navigation
from ..access import member_required
from ..forms import LabelledForm, _choices
from ..request import GviaRequest
from .common import done, report_error

LISTS = ("suggested", "waiting", "applied", "rejected", "undone")
_AMOUNT = re.compile(r"^(-?\d+(?:\.\d+)?) ([A-Z]{3})$")


class StatementUploadForm(LabelledForm):
    label_keys = {"file": "statement.field.file", "bank": "statement.field.bank", "account": "statement.field.account"}
    file = djforms.FileField(widget=djforms.ClearableFileInput(
        attrs={"accept": ".xml,.sta,.txt,.940,.ofx,.qfx,.csv,.xlsx,.xls"}))
    bank = djforms.ChoiceField(required=False)
    account = djforms.CharField(required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = i18n.normalize(translation.get_language() or "he")
        self.fields["bank"].choices = [("", i18n.text("statement.bank.auto", lang))] + _choices(
            "statement.bank", tuple(LAYOUTS))


def _value(v: object) -> str:
    m = _AMOUNT.match(str(v))
    if m:
        return display.money_text(Money.of(m.group(1), m.group(2)))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(v)):
        return display.date_text(date.fromisoformat(str(v)))
    return str(v)


def _worded(rows: list[dict], lang: str) -> list[dict]:
    for r in rows:
        r["reason_texts"] = [i18n.text(f"match.reason.{x['code']}", lang, None,
                                       **{k: _value(v) for k, v in x.get("params", {}).items()}) for x in r["reasons"]]
        r["kind_text"] = i18n.text(f"match.kind.{r['kind']}", lang) if r["kind"] else ""
        r["invoice_list"] = ", ".join(n for n, _a in r["invoices"])
    return rows


@require_http_methods(["GET", "POST"])
@member_required("viewer", change=True)
def matches_page(request: GviaRequest) -> HttpResponse:
    """The list chosen (?list=suggested|waiting|applied|rejected|undone) and the upload form; POST
    imports a statement (a collector's)."""
    lang = i18n.normalize(getattr(request, "LANGUAGE_CODE", "he"))
    shown = request.GET.get("list", "suggested")
    if shown not in LISTS:
        shown = "suggested"
    form = StatementUploadForm()
    status = 200
    if request.method == "POST":
        form = StatementUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                stored = files.store_file(request.ctx.org, "statements", upload, upload.name,
                                          max_bytes=files.IMPORT_MAX_BYTES, keep_name=True)
                report = statements.import_statement(
                    request.ctx, files.resolve_path(stored.path), bank=form.cleaned_data["bank"] or None,
                    account=form.cleaned_data["account"] or "", file_name=upload.name)
            except GviaError as exc:
                report_error(request, exc)
            else:
                done(request, "statement.imported", file=report.file, lines=report.lines, new=report.new,
                     known=report.known, applied=report.applied, linked=report.linked, suggested=report.suggested,
                     unmatched=report.unmatched)
                return redirect("matches")
        status = 400
    rows = _worded(statements.list_matches(request.ctx, shown, limit=200), lang)
    return render(request, "gvia/matches/page.html", {"form": form, "rows": rows, "shown": shown, "lists": LISTS},
                  status=status)


def _act(request: GviaRequest, action, *args, key: str, **params) -> HttpResponse:
    try:
        m = action(request.ctx, *args, **params)
    except GviaError as exc:
        report_error(request, exc)
    else:
        done(request, key, match=m.id)
    back = request.POST.get("back") or ""
    return redirect(back if back in {f"/matches/?list={name}" for name in LISTS} else "matches")


def _numbers(request: GviaRequest) -> list[str]:
    return [n for n in re.split(r"[\s,;]+", request.POST.get("invoices", "")) if n]


@require_POST
@member_required("collector")
def match_confirm(request: GviaRequest, pk: int) -> HttpResponse:
    """Apply the suggestion, or, with invoice numbers, apply it to those invoices instead."""
    return _act(request, statements.confirm, pk, _numbers(request) or None, key="matches.confirmed")


@require_POST
@member_required("collector")
def match_reject(request: GviaRequest, pk: int) -> HttpResponse:
    return _act(request, statements.reject, pk, key="matches.rejected")


@require_POST
@member_required("collector")
def match_undo(request: GviaRequest, pk: int) -> HttpResponse:
    return _act(request, statements.undo, pk, key="matches.undone")


@require_POST
@member_required("collector")
def line_assign(request: GviaRequest, pk: int) -> HttpResponse:
    """A waiting line without a suggestion: the invoices it pays."""
    return _act(request, statements.assign, pk, _numbers(request), key="matches.confirmed")


navigation.add(navigation.NavItem("matches", "nav.matches", "matches", role="collector"), before="settings_org")
