"""What the customer answers on their page (issue 16): ``POST /p/<token>/answer/<action>/`` for
``tell`` (what happened), ``promise``, ``plan``, ``dispute`` (with an attachment) and ``contact``.

The link is opened as the page opens it (:func:`gvia.web.portal.views.opened`: the same checks,
the same polite page for an expired or revoked link), and the action is the link's customer's own
(:mod:`gvia.services.portal.actions`: nothing in the form can name another customer; an invoice
must be one of theirs). The answer is a page in the customer's language: what happened (recorded,
or sent to the business for approval), or what to correct (400), or why it was refused (429 for
the page's rate limits, else 409) — with the way back to the page. The forms are
``portal/_actions.html``, which the page includes.

No CSRF cookie check (``csrf_exempt``): nothing here rests on a cookie or a session — the signed
token in the URL is the only credential, and a forged form elsewhere would need that token. (The
page sends ``Referrer-Policy: no-referrer``, under which the browser's form posts carry
``Origin: null``, which Django's origin check refuses.)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gvia.core.errors import FieldProblem, GviaError, RefusedFor, ValidationFailed
from gvia.core.money import Money
from gvia.services.portal import actions, links
from gvia.services.portal import page as page_service
from gvia.store.models_portal_requests import PortalRequest

from ..portal import words
from ..portal.views import Opened, opened, private
from ..templatetags.portal import pt

ACTIONS = ("tell", "promise", "plan", "dispute", "contact")
RATE_LIMITS = ("portal_too_many_actions", "portal_too_many_uploads")
#: The largest request an answer may be: the attachment and the form's fields.
MOST_BYTES = actions.UPLOAD_MAX_BYTES + 256 * 1024


def _context(got: Opened, token: str, **extra) -> dict:
    return {"lang": got.lang, "dir": words.direction(got.lang), "token": token, "languages": [],
            "organization": page_service.organization_name(got.org, got.lang),
            "back": f"{links.page_path(token)}?lang={got.lang}", **extra}


def _known(kind: str, code: str, lang: str) -> str:
    key = f"{kind}.{code}"
    return key if words.catalogs().text(key, lang) is not None else ("act.problem" if kind == "problem"
                                                                       else "act.refused")


def _said(lang: str, key: str, params: dict) -> str:
    """The words of ``key`` as the page shows them (values formatted, escaped and isolated)."""
    shown = {k: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v for k, v in params.items()}
    try:
        return pt({"lang": lang}, key, **shown)
    except (KeyError, IndexError):      # words that name a value this refusal does not carry
        return pt({"lang": lang}, "act.problem")


def _attachment(request: HttpRequest) -> tuple[str, bytes] | None:
    upload = request.FILES.get("attachment")
    if upload is None:
        return None
    if (upload.size or 0) > actions.UPLOAD_MAX_BYTES:      # never read a file larger than the page takes
        raise ValidationFailed([FieldProblem(None, "attachment", upload.name or "", "too large",
                                             code="portal_file_too_large",
                                             params={"most": actions.UPLOAD_MAX_BYTES // (1024 * 1024)})])
    return upload.name or "file", upload.read()


def _act(request: HttpRequest, got: Opened, action: str) -> PortalRequest:
    v = actions.Visitor(got.org, got.customer, got.link.id)
    p = request.POST
    if action == "tell":
        return actions.tell(v, p.get("reason", ""), p.get("text", ""))
    if action == "promise":
        return actions.promise(v, p.get("due", ""), p.get("amount", "").strip() or None, note=p.get("note", ""))
    if action == "plan":
        return actions.ask_plan(v, p.get("installments", ""), p.get("first", ""), note=p.get("note", ""))
    if action == "dispute":
        return actions.dispute(v, p.getlist("invoice")[:50], p.get("reason", ""), p.get("note", ""),
                               _attachment(request))
    return actions.propose_contact(v, p.get("name", ""), p.get("email", ""), p.get("phone", ""))


def _done(req: PortalRequest, got: Opened, organization: str) -> tuple[str, dict]:
    """The words of what happened, and their values."""
    data = req.data or {}
    amount = Money.of(Decimal(str(data["amount"])), data["currency"]) if data.get("amount") else None
    if req.kind == PortalRequest.Kind.PROMISE:
        values = {"amount": amount, "due": date.fromisoformat(data["due"])}
        if req.status == PortalRequest.Status.DONE:
            return "act.promise.done", values
        return "act.promise.pending", {**values, "organization": organization}
    if req.kind == PortalRequest.Kind.PLAN:
        if req.status == PortalRequest.Status.DONE:
            return "act.plan.done", {"first": date.fromisoformat(data["first"])}
        return "act.plan.pending", {"organization": organization}
    if req.kind == PortalRequest.Kind.DISPUTE:
        return "act.dispute.done", {"invoices": ", ".join(data.get("invoices", []))}
    if req.kind == PortalRequest.Kind.CONTACT:
        return "act.contact.done", {"organization": organization}
    return "act.tell.done", {}


@csrf_exempt     # the signed token in the URL is the credential (module docstring)
@require_POST
def portal_answer(request: HttpRequest, token: str, action: str) -> HttpResponse:
    got = opened(request, token)
    if isinstance(got, HttpResponse):
        return got
    if action not in ACTIONS:
        raise Http404("no such answer")
    ctx = _context(got, token, action=action)
    lang = got.lang
    if int(request.META.get("CONTENT_LENGTH") or 0) > MOST_BYTES:     # refused before the body is read
        said = _said(lang, "problem.portal_file_too_large", {"most": actions.UPLOAD_MAX_BYTES // (1024 * 1024)})
        return private(render(request, "portal/answer_result.html", {**ctx, "problems": [said]}, status=413))
    try:
        req = _act(request, got, action)
    except ValidationFailed as exc:
        problems = [_said(lang, _known("problem", p.code, lang), dict(p.params)) for p in exc.problems]
        return private(render(request, "portal/answer_result.html", {**ctx, "problems": problems}, status=400))
    except RefusedFor as exc:
        status = 429 if exc.code in RATE_LIMITS else 409
        said = _said(lang, _known("refusal", exc.code, lang), {**exc.params, "organization": ctx["organization"]})
        return private(render(request, "portal/answer_result.html", {**ctx, "refused": said}, status=status))
    except GviaError:
        said = _said(lang, "act.refused", {"organization": ctx["organization"]})
        return private(render(request, "portal/answer_result.html", {**ctx, "refused": said}, status=409))
    key, values = _done(req, got, ctx["organization"])
    return private(render(request, "portal/answer_result.html",
                          {**ctx, "done": _said(lang, key, values), "status": req.status}))
