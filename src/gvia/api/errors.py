"""Every error the API answers is JSON of codes and values, never an English sentence:
``{"code": "...", "params": {...}, "problems": [{"row", "field", "value", "code", "params"}]}``
(``problems`` only where values were refused; ``row`` is the index of a bulk upsert's row, from 0).

The codes are the services' own (``refusal.<code>`` and ``problem.<code>`` of the catalogs word
them for people); the API adds ``api_key_needed`` (401), ``api_scope_needed`` (403),
``not_found`` (404), ``api_body_too_large`` (413), ``api_length_required`` (411),
``request_unreadable`` (400: not JSON) and ``request_invalid`` (422: a value of the wrong shape,
each problem's ``code`` pydantic's error type and ``field`` where it is, e.g. ``body.rows.0.amount``).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid

from gvia.core.errors import FieldProblem, GviaError, NotFound, RefusedFor, ValidationFailed
from gvia.core.money import Money

#: Refusals that are about who asks, not what: 403.
FORBIDDEN = {"role_needed", "api_scope_needed", "not_a_member"}
STATUS_OF_CODE = {"api_body_too_large": 413, "api_length_required": 411}


def jsonable(value: Any) -> Any:
    """A service's value as JSON: dates in ISO form, amounts as decimal strings."""
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    return str(value)


def problem_json(p: FieldProblem, first_row: int | None = None) -> dict:
    """One problem; ``first_row``: the file row of a bulk upsert's first row (its index is 0)."""
    row = p.row - first_row if p.row is not None and first_row is not None else p.row
    return {"row": row, "field": p.field, "value": p.value, "code": p.code or "problem",
            "params": jsonable(dict(p.params))}


def error_body(exc: GviaError, first_row: int | None = None) -> tuple[int, dict]:
    code = getattr(exc, "code", "") or ""
    params = jsonable(dict(getattr(exc, "params", {}) or {}))
    if isinstance(exc, ValidationFailed):
        return 400, {"code": code or "problems", "params": params,
                     "problems": [problem_json(p, first_row) for p in exc.problems]}
    if isinstance(exc, NotFound):
        return 404, {"code": code or "not_found", "params": params}
    if isinstance(exc, RefusedFor) and code in FORBIDDEN:
        return 403, {"code": code, "params": params}
    if code in STATUS_OF_CODE:
        return STATUS_OF_CODE[code], {"code": code, "params": params}
    return 409 if isinstance(exc, RefusedFor) else 400, {"code": code or "refused", "params": params}


def install(api: NinjaAPI) -> None:
    """The API's answers to errors: codes and values (module docstring)."""

    def answer(request: HttpRequest, status: int, body: dict) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(GviaError)
    def on_gvia_error(request: HttpRequest, exc: GviaError) -> HttpResponse:
        status, body = error_body(exc, getattr(request, "gvia_first_row", None))
        return answer(request, status, body)

    @api.exception_handler(RequestInvalid)
    def on_invalid(request: HttpRequest, exc: RequestInvalid) -> HttpResponse:
        problems = [{"row": None, "field": ".".join(str(x) for x in e.get("loc", ())), "value": "",
                     "code": str(e.get("type", "invalid")), "params": jsonable(e.get("ctx", {}))}
                    for e in exc.errors]
        return answer(request, 422, {"code": "request_invalid", "params": {}, "problems": problems})

    @api.exception_handler(AuthenticationError)
    def on_no_key(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = answer(request, 401, {"code": "api_key_needed", "params": {}})
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {400: "request_unreadable", 403: "forbidden", 429: "throttled"}.get(exc.status_code, "http_error")
        return answer(request, exc.status_code, {"code": code, "params": {}})

    @api.exception_handler(Http404)
    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return answer(request, 404, {"code": "not_found", "params": {}})


def unknown_path(request: HttpRequest) -> HttpResponse:
    """Any other address under ``/api/``: 404 as the API answers it (JSON), not the web's page."""
    return JsonResponse({"code": "not_found", "params": {}}, status=404)


#: The JSON schema of every error answer, for the OpenAPI description (:func:`describe_errors`).
ERROR_SCHEMA = {
    "title": "Error", "type": "object", "required": ["code", "params"],
    "properties": {
        "code": {"type": "string", "description": "What is wrong, as a code (refusal.<code> / problem.<code>)"},
        "params": {"type": "object", "description": "The values the code names"},
        "problems": {"type": "array", "description": "Each refused value (a bulk upsert's: its row, from 0)",
                     "items": {"type": "object", "required": ["field", "code"], "properties": {
                         "row": {"type": ["integer", "null"]}, "field": {"type": "string"},
                         "value": {"type": "string"}, "code": {"type": "string"}, "params": {"type": "object"}}}},
    },
}


def describe_errors(schema: dict) -> dict:
    """The OpenAPI description with the error answers every operation may give (4XX, JSON of
    :data:`ERROR_SCHEMA`)."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    answer = {"description": "Refused: a code and its values (401 no key, 403 scope, 404, 409, 413, 422 shape)",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("4XX", answer)
    return schema
