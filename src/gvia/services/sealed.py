"""Secrets kept in the database sealed (encrypted and authenticated) with this installation's
secret key (``settings.SECRET_KEY``: GVIA_SECRET_KEY or var/secret_key), so that a backup, an
export of the organization's settings or a look at the database does not show them.

A sealed value reads ``sealed:v1:<Fernet token>``. A value stored before sealing existed is
read as it is and sealed the next time it is set.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Mapping

from django.conf import settings

from gvia.core.errors import RefusedFor

PREFIX = "sealed:v1:"


def _fernet():
    from cryptography.fernet import Fernet

    key = hashlib.sha256(b"gvia sealed settings\0" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(text: str) -> str:
    """``text`` sealed for storage; the empty text stays empty."""
    if not text:
        return ""
    return PREFIX + _fernet().encrypt(text.encode()).decode("ascii")


def unseal(stored: str | None, what: str = "the value") -> str:
    """The text of a stored value. Raises Refused when it was sealed with another secret key
    (e.g. a backup restored on another installation): the user must enter it again."""
    if not stored or not stored.startswith(PREFIX):
        return stored or ""
    from cryptography.fernet import InvalidToken

    try:
        return _fernet().decrypt(stored[len(PREFIX):].encode("ascii")).decode()
    except (InvalidToken, ValueError):
        raise RefusedFor("sealed_other_key", f"{what} was sealed with another secret key than this installation's "
                         "(GVIA_SECRET_KEY or var/secret_key); set it again") from None


def unseal_fields(stored: str | None, what: str) -> dict[str, str]:
    """The secret fields kept as one sealed JSON object (empty: none)."""
    text = unseal(stored, what)
    return dict(json.loads(text)) if text else {}


def set_fields(plain: dict[str, str], stored_secrets: str | None, secret: Mapping[str, bool],
               values: Mapping[str, str], what: str) -> tuple[dict[str, str], str]:
    """An account's credentials after ``values`` (field → text; an empty text clears the field):
    the plain fields, and the secret ones (``secret[field]``) as one sealed JSON text. The one home
    of how gateways' and invoicing services' credentials are stored."""
    plain, hidden = dict(plain), unseal_fields(stored_secrets, what)
    for key, text in values.items():
        target = hidden if secret[key] else plain
        if str(text).strip():
            target[key] = str(text).strip()
        else:
            target.pop(key, None)
    return plain, seal(json.dumps(hidden)) if hidden else ""
