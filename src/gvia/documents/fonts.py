"""Fonts come only from installed ``fontpkg-*`` packages, never from the machine.

Typst is given the folders of those packages and told to ignore system fonts and its own
embedded fonts, so a PDF looks the same on every machine. Heebo (Hebrew and Latin) is
always in the fallback list, so a letterhead font without Hebrew still renders Hebrew; Noto Sans
covers Cyrillic (Russian) and Amiri (``fontpkg-amiri``, a Naskh face) Arabic, so every language
with a ``documents`` catalog renders whatever the letterhead's font. Amiri rather than Noto Sans
Arabic: Noto draws a letter's dots as separate marks on a shared skeleton, so a PDF's text (what
a search, a screen reader or a test extracts) comes out garbled; Amiri's glyphs are whole letters.
Installed families: ``fontpkg.families()``; adding one is ``pip install fontpkg-rubik``
(and listing it in the project's dependencies).
"""

from __future__ import annotations

from functools import lru_cache

import fontpkg
import typst

from gvia.core.errors import FieldProblem, ValidationFailed

FALLBACK = ("Heebo", "Noto Sans", "Amiri")


@lru_cache(maxsize=1)
def font_dirs() -> tuple[str, ...]:
    """The folders of every installed fontpkg family."""
    dirs: set[str] = set()
    for fam in fontpkg.families().values():
        for f in fam.files:
            dirs.add(str(f.path.parent))
    return tuple(sorted(dirs))


@lru_cache(maxsize=1)
def typst_fonts() -> typst.Fonts:
    """The Typst font book built once per process from :func:`font_dirs` only."""
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                       font_paths=list(font_dirs()))


@lru_cache(maxsize=1)
def families() -> frozenset[str]:
    """Family names Typst sees (e.g. "Heebo", "Frank Ruhl Libre", "Noto Sans")."""
    return frozenset(f.family for f in typst_fonts().fonts())


def font_stack(family: str, field: str = "body_font") -> list[str]:
    """``[family, *FALLBACK]``; ValidationFailed if the family is not installed."""
    if family not in families():
        raise ValidationFailed([FieldProblem(
            None, field, family,
            f"font not installed; installed: {', '.join(sorted(families()))}")])
    return [family] + [f for f in FALLBACK if f != family]


__all__ = ["FALLBACK", "font_dirs", "typst_fonts", "families", "font_stack"]
