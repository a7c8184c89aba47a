"""Payment gateways: how a customer pays an invoice by card from gvia's link (issue 16).

One module per gateway, each an :class:`~gvia.gateways.base.Adapter` built from the gateway's
published API documentation (named in the module's docstring):

- :mod:`.grow` — Grow (formerly Meshulam), the Light API's payment process;
- :mod:`.cardcom` — Cardcom's hosted Low Profile page (API 10), confirmed by Cardcom's indicator;
- :mod:`.stripe` — Stripe Checkout Sessions and signed webhooks, for businesses abroad.

An adapter does two things over HTTP and nothing else: it creates a payment page for an amount
in minor units, a currency and the case's payment reference (:meth:`Adapter.create`), and it
checks a notification the gateway sends back (:meth:`Adapter.verify`: the signature, or the
gateway's own confirmation where the gateway signs nothing), giving a :class:`~.base.Notice`.
Adapters know no database and no Django: the services (``gvia.services.gateways``) keep the
credentials, the checkouts and the payments. A refusal is a coded
:class:`~gvia.core.errors.RefusedFor` (``gateway_*``), never an English sentence.

Left out: Tranzila. Its payment request (``api.tranzila.com/v1/pr/create``) and its signed API
headers are documented in stored copies, but not the notification a paid request sends nor a
documented way to ask Tranzila about one, so a payment could not be checked as documented.
"""

from __future__ import annotations

from gvia.gateways.base import Adapter

__all__ = ["Adapter", "adapter", "NAMES"]

#: The gateways gvia can use, by the name stored on an account.
NAMES = ("grow", "cardcom", "stripe")


def adapter(name: str) -> Adapter:
    """The adapter of gateway ``name`` (one of :data:`NAMES`)."""
    from gvia.core.errors import RefusedFor

    if name == "grow":
        from gvia.gateways.grow import Grow
        return Grow()
    if name == "cardcom":
        from gvia.gateways.cardcom import Cardcom
        return Cardcom()
    if name == "stripe":
        from gvia.gateways.stripe import Stripe
        return Stripe()
    raise RefusedFor("gateway_unknown", f"no gateway {name!r}", name=name)
