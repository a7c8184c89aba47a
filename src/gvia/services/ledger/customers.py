"""Customer queries: the list with open and overdue amounts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import BigIntegerField, Case, F, Min, Sum, When

from gvia.core.money import Money
from gvia.services.context import Ctx
from gvia.store.models import Customer, Invoice


def list_customers(ctx: Ctx, as_of: date, overdue_only: bool = False, limit: int | None = None) -> list[dict]:
    """One entry per customer: open and overdue per currency (decimal strings), oldest days overdue."""
    rows = (Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE).exclude(open_minor=0)
            .values("customer_id", "currency")
            .annotate(open=Sum("open_minor"),
                      overdue=Sum(Case(When(due_date__lt=as_of, then=F("open_minor")), default=0,
                                       output_field=BigIntegerField())),
                      oldest=Min(Case(When(due_date__lt=as_of, then=F("due_date")), default=None)))
            .order_by())
    per: dict[int, dict] = defaultdict(lambda: {"open": {}, "overdue": {}, "oldest": None})
    for r in rows:
        e = per[r["customer_id"]]
        e["open"][r["currency"]] = str(Money.from_minor(r["open"], r["currency"]).amount)
        if r["overdue"]:
            e["overdue"][r["currency"]] = str(Money.from_minor(r["overdue"], r["currency"]).amount)
        if r["oldest"] is not None:
            oldest = r["oldest"] if isinstance(r["oldest"], date) else date.fromisoformat(str(r["oldest"]))
            e["oldest"] = min(e["oldest"], oldest) if e["oldest"] else oldest
    qs = Customer.objects.filter(organization=ctx.org).order_by("ref").values("id", "ref", "name", "do_not_chase")
    if overdue_only:
        ids = [cid for cid, e in per.items() if e["overdue"]]
        qs = qs.filter(id__in=ids) if len(ids) < 900 else qs
    out = []
    for c in qs.iterator(chunk_size=5000):
        e = per.get(c["id"], {"open": {}, "overdue": {}, "oldest": None})
        if overdue_only and not e["overdue"]:
            continue
        out.append({"ref": c["ref"], "name": c["name"], "open": e["open"], "overdue": e["overdue"],
                    "oldest_days_overdue": (as_of - e["oldest"]).days if e["oldest"] else None,
                    "do_not_chase": c["do_not_chase"]})
        if limit and len(out) >= limit:
            break
    return out
