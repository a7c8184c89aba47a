"""The JSON POST the invoicing services' clients share, and what a failure means.

A failure is a :class:`SyncFailed` with a code the edges word: ``sync_refused`` (the service
refused the credentials: 401 or 403), ``sync_unreachable`` (no answer, or a 5xx or 429: try
again later), ``sync_bad_answer`` (an answer that is not what the documentation describes).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any, Callable

from gvia.core.errors import RefusedFor

TIMEOUT_SECONDS = 30
MAX_ANSWER_BYTES = 20 * 1024 * 1024

#: (url, body, headers) → (status, headers, body bytes)
Transport = Callable[[str, bytes, dict[str, str]], tuple[int, dict[str, str], bytes]]


class SyncFailed(RefusedFor):
    """The service could not be read; ``code`` says why (module docstring)."""


def urllib_transport(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            return answer.status, dict(answer.headers.items()), answer.read(MAX_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers.items()), exc.read(MAX_ANSWER_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise SyncFailed("sync_unreachable", f"{url}: {exc}", service=url) from exc


def post_json(transport: Transport, url: str, payload: dict[str, Any],
              headers: dict[str, str] | None = None) -> tuple[dict[str, str], Any]:
    """POST ``payload`` as JSON; the answer's headers and its JSON. Raises :class:`SyncFailed`."""
    status, answer_headers, body = transport(url, json.dumps(payload).encode(),
                                             {"Content-Type": "application/json", "Accept": "application/json",
                                              **(headers or {})})
    if status in (401, 403):
        raise SyncFailed("sync_refused", f"{url}: HTTP {status}", service=url, status=status)
    if status == 429 or status >= 500:
        raise SyncFailed("sync_unreachable", f"{url}: HTTP {status}", service=url, status=status)
    if len(body) > MAX_ANSWER_BYTES:
        raise SyncFailed("sync_bad_answer", f"{url}: answer too large", service=url)
    try:
        data = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError) as exc:
        raise SyncFailed("sync_bad_answer", f"{url}: not JSON", service=url) from exc
    if status >= 400:
        raise SyncFailed("sync_bad_answer", f"{url}: HTTP {status}", service=url, status=status)
    return {k.lower(): v for k, v in answer_headers.items()}, data
