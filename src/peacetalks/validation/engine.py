"""The validation engine: every layer over every table, all problems in one run, nothing modified.

The descriptor check and layers 2 and 3 (structure, columns) of each table run first, in the descriptor's
order, a second thread reading (parsing) each table while this one checks the one before; layer 4 (keys)
needs every table and runs on the reading thread once the last is read, beside the last column checks;
the rules that join tables and layer 5 (provenance) run after them. All in one process: a helper process that shared
the tables (sharing.py, until 0.3.1) saved 16-19% of the time of a 200,000-row copy on an idle 2-core
machine and nothing on a loaded one, for the most intricate code of the toolkit; it was removed
(docs/validator.md, "Speed").
"""

from __future__ import annotations

import heapq

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .memory import for_want_of_memory
from .columns import check_columns
from .descriptor import check_descriptor
from .keys import check_keys
from .links import check_links
from .netguard import no_network
from .package import DEFAULT_DESCRIPTOR, Package, Resource, UnreadableFile, open_package
from .provenance import check_provenance
from .report import Problem, sort_key
from .structure import Table, read_table


def validate(descriptor: str | Path | None = None, jobs: int | None = None) -> list[Problem]:
    """All problems of the package at `descriptor` (default ./datapackage.json); empty when it is valid.

    `jobs` is accepted and ignored: the validator runs in one process (it once shared the work with a helper)."""
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
    and how many each kind has in all. Each check's problems are cut as soon as it returns, so a package
    broken a million times holds one check's problems at a time, not a million."""
    with no_network():
        problems, _, totals = _validate_and_read(descriptor, jobs, per_kind)
        return problems, totals


class _Kept:
    """Problems as they come, at most `per_kind` of each kind (None: all), with the count of each kind."""

    def __init__(self, per_kind: int | None):
        self.per_kind, self.by_kind, self.totals = per_kind, {}, {}

    def add(self, found: list[Problem]) -> None:
        grown = set()
        for problem in found:
            kind = (problem.file, problem.rule, problem.column)
            self.totals[kind] = self.totals.get(kind, 0) + 1
            self.by_kind.setdefault(kind, []).append(problem)
            grown.add(kind)
        if self.per_kind is not None:
            for kind in grown:
                kept = self.by_kind[kind]
                if len(kept) > self.per_kind:  # file and column are the kind's: line and message order it
                    self.by_kind[kind] = heapq.nsmallest(self.per_kind, kept, key=_within_kind)

    def count(self, dropped: dict) -> None:
        """Add the problems a table cut before they were made (Table.keep): counted, never shown."""
        for kind, number in dropped.items():
            self.totals[kind] = self.totals.get(kind, 0) + number

    def problems(self) -> list[Problem]:
        return sorted((p for kept in self.by_kind.values() for p in kept), key=sort_key)


def _within_kind(problem: Problem) -> tuple:
    """sort_key for problems of one kind, whose file and column are the same."""
    return problem.line or 0, str(problem.message)


def _validate_and_read(descriptor, jobs, per_kind):
    try:
        package, read_problems = open_package(descriptor)
    except UnreadableFile as exc:
        problem = Problem("descriptor", "descriptor", exc.file, exc.message, exc.line)
        return [problem], {}, {(problem.file, problem.rule, problem.column): 1}
    where = package.descriptor_path.name
    kept, tables = _Kept(per_kind), {}
    # A second thread reads the tables (pyarrow parses a CSV without holding the interpreter's lock) while this
    # one checks the descriptor, then the columns of each table already read: on two cores the parsing of
    # one table overlaps the checking of another. Every table is held until the cross-table layers anyway;
    # what reading ahead adds is one parse at a time beside one check (make bench: peak 436 MB against 393 MB
    # for a 200,000-row copy).
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="peacetalks-read")
    try:
        reads = [reader.submit(read_guarded, package, resource, per_kind) for resource in package.resources]
        # The keys layer runs on the reader's thread once every table is read, beside the column checks of
        # the last tables here: it is Arrow hash lookups, which hold no interpreter lock (make bench: it took
        # 0.12 s of this thread's 1.9 s on a 200,000-row copy).
        keys = reader.submit(_keys_of_read_tables, package, reads, where)
        kept.add(guarded("descriptor", where, check_descriptor, package, read_problems))
        for resource, read in zip(package.resources, reads):
            found, table = read.result()
            if table is not None:
                found += guarded("columns", resource.path, check_columns, table)
                tables[resource.name] = table
            kept.add(found)  # cut to a few of each kind at once: one check's problems are held at a time
        kept.add(keys.result())
    except BaseException:
        # Not waited for. Ctrl-C or SIGTERM (cli.Stopped) can land on this thread in the middle of an import,
        # before importlib releases its lock; the reader, importing too, then waits for that lock forever, and
        # a wait for the reader hung the command (1 run in 7 of test_a_signal_stops_the_run_in_one_line).
        reader.shutdown(wait=False, cancel_futures=True)
        raise
    reader.shutdown()  # every read is done
    kept.add(guarded("links", where, check_links, package, tables))
    kept.add(guarded("provenance", where, check_provenance, package, tables))
    for table in tables.values():
        kept.count(table.dropped)
    return kept.problems(), tables, kept.totals


def _keys_of_read_tables(package: Package, reads: list, where: str) -> list[Problem]:
    """Layer 4 (keys) over the tables read; run after every read, so each of `reads` is done."""
    tables = {}
    for resource, read in zip(package.resources, reads):
        table = read.result()[1]
        if table is not None:
            tables[resource.name] = table
    return guarded("keys", where, check_keys, package, tables)


def read_guarded(package: Package, resource: Resource, per_kind: int | None = None) -> tuple[list[Problem], Table | None]:
    """Layer 2 for one table: its problems, and the table (None when it could not be read), which keeps at
    most `per_kind` problems of a kind from each later check (Table.keep)."""
    if resource.schema_unread:
        return [Problem("structure", "not-checked", resource.path, f"not checked: its schema {resource.schema_path} "
                        "cannot be read (said there); fix the schema and validate again")], None
    try:
        table, problems = read_table(package, resource, per_kind)
    except MemoryError:  # not a fault of the validator: the command says so in one line (cli.py)
        raise
    except Exception as exc:  # noqa: BLE001
        if for_want_of_memory(exc):  # a thread or library refused under a limit: memory, not a validator bug
            raise MemoryError(str(exc)) from None
        return [internal_error("structure", resource.path, exc)], None
    return problems, table


def guarded(layer: str, file: str, check, *args) -> list[Problem]:
    """Run one check; a fault of the validator itself becomes a reported problem, never a traceback."""
    try:
        return check(*args)
    except MemoryError:  # not a fault of the validator: the command says so in one line (cli.py)
        raise
    except Exception as exc:  # noqa: BLE001
        if for_want_of_memory(exc):
            raise MemoryError(str(exc)) from None
        return [internal_error(layer, file, exc)]


def internal_error(layer: str, file: str, exc: Exception) -> Problem:
    return Problem(layer, "internal-error", file,
                   f"the {layer} check could not finish ({type(exc).__name__}: {exc}); this is a validator bug, please report it")


__all__ = ["validate", "validate_and_read", "DEFAULT_DESCRIPTOR"]
