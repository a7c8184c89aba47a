"""What became of an outbox message, entry by entry, as codes and values the reader's language words.

A message's log (``OutboxMessage.log``) is a list of JSON entries, oldest first::

    {"at": "2026-12-07T09:00:00+00:00", "code": "outbox_attempt_failed",
     "params": {"attempt": 2, "reply": "451 4.7.1 try later"}, "text": "attempt 2: 451 4.7.1 try later"}

``code`` names the catalog text (``problem.<code>``, as every :class:`~gvia.core.errors.Worded`
reason); ``params`` its values, typed so they come back as they went in (a date, a moment, an
amount, a reason that is itself worded, a refusal); ``text`` is the English for logs, the command
line's JSON and a catalog that lacks the code. What a server or a person said (a mail server's
reply, a reason typed when rejecting) is a value, shown as written.

Pure: no Django, no I/O. The dispatcher, the print batch, approvals and the journal append with
:func:`added`; the pages and the command line read :func:`said` / :func:`last`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .errors import GviaError, RefusedFor, Worded
from .money import Money

#: the code of an entry written before the log had codes (its text, as it was)
EARLIER = "outbox_earlier"


def _encoded(value: object) -> object:
    if isinstance(value, Worded):
        return {"$worded": value.code, "params": _params(value.params), "text": str(value)}
    if isinstance(value, GviaError):      # a coded refusal (RefusedFor and its kin), else its English
        code = getattr(value, "code", None)
        if not isinstance(code, str) or not code:
            return str(value)
        return {"$refusal": code, "params": _params(getattr(value, "params", None) or {}), "text": str(value)}
    if isinstance(value, Money):
        return {"$money": str(value.amount), "currency": value.currency}
    if isinstance(value, datetime):
        return {"$moment": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_encoded(v) for v in value]
    if value is None or isinstance(value, (str, int, bool)):
        return value
    return str(value)


def _params(params: Mapping[str, object]) -> dict[str, Any]:
    return {str(k): _encoded(v) for k, v in params.items()}


def _decoded(value: Any) -> object:
    if isinstance(value, list):
        return [_decoded(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$worded" in value:
        return Worded(str(value.get("text", "")), str(value["$worded"]), **_typed(value.get("params")))
    if "$refusal" in value:
        return RefusedFor(str(value["$refusal"]), str(value.get("text", "")), **_typed(value.get("params")))
    if "$money" in value:
        return Money.of(Decimal(str(value["$money"])), str(value.get("currency", "")))
    if "$moment" in value:
        return datetime.fromisoformat(str(value["$moment"]))
    if "$date" in value:
        return date.fromisoformat(str(value["$date"]))
    return {k: _decoded(v) for k, v in value.items()}


def _typed(params: object) -> dict[str, object]:
    return {str(k): _decoded(v) for k, v in params.items()} if isinstance(params, dict) else {}


def entry(at: datetime, what: Worded) -> dict[str, Any]:
    """The log entry saying ``what`` happened ``at``."""
    return {"at": at.isoformat(), "code": what.code, "params": _params(what.params), "text": str(what)}


def added(log: Sequence[Mapping[str, Any]] | None, at: datetime, what: Worded) -> list[dict[str, Any]]:
    """``log`` with ``what`` appended (a new list: the caller saves it)."""
    return [dict(e) for e in (log or ())] + [entry(at, what)]


def said(e: Mapping[str, Any]) -> Worded:
    """What one entry says, typed back: its code and values, its English as the ``str``."""
    code = str(e.get("code") or EARLIER)
    params = _typed(e.get("params"))
    if code == EARLIER:
        params = {"text": str(e.get("text", ""))}
    return Worded(str(e.get("text", "")), code, **params)


def when(e: Mapping[str, Any]) -> datetime | None:
    """When the entry was written (None for one that does not say)."""
    try:
        return datetime.fromisoformat(str(e["at"])) if e.get("at") else None
    except ValueError:
        return None


def last(log: Sequence[Mapping[str, Any]] | None) -> Worded | None:
    """The latest entry's words, or None for an empty log."""
    return said(log[-1]) if log else None


def english(log: Sequence[Mapping[str, Any]] | None) -> str:
    """The log as English lines, oldest first (for logs and the command line's JSON)."""
    return "\n".join(str(e.get("text", "")) for e in (log or ()))


def from_text(text: str, at: datetime | None = None) -> list[dict[str, Any]]:
    """A log from the text kept before entries had codes: one entry per line, shown as it was."""
    return [{"at": at.isoformat() if at else None, "code": EARLIER, "params": {}, "text": line}
            for line in text.splitlines() if line.strip()]
