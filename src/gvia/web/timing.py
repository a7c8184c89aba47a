"""How long the server took for a request, told to the client in a ``Server-Timing`` header.

``app;dur=…`` is the time in milliseconds from when the application starts handling the request
(this middleware runs first) until its response is ready: what a server process spends on it,
including any wait for the interpreter lock behind other threads of the same process, but not
the time the request waited for a free process. ``cpu;dur=…`` is the processor time of the
handling thread itself. A client that also measures its round trip can tell the page's own cost
(``cpu``), the server's time (``app``) and queueing (round trip minus ``app``) apart; a browser
shows the header in its network panel.
"""

from __future__ import annotations

import time
from typing import Callable

from django.http import HttpRequest, HttpResponse

HEADER = "Server-Timing"


def server_timing(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        wall, cpu = time.perf_counter(), time.thread_time()
        response = get_response(request)
        app_ms = (time.perf_counter() - wall) * 1000
        cpu_ms = (time.thread_time() - cpu) * 1000
        response[HEADER] = f"app;dur={app_ms:.1f}, cpu;dur={cpu_ms:.1f}"
        return response

    return middleware


def parse(header: str) -> dict[str, float]:
    """``"app;dur=12.5, cpu;dur=9.0"`` -> ``{"app": 12.5, "cpu": 9.0}`` (entries without a duration
    are left out)."""
    out: dict[str, float] = {}
    for entry in header.split(","):
        name, *params = [p.strip() for p in entry.split(";")]
        for p in params:
            key, _, value = p.partition("=")
            if key.strip() == "dur" and name:
                try:
                    out[name] = float(value)
                except ValueError:
                    pass
    return out
