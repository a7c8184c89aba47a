"""The secret key: GVIA_SECRET_KEY, else the installation's own random key kept in var/secret_key."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

SHOW = "import django; from django.conf import settings; django.setup(); print(settings.SECRET_KEY)"


def key_in(var, **extra) -> str:
    env = {k: v for k, v in os.environ.items() if k != "GVIA_SECRET_KEY"}
    env.update(GVIA_VAR=str(var), DJANGO_SETTINGS_MODULE="gvia.settings", **extra)
    return subprocess.run([sys.executable, "-c", SHOW], env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def test_each_installation_makes_its_own_key_once_and_keeps_it(tmp_path):
    first = key_in(tmp_path / "a")
    assert len(first) >= 40 and "dev" not in first
    assert key_in(tmp_path / "a") == first                       # kept: sessions survive a restart
    assert key_in(tmp_path / "b") != first                       # another installation, another key
    mode = stat.S_IMODE((tmp_path / "a" / "secret_key").stat().st_mode)
    assert mode == 0o600
    assert key_in(tmp_path / "c", GVIA_SECRET_KEY="from-the-environment") == "from-the-environment"
    assert not (tmp_path / "c" / "secret_key").exists()
