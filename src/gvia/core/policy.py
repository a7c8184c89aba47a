"""The escalation ladder as checked data: a TOML text turned into a frozen :class:`Policy`.

A policy is written in TOML so that a business (and later the web UI) can read and change
it. :func:`load_policy` checks every value and raises :class:`ValidationFailed` with one
:class:`FieldProblem` per mistake; each problem names the source, the **line** of the TOML
text (in ``FieldProblem.row``) and the **field**, e.g. ``stage[3].after_due_days``. Stages are
numbered from 1 in the order they are written, so ``stage[3]`` is the third ``[[stage]]``.

Schema
======

Top level::

    name = "Israel — standard ladder"   # required: the policy's name (its identity in gvia)
    names = { he = "…", en = "…" }      # optional: the name people read, per language
    jurisdiction = "IL"                 # required, ISO 3166 code ("IL", "GB", "US") or "EU"
    description = "…"                   # optional
    descriptions = { he = "…", en = "…" }   # optional: the description per language
    start_mode = "first_stage"          # or "by_age" (default "first_stage")
    min_spacing_days = 7                # calendar days between two stages, at least (default 7)
    reply_pause_days = 5                # calendar days without stages after a reply (default 5)
    call_attempts = 3                   # unanswered calls before the case moves on (default 3)
    not_yet_due = "list_apart"          # or "omit": how a letter shows invoices not yet due on
                                        #   its date (listed apart as "not yet due — not
                                        #   demanded", or left out); never demanded
                                        #   (gvia.core.demand; default "list_apart")

    [credit_hold]                       # optional: when to suggest a credit hold to a person
    after_days = 60                     #   (gvia.core.credit_hold): the oldest overdue invoice
    above = { ILS = "10000" }           #   this many days past due, and the overdue total above
                                        #   this (optional; per currency)

Then one ``[[stage]]`` table per rung, in the order they fire::

    [[stage]]
    key = "reminder"                    # required; lower case letters, digits, "_"; unique
    names = { he = "תזכורת", en = "Reminder" }   # required, both languages
    enabled = true                      # default true; a disabled stage is skipped
    after_due_days = 7                  # EITHER days past due of the oldest overdue invoice
                                        #   (may be negative or 0: a stage before the due date)
    # after_previous_days = 10          # OR days after the previous stage was entered
    day_kind = "calendar"               # "calendar" or "business": how the days above and
                                        #   wait_days are counted (default "calendar")
    min_amount = { ILS = "100", GBP = "20" }  # optional; per currency, amounts as strings
    approval = false                    # a person approves before anything goes out
    wait_days = 0                       # wait at least this long before the next stage
    actions = [
      { channel = "email", document = "reminder", attach = ["statement"] },
    ]

An action may name a ``fallback`` document, used instead of its own when the debt does not
fit the route its document is for: ``{ channel = "registered_letter", document =
"warning_execution_office", fallback = "warning_letter" }`` sends the general warning letter
when the debt is over the Execution Office's fixed-sum cap on the filing day, not in shekels,
or rests on no written contract or undertaking (:func:`gvia.core.legal_rules.fixed_sum_fit`;
the decision says so with the reason ``fallback_document``). Only a document with such a test
(``warning_execution_office``) may have a fallback.

Action channels: ``email``, ``letter`` (printed), ``registered_letter``, ``sms``,
``whatsapp`` (a pre-approved template), ``call_task``. An ``sms`` or ``whatsapp`` action sends a
short text naming its document's kind (``document`` chooses the wording), with the customer's
page link. A stage has at most one action per channel (the channel is part of the
message's idempotency key); more documents go in ``attach``. ``[[stage.actions]]`` tables
may be used instead of the inline list.

Documents: ``courtesy``, ``reminder``, ``second_reminder``, ``warning_letter``,
``warning_execution_office``, ``letter_of_claim`` (UK Pre-Action Protocol), ``statement``,
``debt_notice`` (Israel's consumer debt notice, :mod:`gvia.core.debt_notice`).

A stage that sends a warning (``warning_letter``, ``warning_execution_office``,
``letter_of_claim``) has a **deadline**: ``deadline_days`` (default 14) counted in
``deadline_day_kind`` (default "calendar") from the day the letter is sent or posted. Every
later stage waits until that deadline has passed. ``notice_days`` on a later stage (the legal
referral) is a notice period the law sets, counted by the one filing clock
(:func:`gvia.core.legal_rules.earliest_filing`: whole calendar days after the warning's recorded
delivery; Israel: the Execution Office route, 30 days, Execution Law s.81A1); that stage waits
until both the deadline and the notice period have passed.

Rules checked on load: unknown keys; wrong types (whole numbers for days, ``true``/``false``
for flags, strings for amounts: never floats); unknown channel, document, day kind, start
mode or ``not_yet_due`` mode; negative waits; an unknown currency or a negative minimum;
duplicate stage keys; exactly one trigger per stage; stages triggered by ``after_due_days`` written in strictly
increasing order; ``notice_days`` only after a stage with a deadline; at least one enabled
stage.

:attr:`Policy.fingerprint` is a stable hash of the normalized content (defaults filled in,
comments, spacing and key order ignored) so the database can store each version once and
every decision can record the version that made it.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping, overload

from .calendar import DAY_KINDS
from .credit_hold import CreditHoldRule
from .demand import DEFAULT_NOT_YET_DUE, NOT_YET_DUE_MODES
from .errors import FieldProblem, GviaError, NotFoundFor, ValidationFailed
from .money import Money, is_currency, parse_amount

__all__ = [
    "CHANNELS", "DOCUMENTS", "DEADLINE_DOCUMENTS", "ROUTED_DOCUMENTS", "PAPER_CHANNELS", "TEXT_CHANNELS", "START_MODES",
    "LANGUAGES",
    "Action", "Stage", "Policy", "load_policy",
]

CHANNELS = ("email", "letter", "registered_letter", "sms", "whatsapp", "call_task")
PAPER_CHANNELS = frozenset({"letter", "registered_letter"})
#: Short texts to the customer's mobile (gvia.core.texting), sent through the outbox like e-mail.
TEXT_CHANNELS = frozenset({"sms", "whatsapp"})
DOCUMENTS = ("courtesy", "reminder", "second_reminder", "warning_letter",
             "warning_execution_office", "letter_of_claim", "statement", "debt_notice")
DEADLINE_DOCUMENTS = frozenset({"warning_letter", "warning_execution_office", "letter_of_claim"})
#: The channels a consumer debt notice (``debt_notice``) may go by: a written document.
NOTICE_CHANNELS = ("email", "letter", "registered_letter")
#: Documents whose route the ladder tests before sending them, so that they may name a fallback.
ROUTED_DOCUMENTS = frozenset({"warning_execution_office"})
START_MODES = ("first_stage", "by_age")
LANGUAGES = ("he", "en")
DEFAULT_DEADLINE_DAYS = 14
_MAX_DAYS = 3650

_TOP_KEYS = ("name", "names", "jurisdiction", "description", "descriptions", "start_mode", "min_spacing_days",
             "reply_pause_days", "call_attempts", "not_yet_due", "credit_hold", "stage")
_CREDIT_HOLD_KEYS = ("after_days", "above")
_STAGE_KEYS = ("key", "names", "description", "enabled", "after_due_days", "after_previous_days",
               "day_kind", "min_amount", "actions", "approval", "wait_days", "deadline_days",
               "deadline_day_kind", "notice_days")
_ACTION_KEYS = ("channel", "document", "attach", "fallback")
_STAGE_KEY_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")


# ----------------------------------------------------------------------------------------
# The checked policy
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Action:
    """One thing a stage does: send ``document`` over ``channel``, with ``attach`` added;
    ``fallback``: the document sent instead when the debt does not fit ``document``'s route."""

    channel: str
    document: str
    attach: tuple[str, ...] = ()
    fallback: str | None = None


@dataclass(frozen=True)
class Stage:
    """One rung of the ladder. Exactly one of ``after_due_days``/``after_previous_days`` is set."""

    key: str
    names: Mapping[str, str]
    enabled: bool = True
    after_due_days: int | None = None
    after_previous_days: int | None = None
    day_kind: str = "calendar"
    min_amount: Mapping[str, Decimal] = field(default_factory=dict)
    actions: tuple[Action, ...] = ()
    approval: bool = False
    wait_days: int = 0
    deadline_days: int | None = None
    deadline_day_kind: str = "calendar"
    notice_days: int | None = None
    description: str = ""
    #: Fires on or before the due date (``after_due_days <= 0``): only while nothing is overdue.
    is_pre_due: bool = field(init=False, compare=False, repr=False, default=False)
    #: Opens a call task: the next stage waits for the call's outcome.
    is_call: bool = field(init=False, compare=False, repr=False, default=False)
    #: Sends a printed letter (plain or registered).
    sends_paper: bool = field(init=False, compare=False, repr=False, default=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "is_pre_due", self.after_due_days is not None and self.after_due_days <= 0)
        object.__setattr__(self, "is_call", any(a.channel == "call_task" for a in self.actions))
        object.__setattr__(self, "sends_paper", any(a.channel in PAPER_CHANNELS for a in self.actions))

    def __hash__(self) -> int:
        return hash((self.key, self.after_due_days, self.after_previous_days))

    def name(self, lang: str) -> str:
        """Display name in ``lang`` ("he" or "en"; English for anything else)."""
        return self.names.get(lang) or self.names["en"]

    def normalized(self) -> dict[str, Any]:
        return {
            "key": self.key, "names": dict(sorted(self.names.items())), "enabled": self.enabled,
            "after_due_days": self.after_due_days, "after_previous_days": self.after_previous_days,
            "day_kind": self.day_kind,
            "min_amount": {c: str(v) for c, v in sorted(self.min_amount.items())},
            # "fallback" only when given, so that a ladder written before it keeps its fingerprint
            "actions": [{"channel": a.channel, "document": a.document, "attach": list(a.attach),
                         **({"fallback": a.fallback} if a.fallback else {})}
                        for a in self.actions],
            "approval": self.approval, "wait_days": self.wait_days,
            "deadline_days": self.deadline_days, "deadline_day_kind": self.deadline_day_kind,
            "notice_days": self.notice_days, "description": self.description,
        }


@dataclass(frozen=True)
class Policy:
    """A checked escalation ladder. Build it with :func:`load_policy`."""

    name: str
    jurisdiction: str
    stages: tuple[Stage, ...]
    start_mode: str = "first_stage"
    min_spacing_days: int = 7
    reply_pause_days: int = 5
    call_attempts: int = 3
    description: str = ""
    not_yet_due: str = DEFAULT_NOT_YET_DUE
    names: Mapping[str, str] = field(default_factory=dict)          # the name per language
    descriptions: Mapping[str, str] = field(default_factory=dict)   # the description per language
    credit_hold: CreditHoldRule | None = None                       # when to suggest a credit hold
    source: str = field(default="", compare=False)
    #: Stable hash of :meth:`normalized` (16 hex digits); computed, also after ``replace()``.
    fingerprint: str = field(init=False, default="", compare=False)
    _index: Mapping[str, int] = field(init=False, default_factory=dict, compare=False, repr=False)
    _pre_due_offset: int | None = field(init=False, default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {s.key: i for i, s in enumerate(self.stages)})
        pre = [s.after_due_days for s in self.stages
               if s.enabled and s.is_pre_due and s.after_due_days is not None]   # is_pre_due: it is
        object.__setattr__(self, "_pre_due_offset", min(pre) if pre else None)
        blob = json.dumps(self.normalized(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        object.__setattr__(self, "fingerprint", hashlib.sha256(blob.encode()).hexdigest()[:16])

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def title(self, lang: str) -> str:
        """The name people read in ``lang``: ``names[lang]``, else ``name``."""
        return self.names.get(lang) or self.name

    def about(self, lang: str) -> str:
        """The description in ``lang``: ``descriptions[lang]``, else ``description``."""
        return self.descriptions.get(lang) or self.description

    def normalized(self) -> dict[str, Any]:
        """The content with every default filled in: what the fingerprint is taken of.
        ``not_yet_due`` appears only when it is not the default, so that a policy written
        before the key existed keeps its fingerprint (and its stored version)."""
        out: dict[str, Any] = {
            "name": self.name, "jurisdiction": self.jurisdiction, "description": self.description,
            "start_mode": self.start_mode, "min_spacing_days": self.min_spacing_days,
            "reply_pause_days": self.reply_pause_days, "call_attempts": self.call_attempts,
            "stages": [s.normalized() for s in self.stages],
        }
        if self.not_yet_due != DEFAULT_NOT_YET_DUE:
            out["not_yet_due"] = self.not_yet_due
        for key in ("names", "descriptions"):     # only when given: older versions keep their fingerprint
            if getattr(self, key):
                out[key] = dict(sorted(getattr(self, key).items()))
        if self.credit_hold is not None:           # likewise
            out["credit_hold"] = self.credit_hold.normalized()
        return out

    def stage(self, key: str) -> Stage:
        try:
            return self.stages[self._index[key]]
        except KeyError:
            raise NotFoundFor("policy_no_stage", f"policy {self.name!r} has no stage {key!r}", policy=self.name,
                              stage=key) from None

    def index_of(self, key: str | None) -> int | None:
        """Position of the stage ``key`` in the ladder, None if unknown (or ``key`` is None)."""
        return None if key is None else self._index.get(key)

    @property
    def pre_due_offset(self) -> int | None:
        """The earliest enabled pre-due trigger (e.g. -3), or None without pre-due stages."""
        return self._pre_due_offset


# ----------------------------------------------------------------------------------------
# Finding the line of a field in the TOML text
# ----------------------------------------------------------------------------------------
_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def _strip_comment(line: str) -> str:
    """The line without a trailing ``# comment`` (a '#' inside a quoted string is kept)."""
    quote = ""
    escaped = False
    for i, ch in enumerate(line):
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\" and quote == '"':
                escaped = True
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return line[:i]
    return line


#: A field's place in the policy: ``("stage", 3, "actions", 1, "channel")``.
Path = tuple[str | int, ...]
#: A TOML table as tomllib reads it.
Table = Mapping[str, Any]


class _Locator:
    """Maps a field path (``("stage", 3, "after_due_days")``) to a 1-based line of the text.

    The text is scanned once for table headers; the n-th ``[[stage]]`` owns every line up to
    the next header that is not one of its sub-tables (``[[stage.actions]]``,
    ``[stage.names]``, …). Inside that range a key is found by ``key =`` (bare or quoted,
    also inside inline tables); an action's field is looked for between the start of that
    action and the start of the next.
    """

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.top_end = len(self.lines)
        self.stage_ranges: list[tuple[int, int]] = []  # (header index, end index exclusive)
        self.tables: dict[str, tuple[int, int]] = {}    # another top-level [table]: its range
        current: int | None = None
        table: str | None = None
        for i, line in enumerate(self.lines):
            m = _HEADER_RE.match(line)
            if not m:
                continue
            name = m.group(2).replace(" ", "").strip("\"'")
            if self.top_end == len(self.lines):
                self.top_end = i
            if table is not None:
                self.tables[table] = (self.tables[table][0], i)
                table = None
            if m.group(1) == "[" and not name.startswith("stage"):
                table = name
                self.tables[name] = (i, len(self.lines))
            if name == "stage" and m.group(1) == "[[":
                if current is not None:
                    self.stage_ranges.append((current, i))
                current = i
            elif name.startswith("stage."):
                continue
            elif current is not None:
                self.stage_ranges.append((current, i))
                current = None
        if current is not None:
            self.stage_ranges.append((current, len(self.lines)))

    def _find(self, key: str, start: int, end: int, occurrence: int = 1) -> int | None:
        pat = re.compile(r"(^|[\s{,.])[\"']?" + re.escape(key) + r"[\"']?\s*=(?!=)"
                         r"|^\s*\[\[?\s*stage\.(\w+\.)*" + re.escape(key) + r"\s*\]")
        seen = 0
        for i in range(start, min(end, len(self.lines))):
            if pat.search(_strip_comment(self.lines[i])):
                seen += 1
                if seen == occurrence:
                    return i + 1
        return None

    def _action_starts(self, start: int, end: int) -> list[int]:
        """0-based lines where each action of the stage begins: ``[[stage.actions]]``
        headers, or the ``{`` of each inline table in the ``actions = [ … ]`` list."""
        heads = [i for i in range(start, end)
                 if re.match(r"^\s*\[\[\s*stage\s*\.\s*actions\s*\]\]", self.lines[i])]
        if heads:
            return heads
        first = self._find("actions", start, end)
        if first is None:
            return []
        out: list[int] = []
        brackets = braces = 0
        seen_equals = False
        for i in range(first - 1, end):
            quote = ""
            for ch in _strip_comment(self.lines[i]):
                if quote:
                    quote = "" if ch == quote else quote
                elif ch in "\"'":
                    quote = ch
                elif not seen_equals:
                    seen_equals = ch == "="
                elif ch == "[":
                    brackets += 1
                elif ch == "]":
                    brackets -= 1
                    if brackets == 0:
                        return out
                elif ch == "{":
                    if braces == 0 and brackets == 1:
                        out.append(i)
                    braces += 1
                elif ch == "}":
                    braces -= 1
        return out

    def line(self, path: Path) -> int | None:
        if not path:
            return None
        if path == ("stage",):
            return self.stage_ranges[0][0] + 1 if self.stage_ranges else None
        if path[0] in self.tables:      # a field of another top-level [table]
            start, end = self.tables[str(path[0])]
            if len(path) == 1:
                return start + 1
            return self._find(str(path[-1]), start, end) or self._find(str(path[1]), start, end) or start + 1
        if path[0] != "stage" or len(path) == 1:
            return self._find(str(path[0]), 0, self.top_end)
        n = path[1]
        if not isinstance(n, int) or not 1 <= n <= len(self.stage_ranges):
            return self._find("stage", 0, len(self.lines))
        start, end = self.stage_ranges[n - 1]
        header = start + 1
        if len(path) == 2:
            return header
        key = path[2]
        if key == "actions" and len(path) >= 4:
            starts = self._action_starts(start, end)
            k = path[3]
            if not isinstance(k, int) or not 1 <= k <= len(starts):
                return self._find("actions", start, end) or header
            a_start = starts[k - 1]
            a_end = starts[k] if k < len(starts) else end
            if len(path) >= 5:
                return self._find(str(path[4]), a_start, a_end) or a_start + 1
            return a_start + 1
        parent = self._find(str(key), start, end)
        if len(path) >= 4 and parent is not None:
            return self._find(str(path[3]), parent - 1, end) or parent
        return parent or header


# ----------------------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------------------
def _field_name(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class _Checker:
    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.locator = _Locator(text)
        self.problems: list[FieldProblem] = []

    def problem(self, path: Path, value: Any, message: str, code: str = "", **params: object) -> None:
        """One problem at ``path``; ``code`` and ``params`` for the edges to word (``problem.<code>``),
        ``message`` the English for logs and tests."""
        shown = "" if value is None else (value if isinstance(value, str) else _toml_repr(value))
        self.problems.append(FieldProblem(self.locator.line(path), _field_name(path), shown,
                                          message, self.source, code=code, params=params))

    def unknown_keys(self, table: Table, allowed: tuple[str, ...], path: Path) -> None:
        for k in table:
            if k not in allowed:
                self.problem(path + (k,), None,
                             f"unknown key {k!r}; allowed here: {', '.join(allowed)}",
                             code="policy_unknown_key", key=k, allowed=allowed)

    def text(self, table: Table, key: str, path: Path, required: bool, default: str = "") -> str:
        if key not in table:
            if required:
                self.problem(path + (key,), None, f"{key!r} is required", code="policy_required", key=key)
            return default
        v = table[key]
        if not isinstance(v, str) or not v.strip():
            self.problem(path + (key,), v, "must be a non-empty text in quotes", code="policy_text")
            return default
        return v.strip()

    def choice(self, table: Table, key: str, path: Path, choices: tuple[str, ...], default: str) -> str:
        if key not in table:
            return default
        v = table[key]
        if v not in choices:
            self.problem(path + (key,), v, f"must be one of: {', '.join(choices)}", code="policy_one_of",
                         choices=choices)
            return default
        return str(v)             # one of the choices: a text

    def flag(self, table: Table, key: str, path: Path, default: bool) -> bool:
        if key not in table:
            return default
        v = table[key]
        if not isinstance(v, bool):
            self.problem(path + (key,), v, "must be true or false", code="policy_true_or_false")
            return default
        return v

    @overload
    def days(self, table: Table, key: str, path: Path, default: int, minimum: int = 0) -> int: ...

    @overload
    def days(self, table: Table, key: str, path: Path, default: int | None, minimum: int = 0) -> int | None: ...

    def days(self, table: Table, key: str, path: Path, default: int | None,
             minimum: int = 0) -> int | None:
        if key not in table:
            return default
        v = table[key]
        if isinstance(v, bool) or not isinstance(v, int):
            self.problem(path + (key,), v, "must be a whole number of days", code="policy_whole_days")
            return default
        if v < minimum:
            self.problem(path + (key,), v,
                         "must not be negative" if minimum == 0 else f"must be at least {minimum}",
                         code="policy_not_negative" if minimum == 0 else "policy_at_least", least=minimum)
            return default
        if abs(v) > _MAX_DAYS:
            self.problem(path + (key,), v, f"must be within {_MAX_DAYS} days", code="policy_days_within",
                         most=_MAX_DAYS)
            return default
        return v


def _toml_repr(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _check_stage(ck: _Checker, raw: Any, n: int) -> Stage | None:
    path = ("stage", n)
    if not isinstance(raw, dict):
        ck.problem(path, None, "each stage must be a [[stage]] table", code="policy_stage_table")
        return None
    ck.unknown_keys(raw, _STAGE_KEYS, path)
    key = ck.text(raw, "key", path, required=True)
    if key and not _STAGE_KEY_RE.fullmatch(key):
        ck.problem(path + ("key",), key,
                   "use lower-case letters, digits and '_' (starting with a letter), up to 40",
                   code="policy_stage_key")
    names = _check_names(ck, raw, path)
    enabled = ck.flag(raw, "enabled", path, True)
    after_due = ck.days(raw, "after_due_days", path, None, minimum=-_MAX_DAYS)
    after_prev = ck.days(raw, "after_previous_days", path, None)
    if "after_due_days" in raw and "after_previous_days" in raw:
        ck.problem(path + ("after_previous_days",), raw["after_previous_days"],
                   "give either after_due_days or after_previous_days, not both", code="policy_both_triggers")
    elif "after_due_days" not in raw and "after_previous_days" not in raw:
        ck.problem(path, None, "a stage needs a trigger: after_due_days = N or after_previous_days = N",
                   code="policy_stage_trigger")
    day_kind = ck.choice(raw, "day_kind", path, DAY_KINDS, "calendar")
    min_amount = _check_min_amount(ck, raw.get("min_amount", {}), path + ("min_amount",))
    actions = _check_actions(ck, raw.get("actions", []), path + ("actions",))
    approval = ck.flag(raw, "approval", path, False)
    wait_days = ck.days(raw, "wait_days", path, 0)
    sends_warning = any(a.document in DEADLINE_DOCUMENTS for a in actions)
    deadline_days = ck.days(raw, "deadline_days", path, DEFAULT_DEADLINE_DAYS if sends_warning else None)
    deadline_day_kind = ck.choice(raw, "deadline_day_kind", path, DAY_KINDS, "calendar")
    if "deadline_day_kind" in raw and deadline_days is None:
        ck.problem(path + ("deadline_day_kind",), raw["deadline_day_kind"],
                   "has no effect without deadline_days", code="policy_needs_deadline")
    notice_days = ck.days(raw, "notice_days", path, None)
    description = ck.text(raw, "description", path, required=False)
    if not key:
        return None
    return Stage(key=key, names=names or {"he": key, "en": key}, enabled=enabled,
                 after_due_days=after_due, after_previous_days=after_prev, day_kind=day_kind,
                 min_amount=min_amount, actions=tuple(actions), approval=approval,
                 wait_days=wait_days or 0, deadline_days=deadline_days,
                 deadline_day_kind=deadline_day_kind, notice_days=notice_days,
                 description=description)


def _check_names(ck: _Checker, raw: Table, path: Path) -> dict[str, str]:
    """The stage's name in every language (``names = { he = "…", en = "…" }``)."""
    return _check_languages(ck, raw, "names", path, required=True)


def _check_languages(ck: _Checker, raw: Table, key: str, path: Path, required: bool) -> dict[str, str]:
    """A text in every language (``key = { he = "…", en = "…" }``): when given, both are needed."""
    names: dict[str, str] = {}
    raw_names = raw.get(key)
    if raw_names is None:
        if required:
            ck.problem(path + (key,), None, f"'{key}' is required: {key} = {{ he = \"…\", en = \"…\" }}",
                       code="policy_languages_required", key=key)
    elif not isinstance(raw_names, dict):
        ck.problem(path + (key,), raw_names, "must be a table: { he = \"…\", en = \"…\" }",
                   code="policy_languages_table")
    else:
        ck.unknown_keys(raw_names, LANGUAGES, path + (key,))
        for lang in LANGUAGES:
            names[lang] = ck.text(raw_names, lang, path + (key,), required=True)
    return names


def _check_min_amount(ck: _Checker, raw_min: Any, path: Path) -> dict[str, Decimal]:
    """The least overdue amount per currency for the stage to fire (``{ ILS = "100" }``)."""
    min_amount: dict[str, Decimal] = {}
    if not isinstance(raw_min, dict):
        ck.problem(path, raw_min, 'must be a table: { ILS = "100" }', code="policy_min_amount_table")
        return min_amount
    for cur, amount in raw_min.items():
        p = path + (cur,)
        if not is_currency(cur):
            ck.problem(p, cur, "unknown currency; use an ISO 4217 code such as ILS, GBP, EUR, USD",
                       code="policy_unknown_currency")
            continue
        if isinstance(amount, float) or isinstance(amount, bool) or not isinstance(amount, (str, int)):
            ck.problem(p, amount, 'write the amount as a string, e.g. "100"', code="policy_amount_as_text")
            continue
        try:
            value = Money.of(parse_amount(str(amount)), cur).amount
        except GviaError:
            ck.problem(p, amount, "not an amount", code="policy_not_amount")
            continue
        if value < 0:
            ck.problem(p, amount, "must not be negative", code="policy_not_negative")
            continue
        min_amount[cur] = value
    return min_amount


def _check_credit_hold(ck: _Checker, raw: Any) -> CreditHoldRule | None:
    """The ``[credit_hold]`` table: ``after_days`` (required, at least 1) and ``above``."""
    if raw is None:
        return None
    path: Path = ("credit_hold",)
    if not isinstance(raw, dict):
        ck.problem(path, raw, "must be a table: [credit_hold]", code="policy_credit_hold_table")
        return None
    ck.unknown_keys(raw, _CREDIT_HOLD_KEYS, path)
    if "after_days" not in raw:
        ck.problem(path + ("after_days",), None, "'after_days' is required", code="policy_required",
                   key="after_days")
        return None
    after = ck.days(raw, "after_days", path, None, minimum=1)
    above = _check_min_amount(ck, raw["above"], path + ("above",)) if "above" in raw else {}
    return None if after is None else CreditHoldRule(after, above)


def _check_actions(ck: _Checker, raw_actions: Any, path: Path) -> list[Action]:
    """The stage's actions, at most one per channel; an action with a problem is left out."""
    if not isinstance(raw_actions, list):
        ck.problem(path, None, "must be a list of { channel = …, document = … }", code="policy_actions_list")
        return []
    actions: list[Action] = []
    seen_channels: set[str] = set()
    for k, ra in enumerate(raw_actions, start=1):
        action = _check_action(ck, ra, path + (k,), seen_channels)
        if action is not None:
            actions.append(action)
    return actions


def _check_action(ck: _Checker, ra: Any, ap: Path, seen_channels: set[str]) -> Action | None:
    if not isinstance(ra, dict):
        ck.problem(ap, None, "each action must be a table { channel = …, document = … }",
                   code="policy_action_table")
        return None
    ck.unknown_keys(ra, _ACTION_KEYS, ap)
    channel = ra.get("channel")
    document = ra.get("document")
    ok = True
    if channel not in CHANNELS:
        ck.problem(ap + ("channel",), channel,
                   ("'channel' is required; " if channel is None else "unknown channel; ")
                   + f"use one of: {', '.join(CHANNELS)}",
                   code="policy_channel_required" if channel is None else "policy_unknown_channel", channels=CHANNELS)
        ok = False
    elif channel in seen_channels:
        ck.problem(ap + ("channel",), channel,
                   "this stage already has an action on this channel; add documents with 'attach'",
                   code="policy_channel_twice")
        ok = False
    else:
        seen_channels.add(channel)
    if document not in DOCUMENTS:
        ck.problem(ap + ("document",), document,
                   ("'document' is required; " if document is None else "unknown document; ")
                   + f"use one of: {', '.join(DOCUMENTS)}",
                   code="policy_document_required" if document is None else "policy_unknown_document",
                   documents=DOCUMENTS)
        ok = False
    elif document == "debt_notice" and channel in CHANNELS and channel not in NOTICE_CHANNELS:
        # Israel's consumer debt notice is a written notice of its own (gvia.core.debt_notice)
        ck.problem(ap + ("channel",), channel, f"a debt notice is sent by one of: {', '.join(NOTICE_CHANNELS)}",
                   code="policy_debt_notice_channel", channels=NOTICE_CHANNELS)
        ok = False
    attach_raw = ra.get("attach", [])
    attach: list[str] = []
    if not isinstance(attach_raw, list):
        ck.problem(ap + ("attach",), None, 'must be a list, e.g. ["statement"]', code="policy_attach_list")
        ok = False
    else:
        for doc in attach_raw:
            if doc not in DOCUMENTS:
                ck.problem(ap + ("attach",), doc, f"unknown document; use one of: {', '.join(DOCUMENTS)}",
                           code="policy_unknown_document", documents=DOCUMENTS)
                ok = False
            else:
                attach.append(doc)
    fallback = ra.get("fallback")
    if fallback is not None:
        if fallback not in DOCUMENTS:
            ck.problem(ap + ("fallback",), fallback, f"unknown document; use one of: {', '.join(DOCUMENTS)}",
                       code="policy_unknown_document", documents=DOCUMENTS)
            ok = False
        elif document not in ROUTED_DOCUMENTS:
            ck.problem(ap + ("fallback",), fallback,
                       f"only {', '.join(sorted(ROUTED_DOCUMENTS))} is tested against its route and may "
                       "fall back to another document", code="policy_fallback_not_routed",
                       routed=tuple(sorted(ROUTED_DOCUMENTS)))
            ok = False
        elif fallback == document:
            ck.problem(ap + ("fallback",), fallback, "must be another document than 'document'",
                       code="policy_fallback_same")
            ok = False
    if not ok:
        return None
    # checked above: from CHANNELS, DOCUMENTS
    return Action(str(channel), str(document), tuple(attach), str(fallback) if fallback else None)


def load_policy(text: str, source: str = "<policy>") -> Policy:
    """Parse and check a policy text; raise ValidationFailed naming line and field of each problem."""
    ck = _Checker(text, source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ValidationFailed([FieldProblem(int(m.group(1)) if m else None, "", "",
                                             f"not valid TOML: {exc}", source, code="policy_not_toml")],
                               f"policy {source}: not valid TOML", code="policy_not_toml", policy=source) from None

    ck.unknown_keys(data, _TOP_KEYS, ())
    name = ck.text(data, "name", (), required=True)
    jurisdiction = ck.text(data, "jurisdiction", (), required=True)
    if jurisdiction and not re.fullmatch(r"[A-Z]{2}", jurisdiction):
        ck.problem(("jurisdiction",), jurisdiction, 'use a two-letter code such as "IL", "GB", "US", "EU"',
                   code="policy_jurisdiction")
    description = ck.text(data, "description", (), required=False)
    names = _check_languages(ck, data, "names", (), required=False)
    descriptions = _check_languages(ck, data, "descriptions", (), required=False)
    start_mode = ck.choice(data, "start_mode", (), START_MODES, "first_stage")
    min_spacing = ck.days(data, "min_spacing_days", (), 7)
    reply_pause = ck.days(data, "reply_pause_days", (), 5)
    call_attempts = ck.days(data, "call_attempts", (), 3, minimum=1)
    not_yet_due = ck.choice(data, "not_yet_due", (), NOT_YET_DUE_MODES, DEFAULT_NOT_YET_DUE)
    credit_hold = _check_credit_hold(ck, data.get("credit_hold"))

    stages: list[Stage] = []
    raw_stages = data.get("stage")
    if raw_stages is None:
        ck.problem(("stage",), None, "a policy needs at least one [[stage]]", code="policy_no_stage")
        raw_stages = []
    elif not isinstance(raw_stages, list):
        ck.problem(("stage",), None, "write stages as [[stage]] tables (double brackets)",
                   code="policy_stage_brackets")
        raw_stages = []
    seen_keys: dict[str, int] = {}
    last_due: tuple[int, int] | None = None  # (after_due_days, stage number)
    deadline_seen = False
    for n, raw in enumerate(raw_stages, start=1):
        st = _check_stage(ck, raw, n)
        if st is None:
            continue
        if st.key in seen_keys:
            ck.problem(("stage", n, "key"), st.key, f"duplicate stage key; already used by stage[{seen_keys[st.key]}]",
                       code="policy_duplicate_key", other=str(seen_keys[st.key]))
        else:
            seen_keys[st.key] = n
        if st.after_due_days is not None:
            if last_due is not None and st.after_due_days <= last_due[0]:
                ck.problem(("stage", n, "after_due_days"), st.after_due_days,
                           f"stages must be written in the order they fire: stage[{last_due[1]}] "
                           f"already fires at {last_due[0]} days past due", code="policy_stage_order",
                           stage=last_due[1], days=last_due[0])
            last_due = (st.after_due_days, n)
        if st.notice_days is not None and not deadline_seen:
            ck.problem(("stage", n, "notice_days"), st.notice_days,
                       "counts from the posting of a warning: put it after an enabled stage "
                       "that sends one (with a deadline)", code="policy_notice_before_warning")
        if st.deadline_days is not None and st.enabled:
            deadline_seen = True
        stages.append(st)
    if stages and not any(s.enabled for s in stages):
        ck.problem(("stage",), None, "every stage is disabled; enable at least one", code="policy_all_disabled")
    if ck.problems:
        raise ValidationFailed(ck.problems, f"policy {source}: {len(ck.problems)} problem(s); not loaded",
                               code="policy_not_loaded", policy=source)
    return Policy(name=name, jurisdiction=jurisdiction, stages=tuple(stages), start_mode=start_mode,
                  min_spacing_days=min_spacing, reply_pause_days=reply_pause,
                  call_attempts=call_attempts, description=description, not_yet_due=not_yet_due,
                  names=names, descriptions=descriptions, credit_hold=credit_hold, source=source)
