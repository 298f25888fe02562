"""Hostile round 5: an --out reached through a link the package shipped (`exports -> /elsewhere`, then
`--out exports/sub`), and what a run killed with SIGKILL left behind (temporary files and folders no later run
removed)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from peacetalks.cli import main
from peacetalks.validation.leftovers import MACHINE, TEMPORARY_PREFIX, remove_stale

THROUGH = ("the link may have come with the package, and writing through it would write outside the folder you named; "
           "name a real folder")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# --- 1. a link in a parent of --out ----------------------------------------------------------------------------

@pytest.fixture
def elsewhere(tmp_path):
    """Where a link the package ships leads: nothing may be written there."""
    (tmp_path / "elsewhere").mkdir()
    return tmp_path / "elsewhere"


def assert_refused(result, out, link, elsewhere):
    assert result.exit_code == 2, result.output
    assert result.output == (f"peacetalks: --out '{out}' passes through {link}, a symbolic link (to {elsewhere}): "
                             f"{THROUGH}\n")
    assert os.listdir(elsewhere) == []


@pytest.mark.parametrize("command, out", [
    (["export", "--format", "json"], "exports/sub"), (["serve"], "exports/sub"), (["site"], "exports/site"),
    (["release"], "exports/dist"), (["docs"], "exports/codebook.md")])
def test_an_out_through_a_link_the_package_ships_is_refused(pkg, elsewhere, monkeypatch, command, out):
    (pkg.root / "exports").symlink_to(elsewhere)
    monkeypatch.chdir(pkg.root)
    # Should `serve` get past the refusal, it fails here instead of serving until stopped.
    monkeypatch.setattr(os, "execv", lambda *args: pytest.fail("serve wrote through the link and started Datasette"))
    assert_refused(run(*command, "--out", out, "datapackage.json"), out, "exports", elsewhere)


def test_a_link_deeper_in_the_package_is_refused_too_and_named_as_given(pkg, elsewhere):
    (pkg.root / "build").mkdir()
    (pkg.root / "build" / "out").symlink_to(elsewhere)
    out = pkg.root / "build" / "out" / "a" / ".." / "b"
    assert_refused(run("export", "--format", "json", "--out", out, pkg.descriptor), out, pkg.root / "build" / "out",
                   elsewhere)


def test_the_user_s_own_link_outside_the_package_is_followed(pkg, tmp_path):
    """`--out /home/me/disk/exports`, /home/me/disk a link the user made: they named it."""
    disk = tmp_path / "disk"
    disk.mkdir()
    (tmp_path / "mine").symlink_to(disk)
    result = run("export", "--format", "json", "--out", tmp_path / "mine" / "exports", pkg.descriptor)
    assert result.exit_code == 0, result.output
    assert (disk / "exports" / "json" / "actors.json").is_file()


def test_a_package_reached_through_the_user_s_link_is_still_the_package(pkg, tmp_path, elsewhere):
    """The package's folder is compared where it really is: a link to it does not hide a link it ships."""
    (pkg.root / "exports").symlink_to(elsewhere)
    (tmp_path / "shortcut").symlink_to(pkg.root)
    out = tmp_path / "shortcut" / "exports" / "sub"
    assert_refused(run("site", "--out", out, tmp_path / "shortcut" / "datapackage.json"), out,
                   tmp_path / "shortcut" / "exports", elsewhere)


# --- 2. what a killed run left ---------------------------------------------------------------------------------

@pytest.fixture
def pids():
    """(a pid whose process has ended, the pid of a process still running)."""
    ended = subprocess.Popen(["true"])
    ended.wait()
    running = subprocess.Popen(["sleep", "60"])
    yield ended.pid, running.pid
    running.kill()
    running.wait()


def leftover(folder: Path, pid: int, label: str, machine: str = MACHINE, is_folder: bool = False) -> Path:
    """A temporary file or folder named as the process `pid` names it (validation/leftovers.py)."""
    path = folder / f"{TEMPORARY_PREFIX}{machine}-{pid}-{label}.k3x9q1"
    folder.mkdir(parents=True, exist_ok=True)
    if is_folder:
        (path / "json").mkdir(parents=True)
        (path / "json" / "actors.json").write_text("half\n")
    else:
        path.write_text("half\n")
    return path


def test_export_removes_what_a_killed_export_left_and_nothing_else(pkg, tmp_path, pids):
    ended, running = pids
    out = tmp_path / "exports"
    dead = [leftover(out / "json", ended, "accounts.json"), leftover(out, ended, "ukraine-peace-talks.xlsx"),
            leftover(out / "stata", ended, "events.dta")]  # stata too, though this run writes JSON only
    kept = [leftover(out / "json", running, "actors.json"),  # another export writing now
            leftover(out / "json", ended, "issues.json", machine="0123abcd"),  # another machine's pid
            out / "json" / "notes.tmp", out / "json" / ".actors.json.x1y2.tmp"]  # the user's
    for path in kept[2:]:
        path.write_text("mine\n")
    result = run("export", "--format", "json", "--out", out, pkg.descriptor)
    assert result.exit_code == 0, result.output
    assert not any(os.path.lexists(path) for path in dead)
    assert all(path.read_text() in ("half\n", "mine\n") for path in kept)


def test_release_removes_the_staging_folders_of_a_killed_release(pkg, tmp_path, pids):
    from test_release import make_ready

    ended, running = pids
    ready = make_ready(pkg)
    dist = tmp_path / "dist"
    dead = leftover(dist, ended, "release-exports", is_folder=True)
    live = leftover(dist, running, "release-site", is_folder=True)
    (dist / "notes.tmp").write_text("mine\n")
    result = CliRunner().invoke(main, ["release", "--out", str(dist), str(ready.descriptor)])
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(dist)) == sorted([live.name, "notes.tmp", Path(result.output.split()[1]).name])
    assert not dead.exists()


def test_docs_removes_a_codebook_a_killed_run_was_writing(pkg, pids):
    ended, running = pids
    dead = leftover(pkg.root / "docs", ended, "codebook.md")
    live = leftover(pkg.root / "docs", running, "codebook.md")
    (pkg.root / "docs" / "notes.tmp").write_text("mine\n")
    result = run("docs", pkg.descriptor)
    assert result.exit_code == 0, result.output
    assert not dead.exists() and live.exists() and (pkg.root / "docs" / "notes.tmp").exists()


def test_each_run_removes_the_private_temporary_folders_of_killed_runs(pkg, tmp_path, pids):
    """Every command's private folder for libraries' temporary files (cli._private_temporary_folder)."""
    ended, running = pids
    temporary = tmp_path / "tmp"
    dead = leftover(temporary, ended, "scratch", is_folder=True)
    live = leftover(temporary, running, "scratch", is_folder=True)
    (temporary / "peacetalks-tmp-notes").mkdir()  # named like the old folders, but not by this run's scheme
    result = subprocess.run([sys.executable, "-m", "peacetalks", "validate", str(pkg.descriptor)], capture_output=True,
                            text=True, env={**os.environ, "TMPDIR": str(temporary)}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(temporary)) == sorted([live.name, "peacetalks-tmp-notes"])  # its own is gone too


def test_a_link_named_like_a_leftover_is_left_and_not_followed(tmp_path, pids):
    ended, _ = pids
    target = tmp_path / "target"
    target.mkdir()
    (target / "keep.txt").write_text("keep\n")
    folder = tmp_path / "out"
    folder.mkdir()
    link = folder / f"{TEMPORARY_PREFIX}{MACHINE}-{ended}-release.abc"
    link.symlink_to(target)
    assert remove_stale(folder) == []
    assert link.is_symlink() and (target / "keep.txt").read_text() == "keep\n"
