"""The dataset rules that join tables (checks/links.py), run after the keys layer on the tables read.

A rule whose lookup table or column is missing is skipped: the structure and descriptor layers report that.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from peacetalks import checks
from peacetalks.checks.links import links_for

from .package import Package
from .report import Problem
from .structure import Table

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
    frame = table.frame.where(table.frame != "", None)
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
    try:
        checks.pandera_schema(rules).validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    except Exception as exc:  # noqa: BLE001 - a rule that crashes is reported, never a traceback
        return [Problem(LAYER, "check-crashed", table.file, f"a rule could not run: {type(exc).__name__}: {exc}")]
    by_code = {rule.code: rule for rule in rules}
    problems = []
    for code, group in cases[cases["check"].isin(by_code)].groupby("check"):
        rule = by_code[code]
        rows = sorted({int(i) for i in group["index"].dropna()})
        for row, cells in zip(rows, frame.iloc[rows].to_dict("records")):
            problems.append(table.problem(LAYER, rule.code, row, rule.column, rule.describe(cells)))
    return problems
