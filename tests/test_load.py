"""`peacetalks.load()` from anywhere: a subfolder, an installed copy in an unrelated folder, a missing package,
and a work in progress read without validation."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import REPO

import peacetalks
from peacetalks.validation import locate
from peacetalks.cli import main
from peacetalks import PackageNotFoundError


@pytest.fixture
def no_installed_copy(monkeypatch):
    """The development install maps the installed copy to the repository; these tests are about a folder
    with no package anywhere above it."""
    monkeypatch.setattr(locate, "installed_descriptor", lambda: None)


def test_loads_from_a_subfolder(pkg, monkeypatch):
    notebooks = pkg.path("notebooks/deep")
    notebooks.mkdir(parents=True)
    monkeypatch.chdir(notebooks)
    tables = peacetalks.load()
    assert list(tables.figures["figure_id"]) == ["js24-tariff-cost", "mdz25-recruits-per-day", "js24-nuclear-cost"]


def test_cli_default_descriptor_is_found_from_a_subfolder(pkg, monkeypatch):
    pkg.path("notebooks").mkdir()
    monkeypatch.chdir(pkg.path("notebooks"))
    result = CliRunner().invoke(main, ["stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"figures": 3' in result.output


def test_missing_package_says_where_it_looked(tmp_path, monkeypatch, no_installed_copy):
    empty = tmp_path / "empty" / "sub"
    empty.mkdir(parents=True)
    monkeypatch.chdir(empty)
    with pytest.raises(PackageNotFoundError) as caught:
        peacetalks.load()
    message = str(caught.value)
    assert message.startswith(f"no datapackage.json found (looked in {empty}, {empty.parent}, {tmp_path}, ")
    assert "not valid" not in message and message.endswith("give the path of its datapackage.json")
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1 and result.output.startswith(f"peacetalks: no datapackage.json found (looked in {empty}, ")


def test_missing_descriptor_given_by_path(tmp_path):
    with pytest.raises(PackageNotFoundError, match=rf"^no datapackage.json found \(looked in {tmp_path}/datapackage.json\)"):
        peacetalks.load(tmp_path)


def test_work_in_progress_loads_without_validation(pkg):
    pkg.set_cell("figures", 0, "value", "abc")  # not a number
    pkg.set_cell("demands", 0, "kind", "wish")  # not in the vocabulary
    pkg.set_cell("demands", 1, "quote", "not in the source")
    with pytest.raises(peacetalks.InvalidPackageError):
        peacetalks.load(pkg.descriptor)
    tables = peacetalks.load(pkg.descriptor, validate=False)
    assert pd.isna(tables.figures["value"][0]) and tables.figures["value"][2] == 756000000000
    assert list(tables.demands["kind"]) == ["wish", "demand"]
    assert tables.demands["quote"][1] == "not in the source"
    assert str(tables.figures["period_end_last_day"][1].date()) == "2025-05-31"


def copy_project(target: Path) -> Path:
    """The files a build needs, copied so that building writes nothing into the repository."""
    target.mkdir()
    for name in ["pyproject.toml", "README.md", "LICENSE", "LICENSE-DATA.md", "CITATION.cff", "datapackage.json"]:
        shutil.copyfile(REPO / name, target / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in ["src", "checks", "data", "schemas", "corpus", "docs"]:
        shutil.copytree(REPO / name, target / name, ignore=ignore)
    return target


def test_installed_copy_loads_in_an_unrelated_folder(tmp_path):
    # A real, non-editable install (pip builds the wheel and unpacks it) into a folder of its own, run by the
    # project's interpreter with that folder first on the path: the dependencies come from .venv, so there
    # is no virtualenv to create or dependencies to install (a fresh venv would take many seconds more).
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--no-index", "--target", str(site), str(copy_project(tmp_path / "project"))],
                   check=True, capture_output=True, timeout=120)
    assert (site / "peacetalks/dataset/datapackage.json").is_file()
    unrelated = tmp_path / "somewhere" / "else"
    unrelated.mkdir(parents=True)
    environment = {**os.environ, "PYTHONPATH": str(site)}
    code = ("import peacetalks, peacetalks.validation.locate as l; t = peacetalks.load(); "
            "print(peacetalks.__file__); print(l.find_descriptor()); print(len(t.sources), len(t.figures) > 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=unrelated, env=environment, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    module, descriptor, counts = result.stdout.splitlines()
    assert module == str(site / "peacetalks" / "__init__.py")
    assert descriptor == str(site / "peacetalks" / "dataset" / "datapackage.json")
    assert counts == f"{len(pd.read_csv(REPO / 'data' / 'sources.csv'))} True"
    result = subprocess.run([sys.executable, "-m", "peacetalks", "validate"], cwd=unrelated, env=environment,
                            capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert sorted(p.name for p in unrelated.iterdir()) == []


def test_editable_install_loads_from_any_folder(tmp_path):
    # The project's own environment (`make setup` installs the toolkit in editable mode): load() in a
    # notebook outside the repository finds the source tree the install points to.
    from peacetalks.validation.locate import editable_source

    if editable_source() != REPO:
        pytest.skip("the toolkit running the tests is not an editable install of this repository")
    code = "import peacetalks, peacetalks.validation.locate as l; t = peacetalks.load(); print(l.find_descriptor()); print(len(t.demands))"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                            env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(REPO / "datapackage.json"), str(len(pd.read_csv(REPO / "data" / "demands.csv")))]


@pytest.mark.parametrize("kind, words", [("fifo", "not a regular file (a pipe, socket or device)"), ("folder", "a folder"),
                                         ("dangling link", "a symbolic link")])
@pytest.mark.parametrize("command", ["validate", "stats"])
def test_a_nearest_descriptor_that_is_not_a_file_stops_the_search(pkg, monkeypatch, kind, words, command):
    """Hostile re-test of 2026-12-05: with `datapackage.json` a FIFO, a folder or a dangling link in the
    current folder, the search passed over it and validated the package above (or the installed copy),
    saying nothing. The nearest name in any form is the package meant: it is refused, in one line."""
    here = pkg.path("pr")
    here.mkdir()
    nearest = here / "datapackage.json"
    {"fifo": lambda: os.mkfifo(nearest), "folder": nearest.mkdir, "dangling link": lambda: nearest.symlink_to("gone")}[kind]()
    monkeypatch.chdir(here)
    result = CliRunner().invoke(main, [command])
    assert result.exit_code == 1
    assert result.output == (f"peacetalks: {nearest} is {words}; the descriptor is read only as a regular file, and no "
                             "other package is looked for above it: replace it with the file, or give the path of the "
                             "descriptor to check\n")
