"""The audit trail: every change made through gvia is recorded with who and when."""

from __future__ import annotations

from datetime import datetime, timezone

from gvia.services.context import Ctx
from gvia.store.models import AuditRecord


def record(ctx: Ctx, action: str, obj: object | None = None, **details) -> AuditRecord:
    return AuditRecord.objects.create(
        organization=ctx.org,
        user=ctx.user if getattr(ctx.user, "pk", None) else None,
        actor=ctx.actor,
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=str(getattr(obj, "pk", "") or "") if obj is not None else "",
        details=details,
        at=datetime.now(timezone.utc),
    )
