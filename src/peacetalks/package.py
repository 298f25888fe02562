"""Reading a data package: the descriptor, its Table Schemas and the raw text of its files.

Nothing here judges the package; it only reads it and says plainly what could not be read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DESCRIPTOR = "datapackage.json"


class PackageError(Exception):
    """The package, or a file of it, cannot be read or used as asked."""


class UnreadableFile(PackageError):
    """A JSON file of the package (descriptor or schema) that cannot be read, with where and why."""

    def __init__(self, file: str, message: str, line: int | None = None):
        self.file, self.message, self.line = file, message, line
        super().__init__(f"{file}:{line} {message}" if line else f"{file}: {message}")


@dataclass(frozen=True)
class ForeignKey:
    fields: list[str]
    resource: str  # the referenced resource; a self-reference ("" in the schema) is resolved to its own name
    ref_fields: list[str]
    is_list: bool  # from x-listForeignKeys: each delimited item of the cell must resolve


def _as_list(value) -> list[str]:
    """Table Schema allows a single field name where a list is meant."""
    return [value] if isinstance(value, str) else list(value or [])


def categories(field: dict) -> list[tuple[str, str]]:
    """A field's categories as (value, label) pairs; Table Schema allows bare values too."""
    return [(c.get("value"), c.get("label", "")) if isinstance(c, dict) else (c, "") for c in field.get("categories") or []]


def category_values(field: dict) -> list[str]:
    return [value for value, _ in categories(field)]


@dataclass
class Resource:
    name: str
    path: str  # relative to the package root, as written in the descriptor
    schema: dict = field(default_factory=dict)
    schema_path: str | None = None  # where the schema came from, for messages

    @property
    def fields(self) -> list[dict]:
        return [f for f in self.schema.get("fields", []) if isinstance(f, dict)]

    @property
    def field_names(self) -> list[str]:
        return [f.get("name") for f in self.fields]

    @property
    def primary_key(self) -> list[str]:
        return _as_list(self.schema.get("primaryKey"))

    def foreign_keys(self) -> list[ForeignKey]:
        """Declared foreign keys plus the list-valued ones (x-listForeignKeys), normalised once for every user."""
        declared = [(k, False) for k in self.schema.get("foreignKeys") or []]
        declared += [(k, True) for k in self.schema.get("x-listForeignKeys") or []]
        keys = []
        for key, is_list in declared:
            reference = key.get("reference") if isinstance(key, dict) else None
            if isinstance(reference, dict):  # anything else is the profile check's to report
                keys.append(ForeignKey(_as_list(key.get("fields")), reference.get("resource") or self.name,
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


def read_json(path: Path, display: str | None = None) -> dict:
    """Parse a JSON file, turning every way it can fail into an UnreadableFile with a location."""
    name = display or path.name
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise UnreadableFile(name, "file not found") from None
    except UnicodeDecodeError as exc:
        raise UnreadableFile(name, f"not UTF-8 (byte {exc.start})") from None
    except OSError as exc:
        raise UnreadableFile(name, f"cannot be read ({exc.strerror})") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(name, f"not valid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
    if not isinstance(value, dict):
        raise UnreadableFile(name, f"must hold a JSON object, not {type(value).__name__}")
    return value


def open_package(descriptor: str | Path | None = None) -> tuple[Package, list[UnreadableFile]]:
    """Read the descriptor and the schemas it references.

    Returns the package and the schema files that could not be read; raises UnreadableFile only when the
    descriptor itself cannot be read.
    """
    descriptor_path = Path(descriptor or DEFAULT_DESCRIPTOR)
    if descriptor_path.is_dir():
        descriptor_path = descriptor_path / DEFAULT_DESCRIPTOR
    data = read_json(descriptor_path)
    root = descriptor_path.parent
    problems: list[UnreadableFile] = []
    resources = []
    raw_resources = data.get("resources")
    for index, raw in enumerate(raw_resources if isinstance(raw_resources, list) else []):
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not isinstance(raw.get("path"), str):
            continue  # the profile check reports it; there is nothing here to read
        schema, schema_path = raw.get("schema"), None
        if isinstance(schema, str):
            schema_path = schema
            try:
                schema = read_json(root / schema, display=schema_path)
            except UnreadableFile as exc:
                problems.append(exc)
                schema = {}
        resources.append(Resource(raw["name"], raw["path"], schema if isinstance(schema, dict) else {}, schema_path))
    return Package(root, descriptor_path, data, resources), problems
