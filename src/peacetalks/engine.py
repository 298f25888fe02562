"""The validation engine: every layer over every table, all problems in one run, nothing modified."""

from __future__ import annotations

from pathlib import Path

from .columns import check_columns
from .descriptor import check_descriptor
from .keys import check_keys
from .package import DEFAULT_DESCRIPTOR, UnreadableFile, open_package
from .provenance import check_provenance
from .report import Problem, sort_key
from .structure import Table, read_table


def validate(descriptor: str | Path | None = None) -> list[Problem]:
    """All problems of the package at `descriptor` (default ./datapackage.json); empty when it is valid."""
    problems, _ = validate_and_read(descriptor)
    return problems


def validate_and_read(descriptor: str | Path | None = None) -> tuple[list[Problem], dict[str, Table]]:
    try:
        package, read_problems = open_package(descriptor)
    except UnreadableFile as exc:
        return [Problem("descriptor", "descriptor", exc.file, exc.message, exc.line)], {}
    problems = guarded("descriptor", package.descriptor_path.name, check_descriptor, package, read_problems)
    tables: dict[str, Table] = {}
    for resource in package.resources:
        try:
            table, found = read_table(package, resource)
        except Exception as exc:  # noqa: BLE001
            table, found = None, [internal_error("structure", resource.path, exc)]
        problems += found
        if table is not None:
            tables[resource.name] = table
            problems += guarded("columns", resource.path, check_columns, table)
    problems += guarded("keys", package.descriptor_path.name, check_keys, package, tables)
    problems += guarded("provenance", package.descriptor_path.name, check_provenance, package, tables)
    return sorted(problems, key=sort_key), tables


def guarded(layer: str, file: str, check, *args) -> list[Problem]:
    """Run one check; a fault of the validator itself becomes a reported problem, never a traceback."""
    try:
        return check(*args)
    except Exception as exc:  # noqa: BLE001
        return [internal_error(layer, file, exc)]


def internal_error(layer: str, file: str, exc: Exception) -> Problem:
    return Problem(layer, "internal-error", file,
                   f"the {layer} check could not finish ({type(exc).__name__}: {exc}); this is a validator bug, please report it")


__all__ = ["validate", "validate_and_read", "DEFAULT_DESCRIPTOR"]
