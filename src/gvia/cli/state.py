"""Options every command takes (--db, --org, --as) and the acting context built from them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Globals:
    db: str | None = None
    org: str | None = None
    as_user: str | None = None


GLOBALS = Globals()
GLOBAL_FLAGS = {"--db": "db", "--org": "org", "--as": "as_user"}


def split_globals(argv: list[str]) -> tuple[list[str], dict[str, str]]:
    """Take --db/--org/--as out of argv wherever they stand (before or after the command)."""
    rest: list[str] = []
    found: dict[str, str] = {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest.extend(argv[i:])
            break
        name, eq, value = arg.partition("=")
        if name in GLOBAL_FLAGS:
            if eq:
                found[GLOBAL_FLAGS[name]] = value
            elif i + 1 < len(argv):
                found[GLOBAL_FLAGS[name]] = argv[i + 1]
                i += 1
            else:
                rest.append(arg)  # let the parser report the missing value
            i += 1
            continue
        rest.append(arg)
        i += 1
    return rest, found


def context():
    """Set up Django for this command and return the acting Ctx."""
    from .bootstrap import setup_django

    setup_django(GLOBALS.db)
    from gvia.services.context import resolve

    return resolve(GLOBALS.org, GLOBALS.as_user)
