"""Layer 4: primary keys are unique and every foreign key resolves, comparing the exact cell text."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .package import ForeignKey, Package
from .report import Problem
from .structure import Table

LAYER = "keys"


def check_keys(package: Package, tables: dict[str, Table]) -> list[Problem]:
    problems: list[Problem] = []
    for table in tables.values():
        problems += _primary_key(table)
        for key in table.resource.foreign_keys():
            problems += _foreign_key(table, key, tables)
    return problems


def _primary_key(table: Table) -> list[Problem]:
    key = [c for c in table.resource.primary_key if c in table.frame.columns]
    if not key or len(key) != len(table.resource.primary_key):
        return []
    frame = table.frame[key]
    filled = (frame != "").all(axis=1)  # an empty key is the required check's to report
    repeated = frame.duplicated(keep="first") & filled
    if not repeated.any():
        return []
    first_line = {}
    for row, values in zip(table.lines, map(tuple, frame.to_numpy())):
        first_line.setdefault(values, row)
    return [table.problem(LAYER, "primary-key", row, key[0],
                          f"{', '.join(map(repr, values))} is already used on line {first_line[values]}; ids must be unique")
            for row, values in ((r, tuple(frame.iloc[r])) for r in np.flatnonzero(repeated.to_numpy()))]


def _foreign_key(table: Table, key: ForeignKey, tables: dict[str, Table]) -> list[Problem]:
    target = tables.get(key.resource)
    # Composite or malformed keys are the descriptor check's to report; a missing table, the structure check's.
    if len(key.fields) != 1 or len(key.ref_fields) != 1 or target is None:
        return []
    column, ref_column, ref_name = key.fields[0], key.ref_fields[0], key.resource
    if column not in table.frame.columns or ref_column not in target.frame.columns:
        return []
    known = set(target.frame[ref_column]) - {""}
    values = table.frame[column]
    if key.is_list:
        delimiter = (table.resource.field(column) or {}).get("delimiter", ",")
        unknown = {v: [i for i in v.split(delimiter) if i not in known] for v in set(values) - {""}}
        bad = pd.Series([item for v in values for item in unknown.get(v, [])],
                        index=[row for row, v in enumerate(values) for _ in unknown.get(v, [])], dtype=object)
    else:
        bad = values[(values != "") & ~values.isin(known)]
    where = f"{ref_name}.{ref_column}"
    problems = []
    for row, value in bad.items():
        hint = "; note the whitespace around it" if value.strip() in known else ""
        what = f"item {value!r}" if key.is_list else repr(value)
        problems.append(table.problem(LAYER, "foreign-key", int(row), column, f"{what} has no match in {where}{hint}"))
    return problems
