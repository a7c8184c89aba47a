"""What a service says, in the reader's language: the one place the web words a coded refusal or
problem (issue 13: services return codes and values, never English sentences).

A service refuses with :class:`gvia.core.errors.RefusedFor` (or :class:`~gvia.core.errors.NotFoundFor`)
— a ``code`` and its values — and reports a bad value with a
:class:`~gvia.core.errors.FieldProblem` that may carry a ``code`` and ``params``. The web words
them from its catalog:

- :func:`refusal_text` — ``refusal.<code>`` (a page may keep its own prefix, as the decision after
  a rejected message does with ``rejection.refused``);
- :func:`problem_text` — ``problem.<code>``;
- :func:`error_texts` — every line a :class:`~gvia.core.errors.GviaError` shows.

The values are formatted for the reader (:func:`value_text`): dates in the organization's date
format, amounts as money, whole numbers (ids, rows) as written — never an ISO date. An
error without a code (or whose code the catalog does not have yet) shows its English ``str()`` /
``message`` as before; ``tests/test_no_english_in_services.py`` keeps their number from growing.
The command line has the same functions over its own catalog (:mod:`gvia.cli.words`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from gvia.core import formatting
from gvia.core.errors import FieldProblem, GviaError, ValidationFailed, Worded
from gvia.core.money import Money

from . import display, i18n


def value_text(value: object, lang: str) -> str:
    """One value of a refusal or problem as the reader reads it."""
    if isinstance(value, Money):
        return display.money_text(value)
    if isinstance(value, datetime):
        return display.moment_text(value)
    if isinstance(value, date):
        return display.date_text(value)
    if isinstance(value, (bool, int)):       # ids, rows, years: as written (no grouping)
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, i18n.Key):
        return value.text(lang)
    if isinstance(value, Worded):             # a reason among others: problem.<code>
        return _worded(f"problem.{value.code}", lang, value.params) or str(value)
    if isinstance(value, GviaError):          # a refusal given as a reason (a letter that could not be made)
        return refusal_text(value, lang)
    if isinstance(value, (list, tuple, set, frozenset)):
        sep = "; " if any(isinstance(v, Worded) for v in value) else ", "
        return sep.join(value_text(v, lang) for v in value)
    return str(value)


#: values named so are currency codes, shown by their name in the reader's language ("שקל חדש (₪)")
CURRENCY_PARAMS = frozenset({"currency", "currencies"})
#: values named so are keys of the catalog under a prefix (a role: ``role.owner``), one or several
KEYED_PARAMS = {"role": "role", "roles": "role", "has_role": "role", "pause_kind": "pause.kind",
                "doc_kind": "doc", "via": "channel", "request_kind": "portal_request.kind"}


def param_text(name: str, value: object, lang: str) -> str:
    """A named value of a refusal, problem or summary for the reader: a currency code (a value
    named ``currency`` or ``currencies``) by its name, a country code (``country``) by its name
    (CLDR), anything else by :func:`value_text`."""
    if name == "country" and isinstance(value, str) and value:
        return display.country_text(value, lang)
    if name in KEYED_PARAMS and isinstance(value, (str, tuple, list)):
        keys = [value] if isinstance(value, str) else list(value)
        return ", ".join(i18n.text(f"{KEYED_PARAMS[name]}.{k}", lang) if i18n.has(f"{KEYED_PARAMS[name]}.{k}")
                         else str(k) for k in keys)
    if name in CURRENCY_PARAMS:
        codes = [value] if isinstance(value, str) else list(value) if isinstance(value, (list, tuple)) else None
        if codes is not None and all(isinstance(c, str) for c in codes):
            return ", ".join(display.currency_text(c, lang) for c in codes)
    return value_text(value, lang)


def _worded(key: str, lang: str, params: Mapping[str, object]) -> str | None:
    # the catalog's text itself, not i18n.text(): a value may be named "key" or "lang"
    template = i18n.catalogs().text(key, i18n.normalize(lang))
    if template is None:
        return None
    return template.format(**{name: param_text(name, v, lang) for name, v in params.items()})


def said_text(value: object, lang: str) -> str:
    """What an entry of a message's log says (:mod:`gvia.core.message_log`), in ``lang``: its
    catalog text with its values, each text a server or a person wrote (a reply, a reason, an
    address) isolated in its own direction inside the sentence; a reason that is itself worded, in
    ``lang`` too."""
    if not isinstance(value, Worded):
        return value_text(value, lang) if value else ""
    params: dict[str, object] = {}
    for name, v in value.params.items():
        if isinstance(v, Worded):
            params[name] = said_text(v, lang)
        elif isinstance(v, str) and v and name not in KEYED_PARAMS and name not in CURRENCY_PARAMS:
            params[name] = formatting.isolate(v)
        else:
            params[name] = v
    return _worded(f"problem.{value.code}", lang, params) or str(value)


def refusal_text(exc: GviaError, lang: str, prefix: str = "refusal") -> str:
    """A refusal in ``lang``: ``<prefix>.<code>`` with its values, or the English ``str()`` of an
    exception without a code (or whose code the catalog lacks)."""
    code = getattr(exc, "code", "")
    if isinstance(code, str) and code:
        worded = _worded(f"{prefix}.{code}", lang, getattr(exc, "params", {}) or {})
        if worded is not None:
            return worded
    return str(exc)


def problem_text(p: FieldProblem, lang: str) -> str:
    """What is wrong with one value, in ``lang``: ``problem.<code>`` with its params, else the
    problem's English ``message``. Where it is (row, column) is the page's to show."""
    if p.code:
        name = str(p.params.get("name", p.field))
        worded = _worded(f"problem.{p.code}", lang,
                         {"field": p.field, "value": p.value, **p.params, "label": field_label(name, lang)})
        if worded is not None:
            return worded
    return p.message


def field_label(name: str, lang: str) -> str:
    """An import's field as the mapping form names it (``import.field.<name>``), else as given."""
    key = f"import.field.{name}"
    return i18n.text(key, lang) if i18n.has(key) else name


@dataclass(frozen=True)
class ShownProblem:
    """A problem as a page's table shows it: row, column, value, and what is wrong, worded."""

    row: int | None
    field: str
    value: str
    message: str


def problem_rows(problems: list[FieldProblem], lang: str) -> list[ShownProblem]:
    """Problems for a table of row, column, value and what is wrong (the import pages): each
    worded; a problem about a field rather than a file's column is named as the form names it."""
    rows: list[ShownProblem] = []
    for p in problems:
        field = p.field
        if p.code and p.row is None and p.field == p.params.get("name"):
            field = field_label(p.field, lang)
        rows.append(ShownProblem(p.row, field, p.value, problem_text(p, lang)))
    return rows


def problem_line(p: FieldProblem, lang: str) -> str:
    """One problem on one line for a message at the top of a page: where (row, column) and what
    (a problem without a worded code: its English ``str()`` as before)."""
    if not (getattr(p, "code", "") and i18n.has(f"problem.{p.code}")):     # a CatalogProblem has none
        return str(p)
    where = []
    if p.source and not p.source.startswith("<"):      # the file it is in ("<policy>": none)
        where.append(p.source)
    if p.row is not None:
        where.append(i18n.text("problem.where.row", lang, row=value_text(p.row, lang)))
    if p.field:
        where.append(p.field)
    text = problem_text(p, lang)
    if p.value != "":
        text += " " + i18n.text("problem.where.value", lang, value=p.value)
    return f"{', '.join(where)}: {text}" if where else text


def _count(exc: ValidationFailed) -> int:
    """How many problems a summary counts: its ``n`` when the exception carries only the first
    few of them, else those it carries."""
    n = exc.params.get("n")
    return n if isinstance(n, int) else len(exc.problems)


def summary_text(exc: ValidationFailed, lang: str) -> str:
    """The line above a ValidationFailed's problems in ``lang``: ``summary.<code>`` (a plural
    entry counted by the problems, ``{n}``) with its values, else its English ``summary``."""
    if exc.code:
        n = _count(exc)
        template = i18n.catalogs().plural(f"summary.{exc.code}", i18n.normalize(lang), n)
        if template is not None:
            values = {name: param_text(name, v, lang) for name, v in exc.params.items() if name != "n"}
            return template.format(n=value_text(n, lang), **values)
    return exc.summary


def error_texts(exc: GviaError, lang: str, limit: int = 20) -> list[str]:
    """Every line ``exc`` shows a person: each problem of a ValidationFailed, else the refusal."""
    if isinstance(exc, ValidationFailed):
        return [problem_line(p, lang) for p in exc.problems[:limit]]
    return [refusal_text(exc, lang)]
