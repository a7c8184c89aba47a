"""What every text adapter takes and gives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from gvia.channels.sms.http import Checkpoint, Request


@dataclass(frozen=True)
class TextOut:
    """One text to one number. ``to`` is E.164 (``+972501234567``); ``reference`` is gvia's own
    id of the message (the provider echoes it in delivery reports where it can). A WhatsApp
    message is a pre-approved ``template`` in ``template_language`` with ``params`` for its body's
    {{1}}, {{2}}…; ``text`` is what an SMS says (and, for WhatsApp, what the template says, kept
    as proof)."""

    to: str
    text: str
    reference: str
    template: str = ""
    template_language: str = ""
    params: tuple[str, ...] = ()
    status_callback: str = ""


@dataclass(frozen=True)
class Prepared:
    request: Request
    proof: bytes                # what the provider gets, without the credentials


@dataclass(frozen=True)
class Sent:
    provider_id: str            # the provider's id of the message (its delivery reports name it)
    reply: str                  # the provider's reply, as proof


@dataclass(frozen=True)
class ProviderEvent:
    """What a webhook call said: a reply from a number, a delivery report of a message, or an
    opt-out the provider recorded."""

    kind: str                   # "inbound" | "status"
    provider_id: str
    phone: str = ""             # E.164 when known
    text: str = ""
    status: str = ""            # delivered | failed | sent | read | …  (status), "" (inbound)
    error: str = ""
    opted_out: bool = False     # the provider says the number opted out (e.g. Twilio's OptOutType)
    data: dict = field(default_factory=dict)


class TextSender(Protocol):
    provider: str

    def prepare(self, out: TextOut) -> Prepared: ...

    def send(self, prepared: Prepared, checkpoint: Checkpoint) -> Sent: ...

    def close(self) -> None: ...


def proof_of(request: Request) -> bytes:
    """The request as the provider gets it, its credential headers left out."""
    head = f"{request.method} {request.url}\n" + "".join(f"{k}: {v}\n" for k, v in request.headers.items())
    return head.encode() + b"\n" + request.body + b"\n"
