"""`peacetalks export`: the validated tables as SQLite, Parquet, XLSX and JSON.

Every format starts from `peacetalks.load()`, so the values (categoricals, nullable numbers, lists, the
days each partial date covers) are the ones Python users get, and no format re-implements the typing.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .codebook import describe_columns
from .loader import Tables, load
from .package import ForeignKey, Package, Resource, open_package

FORMATS = ("sqlite", "parquet", "xlsx", "json")


@dataclass
class Written:
    path: Path
    rows: int
    what: str = ""  # e.g. "9 sheets"

    def line(self) -> str:
        what = f"{self.what}, " if self.what else ""
        rows = f"{self.rows:,} row{'s' if self.rows != 1 else ''}"
        return f"{self.path}  {what}{rows}  {human_size(self.path.stat().st_size)}"


def human_size(size: int) -> str:
    if size < 1000:
        return f"{size} B"
    return f"{size / 1000:.1f} kB" if size < 1_000_000 else f"{size / 1_000_000:.1f} MB"


def export(descriptor: str | Path | None, formats: list[str], out: str | Path) -> list[Written]:
    """Validate and load the package, then write each format into `out`; raises InvalidPackageError."""
    tables = load(descriptor)
    package, _ = open_package(descriptor)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    writers = {"sqlite": write_sqlite, "parquet": write_parquet, "xlsx": write_xlsx, "json": write_json}
    return [written for fmt in formats for written in writers[fmt](package, tables, out)]


def base_name(package: Package) -> str:
    return str(package.descriptor.get("name") or "datapackage")


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
        return (field or {}).get("delimiter", ",").join(value) or None
    return value


def records(frame: pd.DataFrame) -> list[dict]:
    columns = list(frame.columns)
    return [dict(zip(columns, map(plain, row))) for row in frame.itertuples(index=False, name=None)]


def _replace_atomically(path: Path, write) -> None:
    """Write to a temporary file and move it into place, so a failed export never leaves half a file."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.unlink(missing_ok=True)
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


# -- SQLite -----------------------------------------------------------------------------------------------

def write_sqlite(package: Package, tables: Tables, out: Path) -> list[Written]:
    path = out / f"{base_name(package)}.sqlite"
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
            connection.execute("COMMIT")  # deferred foreign keys are checked here
        finally:
            connection.close()

    _replace_atomically(path, write)
    link_rows = sum(len(link.rows(tables[link.resource.name])) for link in links)
    what = f"{len(package.resources)} tables and {len(links)} link table{'s' if len(links) != 1 else ''} ({link_rows:,} links)"
    return [Written(path, rows, what)]


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
        definition = f"{_quote(column)} {_sqlite_type(field)}"
        constraints = (field or {}).get("constraints") or {}
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


# -- Parquet ----------------------------------------------------------------------------------------------

def arrow_type(series: pd.Series) -> pa.DataType:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return pa.dictionary(pa.int32(), pa.string())
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return pa.date32()
    if pd.api.types.is_float_dtype(dtype):
        return pa.float64()
    if pd.api.types.is_integer_dtype(dtype):
        return pa.int64()
    if isinstance(dtype, pd.StringDtype):
        return pa.string()
    return pa.list_(pa.string())  # the loader's only object columns are the lists


def arrow_table(resource: Resource, frame: pd.DataFrame) -> pa.Table:
    descriptions = {c["column"]: c["description"] for c in describe_columns(resource)}
    fields, arrays = [], []
    for column in frame.columns:
        kind = arrow_type(frame[column])
        fields.append(pa.field(column, kind, metadata={"description": descriptions.get(column, "")}))
        arrays.append(pa.array(frame[column], type=kind))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _write_each_table(package: Package, tables: Tables, folder: Path, suffix: str, write) -> list[Written]:
    """One file per table in `folder`, each written atomically by `write(resource, frame, target)`."""
    folder.mkdir(exist_ok=True)
    written = []
    for resource in package.resources:
        path = folder / f"{resource.name}.{suffix}"
        frame = tables[resource.name]
        _replace_atomically(path, lambda target: write(resource, frame, target))
        written.append(Written(path, len(frame)))
    return written


def write_parquet(package: Package, tables: Tables, out: Path) -> list[Written]:
    return _write_each_table(package, tables, out / "parquet", "parquet",
                             lambda resource, frame, target: pq.write_table(arrow_table(resource, frame), target))


# -- JSON -------------------------------------------------------------------------------------------------

def write_json(package: Package, tables: Tables, out: Path) -> list[Written]:
    def write(resource, frame, target):
        text = json.dumps(records(frame), ensure_ascii=False, indent=2, default=date.isoformat) + "\n"
        target.write_text(text, encoding="utf-8")
    return _write_each_table(package, tables, out / "json", "json", write)


# -- XLSX -------------------------------------------------------------------------------------------------

CODEBOOK_HEADER = ["table", "column", "type", "required", "description", "allowed values", "references", "constraints"]


def codebook_rows(package: Package) -> list[list]:
    rows = []
    for resource in package.resources:
        for c in describe_columns(resource):
            allowed = "\n".join(f"{value}: {label}" if label else value for value, label in c["allowed"])
            rows.append([c["table"], c["column"], c["type"], "yes" if c["required"] else "no", c["description"],
                         allowed, c["references"], c["constraints"]])
    return rows


def write_xlsx(package: Package, tables: Tables, out: Path) -> list[Written]:
    from openpyxl import Workbook  # imported here: only this format needs it

    path = out / f"{base_name(package)}.xlsx"
    workbook = Workbook()
    _xlsx_sheet(workbook.active, "codebook", CODEBOOK_HEADER, codebook_rows(package))
    for resource in package.resources:
        frame = tables[resource.name]
        fields = [resource.field(c) for c in frame.columns]
        rows = [[flat(v, f) for v, f in zip(row, fields)]
                for row in frame.itertuples(index=False, name=None)]
        _xlsx_sheet(workbook.create_sheet(), resource.name, list(frame.columns), rows)
    _replace_atomically(path, workbook.save)
    rows = sum(len(tables[r.name]) for r in package.resources)
    return [Written(path, rows, f"{len(workbook.sheetnames)} sheets")]


def _xlsx_sheet(sheet, title: str, header: list[str], rows: list[list]) -> None:
    from openpyxl.styles import Font

    sheet.title = title[:31]  # Excel's limit
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:  # control characters, which XLSX cannot hold, are rejected by validation
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"  # a text that starts with '=' is text, not a formula
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions

