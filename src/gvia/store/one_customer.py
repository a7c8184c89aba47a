"""Queries about one customer that a page asks on every visit, compiled once.

Making a queryset and compiling it to SQL costs the ORM ten times what SQLite takes to run the
query for one customer (a customer page asks some forty). A query here is made once per database
and ``key`` in this process — its ``build(customer_id)`` called with a stand-in for the customer's
id (:data:`STAND_IN`), compiled, and the place of the stand-in among its values noted — and then
run with the customer's id in that place. ``key`` names everything else the query depends on (the
organization, the day): a query whose text or values depend on anything else must not come here.
The stand-in may as well be the id of the one record a page is about (the invoice page's invoice).

:func:`rows` gives the rows as the database driver reads them (no ORM converters: a date may come
as ISO text, a moment without its zone, JSON as text); :func:`models` gives model instances through
:meth:`QuerySet.raw`, whose fields are converted as the ORM's are.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from django.db import connection
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)

#: Never a customer's id: where it stands among a compiled query's values, the customer's goes.
STAND_IN = -70_417_117

_MADE: dict[tuple, tuple[str, tuple, tuple[int, ...]]] = {}


def compiled(key: Hashable, build: Callable[[int], QuerySet]) -> tuple[str, tuple, tuple[int, ...]]:
    """The SQL of ``build``'s queryset, its values, and where the customer's id goes among them."""
    full = (connection.alias, connection.vendor, key)
    made = _MADE.get(full)
    if made is None:
        sql, params = build(STAND_IN).query.get_compiler(connection=connection).as_sql()
        at = tuple(n for n, v in enumerate(params) if v in (STAND_IN, str(STAND_IN)))
        if not at:
            raise RuntimeError(f"{key}: the customer is not among the query's values")  # not shown: a bug
        if len(_MADE) > 2000:           # days go by
            _MADE.clear()
        made = _MADE[full] = (sql, tuple(params), at)
    return made


def _values(params: tuple, at: tuple[int, ...], customer_id: int) -> list:
    values = list(params)
    for n in at:
        values[n] = customer_id if values[n] == STAND_IN else str(customer_id)
    return values


def rows(key: Hashable, build: Callable[[int], QuerySet], customer_id: int) -> list[tuple]:
    """The rows of ``build(customer_id)`` (a ``values_list`` queryset), read raw."""
    sql, params, at = compiled(key, build)
    with connection.cursor() as cursor:
        cursor.execute(sql, _values(params, at, customer_id))
        return cursor.fetchall()


def models(key: Hashable, model: type[M], build: Callable[[int], QuerySet], customer_id: int) -> list[M]:
    """The instances of ``build(customer_id)`` (a queryset of ``model``, no ``select_related``:
    a related object is read when asked), their fields converted as the ORM's are."""
    sql, params, at = compiled(key, build)
    return list(model.objects.raw(sql, _values(params, at, customer_id)))
