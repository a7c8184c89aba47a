"""Documents built from the database: what goes into a letter or statement (:mod:`.content`),
the case file for a lawyer (:mod:`.casefile`), the day's paper letters (:mod:`.print_batch`) and a
letter on demand (:mod:`.on_demand`: its PDF, or sent through the outbox's approval).
Rendering itself is :mod:`gvia.documents`, which knows no database."""
