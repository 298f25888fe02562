"""Reading a data package: the descriptor, its Table Schemas and the raw text of its files.

Nothing here judges the package; it only reads it and says plainly what could not be read.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

DEFAULT_DESCRIPTOR = "datapackage.json"

# Limits on what a package may make the validator read: a stranger's package must not exhaust memory.
MAX_JSON_BYTES = 16 * 2**20  # the descriptor and each Table Schema
MAX_JSON_DEPTH = 64  # nesting of objects and lists (the descriptor needs 6)
MAX_TABLE_BYTES = 1 * 2**30  # each CSV file
# Each corpus text, and the texts in all (a text in several files counted once: they share it). The real corpus
# holds about 75,000 bytes, its longest text 20,000; the benchmark's 200,000-row copy, with 1,500 sources,
# reads 22 MB of copies of five texts. A text is held normalised (up to 4 bytes a character) and, joined with
# the others, once more to search a misattributed quote: five texts of 63 MiB took 15.8 s and 2.6 GB, 16x a
# clean run's memory; 16 MiB of text in 4-byte characters still took 1.97x its memory, 8 MiB took 1.5x
# (December 2026, medians of 5 by hand).
MAX_CORPUS_BYTES = 8 * 2**20
MAX_CORPUS_TOTAL_BYTES = MAX_CORPUS_BYTES  # as much as one text may be: the corpus holds many small ones
MAX_RESOURCES = 100  # resources checked; the dataset has twelve, and each costs a table read and a profile check
MAX_JSON_DIGITS = 4_300  # digits in a JSON integer (Python's own limit on turning text into an int)
# Values (objects, lists, texts, numbers) in one JSON file: the descriptor holds about 200 and the largest
# schema about 300. Bytes alone do not bound the work: 3,000,000 empty items fit in 9 MB and took the
# profile check 13 s, fifteen times a clean run.
MAX_JSON_VALUES = 100_000
# The same in all, over the descriptor, its schemas and its dialect files: each file just under its own limit,
# thirteen times over, took 6.5 times a clean run and 3.9 times its memory. The real package's JSON files
# hold about 70,000 bytes and 1,900 values in all; the descriptor alone may still reach its own limit.
MAX_PACKAGE_JSON_BYTES = 16 * 2**20
MAX_PACKAGE_JSON_VALUES = 200_000


class PackageError(Exception):
    """The package, or a file of it, cannot be read or used as asked."""


class UnreadableFile(PackageError):
    """A file of the package (descriptor or schema) that cannot be read or is refused, with where and why."""

    def __init__(self, file: str, message: str, line: int | None = None, rule: str = "schema-unreadable"):
        self.file, self.message, self.line, self.rule = file, message, line, rule
        super().__init__(f"{file}:{line} {message}" if line else f"{file}: {message}")


class RefusedPath(PackageError):
    """A path named by the package that the validator will not open: outside the package, a URL, not a
    regular file, or too large. The message says why, for the person who wrote the path."""


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

# Where each kind of file of the package lives. This is the toolkit's rule, not a pattern in the package's
# own schemas, which the package's author edits: the package folder holds more than the package (.git/
# with a CI token, .env, .venv/), and a path that could name any file in it would make every quote message
# a way to read that file a character at a time.
TABLES, SCHEMAS, CORPUS, DOCS = "data", "schemas", "corpus", "docs"
DIALECTS = (TABLES, SCHEMAS)  # a CSV dialect file sits beside its table or its schema


def inside(root: Path, relative, under: str | tuple[str, ...] | None = None, root_resolved: bool = False) -> Path:
    """The file that `relative` (a path written in the package) names, resolved through any symbolic link.
    `root_resolved`: `root` is already resolved (a caller checking many paths resolves it once).

    Raises RefusedPath unless it is a relative POSIX path that stays inside the package root (and, with
    `under`, inside that folder of it, through no hidden file or folder); nothing is opened here, so a
    refused path is never read or fetched."""
    if not isinstance(relative, str) or not relative:
        raise RefusedPath("must be a relative path, given as text")
    if "\x00" in relative:
        raise RefusedPath("contains a NUL character")
    if _SCHEME.match(relative):
        raise RefusedPath(f"is a URL or other scheme ({relative.split(':')[0]}:); the validator reads only files "
                          "inside the package and fetches nothing: put a copy in the package and name it by a relative path")
    if relative.startswith(("/", "\\")):
        raise RefusedPath("is an absolute path; paths must be relative to the package root (the folder of datapackage.json)")
    if ".." in PurePosixPath(relative).parts:
        raise RefusedPath("climbs out of its folder with '..'; paths must stay inside the package")
    if under is not None:
        folder = _in_folder(relative, (under,) if isinstance(under, str) else under)
        direct = _direct_file(root, relative) if root_resolved else None
        if direct is not None:
            return direct
    try:
        base = root if root_resolved else root.resolve()
        resolved = (base / relative).resolve()
    except RuntimeError:  # Python before 3.13 says "Symlink loop" this way
        raise RefusedPath("is a symbolic link loop (a link that leads back to itself); it names no file") from None
    except OSError as exc:
        raise RefusedPath(f"cannot be followed ({exc.strerror or exc})") from None
    if resolved != base and base not in resolved.parents:
        raise RefusedPath("leads outside the package through a symbolic link; only files inside the package are read")
    if under is not None:
        _refuse_linked_folder(base, folder)
        if not any(base / name in resolved.parents for name in ((under,) if isinstance(under, str) else under)):
            raise RefusedPath(f"leads out of {_folders(under)} through a symbolic link; such a file is read only there")
        if any(part.startswith(".") for part in resolved.relative_to(base).parts):
            raise RefusedPath("leads to a hidden file or folder (a name starting with '.') through a symbolic link; "
                              "the package's files are never hidden")
    return resolved


def _refuse_linked_folder(base: Path, folder: str) -> None:
    """A top-level folder of the package (data/, corpus/ ...) must be that folder, not a link to another:
    `corpus -> .git` would make every path under corpus/ name a file of .git/ while passing every rule on
    the path as written."""
    if _resolved_folder(base, folder) != base / folder:
        raise RefusedPath(f"is in {folder}/, which is a symbolic link; the package's folders are read only as "
                          "real folders, never through a link: replace the link with the folder")


def _direct_file(base: Path, relative: str) -> Path | None:
    """The quick answer for the common case, a plain file right in a folder of the package that is itself in
    the package (corpus/x.txt): that folder resolved once, the file found to be no link. None for anything
    else, which the full resolution answers. A copy with 1,500 sources spent a fifth of a second resolving."""
    folder, _, name = relative.partition("/")
    if not name or "/" in name or name in (".", ".."):
        return None
    try:
        resolved = _resolved_folder(base, folder)
        if resolved != base / folder:  # a linked folder: the full resolution refuses it
            return None
        if stat.S_ISLNK(os.lstat(resolved / name).st_mode):
            return None
    except (OSError, RuntimeError):  # missing, unreadable, a link loop: the full resolution says which
        return None
    return resolved / name


@lru_cache(maxsize=16)
def _resolved_folder(base: Path, folder: str) -> Path:
    """A folder of the package (corpus/, data/ ...) resolved once per package opened, not once per file:
    a copy with 1,500 sources resolved it 1,500 times. open_package() forgets it, so a folder replaced by a
    link between two validations is seen; the root check above never uses it."""
    return (base / folder).resolve()


def through_no_link(root: Path, relative: str) -> Path:
    """`root / relative` for one of the package's own files (README.md, docs/codebook.md, a download of the
    site): RefusedPath if any part of the path, the file or a folder on the way, is a symbolic link or a
    hidden name. Stricter than inside(): `docs -> .git` or `CHANGELOG.md -> .git/config` stay inside the
    package yet would publish or overwrite a file the package does not own."""
    path = Path(root)
    for part in PurePosixPath(relative).parts:
        if part.startswith(".") or part == "/":
            raise RefusedPath("names a hidden file or folder or leaves the package; the package's files are never hidden")
        path = path / part
        if path.is_symlink():
            shown = path.relative_to(root).as_posix()
            raise RefusedPath(f"is a symbolic link{'' if shown == relative else f' (at {shown})'}; the package's own "
                              "files are read and written only as regular files inside it: replace the link with the file")
    return path


def _folders(under) -> str:
    return " or ".join(f"{folder}/" for folder in ((under,) if isinstance(under, str) else under))


def _in_folder(relative: str, under: tuple[str, ...]) -> str:
    """The folder of `under` that `relative` is in; RefusedPath if none, or if it passes through a hidden name."""
    if relative.endswith("/"):
        raise RefusedPath("ends with '/'; it must name a file, not a folder")
    parts = relative.split("/")
    if any(part.startswith(".") for part in parts if part not in ("", ".")):
        raise RefusedPath("names a hidden file or folder (a name starting with '.'); the package's files are never hidden")
    parts = [part for part in parts if part not in ("", ".")]
    if len(parts) < 2 or parts[0] not in under:
        raise RefusedPath(f"is not in {_folders(under)}; peacetalks reads such a file only from there: move it "
                          "and write its path from the package root")
    return parts[0]


def refuse_unless_own_regular_file(info: os.stat_result) -> None:
    """RefusedPath unless `info` (os.fstat of an opened file, or os.lstat of a name) is a regular file with one
    name. A FIFO, device or socket could block a read forever or never end. A hard link (a second name for a
    file, which may be outside the package: `ln ~/.ssh/id_rsa docs/notes.txt` in a hostile checkout or a tar
    archive) passes every check on the path, and reading it would publish or quote that other file. git and
    unzip never make one, so refusing it costs an honest package nothing."""
    if stat.S_ISDIR(info.st_mode):
        raise RefusedPath("is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise RefusedPath("is not a regular file (a FIFO, device or socket); only regular files are read")
    if info.st_nlink > 1:
        raise RefusedPath(f"is a hard link ({info.st_nlink} names for one file); a package file must be its own: "
                          "copy it to a new name and move the copy over it, or remove it")


class LineTooLong(PackageError):
    """A line of a text file longer than the reader allows, found before the file was read: `line` (from 1)."""

    def __init__(self, line: int, limit: int):
        self.line, self.limit = line, limit
        super().__init__(f"line {line} is more than {limit:,} bytes long")


_SCAN_BYTES = 1 << 20  # the piece of a file looked at at a time for its longest line


def _refuse_long_line(fd: int, size: int, max_line: int) -> None:
    """LineTooLong at the first line of the open file longer than `max_line` bytes, read a piece at a time and
    given up as soon as the line passes the limit: such a line is never held. Within a piece (no longer than
    the limit) only the line running on from the pieces before can be too long, so a piece costs three
    searches of its bytes, not a look at each line."""
    assert _SCAN_BYTES <= max_line
    offset, lines_before, running = 0, 0, 0  # running: bytes of the current line in the pieces before
    while offset < size:
        piece = os.pread(fd, _SCAN_BYTES, offset)
        if not piece:
            return
        first = piece.find(b"\n")
        if running + (len(piece) if first < 0 else first) > max_line:
            raise LineTooLong(lines_before + 1, max_line)
        if first >= 0:
            lines_before += piece.count(b"\n")
            running = len(piece) - piece.rfind(b"\n") - 1
        else:
            running += len(piece)
        offset += len(piece)


def read_limited(path: Path, limit: int, max_line: int | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. FileNotFoundError when it does not exist;
    RefusedPath when it is a FIFO, device, folder or socket (reading one could block forever or never
    end), a hard link, or larger than the limit; with `max_line`, LineTooLong when a line is longer than
    that (looked for before reading, in a file larger than it); OSError for the rest."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))  # a FIFO opens at once
    try:
        info = os.fstat(fd)  # of the file opened, not of the name: what is checked is what is read
        refuse_unless_own_regular_file(info)
        if info.st_size > limit:
            raise RefusedPath(f"is {info.st_size:,} bytes; the limit is {limit:,} bytes")
        if max_line is not None and info.st_size > max_line:  # a smaller file has no line that long
            _refuse_long_line(fd, info.st_size, max_line)
        with os.fdopen(fd, "rb", closefd=False) as stream:
            # The size it has, and one byte more to see it grow: asking for the limit itself would reserve
            # it (1 GiB for a table) and fail under a memory cap however small the file.
            data = stream.read(info.st_size + 1)
            while len(data) > info.st_size and len(data) <= limit:  # it grew meanwhile: read on, a MiB at a time
                more = stream.read(min(1 << 20, limit + 1 - len(data)))
                if not more:
                    break
                data += more
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while being read
        raise RefusedPath(f"is more than {limit:,} bytes; the limit is {limit:,} bytes")
    return data


def json_shape(value) -> tuple[int, int]:
    """How deeply objects and lists nest in a parsed JSON value, and how many values it holds (iterative: no
    recursion limit to hit). The count stops past MAX_JSON_VALUES, before the children of the container that
    passes it are visited: beyond it the file is refused, and a list of millions is not walked."""
    deepest, count, stack = 0, 1, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            count += len(item)
            if count > MAX_JSON_VALUES:
                break
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest, count


@dataclass(frozen=True)
class ForeignKey:
    fields: list[str]
    resource: str  # the referenced resource; a self-reference ("" in the schema) is resolved to its own name
    ref_fields: list[str]
    is_list: bool  # from x-listForeignKeys: each delimited item of the cell must resolve


def _as_list(value) -> list[str]:
    """Table Schema allows a single field name where a list is meant; anything but text is the profile
    check's to report and is left out here, so every user gets a list of names."""
    if isinstance(value, str):
        return [value]
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _objects(value) -> list:
    """A list from the schema, or nothing when the schema holds something else there (the profile says so)."""
    return value if isinstance(value, list) else []


def categories(field: dict) -> list[tuple[str, str]]:
    """A field's categories as (value, label) pairs; Table Schema allows bare values too. An item that is
    neither (an object without a value, a list) is the descriptor check's to report and is left out here."""
    pairs = [(c.get("value"), c.get("label", "")) if isinstance(c, dict) else (c, "") for c in _objects(field.get("categories"))]
    return [(value, label) for value, label in pairs
            if isinstance(value, (str, int, float)) and not isinstance(value, bool) and isinstance(label, str)]


def list_delimiter(field: dict) -> str:
    """The delimiter of a list field: its own when it is text of one or more characters, else the default
    comma (an empty or missing one is reported by the descriptor check, never a crash of the splitting)."""
    delimiter = field.get("delimiter", ",") if isinstance(field, dict) else ","
    return delimiter if isinstance(delimiter, str) and delimiter else ","


def category_values(field: dict) -> list[str]:
    return [value for value, _ in categories(field)]


def constraints(field: dict | None) -> dict:
    """A field's constraints; anything but an object there (`"constraints": "x"`) is the profile check's to
    report and counts as no constraint, so no reader of the schema fails on it."""
    given = field.get("constraints") if isinstance(field, dict) else None
    return given if isinstance(given, dict) else {}


def enum_values(field: dict | None) -> list:
    """The values of a field's constraints.enum: a list, or none when it holds anything else (the profile's to report)."""
    enum = constraints(field).get("enum")
    return enum if isinstance(enum, list) else []


@dataclass
class Resource:
    name: str
    path: str  # relative to the package root, as written in the descriptor
    schema: dict = field(default_factory=dict)
    schema_path: str | None = None  # where the schema came from, for messages
    dialect: dict = field(default_factory=dict)  # the CSV dialect, read from its file when one is named
    # Its schema file could not be read (said once, by the descriptor layer): nothing is checked against it, so
    # that one broken schema is one problem, not a mismatch for every column and every key that refers to it.
    schema_unread: bool = False

    @property
    def fields(self) -> list[dict]:
        """The fields with a name, the first of each name; a field without one, with a name that is not text,
        or with the name of a field before it, is the descriptor check's to report and is otherwise ignored
        (so a name is always a string, and names one column, downstream)."""
        fields = self.schema.get("fields")
        named = [f for f in fields if isinstance(f, dict) and isinstance(f.get("name"), str)] if isinstance(fields, list) else []
        first = {}
        for f in named:
            first.setdefault(f["name"], f)
        return list(first.values())

    @property
    def field_names(self) -> list[str]:
        return [f.get("name") for f in self.fields]

    @property
    def primary_key(self) -> list[str]:
        return _as_list(self.schema.get("primaryKey"))

    def foreign_keys(self) -> list[ForeignKey]:
        """Declared foreign keys plus the list-valued ones (x-listForeignKeys), normalised once for every user."""
        declared = [(k, False) for k in _objects(self.schema.get("foreignKeys"))]
        declared += [(k, True) for k in _objects(self.schema.get("x-listForeignKeys"))]
        keys = []
        for key, is_list in declared:
            reference = key.get("reference") if isinstance(key, dict) else None
            target = reference.get("resource") if isinstance(reference, dict) else None
            if isinstance(reference, dict) and isinstance(target, (str, type(None))):  # anything else is the profile check's to report
                keys.append(ForeignKey(_as_list(key.get("fields")), target or self.name,
                                       _as_list(reference.get("fields")), is_list))
        return keys

    def field(self, name: str) -> dict | None:
        return next((f for f in self.fields if f.get("name") == name), None)


@dataclass
class Package:
    root: Path
    descriptor_path: Path
    descriptor: dict
    resources: list[Resource]

    def resource(self, name: str) -> Resource | None:
        return next((r for r in self.resources if r.name == name), None)

    def rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


@dataclass
class JsonTotals:
    """The bytes and values of the package's JSON files read so far (MAX_PACKAGE_JSON_BYTES, _VALUES)."""
    bytes: int = 0
    values: int = 0


_ALL_JSON = "the package's JSON files (the descriptor, its schemas and dialects)"


def read_json(path: Path, display: str | None = None, totals: JsonTotals | None = None) -> dict:
    """Parse a JSON file, turning every way it can fail into an UnreadableFile with a location. With
    `totals`, the file is also counted against the package's limits in all, and refused past them: by its
    bytes before it is parsed, by its values before anything reads them."""
    name = display or path.name
    if totals is not None:  # its size, asked before reading it: a file refused here costs nothing more
        size = _size(path)
        if totals.bytes + size > MAX_PACKAGE_JSON_BYTES:
            raise UnreadableFile(name, f"with it, {_ALL_JSON} would hold {totals.bytes + size:,} bytes; the limit is "
                                       f"{MAX_PACKAGE_JSON_BYTES:,} bytes in all, and the real package's hold about 70,000: "
                                       "it was not read; keep to what describes the tables", rule="json-total")
    try:
        raw = read_limited(path, MAX_JSON_BYTES)
    except FileNotFoundError:
        raise UnreadableFile(name, "file not found") from None
    except RefusedPath as exc:
        raise UnreadableFile(name, str(exc), rule="refused-path") from None
    except OSError as exc:
        raise UnreadableFile(name, f"cannot be read ({exc.strerror})") from None
    if totals is not None:
        totals.bytes += len(raw)
    text = _json_text(raw, name)
    try:
        value = json.loads(text, object_pairs_hook=_object_without_repeats, parse_constant=_refuse_constant,
                           parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(name, f"not valid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
    except _NotStrictJSON as exc:
        raise UnreadableFile(name, f"not valid JSON: {exc}") from None
    except ValueError as exc:  # whatever else the parser refuses: still a fault of the file, said as one
        raise UnreadableFile(name, f"not valid JSON: {_digits_said(exc)}") from None
    except RecursionError:
        raise UnreadableFile(name, f"nests objects or lists too deeply; the limit is {MAX_JSON_DEPTH} levels") from None
    if not isinstance(value, dict):
        raise UnreadableFile(name, f"must hold a JSON object, not {type(value).__name__}")
    depth, count = json_shape(value)
    if depth > MAX_JSON_DEPTH:
        raise UnreadableFile(name, f"nests objects or lists {depth} levels deep; the limit is {MAX_JSON_DEPTH} levels")
    if count > MAX_JSON_VALUES:
        raise UnreadableFile(name, f"holds more than {MAX_JSON_VALUES:,} JSON values (objects, lists, texts, numbers); "
                                   f"the limit is {MAX_JSON_VALUES:,}: a descriptor or schema needs a few hundred")
    if totals is not None:
        if totals.values + count > MAX_PACKAGE_JSON_VALUES:  # not counted: nothing reads a refused file's values
            raise UnreadableFile(name, f"with it, {_ALL_JSON} would hold {totals.values + count:,} JSON values (objects, "
                                       f"lists, texts, numbers); the limit is {MAX_PACKAGE_JSON_VALUES:,} in all, and the real "
                                       "package's hold about 1,900: it was not used; keep to what describes the tables",
                                 rule="json-total")
        totals.values += count
    return value


def _size(path: Path) -> int:
    """The size of a file about to be read, 0 when it cannot be asked (reading it then says why). A FIFO or
    device says 0 here and is refused by read_limited; a file that grows meanwhile is still held to its own limit."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _json_text(raw: bytes, name: str) -> str:
    """The text of a JSON file, which must be UTF-8 (RFC 8259) with no byte-order mark; an UnreadableFile
    saying which encoding it seems to be in otherwise, rather than the parser's "Expecting value"."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raise UnreadableFile(name, "starts with a byte-order mark (U+FEFF); JSON is UTF-8 without one: save it without the mark")
    try:
        return utf8_text(raw)
    except NotUTF8 as exc:
        advice = "JSON is UTF-8: save it as UTF-8" if exc.line is None else "save the file as UTF-8"
        raise UnreadableFile(name, f"{exc.said}; {advice}", exc.line) from None


class NotUTF8(PackageError):
    """A file that is not UTF-8 text: what it seems to be instead (`said`), and on which line (None when the
    whole file is in another encoding). The caller adds what to do, which depends on the kind of file."""

    def __init__(self, said: str, line: int | None = None):
        self.said, self.line = said, line
        super().__init__(said)


def utf8_text(raw: bytes) -> str:
    """`raw` decoded as UTF-8, else NotUTF8 saying that it is UTF-16 or UTF-32 (a NUL byte in its first four,
    or their byte-order mark), or where the first byte is that no UTF-8 text holds (Latin-1, Windows-1252).
    Python's own message ("can't decode byte 0xff in position 0") names neither the line nor the cause."""
    if raw[:4].count(b"\x00") or raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotUTF8("is in UTF-16 or UTF-32 (it holds NUL bytes or starts with their byte-order mark)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise NotUTF8(f"not UTF-8: byte {exc.start} (column {column}) is {raw[exc.start]:#04x}, which no UTF-8 "
                      "text holds there", line) from None


class _NotStrictJSON(ValueError):
    """What Python's parser accepts but JSON (RFC 8259) does not, or leaves ambiguous."""


def _object_without_repeats(pairs: list[tuple]) -> dict:
    seen = set()
    for key, _ in pairs:
        if key in seen:
            raise _NotStrictJSON(f"the key {key[:80]!r} appears twice in one object; which value is meant is "
                                 "ambiguous: keep one")
        seen.add(key)
    return dict(pairs)


def _refuse_constant(name: str):
    raise _NotStrictJSON(f"{name} is not a JSON value; write a number or null")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _NotStrictJSON(f"the number {text[:40]} is too large for a 64-bit float (it would be read as infinity); "
                             "write a smaller number")
    return number


def _digits_said(error: ValueError) -> str:
    """The parser's message, or ours for an integer too long to read: Python refuses integers of more than
    MAX_JSON_DIGITS digits (turning one into a number takes quadratic time) in a message written for programmers.
    Left to Python rather than checked in a hook: a hook called per integer made a 3,000,000-item list
    parse in 3.5 s instead of 0.9 s."""
    digits = re.search(r"integer string conversion.*?value has (\d+) digits", str(error))
    if digits:
        return f"a number of {int(digits.group(1)):,} digits; the limit is {MAX_JSON_DIGITS:,} digits"
    return str(error)


def open_package(descriptor: str | Path | None = None) -> tuple[Package, list[UnreadableFile]]:
    """Read the descriptor and the schemas it references.

    Returns the package and the schema files that could not be read; raises UnreadableFile only when the
    descriptor itself cannot be read.
    """
    _resolved_folder.cache_clear()
    descriptor_path = Path(descriptor or DEFAULT_DESCRIPTOR)
    if descriptor_path.is_dir():
        descriptor_path = descriptor_path / DEFAULT_DESCRIPTOR
    if not os.path.lexists(descriptor_path):  # said with the path as given: the name alone hides which folder
        raise UnreadableFile(str(descriptor_path), "file not found")
    if descriptor_path.is_symlink():  # CI types the name, but the package supplies the file: it may lead anywhere
        raise UnreadableFile(str(descriptor_path), "is a symbolic link; the descriptor is read only as a regular file, "
                             "never through a link: replace the link with the file", rule="refused-path")
    totals = JsonTotals()
    data = read_json(descriptor_path, totals=totals)
    root = descriptor_path.parent
    problems: list[UnreadableFile] = []
    resources = []
    raw_resources = data.get("resources")
    raw_resources = raw_resources if isinstance(raw_resources, list) else []
    if len(raw_resources) > MAX_RESOURCES:
        problems.append(UnreadableFile(descriptor_path.name, f"has {len(raw_resources):,} resources; the limit is "
                                       f"{MAX_RESOURCES} (this dataset has twelve): only the first {MAX_RESOURCES} were checked",
                                       rule="too-many-resources"))
    for raw in raw_resources[:MAX_RESOURCES]:
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            continue  # the profile check reports it; there is nothing here to read
        refused = _unsupported(raw)
        if refused:
            problems.append(UnreadableFile(descriptor_path.name, f"resource '{raw['name']}' {refused}", rule="resource-unsupported"))
            continue
        for key in ("schema", "dialect"):  # the path is reported where the table is read
            if isinstance(raw.get(key), str):  # an object is given inline; only a string names a file
                try:
                    inside(root, raw[key], SCHEMAS if key == "schema" else DIALECTS)
                except RefusedPath as exc:
                    problems.append(UnreadableFile(descriptor_path.name, f"resource '{raw['name']}': {key} {raw[key]!r} {exc}",
                                                   rule="refused-path"))
        schema, schema_path, unread = raw.get("schema"), None, False
        if isinstance(schema, str):
            schema_path = schema
            try:
                schema = read_json(inside(root, schema, SCHEMAS), display=schema_path, totals=totals)
            except RefusedPath:
                schema, unread = {}, True  # reported above
            except UnreadableFile as exc:
                problems.append(exc)
                schema, unread = {}, True
        resources.append(Resource(raw["name"], raw["path"], schema if isinstance(schema, dict) else {}, schema_path,
                                  _dialect(root, raw.get("dialect"), problems, totals), schema_unread=unread))
    return Package(root, descriptor_path, data, resources), problems


def _dialect(root: Path, dialect, problems: list[UnreadableFile], totals: JsonTotals) -> dict:
    """The CSV dialect given inline or in the file it names; a file that cannot be read is added to
    `problems` (a refused path is reported by the caller)."""
    if not isinstance(dialect, str):
        return dialect if isinstance(dialect, dict) else {}
    try:
        return read_json(inside(root, dialect, DIALECTS), display=dialect, totals=totals)
    except RefusedPath:
        return {}
    except UnreadableFile as exc:
        problems.append(UnreadableFile(exc.file, exc.message, exc.line, rule="dialect-unreadable"))
        return {}


def _unsupported(raw: dict) -> str | None:
    """Why a resource cannot be checked like the others, or None: every table is one CSV file."""
    if "data" in raw:
        return ("holds its rows inline in 'data', which peacetalks does not check; "
                "put the rows in a CSV file under data/ and name it in 'path'")
    path = raw.get("path")
    if isinstance(path, list):
        return (f"names {len(path)} files in 'path'; peacetalks checks one CSV file per resource: "
                "join the files into one and name it in 'path'")
    if not isinstance(path, str):
        return "has no 'path' naming its CSV file, so there is nothing to check"
    return None
