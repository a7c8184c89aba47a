"""Policies: load a ladder from TOML (validated), keep each change as a version, assign them."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from django.db import transaction
from django.db.models import OuterRef, Subquery

from gvia.core.customer_kinds import CONSUMER, is_individual
from gvia.core.errors import NotFoundFor
from gvia.core.policy import Policy as CorePolicy
from gvia.core.policy import load_policy
from gvia.policies import default_policy_text
from gvia.services import audit
from gvia.services.context import Ctx
from gvia.store import prepared
from gvia.store.models import Customer, Policy, PolicyVersion

# Where the law has a ladder of its own for individuals (consumers and sole traders alike: the UK
# Pre-Action Protocol for Debt Claims applies whenever a business claims from an individual).
CONSUMER_NAME = "UK consumer — Pre-Action Protocol"
# Israel: the Consumer Protection Law's debt notice (s.13B2) governs a consumer's debts only; a sole
# trader buys in business (gvia.core.debt_notice).
IL_CONSUMER_NAME = "Israel consumer — debt notice (s.13B2)"
#: country -> (the name of its consumer ladder, whether only kind "consumer" takes it; else every individual)
CONSUMER_LADDERS = {"GB": (CONSUMER_NAME, False), "UK": (CONSUMER_NAME, False), "IL": (IL_CONSUMER_NAME, True)}
CONSUMER_COUNTRIES = tuple(CONSUMER_LADDERS)


def consumer_name(country: str) -> str | None:
    """The name of the organization's shipped consumer ladder; None where the law has none."""
    found = CONSUMER_LADDERS.get(country)
    return found[0] if found else None


def consumers_only(country: str) -> bool:
    """Whether only customers of kind consumer take the country's consumer ladder (Israel), rather
    than every individual (the UK: sole traders too)."""
    found = CONSUMER_LADDERS.get(country)
    return bool(found and found[1])


def takes_consumer_ladder(country: str, kind: str) -> bool:
    """Whether a customer of ``kind`` takes the consumer ladder of ``country`` (where it has one)."""
    if country not in CONSUMER_LADDERS:
        return False
    return kind == CONSUMER if consumers_only(country) else is_individual(kind)


@lru_cache(maxsize=256)
def _parse(text: str, source: str) -> CorePolicy:
    return load_policy(text, source)


def parse(version: PolicyVersion) -> CorePolicy:
    return _parse(version.text, f"{version.policy.name} v{version.version}")


def latest_version(policy: Policy) -> PolicyVersion:
    v = policy.versions.order_by("-version").first()
    if v is None:
        raise NotFoundFor("policy_no_version", f"policy {policy.name!r} has no version", policy=policy.name)
    return v


@transaction.atomic
def save_policy(ctx: Ctx, text: str, source: str = "<policy>", name: str | None = None,
                make_default: bool | None = None) -> PolicyVersion:
    """Validate and store a policy text; a changed text becomes a new version."""
    ctx.require("owner", "changing a policy")
    checked = load_policy(text, source)  # raises ValidationFailed naming line and field
    pname = name or checked.name
    policy, created = Policy.objects.get_or_create(organization=ctx.org, name=pname)
    if make_default or (make_default is None and not Policy.objects.filter(organization=ctx.org, is_default=True)
                        .exclude(id=policy.id).exists()):
        Policy.objects.filter(organization=ctx.org, is_default=True).exclude(id=policy.id).update(is_default=False)
        policy.is_default = True
        policy.save(update_fields=["is_default"])
    last = policy.versions.order_by("-version").first()
    if last is not None and last.fingerprint == checked.fingerprint:
        return last
    version = PolicyVersion.objects.create(policy=policy, version=(last.version + 1) if last else 1, text=text,
                                           fingerprint=checked.fingerprint, created_by=ctx.actor)
    audit.record(ctx, "policy.saved", version, name=pname, version=version.version,
                 fingerprint=checked.fingerprint)
    return version


def ensure_default(ctx: Ctx) -> PolicyVersion:
    """The organization's default policy; the shipped ladder for its country on first use."""
    policy = Policy.objects.filter(organization=ctx.org, is_default=True).first()
    if policy is not None:
        return latest_version(policy)
    owner_ctx = Ctx(ctx.org, ctx.user, "owner")
    return save_policy(owner_ctx, default_policy_text(ctx.org.country), f"default policy ({ctx.org.country})",
                       make_default=True)


def ensure_consumer_policy(ctx: Ctx) -> PolicyVersion | None:
    """The shipped consumer ladder where the law has one (UK: Pre-Action Protocol; Israel: the
    consumer debt notice first)."""
    name = consumer_name(ctx.org.country)
    if name is None:
        return None
    policy = Policy.objects.filter(organization=ctx.org, name=name).first()
    if policy is not None:
        return latest_version(policy)
    return save_policy(Ctx(ctx.org, ctx.user, "owner"), default_policy_text(ctx.org.country, consumer=True),
                       f"default consumer policy ({ctx.org.country})", name=name, make_default=False)


def consumer_version(ctx: Ctx, versions: dict[int, PolicyVersion]) -> PolicyVersion | None:
    """:func:`ensure_consumer_policy`, found among ``versions`` (:func:`policies_in_force`'s, whose
    policies are read already) without a query when the ladder exists."""
    name = consumer_name(ctx.org.country)
    if name is None:
        return None
    found = next((v for v in versions.values() if v.policy.name == name), None)
    return found if found is not None else ensure_consumer_policy(ctx)


def assign(ctx: Ctx, customer_ref: str, policy_name: str | None) -> Customer:
    ctx.require("collector", "assigning a policy")
    customer = Customer.objects.filter(organization=ctx.org, ref=customer_ref).first()
    if customer is None:
        raise NotFoundFor("no_customer", f"no customer {customer_ref!r}", ref=customer_ref)
    policy = None
    if policy_name:
        policy = Policy.objects.filter(organization=ctx.org, name=policy_name).first()
        if policy is None:
            names = tuple(Policy.objects.filter(organization=ctx.org).values_list("name", flat=True))
            raise NotFoundFor("policy_unknown", f"no policy {policy_name!r}", policy=policy_name, known=names)
    customer.policy = policy
    customer.save(update_fields=["policy"])
    audit.record(ctx, "policy.assigned", customer, policy=policy_name or "(default)")
    return customer


def choose_version(assigned_policy_id: int | None, individual: bool, versions: dict[int, PolicyVersion],
                   consumer: PolicyVersion | None, default: PolicyVersion) -> PolicyVersion:
    """The rule for which policy decides for a customer: the one assigned to them, else the
    individuals' ladder where the law has one and the customer takes it (``individual``: in the UK
    a consumer or a sole trader, :func:`gvia.core.customer_kinds.is_individual`; in Israel a
    consumer only, :func:`takes_consumer_ladder`), else the default."""
    if assigned_policy_id and assigned_policy_id in versions:
        return versions[assigned_policy_id]
    if consumer is not None and individual:
        return consumer
    return default


def policy_for_customer(ctx: Ctx, customer: Customer) -> tuple[PolicyVersion, CorePolicy]:
    """The version deciding for one customer, and the checked policy."""
    default, versions = policies_in_force(ctx)
    version = choose_version(customer.policy_id, takes_consumer_ladder(ctx.org.country, customer.kind), versions,
                             ensure_consumer_policy(ctx), default)
    return version, parse(version)


def policies_in_force(ctx: Ctx) -> tuple[PolicyVersion, dict[int, PolicyVersion]]:
    """The default version and the latest version of every policy, by policy id (two queries once
    the organization's shipped policies exist)."""
    policies = {p.id: p for p in Policy.objects.filter(organization=ctx.org).order_by("id")}
    shipped = any(p.is_default for p in policies.values()) and (
        ctx.org.country not in CONSUMER_COUNTRIES
        or any(p.name == consumer_name(ctx.org.country) for p in policies.values()))
    if not shipped:
        ensure_default(ctx)
        ensure_consumer_policy(ctx)
        policies = {p.id: p for p in Policy.objects.filter(organization=ctx.org).order_by("id")}
    versions = latest_versions(policies.values())
    default = next(versions[p.id] for p in policies.values() if p.is_default)
    return default, versions


def _latest_of(org_id: int):
    newest = PolicyVersion.objects.filter(policy=OuterRef("policy")).order_by("-version").values("id")[:1]
    return PolicyVersion.objects.filter(policy__organization_id=org_id, id=Subquery(newest))


def latest_versions(found: Iterable[Policy]) -> dict[int, PolicyVersion]:
    """The latest version of each policy of ``found``, by policy id, each with its policy (a query
    per organization: one)."""
    by_id = {p.id: p for p in found}
    versions: dict[int, PolicyVersion] = {}
    for org_id in {p.organization_id for p in by_id.values()}:
        for v in prepared.models(("policies.latest",), PolicyVersion, _latest_of, org_id):
            if v.policy_id in by_id:
                v.policy = by_id[v.policy_id]
                versions[v.policy_id] = v
    for p in by_id.values():
        if p.id not in versions:
            raise NotFoundFor("policy_no_version", f"policy {p.name!r} has no version", policy=p.name)
    return versions


def organization_policies(ctx: Ctx) -> list[Policy]:
    """Every policy of the organization, the default first, then by name; the shipped ladder made
    on first use, as the run does (:func:`ensure_default`)."""
    found = list(Policy.objects.filter(organization=ctx.org).order_by("-is_default", "name", "id"))
    if found and found[0].is_default:
        return found
    ensure_default(ctx)
    return list(Policy.objects.filter(organization=ctx.org).order_by("-is_default", "name", "id"))
