"""A date written in a prose cell (`text`, `summary`, `note`, …: every field the schema marks `x-prose`) appears in
the row's quote, or is marked as the curator's: `[curator: …]`. A date the quote lacks is an inference the row
does not show (coding manual, section 9)."""

from __future__ import annotations

import re

import pandas as pd

from peacetalks.validation.report import shown

from . import Rule

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
# A year 1900-2099 (alone, or the head of an ISO date 2025-04 / 2025-04-11), or a month's name. Month names are
# matched with their capital: "may" the verb is not May.
DATE_WORD = re.compile(r"(?<![\w-])(?:(?:19|20)\d\d(?:-(?:0[1-9]|1[0-2])(?:-\d\d)?)?(?![\w])|(?:%s)(?![\w]))" % "|".join(MONTHS))
CURATOR = re.compile(r"\[curator:[^\]]*\]")
MARK = "[curator: …]"


def _parts(word: str) -> list[str]:
    """What the quote must hold for a date word: an ISO date is its year and its month's name (the sources write
    dates in words); a day is not looked for, the month and year carry it."""
    if re.match(r"\d{4}-", word):
        return [word[:4], MONTHS[int(word[5:7]) - 1]]
    return [word]


def _in(part: str, quote: str) -> bool:
    return re.search(r"(?<![\w])" + re.escape(part) + r"(?![\w])", quote) is not None


def dates_not_in_quote(prose, quote) -> list[str]:
    """The date words of `prose` (outside [curator: …] marks) that `quote` does not hold."""
    if not isinstance(prose, str) or not prose:
        return []
    quote = quote if isinstance(quote, str) else ""
    words = DATE_WORD.findall(CURATOR.sub(" ", prose))
    return list(dict.fromkeys(w for w in words if not all(_in(p, quote) for p in _parts(w))))


def _passes(column: str):
    def passes(df: pd.DataFrame) -> pd.Series:
        # Only cells that write a date word need the quote; each distinct (cell, quote) pair is read once.
        dated = df[column].str.contains(DATE_WORD, na=False)
        result = pd.Series(True, index=df.index)
        if dated.any():
            pairs = pd.DataFrame({"p": df[column][dated], "q": df["quote"][dated]})
            verdict = {pair: not dates_not_in_quote(*pair) for pair in pairs.drop_duplicates().itertuples(index=False, name=None)}
            result[dated] = [verdict[pair] for pair in pairs.itertuples(index=False, name=None)]
        return result
    return passes


def _message(column: str):
    def message(row: dict) -> str:
        missing = dates_not_in_quote(row.get(column), row.get("quote"))
        return (f"{shown(row.get(column) or '')} writes {', '.join(map(repr, missing))}, which the row's quote does not: "
                f"remove the date, quote the words that give it, or mark it as the curator's with {MARK} "
                "(coding manual, section 9)")
    return message


def rules(resource) -> list[Rule]:
    if "quote" not in resource.field_names:
        return []  # tables without a quote (sources, issues, propositions): the manual says how the audit covers them
    return [Rule(f"{field['name']}-date-in-quote", field["name"], _message(field["name"]), _passes(field["name"]),
                 uses=(field["name"], "quote"))
            for field in resource.fields if field.get("x-prose") is True]
