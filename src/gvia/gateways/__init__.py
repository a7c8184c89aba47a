"""Payment gateways: how a customer pays an invoice by card from gvia's link (issue 16).

One module per gateway, each an :class:`~gvia.gateways.base.Adapter` built from the gateway's
published API documentation (named in the module's docstring):

- :mod:`.grow` — Grow (formerly Meshulam), the Light API's payment process;
- :mod:`.stripe` — Stripe Checkout Sessions and signed webhooks, for businesses abroad.

An adapter does two things over HTTP and nothing else: it creates a payment page for an amount
in minor units, a currency and the case's payment reference (:meth:`Adapter.create`), and it
checks a notification the gateway sends back (:meth:`Adapter.verify`: the signature, or the
gateway's own confirmation where the gateway signs nothing), giving a :class:`~.base.Notice`.
Adapters know no database and no Django: the services (``gvia.services.gateways``) keep the
credentials, the checkouts and the payments. A refusal is a coded
:class:`~gvia.core.errors.RefusedFor` (``gateway_*``), never an English sentence.

Gateways whose documentation was not found in stored copies are left out (see
``docs/architecture.md``): Tranzila's payment-request notification and Cardcom's Low Profile page.
"""

from __future__ import annotations

from gvia.gateways.base import Adapter

__all__ = ["Adapter", "adapter", "NAMES"]

#: The gateways gvia can use, by the name stored on an account.
NAMES = ("grow", "stripe")


def adapter(name: str) -> Adapter:
    """The adapter of gateway ``name`` (one of :data:`NAMES`)."""
    from gvia.core.errors import RefusedFor

    if name == "grow":
        from gvia.gateways.grow import Grow
        return Grow()
    if name == "stripe":
        from gvia.gateways.stripe import Stripe
        return Stripe()
    raise RefusedFor("gateway_unknown", f"no gateway {name!r}", name=name)
