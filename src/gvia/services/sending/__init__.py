"""What leaves gvia: :mod:`.compose` (an outbox message → the e-mail or the letter's PDF),
:mod:`.dispatch` (sending exactly once or visibly uncertain), :mod:`.outbox` (the outbox as
people see it), :mod:`.window` (when an organization may send), :mod:`.mailconfig` (where
e-mail goes), :mod:`.texts` (SMS and WhatsApp: the provider, the number, the short text,
opt-outs and what the providers report) and :mod:`.journal` (the outbox's record outside the
database)."""
