"""Dataset rules that a Table Schema cannot say, as Pandera checks.

Each rule looks at a whole table (raw cell text, empty cells as NA) and returns True for the rows that
pass. Rules are either driven by the Table Schema (every partial-date field, every field with a code list)
or belong to one table (figures, demands, actors). `rules_for` gives the rules of a resource and
`pandera_schema` wraps them as one Pandera DataFrameSchema, so they run, fail and report like any other
Pandera check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd
import pandera.pandas as pa


@dataclass(frozen=True)
class Rule:
    code: str  # unique within a table; reported as the problem's rule
    column: str  # the column the problem is reported on
    message: str  # str.format template over the row's cells, e.g. "{value_low!r} is above value {value!r}"
    passes: Callable[[pd.DataFrame], pd.Series]  # True where the row passes

    def describe(self, row: dict) -> str:
        try:
            return self.message.format_map(row)
        except (KeyError, IndexError, ValueError):
            return self.message


def rules_for(resource) -> list[Rule]:
    """All rules for a resource: the schema-driven ones, then the table's own."""
    from . import accounts, actors, demands, figures, generic

    table_rules = {"figures": figures.rules, "demands": demands.rules, "actors": actors.rules, "accounts": accounts.rules}
    rules = generic.rules(resource)
    if resource.name in table_rules:
        rules += table_rules[resource.name](resource)
    return rules


def pandera_schema(rules: list[Rule]) -> pa.DataFrameSchema:
    # The rule's code is carried as the check's `error`, which is what Pandera reports back.
    return pa.DataFrameSchema(checks=[pa.Check(rule.passes, error=rule.code) for rule in rules])
