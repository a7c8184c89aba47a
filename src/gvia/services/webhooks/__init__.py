"""Webhooks (issue 18): other programs told of what happens in gvia, signed, at least once.

* ``endpoints.py`` — the addresses an owner adds (``gvia webhook add URL``; the signing secret
  shown once and stored sealed), lists, removes; the delivery log; a given-up delivery tried again.
* ``events.py`` — :func:`~gvia.services.webhooks.events.emit`, called by the services where a fact
  happens (a promise recorded, a dispute opened, a case's stage changed, a message failed, a bank
  line matched), in the same transaction: one event per fact, a delivery per endpoint that wants it.
* ``delivery.py`` — the worker's :func:`~gvia.services.webhooks.delivery.deliver_due`: POST each due
  delivery, signed (:mod:`gvia.core.webhooks`), tried again with backoff until a 2xx answer.
"""
