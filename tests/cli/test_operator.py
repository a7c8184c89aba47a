"""`gvia operator create` (issue 14, finding 1): the Django admin's only users, never members of
an organization; `gvia init` makes owners, never staff."""

from __future__ import annotations

import sqlite3


def users(tmp_path) -> dict:
    con = sqlite3.connect(tmp_path / "gvia.db")
    try:
        return {email: (bool(staff), bool(superuser), members) for email, staff, superuser, members in con.execute(
            "select u.email, u.is_staff, u.is_superuser, count(m.id) from auth_user u "
            "left join gvia_membership m on m.user_id = u.id group by u.id")}
    finally:
        con.close()


def test_operator_create_and_init_never_mix(gvia_org, tmp_path):
    r = gvia_org("operator", "create", "Ops@Install.test", "--password", "a-long-operator-pass-1")
    assert r.code == 0, r.err
    assert "ops@install.test" in r.out and "GVIA_ADMIN=1" in r.out
    assert users(tmp_path) == {"owner@demo.co.il": (False, False, 1), "ops@install.test": (True, True, 0)}
    # a member cannot be made an operator, nor an operator an owner
    r = gvia_org("operator", "create", "owner@demo.co.il", "--password", "a-long-operator-pass-1")
    assert r.code == 1 and "member of an organization" in r.err
    r = gvia_org("init", "--org", "Ops Ltd", "--admin-email", "ops@install.test", "--admin-password",
                 "Gvia-test-2026!")
    assert r.code == 1 and "operator" in r.err
    assert users(tmp_path)["ops@install.test"] == (True, True, 0)


def test_operator_create_needs_a_password_and_a_long_one(gvia_org):
    r = gvia_org("operator", "create", "ops@install.test")
    assert r.code == 2 and "--password" in r.err
    r = gvia_org("operator", "create", "ops@install.test", "--password", "short")
    assert r.code == 1 and "12 characters" in r.err
