"""``python -m gvia.locale``: compile the catalogs whose ``.po`` changed since their ``.mo``
(``--force``: all of them; ``python -m gvia.locale FILE.po …``: those files).
``python -m gvia.locale new LANG``: start the catalogs of a new language (see :mod:`gvia.locale`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import ROOT, compile_catalog, compile_catalogs, new_language


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gvia.locale", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--force", action="store_true", help="compile every catalog, changed or not")
    parser.add_argument("args", nargs="*", metavar="FILE.po | new LANG",
                        help="compile these catalogs; or start the catalogs of language LANG")
    args = parser.parse_args(argv)
    if args.args[:1] == ["new"]:
        if len(args.args) != 2:
            parser.error("new takes one language code: new ar")
        for path in new_language(args.args[1]):
            print(f"wrote {_shown(path)}")
        return 0
    if args.args:
        written = [compile_catalog(Path(po)) for po in args.args]
    else:
        written = compile_catalogs(force=args.force)
    for mo in written:
        print(f"compiled {_shown(mo)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
