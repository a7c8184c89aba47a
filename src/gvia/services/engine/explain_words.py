"""The explanations' words (issue 13): :mod:`gvia.core.explain` composes a decision's explanation
from the explain catalog's ``explain.<key>`` entries, which it cannot read itself (the core
imports no catalog); this module gives them, in the explanation's language.

:func:`explain` and :func:`explain_reason` are the core's, with the words of ``lang``.
"""

from __future__ import annotations

from functools import lru_cache

from gvia import locale
from gvia.core import explain as core
from gvia.core.escalation import CustomerSnapshot, Decision, Reason
from gvia.core.policy import Policy

DOMAIN = "explain"


@lru_cache(maxsize=8)
def words(lang: str) -> core.Words:
    """``explain.<key>`` of the explain catalog in ``lang`` (he, else en); a plural entry by the
    count given."""
    catalogs = locale.domain(DOMAIN)
    language = "he" if lang.lower().startswith("he") else "en"

    def worded(key: str, n: int | None = None, /) -> str:
        text = (catalogs.text(f"explain.{key}", language) if n is None
                else catalogs.plural(f"explain.{key}", language, n))
        if text is None:
            raise KeyError(f"no words for explain.{key} in the {DOMAIN} catalog ({language})")  # not shown: a bug
        return text

    return worded


def explain(decision: Decision, snapshot: CustomerSnapshot, policy: Policy, lang: str = "en") -> str:
    """:func:`gvia.core.explain.explain` in ``lang``."""
    return core.explain(decision, snapshot, policy, lang, words(lang))


def explain_reason(reason: Reason, policy: Policy, lang: str, numbers: str = "") -> str:
    """:func:`gvia.core.explain.explain_reason` in ``lang``."""
    return core.explain_reason(reason, policy, lang, words(lang), numbers)


__all__ = ["DOMAIN", "words", "explain", "explain_reason"]
