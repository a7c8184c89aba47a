"""The command line shows a moment (when a message waits until, when a key was made) in the acting
organization's time zone, as the pages do, not in UTC."""

from datetime import date, datetime, timezone

import pytest

from gvia.cli import words
from gvia.core.formatting import format_date


@pytest.fixture(autouse=True)
def _speaking_english():
    words.use("en")
    yield
    words.use(None)
    words._zone[0] = None


def test_a_moment_is_shown_in_the_organization_s_time_zone():
    moment = datetime(2026, 12, 7, 22, 30, tzinfo=timezone.utc)       # 00:30 the next day in Israel
    words.in_zone("Asia/Jerusalem")
    assert words.value_text(moment) == f"{format_date(date(2026, 12, 8), 'en')} 00:30"
    words.in_zone("Europe/London")
    assert words.value_text(moment) == f"{format_date(date(2026, 12, 7), 'en')} 22:30"


def test_an_unknown_zone_leaves_the_moment_as_it_is():
    words.in_zone("Not/AZone")
    moment = datetime(2026, 12, 7, 22, 30, tzinfo=timezone.utc)
    assert words.value_text(moment) == f"{format_date(date(2026, 12, 7), 'en')} 22:30"
