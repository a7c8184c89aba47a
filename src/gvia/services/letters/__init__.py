"""Documents built from the database: what goes into a letter or statement (:mod:`.content`),
the case file for a lawyer (:mod:`.casefile`) and the day's paper letters (:mod:`.print_batch`).
Rendering itself is :mod:`gvia.documents`, which knows no database."""
