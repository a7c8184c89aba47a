"""Where SMS and WhatsApp providers call back (issue 16): ``/hooks/texts/<provider>/<org>/`` —
replies and delivery reports from Twilio (a form POST signed ``X-Twilio-Signature``) and the
WhatsApp Cloud API (a JSON POST signed ``X-Hub-Signature-256``; a GET to verify the address).
No sign-in and no CSRF token (the provider's server calls it); the body is read up to a bound
and handed to :func:`gvia.services.sending.texts.receive`, which checks the signature with the
organization's secret before anything is recorded. The answer is for the provider's server:
200 (a reply or report kept, or one sent again), 403 a signature that does not check out, 404 an
unknown address, 413 too large, 400 unreadable."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from gvia.core.errors import NotFoundFor, RefusedFor
from gvia.services import clock
from gvia.services.sending import texts

STATUS = {"text_hook_forged": 403, "text_hook_too_large": 413}


@csrf_exempt
@require_http_methods(["GET", "POST"])
def text_hook(request: HttpRequest, provider: str, org: str) -> HttpResponse:
    try:
        if request.method == "GET":
            challenge = texts.verify_subscription(provider, org, {k: str(v) for k, v in request.GET.items()})
            return HttpResponse(challenge, content_type="text/plain")
        body = request.read(texts.MAX_BODY + 1)
        got = texts.receive(provider, org, headers=dict(request.headers), body=body, now=clock.now_utc())
    except NotFoundFor as exc:
        return JsonResponse({"refused": exc.code}, status=404)
    except RefusedFor as exc:
        return JsonResponse({"refused": exc.code}, status=STATUS.get(exc.code, 400))
    return JsonResponse({"new": got.new, "again": got.again})
