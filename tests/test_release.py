"""`peacetalks release`: a reproducible zip with SHA256SUMS, only from a checked package."""

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from peacetalks.cli import main

VERSION = json.loads((Path(__file__).resolve().parent.parent / "datapackage.json").read_text())["version"]
TOP = f"ukraine-peace-talks-{VERSION}"


@pytest.fixture
def ready(pkg):
    """The fixture with everything a release needs: the repository's metadata files and a current codebook."""
    for name in ["README.md", "CITATION.cff", "LICENSE", "LICENSE-DATA.md"]:
        shutil.copyfile(REPO / name, pkg.path(name))
    shutil.copytree(REPO / "checks", pkg.path("checks"), ignore=shutil.ignore_patterns("__pycache__"))
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
                     "CITATION.cff", "LICENSE", "LICENSE-DATA.md", "SHA256SUMS"]:
        assert expected in files
    assert not any("__pycache__" in n for n in names)
    sums = dict(reversed(line.split("  ", 1)) for line in files["SHA256SUMS"].decode().splitlines())
    assert set(sums) == set(files) - {"SHA256SUMS"}
    assert all(hashlib.sha256(files[name]).hexdigest() == digest for name, digest in sums.items())
    assert files["data/figures.csv"] == ready.path("data/figures.csv").read_bytes()


def test_zip_is_reproducible(ready, tmp_path):
    assert release(ready, tmp_path / "a").exit_code == 0
    for path in ready.root.rglob("*"):
        os.utime(path, (1_700_000_000, 1_700_000_000))
    assert release(ready, tmp_path / "b").exit_code == 0
    first, second = (tmp_path / d / f"{TOP}.zip" for d in "ab")
    assert first.read_bytes() == second.read_bytes()
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
