"""Where a payment gateway sends its notifications (issue 16): ``POST
/gateways/<name>/notify/<token>/`` (a GET with a query string for a gateway that reports so:
Cardcom's indicator) — no sign-in and no CSRF token (the gateway's server calls it), the body
read up to a bound, the notification checked and recorded by
:func:`gvia.services.gateways.notify.receive`. The answer is for the gateway's server, not a
person: JSON with the outcome (``recorded``, ``replayed``, ``ignored``: 200, so the gateway stops
sending it again) or the refusal's code (400; an unknown address 404; too large 413)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseNotAllowed, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from gvia import gateways
from gvia.core.errors import NotFoundFor, RefusedFor
from gvia.services import clock
from gvia.services.gateways import notify


@csrf_exempt
@require_http_methods(["GET", "POST"])
def gateway_notify(request: HttpRequest, name: str, token: str) -> JsonResponse | HttpResponseNotAllowed:
    method = gateways.adapter(name).NOTIFY_METHOD if name in gateways.NAMES else "POST"
    if request.method != method:
        return HttpResponseNotAllowed([method])
    if method == "GET":
        body = request.META.get("QUERY_STRING", "").encode("latin-1", "replace")[:notify.MAX_BODY + 1]
    else:
        body = request.read(notify.MAX_BODY + 1)
    try:
        got = notify.receive(name, token, dict(request.headers), body, now=clock.now_utc())
    except NotFoundFor as exc:
        return JsonResponse({"refused": exc.code}, status=404)
    except RefusedFor as exc:
        return JsonResponse({"refused": exc.code}, status=413 if exc.code == "gateway_too_large" else 400)
    return JsonResponse({"outcome": got.outcome})
