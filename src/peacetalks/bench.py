"""`make bench`: peacetalks against the reference frictionless validator, on scaled copies and on the real package.

Two scaled copies replicate every table by the same factor until they hold --rows rows in all (200,000 by
default): in the first the sources are kept once (five sources, many rows each); in the second they are
replicated too (every source copied with its own short code and its own copy of its corpus text), which
is how a growing package grows. Copy k of a row gets `-rk` appended to its primary key and to every
foreign key it holds (and, for the second copy, its source's short code in every id that starts with it),
so all keys stay valid and the copy is exactly as valid as the package.

Times are wall-clock seconds of the whole command (start-up included), the median (and best) of --repeat
(5) rounds after one warm-up round; in each round every command runs once, in turn, so that the load of
this shared machine falls on all of them alike. On each scaled copy: peacetalks (one process: the helper
process that shared the tables until 0.3.1 was removed, docs/validator.md), frictionless, and a
bare pandas read of the same CSV files (`pandas.read_csv` of each, nothing checked). The CPU time of the
fastest run and the peak memory (resident set) of the largest process are printed too. Then the first copy
with every row of one table broken, one case per rule in BROKEN_CASES, timed beside the clean run: a
broken package must not be slower than 3x, nor take more than 2x the memory.
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
from .validation.package import constraints, enum_values, open_package
from .validation.rulebook import checks

OUT = Path("bench/out")
UNREPLICATED = {"sources"}


def scale_package(source: Path, target: Path, rows: int, sources_too: bool = False) -> dict[str, int]:
    """Write a copy of the package at `source` (a descriptor) into `target`, replicated to >= `rows` rows.

    The sources are kept once unless `sources_too`: then copy k of a source gets its own short code (the
    code's letters, then k in letters, then its digits: js24 -> jsb24) and its own copy of its corpus text,
    and every id that starts with the source's code starts with the copy's."""
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
    unreplicated = set() if sources_too else UNREPLICATED
    outlets = _outlets(tables.get("actors"))
    fixed = sum(len(t) - 1 for name, t in tables.items() if name in unreplicated) + len(outlets)
    replicated = sum(len(t) - 1 for name, t in tables.items() if name not in unreplicated) - len(outlets)
    factor = max(1, math.ceil((rows - fixed) / max(1, replicated)))
    codes = _source_codes(tables.get("sources"), factor) if sources_too else {}
    counts = {}
    for resource in package.resources:
        # Kept sources are not replicated: each has a unique short code that its rows' ids begin with.
        copies = 1 if resource.name in unreplicated else factor
        key_columns = set(resource.primary_key) if copies > 1 else set()
        list_columns = set()
        for key in resource.foreign_keys():
            if key.resource not in unreplicated:
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
            written = 0
            for k in range(copies):
                recode = codes.get(k, {})
                for row in body:
                    changed = key_columns | list_columns
                    if resource.name == "actors" and row[header.index("actor_id")] in outlets:
                        if k:
                            continue  # an outlet is kept once, as it is: the digest headings of the corpus name it
                        changed = changed - set(checks.actors.NAME_COLUMNS)
                    cells = [_suffix(_recoded(v, recode, delimiter[c] if c in list_columns else None), k,
                                     delimiter[c] if c in list_columns else None, outlets) if c in changed else v
                             for c, v in zip(header, row)]
                    written += 1
                    if resource.name == "sources" and sources_too and k:
                        cells = _source_copy(target, dict(zip(header, cells)), recode, k, header)
                    writer.writerow(cells)
        counts[resource.name] = written
    return counts


def _source_codes(sources: list[list[str]] | None, copies: int) -> dict[int, dict[str, str]]:
    """For each copy k, each source's short code and the code of its copy (k = 0 keeps the codes)."""
    if not sources:
        return {}
    column = sources[0].index("short_code")
    originals = [row[column] for row in sources[1:] if row[column]]
    codes = {k: {code: _copy_code(code, k) for code in originals} for k in range(1, copies)}
    made = [code for recode in codes.values() for code in recode.values()] + originals
    if len(set(made)) != len(made):
        raise click.ClickException("the sources' short codes cannot be copied into unique codes")
    return codes


def _copy_code(code: str, k: int) -> str:
    letters, digits = code.rstrip("0123456789"), code[len(code.rstrip("0123456789")):]
    spelled = ""
    while True:  # k in base 26, written a-z (1 -> b, 26 -> ba): never empty, never a digit
        k, rest = divmod(k, 26)
        spelled = "abcdefghijklmnopqrstuvwxyz"[rest] + spelled
        if not k:
            return letters + spelled + digits


def _recoded(value: str, recode: dict[str, str], delimiter: str | None) -> str:
    """An id (or a list of ids) with its source's short code replaced by the copy's."""
    if not recode or not value:
        return value
    items = value.split(delimiter) if delimiter else [value]
    for i, item in enumerate(items):
        code = item.split("-", 1)[0]
        if code in recode and "-" in item:
            items[i] = recode[code] + item[len(code):]
    return delimiter.join(items) if delimiter else items[0]


def _source_copy(target: Path, row: dict[str, str], recode: dict[str, str], k: int, header: list[str]) -> list[str]:
    """Copy k of a source row: its own short code, and its own (byte-identical) copy of its corpus text."""
    row["short_code"] = recode.get(row["short_code"], row["short_code"])
    if row.get("corpus_path"):
        original = Path(row["corpus_path"])
        copied = original.with_name(f"{original.stem}-r{k}{original.suffix}")
        shutil.copyfile(target / original, target / copied)
        row["corpus_path"] = copied.as_posix()
    return [row[c] for c in header]


def _read(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _outlets(actors: list[list[str]] | None) -> set[str]:
    """The outlets (actors of type media, checks/digest.py), whose names the digest headings of the corpus
    hold: kept once, with their ids and names as they are, so that a digest item's quote in any copy is
    still credited to the outlet its row names."""
    if not actors or not {"actor_id", "actor_type"} <= set(actors[0]):
        return set()
    at, kind = actors[0].index("actor_id"), actors[0].index("actor_type")
    return {row[at] for row in actors[1:] if row[kind] == checks.digest.OUTLET_TYPE}


def _suffix(value: str, k: int, delimiter: str | None, kept: set[str] = frozenset()) -> str:
    if not value:
        return value
    if delimiter:
        return delimiter.join(item if item in kept else f"{item}-r{k}" for item in value.split(delimiter))
    return value if value in kept else f"{value}-r{k}"


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
    return [f["name"] for f in resource.fields if constraints(f).get("pattern") == DATE_PATTERN]


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
        if enum_values(field) and row.get(field["name"]):
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


CHILD_CALL = """
import json, sys
from pathlib import Path
from peacetalks import bench
name, args = sys.argv[1], json.loads(sys.argv[2])
args = [Path(a) if i < 2 else a for i, a in enumerate(args)]  # the two folders first, as both functions take them
print(json.dumps(getattr(bench, name)(*args)))
"""


def in_child(name: str, *args):
    """bench.<name>(*args), run in a child process. Linux keeps a process's memory high-water mark across
    fork and exec, so every command this process starts would report at least this process's own peak:
    built here, a 200,000-row copy made every later run (the real package's too) report 369 MB."""
    found = subprocess.run([sys.executable, "-c", CHILD_CALL, name, json.dumps(args)], capture_output=True,
                           text=True, check=True)
    return json.loads(found.stdout)


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


# A bare read of the same CSV files by pandas, nothing checked: the floor a validator that reads every cell
# cannot go far below (the goal: peacetalks within 2x of it).
PANDAS_READ = "import sys, pandas\nfor path in sys.argv[1:]:\n    pandas.read_csv(path)"


def interleaved(commands: dict[str, list[str]], repeat: int) -> dict[str, list[Run]]:
    """Every command once per round, in turn, for `repeat` rounds after one warm-up round (which also
    compiles a fresh virtualenv's bytecode): the load of a shared machine falls on all of them alike."""
    for command in commands.values():
        run_once(command)
    runs: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            runs[name].append(run_once(command))
    return runs


def _line(where: str, name: str, found: dict, repeat: int) -> str:
    return (f"{where:13} {name:30} {found['median_s']:6.2f} s median, {found['best_s']:.2f} s best of {repeat}; "
            f"CPU {found['cpu_of_best_s']:.2f} s; peak {found['peak_mb']} MB (exit {found['exit']})")


def time_scaled_copy(label: str, copy: Path, counts: dict[str, int], peacetalks: str, frictionless: str | None,
                     repeat: int, results: dict) -> None:
    """Time peacetalks, frictionless and a bare pandas read on one scaled copy."""
    descriptor = str(copy / "datapackage.json")
    package, _ = open_package(copy / "datapackage.json")
    commands = {"peacetalks validate": [peacetalks, "validate", descriptor]}
    if frictionless:
        commands["frictionless validate"] = [frictionless, "validate", descriptor]
    commands["pandas read_csv (no checks)"] = [sys.executable, "-c", PANDAS_READ,
                                               *(str(package.root / r.path) for r in package.resources)]
    click.echo(f"{label}: " + ", ".join(f"{name} {n:,}" for name, n in counts.items()) + f"  (total {sum(counts.values()):,} rows)")
    runs = interleaved(commands, repeat)
    found = {name: summary(found) for name, found in runs.items()}
    for name in commands:
        click.echo(_line("", name, found[name], repeat))
        if found[name]["exit"]:
            click.echo(runs[name][-1].tail)
    ours, bare = found["peacetalks validate"], found["pandas read_csv (no checks)"]
    ratios = {"ours_over_pandas": round(ours["median_s"] / bare["median_s"], 2)}
    click.echo(f"{'':13} peacetalks takes {ratios['ours_over_pandas']}x the bare pandas read (goal: 2x or less)")
    if frictionless:
        theirs = found["frictionless validate"]
        ratios["speedup_median"] = round(theirs["median_s"] / ours["median_s"], 1)
        ratios["speedup_best"] = round(theirs["best_s"] / ours["best_s"], 1)
        ratios["cpu_ratio"] = round(theirs["cpu_of_best_s"] / ours["cpu_of_best_s"], 1)
        click.echo(f"{'':13} peacetalks is {ratios['speedup_median']}x faster than frictionless (median), "
                   f"{ratios['speedup_best']}x (best); it uses {ratios['cpu_ratio']}x less CPU (goal: 5x faster)")
    results[label] = {"rows": sum(counts.values()), "tables": counts, "runs": found, **ratios}


def time_scaled_site(peacetalks: str, copy: Path, results: dict) -> None:
    """Build the site of the scaled copy (sources kept) once: its time, peak memory, pages, files and size.
    One run: it takes minutes, and it is its growth with the rows that is watched, not its last second."""
    if not (copy / "datapackage.json").is_file():
        click.echo(f"scaled copy   peacetalks site: skipped ({copy} is not there)")
        return
    out = OUT / "scaled-site"
    run = run_once([peacetalks, "site", "--out", str(out), str(copy / "datapackage.json")])
    found = re.search(r"([\d,]+) pages, ([\d,]+) files, ([\d.]+) MB", run.tail)
    pages, files, size = (int(found.group(1).replace(",", "")), int(found.group(2).replace(",", "")),
                          float(found.group(3))) if found else (0, 0, 0.0)
    rows = results.get("scaled copy, sources kept", {}).get("rows", 0)
    results["scaled_site"] = {"rows": rows, "seconds": round(run.wall, 1), "cpu_s": round(run.cpu, 1),
                              "peak_mb": round(run.peak_mb), "pages": pages, "files": files, "mb": size, "exit": run.code}
    click.echo(f"scaled copy   peacetalks site ({rows:,} rows)   {run.wall:6.1f} s, CPU {run.cpu:.1f} s; peak {run.peak_mb:.0f} MB; "
               f"{pages:,} pages, {files:,} files, {size:,.1f} MB (exit {run.code}; goal: minutes, memory not growing "
               "with the pages)")
    if run.code:
        click.echo(run.tail)
    shutil.rmtree(out, ignore_errors=True)


@click.command()
@click.option("--rows", default=200_000, show_default=True, help="Rows in all in each scaled copy.")
@click.option("--repeat", default=5, show_default=True, help="Rounds of runs; the median and the best are reported.")
@click.option("--skip-frictionless", is_flag=True, help="Time only peacetalks (and the bare pandas read).")
@click.option("--cases", type=click.Choice(["default", "all", "none"]), default="default", show_default=True,
              help="Broken copies to time: the default five, all (one more per rule family), or none.")
@click.option("--broken-repeat", default=2, show_default=True, help="Runs of each broken copy (after a warm-up).")
def main(rows: int, repeat: int, skip_frictionless: bool, cases: str, broken_repeat: int) -> None:
    """Time `peacetalks validate` against `frictionless validate` on two scaled copies and on the real
    package, and `peacetalks site` on the real package."""
    bin_dir = Path(sys.executable).parent
    peacetalks = str(bin_dir / "peacetalks")
    frictionless = None if skip_frictionless else str(bin_dir / "frictionless")
    results: dict = {"repeat": repeat}
    copies = {"scaled copy, sources kept": (OUT / "scaled", False),
              "scaled copy, sources too": (OUT / "scaled-sources", True)}
    for label, (copy, sources_too) in copies.items():
        click.echo(f"building the {label} in {copy} ...")
        counts = in_child("scale_package", "datapackage.json", str(copy), rows, sources_too)
        time_scaled_copy(label, copy, counts, peacetalks, frictionless, repeat, results)
    shutil.rmtree(OUT / "scaled-sources", ignore_errors=True)

    copy = OUT / "scaled"
    clean = results["scaled copy, sources kept"]["runs"]["peacetalks validate"]
    chosen = {"default": list(BROKEN_CASES), "all": [*BROKEN_CASES, *MORE_CASES], "none": []}[cases]
    for case in chosen:
        table, count = in_child("break_every_row", str(copy), str(OUT / "broken"), case)
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

    commands = {"peacetalks validate": [peacetalks, "validate", "datapackage.json"]}
    if frictionless:
        commands["frictionless validate"] = [frictionless, "validate", "datapackage.json"]
    real = {name: summary(found) for name, found in interleaved(commands, repeat).items()}
    results["real package"] = {"runs": real}
    for name in commands:
        click.echo(_line("real package", name, real[name], repeat))
    if frictionless:
        ratio = results["real package"]["ours_over_frictionless"] = round(
            real["peacetalks validate"]["median_s"] / real["frictionless validate"]["median_s"], 2)
        click.echo(f"{'':13} peacetalks/frictionless = {ratio} (median; goal: 1.0 or less)")
    site = [peacetalks, "site", "--out", str(OUT / "site"), "datapackage.json"]
    run_once(site)
    results["real_site"] = built = summary([run_once(site) for _ in range(repeat)])
    click.echo(_line("real package", "peacetalks site", built, repeat) + " (goal: a few seconds)")
    time_scaled_site(peacetalks, OUT / "scaled", results)
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    click.echo(f"results written to {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
