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
        problems, tables, _ = _validate_and_read(descriptor, jobs, None)
        return problems, tables


def validate_for_reading(descriptor: str | Path | None = None, jobs: int | None = None,
                         per_kind: int = 10) -> tuple[list[Problem], dict[tuple, int]]:
    """What a person reads: at most `per_kind` problems of each kind (file, rule, column), the first by line,
    and how many each kind has in all. Each check's problems are cut as soon as it returns (in the helper
    process too, before they cross), so a package broken a million times holds one check's problems at a
    time, not a million."""
    with no_network():
        problems, _, totals = _validate_and_read(descriptor, jobs, per_kind)
        return problems, totals


class _Kept:
    """Problems as they come, at most `per_kind` of each kind (None: all), with the count of each kind."""

    def __init__(self, per_kind: int | None):
        self.per_kind, self.by_kind, self.totals = per_kind, {}, {}

    def add(self, found: list[Problem]) -> None:
        for problem in found:
            kind = (problem.file, problem.rule, problem.column)
            self.totals[kind] = self.totals.get(kind, 0) + 1
            self.by_kind.setdefault(kind, []).append(problem)
        if self.per_kind is not None:
            for kind, kept in self.by_kind.items():
                if len(kept) > self.per_kind:
                    kept.sort(key=sort_key)
                    del kept[self.per_kind:]

    def problems(self) -> list[Problem]:
        return sorted((p for kept in self.by_kind.values() for p in kept), key=sort_key)


def _capped(result, per_kind: int | None):
    """A task's result with its problems cut to `per_kind` of a kind, and the count of each kind."""
    found, tables = result
    if per_kind is None:
        return found, tables
    kept = _Kept(per_kind)
    kept.add(found)
    return _Counted(kept.problems(), kept.totals), tables


class _Counted(list):
    """A list of problems cut to a few of each kind, carrying how many each kind had (`totals`)."""

    def __init__(self, problems, totals):
        super().__init__(problems)
        self.totals = totals


def _validate_and_read(descriptor, jobs, per_kind):
    try:
        package, read_problems = open_package(descriptor)
    except UnreadableFile as exc:
        problem = Problem("descriptor", "descriptor", exc.file, exc.message, exc.line)
        return [problem], {}, {(problem.file, problem.rule, problem.column): 1}
    where = package.descriptor_path.name
    sizes = {r.name: _size(package, r) for r in package.resources}
    by_cost = sorted(package.resources, key=lambda r: -sizes[r.name])
    tasks = [lambda r=r: _capped(check_table(package, r), per_kind) for r in by_cost]
    # Second: while one process reads the largest table, the other checks the descriptor.
    tasks.insert(1, lambda: _capped((guarded("descriptor", where, check_descriptor, package, read_problems), {}), per_kind))
    if jobs is None:
        jobs = 2 if worth_sharing(sum(sizes.values())) else 1
    kept, tables = _Kept(per_kind), {}
    for found, read in run_tasks(tasks, jobs):
        _add(kept, found)
        tables.update(read)
    tables = {r.name: tables[r.name] for r in package.resources if r.name in tables}  # descriptor order
    _add(kept, guarded("keys", where, check_keys, package, tables))
    _add(kept, guarded("links", where, check_links, package, tables))
    _add(kept, guarded("provenance", where, check_provenance, package, tables))
    return kept.problems(), tables, kept.totals


def _add(kept: _Kept, found: list[Problem]) -> None:
    """Add a task's problems; those already cut (_Counted) bring the counts of what was cut."""
    kept.add(found)
    for kind, total in getattr(found, "totals", {}).items():
        kept.totals[kind] += total - sum(1 for p in found if (p.file, p.rule, p.column) == kind)


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
