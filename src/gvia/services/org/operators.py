"""Operators: the people who run a gvia installation, apart from every organization.

An operator may sign in to the Django admin (only when ``GVIA_ADMIN=1``, see
:mod:`gvia.store.admin`), which reads every organization's records. So the two kinds of user
never mix: an operator is made only by :func:`create_operator` (``gvia operator create``) and is
never a member of an organization, and a member of an organization is never an operator —
:func:`gvia.services.org.organizations.add_member` and ``init_organization`` refuse an
operator's address, and this refuses a member's. Staff and superuser rights mean "operator"
and nothing else; gvia's own pages never look at them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction

from gvia.core.errors import RefusedFor
from gvia.services import clock
from gvia.store.models import AuditRecord, Membership

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 12


def is_operator(user) -> bool:
    """An active staff user who belongs to no organization (a member is never an operator, even
    when an old database still marks them staff)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not (user.is_active and user.is_staff):
        return False
    return not Membership.objects.filter(user_id=user.pk).exists()


def refuse_operator(email: str) -> None:
    """Refuse to make ``email`` a member of an organization when it is an operator's."""
    user = get_user_model().objects.filter(email__iexact=(email or "").strip()).first()
    if user is not None and (user.is_staff or user.is_superuser):
        raise RefusedFor("operator_not_member", f"{user.email} is an operator", email=user.email)


@transaction.atomic
def create_operator(email: str, password: str) -> User:
    """A new operator with ``email`` and ``password``. Refuses an address that is already a
    user's (a member of an organization, or an operator), changing nothing."""
    email = (email or "").strip().lower()
    if not _EMAIL.match(email):
        raise RefusedFor("not_an_email", f"{email!r} is not an e-mail address", value=email or "")
    if len(password or "") < MIN_PASSWORD:
        raise RefusedFor("operator_password_short", "the password is short", most=MIN_PASSWORD)
    User = get_user_model()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if Membership.objects.filter(user=existing).exists():
            raise RefusedFor("operator_is_member", f"{email} is a member", email=email)
        raise RefusedFor("already_user", f"{email} is a user", email=email)
    user = User.objects.create_user(username=email, email=email, password=password)
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    # no organization's record: the installation's own
    AuditRecord.objects.create(organization=None, user=None, actor="system", action="operator.created",
                               object_type="user", object_id=str(user.pk), details={"email": email},
                               at=clock.now_utc())
    return user
