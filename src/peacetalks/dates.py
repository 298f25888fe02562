"""Partial ISO 8601 dates (YYYY, YYYY-MM, YYYY-MM-DD) as the days they cover."""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

# The Table Schema pattern of every partial-date field; fields with it get the calendar-date rule.
DATE_PATTERN = "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"
_PARTIAL_DATE = re.compile(DATE_PATTERN)


@lru_cache(maxsize=4096)
def date_span(value: str) -> tuple[date, date] | None:
    """First and last day a partial date covers ('2025-08' -> 2025-08-01, 2025-08-31); None if not a real date."""
    if not isinstance(value, str) or not _PARTIAL_DATE.fullmatch(value):
        return None
    year, month, day = ([int(p) for p in value.split("-")] + [None, None])[:3]
    try:
        if day is not None:
            return date(year, month, day), date(year, month, day)
        if month is not None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None
