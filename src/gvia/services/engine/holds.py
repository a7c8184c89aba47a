"""Messages held before approval: a formal letter the business cannot produce yet because details
it can fill in are missing (its address, phone, e-mail, company number or signatory; the
customer's address or ID/company number; the written basis of an Execution Office warning).

The rule of what a letter must have is :func:`gvia.documents.checks.check_letter`'s; which of its
problems a person can fill in, and where, is :data:`gvia.services.org.details.HOW_TO_SET`. This
module only asks them: the daily run (:func:`hold_unproducible`, in its apply transaction) builds
the documents of each new formal message exactly as the dispatcher would
(:func:`gvia.services.sending.compose.message_contexts`) and checks them; a message with missing
details is stored ``held`` with the reason codes (:func:`code_of`: ``org_address``,
``org_signatory_name``, ``customer_address``, ``customer_tax_id``, ``claim_basis`` …) instead of
waiting for an approval that could only end in a failed send. Every run checks the held ones
again (:func:`recheck`) and releases those whose details were filled in to the state they were
created in; an approval attempt checks again too (:func:`release_or_refuse`) and is refused,
naming what to fill in and how, while something is still missing. The case waits meanwhile:
a held message of the current stage holds the next stage like one awaiting approval.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Iterable

from gvia.core.errors import FieldProblem, GviaError, ValidationFailed
from gvia.core.legal_rules import earliest_filing, execution_office_rule, fixed_sum_fit
from gvia.core.policy import ROUTED_DOCUMENTS
from gvia.documents.checks import check_letter
from gvia.documents.model import LetterContext
from gvia.services.context import Ctx
from gvia.services.letters.content import DEADLINE_LETTERS
from gvia.services.org.details import HOW_TO_SET, explained
from gvia.services.sending.compose import message_contexts, message_policy
from gvia.store.models import OutboxMessage

#: The reason stored on a held message: ``[HELD_FOR, {"missing": [codes], "release_to": status}]``.
HELD_FOR = "held_for_details"


class HeldForDetails(ValidationFailed):
    """An approval refused because message ``message_id`` is held for details: ``codes`` (see
    :func:`code_of`) for the edges to word, ``problems`` naming each detail and how to set it."""

    def __init__(self, message_id: int, document: str, codes: list[str], problems: list[FieldProblem]) -> None:
        self.message_id, self.document, self.codes = message_id, document, list(codes)
        super().__init__(problems, f"message {message_id} ({document}) is held until these details are "
                                   f"filled in: {', '.join(codes)}; nothing was approved")

    def __reduce__(  # rebuilt from its own fields between processes
            self) -> tuple[type[HeldForDetails], tuple[int, str, list[str], list[FieldProblem]]]:
        return (type(self), (self.message_id, self.document, self.codes, self.problems))


_CHECKED = (OutboxMessage.Status.AWAITING_APPROVAL, OutboxMessage.Status.QUEUED)


def code_of(problem: FieldProblem) -> str | None:
    """The reason code of a letter's problem a person can fill in (None for any other problem):
    ``org_<setting>`` for the organization's details, ``customer_<field>`` for the customer's,
    ``claim_basis`` for the written basis."""
    found = HOW_TO_SET.get(problem.field)
    if found is None:
        return None
    place, name, _how = found
    if name == "claim_basis":
        return "claim_basis"
    return f"{'org' if place == 'setting' else 'customer'}_{name}"


def _problems(ctx: Ctx, msg: OutboxMessage, today: date) -> list[FieldProblem]:
    """The fillable problems of the message's letters, as the dispatcher would meet them."""
    try:
        contexts = message_contexts(ctx, msg, msg.customer, today)
    except GviaError:
        return []                    # not a missing detail (nothing due, …): the send says so as before
    out: list[FieldProblem] = []
    for c in contexts:
        if not isinstance(c, LetterContext):
            continue
        try:
            check_letter(c)
        except ValidationFailed as exc:
            out.extend(p for p in exc.problems if code_of(p) is not None and p not in out)
    return out


def _codes(problems: list[FieldProblem]) -> list[str]:
    codes: list[str] = []
    for p in problems:
        code = code_of(p)
        if code is not None and code not in codes:
            codes.append(code)
    return codes


def missing(ctx: Ctx, msg: OutboxMessage, today: date) -> list[str]:
    """The reason codes of what must be filled in before ``msg`` can be produced ([]: nothing)."""
    return _codes(_problems(ctx, msg, today))


def held_codes(msg: OutboxMessage) -> list[str]:
    """The codes a held message waits for ([] when it is not held for details)."""
    for code, params in msg.reasons or ():
        if code == HELD_FOR:
            return list(params.get("missing") or ())
    return []


def _hold(msg: OutboxMessage, codes: list[str], now: datetime) -> None:
    reasons = [r for r in msg.reasons or () if r[0] != HELD_FOR]
    release_to = msg.status if msg.status in _CHECKED else _release_to(msg)
    msg.reasons = reasons + [[HELD_FOR, {"missing": codes, "release_to": release_to}]]
    msg.status = OutboxMessage.Status.HELD
    msg.updated_at = now
    msg.save(update_fields=["reasons", "status", "updated_at"])


def _release_to(msg: OutboxMessage) -> str:
    for code, params in msg.reasons or ():
        if code == HELD_FOR and params.get("release_to") in _CHECKED:
            return str(params["release_to"])
    return OutboxMessage.Status.AWAITING_APPROVAL


def _release(msg: OutboxMessage, now: datetime) -> None:
    msg.status = _release_to(msg)
    msg.reasons = [r for r in msg.reasons or () if r[0] != HELD_FOR]
    msg.updated_at = now
    msg.save(update_fields=["reasons", "status", "updated_at"])


def _formal(qs):
    return qs.filter(document__in=DEADLINE_LETTERS).select_related("customer").order_by("id")


def _fallback_for_the_letter(ctx: Ctx, msg: OutboxMessage, today: date, now: datetime) -> bool:
    """The ladder chose ``msg``'s routed document (the Execution Office warning) on the invoices
    alone; the letter itself also claims interest, linkage and fees. When with them the debt no
    longer fits the route (:func:`gvia.core.legal_rules.fixed_sum_fit`, on the earliest filing
    day as the ladder judges it) and the stage's action names a fallback, the message takes the
    fallback document, with the ``fallback_document`` reason the ladder would have given.
    Returns whether it did."""
    if msg.document not in ROUTED_DOCUMENTS or not msg.stage_key:
        return False
    policy = message_policy(msg)
    try:
        stage = policy.stage(msg.stage_key) if policy is not None else None
    except GviaError:
        return False
    action = next((a for a in stage.actions if a.channel == msg.channel), None) if stage is not None else None
    if action is None or action.document != msg.document or not action.fallback:
        return False
    try:
        letter = message_contexts(ctx, msg, msg.customer, today)[0]
        filing_day = earliest_filing(execution_office_rule(letter.as_of), letter.as_of, letter.as_of).on
    except GviaError:
        return False
    if not isinstance(letter, LetterContext):
        return False
    filing_day = filing_day or letter.as_of
    fit = fixed_sum_fit(letter.totals, filing_day, bool(letter.claim_basis.strip()))
    if fit.fits:
        return False
    params: dict = {"document": action.fallback, "instead_of": msg.document, "why": fit.reason,
                    "reasons": list(fit.reasons), "filing_day": filing_day.isoformat(),
                    "amounts": letter.totals.as_strings(), "with_charges": True}
    if fit.rule is not None:
        params["cap"], params["cap_currency"] = str(fit.rule.cap.amount), fit.rule.cap.currency
    msg.document = action.fallback
    msg.reasons = [*(msg.reasons or []), ["fallback_document", params]]
    msg.updated_at = now
    msg.save(update_fields=["document", "reasons", "updated_at"])
    return True


def hold_unproducible(ctx: Ctx, run_id: int, today: date, now: datetime) -> int:
    """Hold the formal messages run ``run_id`` planned that cannot be produced for want of details
    a person can fill in; returns how many were held. A routed document whose letter, with its
    interest and fees, does not fit its route first takes its fallback
    (:func:`_fallback_for_the_letter`)."""
    held = 0
    for msg in _formal(OutboxMessage.objects.filter(organization=ctx.org, run_id=run_id, status__in=_CHECKED)):
        _fallback_for_the_letter(ctx, msg, today, now)
        codes = missing(ctx, msg, today)
        if codes:
            _hold(msg, codes, now)
            held += 1
    return held


def recheck(ctx: Ctx, today: date, now: datetime) -> int:
    """Check the organization's held messages again; release those now complete. Returns how many
    were released."""
    released = 0
    for msg in _formal(OutboxMessage.objects.filter(organization=ctx.org, status=OutboxMessage.Status.HELD)):
        if not held_codes(msg):
            continue                 # held for another reason: not this module's
        codes = missing(ctx, msg, today)
        if codes:
            if codes != held_codes(msg):
                _hold(msg, codes, now)
        else:
            _release(msg, now)
            released += 1
    return released


def release_or_refuse(ctx: Ctx, msg: OutboxMessage, today: date, now: datetime) -> None:
    """A person asks to approve held ``msg``: released when its details are complete now, else
    refused (:class:`HeldForDetails`) naming each detail to fill in and how (nothing changed)."""
    problems = _problems(ctx, msg, today)
    if not problems:
        _release(msg, now)
        return
    raise HeldForDetails(msg.id, msg.document, _codes(problems), explained(ValidationFailed(problems)).problems)


def before_approval(ctx: Ctx, msg: OutboxMessage, today: date, now: datetime) -> None:
    """A person approves formal letter ``msg`` (awaiting approval): it is checked once more as it
    would be produced today. A routed document that no longer fits its route takes its fallback
    (:func:`_fallback_for_the_letter`); a detail missing since the run refuses the approval
    (:class:`HeldForDetails`; the caller's transaction then changes nothing)."""
    if msg.document not in DEADLINE_LETTERS:
        return
    _fallback_for_the_letter(ctx, msg, today, now)
    problems = _problems(ctx, msg, today)
    if problems:
        raise HeldForDetails(msg.id, msg.document, _codes(problems), explained(ValidationFailed(problems)).problems)


def held_list(ctx: Ctx, messages: Iterable[OutboxMessage] | None = None) -> list[dict]:
    """The organization's messages held for details, one entry per customer and stage:
    ``{"customer": ref, "stage": key, "reasons": [codes]}`` (the run report's ``held``)."""
    if messages is None:
        messages = _formal(OutboxMessage.objects.filter(organization=ctx.org, status=OutboxMessage.Status.HELD))
    out: dict[tuple[str, str], list[str]] = {}
    for msg in messages:
        codes = held_codes(msg)
        if not codes:
            continue
        seen = out.setdefault((msg.customer.ref, msg.stage_key), [])
        seen.extend(c for c in codes if c not in seen)
    return [{"customer": ref, "stage": stage, "reasons": codes} for (ref, stage), codes in sorted(out.items())]


__all__ = ["HELD_FOR", "HeldForDetails", "code_of", "missing", "held_codes", "hold_unproducible", "recheck",
           "release_or_refuse", "before_approval", "held_list"]
