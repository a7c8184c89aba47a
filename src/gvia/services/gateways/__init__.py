"""Paying from the message through a payment gateway (issue 16).

- :mod:`.accounts` — the organization's gateway credentials: set (secrets sealed), shown masked,
  read for use (stored, else the environment's ``GVIA_GATEWAY_<NAME>_<FIELD>``);
- :mod:`.checkout` — whether the organization can take card payments (``available``) and a
  gateway's payment page for chosen invoices (``start_checkout``);
- :mod:`.notify` — a gateway's notification, checked as the gateway documents it, recorded as the
  customer's payment exactly once (by the gateway's transaction id), every one logged.

The adapters themselves (HTTP, signatures) are ``gvia.gateways``.
"""
