"""Which numbers a passage of text writes, in digits or in words.

Used to prove that a figure's value is written in its quote. A number followed by a scale word counts
only at full scale ("$78 billion" writes 78000000000, not 78), so a value that was not expanded fails.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
          "b": 1e9, "trillion": 1e12, "tn": 1e12}
UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen " \
        "sixteen seventeen eighteen nineteen".split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
# Plural magnitudes ("dozens", "tens of soldiers", "millions of shells") write their lower bound.
WORDS = {w: i for i, w in enumerate(UNITS)} | {w: 20 + 10 * i for i, w in enumerate(TENS)} \
    | {"hundred": 100, "dozen": 12, "dozens": 12, "tens": 10, "hundreds": 100, "thousand": 1e3, "thousands": 1e3,
       "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9}
ORDINALS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split())}
# A fraction word writes the fraction and the same share in percent ("half" is 0.5 and 50).
FRACTIONS = {"half": 1 / 2, "halves": 1 / 2, "third": 1 / 3, "thirds": 1 / 3, "quarter": 1 / 4, "quarters": 1 / 4}

# Scale words may stand apart ("78 billion", "21 bn"); one-letter scales only attached ("$5m"), so that
# "20 B-2 bombers" stays 20.
_DIGITS = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
                     r"(?:[ \u00a0-]?(thousand|million|billion|trillion|bn|mn|tn)\b|(m|k|b)\b)?", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_MINUS = "-\u2212"


@lru_cache(maxsize=65536)
def numbers_in(text: str) -> tuple[tuple[float, float], ...]:
    """Every number `text` writes, as (value, relative tolerance) pairs."""
    found: list[tuple[float, float]] = []
    for match in _DIGITS.finditer(text):
        value = float(match.group(1).replace(",", "") + (match.group(2) or ""))
        scale = match.group(3) or match.group(4)
        if scale:
            value *= SCALES[scale.lower()]
        found.append((value, 0.0))
        start = match.start()
        if start and text[start - 1] in _MINUS and (start == 1 or not text[start - 2].isalnum()):
            found.append((-value, 0.0))
    words = _WORD.findall(text.lower())
    for i, word in enumerate(words):
        value = _word_value(word)
        if value is not None:
            scale = SCALES.get(words[i + 1]) if i + 1 < len(words) and len(words[i + 1]) > 2 else None
            found.append((value * scale, 0.0) if scale else (value, 0.0))
        if word in ORDINALS:
            found.append((ORDINALS[word], 0.0))
        if word in FRACTIONS:
            found += [(FRACTIONS[word], 0.01), (FRACTIONS[word] * 100, 0.01)]
    return tuple(found)


def _word_value(word: str) -> float | None:
    """'six' -> 6, 'twenty-eight' -> 28, 'hundred' -> 100; None for any other word."""
    parts = word.split("-")
    if len(parts) == 2 and parts[0] in TENS and parts[1] in UNITS[1:10]:
        return WORDS[parts[0]] + WORDS[parts[1]]
    return WORDS.get(word) if len(parts) == 1 else None


def is_written(value: float, text: str) -> bool:
    """Whether `value` is written in `text` (exactly, or for fraction words, to within rounding)."""
    return any(math.isclose(value, n, rel_tol=tol, abs_tol=1e-9) for n, tol in numbers_in(text))
