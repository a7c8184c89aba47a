"""Secrets kept in the database sealed (encrypted and authenticated) with this installation's
secret key (``settings.SECRET_KEY``: GVIA_SECRET_KEY or var/secret_key), so that a backup, an
export of the organization's settings or a look at the database does not show them.

A sealed value reads ``sealed:v1:<Fernet token>``. A value stored before sealing existed is
read as it is and sealed the next time it is set.
"""

from __future__ import annotations

import base64
import hashlib

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
