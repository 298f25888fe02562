"""Layer 2: the structure of each CSV file (encoding, line endings, header, cells, blank and duplicate rows).

A table that passes far enough to be aligned with its schema comes back as a `Table` of raw strings, so
that later layers check exactly what is in the file.
"""

from __future__ import annotations

import csv
import io
import re
import threading
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .characters import CONTROL_IN_TEXT, escaped
from .package import MAX_TABLE_BYTES, TABLES, LineTooLong, Package, RefusedPath, Resource, inside, read_limited
from .report import Problem, shown

LAYER = "structure"


@dataclass
class Table:
    resource: Resource
    file: str  # path relative to the package root, for messages
    frame: pd.DataFrame  # raw cell text ("str" columns, empty cells ""), one column per schema field in the header
    lines: np.ndarray  # the file line where each row starts
    _missing: tuple = field(default=(None, None), repr=False, compare=False)
    # What a person reads (engine.validate_for_reading): at most `keep` problems of one kind from one call of
    # problems_at, those of the first lines, and the count of the others in `dropped` (kind -> count); None
    # keeps all. A table broken on every row then makes a few Problem objects per rule, not one per row.
    keep: int | None = field(default=None, repr=False, compare=False)
    dropped: Counter = field(default_factory=Counter, repr=False, compare=False)
    _dropping: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)  # keys run on a second thread

    def with_missing(self) -> pd.DataFrame:
        """The frame with empty cells as missing values, as the column and cross-table checks read it: made once
        per frame (each check adds its columns to its own shallow copy, which leaves this one as it is)."""
        if self._missing[0] is not self.frame:
            self._missing = (self.frame, as_missing(self.frame))
        return self._missing[1].copy(deep=False)

    def locate(self, row: int) -> tuple[int, str | None, str | None]:
        """Line, id field and id value of a row, for messages."""
        key = self.resource.primary_key
        id_field = key[0] if len(key) == 1 and key[0] in self.frame.columns else None
        return int(self.lines[row]), id_field, (self.frame.at[row, id_field] if id_field else None)

    def problem(self, layer: str, rule: str, row: int, column: str | None, message: str) -> Problem:
        line, id_field, id_value = self.locate(row)
        return Problem(layer, rule, self.file, message, line, id_field, id_value or None, column)

    def problems_at(self, layer: str, rule: str, rows, column: str | None, messages) -> list[Problem]:
        """One problem per row of `rows` (positions), located in bulk: no pandas lookup per row. `messages` is
        a list beside `rows`, or a function that makes the messages of the rows at the positions it is given in
        `rows` (so that rows cut by `keep` are never worded)."""
        rows = np.asarray(rows, dtype=np.int64)
        picked = None
        if self.keep is not None and len(rows) > self.keep:
            # The rows of the first lines (a table's lines grow with its rows), as the report orders them.
            picked = np.argsort(rows, kind="stable")[:self.keep]
            with self._dropping:
                self.dropped[(self.file, rule, column)] += len(rows) - self.keep
            rows = rows[picked]
        if callable(messages):
            messages = messages(np.arange(len(rows)) if picked is None else picked)
        elif picked is not None:
            messages = [messages[i] for i in picked.tolist()]
        key = self.resource.primary_key
        id_field = key[0] if len(key) == 1 and key[0] in self.frame.columns else None
        ids = self.frame[id_field].iloc[rows].tolist() if id_field else [None] * len(rows)
        return [Problem(layer, rule, self.file, message, line, id_field, id_value or None, column)
                for line, id_value, message in zip(self.lines[rows].tolist(), ids, messages)]


def read_table(package: Package, resource: Resource, keep: int | None = None) -> tuple[Table | None, list[Problem]]:
    """The table of `resource` as raw text, and the problems of its structure; the table keeps at most `keep`
    problems of a kind from each of its checks (Table.keep), these included."""
    file = resource.path
    problems: list[Problem] = []

    def fault(rule: str, message: str, line: int | None = None, column: str | None = None,
              id_field: str | None = None, id_value: str | None = None) -> None:
        problems.append(Problem(LAYER, rule, file, message, line, id_field, id_value or None, column))

    try:
        raw = read_limited(inside(package.root, file, TABLES), MAX_TABLE_BYTES, MAX_LINE_BYTES)
    except LineTooLong as exc:
        fault("line-size", f"this line is more than {exc.limit:,} bytes long: {MAX_LINE_CELLS} cells at their longest "
                           f"({MAX_CELL_CHARS:,} characters each) take no more; is a line break missing? The file was "
                           "not read", exc.line)
        return None, problems
    except FileNotFoundError:
        fault("missing-file", f"file not found (resource '{resource.name}')")
        return None, problems
    except RefusedPath as exc:
        problems.append(Problem(LAYER, "refused-path", package.descriptor_path.name,
                                f"resource '{resource.name}': path {file!r} {exc}; it was not read"))
        return None, problems
    except OSError as exc:
        fault("unreadable-file", f"cannot be read: {exc.strerror}")
        return None, problems
    if raw.startswith(_BOM):
        fault("encoding", "starts with a byte-order mark; save as UTF-8 without BOM", 1)
        raw = raw[len(_BOM):]
    # The file-wide tests run on the bytes: decoding 40 MB only to look for a character costs more than the
    # parse. CR and control characters are ASCII, so a byte test is exact for UTF-8 text.
    if b"\r" in raw:
        first = raw[: raw.index(b"\r")].count(b"\n") + 1
        fault("line-endings", f"uses CR or CRLF line endings (first on line {first}); the package uses LF", first)
    if not _NOT_SPACE.search(raw):
        fault("empty-file", "is empty: expected a header row and data")
        return None, problems
    width = _header_width(raw)
    if width > MAX_COLUMNS:
        fault("header", f"header: has {width:,} columns; the limit is {MAX_COLUMNS:,} (the schema has "
                        f"{len(resource.fields)}); the file was not read further", 1)
        return None, problems

    fast = _parse_fast(raw, resource.primary_key)  # pyarrow also proves the file is UTF-8
    if fast is not None:
        header, arrow, lines = fast
        columns = _check_header(header, resource, fault)
        if not _distinct(arrow, resource.primary_key):  # a repeated row repeats its key
            arrow, lines = _drop_repeated_rows(arrow, lines, resource, fault)
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            fault("encoding", f"is not valid UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded; save the file as UTF-8", line)
            return None, problems
        parsed = _parse(text, fault)
        if parsed is None:
            return None, problems
        header, rows, lines = parsed
        columns = _check_header(header, resource, fault)
        rows, lines = _drop_bad_rows(rows, lines, header, resource, fault)
        position = {}
        for i, name in enumerate(header):  # a repeated column (reported by the header check) is not read:
            position.setdefault(name, i)  # the first of that name holds the field's values
        arrow = pa.table({name: pa.array([r[position[name]] for r in rows], pa.string()) for name in columns})
    arrow = arrow.select(columns)
    table = Table(resource, file, as_text_frame(arrow), np.asarray(lines, dtype=int), keep=keep)
    problems += _suspicious_cells(table, arrow, check_control=_has_control_characters(raw))
    return table, problems


_BOM = b"\xef\xbb\xbf"
_NOT_SPACE = re.compile(rb"\S")
MAX_COLUMNS = 1_000  # header width; checking a header against its schema is linear, parsing a wide file is not cheap
MAX_CELL_CHARS = 131_072  # the longest cell accepted (the csv module's default field limit)
# The longest line: room for 16 cells at their longest, in 4-byte characters (8 MiB; the real package's
# longest line is 2,319 bytes). A line is looked for before the file is read: one line of 200 MB, a
# single cell, took 2.6 GB (the csv module holds a cell at 4 bytes a character, and doubles its buffer).
MAX_LINE_CELLS = 16
MAX_LINE_BYTES = MAX_LINE_CELLS * 4 * MAX_CELL_CHARS


def _header_width(raw: bytes) -> int:
    """The number of cells in the header row (counting commas first: a header is rarely quoted)."""
    end = raw.find(b"\n")
    first_line = raw if end < 0 else raw[:end]
    if first_line.count(b",") < MAX_COLUMNS:
        return first_line.count(b",") + 1  # at most: a quoted comma makes it fewer
    try:
        return len(next(csv.reader([first_line.decode("utf-8", "replace")])))
    except (csv.Error, StopIteration):
        return first_line.count(b",") + 1


def as_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Empty cells are missing values (the Table Schema default missingValues [""]). An Arrow text column gets
    a validity bitmap read off its offsets, sharing its text: less than half the time of replace() (8 ms
    against 18 ms for the 66,619 rows of demands), which is still what any other column goes through."""
    if not all(dtype == TEXT for dtype in frame.dtypes):
        return frame.replace("", None)
    return pd.DataFrame({name: pd.Series(_empty_as_missing(frame[name]), dtype=TEXT, index=frame.index)
                         for name in frame.columns}, index=frame.index)


def _empty_as_missing(cells: pd.Series) -> pa.ChunkedArray:
    """An Arrow text column with every empty cell made missing (null), the text itself shared, not copied."""
    chunks = []
    for chunk in _arrow_chunks(cells):
        offsets, data = _offsets_and_data(chunk)
        filled = offsets[1:] > offsets[:-1]
        if chunk.null_count:
            filled &= chunk.is_valid().to_numpy(zero_copy_only=False)
        validity = pa.py_buffer(np.packbits(filled, bitorder="little"))
        kind = pa.large_string() if offsets.dtype == np.int64 else pa.string()
        chunks.append(pa.Array.from_buffers(kind, len(chunk), [validity, pa.py_buffer(offsets), pa.py_buffer(data)]))
    return pa.chunked_array(chunks, chunks[0].type if chunks else pa.large_string())


def as_text_frame(arrow: pa.Table) -> pd.DataFrame:
    """The cells as pandas text columns (backed by the same Arrow memory: no Python string per cell)."""
    return pd.DataFrame({name: pd.Series(arrow.column(name), dtype=TEXT) for name in arrow.column_names},
                        index=pd.RangeIndex(arrow.num_rows))


TEXT = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default "str" type


def _parse_fast(raw: bytes, key: list[str]) -> tuple[list[str], pa.Table, np.ndarray] | None:
    """The usual case, read by pyarrow's CSV reader: one record per line, no blank or ragged rows (repeated
    rows are found on the Arrow table, _drop_repeated_rows).

    None whenever the file is anything else; the careful reader below then finds and locates each fault.
    """
    if raw.startswith((b"\n", b"\r")):  # a blank first row: the careful reader reports it
        return None
    newlines = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8) == _NEWLINE)
    if has_blank_line(raw, newlines):
        return None
    if not _quotes_close_fields(raw):
        return None
    end = raw.find(b"\n")
    first_line = raw if end < 0 else raw[:end]
    try:
        header = next(csv.reader([first_line.decode("utf-8")], strict=True))
        if len(set(header)) != len(header) or b'"' in first_line:
            return None
        table = pacsv.read_csv(
            io.BytesIO(raw),
            # One thread: on this 2-core machine starting pyarrow's pool cost more than it saved (make bench,
            # December 2026: a 200,000-row copy took 2.48 s against 2.73 s with threads, median of 5).
            read_options=pacsv.ReadOptions(use_threads=False),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={name: pa.string() for name in header}, null_values=[],
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (csv.Error, pa.ArrowInvalid, UnicodeDecodeError, StopIteration):
        return None
    records = len(newlines) + (0 if raw.endswith(b"\n") else 1)
    if table.column_names != header or records != table.num_rows + 1:  # a cell spans lines, or a blank row
        return None
    return header, table, np.arange(2, table.num_rows + 2)


_NEWLINE, _CR = ord("\n"), ord("\r")


def has_blank_line(raw: bytes, newlines: np.ndarray) -> bool:
    """Whether `raw` holds "\n\n" or "\n\r\n" (a blank row), found from the positions of its newlines: bytes'
    own search took 60 ms of a 42 MB file and held the interpreter's lock, which the checking thread needs."""
    gaps = np.diff(newlines)
    if (gaps == 1).any():
        return True
    after = newlines[:-1][gaps == 2] + 1  # two newlines with one byte between them
    return bool((np.frombuffer(raw, dtype=np.uint8)[after] == _CR).any())


def _distinct(table: pa.Table, key: list[str]) -> bool:
    """Whether the key columns hold no value twice (False when the table lacks them)."""
    if not key or not set(key) <= set(table.column_names):
        return False
    if len(key) == 1:
        return len(pc.unique(table.column(key[0]))) == table.num_rows  # unique: twice as fast as count_distinct
    return table.group_by(key).aggregate([]).num_rows == table.num_rows


def _drop_repeated_rows(arrow: pa.Table, lines: np.ndarray, resource: Resource, fault) -> tuple[pa.Table, np.ndarray]:
    """Rows that repeat an earlier row exactly, reported and set aside, found on Arrow memory (a group-by and
    a join over every column) rather than by the careful reader's Python lists, which took 2.6 times the
    memory of a clean run on a table whose every row was written twice."""
    row = "\x00row"  # a name no CSV header holds
    names = arrow.column_names
    numbered = arrow.append_column(row, pa.array(np.arange(arrow.num_rows, dtype=np.int64)))
    firsts = numbered.group_by(names, use_threads=False).aggregate([(row, "min")])
    if firsts.num_rows == arrow.num_rows:
        return arrow, lines
    paired = numbered.select(names + [row]).join(firsts, keys=names, use_threads=False)
    rows = paired.column(row).to_numpy()
    first = paired.column(f"{row}_min").to_numpy()
    repeated = rows != first
    rows, first = rows[repeated], first[repeated]
    order = np.argsort(rows)
    rows, first = rows[order], first[order]
    key = resource.primary_key
    id_field = key[0] if len(key) == 1 and key[0] in names else None
    ids = arrow.column(id_field).take(pa.array(rows)).to_pylist() if id_field else [None] * len(rows)
    for line, first_line, row_id in zip(lines[rows].tolist(), lines[first].tolist(), ids):
        fault("duplicate-row", f"repeats line {first_line} exactly", line, id_field=id_field, id_value=row_id)
    keep = np.ones(arrow.num_rows, dtype=bool)
    keep[rows] = False
    return arrow.filter(pa.array(keep)), lines[keep]


_QUOTE, _FIELD_START, _FIELD_END = ord('"'), {-1, ord(","), ord("\n")}, {-1, ord(","), ord("\n"), ord("\r")}


def _quotes_close_fields(raw: bytes) -> bool:
    """Whether every quoted field opens at the start of a field and closes at its end.

    pyarrow reads '"x"y' as 'xy' where the strict reader refuses it; a file this cannot vouch for goes to
    the strict reader, so the fast path never accepts what the strict one rejects. Works on the positions
    of the quote characters only: in a run of n adjacent quotes, n // 2 pairs are escaped quotes, and an odd
    run leaves one delimiting quote, whose neighbours are the bytes around the run.
    """
    data = np.frombuffer(raw, dtype=np.uint8)
    quotes = np.flatnonzero(data == _QUOTE)
    if not len(quotes):
        return True
    breaks = np.flatnonzero(np.diff(quotes) != 1) + 1
    run_starts, run_ends = np.r_[0, breaks], np.r_[breaks, len(quotes)]  # runs of adjacent quotes
    odd = (run_ends - run_starts) % 2 == 1
    first, last = quotes[run_starts[odd]], quotes[run_ends[odd] - 1]
    if len(first) % 2:
        return False
    before = np.where(first > 0, data[np.maximum(first - 1, 0)].astype(np.int16), -1)  # -1: start of file
    after = np.where(last + 1 < len(data), data[np.minimum(last + 1, len(data) - 1)].astype(np.int16), -1)
    return bool(np.isin(before[0::2], list(_FIELD_START)).all() and np.isin(after[1::2], list(_FIELD_END)).all())


def _parse(text: str, fault) -> tuple[list[str], list[list[str]], list[int]] | None:
    """Header, rows and the line each row starts on; blank rows reported and dropped."""
    csv.field_size_limit(max(len(text), MAX_CELL_CHARS))  # a long cell is reported by its length, not as bad CSV
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


def _drop_bad_rows(rows, lines, header, resource: Resource, fault):
    """Rows with the wrong number of cells or repeating an earlier row are reported and set aside."""
    width = len(header)
    if all(len(r) == width for r in rows) and len(set(map(tuple, rows))) == len(rows):
        return rows, lines
    key = resource.primary_key
    id_field = key[0] if len(key) == 1 and key[0] in header else None
    position = header.index(id_field) if id_field else None
    keep_rows, keep_lines, seen = [], [], {}
    for cells, line in zip(rows, lines):
        row_id = cells[position] if position is not None and position < len(cells) else None
        if len(cells) != width:
            hint = ("a cell holding a comma or a double quote must be wrapped in double quotes, with its own quotes "
                    "doubled: is one unquoted?" if len(cells) > width else "is a cell missing, or a line broken?")
            fault("cell-count", f"has {len(cells)} cells but the header has {width} ({hint}); the row was not checked further",
                  line, id_field=id_field, id_value=row_id)
            continue
        key = tuple(cells)
        if key in seen:
            fault("duplicate-row", f"repeats line {seen[key]} exactly", line, id_field=id_field, id_value=row_id)
            continue
        seen[key] = line
        keep_rows.append(cells)
        keep_lines.append(line)
    return keep_rows, keep_lines


def _check_header(header: list[str], resource: Resource, fault) -> list[str]:
    """Report how the header differs from the schema; return the schema columns that are present."""
    expected = resource.field_names
    counts = Counter(header)  # sets and counts: a wide header costs linear time, never quadratic
    for name in sorted(h for h, n in counts.items() if n > 1):
        fault("header", f"header: column {shown(name)} appears more than once", 1)
    in_header, in_schema = set(header), set(expected)
    missing = [n for n in expected if n not in in_header]
    extra = [h for h in header if h not in in_schema]
    for name in missing:
        fault("header", f"header: column {shown(name)} is missing", 1, name)
    for name in extra:
        hint = " (is it a renamed or misspelled column?)" if missing else ""
        fault("header", f"header: column {shown(name)} is not in the schema{hint}", 1, shown(name, quoted=False))
    present = [h for h in counts if h in in_schema]  # a repeated column is said above, not again as disorder
    if not missing and not extra and present != expected:
        fault("header", "header: columns are out of order; expected " + shown(", ".join(expected), 300, quoted=False), 1)
    return [n for n in expected if n in in_header]


_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0b, 0x20), 0x7f])
_OTHER_BYTES = bytes(sorted(set(range(256)) - set(_CONTROL_BYTES)))


def _has_control_characters(raw: bytes) -> bool:
    """Whether the text of a table (valid UTF-8 by now) holds any character CONTROL_IN_TEXT refuses: only then
    is each column searched. ASCII text needs only its control bytes looked for (deleting every other byte is
    ~8x faster than a regular expression); other text is searched once, whole, by RE2 (0.15 s for 94 MB, in
    the thread that reads the tables)."""
    if raw.isascii():
        return bool(raw.translate(None, _OTHER_BYTES))
    offsets = pa.py_buffer(np.array([0, len(raw)], dtype=np.int64))
    whole = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(raw)])  # no copy
    return bool(pc.match_substring_regex(whole, CONTROL_IN_TEXT.pattern)[0].as_py())


def _suspicious_cells(table: Table, arrow: pa.Table, check_control: bool) -> list[Problem]:
    """Cells with leading or trailing whitespace (they look right and silently fail to match) or with
    control characters (invisible, usually the debris of a bad copy).

    The bytes at both ends of every cell pick the candidates; Python's str.isspace has the last word."""
    problems = []
    for column in arrow.column_names:
        cells = arrow.column(column)
        for row in np.flatnonzero(pc.greater(pc.binary_length(cells), MAX_CELL_CHARS).to_numpy(zero_copy_only=False)):
            value = cells[int(row)].as_py()  # bytes >= characters: the byte length picks the candidates
            if len(value) > MAX_CELL_CHARS:
                problems.append(table.problem(LAYER, "cell-size", row, column, f"is {len(value):,} characters long; "
                                              f"the limit is {MAX_CELL_CHARS:,} (it starts {shown(value[:40])})"))
        rows = rows_with_space_bytes_at_the_ends(cells)
        if check_control:
            matched = pc.match_substring_regex(cells, CONTROL_IN_TEXT.pattern).to_numpy(zero_copy_only=False)
            rows = np.union1d(rows, np.flatnonzero(matched))
        found = {"whitespace": ([], []), "control-character": ([], [])}  # located in bulk below, not row by row
        values = cells.take(pa.array(rows, pa.int64())).to_pylist() if len(rows) else []
        for row, value in zip(rows.tolist(), values):
            if value and (value[0].isspace() or value[-1].isspace()):
                found["whitespace"][0].append(row)
                found["whitespace"][1].append(f"{shown(value)} has leading or trailing whitespace")
            control = CONTROL_IN_TEXT.search(value) if check_control else None
            if control:
                found["control-character"][0].append(row)
                found["control-character"][1].append(f"{shown(value)} contains the control or invisible character "
                                                     f"{escaped(control.group())}; remove it")
        for rule, (rows_found, messages) in found.items():
            if rows_found:
                problems += table.problems_at(LAYER, rule, rows_found, column, messages)
    return problems


# The first and the last byte of each whitespace character in UTF-8: a cell that starts (ends) with none of
# them cannot start (end) with whitespace. Unicode has none above U+3000 (a test keeps this honest).
LAST_SPACE = 0x3000
_SPACES = [chr(c).encode() for c in range(LAST_SPACE + 1) if chr(c).isspace()]
_SPACE_FIRST, _SPACE_LAST = np.zeros(256, bool), np.zeros(256, bool)
_SPACE_FIRST[[c[0] for c in _SPACES]] = True
_SPACE_LAST[[c[-1] for c in _SPACES]] = True


def rows_starting_with(cells, first_bytes: bytes) -> np.ndarray:
    """Rows whose cell starts with one of the ASCII `first_bytes` (a text column of a frame, or Arrow text),
    read off Arrow's offsets with no string made per cell: a regular expression per column took a tenth of
    the checks of a 200,000-row copy."""
    wanted = np.zeros(256, bool)
    wanted[list(first_bytes)] = True
    found, base = [], 0
    for chunk in _arrow_chunks(cells):
        offsets, data = _offsets_and_data(chunk)
        filled = offsets[1:] > offsets[:-1]
        if chunk.null_count:  # a missing cell starts with nothing, whatever its slot holds
            filled &= chunk.is_valid().to_numpy(zero_copy_only=False)
        filled = np.flatnonzero(filled)
        found.append(filled[wanted[data[offsets[filled]]]] + base)
        base += len(chunk)
    return np.concatenate(found) if found else np.zeros(0, np.int64)


def _arrow_chunks(cells) -> list:
    """The Arrow chunks of a text column (a pandas Series, Arrow-backed or not, or Arrow text)."""
    if isinstance(cells, pd.Series):
        cells = pa.array(cells.array)  # Arrow-backed: no copy
    return cells.chunks if isinstance(cells, pa.ChunkedArray) else [cells]


def _offsets_and_data(chunk) -> tuple[np.ndarray, np.ndarray]:
    if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
        chunk = chunk.cast(pa.large_string())
    _, offsets, data = chunk.buffers()
    width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    offsets = np.frombuffer(offsets, width)[chunk.offset: chunk.offset + len(chunk) + 1]
    data = np.frombuffer(data, np.uint8) if data is not None else np.zeros(0, np.uint8)
    return offsets, data


def rows_with_space_bytes_at_the_ends(cells: pa.ChunkedArray) -> np.ndarray:
    """Rows whose cell starts or ends with a byte of a whitespace character: read off Arrow's offsets, with
    no string made per cell (a trim of every cell costs ten times more)."""
    found, base = [], 0
    for chunk in cells.chunks:
        _, offsets, data = chunk.buffers()
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        offsets = np.frombuffer(offsets, width)[chunk.offset: chunk.offset + len(chunk) + 1]
        data = np.frombuffer(data, np.uint8) if data is not None else np.zeros(0, np.uint8)
        filled = np.flatnonzero(offsets[1:] > offsets[:-1])
        suspect = _SPACE_FIRST[data[offsets[filled]]] | _SPACE_LAST[data[offsets[filled + 1] - 1]]
        found.append(filled[suspect] + base)
        base += len(chunk)
    return np.concatenate(found) if found else np.zeros(0, np.int64)
