"""The Makefile changes nothing on the system unasked: `make test` installs no system package."""

import re
import shutil
import subprocess

import pytest
from conftest import REPO

MAKEFILE = (REPO / "Makefile").read_text()


def prerequisites(target: str) -> list[str]:
    found = re.search(rf"^{re.escape(target)}:([^#\n]*)", MAKEFILE, re.MULTILINE)
    assert found, f"no target {target}"
    return found.group(1).split()


def test_make_test_depends_on_no_installer():
    assert prerequisites("test") == ["$(STAMP)"]


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_test_would_run_no_apt_get(tmp_path):
    # -n prints what would run; -o takes the virtualenv as built, so only the test commands are left.
    result = subprocess.run(["make", "-n", "-C", str(REPO), "-o", ".venv/.installed-stamp", "test"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "pytest" in result.stdout and "apt-get" not in result.stdout


def test_ci_asks_for_the_system_packages_explicitly():
    commands = [line.split("#")[0].strip() for line in (REPO / ".ci" / "run").read_text().splitlines()]
    commands = [c for c in commands if c.startswith("make")]
    assert commands == ["make browser", "make r", "make test"]
