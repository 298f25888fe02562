"""The clean packages pass: the small fixture, and the real package under both validators."""

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from peacetalks.validation.engine import validate


def test_fixture_package_is_valid(pkg):
    assert pkg.problems() == []


def test_real_package_passes_peacetalks():
    assert [str(p) for p in validate(REPO / "datapackage.json")] == []


def test_real_package_passes_reference_frictionless():
    frictionless = Path(sys.executable).with_name("frictionless")
    result = subprocess.run([str(frictionless), "validate", "--json", "datapackage.json"], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert '"valid": true' in result.stdout


def test_corpus_is_byte_identical_to_shared_sources():
    shared = REPO.parent / "shared" / "sources"
    if not shared.is_dir():  # a clone without the shared sources beside it: the checksums still hold the line
        pytest.skip(f"no {shared} to compare the corpus with")
    originals = sorted(p.read_bytes() for p in shared.glob("[0-9][0-9][0-9]_*.txt"))
    copies = sorted(p.read_bytes() for p in (REPO / "corpus").glob("*.txt"))
    assert copies == originals
