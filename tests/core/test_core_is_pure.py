"""The core is pure: it imports no other gvia package, nothing of Django and nothing that does I/O
or changes the process (the garbage collector, the clock, the environment), at the top of a
module or inside a function."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import gvia.core

CORE = Path(gvia.core.__file__).parent
MODULES = sorted(p for p in CORE.glob("*.py"))

#: Standard modules the core may not use: I/O, processes, the clock, randomness, the collector.
FORBIDDEN = {"gc", "os", "io", "sys", "pathlib", "glob", "shutil", "tempfile", "socket", "ssl", "select",
             "subprocess", "multiprocessing", "threading", "asyncio", "signal", "sqlite3", "urllib", "http",
             "smtplib", "imaplib", "email", "logging", "time", "random", "secrets", "django"}


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in ``path``; relative ones resolved."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                out.append((node.lineno, node.module or ""))
            else:
                package = ["gvia", "core"][:max(0, 2 - (node.level - 1))]
                out.append((node.lineno, ".".join(package + ([node.module] if node.module else []))))
    return out


def test_core_modules_import_only_the_core_and_pure_libraries():
    wrong = []
    for path in MODULES:
        for line, name in _imports(path):
            top = name.split(".")[0]
            if top == "gvia" and not (name == "gvia.core" or name.startswith("gvia.core.")):
                wrong.append(f"{path.name}:{line} imports {name}")
            elif top in FORBIDDEN:
                wrong.append(f"{path.name}:{line} imports {name}")
    assert wrong == []


def test_the_core_switches_nothing_off_for_the_process():
    # a process-wide side effect (pausing the garbage collector) is the caller's choice
    calls = [f"{p.name}:{n.lineno}" for p in MODULES for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
             if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "gc"]
    assert calls == []


def test_loading_every_core_module_loads_nothing_else_of_gvia_nor_django():
    names = [f"gvia.core.{p.stem}" for p in MODULES if p.stem != "__init__"]
    code = ("import importlib, sys\n"
            f"for name in {names!r}:\n"
            "    importlib.import_module(name)\n"
            "print('\\n'.join(m for m in sys.modules if m.split('.')[0] == 'django'\n"
            "                 or (m.startswith('gvia.') and not m.startswith('gvia.core'))))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.split() == []


def test_the_legal_routes_read_the_execution_office_rule_of_the_core():
    from gvia.core import legal_routes, legal_rules

    assert legal_routes.EXECUTION_OFFICE_RULES is legal_rules.EXECUTION_OFFICE_RULES
