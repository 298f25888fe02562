"""The dataset rules that join tables (checks/links.py), run after the keys layer on the tables read.

A rule whose lookup table or column is missing is skipped: the structure and descriptor layers report that.
"""

from __future__ import annotations

import pandas as pd

from .columns import as_missing, rule_problems
from .package import Package
from .report import Problem
from .rulebook import checks
from .structure import Table

links_for = checks.links.links_for

LAYER = "links"


def check_links(package: Package, tables: dict[str, Table]) -> list[Problem]:
    problems: list[Problem] = []
    for name, table in tables.items():
        lookups, rules = links_for(package, name)
        frame = _joined(table, lookups, tables) if rules else None
        if frame is not None:
            problems += _run(table, frame, rules)
    return problems


def _joined(table: Table, lookups, tables: dict[str, Table]) -> pd.DataFrame | None:
    frame = as_missing(table.frame)
    for lookup in lookups:
        other = tables.get(lookup.table)
        if lookup.key not in frame or other is None or not {lookup.ref, lookup.value} <= set(other.frame.columns):
            return None
        values = other.frame[[lookup.ref, lookup.value]].drop_duplicates(lookup.ref)
        mapping = pd.Series(values[lookup.value].where(values[lookup.value] != "", None).to_numpy(), index=values[lookup.ref].to_numpy())
        frame[lookup.column] = frame[lookup.key].map(mapping)
    return frame


def _run(table: Table, frame: pd.DataFrame, rules) -> list[Problem]:
    needed = {c for c in table.resource.field_names}
    if not needed <= set(frame.columns):
        return []  # a missing column is the header check's to report
    return [problem for rule in rules for problem in rule_problems(rule, frame, table, LAYER)]
