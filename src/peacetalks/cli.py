"""The `peacetalks` command line."""

from __future__ import annotations

import gc
import os
import shutil
import signal
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__
from .validation.memory import limit_shown


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="peacetalks")
def main() -> None:
    """Check, explore, export and publish the ukraine-peace-talks data package.

    In Python, `import peacetalks; tables = peacetalks.load()` reads it as pandas DataFrames."""


def _out_of_memory() -> str:
    """The line said when memory ran out (under `ulimit -d`, say): worded with the limit when there is memory
    enough left to word it."""
    try:
        return (f"peacetalks: out of memory ({limit_shown()}); the command stopped: raise the limit or free memory, "
                "and run it again")
    except MemoryError:
        return "peacetalks: out of memory; the command stopped: raise the limit or free memory, and run it again"


def run() -> None:
    """The console script (and `python -m peacetalks`): main(), then leave without tearing down the interpreter.

    Freeing every table and module at exit took 0.3 s of a 2 s validation of a 200,000-row package, for
    memory the operating system takes back at once. Output is flushed first; the exit code is main's.
    The cyclic garbage collector is off for the same reason (0.2 s of that run, importing pandas
    included); a command lives seconds, and reference counting frees all but cycles."""
    gc.disable()
    # OpenBLAS (numpy's) starts a thread per core on import, which the toolkit never uses; under `ulimit -v
    # 400000` that thread could not start and the process aborted ("libgcc_s.so.1 must be installed for
    # unwinding to work"), in validate, positions and export. One thread: nothing to start.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from .validation.memory import memory_limited

    if memory_limited() and SUPERVISED not in os.environ and sys.argv[1:2] != ["serve"]:
        _supervise()  # does not return
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    from .validation.netguard import no_network

    scratch = _private_temporary_folder()
    try:
        with no_network():  # nothing leaves the machine, whatever the package names (netguard.py)
            main(prog_name=os.environ.get(SUPERVISED) or None)
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
        if not isinstance(code, int):  # sys.exit("message"): print it and fail, as the interpreter would
            print(code, file=sys.stderr)
            code = 1
    except Stopped as exc:
        print(f"peacetalks: {exc}; stopped", file=sys.stderr)
        code = exc.code
    except MemoryError:
        print(_out_of_memory(), file=sys.stderr)
        code = 1
    except Exception as exc:  # a library or thread refused under a limit (validation/memory.py): memory too
        from .validation.memory import for_want_of_memory

        if not for_want_of_memory(exc):
            raise
        print(_out_of_memory(), file=sys.stderr)
        code = 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    _flush_and_exit(code)


def _flush_and_exit(code: int) -> None:
    """End the process now: os._exit runs no library's clean-up (the temporary folder is already gone)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe, say: nothing more can be written anyway
            pass
    os._exit(code)


SUPERVISED = "PEACETALKS_SUPERVISED"  # set in the command's process by its parent: the name it was run by
# A native library dying of a failed allocation: aborted (pyarrow's std::bad_alloc, glibc's unwinder, V8),
# or a bad access after an allocation it did not check.
NATIVE_DEATHS = {signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGTRAP, signal.SIGILL, signal.SIGFPE}


def _supervise() -> None:
    """Under a memory limit (`ulimit -v`, `ulimit -d`): run the command in a child process and wait for it. A
    native library that cannot allocate aborts its whole process (pyarrow's std::bad_alloc under `ulimit -v
    400000` to 500000, say), where no Python code runs; the parent, which holds no table, then says so in one
    line, and removes what the command was writing (validation/leftovers.py) and its temporary files. The child's
    stderr is held until it ends, so that a native abort's report is replaced by that line. Not for `serve`,
    which runs until stopped."""
    from .validation.leftovers import LISTING

    scratch = _private_temporary_folder()  # the child's own private folder is made inside it
    listing = os.path.join(scratch, "in-progress")
    open(listing, "w").close()
    script = sys.argv[0]
    from_module = os.path.basename(script) == "__main__.py" or not os.path.isfile(script)
    command = module_command("peacetalks") if from_module else [sys.executable, script]
    name = "peacetalks" if from_module else os.path.basename(script)
    try:
        code = _run_child([*command, *sys.argv[1:]], {**os.environ, SUPERVISED: name, LISTING: listing}, listing)
    except (OSError, MemoryError):  # not even a process could be started under this limit
        print(_out_of_memory(), file=sys.stderr)
        code = 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    _flush_and_exit(code)


def module_command(module: str) -> list[str]:
    """The command that runs a module as `python -m` does, without the current folder on sys.path: `-m` puts it
    first, and `serve` and `make serve` run inside a stranger's package, whose `asgi_csrf.py` or `datasette/`
    would be imported instead of the library's. `-P` (3.11) drops only that entry; 3.10 has only `-I`, which also
    ignores PYTHON* variables."""
    return [sys.executable, "-P" if sys.version_info >= (3, 11) else "-I", "-m", module]


def _run_child(command: list[str], environment: dict, listing: str) -> int:
    """Run the command in a child and return its exit code, saying in one line how it died if it did."""
    from .validation.leftovers import remove_left
    import subprocess

    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(command, stderr=errors, env=environment)
        for each in (signal.SIGINT, signal.SIGTERM):  # the child says it was stopped, and cleans up
            signal.signal(each, lambda signum, frame: child.send_signal(signum))
        code = child.wait()
        errors.seek(0)
        said = errors.read()
    # glibc's loader, refused memory for a library's thread-local data, ends the process itself (exit 127)
    native = code == 127 and b"cannot allocate memory for thread-local data" in said
    if code >= 0 and not native:
        sys.stderr.buffer.write(said)
        return code
    remove_left(listing)
    died = "exit 127: no memory for a library's thread-local data" if native else _signal_name(-code)
    if native or -code in NATIVE_DEATHS:
        print(f"peacetalks: out of memory ({limit_shown()}): a native library stopped the command ({died}); what "
              "it was writing is removed: raise the limit or free memory, and run it again", file=sys.stderr)
        return 1
    # SIGKILL (the kernel's out-of-memory killer, or a person), say
    print(f"peacetalks: the command was ended by {died} ({limit_shown()}); what it was writing is removed",
          file=sys.stderr)
    return 128 - code


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _private_temporary_folder() -> str:
    """A fresh folder for every library's temporary files (openpyxl writes its worksheets there), removed when
    the command ends however it ends, Ctrl-C and SIGTERM included: os._exit runs no library's clean-up."""
    from .validation.leftovers import remove_stale, temporary_prefix

    global _outer_tmpdir
    _outer_tmpdir = os.environ.get("TMPDIR")
    remove_stale(tempfile.gettempdir())  # the folders of runs killed (SIGKILL) before they could remove them
    scratch = tempfile.mkdtemp(prefix=temporary_prefix("scratch"))
    tempfile.tempdir = scratch
    os.environ["TMPDIR"] = scratch  # for a child process
    return scratch


_outer_tmpdir: str | None = None


def _leave_temporary_folder() -> None:
    """Before this process is replaced (serve): remove the private folder and give the next program the
    TMPDIR this one was given."""
    from .validation.leftovers import TEMPORARY_PREFIX

    if tempfile.tempdir and os.path.basename(tempfile.tempdir).startswith(TEMPORARY_PREFIX):
        shutil.rmtree(tempfile.tempdir, ignore_errors=True)
        tempfile.tempdir = None
    if _outer_tmpdir is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = _outer_tmpdir


class Stopped(BaseException):
    """Ctrl-C or SIGTERM. A BaseException that click does not catch (it would turn Ctrl-C into "Aborted!"
    and exit 1, the code for "problems found"); every `finally` on the way out still runs, ending the
    helper process and removing temporary files."""

    def __init__(self, signum: int):
        self.code = 128 + signum  # the shell's convention: 130 for SIGINT, 143 for SIGTERM
        super().__init__("interrupted" if signum == signal.SIGINT else "terminated")


def _stop(signum: int, frame) -> None:
    for each in (signal.SIGINT, signal.SIGTERM):  # a second signal must not cut the clean-up short
        signal.signal(each, signal.SIG_IGN)
    raise Stopped(signum)


@main.command()
@click.argument("descriptor", required=False)
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one line per problem, silent when valid; json: the same report for machines.")
@click.option("--jobs", type=click.IntRange(1, 2), default=None,
              help="Accepted and ignored (kept so that scripts written for 0.3.0 still run): the validator runs in "
                   "one process; sharing the tables with a helper process was removed in 0.3.1, having saved "
                   "under a fifth of the time (docs/validator.md, Speed).")
@click.option("--all", "show_all", is_flag=True,
              help="Print every problem. By default the text report prints at most 10 of each kind (one rule in one "
                   "column of one file) and says how many more there are; --format json always lists every one.")
@click.option("--without-texts", "without_texts", is_flag=True,
              help="Accept a copy released without the source texts (release --without-texts): each quote is checked "
                   "against the passages its stand-in keeps, and one line on stderr says which texts were not checked. "
                   "Without it, a source text missing and stood in for is an error: a stand-in's passages cannot be "
                   "checked against any text.")
def validate(descriptor: str, output: str, jobs: int | None, show_all: bool, without_texts: bool) -> None:
    """Check the package at DESCRIPTOR (default: the nearest datapackage.json) in six layers: descriptor,
    CSV structure, column types and dataset rules, keys, rules that join tables, provenance (checksums,
    quotes, digest items credited to their outlet).

    Prints each problem, one per line, located by file, line, id and column: at most 10 of one kind (one rule
    in one column of one file), then how many more (--all prints every one; --format json lists every one).
    Exits 0 when the package is valid, 1 when any problem is found, 2 on a usage error. Never modifies the
    package. A copy without the source texts (release --without-texts) is validated with --without-texts: the
    quotes are checked against the passages kept, and one line on stderr says which texts could not be checked;
    without the option, such a copy exits 1 (its passages cannot be checked against any text).
    """
    from .validation.engine import validate as run, validate_for_reading
    from .validation.report import MAX_PER_KIND, render_json, render_text

    with reported_errors():
        descriptor = str(located(descriptor))
    if output == "json" or show_all:
        problems, totals = run(descriptor, jobs), None
    else:  # a few of each kind are kept as the checks run: a million problems are read in seconds
        problems, totals = validate_for_reading(descriptor, jobs, MAX_PER_KIND)
    if output == "json":
        click.echo(render_json(problems, descriptor))
    elif problems:
        click.echo(render_text(problems, None if show_all else MAX_PER_KIND, totals))
    from .validation.withheld import withheld_note

    note = withheld_note(descriptor)  # a copy without the source texts: what could not be checked, in one line
    if note and not without_texts:
        # A stand-in's passages are not checked against any text: a pull request could delete a text and invent
        # the passages a changed quote needs. Only a copy known to be released without the texts accepts them.
        click.echo(f"peacetalks: {note}. This copy lacks source texts: if it was released without them, validate "
                   "it with --without-texts (its Makefile does); otherwise restore the texts", err=True)
        sys.exit(1)
    if note:
        click.echo(f"peacetalks: {note}", err=True)
    sys.exit(1 if problems else 0)


@contextmanager
def reported_errors():
    """Turn what bad input raises into one clear line and exit 1: never a traceback for the user."""
    from .validation.loader import InvalidPackageError
    from .publish.names import UnsafeNameError
    from .validation.ownfiles import RefusedOut
    from .validation.package import PackageError

    try:
        yield
    except (UnsafeNameError, RefusedOut) as exc:  # a name unfit for a file name, an --out through a link: usage errors
        _fail(str(exc), 2)
    except (PackageError, InvalidPackageError) as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"peacetalks: {message}", err=True)
    sys.exit(code)


# Without DESCRIPTOR: the nearest datapackage.json in the current folder or above, else the installed copy.
DESCRIPTOR = click.argument("descriptor", required=False)


def located(descriptor: str | None, installed: bool = True):
    """The descriptor a command works on (see peacetalks.locate); raises PackageNotFoundError."""
    from .validation.locate import find_descriptor

    return descriptor if descriptor is not None else find_descriptor(installed=installed)
REPORT_FORMAT = click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
                             show_default=True, help="text: aligned tables for people; json: the same, complete, for machines.")


@main.command()
@DESCRIPTOR
@click.option("--format", "kind", type=click.Choice(["sqlite", "parquet", "xlsx", "json", "stata", "all"]), default="all",
              show_default=True, help="Which format to write.")
@click.option("--out", type=click.Path(file_okay=False), default="exports", show_default=True,
              help="Folder to write into (created if missing); never the package's folder or one of its own.")
def export(descriptor: str, kind: str, out: str) -> None:
    """Write the tables as SQLite, Parquet, XLSX, JSON and Stata.

    Validates the package at DESCRIPTOR first, then writes SQLite (primary and foreign keys, a link table
    per list column, metadata tables, and a Datasette metadata file beside it), Parquet (one file per table,
    the package's metadata in each), JSON (one file per table and metadata.json), XLSX (an about sheet, the
    positions sheet and the codebook first) and Stata (a .dta per table with variable and value labels).
    Every format also holds the positions view. Every copy carries the licence, version, citation, sources
    and descriptions.

    Prints one line per file written: path, rows, size. Exits 1, writing nothing, if the package is not valid.
    """
    from .publish.export import FORMATS, export as run

    started = time.perf_counter()
    with reported_errors():
        written = run(located(descriptor), list(FORMATS) if kind == "all" else [kind], out)
    for item in written:
        click.echo(item.line())
    click.echo(f"{len(written)} file{'s' if len(written) != 1 else ''} written in {time.perf_counter() - started:.1f} s.")


@main.command()
@DESCRIPTOR
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="File to write, never one of the package's own files  [default: docs/codebook.md beside the descriptor]")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the file differs from what would be generated.")
def docs(descriptor: str, out: str | None, check: bool) -> None:
    """Generate the codebook, docs/codebook.md, and the generated parts of the package's files.

    Those are the README's diagram, the coding manual's appendix of examples, the descriptor's `sources` (from the sources table) and `created` date,
    and CITATION.cff's `date-released` (from the version's CHANGELOG heading); with --out only the codebook
    is written. The codebook is built from the descriptor, the Table Schemas and the data alone: tables, columns, types, constraints,
    keys, vocabularies with their definitions, an entity-relationship diagram, row counts and the sources.
    The output is deterministic, so --check can guard it in CI.
    """
    from .publish.codebook import check_codebook, write_codebook
    from .publish.manual import refresh_manual
    from .validation.package import PackageError

    with reported_errors():
        descriptor = located(descriptor, installed=False)  # docs writes into the package: never the installed copy
        root = Path(descriptor) if Path(descriptor).is_dir() else Path(descriptor).parent
        if check:
            click.echo(f"{check_codebook(descriptor, out)} is up to date.")
            if not refresh_manual(root, descriptor, check=True):
                raise PackageError("coding-manual.md's appendix of examples is out of date: run `peacetalks docs`")
            return
        path, text, updated = write_codebook(descriptor, out)
        if out is None:  # --out elsewhere writes only there, never into the package
            refresh_manual(root, descriptor)
    click.echo(f"wrote {path} ({text.count(chr(10))} lines)")
    for other in updated:
        click.echo(f"updated {other}")


@main.command()
@DESCRIPTOR
@REPORT_FORMAT
def stats(descriptor: str, output: str) -> None:
    """Count rows per table, source, unit, actor and issue.

    For the package at DESCRIPTOR: rows per table, per table and source, figures per unit, demands per
    actor, per issue and per actor and issue. Reads the CSV text without validating, so it works
    mid-curation.
    """
    from .analysis.stats import compute_stats, render_json, render_text

    with reported_errors():
        result = compute_stats(located(descriptor))
    click.echo(render_json(result) if output == "json" else render_text(result))


@main.command()
@DESCRIPTOR
@click.option("--by", type=click.Choice(["side", "actor"]), default="side", show_default=True,
              help="Roll positions up by the actor's side, or list each actor.")
@click.option("--changes", is_flag=True, help="List every movement along an issue's scale between consecutive observations "
              "of one actor, or of one voice of a side, instead.")
@click.option("--stance-changes", is_flag=True, help="List every stance that differs between consecutive sources, "
              "proposition by proposition, instead.")
@click.option("--distance", is_flag=True, help="List, per scaled issue and observation, each pair of sides' places and "
              "the gap between them, instead.")
@click.option("--all-voices", is_flag=True, help="Put every voice in its side (positions) or show every voice labelled "
              "(distance); by default a side is its official voice, the others shown beside it.")
@click.option("--evidence", "evidence", multiple=True, type=click.Choice(["stated", "reported", "assessed"]),
              help="Count only rows with this evidence (repeatable), e.g. --evidence stated --evidence reported.")
@click.option("--all-kinds", is_flag=True, help="Count leverage and recommendation rows too (not positions of the actor).")
@click.option("--hypothetical", is_flag=True, help="Count bargains the authors imagine (status hypothetical) too.")
@click.option("--format", "output", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
def positions(descriptor: str, by: str, changes: bool, stance_changes: bool, distance: bool, all_voices: bool,
              evidence: tuple[str, ...], all_kinds: bool, hypothetical: bool, output: str) -> None:
    """Who wants what: the side (or actor) x proposition table of stances.

    Validates the package at DESCRIPTOR, then prints, for each proposition, the stance of each side
    (support, conditional, oppose; 'support/oppose' where its rows differ) and how many rows take each.
    Leverage, recommendation and hypothetical rows are left out unless asked for. A side is its official
    voice (head, government, foreign ministry, envoy); its other voices are listed beside it as
    'side (voice)', or put in the side with --all-voices.

    With --changes, every movement along an issue's scale (0 = the outcome most favourable to Ukraine)
    between consecutive observations of one actor, or of one voice of a side (never between unlike
    voices): toward Russia or toward Ukraine, with its size where the scale allows, both dates (with what
    placed them: the row's date, its event's or its source's), sources, ids and quotes. Two stances one
    source puts in order (supersedes) are two observations. With --stance-changes, the stances that differ
    between consecutive sources, proposition by proposition. With --distance, per scaled issue and
    observation, each pair of sides' places and the gap between them (a number for two points, a range
    where only bounds are known), with the rows behind each figure.
    """
    from .analysis import positions as model
    from .validation.loader import load

    with reported_errors():
        tables = load(descriptor)
    kinds = tuple(tables["demands"]["kind"].cat.categories) if all_kinds else model.POSITION_KINDS
    if distance:
        table = model.distance(tables, all_voices)
        click.echo(model.render_distance_text(table) if output == "text" else model.render(table, output), nl=output == "text")
        return
    if changes:
        table = model.scale_changes(model.placed_rows(tables), by)
        click.echo(model.render_scale_changes_text(table, by) if output == "text" else model.render(table, output),
                   nl=output == "text")
        return
    rows = model.position_rows(tables, kinds, hypothetical, evidence, all_voices)
    if stance_changes:
        table = model.changes(rows, by)
        click.echo(model.render_changes_text(table, by) if output == "text" else model.render(table, output), nl=output == "text")
    else:
        table = model.stance_table(rows, by)
        click.echo(model.render_text(table, by) if output == "text" else model.render(table, output), nl=output == "text")


@main.command()
@click.argument("old")
@click.argument("new")
@REPORT_FORMAT
def diff(old: str, new: str, output: str) -> None:
    """Show rows added, removed and changed between two versions.

    OLD and NEW are descriptors (or their folders). Table by table, rows are matched by primary key and
    the changed columns of each changed row are listed. Compares the CSV text without validating. Exits 0
    whatever the differences; 1 if either version cannot be read.
    """
    from .analysis.diff import diff_packages, render_json, render_text

    with reported_errors():
        result = diff_packages(old, new)
    click.echo(render_json(result) if output == "json" else render_text(result))


@main.command()
@DESCRIPTOR
@click.option("--out", type=click.Path(file_okay=False), default="dist", show_default=True,
              help="Folder for the zip (created if missing); never the package's folder or one of its own.")
@click.option("--without-texts", is_flag=True,
              help="A copy others may re-host, <name>-<version>-without-texts.zip: each source text replaced by its "
                   "address, SHA-256 and the quoted passages in their sentences (corpus/*.withheld.json).")
def release(descriptor: str, out: str, without_texts: bool) -> None:
    """Build the release zip, <out>/<name>-<version>.zip.

    It holds the descriptor, data, schemas, corpus, docs (codebook, coding manual, reliability files), the
    examples, every export (SQLite with its Datasette metadata, XLSX, Parquet, JSON, with the positions
    view), the built website (site/index.html opens from disk), a README written for the zip (what each file
    is for, the licences and how to cite first, every command), the repository README as
    README-repository.md, CHANGELOG, CITATION.cff, the licences and the toolkit's source (src/, checks/,
    pyproject.toml, requirements.lock, and a Makefile with only the targets that work in the zip), with a
    SHA256SUMS of every file.
    Built only when the package validates, everything `docs --check` guards is current, and CHANGELOG.md
    and CITATION.cff name the version. The zip is byte-for-byte reproducible.
    """
    from .publish.export import human_size
    from .publish.release import release as run
    from .site import build_site

    with reported_errors():
        path, count = run(located(descriptor, installed=False), out, without_texts, build_site)
    click.echo(f"wrote {path}  {count} files  {human_size(path.stat().st_size)}")


@main.command()
@DESCRIPTOR
@click.option("--out", type=click.Path(file_okay=False), default="exports", show_default=True,
              help="Folder for the SQLite export and its Datasette metadata (created if missing).")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True, help="Port on 127.0.0.1.")
def serve(descriptor: str | None, out: str, port: int) -> None:
    """Export the package as SQLite and serve it with Datasette on 127.0.0.1.

    Every table and column described, the licence and sources on the front page, the rows a foreign key
    names shown by their label, and canned queries (positions of a side, a timeline of events, figures by
    unit). Stop it with Ctrl-C.
    """
    import importlib.util

    from .publish.export import export as run

    if importlib.util.find_spec("datasette") is None:
        _fail("Datasette is not installed: `pip install datasette` (or the toolkit's `serve` extra), then run this again")
    with reported_errors():
        database, metadata = (item.path for item in run(located(descriptor), ["sqlite"], out))
    click.echo(f"serving {database} on http://127.0.0.1:{port}/", err=True)
    sys.stderr.flush()
    _leave_temporary_folder()
    os.execv(sys.executable, [*module_command("datasette"), "serve", str(database), "--metadata", str(metadata),
                              "--host", "127.0.0.1", "--port", str(port)])


@main.command()
@DESCRIPTOR
@click.option("--out", type=click.Path(file_okay=False), default="site", show_default=True,
              help="Folder to write the site into; replaced on each build (only if this command wrote it, and never the "
                   "package's folder or one of its own).")
@click.option("--without-texts", is_flag=True,
              help="Show only the quoted passages of each source text, in their sentences, never a whole text.")
def site(descriptor: str, out: str, without_texts: bool) -> None:
    """Build a static website of the package: home, timeline, positions, figures, every table, a page per
    actor, issue, proposition, proposal, event, aid channel and source, and each source text with every quote highlighted.

    Validates the package first and writes nothing if it is not valid. The site is plain HTML, CSS and one
    small script, opens from disk and requests nothing from any other host.
    """
    from .publish.export import human_size
    from .site import build_site

    with reported_errors():
        built = build_site(located(descriptor), out, without_texts=without_texts)
    click.echo(f"wrote {built.out}/index.html: {built.pages} pages, {built.files} files, "
               f"{human_size(built.size)} in {built.seconds:.1f} s")
