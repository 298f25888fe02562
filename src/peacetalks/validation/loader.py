"""`peacetalks.load()`: every table as a typed pandas DataFrame, validated first.

Types come from the Table Schemas: vocabularies become categoricals (with every allowed value as a
category, used or not), numbers nullable floats, `;` lists Python lists, and each partial date also
becomes `<column>_first_day` and `<column>_last_day`, so that '2025-08' can be filtered as 2025-08-01..31.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .dates import DATE_PATTERN, DAY_COLUMNS, date_span
from .package import PackageError, Resource, category_values, constraints, enum_values, list_delimiter
from .report import Problem
from .timeline import add_timeline
from .voice import add_voice
from .engine import validate_and_read
from .locate import find_descriptor
from .raw import read_raw

# The days a date covers, as columns after it: (suffix, what the day is), in this order.


class InvalidPackageError(ValueError):
    """The package did not validate; `.problems` holds every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"the package is not valid ({count}):\n{shown}{more}")


class Tables(dict):
    """The tables by name; also reachable as attributes (`tables.figures`)."""

    def __getattr__(self, name: str) -> pd.DataFrame:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"no table {name!r}; the tables are {', '.join(self)}") from None


def load(path: str | Path | None = None, validate: bool = True) -> Tables:
    """The tables of the package at `path` (a descriptor or its folder), typed.

    Without a path: the nearest datapackage.json in the current folder or above it, else the copy installed
    with the toolkit; PackageNotFoundError says where it looked. With `validate` (the default) the package
    is checked first and InvalidPackageError lists every problem; `validate=False` reads a work in progress
    (a table that cannot be read at all still raises PackageError)."""
    descriptor = find_descriptor(path)
    if not validate:
        package, frames = read_raw(descriptor)
        typed = Tables((r.name, typed_frame(r, frames[r.name], strict=False)) for r in package.resources)
        add_timeline(typed)
        add_voice(typed)
        return typed
    problems, tables = validate_and_read(descriptor)
    if problems:
        raise InvalidPackageError(problems)
    return typed_tables(tables)


def typed_tables(tables: dict) -> Tables:
    """Validated tables (engine.validate_and_read) as load() returns them: typed, and placed in time."""
    typed = Tables((name, typed_frame(table.resource, table.frame)) for name, table in tables.items())
    add_timeline(typed)
    add_voice(typed)
    return typed


def vocabulary(field: dict, cells: pd.Series | None = None) -> list[str] | None:
    """The categories of a vocabulary field: its enum, or its categories followed by the codes of its code
    list that the data uses (the unit field: percent, persons, ... then USD, EUR)."""
    enum = enum_values(field)
    if enum:
        return list(enum)
    listed = category_values(field)
    if not listed:
        return None
    used = set(cells) - set(listed) - {""} if cells is not None and field.get("x-codelist") else set()
    return listed + sorted(used)


def is_partial_date(field: dict) -> bool:
    return constraints(field).get("pattern") == DATE_PATTERN


def typed_frame(resource: Resource, raw: pd.DataFrame, strict: bool = True) -> pd.DataFrame:
    """Raw cell text -> typed columns, in schema order, with the days each date covers after it.

    `strict` (for validated text): a cell that does not fit its type raises. Otherwise (a work in progress)
    such a number becomes missing and such a vocabulary value stays as a category of its own."""
    out = {}
    for field in resource.fields:
        name, kind = field["name"], field.get("type", "string")
        cells = raw[name]
        empty = cells == ""
        if kind == "list":
            delimiter = list_delimiter(field)
            out[name] = pd.Series([[] if c == "" else c.split(delimiter) for c in cells], index=raw.index, dtype=object)
        elif kind in ("number", "integer"):
            numbers = pd.to_numeric(cells.mask(empty), errors="raise" if strict else "coerce")
            if kind == "integer" and not strict:
                numbers = numbers.where(numbers.isna() | (numbers % 1 == 0))
            out[name] = numbers.astype("Int64" if kind == "integer" else "Float64")
        elif vocabulary(field):
            categories = vocabulary(field, cells)
            if not strict:
                categories += sorted(set(cells) - set(categories) - {""})
            out[name] = pd.Categorical(cells.mask(empty), categories=categories)
        else:
            out[name] = cells.mask(empty).astype("string")
        if is_partial_date(field):
            spans = [date_span(c) if c else None for c in cells]
            for position, (suffix, _) in enumerate(DAY_COLUMNS):
                if f"{name}{suffix}" in resource.field_names:  # it would silently replace that field's values
                    raise PackageError(f"{resource.schema_path or resource.name}: the field {name}{suffix!s} has the name of "
                                       f"the day column derived from {name}: rename it")
                days = pd.Series([s[position] if s else None for s in spans], index=raw.index, dtype=object)
                out[f"{name}{suffix}"] = pd.to_datetime(days)
    return pd.DataFrame(out, index=raw.index)
