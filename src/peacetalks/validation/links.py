"""The dataset rules that join tables (checks/links.py), run after the keys layer on the tables read.

A rule whose lookup table or column is missing is skipped: the structure and descriptor layers report that.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .columns import rule_problems
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
    frame = table.with_missing()
    first_rows: dict[tuple[str, str, str], np.ndarray] = {}  # lookups through one key share one join
    for lookup in lookups:
        other = tables.get(lookup.table)
        if lookup.key not in frame or other is None or not {lookup.ref, lookup.value} <= set(other.frame.columns):
            return None
        if lookup.aggregate == "first" and not lookup.delimiter:
            join = (lookup.key, lookup.table, lookup.ref)
            if join not in first_rows:
                first_rows[join] = _first_rows(other.frame[lookup.ref], frame[lookup.key])
            frame[lookup.column] = _taken(other.frame[lookup.value], first_rows[join], frame.index)
        else:
            frame[lookup.column] = frame[lookup.key].map(_mapping(other.frame, lookup))
    return frame


def _first_rows(ids: pd.Series, keys: pd.Series) -> np.ndarray:
    """For each key, the position of the first row of `ids` that holds it, or -1 (a missing key finds none)."""
    first = ~ids.duplicated(keep="first").to_numpy()
    found = pd.Index(ids[first].to_numpy()).get_indexer(keys.to_numpy())
    return np.where(found >= 0, np.flatnonzero(first)[found], -1)


def _taken(values: pd.Series, rows: np.ndarray, index: pd.Index) -> pd.Series:
    """values at `rows` (-1: missing), an empty cell missing too."""
    cells = values.to_numpy(dtype=object)[np.maximum(rows, 0)]
    cells[(rows < 0) | (cells == "")] = None
    return pd.Series(cells, index=index, dtype=values.dtype)


def _run(table: Table, frame: pd.DataFrame, rules) -> list[Problem]:
    needed = {c for c in table.resource.field_names}
    if not needed <= set(frame.columns):
        return []  # a missing column is the header check's to report
    return [problem for rule in rules for problem in rule_problems(rule, frame, table, LAYER)]


def _mapping(other: pd.DataFrame, lookup) -> pd.Series:
    """The other table's value by id: the first row's, the largest (as a number) or how many rows have the id.
    A list id column (`lookup.delimiter`) counts each of its items as an id."""
    values = pd.DataFrame({"ref": other[lookup.ref], "value": other[lookup.value]})
    if lookup.delimiter:
        values = values.assign(ref=values["ref"].str.split(lookup.delimiter)).explode("ref")
        values = values[values["ref"].fillna("") != ""]
    if lookup.aggregate == "count":
        return values.groupby("ref")["value"].size().astype(str)
    if lookup.aggregate == "max":
        numbers = pd.to_numeric(values["value"], errors="coerce")
        return numbers.groupby(values["ref"]).max().dropna().astype("int64").astype(str)
    values = values.drop_duplicates("ref")
    return pd.Series(values["value"].where(values["value"] != "", None).to_numpy(), index=values["ref"].to_numpy())
