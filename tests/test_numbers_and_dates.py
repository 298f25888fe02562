"""Reading numbers written in text, and partial dates."""

from datetime import date

import pytest

from peacetalks.validation.dates import date_span
from peacetalks.validation.numbers import is_written, numbers_in


@pytest.mark.parametrize("text,value", [
    ("the projected $78 billion annual cost", 78_000_000_000),
    ("€21bn ($24bn; £18bn)", 24_000_000_000),
    ("More than 600,000 of its troops", 600_000),
    ("Inflation is at 9.5 percent", 9.5),
    ("a 200,000-strong European peacekeeping force", 200_000),
    ("1,000–1,500 new contract soldiers", 1_500),
    ("down by -1.20% and", -1.2),
    ("He has been to Russia six occasions", 6),
    ("twenty-eight points", 28),
    ("Approximately half of the promised supplies", 50),
    ("Dmitriev proclaimed that the two sides had taken “three steps forward”", 3),
    ("This marks Witkoff’s third meeting with Putin", 3),
    ("$5m in aid", 5_000_000),
    ("20 B-2 bombers", 20),
    ("dozens of people", 12),
    ("a larger (tens of soldiers) landing party", 10),
    ("artillery and millions of shells", 1_000_000),
    ("six million people", 6_000_000),
])
def test_written(text, value):
    assert is_written(value, text)


@pytest.mark.parametrize("text,value", [
    ("the projected $78 billion annual cost", 78),  # not expanded
    ("More than 600,000 of its troops", 60_000),
    ("20 B-2 bombers", 20_000_000_000),  # a lone letter after a space is not a scale
    ("KN23/24 missiles", 23),  # part of a name
    ("He has been to Russia six occasions", 7),
])
def test_not_written(text, value):
    assert not is_written(value, text)


def test_numbers_in_finds_every_number_once_per_mention():
    assert sorted(v for v, _ in numbers_in("India 111%, Turkey 75%, and China 21% by 2024")) == [21, 75, 111, 2024]


@pytest.mark.parametrize("value,span", [
    ("2025", (date(2025, 1, 1), date(2025, 12, 31))),
    ("2025-02", (date(2025, 2, 1), date(2025, 2, 28))),
    ("2024-02-29", (date(2024, 2, 29), date(2024, 2, 29))),
    ("2025-02-29", None), ("2025-13", None), ("2025-1", None), ("25", None), ("", None),
])
def test_date_span(value, span):
    assert date_span(value) == span
