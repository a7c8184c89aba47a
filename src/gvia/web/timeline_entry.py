"""One line of a customer's timeline, as every timeline provider builds it (the customer's own
records in :mod:`gvia.web.timeline`, the collection case's in :mod:`gvia.web.case_timeline`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from gvia.core.money import Money


@dataclass(frozen=True)
class Entry:
    day: date                       # the business date it happened
    kind: str                       # i18n key suffix and CSS class: "invoice", "payment", ...
    params: dict = field(default_factory=dict)
    at: datetime | None = None      # the moment, when known (aware, UTC)
    url: str = ""
    actor: str = ""
    amount: Money | None = None
    tone: str = ""                  # "", "good", "bad": how the entry is marked
    detail: str = ""                # a second line as the record has it (e.g. a note's text)

    @property
    def sort_key(self) -> tuple:
        return (self.day, self.at or datetime.combine(self.day, time.min, tzinfo=timezone.utc))
