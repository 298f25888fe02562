"""`peacetalks release`: a reproducible zip with SHA256SUMS, only from a checked package."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

import pytest
from click.testing import CliRunner
from conftest import REPO

from peacetalks.cli import main

VERSION = json.loads((Path(__file__).resolve().parent.parent / "datapackage.json").read_text())["version"]
TOP = f"ukraine-peace-talks-{VERSION}"


@pytest.fixture
def ready(pkg):
    """The fixture with everything a release needs: the repository's metadata files and a current codebook."""
    for name in ["README.md", "CITATION.cff", "LICENSE", "LICENSE-DATA.md", "pyproject.toml", "Makefile", "requirements.lock"]:
        shutil.copyfile(REPO / name, pkg.path(name))
    for name in ["checks", "src"]:
        shutil.copytree(REPO / name, pkg.path(name), ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    pkg.path("checks/__pycache__").mkdir()
    pkg.path("checks/__pycache__/x.pyc").write_bytes(b"cache")  # must not be released
    pkg.path("CHANGELOG.md").write_text(f"# Changelog\n\n## [Unreleased]\n\n## [{VERSION}] - 2026-11-21\n\n- First.\n")
    assert CliRunner().invoke(main, ["docs", str(pkg.descriptor)]).exit_code == 0
    return pkg


def release(pkg, out):
    return CliRunner().invoke(main, ["release", "--out", str(out), str(pkg.descriptor)])


def test_zip_holds_the_package_and_checksums(ready, tmp_path):
    result = release(ready, tmp_path / "dist")
    assert result.exit_code == 0, result.output
    path = tmp_path / "dist" / f"{TOP}.zip"
    assert result.output.startswith(f"wrote {path}  ")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        files = {name.removeprefix(f"{TOP}/"): archive.read(name) for name in names}
    assert names == sorted(names) and all(n.startswith(f"{TOP}/") for n in names)
    for expected in ["datapackage.json", "data/figures.csv", "schemas/events.json", "checks/figures.py",
                     "corpus/meduza-2025-peace-postponed.txt", "docs/codebook.md", "README.md", "CHANGELOG.md",
                     "CITATION.cff", "LICENSE", "LICENSE-DATA.md", "SHA256SUMS", "README-repository.md",
                     "exports/ukraine-peace-talks.sqlite", "exports/ukraine-peace-talks.xlsx",
                     "exports/ukraine-peace-talks.datasette.json", "exports/parquet/figures.parquet",
                     "exports/json/figures.json", "exports/json/metadata.json", "src/peacetalks/cli.py",
                     "pyproject.toml", "Makefile", "requirements.lock"]:
        assert expected in files, expected
    assert files["README-repository.md"] == (REPO / "README.md").read_bytes()
    readme = files["README.md"].decode()
    assert readme.startswith("# Ukraine peace talks") and f"Version {VERSION}, released 2026-11-21." in readme
    for promise in ["sha256sum -c SHA256SUMS", "## How to cite", "ukraine-peace-talks maintainers (2026).",
                    "make validate", "`exports/ukraine-peace-talks.xlsx`", "| `figures` | 3 | Figures: "]:
        assert promise in readme, promise
    assert not any("__pycache__" in n for n in names)
    sums = dict(reversed(line.split("  ", 1)) for line in files["SHA256SUMS"].decode().splitlines())
    assert set(sums) == set(files) - {"SHA256SUMS"}
    assert all(hashlib.sha256(files[name]).hexdigest() == digest for name, digest in sums.items())
    assert files["data/figures.csv"] == ready.path("data/figures.csv").read_bytes()


def test_zip_is_reproducible(ready, tmp_path):
    assert release(ready, tmp_path / "a").exit_code == 0
    for path in ready.root.rglob("*"):
        os.utime(path, (1_700_000_000, 1_700_000_000))
    result = release(ready, tmp_path / "b")
    assert result.exit_code == 0, result.output
    first, second = (tmp_path / d / f"{TOP}.zip" for d in "ab")
    assert first.read_bytes() == second.read_bytes()
    assert sorted(os.listdir(tmp_path / "b")) == [f"{TOP}.zip"]  # no staging folder or temporary file left
    with zipfile.ZipFile(first) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_needs_a_changelog_heading_for_the_version(ready, tmp_path):
    ready.path("CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
    result = release(ready, tmp_path / "dist")
    assert result.exit_code == 1
    assert result.output == (f"peacetalks: CHANGELOG.md has no '## [{VERSION}]' heading: "
                             "describe the release before making it\n")
    assert not (tmp_path / "dist").exists()


def test_needs_a_valid_package(ready, tmp_path):
    ready.set_cell("figures", 0, "value", "abc")
    result = release(ready, tmp_path / "dist")
    assert result.exit_code == 1 and "the package is not valid" in result.output
    assert not (tmp_path / "dist").exists()


def test_needs_a_current_codebook(ready, tmp_path):
    ready.path("docs/codebook.md").write_text("old\n")
    result = release(ready, tmp_path / "dist")
    assert result.exit_code == 1 and "docs/codebook.md is out of date" in result.output


def test_needs_citation_to_name_the_version(ready, tmp_path):
    text = ready.path("CITATION.cff").read_text().replace(f'version: "{VERSION}"', "version: 0.0.9")
    ready.path("CITATION.cff").write_text(text)
    result = release(ready, tmp_path / "dist")
    assert result.exit_code == 1 and f"CITATION.cff gives version '0.0.9' but datapackage.json '{VERSION}'" in result.output


def test_names_missing_files(ready, tmp_path):
    ready.path("LICENSE-DATA.md").unlink()
    result = release(ready, tmp_path / "dist")
    assert result.exit_code == 1 and result.output == "peacetalks: cannot release: missing LICENSE-DATA.md\n"


def test_unzipped_release_opens_without_the_toolkit(ready, tmp_path):
    """What a reader does: unzip in an empty folder, check the sums, open every file in its usual tool."""
    assert release(ready, tmp_path / "dist").exit_code == 0
    with zipfile.ZipFile(tmp_path / "dist" / f"{TOP}.zip") as archive:
        archive.extractall(tmp_path / "reader")
    folder = tmp_path / "reader" / TOP
    checked = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert checked.returncode == 0 and checked.stdout.count(": OK\n") == sum(p.is_file() for p in folder.rglob("*")) - 1
    connection = sqlite3.connect(folder / "exports" / "ukraine-peace-talks.sqlite")
    assert connection.execute("SELECT count(*) FROM figures").fetchone() == (3,)
    assert connection.execute("SELECT value FROM package_metadata WHERE key = 'version'").fetchone() == (VERSION,)
    assert len(pd.read_parquet(folder / "exports" / "parquet" / "demands.parquet")) == 2
    assert load_workbook(folder / "exports" / "ukraine-peace-talks.xlsx").sheetnames[:3] == ["about", "codebook", "sources"]
    assert len(json.loads((folder / "exports" / "json" / "events.json").read_text(encoding="utf-8"))) == 1
    assert json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["created"] == "2026-11-21T00:00:00Z"


@pytest.mark.parametrize("key, value, what", [("name", "../../sibling", "the descriptor name"),
                                              ("version", "1.0/../../../x", "the descriptor version"),
                                              ("version", "/abs", "the descriptor version")])
def test_name_or_version_that_is_not_a_slug_is_a_usage_error(ready, tmp_path, key, value, what):
    ready.edit_json("datapackage.json", lambda d: d.update({key: value}))
    parent = tmp_path / "parent"
    (parent / "sibling").mkdir(parents=True)
    result = release(ready, parent / "dist")
    assert result.exit_code == 2
    assert result.output.startswith(f"peacetalks: {what} {value!r} cannot be used in a file name: ")
    assert sorted(p.name for p in parent.rglob("*")) == ["sibling"]


def test_symbolic_links_are_refused(ready, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("not part of the package")
    os.symlink(outside, ready.path("corpus/extra.txt"))
    os.symlink(tmp_path, ready.path("docs/linked-folder"))
    result = release(ready, tmp_path / "dist")
    assert result.exit_code == 1
    assert result.output == ("peacetalks: cannot release: corpus/extra.txt, docs/linked-folder are symbolic links; "
                             "a release holds regular files only: replace each link by the file itself\n")
    assert not (tmp_path / "dist" / f"{TOP}.zip").exists()


def test_entries_stay_inside_the_release_folder():
    from peacetalks.validation.package import PackageError
    from peacetalks.publish.release import safe_entry

    assert safe_entry(TOP, "data/figures.csv") == f"{TOP}/data/figures.csv"
    for bad in ["../x", "a/../../x", "/etc/passwd", "a\\..\\x", ""]:
        with pytest.raises(PackageError, match="would be written outside the release's folder"):
            safe_entry(TOP, bad)
