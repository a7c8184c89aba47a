from __future__ import annotations

import pytest

from tests.support.smtpd import start_smtp


@pytest.fixture
def smtp():
    server = start_smtp()
    yield server
    server.stop()
