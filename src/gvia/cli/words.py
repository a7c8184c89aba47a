"""The command line's words: the ``cli`` gettext catalog of each language (:mod:`gvia.locale`).

``src/gvia/locale/<lang>/LC_MESSAGES/cli.po`` holds the headers, titles, confirmations and
refusals the commands print, under keys (``aging.title``, ``col.currency``). gvia speaks the
language :func:`use` chose: the global ``--lang``, else the acting user's (``--as EMAIL``: their
language, else their organization's), else English. ``--format json`` and ``--format csv`` keep
their keys as they are; only tables and sentences are words.

A coded refusal or problem from a service (:class:`gvia.core.errors.RefusedFor`, a
:class:`~gvia.core.errors.FieldProblem` with a ``code``) is worded here from the same keys the web
uses (``refusal.<code>``, ``problem.<code>``; :func:`refusal_text`, :func:`problem_text`), its
values formatted for the reader; one without a code is printed as the service wrote it (being
converted: ``tests/test_no_english_in_services.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gvia import locale
from gvia.core import formatting
from gvia.core.errors import FieldProblem, GviaError, ValidationFailed, Worded
from gvia.core.money import Money

DOMAIN = "cli"
_speaking = [locale.SOURCE]
_zone: list[ZoneInfo | None] = [None]      # the acting organization's time zone, once it is known


def in_zone(name: str) -> None:
    """Moments are shown in the organization's time zone ``name`` from now on."""
    try:
        _zone[0] = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        _zone[0] = None


def catalogs() -> locale.Domain:
    return locale.domain(DOMAIN)


def languages() -> tuple[str, ...]:
    """The languages the command line speaks: those with a ``cli`` catalog."""
    return catalogs().languages


def use(lang: str | None) -> str:
    """Speak ``lang`` from now on (English when it has no catalog); returns the language used."""
    _speaking[0] = lang if lang in languages() else locale.SOURCE
    return _speaking[0]


def speaking() -> str:
    return _speaking[0]


def t(key: str, /, **values: object) -> str:
    """The words of ``key`` in the language spoken, ``{placeholders}`` filled from ``values``."""
    text = catalogs().text(key, _speaking[0])
    if text is None:
        raise KeyError(f"no words for {key!r} in the cli catalog")
    return text.format(**values) if values else text


def t_in(lang: str, key: str, /, **values: object) -> str:
    """Like :func:`t`, in ``lang`` (English when the catalogs have no such language): for words
    written in another language than the one spoken, such as an explanation's own."""
    words = catalogs()
    text = words.text(key, lang if lang in words.languages else "en")
    if text is None:
        raise KeyError(f"no words for {key!r} in the cli catalog")
    return text.format(**values) if values else text


def tn(key: str, n: int, /, **values: object) -> str:
    """A plural entry: the form for the count ``n`` (also given as ``{n}``)."""
    text = catalogs().plural(key, _speaking[0], n)
    if text is None:
        raise KeyError(f"no plural words for {key!r} in the cli catalog")
    return text.format(n=n, **values)


def column(name: str) -> str:
    """A table's column for people (``col.<name>``); a column named by the data itself (a rate
    table's own figures) keeps its name."""
    text = catalogs().text(f"col.{name}", _speaking[0])
    return name if text is None else text


def value_text(value: object) -> str:
    """A value of a refusal or problem as the reader reads it: dates and amounts as the
    language writes them, never ISO."""
    lang = _speaking[0]
    if isinstance(value, Money):
        return formatting.format_money(value, lang)
    if isinstance(value, datetime):          # a moment: in the organization's time zone (:func:`in_zone`)
        if value.tzinfo is not None and _zone[0] is not None:
            value = value.astimezone(_zone[0])
        return f"{formatting.format_date(value.date(), lang)} {value:%H:%M}"
    if isinstance(value, date):
        return formatting.format_date(value, lang)
    if isinstance(value, Worded):             # a reason among others: problem.<code>
        return _worded(f"problem.{value.code}", value.params) or str(value)
    if isinstance(value, GviaError):          # a refusal given as a reason (a letter that could not be made)
        return refusal_text(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        sep = "; " if any(isinstance(v, Worded) for v in value) else ", "
        return sep.join(value_text(v) for v in value)
    return str(value)


#: values named so are keys of the catalog under a prefix (a role: ``role.owner``), one or several
KEYED_PARAMS = {"role": "role", "has_role": "role",      # not "roles": the choices one types
                "pause_kind": "pause.kind", "doc_kind": "doc", "via": "channel",
                "request_kind": "portal_request.kind"}


def param_text(name: str, value: object) -> str:
    """A named value of a refusal or problem: a key of the catalog (:data:`KEYED_PARAMS`) in the
    language spoken, anything else by :func:`value_text`."""
    if name in KEYED_PARAMS and isinstance(value, (str, tuple, list)):
        keys = [value] if isinstance(value, str) else list(value)
        words = [catalogs().text(f"{KEYED_PARAMS[name]}.{k}", _speaking[0]) for k in keys]
        return ", ".join(w if w is not None else str(k) for w, k in zip(words, keys))
    return value_text(value)


def _worded(key: str, params: Mapping[str, object]) -> str | None:
    text = catalogs().text(key, _speaking[0])
    if text is None:
        return None
    return text.format(**{name: param_text(name, v) for name, v in params.items()})


def refusal_text(exc: Exception) -> str:
    """A refusal in the language spoken: ``refusal.<code>`` with its values, or the exception's
    own text when it carries no code (or the catalog lacks it)."""
    code = getattr(exc, "code", "")
    if isinstance(code, str) and code:
        worded = _worded(f"refusal.{code}", getattr(exc, "params", {}) or {})
        if worded is not None:
            return worded
    return str(exc)


def summary_text(exc: ValidationFailed) -> str:
    """The line above a ValidationFailed's problems in the language spoken: ``summary.<code>`` (a
    plural entry counted by the problems, ``{n}``) with its values, else its English ``summary``."""
    if exc.code:
        n = exc.params.get("n")     # all the problems found, when only the first few are carried
        n = n if isinstance(n, int) else len(exc.problems)
        text = catalogs().plural(f"summary.{exc.code}", _speaking[0], n)
        if text is not None:
            return text.format(n=n, **{name: param_text(name, v) for name, v in exc.params.items() if name != "n"})
    return exc.summary


def problem_text(p: FieldProblem) -> str:
    """One problem on one line: where it is and what is wrong (``problem.<code>``), or its
    English ``str()`` when it carries no code."""
    worded = _worded(f"problem.{p.code}", {"field": p.field, "value": p.value, **p.params}) if p.code else None
    if worded is None:
        return str(p)
    where = []
    if p.source:
        where.append(p.source)
    if p.row is not None:
        where.append(t("problem.where.row", row=value_text(p.row)))
    if p.field:
        place = catalogs().text(f"problem.where.{p.place}", _speaking[0]) if p.place else None
        where.append(place.format(field=p.field) if place else p.field)
    if p.value != "":
        worded += " " + t("problem.where.value", value=p.value)
    return f"{', '.join(where)}: {worded}" if where else worded


__all__ = ["DOMAIN", "catalogs", "languages", "use", "speaking", "t", "tn", "column", "value_text",
           "refusal_text", "problem_text", "summary_text"]
