"""Layer 2: the structure of each CSV file (encoding, line endings, header, cells, blank and duplicate rows).

A table that passes far enough to be aligned with its schema comes back as a `Table` of raw strings, so
that later layers check exactly what is in the file.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

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

    fast = _parse_fast(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw)
    if fast is not None:
        header, arrow, lines = fast
        columns = _check_header(header, resource, fault)
        arrow = arrow.select(columns)
        frame = pd.DataFrame({name: arrow.column(name).to_numpy(zero_copy_only=False) for name in columns}, dtype=object)
    else:
        parsed = _parse(text, fault)
        if parsed is None:
            return None, problems
        header, rows, lines = parsed
        columns = _check_header(header, resource, fault)
        rows, lines = _drop_bad_rows(rows, lines, len(header), fault)
        cells = dict(zip(header, map(list, zip(*rows)))) if rows else {name: [] for name in header}
        frame = pd.DataFrame({name: cells[name] for name in columns}, dtype=object)
    table = Table(resource, file, frame, np.asarray(lines, dtype=int))
    problems += _suspicious_cells(table, check_control=bool(_CONTROL.search(text)))
    return table, problems


def _parse_fast(raw: bytes) -> tuple[list[str], pa.Table, np.ndarray] | None:
    """The usual case, read by pyarrow's CSV reader: one record per line, no blank, ragged or repeated rows.

    None whenever the file is anything else; the careful reader below then finds and locates each fault.
    """
    if b"\n\n" in raw or b"\n\r\n" in raw or raw.startswith((b"\n", b"\r")):  # blank rows: the careful reader reports them
        return None
    if not _quotes_close_fields(raw):
        return None
    first_line = raw.split(b"\n", 1)[0]
    try:
        header = next(csv.reader([first_line.decode("utf-8")], strict=True))
        if len(set(header)) != len(header) or b'"' in first_line:
            return None
        table = pacsv.read_csv(
            io.BytesIO(raw),
            read_options=pacsv.ReadOptions(use_threads=True),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={name: pa.string() for name in header}, null_values=[],
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (csv.Error, pa.ArrowInvalid, UnicodeDecodeError, StopIteration):
        return None
    lines = raw.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    if table.column_names != header or len(lines) != table.num_rows + 1:  # a cell spans lines, or a blank row
        return None
    if len(set(lines)) != len(lines):  # one record per line, so a repeated line is a repeated row
        return None
    return header, table, np.arange(2, table.num_rows + 2)


_QUOTE, _FIELD_START, _FIELD_END = ord('"'), {-1, ord(","), ord("\n")}, {-1, ord(","), ord("\n"), ord("\r")}


def _quotes_close_fields(raw: bytes) -> bool:
    """Whether every quoted field opens at the start of a field and closes at its end.

    pyarrow reads '"x"y' as 'xy' where the strict reader refuses it; a file this cannot vouch for goes to
    the strict reader, so the fast path never accepts what the strict one rejects.
    """
    data = np.frombuffer(raw.replace(b'""', b""), dtype=np.uint8)  # escaped quotes are not delimiters
    quotes = np.flatnonzero(data == _QUOTE)
    if len(quotes) % 2:
        return False
    opens, closes = quotes[0::2], quotes[1::2]
    before_open = np.where(opens > 0, data[np.maximum(opens - 1, 0)].astype(np.int16), -1)  # -1: start of file
    after_close = np.where(closes + 1 < len(data), data[np.minimum(closes + 1, len(data) - 1)].astype(np.int16), -1)
    return bool(np.isin(before_open, list(_FIELD_START)).all() and np.isin(after_close, list(_FIELD_END)).all())


def _parse(text: str, fault) -> tuple[list[str], list[list[str]], list[int]] | None:
    """Header, rows and the line each row starts on; blank rows reported and dropped."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = list(reader)
    except csv.Error as exc:
        fault("csv-syntax", f"is not well-formed CSV: {exc}; nothing after it was read", reader.line_num)
        return None
    physical_lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if physical_lines == len(records):  # one record per line: the line is the position (the usual case)
        starts = range(1, len(records) + 1)
    else:  # a cell spans lines: read again, noting where each record starts
        reader, starts, start = csv.reader(io.StringIO(text, newline=""), strict=True), [], 1
        for _ in reader:
            starts.append(start)
            start = reader.line_num + 1
    header, rows, lines = records[0], [], []
    for record, line in zip(records[1:], starts[1:]):
        if record:
            rows.append(record)
            lines.append(line)
        else:
            fault("blank-row", "is a blank row; remove it", line)
    return header, rows, lines


def _drop_bad_rows(rows, lines, width, fault):
    """Rows with the wrong number of cells or repeating an earlier row are reported and set aside."""
    if all(len(r) == width for r in rows) and len(set(map(tuple, rows))) == len(rows):
        return rows, lines
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
    return keep_rows, keep_lines


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
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _suspicious_cells(table: Table, check_control: bool) -> list[Problem]:
    """Cells with leading or trailing whitespace (they look right and silently fail to match) or with
    control characters (invisible, usually the debris of a bad copy). Each distinct value is tested once."""
    problems = []
    for column in table.frame.columns:
        values = table.frame[column].tolist()
        padded = {v for v in set(values) if v and (v[0].isspace() or v[-1].isspace())}
        control = {v for v in set(values) if _CONTROL.search(v)} if check_control else set()
        if not (padded or control):
            continue
        for row, value in enumerate(values):
            if value in padded:
                problems.append(table.problem(LAYER, "whitespace", row, column, f"{value!r} has leading or trailing whitespace"))
            if value in control:
                problems.append(table.problem(LAYER, "control-character", row, column, f"{value!r} contains a control character"))
    return problems
