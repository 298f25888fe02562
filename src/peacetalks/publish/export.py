"""`peacetalks export`: the validated tables as SQLite, Parquet, XLSX and JSON.

Every format starts from `peacetalks.load()`, so the values (categoricals, nullable numbers, lists, the
days each partial date covers) are the ones Python users get, and no format re-implements the typing.
Every copy also says what it is (licence, version, citation, sources, table and column descriptions, from
about.about()) in its own convention: metadata tables in SQLite (and a Datasette metadata file beside
it), file-level key/value metadata in Parquet, an "about" sheet in XLSX, metadata.json beside the JSON.

Besides the tables, every format carries the derived `positions` view (positions.position_view): each
demands row with its actor's name and side, the proposition's wording, and whether `peacetalks positions`
counts it. In the XLSX, a column holding another table's id has that row's name beside it.

Names from the package become file names and SQL identifiers only after they are checked (names.py and
check_exportable), and every file is written under a temporary name of its own in the output folder.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..validation.voice import VOICE_COLUMNS
from .codebook import describe_columns
from .datasette import LABEL_NAMES, datasette_metadata, label_column
from ..validation.loader import Tables, load
from ..validation.leftovers import remove_stale_once, replace_atomically
from ..validation.locate import find_descriptor
from ..validation.ownfiles import check_out
from .about import about
from .metadata import licence_text
from .names import output_folder, refuse_link, safe_name
from ..validation.rulebook import checks
from ..validation.package import ForeignKey, Package, PackageError, Resource, list_delimiter, open_package
from ..validation.package import constraints as field_constraints
from ..analysis.positions import VIEW_COLUMNS, VIEW_DESCRIPTION, VIEW_NAME, VIEW_TITLE, has_view, position_view

FORMATS = ("sqlite", "parquet", "xlsx", "json", "stata")
FILE_SUFFIXES = {"parquet": "parquet", "json": "json", "stata": "dta"}  # one file per table, in out/<format>/
SINGLE_FILES = {"sqlite": ("sqlite", "datasette.json"), "xlsx": ("xlsx",)}  # out/<name>.<suffix>
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can hold: no build time leaks into an XLSX's bytes
# Text a spreadsheet would evaluate as a formula when it starts a cell (OWASP, "CSV injection"): the
# characters the validator's formula rule refuses in the package's text cells.
FORMULA_STARTS = tuple(chr(byte) for byte in checks.generic.FORMULA_STARTS)


class ExportError(PackageError):
    """The package is valid but cannot be written in a format as it is (names that clash in it)."""


@dataclass
class Written:
    path: Path
    rows: int | None  # None for a file of metadata
    what: str = ""  # e.g. "9 sheets"

    def line(self) -> str:
        rows = f"{self.rows:,} row{'s' if self.rows != 1 else ''}" if self.rows is not None else ""
        what = ", ".join(part for part in (self.what, rows) if part)
        return f"{self.path}  {what}  {human_size(self.path.stat().st_size)}"


def human_size(size: int) -> str:
    if size < 1000:
        return f"{size} B"
    return f"{size / 1000:.1f} kB" if size < 1_000_000 else f"{size / 1_000_000:.1f} MB"


def export(descriptor: str | Path | None, formats: list[str], out: str | Path) -> list[Written]:
    """Validate and load the package, then write each format into `out`.

    Raises InvalidPackageError, UnsafeNameError (a descriptor name unfit for a file name) or ExportError,
    before anything is written."""
    descriptor = find_descriptor(descriptor)
    check_out(descriptor, out)  # before the slower validation, so that a wrong --out is said at once
    tables = load(descriptor)
    package, _ = open_package(descriptor)
    return export_tables(package, tables, formats, out)


def export_tables(package: Package, tables: Tables, formats: list[str], out: str | Path) -> list[Written]:
    """Write the loaded tables in each format into `out` (see export)."""
    check_out(package.descriptor_path, out)
    check_exportable(package, tables, formats)
    derived = derived_tables(tables)
    check_targets(Path(out), planned_files(package, formats, Path(out), derived))
    out = output_folder(out)
    for folder in [out, *(out / fmt for fmt in FORMATS)]:  # every format's, whichever this run writes
        remove_stale_once(folder)  # what an export killed midway left (validation/leftovers.py)
    info = about(package, tables)
    info["derived"] = [d.record() for d in derived]
    writers = {"sqlite": write_sqlite, "parquet": write_parquet, "xlsx": write_xlsx, "json": write_json, "stata": write_stata}
    return [written for fmt in formats for written in writers[fmt](package, tables, out, info, derived)]


@dataclass
class Derived:
    """A table computed from the package's tables (the positions view): not a CSV, in every export."""

    name: str
    title: str
    description: str
    frame: pd.DataFrame
    descriptions: dict[str, str]  # column -> what it holds
    key: str  # the column that is the row's key, and the demands row it stands for

    def columns(self) -> list[tuple[str, str, str]]:
        """(name, type, description) of each column, the types as the codebook names them."""
        return [(c, column_type(self.frame[c]), self.descriptions[c]) for c in self.frame.columns]

    def record(self) -> dict:
        """As metadata.about() describes a table."""
        return {"name": self.name, "title": self.title, "description": self.description, "rows": len(self.frame),
                "columns": [{"name": c, "type": kind, "required": c == self.key, "description": description,
                             "references": f"demands.{self.key}" if c == self.key else "", "allowed_values": []}
                            for c, kind, description in self.columns()]}


def derived_tables(tables: Tables) -> list[Derived]:
    if not has_view(tables):  # a partial package: no view rather than a half-made one
        return []
    return [Derived(VIEW_NAME, VIEW_TITLE, VIEW_DESCRIPTION, position_view(tables),
                    {name: description for name, description, _ in VIEW_COLUMNS}, "demand_id")]


DERIVED_NAMES = (VIEW_NAME,)  # what derived_tables may add: a resource of that name would clash


def column_type(series: pd.Series) -> str:
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return "date"
    return "number" if pd.api.types.is_numeric_dtype(series.dtype) else "string"


def base_name(package: Package) -> str:
    name = package.descriptor.get("name")
    return "datapackage" if name is None else safe_name(name, "the descriptor's name")


def check_exportable(package: Package, tables: Tables, formats: list[str]) -> None:
    """Every name a format turns into a file, sheet, table or column, checked before anything is written."""
    base_name(package)
    for resource in package.resources:
        safe_name(resource.name, "the resource name")
    problems = []
    if "sqlite" in formats:
        problems += sqlite_name_problems(package, tables)
    if "xlsx" in formats:
        sheets = [(title, "the sheet") for title, _ in XLSX_FIRST_SHEETS]
        sheets += [(name, "the derived sheet") for name in DERIVED_NAMES]
        sheets += [(r.name[:31], "the sheet of the resource") for r in package.resources]
        problems += [f"XLSX: {clash} (sheet names are cut to 31 characters and compared ignoring case)"
                     for clash in _clashes(sheets)]
    if {"parquet", "json", "stata"} & set(formats):  # one file per table: one name on a case-insensitive file system
        files = [(name, "the derived file") for name in DERIVED_NAMES] + [(r.name, "the file of the resource") for r in package.resources]
        problems += [f"Parquet, JSON and Stata: {clash} (file names are compared ignoring case)" for clash in _clashes(files)]
    if "json" in formats and any(r.name.casefold() == JSON_METADATA.casefold() for r in package.resources):
        problems.append(f"JSON: the table {JSON_METADATA!r} would overwrite the metadata file json/{JSON_METADATA}.json")
    if problems:
        raise ExportError("cannot export the package as it is: " + "; ".join(problems) + ". Rename them in the "
                          "descriptor or the schemas.")


def planned_files(package: Package, formats: list[str], out: Path, derived: list["Derived"]) -> list[Path]:
    """Every file the formats will write into `out`, named as the writers name them."""
    base = base_name(package)
    files = []
    for fmt in formats:
        if fmt in FILE_SUFFIXES:  # one file per table, in a folder named after the format
            names = [r.name for r in package.resources] + [t.name for t in derived]
            names += [JSON_METADATA] if fmt == "json" else []
            files += [table_file(out, fmt, name) for name in names]
        else:
            files += [out / f"{base}.{suffix}" for suffix in SINGLE_FILES[fmt]]
    return files


def table_file(out: Path, fmt: str, name: str) -> Path:
    """Where a format of one file per table writes the table `name`."""
    return out / fmt / f"{name}.{FILE_SUFFIXES[fmt]}"


def check_targets(out: Path, files: list[Path]) -> None:
    """Refuse, before anything is written, every target the export could not write or must not write through:
    a linked folder (`exports/json -> elsewhere`, shipped with a package), a file where a folder goes, a
    folder where a file goes. Checked all at once: a refusal halfway would leave some formats new and some old."""
    for folder in [out, *sorted({f.parent for f in files} - {out})]:
        refuse_link(folder)
        if folder.exists() and not folder.is_dir():
            raise ExportError(f"{folder} is a file, and the export writes a folder there: move or remove it, or "
                              "name another --out; nothing was written")
    for file in files:
        if file.is_dir() and not file.is_symlink():
            raise ExportError(f"{file} is a folder, and the export writes a file there: move or remove it, or "
                              "name another --out; nothing was written")


def _clashes(named: list[tuple[str, str]]) -> list[str]:
    """Messages for the (name, what it is) pairs whose names a format that ignores case takes for one."""
    first: dict[str, tuple[str, str]] = {}
    clashes = []
    for name, what in named:
        if name.casefold() in first:
            earlier_name, earlier_what = first[name.casefold()]
            clashes.append(f"{earlier_what} {earlier_name!r} and {what} {name!r} would be one name")
        else:
            first[name.casefold()] = (name, what)
    return clashes


def plain(value):
    """A typed cell as a plain Python value: None when missing, a date for the span days, list, float, int, str."""
    if isinstance(value, list):
        return value
    if value is None or pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value if isinstance(value, (int, float)) else str(value)


def flat(value, field: dict | None):
    """plain(), with a list joined by its delimiter as in the CSV (None when it has no items)."""
    value = plain(value)
    if isinstance(value, list):
        return list_delimiter((field or {})).join(value) or None
    return value


def records(frame: pd.DataFrame) -> list[dict]:
    columns = list(frame.columns)
    return [dict(zip(columns, map(plain, row))) for row in frame.itertuples(index=False, name=None)]


def _replace_atomically(path: Path, write) -> None:
    """The shared atomic writer (validation/leftovers.py), with a failure said for the person exporting: a full
    disk named no file."""
    try:
        replace_atomically(path, write)
    except OSError as exc:
        raise ExportError(f"{path} could not be written ({exc.strerror or exc}); it is as it was, and no temporary "
                          "file is left: run the export again once that is fixed, or name another --out") from None


# -- SQLite -----------------------------------------------------------------------------------------------

def write_sqlite(package: Package, tables: Tables, out: Path, info: dict, derived: list[Derived]) -> list[Written]:
    """The tables with their keys, a link table per list foreign key, the derived positions table, the
    metadata tables, and beside the database the Datasette metadata file that `peacetalks serve` uses."""
    path, metadata_path = (out / f"{base_name(package)}.{suffix}" for suffix in SINGLE_FILES["sqlite"])
    links = list_links(package)
    rows = sum(len(tables[r.name]) for r in package.resources)

    def write(target: Path) -> None:
        connection = sqlite3.connect(target, isolation_level=None)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("BEGIN")
            for resource in dependency_order(package):
                _sqlite_table(connection, resource, tables[resource.name])
            for link in links:
                _sqlite_link(connection, link, tables[link.resource.name])
            for table in derived:
                _sqlite_derived(connection, table)
            _sqlite_metadata(connection, info, links, tables)
            connection.execute("COMMIT")  # deferred foreign keys are checked here
        finally:
            connection.close()

    _replace_atomically(path, write)
    metadata = datasette_metadata(package, info, path.stem, links, METADATA_TABLES, derived)
    _replace_atomically(metadata_path, lambda target: target.write_text(
        json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"))
    link_rows = sum(len(link.rows(tables[link.resource.name])) for link in links)
    what = (f"{len(package.resources)} tables, {len(links)} link table{'s' if len(links) != 1 else ''} ({link_rows:,} links), "
            f"{len(derived)} derived and {len(METADATA_TABLES)} metadata tables")
    return [Written(path, rows, what), Written(metadata_path, None, "Datasette metadata")]


# The tables that describe the others, in every SQLite export (a resource may not take these names).
METADATA_TABLES = {
    "package_metadata": ("What the file is, one property a row: name, title, version, licence, citation, "
                         "sources (JSON), ...", ["key", "value"]),
    "table_metadata": ("Each table of the file: its title, description and rows",
                       ["table_name", "title", "description", "rows"]),
    "column_metadata": ("Each column of each table: its type, whether it is required, its description, the "
                        "column it references and its allowed values",
                        ["table_name", "column_name", "position", "type", "required", "description", "references_column",
                         "allowed_values"]),
}


def _sqlite_metadata(connection: sqlite3.Connection, info: dict, links: list["ListLink"], tables: Tables) -> None:
    package_rows = [(key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
                    for key, value in [("name", info["name"]), ("title", info["title"]), ("version", info["version"]),
                                       ("created", info["created"]), ("description", info["description"]),
                                       ("license", licence_text({"licenses": info["licenses"]})),
                                       ("citation", info["citation"]), ("keywords", info["keywords"]),
                                       ("sources", info["sources"])]]
    table_rows = [(t["name"], t["title"], t["description"], t["rows"]) for t in info["tables"]]
    table_rows += [(link.name, link.title, link.description, len(link.rows(tables[link.resource.name]))) for link in links]
    table_rows += [(d["name"], d["title"], d["description"], d["rows"]) for d in info.get("derived", [])]
    table_rows += [(name, name.replace("_", " ").capitalize(), description, None)
                   for name, (description, _) in METADATA_TABLES.items()]
    column_rows = [(t["name"], c["name"], position, c["type"], int(c["required"]), c["description"], c["references"] or None,
                    "\n".join(f"{a['value']}: {a['definition']}" if a["definition"] else a["value"]
                              for a in c["allowed_values"]) or None)
                   for t in info["tables"] + info.get("derived", []) for position, c in enumerate(t["columns"], start=1)]
    column_rows += [(link.name, column, position, kind, 1, description, reference or None, None)
                    for link in links for position, (column, kind, description, reference) in enumerate(link.columns(), 1)]
    for name, (_, columns) in METADATA_TABLES.items():
        connection.execute(f"CREATE TABLE {_quote(name)} ({_columns_sql(columns)}, PRIMARY KEY ({_quote(columns[0])}"
                           f"{', ' + _quote(columns[1]) if name == 'column_metadata' else ''}))")
    for name, rows in zip(METADATA_TABLES, (package_rows, table_rows, column_rows)):
        placeholders = ", ".join("?" * len(METADATA_TABLES[name][1]))
        connection.executemany(f"INSERT INTO {_quote(name)} VALUES ({placeholders})", rows)


def sqlite_name_problems(package: Package, tables: Tables) -> list[str]:
    """Names SQLite cannot hold apart (it ignores case in table and column names) or cannot hold at all (NUL)."""
    links = list_links(package)
    table_names = [(r.name, "the resource") for r in package.resources]
    table_names += [(link.name, f"the link table of {link.resource.name}.{link.column}") for link in links]
    table_names += [(name, "the metadata table") for name in METADATA_TABLES]
    table_names += [(name, "the derived table") for name in DERIVED_NAMES]
    problems = [f"SQLite: {clash}" for clash in _clashes(table_names)]
    columns = {r.name: [(c, "the column" if r.field(c) else "the derived column") for c in tables[r.name].columns]
               for r in package.resources}
    columns.update({link.name: [(c[0], "the column") for c in link.columns()] for link in links})
    for table, names in columns.items():
        problems += [f"SQLite: in table {table!r}, {clash}" for clash in _clashes(names)]
        problems += [f"SQLite: in table {table!r}, the column {name!r} holds a NUL character" for name, _ in names if "\0" in name]
    return problems


def dependency_order(package: Package) -> list[Resource]:
    """Referenced tables before the tables that reference them (self-references aside)."""
    names = {r.name for r in package.resources}
    pending, done = list(package.resources), []
    while pending:
        ready = [r for r in pending if all(t in done or t == r.name or t not in names for t in _targets(r))]
        ready = ready or pending[:1]  # a cycle: keys are deferred to commit, so any order still loads
        done += [r.name for r in ready]
        pending = [r for r in pending if r not in ready]
    return [package.resource(name) for name in done]


def _targets(resource: Resource) -> list[str]:
    return [key.resource for key in resource.foreign_keys()]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns_sql(names: list[str]) -> str:
    return ", ".join(_quote(n) for n in names)


def _sqlite_type(field: dict | None) -> str:
    kind = (field or {}).get("type")
    return {"number": "REAL", "integer": "INTEGER"}.get(kind, "TEXT")


def create_table_sql(resource: Resource, columns: list[str]) -> str:
    parts = []
    for column in columns:
        field = resource.field(column)  # None for the derived span days
        derived = {"type": "integer"} if VOICE_COLUMNS.get(column, ("",))[0] == "boolean" else None  # official_voice: 0/1
        definition = f"{_quote(column)} {_sqlite_type(field or derived)}"
        constraints = field_constraints(field)
        if constraints.get("required"):
            definition += " NOT NULL"
        if constraints.get("enum"):
            definition += f" CHECK ({_quote(column)} IN ({', '.join(_sql_text(v) for v in constraints['enum'])}))"
        parts.append(definition)
    if resource.primary_key:
        parts.append(f"PRIMARY KEY ({_columns_sql(resource.primary_key)})")
    for key in resource.foreign_keys():
        if not key.is_list:  # list keys get a link table instead
            parts.append(_foreign_key_sql(key))
    return f"CREATE TABLE {_quote(resource.name)} (\n  " + ",\n  ".join(parts) + "\n)"


def _foreign_key_sql(key: ForeignKey) -> str:
    return (f"FOREIGN KEY ({_columns_sql(key.fields)}) REFERENCES {_quote(key.resource)} ({_columns_sql(key.ref_fields)})"
            " DEFERRABLE INITIALLY DEFERRED")


def _sql_text(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _sqlite_value(value, field: dict | None):
    value = flat(value, field)  # lists as in the CSV: the link tables hold their items
    return value.isoformat() if isinstance(value, date) else value


def _sqlite_table(connection: sqlite3.Connection, resource: Resource, frame: pd.DataFrame) -> None:
    columns = list(frame.columns)
    connection.execute(create_table_sql(resource, columns))
    fields = [resource.field(c) for c in columns]
    rows = ([_sqlite_value(v, f) for v, f in zip(row, fields)] for row in frame.itertuples(index=False, name=None))
    placeholders = ", ".join("?" * len(columns))
    connection.executemany(f"INSERT INTO {_quote(resource.name)} VALUES ({placeholders})", rows)


@dataclass
class ListLink:
    """A link table for a list-valued foreign key: one row per item, so joins need no string splitting."""

    resource: Resource
    column: str  # the list column, e.g. events.participants
    target: str  # the referenced table, e.g. actors
    target_column: str  # e.g. actor_id

    @property
    def owner_key(self) -> str:
        return self.resource.primary_key[0]

    @property
    def name(self) -> str:  # events.participants keyed by event_id -> event_participants
        stem = self.owner_key.removesuffix("_id") if self.owner_key.endswith("_id") else self.resource.name
        return f"{stem}_{self.column}"

    @property
    def item_column(self) -> str:
        return self.target_column if self.target_column != self.owner_key else f"{self.column}_{self.target_column}"

    @property
    def title(self) -> str:
        return f"{self.resource.name}.{self.column}, one item a row"

    @property
    def description(self) -> str:
        return (f"One row per item of the list {self.resource.name}.{self.column}, in its order, so that joins "
                f"need no string splitting.")

    def columns(self) -> list[tuple[str, str, str, str]]:
        """(name, type, description, references) of each column."""
        return [(self.owner_key, "string", f"The {self.resource.name} row the list belongs to.",
                 f"{self.resource.name}.{self.owner_key}"),
                (self.item_column, "string", f"One item of {self.column}.", f"{self.target}.{self.target_column}"),
                ("position", "integer", "The item's place in the list, from 1.", "")]

    def create_sql(self) -> str:
        owner, item = _quote(self.owner_key), _quote(self.item_column)
        return (f"CREATE TABLE {_quote(self.name)} (\n  {owner} TEXT NOT NULL,\n  {item} TEXT NOT NULL,\n"
                f"  \"position\" INTEGER NOT NULL,\n  PRIMARY KEY ({owner}, \"position\"),\n"
                f"  {_foreign_key_sql(ForeignKey([self.owner_key], self.resource.name, [self.owner_key], False))},\n"
                f"  {_foreign_key_sql(ForeignKey([self.item_column], self.target, [self.target_column], False))}\n)")

    def rows(self, frame: pd.DataFrame) -> list[tuple]:
        return [(owner, item, position) for owner, items in zip(frame[self.owner_key], frame[self.column])
                for position, item in enumerate(items, start=1)]


def list_links(package: Package) -> list[ListLink]:
    links = []
    for resource in package.resources:
        for key in resource.foreign_keys():
            if key.is_list and len(resource.primary_key) == 1 and len(key.fields) == 1 == len(key.ref_fields):
                links.append(ListLink(resource, key.fields[0], key.resource, key.ref_fields[0]))
    return links


def _sqlite_link(connection: sqlite3.Connection, link: ListLink, frame: pd.DataFrame) -> None:
    connection.execute(link.create_sql())
    connection.executemany(f"INSERT INTO {_quote(link.name)} VALUES (?, ?, ?)", link.rows(frame))


def _sqlite_derived(connection: sqlite3.Connection, table: Derived) -> None:
    """A derived table, keyed by (and referencing) the demands row each of its rows stands for."""
    columns = [f"{_quote(name)} {'TEXT' if kind != 'number' else 'REAL'}{' NOT NULL' if name == table.key else ''}"
               for name, kind, _ in table.columns()]
    key = ForeignKey([table.key], "demands", [table.key], False)
    connection.execute(f"CREATE TABLE {_quote(table.name)} (\n  " + ",\n  ".join(
        columns + [f"PRIMARY KEY ({_quote(table.key)})", _foreign_key_sql(key)]) + "\n)")
    rows = ([_sqlite_value(v, None) for v in row] for row in table.frame.itertuples(index=False, name=None))
    connection.executemany(f"INSERT INTO {_quote(table.name)} VALUES ({', '.join('?' * len(table.frame.columns))})", rows)


# -- Parquet ----------------------------------------------------------------------------------------------

def arrow_type(series: pd.Series) -> pa.DataType:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return pa.dictionary(pa.int32(), pa.string())
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return pa.date32()
    if pd.api.types.is_bool_dtype(dtype):
        return pa.bool_()  # official_voice
    if pd.api.types.is_float_dtype(dtype):
        return pa.float64()
    if pd.api.types.is_integer_dtype(dtype):
        return pa.int64()
    if isinstance(dtype, pd.StringDtype):
        return pa.string()
    return pa.list_(pa.string())  # the loader's only object columns are the lists


def arrow_table(resource: Resource, frame: pd.DataFrame, info: dict) -> pa.Table:
    """The table with a description on each column and the package's metadata on the file."""
    descriptions = {c["column"]: c["description"] for c in describe_columns(resource)}
    return _arrow(frame, descriptions, parquet_metadata(info, resource.name))


def _arrow(frame: pd.DataFrame, descriptions: dict[str, str], metadata: dict[str, str]) -> pa.Table:
    fields, arrays = [], []
    for column in frame.columns:
        kind = arrow_type(frame[column])
        fields.append(pa.field(column, kind, metadata={"description": descriptions.get(column, "")}))
        arrays.append(pa.array(frame[column], type=kind))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=metadata))


def parquet_metadata(info: dict, table: str) -> dict[str, str]:
    """File-level key/value metadata: plain text values, JSON for the lists."""
    described = next(t for t in info["tables"] + info.get("derived", []) if t["name"] == table)
    return {"table": table, "table_title": described["title"], "table_description": described["description"],
            "package": info["name"], "title": info["title"], "version": info["version"], "created": info["created"],
            "license": licence_text({"licenses": info["licenses"]}), "citation": info["citation"],
            "sources": json.dumps(info["sources"], ensure_ascii=False)}


def _write_each_table(package: Package, tables: Tables, out: Path, fmt: str, write,
                      derived: list[Derived] = (), write_derived=None) -> list[Written]:
    """One file per table in out/<fmt>, each written atomically by `write(resource, frame, target)`, then
    one per derived table by `write_derived(table, target)`. The folder is refused if it is a link: a
    package can ship `exports/json -> elsewhere`, and the tables must not be written through it."""
    output_folder(out / fmt)
    written = []
    for resource in package.resources:
        path = table_file(out, fmt, safe_name(resource.name, 'the resource name'))
        frame = tables[resource.name]
        _replace_atomically(path, lambda target: write(resource, frame, target))
        written.append(Written(path, len(frame)))
    for table in derived:
        path = table_file(out, fmt, table.name)
        _replace_atomically(path, lambda target: write_derived(table, target))
        written.append(Written(path, len(table.frame), "derived"))
    return written


def write_parquet(package: Package, tables: Tables, out: Path, info: dict, derived: list[Derived] = ()) -> list[Written]:
    def write_derived(table: Derived, target: Path) -> None:
        pq.write_table(_arrow(table.frame, table.descriptions, parquet_metadata(info, table.name)), target)

    return _write_each_table(package, tables, out, "parquet",
                             lambda resource, frame, target: pq.write_table(arrow_table(resource, frame, info), target),
                             derived, write_derived)


# -- JSON -------------------------------------------------------------------------------------------------

JSON_METADATA = "metadata"  # json/metadata.json: the record of what the files beside it are


def write_json(package: Package, tables: Tables, out: Path, info: dict, derived: list[Derived] = ()) -> list[Written]:
    def write(resource, frame, target):
        text = json.dumps(records(frame), ensure_ascii=False, indent=2, default=date.isoformat) + "\n"
        target.write_text(text, encoding="utf-8")
    written = _write_each_table(package, tables, out, "json", write, derived,
                                lambda table, target: write(None, table.frame, target))
    path = table_file(out, "json", JSON_METADATA)
    record = {**info, "files": {t["name"]: f"{t['name']}.json" for t in info["tables"] + info.get("derived", [])}}
    _replace_atomically(path, lambda target: target.write_text(
        json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"))
    return written + [Written(path, None, "metadata")]


# -- Stata ------------------------------------------------------------------------------------------------

def write_stata(package: Package, tables: Tables, out: Path, info: dict, derived: list[Derived] = ()) -> list[Written]:
    """A .dta per table and derived table: variable labels from the codebook, value labels for every vocabulary."""
    from .stata import resource_descriptions, write_dta

    stamp = datetime.fromisoformat(info["created"][:10]) if info["created"] else datetime(1980, 1, 1)

    def write(resource, frame, target):
        delimiters = {f["name"]: f.get("delimiter", ",") for f in resource.fields if f.get("type") == "list"}
        title = next((t["title"] for t in info["tables"] if t["name"] == resource.name), "") or resource.name
        write_dta(frame, target, f"{resource.name}: {title}", resource_descriptions(resource), delimiters, stamp=stamp)

    def write_derived(table: Derived, target: Path) -> None:
        write_dta(table.frame, target, f"{table.name}: {table.title}", table.descriptions,
                  vocabularies=derived_vocabularies(tables, table.frame), stamp=stamp)

    return _write_each_table(package, tables, out, "stata", write, derived, write_derived)


def derived_vocabularies(tables: Tables, frame: pd.DataFrame) -> dict[str, list[str]]:
    """The allowed values of the positions view's vocabulary columns, from the tables they come from (so a
    value no row uses still has its label), and in_positions' reasons as they occur."""
    found = {}
    sources = {"side": ("actors", "side"), "date_basis": ("demands", "timeline_basis")}
    sources.update({c: ("demands", c) for c in ("stance", "kind", "evidence", "status")})
    for column, (table, source) in sources.items():
        series = tables[table][source] if table in tables and source in tables[table].columns else None
        if column in frame.columns and series is not None and isinstance(series.dtype, pd.CategoricalDtype):
            found[column] = [str(v) for v in series.cat.categories]
    if "in_positions" in frame.columns:
        found["in_positions"] = sorted(set(frame["in_positions"].dropna()), key=lambda v: (v != "yes", v))
    return found


# -- XLSX -------------------------------------------------------------------------------------------------

CODEBOOK_HEADER = ["table", "column", "type", "required", "description", "allowed values", "references", "constraints"]
XLSX_FIRST_SHEETS = [("about", "What this workbook is"), ("codebook", "Every column of every table")]


def codebook_rows(package: Package, derived: list[Derived] = ()) -> list[list]:
    """Every column of every sheet: the derived ones first, then each table's, with its name columns."""
    rows = [[table.name, name, kind, "yes" if name == table.key else "no", description, "",
             f"demands.{table.key}" if name == table.key else "", ""]
            for table in derived for name, kind, description in table.columns()]
    for resource in package.resources:
        named = {column: target for column, target, _ in name_columns(package, resource)}
        for c in describe_columns(resource):
            allowed = "\n".join(f"{value}: {label}" if label else value for value, label in c["allowed"])
            rows.append([c["table"], c["column"], c["type"], "yes" if c["required"] else "no", c["description"],
                         allowed, c["references"], c["constraints"]])
            if c["column"] in named:
                rows.append([c["table"], name_column(c["column"]), "string", "no", f"The name of the {named[c['column']]} "
                             f"row(s) that `{c['column']}` names (in this workbook only, not in the CSV).", "", "", ""])
    return rows


def about_rows(info: dict) -> list[list]:
    """The about sheet: the package's facts, then its tables, then its sources, as label/value rows."""
    rows = [["title", info["title"]], ["name", info["name"]], ["version", info["version"]],
            ["created", info["created"][:10]], ["description", info["description"]],
            ["licence", licence_text({"licenses": info["licenses"]})], ["how to cite", info["citation"]],
            ["keywords", ", ".join(info["keywords"])],
            ["values", "Cells hold the values as written in the package's CSV files: dates as text at the precision the "
                       "source gives (the *_first_day and *_last_day columns hold the days they cover), numbers in full"],
            ["names", "Beside each column that holds an id of another table, a column ending in _name holds that row's "
                      "name (not in the CSV files), so that a sheet can be filtered by name"],
            ["positions", "The positions sheet: every demands row with its actor's name and side, the proposition's "
                          "wording and the plan; in_positions says whether `peacetalks positions` counts it, and if not why"],
            [], ["table", "rows", "title", "description"]]
    rows += [[t["name"], t["rows"], t["title"], t["description"]] for t in info.get("derived", []) + info["tables"]]
    rows += [[], ["source", "title", "address or corpus file"]]
    rows += [[s.get("source_id", ""), s["title"], s.get("path", "")] for s in info["sources"]]
    return rows


def write_xlsx(package: Package, tables: Tables, out: Path, info: dict, derived: list[Derived] = ()) -> list[Written]:
    from openpyxl import Workbook  # imported here: only this format needs it

    path = out / f"{base_name(package)}.{SINGLE_FILES['xlsx'][0]}"
    workbook = Workbook()
    _xlsx_sheet(workbook.active, "about", ["property", "value"], about_rows(info), filtered=False)
    for table in derived:  # first after about: what a spreadsheet user filters first
        rows = [[flat(v, None) for v in row] for row in table.frame.itertuples(index=False, name=None)]
        _xlsx_sheet(workbook.create_sheet(), table.name, list(table.frame.columns), rows)
    _xlsx_sheet(workbook.create_sheet(), "codebook", CODEBOOK_HEADER, codebook_rows(package, derived))
    for resource in package.resources:
        frame = with_names(package, tables, resource, tables[resource.name])
        fields = [resource.field(c) for c in frame.columns]
        rows = [[flat(v, f) for v, f in zip(row, fields)]
                for row in frame.itertuples(index=False, name=None)]
        _xlsx_sheet(workbook.create_sheet(), resource.name, list(frame.columns), rows)
    created = datetime.fromisoformat(info["created"][:10]) if info["created"] else datetime(1980, 1, 1)
    workbook.properties.created = workbook.properties.modified = created
    workbook.properties.title, workbook.properties.version = info["title"], str(info["version"])
    _replace_atomically(path, lambda target: save_reproducibly(workbook, target))
    rows = sum(len(tables[r.name]) for r in package.resources)
    return [Written(path, rows, f"{len(workbook.sheetnames)} sheets")]


def name_column(column: str) -> str:
    """The XLSX column beside an id column: actor_id -> actor_name, proposed_by -> proposed_by_name."""
    return f"{column.removesuffix('_id')}_name"


def name_columns(package: Package, resource: Resource) -> list[tuple[str, str, str]]:
    """(column, referenced table, its name column) for each one-column foreign key of the resource whose
    target has a name-like column, when the name column would not clash with one the table has."""
    found = []
    for key in resource.foreign_keys():
        target = package.resource(key.resource)
        if len(key.fields) != 1 or target is None or len(key.ref_fields) != 1:
            continue
        label = label_column(target)
        if label in (None, key.ref_fields[0]):  # no required name: a name-like column that may be empty will do
            label = next((n for n in LABEL_NAMES if n in target.field_names), None)
        if label and label != key.ref_fields[0] and name_column(key.fields[0]) not in resource.field_names:
            found.append((key.fields[0], key.resource, label))
    return found


def with_names(package: Package, tables: Tables, resource: Resource, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with, after each column naming a row of another table, that row's name ('; ' between the
    names of a list's items)."""
    named = frame.copy()
    for column, target, label in reversed(name_columns(package, resource)):
        key = package.resource(target).primary_key[0] if len(package.resource(target).primary_key) == 1 else None
        if key is None or target not in tables:
            continue
        names = dict(zip(tables[target][key].astype("string"), tables[target][label].astype("string")))
        values = [("; ".join(names.get(i, i) for i in v) or None) if isinstance(v, list)
                  else (None if v is None or pd.isna(v) else names.get(str(v), str(v))) for v in frame[column]]
        named.insert(list(named.columns).index(column) + 1, name_column(column), pd.Series(values, index=frame.index, dtype="string"))
    return named


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry ZIP_TIME, so that the same workbook gives the same bytes."""

    def writestr(self, name, data, compress_type=None, compresslevel=None):
        if not isinstance(name, zipfile.ZipInfo):
            name = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            name.compress_type = compress_type or self.compression
            name.external_attr = 0o600 << 16
        super().writestr(name, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        self.writestr(arcname or os.path.basename(filename), Path(filename).read_bytes(), compress_type, compresslevel)


def save_reproducibly(workbook, target: Path) -> None:
    """openpyxl's save, with fixed entry times and without its stamp of the current time."""
    from openpyxl.writer.excel import ExcelWriter

    archive = _FixedTimeZip(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(workbook, archive).save()  # writes every part, then closes the archive


def _xlsx_sheet(sheet, title: str, header: list[str], rows: list[list], filtered: bool = True) -> None:
    from openpyxl.styles import Font

    sheet.title = title[:31]  # Excel's limit
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:  # control characters, which XLSX cannot hold, are rejected by validation
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            as_written(cell)
    sheet.freeze_panes = "A2"
    if rows and filtered:
        sheet.auto_filter.ref = sheet.dimensions


def as_written(cell) -> None:
    """Show the value as the package writes it: text that a spreadsheet would evaluate stays text (header
    cells too), numbers in full (no 7.8E+10), days as yyyy-mm-dd with no time."""
    value = cell.value
    if isinstance(value, str):
        if value.startswith(FORMULA_STARTS):
            cell.data_type = "s"  # openpyxl stores a str that starts with '=' as a formula otherwise
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited (OWASP's leading quote)
    elif isinstance(value, bool):
        pass
    elif isinstance(value, (int, float)):
        cell.number_format = number_format(value)
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"


def number_format(value: float) -> str:
    """A format that shows every digit of the number and no more: 78000000000 -> '0', 0.25 -> '0.00'."""
    if float(value).is_integer():
        return "0"
    text = repr(float(value))
    return "General" if "e" in text else "0." + "0" * len(text.split(".")[1])
