"""A Table Schema `pattern` matched in time linear in the text, whatever the package's author wrote.

The pattern comes from the package, which may be a stranger's. Python's `re` backtracks: `(a|a)+(?=b)` over
58 letters runs for hours, so a package could hang every run that checks it. Patterns are matched instead
by RE2 (through pyarrow, already loaded to read the tables), which never backtracks. RE2 knows the syntax of
the regular expressions Table Schema names (XML Schema's: no look-around, no back-reference); a pattern
RE2 cannot compile is a located problem of the descriptor, and its column is not matched.

A value matches when the whole value does: `^(?:pattern)$`, so `[A-Z]{3}|[a-z_]+` does not pass "ABCdef"
on its first branch, and "abc" followed by a newline is not "abc" ($ is the end of the text in RE2).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

MAX_PATTERN_LENGTH = 1_000  # this package's longest is 92 characters


def whole(pattern: str) -> str:
    return f"^(?:{pattern})$"


def refusal(pattern) -> str | None:
    """Why the validator will not match `pattern`, for the person who wrote it; None if it will, or if it is
    not text (a list, say: the profile check reports it, and it cannot be a key of the cache below)."""
    return _refusal(pattern) if isinstance(pattern, str) else None


@lru_cache(maxsize=256)
def _refusal(pattern: str) -> str | None:
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"is {len(pattern):,} characters long; the limit is {MAX_PATTERN_LENGTH:,}"
    for tried in (pattern, whole(pattern)):  # the pattern alone first, so that the error quotes only its text
        try:
            pc.match_substring_regex(pa.array([""], pa.string()), tried)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            reason = str(exc).split("Invalid regular expression:")[-1].strip() or str(exc)
            if NOT_LINEAR.search(pattern):
                return (f"cannot be matched in linear time ({reason}); Table Schema patterns are XML Schema regular "
                        "expressions, without look-around or back-references: write it without them")
            return f"is not a valid regular expression ({reason}); correct it"
    return None


# What RE2 refuses for needing more than linear time, as opposed to a pattern that is no regular expression at
# all (`[`, `a{2,1}`): look-ahead and look-behind, numbered and named back-references.
NOT_LINEAR = re.compile(r"\(\?<?[=!]|\(\?P[=>]|\\[1-9]|\\k<")


def mismatches(values: pd.Series, pattern: str) -> np.ndarray:
    """True for each filled value that the whole of `pattern` does not match. `pattern` has no refusal."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:  # a column read by pyarrow is handed over as it is, without a copy into Python strings
        texts = pa.array(values.array) if pd.api.types.is_string_dtype(values.dtype) else pa.array(values, pa.string())
        matched = pc.match_substring_regex(texts, whole(pattern))
    except (pa.ArrowTypeError, pa.ArrowInvalid, pa.ArrowNotImplementedError):  # a cell read as something other than text
        matched = pc.match_substring_regex(pa.array(values.astype(str).to_numpy(dtype=object), pa.string()), whole(pattern))
    return ~np.asarray(matched.to_numpy(zero_copy_only=False), dtype=bool)
