"""Options every command takes (--db, --org, --as, --lang) and the acting context built from them.

The services and the store are imported inside :func:`context` and :func:`speak`: they need
django.setup(), which :func:`context` does first."""

from __future__ import annotations

from dataclasses import dataclass

from .bootstrap import setup_django
from .words import in_zone, use


@dataclass
class Globals:
    db: str | None = None
    org: str | None = None
    as_user: str | None = None
    lang: str | None = None


GLOBALS = Globals()
GLOBAL_FLAGS = {"--db": "db", "--org": "org", "--as": "as_user", "--lang": "lang"}
# Commands with a --lang of their own (the language of the document, explanation, stage names or
# demo business they make): a --lang after their name is theirs; the language gvia speaks is then
# given before the command's name (gvia --lang he letter 1001 --lang en ...).
OWN_LANG = {("letter",), ("casefile",), ("explain",), ("policy", "show"), ("demo",)}


def _command_has_own_lang(words: list[str]) -> bool:
    named = [w for w in words[:2] if not w.startswith("-")]
    return tuple(named[:1]) in OWN_LANG or tuple(named[:2]) in OWN_LANG


def split_globals(argv: list[str]) -> tuple[list[str], dict[str, str]]:
    """Take --db/--org/--as/--lang out of argv wherever they stand (before or after the command;
    see OWN_LANG for the one exception)."""
    rest: list[str] = []
    found: dict[str, str] = {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest.extend(argv[i:])
            break
        name, eq, value = arg.partition("=")
        if name in GLOBAL_FLAGS and not (name == "--lang" and _command_has_own_lang(rest)):
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
    """Set up Django for this command and return the acting Ctx; from here gvia speaks the
    acting user's language (unless --lang said otherwise)."""
    setup_django(GLOBALS.db)
    from gvia.services.context import resolve

    ctx = resolve(GLOBALS.org, GLOBALS.as_user)
    speak(ctx)
    in_zone(ctx.org.time_zone)
    return ctx


def speak(ctx=None) -> str:
    """Choose the language gvia speaks: --lang, else the acting user's (their own choice, else
    their organization's default), else English."""
    if GLOBALS.lang or ctx is None or getattr(ctx, "user", None) is None:
        return use(GLOBALS.lang)
    from gvia.store.models import Membership

    own = (Membership.objects.filter(user=ctx.user, organization=ctx.org)
           .values_list("language", flat=True).first())
    return use(own or ctx.org.default_language)
