"""`make bench`: peacetalks against the reference frictionless validator, on a scaled copy and on the real package.

The scaled copy replicates every table by the same factor until it holds --rows rows in all (200,000 by
default), except the sources, which are kept once. Copy k of a row gets `-rk` appended to its primary key and to every foreign key it holds, so
all keys stay valid and the copy is exactly as valid as the package. Times are wall-clock seconds of the
whole command (start-up included): the best and the median of a series of --repeat (5) runs after one
warm-up run of the same command. The CPU time of the fastest run is printed as well, since peacetalks shares a
large package between two processes and frictionless uses one.
"""

from __future__ import annotations

import csv
import json
import math
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click

from .package import open_package

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


@dataclass
class Run:
    wall: float  # seconds, start-up included
    cpu: float  # user + system seconds of the command and every process it started
    code: int
    tail: str  # the end of its output, shown when it fails


def run_once(command: list[str]) -> Run:
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return Run(wall, cpu, result.returncode, (result.stdout + result.stderr)[-400:])


def summary(runs: list[Run]) -> dict:
    best = min(runs, key=lambda r: r.wall)
    return {"best_s": round(best.wall, 2), "median_s": round(statistics.median(r.wall for r in runs), 2),
            "cpu_of_best_s": round(best.cpu, 2), "exit": best.code}


@click.command()
@click.option("--rows", default=200_000, show_default=True, help="Rows in all in the scaled copy.")
@click.option("--repeat", default=5, show_default=True, help="Runs of each command; the best and the median are reported.")
@click.option("--skip-frictionless", is_flag=True, help="Time only peacetalks.")
def main(rows: int, repeat: int, skip_frictionless: bool) -> None:
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
                   f"of {repeat}; CPU {found['cpu_of_best_s']:.2f} s (exit {found['exit']})")
        if found["exit"]:
            click.echo(runs[name][-1].tail)
    if not skip_frictionless:
        ours, theirs = results["scaled_peacetalks"], results["scaled_frictionless"]
        results["speedup_best"] = round(theirs["best_s"] / ours["best_s"], 1)
        results["speedup_median"] = round(theirs["median_s"] / ours["median_s"], 1)
        results["cpu_ratio"] = round(theirs["cpu_of_best_s"] / ours["cpu_of_best_s"], 1)
        click.echo(f"              peacetalks is {results['speedup_best']}x faster (best), {results['speedup_median']}x "
                   f"(median); it uses {results['cpu_ratio']}x less CPU (goal: 5x faster)")
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
