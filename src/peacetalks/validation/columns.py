"""Layer 3: types and constraints per column, and the dataset rules of checks/.

Types and constraints are checked here directly, as pandera's own Frictionless converter would check them,
for the types and constraints this package's schemas use (string, list, number and integer fields;
required, pattern, enum, minimum and maximum): importing pandera and converting ten schemas took longer
than validating the real package. An integer is ASCII digits with an optional sign, as Table Schema writes
one: pandera's converter said different things of " 1" in a required and in an optional column, and
Python's int(), which frictionless uses, also reads "1_000" and other scripts' digits, which no later step
reads as a number. A schema with any other type or constraint is converted by pandera and checked by it, so no column
is defined twice. Keys are left to the keys layer, which reports each duplicate once.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from . import patterns, types
from .rulebook import checks

from .dates import DATE_PATTERN
from .characters import SURROGATE
from .package import constraints as field_constraints
from .structure import Table
from .report import Problem, allowed_values, shown

LAYER = "columns"
TYPE_WORDS = {"number": "a number", "integer": "an integer", "boolean": "true or false", "date": "a date (YYYY-MM-DD)",
              "datetime": "a date and time", "year": "a year"}
PATTERN_WORDS = {DATE_PATTERN: "an EDTF date (2025, 2025-02, 2025-02-18, a season 2025-21..24, with ~ ? or %, or an interval a/b)",
                 "[a-z0-9]+(-[a-z0-9]+)*": "a lowercase slug id (letters a-z, digits and single hyphens, like 'donald-trump')"}
SKIPPED_CHECKS = {"field_uniqueness", "column_in_dataframe", "column_in_schema", "dataframe_column_labels_unique"}


# What check_columns checks itself; a field with another type or constraint sends its table to pandera.
OWN_TYPES = {"string", "list", "number", "integer"}
OWN_CONSTRAINTS = {"required", "pattern", "enum", "unique", "minimum", "maximum"}  # unique is the keys layer's
INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")
TEXT_CONSTRAINTS = {"pattern", "enum"}  # on text only: an integer's enum holds numbers, not the cell's text
BOUNDS = {"minimum": ("less than the minimum", lambda value, bound: value < bound),
          "maximum": ("more than the maximum", lambda value, bound: value > bound)}


@lru_cache(maxsize=64)
def _column_schema(schema_json: str):
    from pandera.io.pandas_io import from_frictionless_schema  # only for a schema that needs it (see OWN_TYPES)

    schema = json.loads(schema_json)
    for field in schema.get("fields", []):
        if isinstance(field.get("constraints"), dict):
            field["constraints"].pop("pattern", None)  # matched in linear time by _pandera_checks
            for key, _ in types.constraint_faults(field, said_by_profile=True):  # said by the descriptor layer; pandera would crash
                field["constraints"].pop(key)
        if field.get("type") == "list":
            # The converter knows no list type: check the text, and let the keys layer check the items.
            field["type"] = "string"
    schema.pop("primaryKey", None)
    schema.pop("foreignKeys", None)
    converted = from_frictionless_schema(schema)
    # An optional integer (an empty scale_min) is a missing value, not 'nan': pandas' nullable integer.
    optional_integers = [f["name"] for f in schema.get("fields", [])
                         if f.get("type") == "integer" and not field_constraints(f).get("required")]
    return converted.update_columns({name: {"dtype": "Int64"} for name in optional_integers}) if optional_integers else converted


def column_schema(table: Table):
    full = _column_schema(json.dumps(table.resource.schema, sort_keys=True))
    present = [c for c in full.columns if c in table.frame.columns]
    return full.select_columns(present).update_columns({c: {"unique": False} for c in present})


def check_columns(table: Table) -> list[Problem]:
    frame = table.with_missing()
    problems = own_column_problems(frame, table)
    if problems is None:
        try:
            schema = column_schema(table)
        except Exception:  # noqa: BLE001 - an invalid Table Schema is reported by the descriptor layer
            schema = None
        problems = pandera_column_problems(schema, frame, table) if schema else []
    for name in table.resource.field_names:
        # reported by the header check; the rules see it as empty. A name holding a lone surrogate cannot
        # be a column of Arrow text (the descriptor layer reports it), so the rules never see it.
        if name not in frame.columns and not SURROGATE.search(name):
            frame[name] = None
    for rule in checks.rules_for(table.resource):
        problems += rule_problems(rule, frame, table)
    return problems


def rule_problems(rule: checks.Rule, frame: pd.DataFrame, table: Table, layer: str = LAYER) -> list[Problem]:
    """The rows that fail one dataset rule, each with its message.

    The rule runs directly, not through Pandera's DataFrameSchema: Pandera reports a failing table-wide
    check as one failure case per cell of each failing row (837,483 of them, in 23 s, for 73,491 rows with
    an impossible date), where the rule itself takes 0.1 s. Messages are made once per distinct set of the
    cells they show, and located in bulk."""
    try:
        failing = _failing_rows(rule.passes(frame), frame.index)
        if not len(failing):
            return []
        if rule.explain:  # worded only for the rows kept (Table.keep)
            messages = lambda picked: list(rule.explain(frame, failing[picked]))  # noqa: E731
        else:
            messages = lambda picked: _messages(rule, frame, failing[picked])  # noqa: E731
        return table.problems_at(layer, rule.code, failing, rule.column, messages)
    except KeyError as exc:
        if exc.args and exc.args[0] not in frame.columns:  # a column the schema lacks: the header check said so
            return []
        return [_crashed(rule, table, exc, layer)]
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - a rule that crashes is a problem to report, never a traceback
        return [_crashed(rule, table, exc, layer)]


def _failing_rows(passes, index: pd.Index) -> np.ndarray:
    """The positions where a rule's verdict is False (a missing verdict passes). A boolean Series on the
    frame's own index is read as it is: aligning and filling it cost 0.15 ms a rule, 30 ms of the real package."""
    if isinstance(passes, pd.Series) and passes.dtype == bool and (passes.index is index or passes.index.equals(index)):
        return np.flatnonzero(~passes.to_numpy())
    return np.flatnonzero(~np.asarray(pd.Series(passes, index=index).fillna(True), dtype=bool))


def _crashed(rule: checks.Rule, table: Table, exc: Exception, layer: str) -> Problem:
    return Problem(layer, "check-crashed", table.file, f"the rule {rule.code} could not run: {type(exc).__name__}: {exc}")


def _messages(rule: checks.Rule, frame: pd.DataFrame, rows: np.ndarray) -> list[str]:
    """The rule's message for each row, formatted once per distinct combination of the cells it names."""
    names = [n for n in rule.cells if n in frame.columns]
    columns = [frame[n].iloc[rows].tolist() for n in names]
    made: dict[tuple, str] = {}
    out = []
    for values in zip(*columns) if names else ((),) * len(rows):
        if values not in made:
            made[values] = rule.describe(dict(zip(names, values)))
        out.append(made[values])
    return out


def _own_fields(table: Table) -> list[dict] | None:
    """The schema's fields present in the table, when check_columns checks them all itself; else None."""
    fields = table.resource.schema.get("fields") if isinstance(table.resource.schema, dict) else None
    if not isinstance(fields, list) or not all(isinstance(f, dict) for f in fields):
        return None
    own = []
    for field in fields:
        constraints = field.get("constraints", {})
        if (not isinstance(field.get("name"), str) or not isinstance(field.get("type"), str) or not isinstance(constraints, dict)
                or not (field["type"] in OWN_TYPES or _other_type(field, constraints))
                or not set(constraints) <= OWN_CONSTRAINTS or not isinstance(constraints.get("pattern", ""), str)
                or not isinstance(constraints.get("enum", []), list) or not isinstance(constraints.get("required", False), bool)
                or (field["type"] in ("number", "integer") and TEXT_CONSTRAINTS & set(constraints))
                or any(not _is_number(constraints[bound]) for bound in BOUNDS if bound in constraints)):
            return None
        if field["name"] in table.frame.columns:
            own.append(field)
    return own


def _other_type(field: dict, constraints) -> bool:
    """A type of types.py in a format it reads, with no constraint but these (bounds and an enum compare
    typed values, which pandera reads)."""
    return types.reader(field) is not None and set(constraints) <= {"required", "pattern", "unique"}


def own_column_problems(frame: pd.DataFrame, table: Table) -> list[Problem] | None:
    """Types and constraints as pandera checks them after its Frictionless converter: a required field has no
    empty cell; every other check looks at the filled cells only: a number is what Python's float() reads,
    a pattern matches the whole value (patterns.py), an enum value is one of the list. None
    when a field needs pandera (OWN_TYPES, OWN_CONSTRAINTS)."""
    fields = _own_fields(table)
    if fields is None:
        return None
    problems = []
    for field in fields:
        column, constraints = field["name"], field.get("constraints", {})
        if field["type"] in ("string", "list") and not constraints.get("required") and not TEXT_CONSTRAINTS & set(constraints):
            continue  # text with no constraint: nothing to check
        values = frame[column]
        filled = values.notna()
        if constraints.get("required") and not filled.all():
            empty = np.flatnonzero(~filled.to_numpy())
            problems += table.problems_at(LAYER, "required", empty, column, ["is required but empty"] * len(empty))
        given = values[filled]
        checks = []
        if field["type"] in ("number", "integer"):
            unread, read = _numbers(given, int if field["type"] == "integer" else float)
            checks.append(("type", unread, "{} is not " + TYPE_WORDS[field["type"]]))
            for bound, (words, beyond) in BOUNDS.items():
                if bound in constraints:
                    limit = constraints[bound]
                    failing = np.fromiter((v is not None and beyond(v, limit) for v in read), bool, len(read))
                    checks.append((bound, failing, "{} is " + f"{words} {limit}"))
        checks += _type_check(field, given) + _pattern_check(constraints, given)
        if constraints.get("enum"):
            allowed = "{} is not one of " + allowed_values(constraints["enum"]).replace("{", "{{").replace("}", "}}")
            checks.append(("enum", ~given.isin(constraints["enum"]), allowed))
        for rule, failing, template in checks:
            problems += _located(table, rule, filled, given, failing, column, template)
    return problems


def _own_type(field: dict) -> bool:
    return isinstance(field.get("type"), str) and field["type"] in OWN_TYPES


def _type_check(field: dict, given: pd.Series) -> list[tuple]:
    """The type rule of a column of a type types.py reads (each distinct value read once); none for the
    types checked above or left to pandera."""
    read = types.reader(field) if not _own_type(field) else None
    if read is None or not len(given):
        return []
    verdicts = {value: not read(value) for value in given.unique().tolist()}
    return [("type", given.map(verdicts).to_numpy(dtype=bool), "{} is not " + types.words(field).replace("{", "{{").replace("}", "}}"))]


def _pattern_check(constraints: dict, given: pd.Series) -> list[tuple]:
    """The pattern rule of one column, matched in linear time (see patterns.py); none if the pattern is
    refused (the descriptor layer reports it) or absent."""
    pattern = constraints.get("pattern")
    if not isinstance(pattern, str) or patterns.refusal(pattern) or not len(given):
        return []
    words = PATTERN_WORDS.get(pattern, "matching the pattern " + shown(pattern, quoted=False))
    return [("pattern", patterns.mismatches(given, pattern), "{} is not " + words.replace("{", "{{").replace("}", "}}"))]


def _pandera_checks(frame: pd.DataFrame, table: Table) -> list[Problem]:
    """The patterns of a table that pandera checks otherwise: pandera matches with Python's re, which a
    stranger's pattern can keep busy for hours, so its schema is converted without them and they are
    matched here. So are the types types.py reads, which pandera let pass (text as a date or a boolean):
    pandera's own verdict on them is dropped."""
    problems = []
    for field in table.resource.fields:
        if field["name"] not in frame.columns:
            continue
        constraints = field_constraints(field)
        values = frame[field["name"]]
        filled = values.notna()
        for rule, failing, template in _type_check(field, values[filled]) + _pattern_check(constraints, values[filled]):
            problems += _located(table, rule, filled, values[filled], failing, field["name"], template)
    return problems


def _located(table: Table, rule: str, filled: pd.Series, given: pd.Series, failing, column: str, template: str) -> list[Problem]:
    """The problems of one check of one column: the failing filled cells, each message made once per value."""
    failing = np.asarray(failing, dtype=bool)
    if not failing.any():
        return []
    rows = np.flatnonzero(filled.to_numpy())[failing]
    values = given[failing]

    def messages(picked: np.ndarray) -> list[str]:  # worded only for the rows kept (Table.keep)
        made: dict[str, str] = {}
        return [made.setdefault(v, template.format(shown(v))) for v in values.iloc[picked].tolist()]
    return table.problems_at(LAYER, rule, rows, column, messages)


def _numbers(given: pd.Series, kind) -> tuple[np.ndarray, list]:
    """Which values `kind` (int or float) cannot read, and each value read (None where it cannot); each
    distinct value is read once. float() reads what pandera's number check accepts; an integer is
    INTEGER_TEXT."""
    read = {}
    for value in given.unique().tolist():
        try:
            if kind is int and not (isinstance(value, str) and INTEGER_TEXT.fullmatch(value)):
                raise ValueError(value)
            read[value] = kind(value)
        except (TypeError, ValueError):
            read[value] = None
    values = [read[v] for v in given.tolist()]
    return np.fromiter((v is None for v in values), bool, len(values)), values


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def pandera_column_problems(schema, frame: pd.DataFrame, table: Table) -> list[Problem]:
    """Types and constraints, by Pandera, with the patterns and types it is not given (_pandera_checks); its
    failure cases are worded once per distinct check and value."""
    return _pandera_verdict(schema, frame, table) + _pandera_checks(frame, table)


def _pandera_verdict(schema, frame: pd.DataFrame, table: Table) -> list[Problem]:
    import pandera.errors

    try:
        schema.validate(frame, lazy=True)
        return []
    except pandera.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    except Exception as exc:  # noqa: BLE001 - a check that crashes is a problem to report, never a traceback
        return [Problem(LAYER, "check-crashed", table.file, f"a check could not run: {type(exc).__name__}: {exc}")]
    names = cases["check"].astype(str).str.split("(").str[0]
    # An empty optional cell failed pandera's type coercion and was reported as 'nan' is not a year: empty is
    # the required check's to report, and an optional cell may be empty.
    typed = [f["name"] for f in table.resource.fields if not _own_type(f) and types.reader(f) is not None]
    cases = cases[~names.isin(SKIPPED_CHECKS) & ~(names.isin(["coerce_dtype", "dtype"])
                                                  & (cases["failure_case"].isna() | cases["column"].isin(typed)))]
    located = cases["index"].notna()
    problems = [Problem(LAYER, "check", table.file, f"{shown(c['column'], quoted=False)}: {shown(c['check'], quoted=False)}: "
                                                    f"{shown(c['failure_case'], quoted=False)}")
                for c in cases[~located].to_dict("records")]
    cases = cases[located]
    words = {}
    for column, check, value in set(zip(cases["column"], cases["check"].astype(str), cases["failure_case"].astype(str))):
        words[column, check, value] = _describe_column_failure(table, {"column": column, "check": check, "failure_case": value})
    keys = list(zip(cases["column"], cases["check"].astype(str), cases["failure_case"].astype(str)))
    described = pd.DataFrame({"row": cases["index"].astype("int64").to_numpy(), "column": cases["column"].to_numpy(),
                              "message": [words[k][1] for k in keys], "rule": [words[k][2] for k in keys]})
    described = described.drop_duplicates(["row", "column", "rule"])  # coerce_dtype and dtype say one thing
    for (column, rule), group in described.groupby(["column", "rule"], sort=False):
        problems += table.problems_at(LAYER, rule, group["row"].to_numpy(), column, group["message"].tolist())
    return problems


def _describe_column_failure(table: Table, failure: dict) -> tuple[str, str, str]:
    """Turn a Pandera failure case into words for the person who will fix the cell."""
    column, check, value = failure["column"], str(failure["check"]), failure["failure_case"]
    name = check.split("(")[0]
    if name in ("coerce_dtype", "dtype"):
        field_type = (table.resource.field(column) or {}).get("type")
        return column, f"{shown(value)} is not {TYPE_WORDS.get(field_type, 'of type ' + str(field_type))}", "type"
    if name == "not_nullable":
        return column, "is required but empty", "required"
    if name == "isin":  # named from the schema: pandera's check names every value, 99,000 of them if so many
        enum = field_constraints(table.resource.field(column) or {}).get("enum")
        allowed = allowed_values(enum) if isinstance(enum, list) else shown(check[len("isin("):-1])
        return column, f"{shown(value)} is not one of {allowed}", "enum"
    return column, f"{shown(value)} fails the check {shown(check, quoted=False)}", name
