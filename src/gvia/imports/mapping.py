"""Which column of a file holds which canonical field.

:func:`build_mapping` decides, for one import and one file's headers, in this order:

1. ``overrides`` (``--column FIELD=HEADER`` on the command line) — strict: the header must be in
   the file, or the file is refused with the list of headers it has. ``HEADER`` is matched
   exactly first, then as :func:`~gvia.imports.fields.normalize_header` matches it; ``#N``
   names the N-th column (1 = the first) when headers repeat or are blank; an empty
   ``HEADER`` (``--column open_amount=``) means "do not read this field", for a column that
   would otherwise be picked up by its header. Two fields may name the same column
   (``--column due_date=תאריך`` on a file whose invoices are due on issue).
2. a ``preset`` (a saved mapping, a plain dict, see :func:`make_preset`; a bare
   ``{field: header}`` dict works too) — its headers are preferred, but a header the file
   lacks is skipped, so one preset serves files that differ in optional columns.
3. the known header aliases of :mod:`gvia.imports.fields`, each column used by one field only.

A required field (see ``fields.REQUIRED``) left without a column refuses the file, saying which
headers were looked for and which headers the file has. Columns that no field uses are listed
in :attr:`Mapping.unused` so the command line can say they were ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from gvia.core.errors import FieldProblem, ValidationFailed

from .fields import (
    ALIAS_TEXTS,
    ALIASES,
    CURRENCY_SUFFIXES,
    DESCRIPTIONS,
    FIELDS,
    REQUIRED,
    check_kind,
    normalize_header,
)

# Keys of a preset that are not columns.
_PRESET_SETTINGS = ("kind", "name", "date_format", "decimal_comma")

# How a field got its column, for the summary shown to the user.
BY_OVERRIDE, BY_PRESET, BY_HEADER = "--column", "preset", "header"


@dataclass(frozen=True)
class Mapping:
    """The columns of one file for one import: field name -> 0-based column index."""

    kind: str
    headers: tuple[str, ...]
    columns: dict[str, int]
    how: dict[str, str] = field(default_factory=dict)

    def index(self, name: str) -> int | None:
        """The column index of field ``name``, or None when the file has no such column."""
        return self.columns.get(name)

    def header(self, name: str) -> str:
        """The header text (as written in the file) of field ``name``'s column."""
        i = self.columns.get(name)
        return self.headers[i] if i is not None else ""

    def has(self, name: str) -> bool:
        return name in self.columns

    @property
    def unused(self) -> tuple[str, ...]:
        """Headers of the non-blank columns that no field reads."""
        used = set(self.columns.values())
        return tuple(h for i, h in enumerate(self.headers) if i not in used and h.strip())

    def describe(self) -> list[str]:
        """One line per mapped field: ``amount <- 'סכום' (header)``, in field order."""
        return [f"{name} <- {self.header(name)!r} ({self.how.get(name, BY_HEADER)})"
                for name in FIELDS[self.kind] if name in self.columns]


def _problem(name: str, message: str, value: str = "", code: str = "", **params: object) -> FieldProblem:
    return FieldProblem(row=None, field=name, value=value, message=message, code=code,
                        params={"name": name, **params} if code else {})


def _shown(headers: Iterable[str]) -> str:
    return ", ".join(repr(h) for h in headers) or "(none)"


def _find(header: str, headers: tuple[str, ...], keys: list[str]) -> list[int]:
    """Column indexes ``header`` names: '#N', exact text, or the same normalized key."""
    h = header.strip()
    if h.startswith("#") and h[1:].isdigit():
        n = int(h[1:])
        return [n - 1] if 1 <= n <= len(headers) else []
    exact = [i for i, x in enumerate(headers) if x == header or x.strip() == h]
    if exact:
        return exact
    key = normalize_header(h)
    return [i for i, k in enumerate(keys) if k and k == key] if key else []


def _strip_currency(key: str) -> str:
    for suffix in CURRENCY_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


def build_mapping(kind: str, headers: Iterable[str],
                  overrides: dict[str, str] | None = None,
                  preset: dict | None = None) -> Mapping:
    """Map the canonical fields of import ``kind`` to the columns of a file with ``headers``.

    Raises ValidationFailed (nothing read yet) for: an override or preset naming a field this
    import does not have, an override naming a header the file does not have, or a header
    that appears more than once, and a required field without a column.
    """
    check_kind(kind)
    headers = tuple("" if h is None else str(h) for h in headers)
    names = FIELDS[kind]
    keys = [normalize_header(h) for h in headers]
    columns: dict[str, int] = {}
    how: dict[str, str] = {}
    skipped: set[str] = set()
    problems: list[FieldProblem] = []

    def unknown_field(name: str, origin: str) -> FieldProblem:
        return _problem(name, f"{origin}: {name!r} is not a field of the {kind} import; "
                              f"its fields are: {', '.join(names)}", name,
                        code="column_option_not_a_field" if origin == "--column" else "preset_not_a_field",
                        kind=kind, fields=tuple(names))

    # 1. overrides: strict
    for name, header in (overrides or {}).items():
        if name not in names:
            problems.append(unknown_field(name, "--column"))
            continue
        if header is None or not str(header).strip():
            skipped.add(name)
            continue
        found = _find(str(header), headers, keys)
        if not found:
            problems.append(_problem(
                name, f"--column {name}={header}: the file has no column {header!r}; "
                      f"its headers are: {_shown(headers)}", str(header),
                code="no_such_header", header=str(header), headers=tuple(headers)))
        elif len(found) > 1:
            problems.append(_problem(
                name, f"--column {name}={header}: {len(found)} columns are headed {header!r} "
                      f"(columns {', '.join('#' + str(i + 1) for i in found)}); name one as "
                      f"#N, e.g. --column {name}=#{found[0] + 1}", str(header),
                code="header_ambiguous", header=str(header), count=len(found),
                positions=tuple(f"#{i + 1}" for i in found), first=found[0] + 1))
        else:
            columns[name], how[name] = found[0], BY_OVERRIDE
    if problems:
        raise ValidationFailed(problems, "the column mapping is wrong; nothing was imported",
                               code="import_mapping_wrong")

    claimed = set(columns.values())

    # 2. preset: preferred, lenient about headers this file lacks
    preset = preset or {}
    if preset.get("kind") not in (None, kind):
        raise ValidationFailed([_problem("", f"the preset is for the {preset['kind']} import, "
                                             f"not {kind}", str(preset["kind"]), code="preset_other_kind",
                                         preset_kind=str(preset["kind"]), kind=kind)],
                               "the mapping preset is wrong; nothing was imported", code="import_preset_wrong")
    if "columns" in preset:
        preset_columns = preset["columns"] or {}
    else:  # a bare {field: header} dict is accepted as the columns
        preset_columns = {k: v for k, v in preset.items() if k not in _PRESET_SETTINGS}
    for name, header in preset_columns.items():
        if name not in names:
            problems.append(unknown_field(name, "preset"))
            continue
        if name in columns or name in skipped:
            continue
        if header is None or not str(header).strip():
            skipped.add(name)
            continue
        found = [i for i in _find(str(header), headers, keys) if i not in claimed]
        if len(found) == 1:
            columns[name], how[name] = found[0], BY_PRESET
            claimed.add(found[0])
    if problems:
        raise ValidationFailed(problems, "the mapping preset is wrong; nothing was imported",
                               code="import_preset_wrong")

    # 3. known headers; an exact key first, then the key without a currency suffix
    stripped = [_strip_currency(k) for k in keys]
    for use_keys in (keys, stripped):
        for name in names:
            if name in columns or name in skipped:
                continue
            for alias in ALIASES[kind][name]:
                found = [i for i, k in enumerate(use_keys) if k == alias and i not in claimed]
                if found:
                    columns[name], how[name] = found[0], BY_HEADER
                    claimed.add(found[0])
                    break

    for group in REQUIRED[kind]:
        if any(name in columns for name in group):
            continue
        name = group[0]
        looked = ALIAS_TEXTS[kind][name][:4] + tuple(
            a for a in ALIAS_TEXTS[kind][name] if not a.isascii())[:4]
        either = f" (or {' or '.join(group[1:])})" if len(group) > 1 else ""
        why = " (it was turned off with --column)" if name in skipped else ""
        problems.append(_problem(
            name, f"no column for {name}{either}, which is required{why}: "
                  f"{DESCRIPTIONS[name]}. Headers looked for include {_shown(looked)}; "
                  f"the file's headers are: {_shown(headers)}. Name the column with "
                  f"--column {name}=HEADER",
            code="no_column_turned_off" if name in skipped else "no_column",
            looked=tuple(looked), headers=tuple(headers)))
    if problems:
        raise ValidationFailed(problems, "required columns are missing; nothing was imported",
                               code="import_columns_missing")
    return Mapping(kind=kind, headers=headers, columns=columns, how=how)


def parse_column_options(options: Iterable[str]) -> dict[str, str]:
    """Turn command-line ``FIELD=HEADER`` strings into an overrides dict.

    Only the first '=' splits, so a header may contain '='. ``FIELD=`` maps the field to no
    column. Raises ValidationFailed for an option without '='.
    """
    out: dict[str, str] = {}
    problems = []
    for option in options:
        name, sep, header = option.partition("=")
        if not sep or not name.strip():
            problems.append(_problem("", "--column expects FIELD=HEADER, e.g. "
                                         "--column invoice_number=\"מס' חשבונית\"", option,
                                     code="column_option_form"))
            continue
        out[name.strip()] = header
    if problems:
        raise ValidationFailed(problems, "wrong --column option; nothing was imported",
                               code="import_column_option_wrong")
    return out


def make_preset(mapping: Mapping, *, date_format: str | None = None,
                decimal_comma: bool = False) -> dict:
    """A mapping as a plain, JSON-ready dict to save and pass back as ``preset`` later.

    Shape: ``{"kind": "invoices", "columns": {field: header, ...}, "date_format": str|None,
    "decimal_comma": bool}``. Columns named by position (blank or repeated headers) are saved
    as ``#N``.
    """
    columns = {}
    for name, i in mapping.columns.items():
        header = mapping.headers[i]
        unique = header.strip() and sum(1 for h in mapping.headers if h == header) == 1
        columns[name] = header if unique else f"#{i + 1}"
    return {"kind": mapping.kind, "columns": columns, "date_format": date_format,
            "decimal_comma": decimal_comma}
