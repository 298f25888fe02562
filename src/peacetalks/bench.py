"""`make bench`: peacetalks against the reference frictionless validator, on a scaled copy and on the real package.

The scaled copy replicates every table by the same factor until it holds --rows rows in all (200,000 by
default), except the sources, which are kept once. Copy k of a row gets `-rk` appended to its primary key and to every foreign key it holds, so
all keys stay valid and the copy is exactly as valid as the package. Times are wall-clock seconds of the
whole command (start-up included): the best and the median of a series of --repeat (5) runs after one
warm-up run of the same command. The CPU time of the fastest run is printed as well, since peacetalks shares a
large package between two processes and frictionless uses one, and the peak memory (resident set) of the
largest process. Then the same copy with every row of one table broken, one case per rule in BROKEN_CASES,
timed beside the clean run: a broken package must not be slower than 3x, nor take more than 2x the memory.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click

from .validation.dates import DATE_PATTERN
from .validation.package import open_package
from .validation.rulebook import checks

OUT = Path("bench/out")
UNREPLICATED = {"sources"}


def scale_package(source: Path, target: Path, rows: int) -> dict[str, int]:
    """Write a copy of the package at `source` (a descriptor) into `target`, replicated to >= `rows` rows."""
    package, _ = open_package(source)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for item in ["datapackage.json", "schemas", "corpus", "checks"]:
        path = package.root / item
        if path.is_dir():
            shutil.copytree(path, target / item)
        elif path.exists():
            shutil.copyfile(path, target / item)
    (target / "data").mkdir(parents=True)
    tables = {r.name: _read(package.root / r.path) for r in package.resources}
    fixed = sum(len(t) - 1 for name, t in tables.items() if name in UNREPLICATED)
    replicated = sum(len(t) - 1 for name, t in tables.items() if name not in UNREPLICATED)
    factor = max(1, math.ceil((rows - fixed) / max(1, replicated)))
    counts = {}
    for resource in package.resources:
        # Sources are not replicated: each has a unique short code that its rows' ids begin with.
        copies = 1 if resource.name in UNREPLICATED else factor
        key_columns = set(resource.primary_key) if copies > 1 else set()
        list_columns = set()
        for key in resource.foreign_keys():
            if key.resource not in UNREPLICATED:
                (list_columns if key.is_list else key_columns).update(key.fields)
        delimiter = {f["name"]: f.get("delimiter", ",") for f in resource.fields}
        if resource.name == "actors":  # one actor per name: each copy of an actor gets its own names too
            for name in checks.actors.NAME_COLUMNS:
                field = resource.field(name) or {}
                (list_columns if field.get("type") == "list" else key_columns).add(name)
        header, body = tables[resource.name][0], tables[resource.name][1:]
        with open(target / resource.path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(header)
            for k in range(copies):
                for row in body:
                    writer.writerow([_suffix(v, k, delimiter[c] if c in list_columns else None) if c in key_columns | list_columns else v
                                     for c, v in zip(header, row)])
        counts[resource.name] = len(body) * copies
    return counts


def _read(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _suffix(value: str, k: int, delimiter: str | None) -> str:
    if not value:
        return value
    if delimiter:
        return delimiter.join(f"{item}-r{k}" for item in value.split(delimiter))
    return f"{value}-r{k}"


# Ways to break every row of one table of the scaled copy, each by one rule; the validator must stay fast
# (goal: at most 3x the clean run) and report every problem.
def _every_date_impossible(resource, row: dict) -> None:
    for name in _date_fields(resource)[:1]:
        row[name] = "2025-02-30"


def _every_number_off_its_quote(resource, row: dict) -> None:
    for field in resource.fields:
        if field.get("type") in ("number", "integer") and row.get(field["name"]):
            row[field["name"]] = str(int(float(row[field["name"]])) + 1)  # a number the quote does not write


def _date_fields(resource) -> list[str]:
    return [f["name"] for f in resource.fields if (f.get("constraints") or {}).get("pattern") == DATE_PATTERN]


def _every_quote_missing(resource, row: dict) -> None:
    key = resource.primary_key[0]
    row["quote"] = f"words no source holds, {row[key]}"  # distinct per row: each is looked up and explained


def _every_key_upper_case_and_last_cell_padded(resource, row: dict) -> None:
    """Breaks three rules on every row: the key's pattern (and every reference to it), and whitespace."""
    for name in resource.primary_key:
        row[name] = row[name].upper()
    last = resource.field_names[-1]
    row[last] = row[last] + " "


def _every_cell_of_a_type_wrong(resource, row: dict) -> None:
    for field in resource.fields:
        if field.get("type") in ("number", "integer") and row.get(field["name"]):
            row[field["name"]] = "n/a"


def _every_vocabulary_value_unknown(resource, row: dict) -> None:
    for field in resource.fields:
        if (field.get("constraints") or {}).get("enum") and row.get(field["name"]):
            row[field["name"]] = "unknown-value"


def _every_reference_dangling(resource, row: dict) -> None:
    for key in resource.foreign_keys():
        for name in key.fields:
            if row.get(name):
                row[name] = row[name] + "-nowhere"


def _every_text_a_formula(resource, row: dict) -> None:
    row["text"] = "=" + row["text"]


def _has_quotes(resource) -> bool:
    return "quote" in resource.field_names and len(resource.primary_key) == 1


# Each case: which tables it applies to, how it breaks a row, and whether it breaks every such table (True)
# or only the largest. The first ones run by default; `--cases all` adds one per further rule family.
BROKEN_CASES = {
    "every date impossible": (lambda r: bool(_date_fields(r)), _every_date_impossible),
    "every figure number missing from its quote": (lambda r: r.name == "figures", _every_number_off_its_quote),
    "every quote missing from its source": (_has_quotes, _every_quote_missing),
    "every row duplicated": (lambda r: r.name == "demands", None),
    "every table broken at once (keys upper-case, last cells padded)": (
        lambda r: bool(r.primary_key), _every_key_upper_case_and_last_cell_padded, True),
}
MORE_CASES = {
    "every number not a number": (lambda r: r.name == "figures", _every_cell_of_a_type_wrong),
    "every vocabulary value unknown": (lambda r: r.name == "demands", _every_vocabulary_value_unknown),
    "every foreign key dangling": (lambda r: r.name == "demands", _every_reference_dangling),
    "every text a formula": (lambda r: r.name == "demands", _every_text_a_formula),
}


def break_every_row(scaled: Path, target: Path, case: str) -> tuple[str, int]:
    """A copy of the scaled copy with every row of one table broken as `case` says: the table with the
    most rows that the case applies to (or every such table). Returns the tables' names and their rows."""
    applies, breaks, *every = {**BROKEN_CASES, **MORE_CASES}[case]
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(scaled, target)
    package, _ = open_package(target / "datapackage.json")
    tables = {r.name: _read(package.root / r.path) for r in package.resources if applies(r)}
    chosen = list(tables) if every and every[0] else [max(tables, key=lambda name: len(tables[name]))]
    rows = 0
    for name in chosen:
        resource = package.resource(name)
        header, body = tables[name][0], tables[name][1:]
        with open(target / resource.path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(header)
            for cells in body:
                if breaks is None:  # every row written twice
                    writer.writerow(cells)
                    writer.writerow(cells)
                    continue
                row = dict(zip(header, cells))
                breaks(resource, row)
                writer.writerow([row[c] for c in header])
        rows += len(body)
    return ", ".join(chosen), rows


@dataclass
class Run:
    wall: float  # seconds, start-up included
    cpu: float  # user + system seconds of the command and every process it started
    code: int
    tail: str  # the end of its output, shown when it fails
    peak_mb: float = 0.0  # the largest resident set of the command or any process it started
    lines: int = 0  # lines of output (problems reported, plus the summary line)
    problems: int = 0  # as the report's last line counts them


def run_once(command: list[str]) -> Run:
    """Run `command`, waiting for it with wait4 so that its own peak memory is known (getrusage of all
    children would give the peak of every command run so far)."""
    start = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as process:
        output = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    text = output.decode("utf-8", "replace")
    found = re.search(r"([\d,]+) problems? found\.\s*$", text)
    return Run(wall, usage.ru_utime + usage.ru_stime, process.returncode, text[-400:],
               usage.ru_maxrss / 1024, text.count("\n"), int(found.group(1).replace(",", "")) if found else 0)


def summary(runs: list[Run]) -> dict:
    best = min(runs, key=lambda r: r.wall)
    return {"best_s": round(best.wall, 2), "median_s": round(statistics.median(r.wall for r in runs), 2),
            "cpu_of_best_s": round(best.cpu, 2), "exit": best.code, "peak_mb": round(max(r.peak_mb for r in runs)),
            "output_lines": best.lines, "problems": best.problems}


@click.command()
@click.option("--rows", default=200_000, show_default=True, help="Rows in all in the scaled copy.")
@click.option("--repeat", default=5, show_default=True, help="Runs of each command; the best and the median are reported.")
@click.option("--skip-frictionless", is_flag=True, help="Time only peacetalks.")
@click.option("--cases", type=click.Choice(["default", "all", "none"]), default="default", show_default=True,
              help="Broken copies to time: the default five, all (one more per rule family), or none.")
@click.option("--broken-repeat", default=2, show_default=True, help="Runs of each broken copy (after a warm-up).")
def main(rows: int, repeat: int, skip_frictionless: bool, cases: str, broken_repeat: int) -> None:
    """Time `peacetalks validate` against `frictionless validate` on a scaled copy and on the real package,
    and `peacetalks site` on the real package."""
    bin_dir = Path(sys.executable).parent
    peacetalks, frictionless = str(bin_dir / "peacetalks"), str(bin_dir / "frictionless")
    copy = OUT / "scaled"
    click.echo(f"building a scaled copy in {copy} ...")
    counts = scale_package(Path("datapackage.json"), copy, rows)
    click.echo("  " + ", ".join(f"{name} {n:,}" for name, n in counts.items()) + f"  (total {sum(counts.values()):,} rows)")
    results: dict = {"rows": sum(counts.values()), "tables": counts, "repeat": repeat}
    commands = {"peacetalks": [peacetalks, "validate", str(copy / "datapackage.json")]}
    if not skip_frictionless:
        commands["frictionless"] = [frictionless, "validate", str(copy / "datapackage.json")]
    # Each command is timed in a series of warm runs, after one warm-up run of its own, as hyperfine does
    # (the warm-up also compiles a fresh virtualenv's bytecode). Taking turns instead was tried and is
    # unfair on this kind of virtual machine: a second core left idle through a 10 s frictionless run is
    # slow to wake, which costs a two-process run 0.3-0.5 s (measured: runs right after 10 s of idling).
    runs: dict[str, list[Run]] = {}
    for name, command in commands.items():
        run_once(command)
        runs[name] = [run_once(command) for _ in range(repeat)]
    for name in commands:
        results[f"scaled_{name}"] = found = summary(runs[name])
        click.echo(f"scaled copy   {name + ' validate':22} {found['best_s']:6.2f} s best, {found['median_s']:.2f} s median "
                   f"of {repeat}; CPU {found['cpu_of_best_s']:.2f} s; peak {found['peak_mb']} MB (exit {found['exit']})")
        if found["exit"]:
            click.echo(runs[name][-1].tail)
    if not skip_frictionless:
        ours, theirs = results["scaled_peacetalks"], results["scaled_frictionless"]
        results["speedup_best"] = round(theirs["best_s"] / ours["best_s"], 1)
        results["speedup_median"] = round(theirs["median_s"] / ours["median_s"], 1)
        results["cpu_ratio"] = round(theirs["cpu_of_best_s"] / ours["cpu_of_best_s"], 1)
        click.echo(f"              peacetalks is {results['speedup_best']}x faster (best), {results['speedup_median']}x "
                   f"(median); it uses {results['cpu_ratio']}x less CPU (goal: 5x faster)")
    clean = results["scaled_peacetalks"]
    chosen = {"default": list(BROKEN_CASES), "all": [*BROKEN_CASES, *MORE_CASES], "none": []}[cases]
    for case in chosen:
        table, count = break_every_row(copy, OUT / "broken", case)
        command = [peacetalks, "validate", str(OUT / "broken" / "datapackage.json")]
        run_once(command)
        found = summary([run_once(command) for _ in range(broken_repeat)])
        time_ratio, memory_ratio = found["best_s"] / clean["best_s"], found["peak_mb"] / max(clean["peak_mb"], 1)
        cpu_ratio = found["cpu_of_best_s"] / max(clean["cpu_of_best_s"], 0.01)  # steadier on a busy machine
        results[f"broken: {case}"] = found | {"table": table, "rows": count, "time_ratio": round(time_ratio, 2),
                                              "cpu_ratio": round(cpu_ratio, 2), "memory_ratio": round(memory_ratio, 2)}
        verdict = "within budget" if time_ratio <= 3 and memory_ratio <= 2 else "OVER BUDGET"
        click.echo(f"broken copy   {case} ({table}, {count:,} rows): {found['best_s']:.2f} s best "
                   f"({time_ratio:.1f}x clean; budget 3x; CPU {cpu_ratio:.1f}x); peak {found['peak_mb']} MB "
                   f"({memory_ratio:.1f}x clean; budget 2x); {found['problems']:,} problems (exit {found['exit']}): {verdict}")
    shutil.rmtree(OUT / "broken", ignore_errors=True)
    run_once([peacetalks, "validate", "datapackage.json"])
    results["real_peacetalks"] = real = summary([run_once([peacetalks, "validate", "datapackage.json"]) for _ in range(repeat)])
    click.echo(f"real package  peacetalks validate     {real['best_s']:6.2f} s best, {real['median_s']:.2f} s median "
               f"of {repeat} warm runs (goal: 1.5 s)")
    site = [peacetalks, "site", "--out", str(OUT / "site"), "datapackage.json"]
    run_once(site)
    results["real_site"] = built = summary([run_once(site) for _ in range(repeat)])
    click.echo(f"real package  peacetalks site         {built['best_s']:6.2f} s best, {built['median_s']:.2f} s median "
               f"of {repeat} warm runs; CPU {built['cpu_of_best_s']:.2f} s (goal: a few seconds)")
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    click.echo(f"results written to {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
