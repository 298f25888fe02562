"""Layer 2: the structure of each CSV file (encoding, line endings, header, cells, blank and duplicate rows).

A table that passes far enough to be aligned with its schema comes back as a `Table` of raw strings, so
that later layers check exactly what is in the file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .package import Package, Resource
from .report import Problem

LAYER = "structure"


@dataclass
class Table:
    resource: Resource
    file: str  # path relative to the package root, for messages
    frame: pd.DataFrame  # raw cell text, one column per schema field present in the header
    lines: np.ndarray  # the file line where each row starts

    def locate(self, row: int) -> tuple[int, str | None, str | None]:
        """Line, id field and id value of a row, for messages."""
        key = self.resource.primary_key
        id_field = key[0] if len(key) == 1 and key[0] in self.frame.columns else None
        return int(self.lines[row]), id_field, (self.frame.at[row, id_field] if id_field else None)

    def problem(self, layer: str, rule: str, row: int, column: str | None, message: str) -> Problem:
        line, id_field, id_value = self.locate(row)
        return Problem(layer, rule, self.file, message, line, id_field, id_value or None, column)


def read_table(package: Package, resource: Resource) -> tuple[Table | None, list[Problem]]:
    file = resource.path
    path = package.root / file
    problems: list[Problem] = []

    def fault(rule: str, message: str, line: int | None = None, column: str | None = None) -> None:
        problems.append(Problem(LAYER, rule, file, message, line, column=column))

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        fault("missing-file", f"file not found (resource '{resource.name}')")
        return None, problems
    except OSError as exc:
        fault("unreadable-file", f"cannot be read: {exc.strerror}")
        return None, problems
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        fault("encoding", f"is not valid UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded; save the file as UTF-8", line)
        return None, problems
    if text.startswith("\ufeff"):
        fault("encoding", "starts with a byte-order mark; save as UTF-8 without BOM", 1)
        text = text[1:]
    if "\r" in text:
        first = text[: text.index("\r")].count("\n") + 1
        fault("line-endings", f"uses CR or CRLF line endings (first on line {first}); the package uses LF", first)
    if not text.strip():
        fault("empty-file", "is empty: expected a header row and data")
        return None, problems

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, lines = [], []
    try:
        header = next(reader)
        start = reader.line_num + 1
        for cells in reader:
            if cells:
                rows.append(cells)
                lines.append(start)
            else:
                fault("blank-row", "is a blank row; remove it", start)
            start = reader.line_num + 1
    except csv.Error as exc:
        fault("csv-syntax", f"is not well-formed CSV: {exc}; nothing after it was read", reader.line_num)
        return None, problems

    columns = _check_header(header, resource, fault)
    width = len(header)
    keep_rows, keep_lines, seen = [], [], {}
    for cells, line in zip(rows, lines):
        if len(cells) != width:
            fault("cell-count", f"has {len(cells)} cells but the header has {width}; the row was not checked further", line)
            continue
        key = tuple(cells)
        if key in seen:
            fault("duplicate-row", f"repeats line {seen[key]} exactly", line)
            continue
        seen[key] = line
        keep_rows.append(cells)
        keep_lines.append(line)

    frame = pd.DataFrame(keep_rows, columns=header, dtype=object) if keep_rows else pd.DataFrame(columns=header, dtype=object)
    frame = frame.loc[:, ~frame.columns.duplicated()][columns].reset_index(drop=True)
    table = Table(resource, file, frame, np.asarray(keep_lines, dtype=int))
    problems += _padding(table)
    return table, problems


def _check_header(header: list[str], resource: Resource, fault) -> list[str]:
    """Report how the header differs from the schema; return the schema columns that are present."""
    expected = resource.field_names
    for name in sorted({h for h in header if header.count(h) > 1}):
        fault("header", f"header: column '{name}' appears more than once", 1)
    missing = [n for n in expected if n not in header]
    extra = [h for h in header if h not in expected]
    for name in missing:
        fault("header", f"header: column '{name}' is missing", 1, name)
    for name in extra:
        hint = " (is it a renamed or misspelled column?)" if missing else ""
        fault("header", f"header: column '{name}' is not in the schema{hint}", 1, name)
    present = [h for h in header if h in expected]
    if not missing and not extra and present != expected:
        fault("header", "header: columns are out of order; expected " + ", ".join(expected), 1)
    return [n for n in expected if n in header]


# C0 control characters other than tab and newline, and DEL: invisible, and unwritable to XLSX.
_CONTROL = r"[\x00-\x08\x0b-\x1f\x7f]"


def _padding(table: Table) -> list[Problem]:
    """Cells with leading or trailing whitespace (they look right and silently fail to match) or with
    control characters (invisible, usually the debris of a bad copy)."""
    problems = []
    for column in table.frame.columns:
        values = table.frame[column]
        padded = (values.str.strip() != values).to_numpy()
        control = values.str.contains(_CONTROL, regex=True).to_numpy()
        for row in np.flatnonzero(padded):
            problems.append(table.problem(LAYER, "whitespace", row, column,
                                          f"{values.iat[row]!r} has leading or trailing whitespace"))
        for row in np.flatnonzero(control):
            problems.append(table.problem(LAYER, "control-character", row, column,
                                          f"{values.iat[row]!r} contains a control character"))
    return problems
