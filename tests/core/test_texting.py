"""SMS segments (GSM-7 and its extension table, else UCS-2), replies that ask to stop, mobile
numbers in E.164."""

from __future__ import annotations

import pytest

from gvia.core.texting import asks_to_stop, e164, national, segments


@pytest.mark.parametrize("text, encoding, units, count", [
    ("a" * 160, "gsm7", 160, 1),
    ("a" * 161, "gsm7", 161, 2),                 # 153 a part once split
    ("a" * 306, "gsm7", 306, 2),
    ("a" * 307, "gsm7", 307, 3),
    ("€" * 80, "gsm7", 160, 1),                  # the extension table: two septets each
    ("[" * 81, "gsm7", 162, 2),
    ("ש" * 70, "ucs2", 70, 1),                   # Hebrew: 70 a segment
    ("ש" * 71, "ucs2", 71, 2),                   # 67 a part once split
    ("ש" * 134, "ucs2", 134, 2),
    ("ש" * 135, "ucs2", 135, 3),
    ("a" * 69 + "₪", "ucs2", 70, 1),             # one symbol outside GSM-7 makes it all UCS-2
    ("😀" * 35, "ucs2", 70, 1),                  # a surrogate pair is two units
    ("", "gsm7", 0, 1),
])
def test_segments(text, encoding, units, count):
    got = segments(text)
    assert (got.encoding, got.units, got.count) == (encoding, units, count)
    assert got.fits == (count <= 2)


@pytest.mark.parametrize("text, stop", [
    ("הסר", True), (" הסר!", True), ("הסרה בבקשה", True), ("STOP", True), ("stop.", True), ("Unsubscribe", True),
    ("אשלם מחר", False), ("please don't stop", False), ("", False), ("stopped paying? no", False),
])
def test_asks_to_stop(text, stop):
    assert asks_to_stop(text) is stop


def test_e164_takes_mobiles_only():
    assert e164("052-765-4321", "IL") == "+972527654321"
    assert e164("+972 52 765 4321", "GB") == "+972527654321"
    assert e164("03-6123456", "IL") is None                      # a landline
    assert e164("12345", "IL") is None and e164("", "IL") is None and e164("not a number", "IL") is None
    assert e164("07911 123456", "GB") == "+447911123456"
    assert national("+972527654321") == "0527654321"
