"""`make bench`: peacetalks against the reference frictionless validator, on a scaled copy and on the real package.

The scaled copy replicates every table by the same factor until it holds --rows rows in all (200,000 by
default). Copy k of a row gets `-rk` appended to its primary key and to every foreign key it holds, so
all keys stay valid and the copy is exactly as valid as the package. Times are wall-clock seconds of the
whole command (start-up included), after one warm-up run, best of --repeat (3) runs; the median too on
the real package. On the copy the CPU time of the fastest run is printed as well, since peacetalks
shares a large package between two processes and frictionless uses one.
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
from pathlib import Path

import click

from .package import open_package

OUT = Path("bench/out")


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
    factor = max(1, math.ceil(rows / max(1, sum(len(t) - 1 for t in tables.values()))))
    counts = {}
    for resource in package.resources:
        key_columns = set(resource.primary_key)
        list_columns = set()
        for key in resource.foreign_keys():
            (list_columns if key.is_list else key_columns).update(key.fields)
        delimiter = {f["name"]: f.get("delimiter", ",") for f in resource.fields}
        header, body = tables[resource.name][0], tables[resource.name][1:]
        with open(target / resource.path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(header)
            for k in range(factor):
                for row in body:
                    writer.writerow([_suffix(v, k, delimiter[c] if c in list_columns else None) if c in key_columns | list_columns else v
                                     for c, v in zip(header, row)])
        counts[resource.name] = len(body) * factor
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


def timed(command: list[str], repeat: int) -> tuple[float, int, str, float]:
    """Best wall-clock time of `repeat` runs, the exit code and the tail of the output of the last run, and
    the CPU time (user + system, all processes) of the fastest run."""
    runs, result = [], None
    for _ in range(repeat):
        before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
        runs.append((wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime))
    wall, cpu = min(runs)
    return wall, result.returncode, (result.stdout + result.stderr)[-400:], cpu


@click.command()
@click.option("--rows", default=200_000, show_default=True, help="Rows in all in the scaled copy.")
@click.option("--repeat", default=3, show_default=True, help="Runs of each command (the best is kept; the median too on the real package).")
@click.option("--skip-frictionless", is_flag=True, help="Time only peacetalks (frictionless takes minutes on the copy).")
def main(rows: int, repeat: int, skip_frictionless: bool) -> None:
    """Time `peacetalks validate` against `frictionless validate` on a scaled copy and on the real package."""
    bin_dir = Path(sys.executable).parent
    peacetalks, frictionless = str(bin_dir / "peacetalks"), str(bin_dir / "frictionless")
    copy = OUT / "scaled"
    click.echo(f"building a scaled copy in {copy} ...")
    counts = scale_package(Path("datapackage.json"), copy, rows)
    click.echo("  " + ", ".join(f"{name} {n:,}" for name, n in counts.items()) + f"  (total {sum(counts.values()):,} rows)")
    results = {"rows": sum(counts.values()), "tables": counts}
    # Warm up both tools once (a fresh virtualenv compiles its bytecode on first use), then best of --repeat.
    timed([peacetalks, "validate", "datapackage.json"], 1)
    timed([frictionless, "--version"], 1)
    ours, code, tail, cpu = timed([peacetalks, "validate", str(copy / "datapackage.json")], repeat)
    results["scaled_peacetalks_s"], results["scaled_peacetalks_exit"] = round(ours, 2), code
    results["scaled_peacetalks_cpu_s"] = round(cpu, 2)
    click.echo(f"scaled copy   peacetalks validate    {ours:8.2f} s  (exit {code}; CPU {cpu:.2f} s in its processes)")
    if code:
        click.echo(tail)
    if not skip_frictionless:
        theirs, code, tail, cpu = timed([frictionless, "validate", str(copy / "datapackage.json")], repeat)
        results["scaled_frictionless_s"], results["scaled_frictionless_exit"] = round(theirs, 2), code
        results["scaled_frictionless_cpu_s"], results["speedup"] = round(cpu, 2), round(theirs / ours, 1)
        click.echo(f"scaled copy   frictionless validate  {theirs:8.2f} s  (exit {code}; CPU {cpu:.2f} s)")
        click.echo(f"              peacetalks is {theirs / ours:.1f}x faster (goal: 5x)")
    real = []
    for _ in range(repeat):
        real.append(timed([peacetalks, "validate", "datapackage.json"], 1)[0])  # each run kept, for the median
    results["real_peacetalks_best_s"], results["real_peacetalks_median_s"] = round(min(real), 2), round(statistics.median(real), 2)
    click.echo(f"real package  peacetalks validate    {min(real):8.2f} s best, {statistics.median(real):.2f} s median "
               f"of {repeat} warm runs (goal: 1.5 s)")
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    click.echo(f"results written to {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
