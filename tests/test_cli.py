"""The command line: exit codes, output formats, robustness, and that nothing is modified."""

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from peacetalks.cli import main


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "peacetalks", *args], cwd=cwd, capture_output=True, text=True)


def tree_digest(root: Path) -> dict:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}


def test_valid_package_is_silent_and_exits_0(pkg):
    result = run("validate", str(pkg.descriptor))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_default_descriptor_is_the_one_in_the_working_directory(pkg):
    result = run("validate", cwd=pkg.root)
    assert (result.returncode, result.stdout) == (0, "")


def test_problems_exit_1_with_one_line_each_and_a_count(pkg):
    line = pkg.set_cell("figures", 0, "value", "abc")
    result = run("validate", str(pkg.descriptor))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"data/figures.csv:{line} figure_id=js24-tariff-cost value: 'abc' is not a number", "1 problem found."]


def test_usage_error_exits_2():
    result = CliRunner().invoke(main, ["validate", "--format", "yaml"])
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.output


def test_json_report(pkg):
    line = pkg.set_cell("figures", 0, "value", "abc")
    result = run("validate", "--format", "json", str(pkg.descriptor))
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert report["valid"] is False and report["problem_count"] == 1
    assert report["problems"][0] == {
        "layer": "columns", "rule": "type", "file": "data/figures.csv", "line": line, "id_field": "figure_id",
        "id_value": "js24-tariff-cost", "column": "value", "message": "'abc' is not a number"}


def test_json_report_of_valid_package(pkg):
    result = run("validate", "--format", "json", str(pkg.descriptor))
    assert result.returncode == 0
    assert json.loads(result.stdout)["problems"] == []


def test_garbage_descriptor_gives_an_error_not_a_traceback(pkg):
    junk = os.urandom(512) + b"\xff"
    pkg.descriptor.write_bytes(junk)
    result = run("validate", str(pkg.descriptor))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    if b"\x00" in junk[:4] or junk.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):  # 1 run in ~60
        assert result.stdout.startswith("datapackage.json is in UTF-16") or "byte-order mark" in result.stdout
    else:
        assert re.match(r"datapackage\.json:\d+ not UTF-8: byte \d+ \(column \d+\) is 0x[0-9a-f]{2}", result.stdout)


def test_garbage_csv_gives_errors_not_a_traceback(pkg):
    pkg.path("data/figures.csv").write_bytes(b'a,"b\n\x00\x01,,,\n' * 3)
    pkg.path("data/actors.csv").write_text("actor_id\n" + "x\n" * 3)
    result = run("validate", str(pkg.descriptor))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "data/figures.csv" in result.stdout and "data/actors.csv:1 name: header: column 'name' is missing" in result.stdout


def test_validation_never_modifies_the_package(pkg):
    pkg.set_cell("figures", 0, "value", " 12 ")
    pkg.path("data/events.csv").write_bytes(pkg.path("data/events.csv").read_bytes().replace(b"\n", b"\r\n"))
    before = tree_digest(pkg.root)
    assert run("validate", str(pkg.descriptor)).returncode == 1
    assert tree_digest(pkg.root) == before


def test_help_says_what_it_does():
    result = CliRunner().invoke(main, ["validate", "--help"])
    assert result.exit_code == 0 and "six layers" in " ".join(result.output.split())


def test_a_validator_fault_is_reported_not_raised(pkg, monkeypatch):
    from peacetalks.validation import engine

    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "check_keys", broken)
    problems = [str(p) for p in engine.validate(pkg.descriptor)]
    assert problems == ["datapackage.json the keys check could not finish (RuntimeError: boom); this is a validator "
                        "bug, please report it"]


def test_the_package_exports_the_functions_whatever_was_imported_first():
    import peacetalks
    import peacetalks.validation.engine  # noqa: F401 - a submodule import must not replace the function

    assert callable(peacetalks.validate) and peacetalks.validate is peacetalks.validation.engine.validate
    assert callable(peacetalks.load)


def test_jobs_option_is_still_accepted(pkg):
    """--jobs 1|2 ran the validator in one or two processes until 0.3.1; scripts that pass it still run."""
    pkg.set_cell("figures", 0, "value", "abc")
    one, two = (run("validate", "--jobs", jobs, str(pkg.descriptor)) for jobs in ("1", "2"))
    assert one.returncode == two.returncode == 1 and one.stdout == two.stdout
    assert "value: 'abc' is not a number" in one.stdout
    bad = CliRunner().invoke(main, ["validate", "--jobs", "3", str(pkg.descriptor)])
    assert bad.exit_code == 2 and "--jobs" in bad.output


OUT_OF_MEMORY = """
import sys
from peacetalks.validation import engine
def no_memory(package, resource, per_kind=None):
    raise MemoryError()
engine.read_guarded = no_memory
sys.argv = ["peacetalks", "validate", sys.argv[1]]
from peacetalks.cli import run
run()
"""


def test_running_out_of_memory_is_one_line(pkg):
    """A MemoryError is not a validator bug to report per table, nor a traceback: the command stops with one
    line naming the limit (a run under `ulimit -d` too low for the package)."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", OUT_OF_MEMORY, str(pkg.descriptor)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("peacetalks: out of memory (") and result.stderr.endswith(
        "); the command stopped: raise the limit or free memory, and run it again\n") and result.stderr.count("\n") == 1


# -- under a memory limit: a native abort, a library that cannot be mapped, a thread that cannot start ------------
# Each limit here is set high (8 GB of data), so that the command runs as under any limit (in a child process,
# watched by the CLI) while the failure itself is built by a sitecustomize.py that every process loads (the
# watching parent never calls what it replaces).

GIGABYTES_8 = 8 * 2**30


def _limited():
    import resource

    resource.setrlimit(resource.RLIMIT_DATA, (GIGABYTES_8, GIGABYTES_8))


def _run_with(tmp_path, customize: str, *args):
    """Run `peacetalks *args` under the data limit with `customize` loaded at start; its temporary folder is
    tmp_path/tmp."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text("import os\n" + customize)
    (tmp_path / "tmp").mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hooks), os.environ.get("PYTHONPATH", "")]),
           "TMPDIR": str(tmp_path / "tmp")}
    return subprocess.run([sys.executable, "-m", "peacetalks", *args], capture_output=True, text=True, timeout=120,
                          env=env, preexec_fn=_limited)


ABORT_WHILE_EXPORTING = """
from pathlib import Path
from peacetalks.publish import export as module
from peacetalks.validation.leftovers import replace_atomically
def aborting(descriptor, formats, out):
    Path(out).mkdir(parents=True, exist_ok=True)
    replace_atomically(Path(out) / "tables.sqlite", lambda temporary: os.abort())
module.export = aborting
"""


def test_a_native_abort_under_a_memory_limit_is_one_line_and_leaves_nothing(pkg, tmp_path):
    """pyarrow's std::bad_alloc (export under ulimit -v 400000) aborts the whole process: no Python code runs. The
    command ran in a child; its parent says so in one line and removes the file being written and the temporary folder."""
    result = _run_with(tmp_path, ABORT_WHILE_EXPORTING, "export", "--out", str(tmp_path / "out"), str(pkg.descriptor))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == ("peacetalks: out of memory (limit: ulimit -d 8,388,608 kB): a native library stopped the "
                             "command (SIGABRT); what it was writing is removed: raise the limit or free memory, and "
                             "run it again\n")
    assert list((tmp_path / "out").iterdir()) == [] and list((tmp_path / "tmp").iterdir()) == []


UNMAPPABLE_LIBRARY = """
from peacetalks.validation import engine
def unmappable(*args, **kwargs):
    raise ImportError("/venv/lib/pyarrow/lib.so: failed to map segment from shared object")
engine.validate_for_reading = unmappable
"""


def test_a_library_that_cannot_be_mapped_under_a_memory_limit_is_one_line(pkg, tmp_path):
    """Under ulimit -v 200000, importing pyarrow late raised ImportError ("failed to map segment from shared
    object"): memory refused, said as such, not a traceback."""
    result = _run_with(tmp_path, UNMAPPABLE_LIBRARY, "validate", str(pkg.descriptor))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == ("peacetalks: out of memory (limit: ulimit -d 8,388,608 kB); the command stopped: raise the "
                             "limit or free memory, and run it again\n")
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_thread_that_cannot_start_under_a_memory_limit_is_memory_not_a_validator_bug(pkg, monkeypatch):
    """pyarrow's 'Failed to launch worker thread' under ulimit -v 300000 was reported, per table, as a validator
    bug; only under a limit is it memory (without one it stays a reported fault)."""
    import pyarrow as pa

    from peacetalks.validation import engine, memory

    def refused(*args, **kwargs):
        raise pa.lib.ArrowException("Unknown error: Failed to launch worker thread: Resource temporarily unavailable")
    monkeypatch.setattr(engine, "read_table", refused)
    problems = [str(p) for p in engine.validate(pkg.descriptor)]
    assert any("the structure check could not finish (ArrowException: " in p for p in problems)
    monkeypatch.setattr(memory, "memory_limited", lambda: True)
    with pytest.raises(MemoryError):
        engine.validate(pkg.descriptor)


def test_validate_under_an_address_space_limit_starts_no_blas_thread(pkg, tmp_path):
    """Under ulimit -v 400000, OpenBLAS's thread (started when numpy is imported) could not start, and the process
    aborted ("libgcc_s.so.1 must be installed for unwinding to work"); the command line asks for no such thread."""
    import resource

    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (400_000 * 1024, 400_000 * 1024))
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_NUM_THREADS"}
    result = subprocess.run([sys.executable, "-m", "peacetalks", "validate", str(pkg.descriptor)], capture_output=True,
                            text=True, timeout=120, env=env, preexec_fn=limited)
    assert result.returncode == 0 and result.stderr == ""
