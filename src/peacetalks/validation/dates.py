"""Dates as the sources give them: the Extended Date/Time Format (EDTF, ISO 8601-2), level 1.

A date cell holds a day (`2025-04-11`), a month (`2025-11`), a year (`2025`), a season (`2025-21` spring …
`2025-24` winter), any of these marked approximate (`~`), uncertain (`?`) or both (`%`), or an interval of
them (`2025-02/2025-05`). The `edtf` library (the Library of Congress reference grammar) decides what is
valid; plain ISO days, months and years, which are most cells, take a fast path with the same verdicts
(tested against the library), so a table of 200,000 broken dates is checked in well under a second.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

# The columns load() derives from each partial-date column: its first and last day (suffix, word).
DAY_COLUMNS = (("_first_day", "First"), ("_last_day", "Last"))

# The Table Schema pattern of every date field: the shapes of EDTF level 1 this package uses. Fields with
# this pattern get the real-date rule (checks/generic.py) and first/last-day columns in the loader.
_ONE = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?[~?%]?"
DATE_PATTERN = f"{_ONE}(/{_ONE})?"
_SHAPE = re.compile(DATE_PATTERN)
_PLAIN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
# Northern-hemisphere meteorological seasons; winter YYYY runs from December YYYY to February YYYY+1.
SEASONS = {21: ("spring", 3, 5), 22: ("summer", 6, 8), 23: ("autumn", 9, 11), 24: ("winter", 12, 14)}


@lru_cache(maxsize=65536)
def date_span(value: str) -> tuple[date, date] | None:
    """First and last day a date covers ('2025-08' -> 2025-08-01, 2025-08-31); None if it is not a valid
    EDTF date of the shapes above."""
    if not isinstance(value, str) or not _SHAPE.fullmatch(value):
        return None
    if "/" in value:
        start, end = value.split("/")
        a, b = date_span(start), date_span(end)
        return (a[0], b[1]) if a and b and a[0] <= b[1] and _library_accepts(value) else None
    plain = value.rstrip("~?%")
    if value != plain and not _library_accepts(value):
        return None
    return _plain_span(plain)


def _plain_span(value: str) -> tuple[date, date] | None:
    match = _PLAIN.fullmatch(value)
    if not match:
        return None
    year, month, day = (int(p) if p else None for p in match.groups())
    try:
        if day is not None:
            return date(year, month, day), date(year, month, day)
        if month in SEASONS:
            _, first, last = SEASONS[month]
            end_year, end_month = (year + 1, last - 12) if last > 12 else (year, last)
            return date(year, first, 1), date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
        if month is not None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _library_accepts(value: str) -> bool:
    # Qualified dates, seasons in intervals and intervals themselves: the reference grammar decides.
    from edtf import parse_edtf  # ~0.1 s to import; only needed for the rarer shapes
    try:
        parse_edtf(value)
    except Exception:  # noqa: BLE001 - the library raises several types for invalid input
        return False
    return True


def date_precision(value: str) -> str | None:
    """'day', 'month', 'season', 'year' or 'interval', followed by ' approximate'/' uncertain' where marked."""
    if date_span(value) is None:
        return None
    if "/" in value:
        return "interval"
    plain = value.rstrip("~?%")
    parts = plain.split("-")
    kind = "day" if len(parts) == 3 else "year" if len(parts) == 1 else "season" if int(parts[1]) in SEASONS else "month"
    marks = {"~": " approximate", "?": " uncertain", "%": " approximate uncertain"}
    return kind + marks.get(value[-1], "")
