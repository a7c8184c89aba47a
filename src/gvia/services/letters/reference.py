"""The payment reference of a customer's case: one per case (the customer's reference and the
collection cycle, "C-1042-3"), printed on every document of that case — the registered letter
and its e-mail copy, the statement they attach, the case file — so the customer quotes one
reference whatever they received. A message outside any case (a reminder sent by hand while
no cycle runs) has the reference of the case it would open next, never a number of its own."""

from __future__ import annotations

from gvia.store.models import Case, Customer, OutboxMessage

__all__ = ["payment_reference", "message_reference", "customer_reference"]


def payment_reference(customer_ref: str, cycle: int) -> str:
    """The reference of cycle ``cycle`` of the customer's case."""
    return f"{customer_ref}-{max(cycle, 1)}"


def message_reference(msg: OutboxMessage, customer: Customer) -> str:
    """The reference a message's documents carry: its case cycle's (a message the ladder planned
    carries its cycle; one sent by hand, the customer's current or next cycle)."""
    cycle = msg.cycle
    if not msg.stage_key or not cycle:
        return customer_reference(customer)
    return payment_reference(customer.ref, cycle)


def customer_reference(customer: Customer) -> str:
    """The reference of the customer's current case, or of the one it would open next (a payment
    made outside any message: the customer's page, a gateway's payment page)."""
    case = Case.objects.filter(customer=customer).values_list("cycle", "active").first()
    cycle = (case[0] if case[1] else case[0] + 1) if case else 1
    return payment_reference(customer.ref, cycle)
