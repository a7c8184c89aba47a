"""The escalation engine and the collector's day.

:mod:`.policies` (load, version and assign ladders), :mod:`.daily_run` (snapshot → decide →
apply, and ``explain``), :mod:`.cases` (case state changed from outside the run),
:mod:`.approvals`, :mod:`.rejections` (after a rejected message: a person's choice),
:mod:`.holds` (messages held for details), :mod:`.pauses` (every Pause row: by hand, and those arrangements open),
:mod:`.calls`, :mod:`.activities` (the customer's timeline), :mod:`.worklist` (today's work),
:mod:`.signals` (early-warning signals and the risk score, by the rules of
:mod:`gvia.core.signals`; the customers at risk) and :mod:`.worker` (the daily run at its time, then
the outbox)."""
