"""Layer 4: primary keys are unique and every foreign key resolves, comparing the exact cell text."""

from __future__ import annotations

from difflib import get_close_matches

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .package import ForeignKey, Package, list_delimiter
from .report import Problem, shown
from .structure import Table

LAYER = "keys"


def check_keys(package: Package, tables: dict[str, Table]) -> list[Problem]:
    problems: list[Problem] = []
    known: dict[tuple[str, str], pa.Array] = {}  # the values of each referenced column, gathered once
    budget = [SUGGESTION_BUDGET]  # shared by every key: one broken key or thirty, "did you mean" costs the same
    for table in tables.values():
        problems += _primary_key(table)
        for key in table.resource.foreign_keys():
            problems += _foreign_key(table, key, tables, known, budget)
    return problems


def _primary_key(table: Table) -> list[Problem]:
    key = [c for c in table.resource.primary_key if c in table.frame.columns]
    if not key or len(key) != len(table.resource.primary_key):
        return []
    if len(key) == 1 and len(pc.unique(_arrow(table.frame[key[0]]))) == len(table.frame):
        return []  # the usual case, settled by one Arrow hash count
    frame = table.frame[key]
    filled = (frame != "").all(axis=1)  # an empty key is the required check's to report
    repeated = frame.duplicated(keep="first") & filled
    if not repeated.any():
        return []
    first_line = {}
    for row, values in zip(table.lines, map(tuple, frame.to_numpy())):
        first_line.setdefault(values, row)
    rows = np.flatnonzero(repeated.to_numpy())
    messages = [f"{', '.join(map(shown, values))} is already used on line {first_line[values]}; ids must be unique"
                for values in map(tuple, frame.iloc[rows].to_numpy())]
    return table.problems_at(LAYER, "primary-key", rows, key[0], messages)


def _foreign_key(table: Table, key: ForeignKey, tables: dict[str, Table], known: dict, budget: list[int]) -> list[Problem]:
    target = tables.get(key.resource)
    # Composite or malformed keys are the descriptor check's to report; a missing table, the structure check's.
    if len(key.fields) != 1 or len(key.ref_fields) != 1 or target is None:
        return []
    column, ref_column, ref_name = key.fields[0], key.ref_fields[0], key.resource
    if column not in table.frame.columns or ref_column not in target.frame.columns:
        return []
    if (ref_name, ref_column) not in known:
        known[ref_name, ref_column] = pc.unique(_arrow(target.frame[ref_column]))
    values = _arrow(table.frame[column])
    if key.is_list:  # each item of each filled cell, with the row it came from
        delimiter = list_delimiter((table.resource.field(column) or {}))
        filled = np.flatnonzero(pc.not_equal(values, "").to_numpy(zero_copy_only=False))
        lists = pc.split_pattern(values.take(pa.array(filled)), delimiter)
        rows = filled[pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)]
        values = pc.list_flatten(lists)
        bad = pc.invert(pc.is_in(values, value_set=known[ref_name, ref_column]))  # an empty item is unknown too
    else:
        rows = np.arange(len(values))
        bad = pc.and_(pc.not_equal(values, ""), pc.invert(pc.is_in(values, value_set=known[ref_name, ref_column])))
    bad = np.flatnonzero(bad.to_numpy(zero_copy_only=False))
    if not len(bad):
        return []
    where, what = f"{ref_name}.{ref_column}", "item {!r}" if key.is_list else "{!r}"

    def messages(picked: np.ndarray) -> list[str]:  # worded, and hinted, only for the rows kept (Table.keep)
        bad_values = values.take(pa.array(bad[picked])).to_pylist()
        hints = _hints(dict.fromkeys(bad_values), known[ref_name, ref_column].to_pylist(), budget)
        return [f"{what.format(value)} has no match in {where}{hints[value]}" for value in bad_values]
    return table.problems_at(LAYER, "foreign-key", rows[bad], column, messages)


# Work allowed for "did you mean" (values compared in all, over every key of the package): difflib compares
# each unknown value with every known one, so on a large table with every key broken only the first unknown
# values get a suggestion. A value is compared only if the whole list fits in what is left.
SUGGESTION_BUDGET = 300_000  # about 1 s of difflib at most


def _hints(values, known: list[str], budget: list[int]) -> dict[str, str]:
    """For each unknown value, what might be meant: the same value without its padding, or the closest ids.
    `budget` (one number in a list, shared between calls) is what is left of SUGGESTION_BUDGET."""
    known_set, hints = set(known), {}
    for value in values:
        if value.strip() in known_set and value.strip():
            hints[value] = "; note the whitespace around it"
            continue
        close = []
        if value and budget[0] >= len(known):  # a misspelling, else a shortened id
            close = get_close_matches(value, known, n=3, cutoff=0.75) or [k for k in known if k.startswith(value)][:3]
            budget[0] -= len(known)
        hints[value] = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
    return hints


def _arrow(values: pd.Series) -> pa.Array:
    # Arrow's own kernels on the column's Arrow memory: pandas' isin on text makes a Python string per value.
    return pa.array(values, pa.string())
