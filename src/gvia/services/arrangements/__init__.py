"""Arrangements with a customer: :mod:`.promises`, :mod:`.plans`, :mod:`.settlements`,
:mod:`.disputes` and :mod:`.writeoffs`; their daily check (:mod:`.daily`); what they share —
the organization's limits (:mod:`.limits`), amounts and days typed by a person
(:mod:`.typed`), the money they count (:mod:`.paid`); and :mod:`.describe` for explanations."""
