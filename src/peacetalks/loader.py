"""`peacetalks.load()`: every table as a typed pandas DataFrame, validated first.

Types come from the Table Schemas: vocabularies become categoricals (with every allowed value as a
category, used or not), numbers nullable floats, `;` lists Python lists, and each partial date also
becomes `<column>_start` and `<column>_end` days, so that '2025-08' can be filtered as 2025-08-01..31.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .dates import DATE_PATTERN, date_span
from .package import Resource, category_values
from .report import Problem
from .timeline import add_timeline
from .engine import validate_and_read


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


def load(path: str | Path | None = None) -> Tables:
    """Validate the package at `path` (a descriptor or its folder; default ./datapackage.json) and return
    its tables. Raises InvalidPackageError listing every problem when it is not valid."""
    problems, tables = validate_and_read(path)
    if problems:
        raise InvalidPackageError(problems)
    return typed_tables(tables)


def typed_tables(tables: dict) -> Tables:
    """Validated tables (engine.validate_and_read) as load() returns them: typed, and placed in time."""
    typed = Tables((name, typed_frame(table.resource, table.frame)) for name, table in tables.items())
    add_timeline(typed)
    return typed


def vocabulary(field: dict, cells: pd.Series | None = None) -> list[str] | None:
    """The categories of a vocabulary field: its enum, or its categories followed by the codes of its code
    list that the data uses (the unit field: percent, persons, ... then USD, EUR)."""
    enum = (field.get("constraints") or {}).get("enum")
    if enum:
        return list(enum)
    listed = category_values(field)
    if not listed:
        return None
    used = set(cells) - set(listed) - {""} if cells is not None and field.get("x-codelist") else set()
    return listed + sorted(used)


def is_partial_date(field: dict) -> bool:
    return (field.get("constraints") or {}).get("pattern") == DATE_PATTERN


def typed_frame(resource: Resource, raw: pd.DataFrame) -> pd.DataFrame:
    """Raw cell text (as validated) -> typed columns, in schema order, with date spans after each date."""
    out = {}
    for field in resource.fields:
        name, kind = field["name"], field.get("type", "string")
        cells = raw[name]
        empty = cells == ""
        if kind == "list":
            delimiter = field.get("delimiter", ",")
            out[name] = pd.Series([[] if c == "" else c.split(delimiter) for c in cells], index=raw.index, dtype=object)
        elif kind in ("number", "integer"):
            out[name] = pd.to_numeric(cells.mask(empty), errors="raise").astype("Int64" if kind == "integer" else "Float64")
        elif vocabulary(field):
            out[name] = pd.Categorical(cells.mask(empty), categories=vocabulary(field, cells))
        else:
            out[name] = cells.mask(empty).astype("string")
        if is_partial_date(field):
            spans = [date_span(c) if c else None for c in cells]
            out[f"{name}_start"] = pd.to_datetime(pd.Series([s[0] if s else None for s in spans], index=raw.index, dtype=object))
            out[f"{name}_end"] = pd.to_datetime(pd.Series([s[1] if s else None for s in spans], index=raw.index, dtype=object))
    return pd.DataFrame(out, index=raw.index)
