"""Finding an organization's own record by the id a person typed: another organization's id is not found."""

from __future__ import annotations

from gvia.core.errors import NotFound
from gvia.services.context import Ctx


def owned(ctx: Ctx, model, raw_id: int | str, what: str, *, lock: bool = False,
          related: tuple[str, ...] = ("customer",)):
    """The organization's ``model`` row with id ``raw_id`` (locked for update with ``lock``), or
    NotFound naming ``what`` ("payment plan", "dispute", …): another organization's id is not found."""
    try:
        row_id = int(raw_id)
    except (TypeError, ValueError):
        raise NotFound(f"no {what} {raw_id!r}") from None
    qs = model.objects.select_for_update() if lock else model.objects
    row = qs.filter(organization=ctx.org, id=row_id).select_related(*related).first()
    if row is None:
        raise NotFound(f"no {what} {raw_id}")
    return row
