"""The escalation ladder as people read it, and the names of its stages for other pages.

:func:`steps` turns a checked policy (:class:`gvia.core.policy.Policy`) into one
:class:`Step` per stage, in ladder order: its name in the reader's language, when it fires
(``after_due_days`` N: N days after the due date of the oldest overdue invoice, before it when
N is negative, on it when 0; ``after_previous_days`` N: N days after the step before), in
calendar or business days, what it sends (channel, document, attachments), whether a person
approves it first, how long it waits for an answer, the deadline a warning gives and the
notice period the law sets. Nothing here decides anything: it only reads the policy.

:func:`steps_html` writes a version's steps as the policy page shows them, kept in the process.

:func:`stage_names` gives the display name of every stage key of the organization's policies
in force (the default first), for the worklist and the outbox, which only know the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from gvia.core.money import Money
from gvia.core.policy import Policy as CorePolicy
from gvia.services.context import Ctx
from gvia.services.engine import policies
from gvia.store.models import PolicyVersion

from . import cached, display


@dataclass(frozen=True)
class Step:
    number: int
    key: str
    name: str
    enabled: bool
    when_key: str            # i18n key: ladder.when.after_due / before_due / on_due / after_previous
    days: int                # how many days (never negative: the key says before or after)
    business_days: bool
    actions: tuple           # of gvia.core.policy.Action
    approval: bool
    wait_days: int
    deadline_days: int | None
    deadline_business_days: bool
    notice_days: int | None
    min_amounts: tuple[Money, ...]
    description: str


def _when(stage) -> tuple[str, int]:
    if stage.after_previous_days is not None:
        return "ladder.when.after_previous", stage.after_previous_days
    n = stage.after_due_days or 0
    if n > 0:
        return "ladder.when.after_due", n
    if n < 0:
        return "ladder.when.before_due", -n
    return "ladder.when.on_due", 0


def steps(policy: CorePolicy, lang: str) -> list[Step]:
    out = []
    for number, s in enumerate(policy.stages, start=1):
        when_key, days = _when(s)
        out.append(Step(
            number=number, key=s.key, name=s.name(lang), enabled=s.enabled, when_key=when_key, days=days,
            business_days=s.day_kind == "business", actions=s.actions, approval=s.approval, wait_days=s.wait_days,
            deadline_days=s.deadline_days, deadline_business_days=s.deadline_day_kind == "business",
            notice_days=s.notice_days,
            min_amounts=tuple(Money.of(v, c) for c, v in sorted(s.min_amount.items())),
            description=s.description))
    return out


#: (a version's text, language, display locale) -> its steps' HTML
_STEPS_HTML: dict[tuple[str, str, str], SafeString] = {}


def steps_html(version: PolicyVersion, lang: str) -> SafeString:
    """``gvia/policy/_steps.html`` of ``version``'s :func:`steps` in ``lang``, kept in this process:
    what it shows is read from the version's text alone (a version is never changed: a change is
    the next version), written in the reader's language and the display locale (both in the key),
    with this process's templates and catalogs, and nothing of the reader's own."""
    key = (version.text, lang, display.current_locale())
    if key not in _STEPS_HTML:
        if len(_STEPS_HTML) >= 64:      # the versions shown go by
            _STEPS_HTML.clear()
        _STEPS_HTML[key] = render_to_string("gvia/policy/_steps.html", {"steps": steps(policies.parse(version), lang)})
    return _STEPS_HTML[key]


def stage_names(ctx: Ctx, lang: str, in_force: tuple | None = None) -> dict[str, str]:
    """stage key -> its name in ``lang``, from the policies in force (the default's names win);
    ``in_force``: :func:`gvia.services.engine.policies.policies_in_force` when the caller has it."""
    default, versions = in_force or policies.policies_in_force(ctx)
    names: dict[str, str] = {}
    for version in [default, *sorted(versions.values(), key=lambda v: v.id)]:
        for s in policies.parse(version).stages:
            names.setdefault(s.key, s.name(lang))
    return names


def kept_stage_names(ctx: Ctx, lang: str, day: date) -> dict[str, str]:
    """:func:`stage_names` (every policy in force read and parsed) kept per data version
    (:mod:`gvia.web.cached`): a policy saved or assigned through gvia writes an audit record, so a
    changed name is read again on the next page."""
    return cached.remember(ctx, f"stage_names:{lang}", day, lambda: stage_names(ctx, lang))
