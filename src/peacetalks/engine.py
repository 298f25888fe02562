"""The validation engine: every layer over every table, all problems in one run, nothing modified.

The descriptor check and layers 2 and 3 (structure, columns) of each table are independent tasks, which a
large package shares between two processes (sharing.py); layers 4 and 5 (keys, provenance) need every
table and run after them.
"""

from __future__ import annotations

from pathlib import Path

from .columns import check_columns
from .descriptor import check_descriptor
from .keys import check_keys
from .links import check_links
from .netguard import no_network
from .package import DEFAULT_DESCRIPTOR, TABLES, Package, PackageError, Resource, UnreadableFile, inside, open_package
from .provenance import check_provenance
from .report import Problem, sort_key
from .sharing import run_tasks, worth_sharing
from .structure import Table, read_table


def validate(descriptor: str | Path | None = None, jobs: int | None = None) -> list[Problem]:
    """All problems of the package at `descriptor` (default ./datapackage.json); empty when it is valid.

    `jobs`: 1 runs in this process only, 2 shares the work with a helper process; None (the default)
    shares it for a large package on a machine with two cores."""
    problems, _ = validate_and_read(descriptor, jobs)
    return problems


def validate_and_read(descriptor: str | Path | None = None, jobs: int | None = None) -> tuple[list[Problem], dict[str, Table]]:
    """The problems and the tables read; no connection can be made meanwhile (netguard.py), so a library user
    calling load() is guarded as the command line is."""
    with no_network():
        return _validate_and_read(descriptor, jobs)


def _validate_and_read(descriptor, jobs):
    try:
        package, read_problems = open_package(descriptor)
    except UnreadableFile as exc:
        return [Problem("descriptor", "descriptor", exc.file, exc.message, exc.line)], {}
    where = package.descriptor_path.name
    sizes = {r.name: _size(package, r) for r in package.resources}
    by_cost = sorted(package.resources, key=lambda r: -sizes[r.name])
    tasks = [lambda r=r: check_table(package, r) for r in by_cost]
    # Second: while one process reads the largest table, the other checks the descriptor.
    tasks.insert(1, lambda: (guarded("descriptor", where, check_descriptor, package, read_problems), {}))
    if jobs is None:
        jobs = 2 if worth_sharing(sum(sizes.values())) else 1
    problems, tables = [], {}
    for found, read in run_tasks(tasks, jobs):
        problems += found
        tables.update(read)
    tables = {r.name: tables[r.name] for r in package.resources if r.name in tables}  # descriptor order
    problems += guarded("keys", where, check_keys, package, tables)
    problems += guarded("links", where, check_links, package, tables)
    problems += guarded("provenance", where, check_provenance, package, tables)
    return sorted(problems, key=sort_key), tables


def check_table(package: Package, resource: Resource) -> tuple[list[Problem], dict[str, Table]]:
    """Layers 2 and 3 for one table: its problems, and the table (none when it could not be read)."""
    try:
        table, problems = read_table(package, resource)
    except Exception as exc:  # noqa: BLE001
        return [internal_error("structure", resource.path, exc)], {}
    if table is None:
        return problems, {}
    return problems + guarded("columns", resource.path, check_columns, table), {resource.name: table}


def _size(package: Package, resource: Resource) -> int:
    try:
        return inside(package.root, resource.path, TABLES).stat().st_size
    except (OSError, PackageError):
        return 0


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
