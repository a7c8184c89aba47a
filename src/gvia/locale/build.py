"""Compile the catalogs (``<lang>/LC_MESSAGES/<domain>.po``) to ``.mo`` files with Babel.

Pure Python (Babel's ``read_po`` and ``write_mo``), no gettext tools. The ``.mo`` files are build
output, next to their ``.po`` and ignored by git: ``pip install`` (``setup.py``), ``make install``
and the Makefile's ``catalogs`` target compile them, and ``python -m gvia.locale`` does it by hand.
gvia refuses to start when a ``.po`` is newer than its ``.mo`` (see :mod:`gvia.locale`).

This module imports nothing of gvia, so the build (``setup.py``) can load it by its path before
gvia is installed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
COMPILE_COMMAND = "python -m gvia.locale"
# each .mo carries the SHA-256 of the .po it was compiled from, under this context and id
SOURCE_CONTEXT, SOURCE_ID = "gvia", "source-sha256"


def catalog_files(root: Path = ROOT) -> list[Path]:
    """Every ``<lang>/LC_MESSAGES/<domain>.po`` under ``root``, sorted."""
    return sorted(Path(root).glob("*/LC_MESSAGES/*.po"))


def source_digest(po: Path) -> str:
    import hashlib  # only when a .mo looks older than its .po: it costs start-up time

    return hashlib.sha256(Path(po).read_bytes()).hexdigest()


def is_stale(po: Path) -> bool:
    """True when the ``.mo`` beside ``po`` is missing, or older than it and not compiled from
    what it holds now (a copy or an install that gave the ``.po`` a later time is not stale)."""
    mo = Path(po).with_suffix(".mo")
    try:
        if mo.stat().st_mtime >= Path(po).stat().st_mtime:
            return False
        return source_digest(po).encode("ascii") not in mo.read_bytes()
    except FileNotFoundError:
        return True


def stale_catalogs(root: Path = ROOT) -> list[Path]:
    """The ``.po`` files under ``root`` whose ``.mo`` is missing or older."""
    return [po for po in catalog_files(root) if is_stale(po)]


def compile_catalog(po: Path) -> Path:
    """``po`` -> the ``.mo`` beside it (written to a temporary file, then renamed, so a process
    reading the catalog never sees half a file). Fuzzy entries are left out, as gettext does."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = Path(po)
    lang, domain = po.parent.parent.name, po.stem
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=domain, abort_invalid=True)
    catalog.add(SOURCE_ID, source_digest(po), context=SOURCE_CONTEXT)
    mo = po.with_suffix(".mo")
    fd, tmp = tempfile.mkstemp(dir=mo.parent, prefix=f".{mo.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
        os.chmod(tmp, 0o644)    # readable like the .po (mkstemp makes it the owner's only)
        os.replace(tmp, mo)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return mo


def compile_catalogs(root: Path = ROOT, *, force: bool = False) -> list[Path]:
    """Compile every stale catalog under ``root`` (every one with ``force``); the ``.mo`` written."""
    return [compile_catalog(po) for po in catalog_files(root) if force or is_stale(po)]


def new_language(lang: str, root: Path = ROOT, source: str = "en") -> list[Path]:
    """Start the catalogs of a new language: ``<root>/<lang>/LC_MESSAGES/<domain>.po`` for every
    domain gvia ships in ``source``, with the language's Plural-Forms from CLDR and every entry holding the
    source's words marked fuzzy (left out when compiled, so gvia refuses the language until each
    one is translated and unmarked). Existing catalogs are not touched. Returns those written."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    written = []
    for src in sorted(ROOT.glob(f"{source}/LC_MESSAGES/*.po")):
        out = Path(root) / lang / "LC_MESSAGES" / src.name
        if out.exists():
            continue
        with src.open("rb") as f:
            original = read_po(f, locale=source, domain=src.stem)
        catalog = Catalog(locale=lang, domain=src.stem, project="gvia", version="", fuzzy=False,
                          header_comment=f"# The {src.stem} texts of gvia in {lang}, "
                                         f"started from the {source} catalog.\n"
                                         "# Translate each msgstr, then remove its fuzzy mark.")
        nplurals = catalog.num_plurals
        for m in original:
            if not m.id:
                continue
            string: str | tuple[str, ...]
            if isinstance(m.string, (tuple, list)):      # a plural entry: one, then other for the rest
                one, other = m.string[0], m.string[-1]
                string = (one,) + (other,) * (nplurals - 1)
            else:
                string = m.string or ""
            catalog.add(m.id, string, auto_comments=m.auto_comments, user_comments=m.user_comments,
                        flags=set(m.flags) | {"fuzzy"})
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("wb") as f:
            write_po(f, catalog, width=0)
        written.append(out)
    return written
