"""One exception hierarchy for gvia, mapped to exit codes / HTTP only at the edges."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass


class GviaError(Exception):
    """Base of every error gvia raises on purpose."""


class _ValueError(GviaError):
    """A value's error that may carry a ``code`` and its values, as :class:`RefusedFor` does: the
    edges word it (``problem.<code>`` where a caller makes it a field's problem, else
    ``refusal.<code>``); the message is the English for logs and tests."""

    def __init__(self, message: str = "", code: str = "", **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(message or code)


class CurrencyMismatch(_ValueError):
    """Two amounts of different currencies were combined."""


class UnknownCurrency(_ValueError):
    """A currency code that is not ISO 4217 (or not supported)."""


class InvalidAmount(_ValueError):
    """A text or value that is not a valid money amount."""


class Refused(GviaError):
    """A request that is understood but refused by a rule; nothing was changed."""


class RefusedFor(Refused):
    """A refusal the edges word from their catalogs: ``code`` (the catalog key's last part) and
    the values it names; the English ``str()`` is for logs and tests only."""

    def __init__(self, code: str, detail: str = "", **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(detail or code)


class Worded(str):
    """A text the edges word from their catalogs (``problem.<code>`` with ``params``), for a value
    that is a reason among others rather than an error of its own (a plan's limits: each way it
    goes beyond them). It is its English text for logs and tests (a ``str``)."""

    code: str
    params: Mapping[str, object]

    def __new__(cls, english: str, code: str, **params: object) -> Worded:
        obj = super().__new__(cls, english)
        obj.code, obj.params = code, params
        return obj

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (_worded_again, (str(self), self.code, dict(self.params)))


def _worded_again(english: str, code: str, params: dict[str, object]) -> Worded:
    return Worded(english, code, **params)


class NotFound(GviaError):
    """A record that the caller named does not exist (in this organization)."""


class NotFoundFor(NotFound):
    """A missing record the edges word from their catalogs, like :class:`RefusedFor`."""

    def __init__(self, code: str, detail: str = "", **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(detail or code)


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one value: where it is (file, row, column) and what is wrong.

    ``place`` says what ``field`` names: a file's "column" (the default), a "setting" of the
    organization, a "customer field".

    ``code`` and ``params``, when given, are what the edges word from their catalogs
    (``problem.<code>`` of the web and cli catalogs, the params formatted for the reader);
    ``message`` is then the English for logs and tests only (as :class:`RefusedFor`'s ``str()``).
    Without a code the edges show ``message`` as it is (the code-less ones are being converted:
    ``tests/test_no_english_in_services.py``)."""

    row: int | None
    field: str
    value: str
    message: str
    source: str = ""
    place: str = "column"
    code: str = ""
    params: Mapping[str, object] = dataclasses.field(default_factory=dict, hash=False)  # `field` is a field here

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(self.source)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"{self.place} {self.field!r}" if self.place else repr(self.field))
        prefix = ", ".join(where)
        shown = f" (value {self.value!r})" if self.value != "" else ""
        return f"{prefix}: {self.message}{shown}" if prefix else f"{self.message}{shown}"


class ValidationFailed(GviaError):
    """Input was rejected; carries one FieldProblem per bad value. Nothing was written.

    ``code`` and ``params`` word the line above the problems at the edges (``summary.<code>``, a
    plural entry counted by the number of problems, ``{n}``, or by a value ``n`` when only the
    first few problems are carried); without a summary the code is
    ``problems`` ("3 problems found; nothing was changed"). ``summary`` is then the English for
    logs and tests only; a summary given without a code is shown as it is (being converted:
    ``tests/test_no_english_in_services.py``)."""

    def __init__(self, problems: list[FieldProblem], summary: str = "", code: str = "", **params: object) -> None:
        self.problems = list(problems)
        self.code = code or ("" if summary else "problems")
        self.params = params
        self.summary = summary or f"{len(self.problems)} problem(s) found; nothing was changed"
        super().__init__(self.summary + "\n" + "\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Survives being passed between processes (multiprocessing pickles exceptions).
        return (_rebuilt, (type(self), self.problems, self.summary, self.code, dict(self.params)))


def _rebuilt(cls: type[ValidationFailed], problems: list[FieldProblem], summary: str, code: str,
             params: dict[str, object]) -> ValidationFailed:
    exc = cls(problems, summary, code)
    exc.params = params
    return exc
