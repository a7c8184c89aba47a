"""Generated businesses shared by the demo tests (built once per session: they are pure)."""

from __future__ import annotations

from datetime import date

import pytest

from gvia.demo import generate

AS_OF = date(2025, 11, 23)


@pytest.fixture(scope="session")
def as_of() -> date:
    return AS_OF


@pytest.fixture(scope="session")
def hebrew500():
    """500 customers, Hebrew, the default currencies: its bundles, built once."""
    data = generate(500, seed=7, as_of=AS_OF)
    return data, list(data.iter_bundles())


@pytest.fixture(scope="session")
def english200():
    data = generate(200, seed=3, language="en", as_of=AS_OF)
    return data, list(data.iter_bundles())
