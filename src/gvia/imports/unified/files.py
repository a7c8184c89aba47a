"""Finding INI.TXT and BKMVDATA.TXT in a folder or a zip, with bounds.

Section 2.2 of the specification saves the two files under
``OPENFRMT\\<VAT number without its check digit>.<YY>\\<MMDDhhmm>\\``, BKMVDATA.TXT possibly
compressed into an archive named BKMVDATA whose extension is the compressor's. So gvia takes a
folder (searched down to :data:`MAX_DEPTH` levels) or a zip of one, and in the folder of the one
INI.TXT it finds BKMVDATA.TXT or a zip named BKMVDATA.*.

**Bounds** (as the spreadsheets' in ``imports/tables.py``): a zip is refused before anything is
unpacked when its central directory declares more than :data:`MAX_UNPACKED_BYTES` in all
(``GVIA_IMPORT_MAX_UNIFIED_MB``, 1 GB: a year of a large business's records) or more than
:data:`MAX_MEMBERS` parts; a member is never read past the size it declares (``zipfile`` stops
there), and an inner BKMVDATA zip is held to the same bounds. INI.TXT itself is a few hundred
bytes; one larger than :data:`MAX_INI_BYTES` is not an INI.TXT.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Iterator

from gvia.core.errors import FieldProblem, NotFoundFor, ValidationFailed

MB = 1024 * 1024
MAX_UNPACKED_BYTES = int(os.environ.get("GVIA_IMPORT_MAX_UNIFIED_MB", "1024")) * MB
MAX_MEMBERS = 10_000
MAX_INI_BYTES = 64 * 1024
MAX_DEPTH = 4
INI_NAME = "INI.TXT"
DATA_NAME = "BKMVDATA.TXT"


@dataclass(frozen=True)
class Opened:
    """The two files of one export: INI.TXT's bytes, BKMVDATA.TXT as a stream of bytes, and
    their names as messages show them."""

    ini_source: str
    ini: bytes
    data_source: str
    data: IO[bytes]


def refuse(source: str, message: str, *, code: str, **params: object) -> ValidationFailed:
    """The export cannot be read: one problem naming the file (``problem.<code>``)."""
    return ValidationFailed([FieldProblem(None, "", "", message, source=source, code=code,
                                          params={"file": source, **params})],
                            f"{source}: cannot read the export; nothing was imported", code="import_unreadable",
                            file=source)


def _megabytes(n: int) -> str:
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n / 1024:,.0f} KB"


def _check_zip(archive: zipfile.ZipFile, source: str) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise refuse(source, f"the zip holds {len(members):,} parts, more than an export has",
                     code="unified_zip_too_many_parts", parts=f"{len(members):,}")
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise refuse(source, f"the zip unpacks to {_megabytes(unpacked)}, more than {_megabytes(MAX_UNPACKED_BYTES)}",
                     code="unified_zip_too_large", size=_megabytes(unpacked), limit=_megabytes(MAX_UNPACKED_BYTES))


def _open_zip(path: Path | IO[bytes], source: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise refuse(source, "not a zip file, or a damaged one", code="unified_not_a_zip") from None
    _check_zip(archive, source)
    return archive


def _one_ini(names: list[str], source: str) -> str:
    found = [n for n in names if PurePosixPath(n).name.upper() == INI_NAME
             and len(PurePosixPath(n).parts) <= MAX_DEPTH + 1]
    if not found:
        raise refuse(source, "no INI.TXT in it: not a unified export", code="unified_no_ini")
    if len(found) > 1:
        raise refuse(source, f"{len(found)} exports in it (INI.TXT in {', '.join(sorted(found))}); import them "
                             "one at a time", code="unified_many_exports", count=len(found),
                     where=", ".join(sorted(found)))
    return found[0]


def _data_beside(ini: str, names: list[str]) -> tuple[str | None, str | None]:
    """The BKMVDATA.TXT in INI.TXT's folder, else a BKMVDATA.* archive there."""
    folder = PurePosixPath(ini).parent
    here = [n for n in names if PurePosixPath(n).parent == folder]
    text = next((n for n in here if PurePosixPath(n).name.upper() == DATA_NAME), None)
    packed = next((n for n in here if PurePosixPath(n).stem.upper() == "BKMVDATA"
                   and PurePosixPath(n).name.upper() != DATA_NAME), None)
    return text, packed


@contextmanager
def open_export(path: Path | str) -> Iterator[Opened]:
    """The export at ``path`` (a folder or a zip). Raises NotFoundFor when there is nothing there
    and ValidationFailed (code ``import_unreadable``) when it is not one export gvia can read."""
    path = Path(path)
    if not path.exists():
        raise NotFoundFor("no_such_file", f"no such file: {path}", path=str(path))
    with ExitStack() as stack:
        if path.is_dir():
            names = [p.relative_to(path).as_posix() for p in _walk(path)]
            ini = _one_ini(names, path.name)
            text, packed = _data_beside(ini, names)
            ini_bytes = _small((path / ini).read_bytes()[:MAX_INI_BYTES + 1], ini)
            if text is not None:
                yield Opened(ini, ini_bytes, text, stack.enter_context(open(path / text, "rb")))
                return
            if packed is None:
                raise refuse(path.name, "no BKMVDATA.TXT beside INI.TXT", code="unified_no_data")
            inner = stack.enter_context(_open_zip(path / packed, packed))
            yield Opened(ini, ini_bytes, f"{packed}/{DATA_NAME}", _inner_data(inner, packed, stack))
            return
        archive = stack.enter_context(_open_zip(path, path.name))
        names = [m.filename for m in archive.infolist() if not m.is_dir()]
        ini = _one_ini(names, path.name)
        with archive.open(ini) as f:
            ini_bytes = _small(f.read(MAX_INI_BYTES + 1), f"{path.name}/{ini}")
        text, packed = _data_beside(ini, names)
        if text is not None:
            yield Opened(f"{path.name}/{ini}", ini_bytes, f"{path.name}/{text}",
                         stack.enter_context(archive.open(text)))
            return
        if packed is None:
            raise refuse(path.name, "no BKMVDATA.TXT beside INI.TXT", code="unified_no_data")
        # a zip inside the zip: copied out (bounded by the size it declares) to be opened as one
        spool = stack.enter_context(tempfile.TemporaryFile())
        with archive.open(packed) as f:
            shutil.copyfileobj(f, spool, 1 << 20)
        spool.seek(0)
        inner = stack.enter_context(_open_zip(spool, f"{path.name}/{packed}"))
        yield Opened(f"{path.name}/{ini}", ini_bytes, f"{path.name}/{packed}/{DATA_NAME}",
                     _inner_data(inner, f"{path.name}/{packed}", stack))


def _inner_data(inner: zipfile.ZipFile, source: str, stack: ExitStack) -> IO[bytes]:
    names = [m.filename for m in inner.infolist() if not m.is_dir()]
    found = next((n for n in names if PurePosixPath(n).name.upper() == DATA_NAME), None)
    if found is None:
        raise refuse(source, "no BKMVDATA.TXT in the BKMVDATA archive", code="unified_no_data")
    return stack.enter_context(inner.open(found))


def _small(data: bytes, source: str) -> bytes:
    if len(data) > MAX_INI_BYTES:
        raise refuse(source, "INI.TXT is far larger than an INI.TXT can be", code="unified_ini_too_large")
    return data


def _walk(root: Path) -> Iterator[Path]:
    """The files under ``root``, down to :data:`MAX_DEPTH` folders."""
    stack = [(root, 0)]
    seen = 0
    while stack:
        folder, depth = stack.pop()
        for p in sorted(folder.iterdir()):
            seen += 1
            if seen > MAX_MEMBERS:
                raise refuse(root.name, "the folder holds more files than an export has",
                             code="unified_zip_too_many_parts", parts=f"{MAX_MEMBERS:,}+")
            if p.is_dir():
                if depth < MAX_DEPTH:
                    stack.append((p, depth + 1))
            elif p.is_file():
                yield p

