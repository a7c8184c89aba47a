"""`gvia import` refuses the zip bomb (a ~7 MB XLSX that unpacks to 1.9 GB) with exit 1 and a message
naming the file and the limit, without unpacking it (issue 14, finding 5). The subprocess gets an
address-space cap of 1 GB: reading the bomb whole, as gvia did before, cannot pass under it. Time
and memory figures: bench/bench_upload_limits.py."""

from __future__ import annotations

import resource

import pytest

from tests.support.sheets import zip_bomb


@pytest.fixture
def capped(monkeypatch):
    import subprocess

    real = subprocess.run

    def run(*args, **kwargs):
        kwargs["preexec_fn"] = lambda: resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        return real(*args, **kwargs)

    monkeypatch.setattr(subprocess, "run", run)


def test_cli_import_refuses_the_zip_bomb(gvia_org, tmp_path, capped):
    bomb = zip_bomb(tmp_path / "bomb.xlsx")
    r = gvia_org("import", "invoices", str(bomb))
    assert r.code == 1, (r.out, r.err)
    assert "bomb.xlsx" in r.err and "unpacks to" in r.err and "256 MB" in r.err
    assert "Traceback" not in r.err
