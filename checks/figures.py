"""Rules of the figures table: qualifiers agree with the cells filled, ranges are ordered, shares are
shares, periods run forward, and every number is written in its quote."""

from __future__ import annotations

import pandas as pd

from peacetalks.validation.dates import date_span
from peacetalks.validation.numbers import is_written

from . import Rule, column_numbers

NUMBERS = ["value", "value_low", "value_high"]


_num = column_numbers  # cells that are not numbers are the type check's to report; here they count as empty


def _range_filled(df):
    return df["value_low"].notna() & df["value_high"].notna()


def _single_value(df):
    return df["value"].notna() & df["value_low"].isna() & df["value_high"].isna()


def _qualifier_agrees(df: pd.DataFrame) -> pd.Series:
    ranged = df["qualifier"] == "range"
    return df["qualifier"].isna() | (ranged & _range_filled(df)) | (~ranged & _single_value(df))


def _ordered(low: str, high: str):
    def passes(df):
        a, b = _num(df, low), _num(df, high)
        return a.isna() | b.isna() | (a <= b)
    return passes


def _percent_is_share(df: pd.DataFrame) -> pd.Series:
    share = df["unit"] == "percent"
    inside = pd.Series(True, index=df.index)
    for column in NUMBERS:
        n = _num(df, column)
        inside &= n.isna() | n.between(0, 100)
    return ~share | inside


def _outside_a_share(row: dict) -> str:
    numbers = ", ".join(f"{column} {row[column]}" for column in NUMBERS if row.get(column))
    return f"'percent' is a share from 0 to 100, but {numbers}; use 'percent_change' for a change"


def _per_distinct_pair(df: pd.DataFrame, a: pd.Series, b: pd.Series, test) -> pd.Series:
    """`test(x, y)` for each row's pair, computed once per distinct pair; True where either is missing."""
    pairs = pd.DataFrame({"a": a, "b": b})[a.notna() & b.notna()]
    failing = [pair for pair in pairs.drop_duplicates().itertuples(index=False, name=None) if not test(*pair)]
    passes = pd.Series(True, index=df.index)
    if failing:
        passes[pairs.index[pd.MultiIndex.from_frame(pairs).isin(failing)]] = False
    return passes


def _period_forward(df: pd.DataFrame) -> pd.Series:
    def ok(start, end):
        a, b = date_span(start), date_span(end)
        return a is None or b is None or a[0] <= b[1]
    return _per_distinct_pair(df, df["period_start"], df["period_end"], ok)


def _written_in_quote(column: str):
    def passes(df):
        return _per_distinct_pair(df, _num(df, column), df["quote"], lambda n, q: is_written(float(n), q))
    return passes


def rules(resource) -> list[Rule]:
    return [
        Rule("qualifier-agrees", "qualifier",
             "{qualifier!r} does not agree with the numbers filled: 'range' needs value_low and value_high; "
             "every other qualifier needs value and leaves value_low and value_high empty", _qualifier_agrees),
        Rule("low-le-value", "value_low", "{value_low} is greater than value {value}", _ordered("value_low", "value")),
        Rule("value-le-high", "value_high", "{value_high} is less than value {value}", _ordered("value", "value_high")),
        Rule("low-le-high", "value_high", "{value_high} is less than value_low {value_low}", _ordered("value_low", "value_high")),
        Rule("percent-share", "unit", _outside_a_share, _percent_is_share, uses=tuple(NUMBERS)),
        Rule("period-order", "period_end", "{period_end!r} is before period_start {period_start!r}", _period_forward),
        *[Rule(f"{c}-in-quote", c, "{%s} is not written in the quote" % c, _written_in_quote(c)) for c in NUMBERS],
    ]
