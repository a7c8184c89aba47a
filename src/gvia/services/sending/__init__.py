"""What leaves gvia: :mod:`.compose` (an outbox message → the e-mail or the letter's PDF),
:mod:`.dispatch` (sending exactly once or visibly uncertain), :mod:`.outbox` (the outbox as
people see it), :mod:`.window` (when an organization may send) and :mod:`.mailconfig`
(where e-mail goes)."""
