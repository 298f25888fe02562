"""A package from a stranger: every path stays inside the package, nothing hangs, nothing ends in a
traceback, and a run that is stopped cleans up after itself (issue 8).

The path cases put a canary file beside the package: its contents must never reach the report."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from peacetalks.validation.engine import validate

CANARY = "SECRET-CANARY-d41d8cd9"
HANG_GUARD = 60  # seconds: a bound on a hang, never a speed test (speed is make bench's)


@pytest.fixture
def canary(pkg) -> Path:
    """A file beside the package (outside it) that nothing may read."""
    path = pkg.root.parent / "canary.csv"
    path.write_text(f"{CANARY},x\n{CANARY},y\n")
    return path


def named(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def problems_without_canary(pkg, canary: Path) -> list[str]:
    problems = pkg.problems()
    report = "\n".join(problems)
    assert CANARY not in report and hashlib.sha256(canary.read_bytes()).hexdigest() not in report
    return problems


def cli(*args, timeout=HANG_GUARD, **kwargs):
    return subprocess.run([sys.executable, "-m", "peacetalks", *args], capture_output=True, text=True,
                          timeout=timeout, **kwargs)


# -- paths ------------------------------------------------------------------------------------------------

REFUSED = "datapackage.json resource 'actors': path {!r} {}; it was not read"


@pytest.mark.parametrize("path,why", [
    ("ABSOLUTE", "is an absolute path; paths must be relative to the package root (the folder of datapackage.json)"),
    ("../canary.csv", "climbs out of its folder with '..'; paths must stay inside the package"),
    ("data/../../canary.csv", "climbs out of its folder with '..'; paths must stay inside the package"),
    ("https://example.com/actors.csv", "is a URL or other scheme (https:); the validator reads only files inside the "
                                       "package and fetches nothing: put a copy in the package and name it by a relative path"),
    ("file:///etc/passwd", "is a URL or other scheme (file:); the validator reads only files inside the "
                           "package and fetches nothing: put a copy in the package and name it by a relative path"),
])
def test_a_resource_path_outside_the_package_is_refused_unread(pkg, canary, path, why):
    path = str(canary) if path == "ABSOLUTE" else path
    pkg.edit_json("datapackage.json", lambda d: named(d, "actors").update(path=path))
    assert problems_without_canary(pkg, canary) == [REFUSED.format(path, why)]


def test_a_symlink_out_of_the_package_is_refused_unread(pkg, canary):
    pkg.path("data/actors.csv").unlink()
    pkg.path("data/actors.csv").symlink_to(canary)
    assert problems_without_canary(pkg, canary) == [REFUSED.format(
        "data/actors.csv", "leads outside the package through a symbolic link; only files inside the package are read")]


@pytest.mark.parametrize("outside", [True, False])
def test_a_corpus_folder_that_is_a_link_is_never_followed(pkg, outside):
    """The whole corpus folder a link: to a folder beside the package, every text is refused unread as
    outside; to a folder inside it, refused too, since corpus/ is where the toolkit reads texts, and a link
    to another folder makes every path under corpus/ name a file there (the quick path for a plain file in a
    folder must say what the full resolution says)."""
    target = pkg.root.parent / "texts" if outside else pkg.root / "texts"
    pkg.path("corpus").rename(target)
    pkg.path("corpus").symlink_to(target if outside else "texts")
    refused = [p for p in pkg.problems() if "corpus_path" in p]
    expected = ("leads outside the package through a symbolic link" if outside else
                "which is a symbolic link; the package's folders are read only as real folders, never through a link")
    assert len(refused) == 5 and all(expected in p for p in refused), refused


LINKED_FOLDER = ("is in {}/, which is a symbolic link; the package's folders are read only as real folders, never "
                 "through a link: replace the link with the folder")


@pytest.mark.parametrize("folder, target", [("corpus", ".git"), ("data", ".git"), ("schemas", ".git"), ("data", ".hidden")])
def test_a_top_level_folder_linked_to_a_hidden_one_is_refused_unread(pkg, folder, target):
    """Hostile re-test of 2026-12-05: `ln -s .git corpus` passed the folder and hidden-name rules, since the
    link stays inside the package: .git/config was hashed, its first line echoed in a report, and quote
    messages became a prefix oracle on it. Each path under the linked folder is now refused, and no report
    shows a byte of the secret."""
    secret = pkg.root / target
    secret.mkdir(exist_ok=True)
    (secret / "config").write_text("[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n")
    for name in ("actors.csv", "sources.csv", "sources.json", "actors.json"):
        (secret / name).write_text("[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n")
    pkg.path(folder).rename(pkg.root / f"{folder}-real")
    pkg.path(folder).symlink_to(target)
    if folder == "corpus":  # a source naming the secret directly, as a hostile row would
        pkg.set_cell("sources", 0, "corpus_path", "corpus/config")
    report = pkg.problems()
    assert "AUTHORIZATION" not in "\n".join(report) and "c2VjcmV0" not in "\n".join(report)
    assert any(LINKED_FOLDER.format(folder) in p for p in report), report


AUDITED_RUN = """
import os, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" and args and args[0] else None)
from peacetalks.validation.engine import validate
problems = validate(sys.argv[1])
print(len(problems), sorted({os.path.realpath(p) for p in opened if not isinstance(p, int) and os.path.exists(p)}))
"""


def test_nothing_outside_the_package_is_opened(pkg, canary):
    # Every way to name the canary at once; Python's audit hook sees every file this process opens.
    canary.with_suffix(".json").write_text("{}")
    pkg.path("data/actors.csv").unlink()
    pkg.path("data/actors.csv").symlink_to(canary)
    pkg.path("corpus/outside.txt").symlink_to(canary)
    pkg.set_cell("sources", 0, "corpus_path", "corpus/outside.txt")
    pkg.set_cell("sources", 1, "corpus_path", "../canary.csv")

    def point_outside(d):
        named(d, "issues").update(schema="../canary.json")
        named(d, "proposals").update(path=str(canary))
        named(d, "events").update(path="../canary.csv", dialect="../canary.json")
    pkg.edit_json("datapackage.json", point_outside)
    result = subprocess.run([sys.executable, "-c", AUDITED_RUN, str(pkg.descriptor)], capture_output=True, text=True,
                            timeout=HANG_GUARD)
    count, opened = result.stdout.split(" ", 1)
    assert int(count) >= 7 and result.stderr == ""
    outside = [p for p in eval(opened) if p.startswith(str(pkg.root.parent)) and not p.startswith(str(pkg.root) + os.sep)]
    assert outside == []


def test_a_symlink_inside_the_package_is_followed(pkg):
    pkg.path("data/actors.csv").rename(pkg.path("data/actors-real.csv"))
    pkg.path("data/actors.csv").symlink_to("actors-real.csv")
    assert pkg.problems() == []


def test_a_schema_or_dialect_outside_the_package_is_refused_unread(pkg, canary):
    canary.with_suffix(".json").write_text(json.dumps({"fields": [{"name": CANARY}]}))

    def point_outside(d):
        named(d, "issues").update(schema="../canary.json")
        named(d, "proposals").update(dialect=str(canary))
    pkg.edit_json("datapackage.json", point_outside)
    problems = problems_without_canary(pkg, canary)
    assert ("datapackage.json resource 'issues': schema '../canary.json' climbs out of its folder with '..'; "
            "paths must stay inside the package") in problems
    assert (f"datapackage.json resource 'proposals': dialect '{canary}' is an absolute path; paths must be relative "
            "to the package root (the folder of datapackage.json)") in problems


def test_a_corpus_path_outside_the_package_is_refused_unread(pkg, canary):
    line = pkg.set_cell("sources", 0, "corpus_path", "corpus/outside.txt")
    pkg.path("corpus/outside.txt").symlink_to(canary)
    assert problems_without_canary(pkg, canary) == [
        f"data/sources.csv:{line} source_id=justsecurity-2024-trump-endgame-ukraine corpus_path: 'corpus/outside.txt' "
        "leads outside the package through a symbolic link; only files inside the package are read; it was not read"]


def test_inline_data_and_multi_file_resources_are_refused_not_skipped(pkg):
    def add(d):
        d["resources"].append({"name": "inline", "data": [{"a": 1}]})
        d["resources"].append({"name": "parts", "path": ["data/a.csv", "data/b.csv"]})
    pkg.edit_json("datapackage.json", add)
    problems = pkg.problems()
    assert ("datapackage.json resource 'inline' holds its rows inline in 'data', which peacetalks does not check; "
            "put the rows in a CSV file under data/ and name it in 'path'") in problems
    assert ("datapackage.json resource 'parts' names 2 files in 'path'; peacetalks checks one CSV file per resource: "
            "join the files into one and name it in 'path'") in problems


def test_docs_out_elsewhere_leaves_the_package_alone(pkg, tmp_path):
    from peacetalks.publish.manual import END, START

    readme = pkg.path("README.md")
    readme.write_text("# x\n<!-- er-diagram: generated by `peacetalks docs` -->\nstale\n<!-- /er-diagram -->\n")
    pkg.path("docs").mkdir(exist_ok=True)
    pkg.path("docs/coding-manual.md").write_text(f"# manual\n{START}\nstale\n{END}\n")
    out = tmp_path / "elsewhere"
    out.mkdir()
    (out / "sibling.txt").write_text("untouched")
    before = {p: p.read_bytes() for p in pkg.root.rglob("*") if p.is_file()}
    result = cli("docs", str(pkg.descriptor), "--out", str(out / "codebook.md"))
    assert result.returncode == 0, result.stderr
    assert {p: p.read_bytes() for p in pkg.root.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in out.iterdir()) == ["codebook.md", "sibling.txt"]
    assert (out / "sibling.txt").read_text() == "untouched"


def test_validation_writes_no_bytecode_into_checks(pkg):
    # In a working copy checks/ is the installed peacetalks.checks; import it as a fresh process would, with
    # bytecode writing on, and see that no cache appears (or changes) beside it.
    import importlib.util

    import peacetalks.checks

    folder = Path(peacetalks.checks.__file__).parent
    caches = [Path(importlib.util.cache_from_source(str(p))) for p in folder.glob("*.py")]
    before = {c: c.stat().st_mtime_ns for c in caches if c.exists()}
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    result = cli("validate", str(pkg.descriptor), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert {c: c.stat().st_mtime_ns for c in caches if c.exists()} == before


HARD_LINK = ("is a hard link (2 names for one file); a package file must be its own: copy it to a new name and move "
             "the copy over it, or remove it")


def hard_link_to(canary: Path, name: Path) -> None:
    """`name` made a second name of the file `canary`, outside the package (as a tar archive or a hostile
    checkout can make it), holding what `name` held, so that only the link itself is at fault."""
    canary.write_bytes(name.read_bytes())
    name.unlink()
    os.link(canary, name)


def test_a_hard_link_out_of_the_package_is_refused_unread(pkg, canary):
    """Hostile re-test of round 4 (S1): a hard link passes every check on the path, and its text is the
    outside file's; the check is made on the file opened, for tables, schemas, corpus texts and the descriptor."""
    hard_link_to(canary, pkg.path("data/actors.csv"))
    hard_link_to(pkg.root.parent / "schema-outside.json", pkg.path("schemas/events.json"))
    source = pkg.rows("sources")[0]
    hard_link_to(pkg.root.parent / "text-outside.txt", pkg.path(source["corpus_path"]))
    problems = pkg.problems()
    assert REFUSED.format("data/actors.csv", HARD_LINK) in problems
    assert f"schemas/events.json {HARD_LINK}" in problems
    assert (f"data/sources.csv:2 source_id={source['source_id']} corpus_path: {source['corpus_path']!r} {HARD_LINK}; "
            "it was not read") in problems


def test_a_descriptor_that_is_a_hard_link_is_refused(pkg, canary):
    hard_link_to(canary, pkg.descriptor)
    assert pkg.problems() == [f"datapackage.json {HARD_LINK}"]


# -- limits: never a hang, never a traceback --------------------------------------------------------------

def test_fifos_a_huge_header_and_a_device_never_hang(pkg):
    """One copy, several ways to hang or exhaust memory, checked by one command under a hang guard."""
    os.mkfifo(pkg.path("data/fifo.csv"))
    os.mkfifo(pkg.path("schemas/fifo.json"))
    os.mkfifo(pkg.path("corpus/fifo.txt"))
    pkg.path("data/zero.csv").symlink_to("/dev/zero")

    def point_at_them(d):
        named(d, "proposals").update(path="data/fifo.csv")
        named(d, "events").update(schema="schemas/fifo.json")
        named(d, "aid_programs").update(path="data/zero.csv")
    pkg.edit_json("datapackage.json", point_at_them)
    sources_line = pkg.set_cell("sources", 1, "corpus_path", "corpus/fifo.txt")
    issues = pkg.path("data/issues.csv")
    header, rest = issues.read_text().split("\n", 1)
    issues.write_text(header + ",x" * 1_000_000 + "\n" + rest)
    result = cli("validate", str(pkg.descriptor))
    assert result.returncode == 1 and result.stderr == ""
    report = result.stdout.splitlines()
    source = pkg.rows("sources")[1]["source_id"]
    for expected in [
        "datapackage.json resource 'proposals': path 'data/fifo.csv' is not a regular file (a FIFO, device or socket); "
        "only regular files are read; it was not read",
        "schemas/fifo.json is not a regular file (a FIFO, device or socket); only regular files are read",
        "datapackage.json resource 'aid_programs': path 'data/zero.csv' leads outside the package through a symbolic "
        "link; only files inside the package are read; it was not read",
        f"data/sources.csv:{sources_line} source_id={source} corpus_path: 'corpus/fifo.txt' is not a regular file "
        "(a FIFO, device or socket); only regular files are read; it was not read",
        "data/issues.csv:1 header: has 1,000,003 columns; the limit is 1,000 (the schema has 3); the file was not read further",
    ]:
        assert expected in report


def test_a_descriptor_that_is_a_device_is_refused(tmp_path):
    assert [str(p) for p in validate("/dev/zero")] == [
        "zero is not a regular file (a FIFO, device or socket); only regular files are read"]


@pytest.mark.parametrize("nesting", [70, 100_000])
def test_deep_json_nesting_is_a_problem_not_a_recursion_error(pkg, nesting):
    pkg.edit_json("schemas/issues.json", lambda s: s.update({"x-deep": "DEEP"}))
    text = pkg.path("schemas/issues.json").read_text().replace('"DEEP"', "[" * nesting + "]" * nesting)
    pkg.path("schemas/issues.json").write_text(text)
    problems = pkg.problems()
    said = (f"nests objects or lists {nesting + 1} levels deep; the limit is 64 levels" if nesting < 1000
            else "nests objects or lists too deeply; the limit is 64 levels")
    assert f"schemas/issues.json {said}" in problems
    assert not [p for p in problems if "validator bug" in p or "could not" in p]


@pytest.mark.parametrize("field,expected", [
    ({"name": 5, "type": "string"}, "5 is not of type 'string' at property 'name'"),
    ({"type": "string"}, "'name' is a required property"),
])
def test_a_field_with_a_numeric_or_no_name_is_a_problem_not_a_crash(pkg, field, expected):
    index = len(pkg.fields("issues"))  # a field without a text name is said by its place
    pkg.edit_json("schemas/issues.json", lambda s: s["fields"].append(field))
    assert pkg.problems() == [f"schemas/issues.json not a valid Table Schema: field fields[{index}]: {expected}"]


def test_a_cell_over_the_limit_is_located_and_the_rest_still_checked(pkg):
    rows = pkg.rows("issues")
    rows[0]["description"] = "x" * 200_000
    pkg.write_rows("issues", rows + [rows[1]])  # a repeated row: the careful reader runs
    long_line, duplicate_line = 2, len(rows) + 2
    issue_id = rows[0]["issue_id"]
    assert pkg.problems() == [
        f"data/issues.csv:{long_line} issue_id={issue_id} description: is 200,000 characters long; the limit is 131,072 "
        "(it starts 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')",
        f"data/issues.csv:{duplicate_line} issue_id={rows[1]['issue_id']} repeats line 3 exactly"]


def test_control_characters_in_a_value_cannot_forge_report_lines(pkg):
    evil = "ukraine\n\x1b[32mdata/actors.csv:2 all good\x1b[0m"
    line = pkg.set_cell("actors", 1, "actor_id", evil)
    problems = pkg.problems()
    assert all("\n" not in p and "\x1b" not in p for p in problems)
    assert (f"data/actors.csv:{line} actor_id=ukraine\\n\\x1b[32mdata/actors.csv:2 all good\\x1b[0m actor_id: "
            "'ukraine\\n\\x1b[32mdata/actors.csv:2 all good\\x1b[0m' contains the control or invisible character \\x1b; remove it") in problems


# -- stopping: Ctrl-C, SIGTERM --------------------------------------------------------------------------------

# Runs `peacetalks validate` with every table read slowed down, so that a signal reliably lands mid-run;
# says "started" once the first table is being read.
SLOW_RUN = """
import sys, time
from peacetalks.validation import engine
read_guarded = engine.read_guarded
def slow(package, resource, per_kind=None):
    print("started", file=sys.stderr, flush=True)
    time.sleep(0.4)
    return read_guarded(package, resource, per_kind)
engine.read_guarded = slow
sys.argv = ["peacetalks", "validate", sys.argv[1]]
from peacetalks.cli import run
run()
"""


@pytest.mark.parametrize("signum,code,said", [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")])
def test_a_signal_stops_the_run_in_one_line(pkg, signum, code, said):
    process = subprocess.Popen([sys.executable, "-c", SLOW_RUN, str(pkg.descriptor)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    assert process.stderr.readline() == "started\n"
    process.send_signal(signum)
    out, err = process.communicate(timeout=HANG_GUARD)
    assert process.returncode == code
    assert out == "" and err.replace("started\n", "") == f"peacetalks: {said}; stopped\n"  # no traceback


@pytest.mark.parametrize("command", ["stats", "docs", "diff"])
def test_every_command_says_it_in_one_line(pkg, canary, tmp_path, command):
    pkg.edit_json("datapackage.json", lambda d: named(d, "actors").update(path="../canary.csv"))
    args = [command, str(pkg.descriptor)] + ([str(pkg.descriptor)] if command == "diff" else [])
    args += ["--out", str(tmp_path / "codebook.md")] if command == "docs" else []
    result = cli(*args)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith("peacetalks: ") and result.stderr.count("\n") == 1  # diff names the version first
    assert result.stderr.endswith("datapackage.json resource 'actors': path '../canary.csv' climbs out of its "
                                  "folder with '..'; paths must stay inside the package; it was not read\n")
    pkg.descriptor.write_text('{"resources": ' + "[" * 5000 + "]" * 5000 + "}")
    result = cli(*args)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert result.stderr.endswith("datapackage.json: nests objects or lists too deeply; the limit is 64 levels\n")


def test_a_folder_or_a_nul_in_a_path_is_refused(pkg):
    pkg.path("data/old").mkdir()
    pkg.edit_json("datapackage.json", lambda d: (named(d, "actors").update(path="data/old"),
                                                 named(d, "events").update(path="data/events.csv\x00.txt")))
    problems = pkg.problems()
    assert "datapackage.json resource 'actors': path 'data/old' is a folder, not a file; it was not read" in problems
    assert ("datapackage.json resource 'events': path 'data/events.csv\\x00.txt' contains a NUL character; "
            "it was not read") in problems


def test_files_over_their_size_limit_are_refused_unread(pkg, monkeypatch):
    from peacetalks.validation import provenance, structure

    monkeypatch.setattr(structure, "MAX_TABLE_BYTES", 1000)
    size = pkg.path("data/issues.csv").stat().st_size
    assert (f"datapackage.json resource 'issues': path 'data/issues.csv' is {size:,} bytes; the limit is 1,000 "
            "bytes; it was not read") in pkg.problems()
    monkeypatch.setattr(structure, "MAX_TABLE_BYTES", 2**30)
    monkeypatch.setattr(provenance, "MAX_CORPUS_BYTES", 1000)
    problems = pkg.problems()
    source, path = pkg.rows("sources")[0]["source_id"], pkg.rows("sources")[0]["corpus_path"]
    assert (f"data/sources.csv:2 source_id={source} corpus_path: {path!r} is {pkg.path(path).stat().st_size:,} bytes; "
            "the limit is 1,000 bytes; it was not read") in problems


def test_a_descriptor_over_its_size_limit_is_refused_unread(pkg, monkeypatch):
    from peacetalks.validation import package

    monkeypatch.setattr(package, "MAX_JSON_BYTES", 100)
    size = pkg.descriptor.stat().st_size
    assert pkg.problems() == [f"datapackage.json is {size:,} bytes; the limit is 100 bytes"]


# -- a hostile tester's findings (hardening 2) -------------------------------------------------------------

def symlink_loop(pkg, name: str, suffix: str = "") -> str:
    """Two links that lead to each other, inside the package; returns the path of one of them."""
    pkg.path(f"{name}-2{suffix}").symlink_to(f"{Path(name).name}-1{suffix}")
    pkg.path(f"{name}-1{suffix}").symlink_to(f"{Path(name).name}-2{suffix}")
    return f"{name}-1{suffix}"


LOOP = "is a symbolic link loop (a link that leads back to itself); it names no file"


@pytest.mark.parametrize("key,expected", [
    ("path", "datapackage.json resource 'actors': path 'data/loop-1' {}; it was not read"),
    ("schema", "datapackage.json resource 'actors': schema 'schemas/loop-1' {}"),
    ("dialect", "datapackage.json resource 'actors': dialect 'data/loop-1' {}"),
])
def test_a_symlink_loop_in_the_descriptor_is_a_refused_path_not_a_crash(pkg, key, expected):
    loop = symlink_loop(pkg, "schemas/loop" if key == "schema" else "data/loop")
    pkg.edit_json("datapackage.json", lambda d: named(d, "actors").update({key: loop}))
    problems = pkg.problems()
    assert expected.format(LOOP) in problems
    assert not any("validator bug" in p for p in problems)


def test_a_symlink_loop_as_a_corpus_path_is_located(pkg):
    loop = symlink_loop(pkg, "corpus/loop", ".txt")
    line = pkg.set_cell("sources", 0, "corpus_path", loop)
    assert pkg.problems() == [f"data/sources.csv:{line} source_id=justsecurity-2024-trump-endgame-ukraine corpus_path: "
                              f"'{loop}' {LOOP}; it was not read"]


@pytest.mark.parametrize("where", ["datapackage.json", "schemas/issues.json"])
@pytest.mark.parametrize("junk,expected", [
    ('"x-big": ' + "9" * 5000, "not valid JSON: a number of 5,000 digits; the limit is 4,300 digits"),
    ('"x-big": NaN', "not valid JSON: NaN is not a JSON value; write a number or null"),
    ('"x-big": -Infinity', "not valid JSON: -Infinity is not a JSON value; write a number or null"),
    ('"x-big": 1e999', "not valid JSON: the number 1e999 is too large for a 64-bit float (it would be read as "
                       "infinity); write a smaller number"),
    ('"x-big": -2.5E+400', "not valid JSON: the number -2.5E+400 is too large for a 64-bit float (it would be read as "
                           "infinity); write a smaller number"),
    ('"x-dup": 1, "x-dup": 2', "not valid JSON: the key 'x-dup' appears twice in one object; which value is meant is "
                        "ambiguous: keep one"),
])
def test_json_that_python_reads_but_json_forbids_is_a_located_problem(pkg, where, junk, expected):
    text = pkg.path(where).read_text()
    pkg.path(where).write_text(text.replace("{", "{" + junk + ",", 1))
    problems = pkg.problems()
    assert f"{where} {expected}" in problems
    assert not any("validator bug" in p for p in problems)


@pytest.mark.parametrize("where", ["datapackage.json", "schemas/issues.json"])
@pytest.mark.parametrize("encode,expected", [
    (lambda text: text.replace("{", "{\"x-name\": \"caf\xe9\",", 1).encode("latin-1"),
     ":1 not UTF-8: byte 15 (column 16) is 0xe9, which no UTF-8 text holds there; save the file as UTF-8"),
    (lambda text: b"\xef\xbb\xbf" + text.encode(),
     " starts with a byte-order mark (U+FEFF); JSON is UTF-8 without one: save it without the mark"),
    (lambda text: text.encode("utf-16-be"),  # no byte-order mark: Python decodes it as UTF-8 with NULs
     " is in UTF-16 or UTF-32 (it holds NUL bytes or starts with their byte-order mark); JSON is UTF-8: save it as UTF-8"),
    (lambda text: text.encode("utf-16"),
     " is in UTF-16 or UTF-32 (it holds NUL bytes or starts with their byte-order mark); JSON is UTF-8: save it as UTF-8"),
])
def test_json_in_another_encoding_is_said_to_be_so(pkg, where, encode, expected):
    """Not the parser's "Expecting value (column 1)" for a file saved as UTF-16 or with a byte-order mark."""
    pkg.path(where).write_bytes(encode(pkg.path(where).read_text()))
    assert f"{where}{expected}" in pkg.problems()


def test_json_with_too_many_values_is_refused_before_any_profile_check(pkg):
    """3,000,000 empty items fit in 9 MB, under the byte limit, and took the profile check 13 s."""
    text = pkg.path("datapackage.json").read_text()
    pkg.path("datapackage.json").write_text(text.replace("{", '{"x-many": [' + "0," * 2_999_999 + "0],", 1))
    assert pkg.problems() == ["datapackage.json holds more than 100,000 JSON values (objects, lists, texts, numbers); "
                              "the limit is 100,000: a descriptor or schema needs a few hundred"]


def test_the_value_limit_leaves_room_for_a_large_schema(pkg):
    """99,000 values in a schema are read (and reported as the unknown key they are under, if at all)."""
    pkg.edit_json("schemas/issues.json", lambda d: d.update({"x-many": [0] * 99_000}))
    assert not any("JSON values" in p for p in pkg.problems())


@pytest.mark.parametrize("junk", [{"primaryKey": 5}, {"primaryKey": [5, None]}, {"foreignKeys": 5},
                                  {"foreignKeys": [{"fields": 5, "reference": {"resource": 7, "fields": {}}}]},
])
def test_junk_keys_in_a_schema_are_profile_problems_not_crashes(pkg, junk):
    pkg.edit_json("schemas/issues.json", lambda s: s.update(junk))
    problems = pkg.problems()
    assert problems and all(p.startswith("schemas/issues.json not a valid Table Schema: ") or "issues" in p
                            for p in problems)
    assert not any("validator bug" in p for p in problems)


def test_junk_keys_in_a_schema_do_not_crash_stats_diff_or_docs(pkg, tmp_path):
    pkg.edit_json("schemas/issues.json", lambda s: s.update({"primaryKey": 5, "foreignKeys": 5}))
    for command in (["stats", str(pkg.descriptor)], ["diff", str(pkg.descriptor), str(pkg.descriptor)],
                    ["docs", str(pkg.descriptor), "--out", str(tmp_path / "codebook.md")]):
        result = cli(*command, cwd=tmp_path)
        assert (result.returncode, result.stderr) == (0, ""), command


def test_more_resources_than_the_limit_are_reported_and_only_the_first_checked(pkg):
    from peacetalks.validation.package import MAX_RESOURCES

    def multiply(d):
        d["resources"] += [dict(named(d, "actors"), name=f"copy-{i}") for i in range(1_000)]
    pkg.edit_json("datapackage.json", multiply)
    problems = pkg.problems()
    assert ("datapackage.json has 1,012 resources; the limit is 100 (this dataset has twelve): only the first 100 "
            "were checked") in problems
    assert MAX_RESOURCES == 100
    assert not any(f"copy-{MAX_RESOURCES - 12}" in p for p in problems)  # the 101st resource: not checked


def test_a_huge_id_is_shortened_in_the_location(pkg):
    huge = "x" * 1_000_000
    line = pkg.set_cell("actors", 1, "actor_id", huge + " ")
    problems = [p for p in pkg.problems() if p.startswith(f"data/actors.csv:{line} ")]
    assert len(problems) == 3  # whitespace, too long, not a slug: each says the value, shortened
    assert all(p.startswith(f"data/actors.csv:{line} actor_id={'x' * 60}…xxxxxxxxxxx  (1,000,001 characters) actor_id:")
               and len(p) < 400 for p in problems)


def test_bidi_controls_in_a_value_are_escaped(pkg):
    evil = "ukraine\u202e\u2066\u200f"
    line = pkg.set_cell("actors", 1, "actor_id", evil)
    problems = pkg.problems()
    assert not any(c in p for p in problems for c in "\u202e\u2066\u200f")
    assert f"data/actors.csv:{line} actor_id=ukraine\\u202e\\u2066\\u200f" in "\n".join(problems)


def test_a_resource_name_that_is_not_a_data_package_name_is_a_problem(pkg):
    pkg.edit_json("datapackage.json", lambda d: d["resources"].append(dict(named(d, "issues"), name="../../outside/pwn")))
    assert ("datapackage.json resource '../../outside/pwn': is not a Data Package resource name: use only lower-case "
            "letters, digits, '.', '_' and '-'") in pkg.problems()


UNSUPPORTED_DIALECT = ("datapackage.json resource 'actors': dialect {} is not supported: peacetalks reads comma-separated "
                       "files with a header row and double quotes; remove the setting and save the file that way")


@pytest.mark.parametrize("dialect,shown_setting", [
    ({"delimiter": ";"}, 'delimiter=";"'),
    ({"header": False}, "header=false"),
    ({"header": 1}, "header=1"),
    ({"quoteChar": "'"}, 'quoteChar="\'"'),
    ({"doubleQuote": False}, "doubleQuote=false"),
    ({"commentChar": "#"}, 'commentChar="#"'),
])
@pytest.mark.parametrize("as_file", [False, True])
def test_a_dialect_other_than_the_one_read_is_a_problem(pkg, dialect, shown_setting, as_file):
    if as_file:
        pkg.path("data/dialect.json").write_text(json.dumps(dialect))
    pkg.edit_json("datapackage.json", lambda d: named(d, "actors").update(dialect="data/dialect.json" if as_file else dialect))
    problems = pkg.problems()
    assert UNSUPPORTED_DIALECT.format(shown_setting) in problems
    assert all("dialect" in p.lower() for p in problems)  # header=1 inline: the profile says it is no boolean too


def test_the_default_dialect_spelled_out_is_accepted(pkg):
    dialect = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True, "lineTerminator": "\n"}
    pkg.edit_json("datapackage.json", lambda d: named(d, "actors").update(dialect=dialect))
    assert pkg.problems() == []


def test_a_missing_dialect_file_is_a_problem(pkg):
    pkg.edit_json("datapackage.json", lambda d: named(d, "actors").update(dialect="schemas/dialect.json"))
    assert pkg.problems() == ["schemas/dialect.json file not found"]


def test_every_table_of_the_dataset_is_required(pkg):
    from peacetalks.checks import REQUIRED_TABLES

    pkg.edit_json("datapackage.json", lambda d: d["resources"].remove(named(d, "figures")))
    problems = pkg.problems()
    assert ("datapackage.json the package lacks the table 'figures' that this dataset requires; add its resource "
            "(schemas/figures.json, data/figures.csv)") in problems
    assert len(REQUIRED_TABLES) == 12


@pytest.mark.parametrize("given", ["nowhere", "nowhere/datapackage.json"])
def test_a_missing_descriptor_is_named_as_given(tmp_path, given):
    result = cli("validate", str(tmp_path / given), cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, f"{tmp_path}/{given} file not found\n1 problem found.\n")


def test_a_schemas_folder_that_leads_outside_is_not_listed(pkg, tmp_path):
    outside = tmp_path / "elsewhere"
    pkg.path("schemas").rename(outside)
    (outside / f"{CANARY}.json").write_text("{}")
    pkg.path("schemas").symlink_to(outside)
    problems = pkg.problems()
    assert ("datapackage.json resource 'actors': schema 'schemas/actors.json' leads outside the package through a "
            "symbolic link; only files inside the package are read") in problems
    assert not any(CANARY in p for p in problems)


def test_a_pattern_that_backtracks_is_refused_or_matched_in_linear_time(pkg):
    """Hostile re-test of 2026-12-05: `(a|a)+(?=b)` over 58 letters kept Python's re busy for hours, so a
    package could hang validate. Patterns are matched by RE2: look-around is refused as a located problem of
    the schema, and a pattern RE2 accepts, however nested, is matched without backtracking. Run in a child
    with a generous timeout only so that a regression fails instead of hanging the suite."""
    def patterns(schema):
        for field in schema["fields"]:
            if field["name"] in ("role", "name"):
                field.setdefault("constraints", {})["pattern"] = "(a|a)+(?=b)" if field["name"] == "role" else "(a+)+b"
    pkg.edit_json("schemas/actors.json", patterns)
    rows = pkg.rows("actors")
    rows[0]["role"], rows[1]["name"] = "a" * 58 + "!", "a" * 5000 + "!"
    pkg.write_rows("actors", rows)
    run = subprocess.run([sys.executable, "-m", "peacetalks", "validate", str(pkg.descriptor)], capture_output=True,
                         text=True, timeout=300)
    assert ("schemas/actors.json field 'role': pattern '(a|a)+(?=b)' cannot be matched in linear time (invalid perl "
            "operator: (?=); Table Schema patterns are XML Schema regular expressions, without look-around or "
            "back-references: write it without them") in run.stdout
    assert ("data/actors.csv:3 actor_id=ukraine name: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…"
            "aaaaaaaaaaa!' (5,001 characters) is not matching the pattern (a+)+b") in run.stdout


@pytest.mark.parametrize("kind", ["string", "date"])  # date: a type pandera checks, with the pattern taken from it
def test_a_pattern_must_match_the_whole_value(pkg, kind):
    """`^A|B$` matched "ABCdef" on its first branch, as Python's re.match does; the whole value must match,
    and a trailing newline is not the end of the text."""
    def pattern(schema):
        for field in schema["fields"]:
            if field["name"] == "role":
                field["type"] = kind
                field.setdefault("constraints", {})["pattern"] = "[A-Z]{3}|[a-z_]+"
    pkg.edit_json("schemas/actors.json", pattern)
    rows = pkg.rows("actors")
    for row, value in zip(rows, ["ABC", "abc_d", "ABCdef", "abc\n"]):
        row["role"] = value
    pkg.write_rows("actors", rows)
    failing = [p for p in pkg.problems() if "matching the pattern" in p]
    assert failing == ["data/actors.csv:4 actor_id=donald-trump role: 'ABCdef' is not matching the pattern [A-Z]{3}|[a-z_]+",
                       "data/actors.csv:5 actor_id=vladimir-putin role: 'abc\\n' is not matching the pattern [A-Z]{3}|[a-z_]+"]


def test_a_pattern_that_is_not_text_is_the_profile_s_to_report_not_a_validator_bug(pkg):
    """Found reading the change: `"pattern": ["a"]` reached the cache of the linear matcher, which cannot
    key a list, and both the descriptor and the columns check ended in "validator bug"."""
    def listed(schema):
        next(f for f in schema["fields"] if f["name"] == "role")["constraints"] = {"pattern": ["a"]}
    pkg.edit_json("schemas/actors.json", listed)
    problems = pkg.problems()
    assert not [p for p in problems if "validator bug" in p], problems
    assert any(p.startswith("schemas/actors.json not a valid Table Schema: field 'role': ") for p in problems), problems


def test_a_stop_does_not_wait_for_a_reader_that_cannot_finish(pkg, monkeypatch):
    """Found in a fresh-clone run (1 in 7 of the signal test hung 60 s): Ctrl-C landing on the checking thread
    inside an import left importlib's lock held, the reader thread waited for it forever, and the engine
    waited for the reader. A reader that never finishes stands for it here: the stop must still come out."""
    import threading

    from peacetalks.validation import engine

    never = threading.Event()
    monkeypatch.setattr(engine, "read_guarded", lambda package, resource, per_kind=None: never.wait())
    monkeypatch.setattr(engine, "check_descriptor", lambda *args: (_ for _ in ()).throw(KeyboardInterrupt()))
    outcome = []
    worker = threading.Thread(target=lambda: outcome.append(pytest.raises(KeyboardInterrupt, engine.validate, pkg.descriptor)),
                              daemon=True)
    worker.start()
    worker.join(HANG_GUARD)
    never.set()  # let the reader go, whatever happened
    assert outcome, "validate kept waiting for its reader after the stop"
