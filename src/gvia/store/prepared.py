"""Prepared queries: a query a page asks on every visit about one record (a customer, an invoice,
an organization), made and compiled once in the process and then only run.

Making a queryset and compiling it to SQL costs the ORM ten times what SQLite takes to run a query
about one record (a customer page asks some forty). A query here is made once per database and
``key`` in this process — its ``build(the_id)`` called with a stand-in for the record's id
(:data:`STAND_IN`), compiled, and the place of the stand-in among its values noted — and then run
with the real id in that place. ``key`` names everything else the query depends on (the
organization, the day, a limit): a query whose text or values depend on anything else must not
come here (its other values would be the first caller's). The id given is one the caller already
found in its organization; the query still filters as it was built.

:func:`rows` gives the rows as the database driver reads them (no ORM converters: a date may come
as ISO text, a moment without its zone, JSON as text); :func:`models` gives model instances made as
the ORM's ``ModelIterable`` makes them (its converters applied, its annotations set, what it reads
with ``select_related`` attached) — from the compiler's own parts, which Django (pinned to 5.2 in
pyproject.toml) keeps; the tests of every page that uses them compare with the ORM's.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]  # Django's, not in its stubs

M = TypeVar("M", bound=Model)

#: Never a record's id: where it stands among a compiled query's values, the real id goes.
STAND_IN = -70_417_117

_MADE: dict[tuple, Compiled] = {}


@dataclass(frozen=True)
class Compiled:
    """A query made once: its SQL, its values, where the id goes among them, and what makes its
    rows into model instances as the ORM does (``model`` None for a ``values_list`` query)."""
    sql: str
    params: tuple
    at: tuple[int, ...]
    compiler: Any
    converters: dict
    model: Any = None
    init_list: tuple[str, ...] = ()
    fields_at: tuple[int, int] = (0, 0)
    annotations: tuple[tuple[str, int], ...] = ()
    related: tuple = ()                 # the populators of what is read with it (select_related)


def compiled(key: Hashable, build: Callable[[int], QuerySet], as_models: bool = False) -> Compiled:
    """``build``'s query made once per database and ``key`` (see the module's text); ``as_models``:
    with what makes its rows into model instances."""
    full = (connection.alias, connection.vendor, key)
    made = _MADE.get(full)
    if made is None:
        compiler = build(STAND_IN).query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()         # fills the compiler's select, klass_info and annotations
        at = tuple(n for n, v in enumerate(params) if v in (STAND_IN, str(STAND_IN)))
        if not at:
            raise RuntimeError(f"{key}: the id is not among the query's values")  # not shown: a bug
        converters = compiler.get_converters([s[0] for s in compiler.select[0:compiler.col_count]])
        extra: dict = {}
        if as_models:                   # a queryset of models: made as the ORM's ModelIterable makes them
            fields = compiler.klass_info["select_fields"]
            start, end = fields[0], fields[-1] + 1
            extra = {"model": compiler.klass_info["model"], "fields_at": (start, end),
                     "init_list": tuple(f[0].target.attname for f in compiler.select[start:end]),
                     "annotations": tuple(compiler.annotation_col_map.items()),
                     "related": tuple(get_related_populators(compiler.klass_info, compiler.select, connection.alias))}
        if len(_MADE) > 2000:           # days go by
            _MADE.clear()
        made = _MADE[full] = Compiled(sql, tuple(params), at, compiler, converters, **extra)
    return made


def _run(made: Compiled, the_id: int) -> list:
    values = list(made.params)
    for n in made.at:
        values[n] = the_id if values[n] == STAND_IN else str(the_id)
    with connection.cursor() as cursor:
        cursor.execute(made.sql, values)
        return cursor.fetchall()


def rows(key: Hashable, build: Callable[[int], QuerySet], the_id: int) -> list[tuple]:
    """The rows of ``build(the_id)`` (a ``values_list`` queryset), read raw."""
    return _run(compiled(key, build), the_id)


def models(key: Hashable, model: type[M], build: Callable[[int], QuerySet], the_id: int) -> list[M]:
    """The instances of ``build(the_id)`` (a queryset of ``model``), their fields converted,
    annotations set and the objects of its ``select_related`` attached as the ORM's."""
    made = compiled(key, build, as_models=True)
    if made.model is not model:
        raise TypeError(f"{key}: a query of {made.model}, not of {model}")  # not shown: a bug
    found = _run(made, the_id)
    if made.converters:
        found = list(made.compiler.apply_converters(found, made.converters))
    start, end = made.fields_at
    out = []
    for row in found:
        obj = model.from_db(connection.alias, list(made.init_list), row[start:end])
        for populator in made.related:
            populator.populate(row, obj)
        for name, at in made.annotations:
            setattr(obj, name, row[at])
        out.append(obj)
    return out
