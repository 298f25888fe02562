"""Dataset rules that a Table Schema cannot say, as Pandera checks.

Each rule looks at a whole table (raw cell text, empty cells as NA) and returns True for the rows that
pass. Rules are either driven by the Table Schema (every partial-date field, every field with a code list)
or belong to one table (figures, demands, actors). `rules_for` gives the rules of a resource and
`pandera_schema` wraps them as one Pandera DataFrameSchema, so they run, fail and report like any other
Pandera check.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Formatter
from typing import Callable

import numpy as np
import pandas as pd

from peacetalks.validation.report import shown

# The tables this dataset is made of: a package without one of them is not this dataset, however valid
# the rest (the descriptor check says which is missing).
REQUIRED_TABLES = ("sources", "issues", "propositions", "scales", "status_quo", "actors", "proposals", "events", "demands",
                   "aid_programs", "figures", "accounts")


_SHARED: list = [None, {}]  # (the frame the rules of one table share, what they computed from it)


def once_per_frame(df: pd.DataFrame, key: str, compute):
    """compute(df), made once for all the rules that run in a row on one frame (a table's, or a table
    joined to others). The frame is held here, so no other frame can take its identity meanwhile."""
    if _SHARED[0] is not df:
        _SHARED[:] = [df, {}]
    if key not in _SHARED[1]:
        _SHARED[1][key] = compute(df)
    return _SHARED[1][key]


def column_numbers(df: pd.DataFrame, column: str) -> pd.Series:
    """A column as numbers, cells that are not numbers as missing (the type check reports them): read once
    for all the rules (15 ms a column at 200,000 rows, and rules read some columns five times)."""
    return once_per_frame(df, f"numbers of {column}", lambda frame: pd.to_numeric(frame[column], errors="coerce"))


@dataclass(frozen=True)
class Rule:
    code: str  # unique within a table; reported as the problem's rule
    column: str  # the column the problem is reported on
    # A str.format template over the row's raw cells, e.g. "{value_low!r} is above value {value!r}", or a
    # function of the row's cells (a dict) that returns the message.
    message: str | Callable[[dict], str]
    passes: Callable[[pd.DataFrame], pd.Series]  # True where the row passes
    # For a rule about two rows: the messages of the failing rows (positions), naming the other row.
    explain: Callable[[pd.DataFrame, np.ndarray], list[str]] | None = None
    uses: tuple[str, ...] = ()  # the cells a message function reads (a template names its own)

    @property
    def cells(self) -> list[str]:
        """The cells the message shows."""
        if callable(self.message):
            return list(self.uses)
        return list(dict.fromkeys(name.split("!")[0].split(".")[0].split("[")[0]
                                  for _, name, _, _ in Formatter().parse(self.message) if name))

    def describe(self, row: dict) -> str:
        cells = {name: shown_value(value) for name, value in row.items()}  # an empty cell is '', whatever held it
        if callable(self.message):
            return self.message(cells)
        try:
            return self.message.format_map(cells)
        except (KeyError, IndexError, ValueError):
            return self.message


class shown_value(str):
    """A cell as a message shows it: `!r` quotes it as repr would, shortened and with control characters
    left escaped, so that a long cell cannot flood the report; an empty cell shows as ''."""

    def __new__(cls, value):
        return super().__new__(cls, "" if value is None or (isinstance(value, float) and value != value) else str(value))

    def __repr__(self) -> str:
        return shown(str(self))


def rules_for(resource) -> list[Rule]:
    """All rules for a resource: the schema-driven ones, then the table's own."""
    from . import accounts, actors, demands, figures, generic, prose, scales

    table_rules = {"figures": figures.rules, "demands": demands.rules, "actors": actors.rules, "accounts": accounts.rules,
                   "scales": scales.rules}
    rules = generic.rules(resource) + prose.rules(resource)
    if resource.name in table_rules:
        rules += table_rules[resource.name](resource)
    return rules


def pandera_schema(rules: list[Rule]):
    import pandera.pandas as pa  # imported here: validation itself runs the rules without pandera

    # The rule's code is carried as the check's `error`, which is what Pandera reports back.
    return pa.DataFrameSchema(checks=[pa.Check(rule.passes, error=rule.code) for rule in rules])
