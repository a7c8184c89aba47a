"""What every gateway adapter offers, and the little HTTP they share.

Amounts cross this boundary in minor units with their currency (never a float); the one place
they become the gateway's own notation (Grow's shekels as a decimal string, Stripe's minor
units) is the adapter.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Callable, Mapping

from gvia.core.errors import RefusedFor

#: The most of a gateway's answer that is read (its answers are a few kilobytes).
MAX_ANSWER = 1_000_000
TIMEOUT = 20


@dataclass(frozen=True)
class CheckoutRequest:
    """A payment page to create: ``amount_minor`` of ``currency`` for the case ``reference``."""

    amount_minor: int
    currency: str
    reference: str
    description: str
    success_url: str
    cancel_url: str
    notify_url: str
    customer_name: str = ""
    customer_email: str = ""
    customer_phone: str = ""
    language: str = "he"


@dataclass(frozen=True)
class Created:
    """A payment page the gateway created: its id there (``gateway_ref``), the page's ``url``, and
    ``secret`` — what only the gateway and gvia know about it (Grow's process token), kept sealed
    to check the gateway's notification."""

    gateway_ref: str
    url: str
    secret: str = ""


@dataclass(frozen=True)
class Notice:
    """A notification checked as its gateway documents it.

    ``event_id``: the notification's own id when the gateway gives one (Stripe's event), else the
    transaction's; ``paid``: whether it says money was taken (other events are acknowledged and
    ignored); ``currency`` empty: the checkout's own (a gateway that charges in the currency it
    was asked for and does not repeat it)."""

    gateway_ref: str
    transaction_id: str
    amount_minor: int
    currency: str
    paid: bool
    event_id: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)


#: ``secret_for(gateway_ref)``: the sealed-then-unsealed secret of a checkout gvia created, or
#: None when gvia created no such checkout.
SecretFor = Callable[[str], "str | None"]


class Adapter:
    """One gateway. ``creds`` are the organization's credentials for it (see :attr:`FIELDS`)."""

    name = ""
    #: the credential fields: (name, secret?) — secrets are stored sealed and shown masked.
    FIELDS: tuple[tuple[str, bool], ...] = ()
    #: the credential fields that must be set before a checkout can be created.
    REQUIRED: tuple[str, ...] = ()
    #: how the gateway sends its notification: POST (a body) or GET (a query string, given as the body).
    NOTIFY_METHOD = "POST"

    def create(self, creds: Mapping[str, str], req: CheckoutRequest) -> Created:
        raise NotImplementedError

    def verify(self, creds: Mapping[str, str], headers: Mapping[str, str], body: bytes, *, now: int,
               secret_for: SecretFor) -> Notice:
        """Check one notification (``now``: Unix seconds). Raises RefusedFor ``gateway_forged``
        (signature or token wrong), ``gateway_stale`` (outside the time the gateway allows) or
        ``gateway_bad_notice`` (not the shape documented)."""
        raise NotImplementedError


    def acknowledge(self, creds: Mapping[str, str], body: bytes) -> None:
        """Tell the gateway its notification (``body``) was recorded, where it asks for that
        (Grow's approveTransaction); most gateways need nothing. Raises RefusedFor on failure."""


def header(headers: Mapping[str, str], name: str) -> str:
    """A header's value whatever its case (Django gives ``HTTP_*`` keys; tests give names)."""
    want = name.lower()
    for key, value in headers.items():
        k = key.lower()
        if k == want or (k.startswith("http_") and k[5:].replace("_", "-") == want):
            return value
    return ""


def name_values(url: str, form: Mapping[str, str], *, method: str = "POST") -> dict[str, str]:
    """Send ``form`` (POSTed, or as a GET's query) and read a ``name=value&…`` answer (Cardcom's
    interfaces answer so). Failures as :func:`post`'s."""
    query = urllib.parse.urlencode(list(form.items()))
    if method == "GET":
        request = urllib.request.Request(f"{url}?{query}", method="GET")
    else:
        request = urllib.request.Request(url, data=query.encode(), method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            raw = answer.read(MAX_ANSWER)
    except urllib.error.HTTPError as exc:
        raise RefusedFor("gateway_answer", f"HTTP {exc.code}", status=exc.code) from None
    except (urllib.error.URLError, OSError) as exc:
        raise RefusedFor("gateway_unreachable", str(exc)) from None
    try:
        return dict(urllib.parse.parse_qsl(raw.decode("utf-8").strip(), keep_blank_values=True))
    except UnicodeDecodeError:
        raise RefusedFor("gateway_answer", "not UTF-8", status=200) from None


def post(url: str, *, form: Mapping[str, str] | None = None, data: object | None = None,
         headers: Mapping[str, str] | None = None) -> dict:
    """POST a form (``form``) or JSON (``data``) and read a JSON answer. A network failure, an
    HTTP error or an answer that is not JSON is ``RefusedFor("gateway_unreachable")`` or
    ``("gateway_answer", status=…)``."""
    if form is not None:
        body = urllib.parse.urlencode(list(form.items())).encode()
        ctype = "application/x-www-form-urlencoded"
    else:
        body = json.dumps(data).encode()
        ctype = "application/json"
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": ctype, "Accept": "application/json",
                                              **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            raw = answer.read(MAX_ANSWER)
    except urllib.error.HTTPError as exc:
        raw = exc.read(MAX_ANSWER)
        try:
            detail = json.loads(raw or b"{}")
        except ValueError:
            detail = {}
        raise RefusedFor("gateway_answer", f"HTTP {exc.code}: {str(detail)[:300]}", status=exc.code) from None
    except (urllib.error.URLError, OSError) as exc:
        raise RefusedFor("gateway_unreachable", str(exc)) from None
    try:
        parsed = json.loads(raw or b"{}")
    except ValueError:
        raise RefusedFor("gateway_answer", "not JSON", status=200) from None
    if not isinstance(parsed, dict):
        raise RefusedFor("gateway_answer", "not a JSON object", status=200)
    return parsed
