"""Layer 3: types and constraints per column, and the dataset rules of checks/, all as Pandera schemas.

The column schema is derived from the Table Schema by pandera's own Frictionless converter, so no column
is defined twice. Keys are left to the keys layer, which reports each duplicate once.
"""

from __future__ import annotations

import json
from functools import lru_cache

import pandas as pd
import pandera.pandas as pa
from pandera.io.pandas_io import from_frictionless_schema

from peacetalks import checks

from .dates import DATE_PATTERN
from .structure import Table
from .report import Problem

LAYER = "columns"
TYPE_WORDS = {"number": "a number", "integer": "an integer", "boolean": "true or false", "date": "a date (YYYY-MM-DD)",
              "datetime": "a date and time", "year": "a year"}
PATTERN_WORDS = {DATE_PATTERN: "an EDTF date (2025, 2025-02, 2025-02-18, a season 2025-21..24, with ~ ? or %, or an interval a/b)",
                 "[a-z0-9]+(-[a-z0-9]+)*": "a lowercase slug id (letters a-z, digits and single hyphens, like 'donald-trump')"}
SKIPPED_CHECKS = {"field_uniqueness", "column_in_dataframe", "column_in_schema", "dataframe_column_labels_unique"}


@lru_cache(maxsize=64)
def _column_schema(schema_json: str) -> pa.DataFrameSchema:
    schema = json.loads(schema_json)
    for field in schema.get("fields", []):
        if field.get("type") == "list":
            # The converter knows no list type: check the text, and let the keys layer check the items.
            field["type"] = "string"
    schema.pop("primaryKey", None)
    schema.pop("foreignKeys", None)
    return from_frictionless_schema(schema)


def column_schema(table: Table) -> pa.DataFrameSchema:
    full = _column_schema(json.dumps(table.resource.schema, sort_keys=True))
    present = [c for c in full.columns if c in table.frame.columns]
    return full.select_columns(present).update_columns({c: {"unique": False} for c in present})


def as_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Empty cells are missing values (the Table Schema default missingValues [""])."""
    return frame.where(frame != "", None)


def check_columns(table: Table) -> list[Problem]:
    frame = as_missing(table.frame)
    try:
        schema = column_schema(table)
    except Exception:  # noqa: BLE001 - an invalid Table Schema is reported by the descriptor layer
        schema = None
    problems = _run(schema, frame, table, lambda failure, row: _describe_column_failure(table, failure)) if schema else []
    rules = checks.rules_for(table.resource)
    by_code = {rule.code: rule for rule in rules}
    for name in table.resource.field_names:
        if name not in frame.columns:  # reported by the header check; the rules see it as empty
            frame[name] = None
    problems += _run(checks.pandera_schema(rules), frame, table,
                     lambda failure, row: (by_code[failure["check"]].column,
                                           by_code[failure["check"]].describe(_row_dict(table, row)),
                                           failure["check"]))
    return problems


def _row_dict(table: Table, row: int) -> dict:
    return dict(table.frame.iloc[row].items())


def _run(schema: pa.DataFrameSchema, frame: pd.DataFrame, table: Table, describe) -> list[Problem]:
    try:
        schema.validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    except Exception as exc:  # a check that crashes is a problem to report, never a traceback
        return [Problem(LAYER, "check-crashed", table.file, f"a check could not run: {type(exc).__name__}: {exc}")]
    problems, seen = [], set()
    for failure in cases.to_dict("records"):
        if str(failure["check"]).split("(")[0] in SKIPPED_CHECKS:
            continue
        index = failure.get("index")
        row = int(index) if index is not None and not pd.isna(index) else None
        if row is None:
            problems.append(Problem(LAYER, "check", table.file, f"{failure['column']}: {failure['check']}: {failure['failure_case']}"))
            continue
        column, message, rule = describe(failure, row)
        if (row, column, rule) not in seen:
            seen.add((row, column, rule))
            problems.append(table.problem(LAYER, rule, row, column, message))
    return problems


def _describe_column_failure(table: Table, failure: dict) -> tuple[str, str, str]:
    """Turn a Pandera failure case into words for the person who will fix the cell."""
    column, check, value = failure["column"], str(failure["check"]), failure["failure_case"]
    name = check.split("(")[0]
    if name in ("coerce_dtype", "dtype"):
        field_type = (table.resource.field(column) or {}).get("type")
        return column, f"{value!r} is not {TYPE_WORDS.get(field_type, 'of type ' + str(field_type))}", "type"
    if name == "not_nullable":
        return column, "is required but empty", "required"
    if name == "str_matches":
        pattern = check[len("str_matches('^"):-len("$')")]
        return column, f"{value!r} is not {PATTERN_WORDS.get(pattern, 'matching the pattern ' + pattern)}", "pattern"
    if name == "isin":
        return column, f"{value!r} is not one of the allowed values {check[len('isin('):-1]}", "enum"
    return column, f"{value!r} fails the check {check}", name
