"""Approvals a person can do fast (issue 13): the messages awaiting approval in groups — the same
stage and document — each row with what a person needs to decide (the customer, the amount and
the days overdue, where it goes, the document), and a whole group approved at once.

A group is approved only after its preview was seen: the caller says which groups were previewed
(the web records it in the session when a preview of the group is opened), and
:func:`approve_group` is refused with code ``preview_first`` otherwise. Each message of the group
goes through :func:`gvia.services.engine.approvals.approve` (the owner rule, the re-check of a
held letter); those refused stay waiting, and the result counts both.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Min, Sum

from gvia.core import aging
from gvia.core.errors import GviaError, RefusedFor
from gvia.core.money import Money
from gvia.services import clock
from gvia.services.context import Ctx
from gvia.services.engine import approvals
from gvia.services.sending.compose import PAPER, recipients_for
from gvia.store.models import Address, Invoice, OutboxMessage


def group_key(stage_key: str, document: str) -> str:
    return f"{stage_key}|{document}"


@dataclass(frozen=True)
class ApprovalRow:
    id: int
    customer_id: int
    customer_name: str
    customer_ref: str
    channel: str
    document: str
    overdue: tuple[Money, ...]          # per currency, due before today
    days_overdue: int | None            # of the oldest overdue invoice
    recipient: str                      # e-mail addresses, or the postal address for paper
    needs_owner: bool


@dataclass
class ApprovalGroup:
    stage_key: str
    document: str
    rows: list[ApprovalRow] = field(default_factory=list)

    @property
    def key(self) -> str:
        return group_key(self.stage_key, self.document)


def groups(ctx: Ctx, today: date) -> list[ApprovalGroup]:
    """The messages awaiting approval, grouped by stage and document (oldest group first)."""
    ctx.require("viewer", "listing approvals")
    msgs = list(OutboxMessage.objects.filter(organization=ctx.org, status=OutboxMessage.Status.AWAITING_APPROVAL)
                .select_related("customer").order_by("id"))
    ids = sorted({m.customer_id for m in msgs})
    overdue: dict[int, list[Money]] = defaultdict(list)
    oldest: dict[int, date] = {}
    late = Invoice.objects.filter(customer_id__in=ids, kind=Invoice.Kind.INVOICE,
                                  due_date__lt=aging.overdue_bound(today)).exclude(open_minor=0)
    for cid, cur, total, first in (late.values_list("customer_id", "currency").annotate(
            s=Sum("open_minor"), d=Min("due_date")).order_by("customer_id", "currency")):
        overdue[cid].append(Money.from_minor(total, cur))
        oldest[cid] = min(first, oldest.get(cid, first))
    address: dict[int, str] = {}
    for a in Address.objects.filter(customer_id__in=ids).order_by("id"):
        address.setdefault(a.customer_id, ", ".join(p for p in (a.line1, a.line2, a.city, a.postal_code) if p))
    out: dict[str, ApprovalGroup] = {}
    for m in msgs:
        recipient = address.get(m.customer_id, "") if m.channel in PAPER else ", ".join(recipients_for(m.customer)[0])
        row = ApprovalRow(m.id, m.customer_id, m.customer.name, m.customer.ref, m.channel, m.document,
                          tuple(overdue.get(m.customer_id, ())),
                          (today - oldest[m.customer_id]).days if m.customer_id in oldest else None,
                          recipient, approvals.stage_needs_owner(m))
        out.setdefault(group_key(m.stage_key, m.document), ApprovalGroup(m.stage_key, m.document)).rows.append(row)
    return list(out.values())


@dataclass(frozen=True)
class GroupResult:
    approved: list[int]
    refused: dict[int, str]            # message id -> the refusal's code (or its text)


def approve_group(ctx: Ctx, stage_key: str, document: str, previewed: set[str],
                  now: datetime | None = None) -> GroupResult:
    """Approve every message of the group awaiting approval; refused (``preview_first``) unless
    one preview of the group was seen (``previewed`` holds its :func:`group_key`)."""
    ctx.require("collector", "approving a message")
    key = group_key(stage_key, document)
    if key not in previewed:
        raise RefusedFor("preview_first", f"open one preview of the group {key} before approving it all",
                         document=document)
    now = now or clock.now_utc()
    approved: list[int] = []
    refused: dict[int, str] = {}
    for mid in OutboxMessage.objects.filter(organization=ctx.org, status=OutboxMessage.Status.AWAITING_APPROVAL,
                                            stage_key=stage_key, document=document).order_by("id") \
            .values_list("id", flat=True):
        try:
            approvals.approve(ctx, mid, now)
        except GviaError as exc:
            refused[mid] = getattr(exc, "code", "") or str(exc)
        else:
            approved.append(mid)
    return GroupResult(approved, refused)
