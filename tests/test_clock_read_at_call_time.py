"""The clock is read through its module, ``clock.now_utc()``, never through a name a module imported
from it when it was first loaded: such a name keeps whatever ``now_utc`` was at that moment (a
test's fixed clock, for one, which then leaked into every later test of the process and dated a
provider's delivery report March 2026)."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "gvia"
BOUND = re.compile(r"^from gvia\.services(?:\.clock| import)[^\n]*\bnow_utc\b|^from \.+clock import[^\n]*\bnow_utc\b",
                   re.M)


def bound_at_import(text: str) -> list[str]:
    return [m.group(0) for m in BOUND.finditer(text)]


def test_no_module_binds_the_clock_when_it_is_loaded():
    found = {str(p.relative_to(SRC)): hits for p in SRC.rglob("*.py") if (hits := bound_at_import(p.read_text()))}
    assert not found, found


def test_the_check_finds_a_bound_clock_and_passes_a_call_time_read():
    assert bound_at_import("from gvia.services.clock import now_utc\n")
    assert bound_at_import("from gvia.services.clock import parse_now, now_utc\n")
    assert not bound_at_import("from gvia.services import clock\nx = clock.now_utc()\n")
    assert not bound_at_import("def f():\n    from gvia.services.clock import now_utc\n")
