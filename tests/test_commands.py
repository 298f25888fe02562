"""Every command says what it does, and bad input gives a message and exit 1, never a traceback."""

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from peacetalks.cli import main

COMMANDS = {"export": "SQLite", "docs": "codebook", "stats": "per table", "diff": "primary key", "release": "SHA256SUMS",
            "serve": "Datasette"}


@pytest.mark.parametrize("command", COMMANDS)
def test_help_says_what_it_does(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and COMMANDS[command] in result.output


@pytest.mark.parametrize("args", [["export", "--out", "{out}"], ["docs"], ["docs", "--check"], ["stats"],
                                  ["diff", "{descriptor}"], ["release", "--out", "{out}"]])
def test_garbage_descriptor_is_a_message_not_a_traceback(pkg, tmp_path, args):
    pkg.descriptor.write_bytes(os.urandom(256) + b"\xff")
    argv = [a.format(out=tmp_path / "out", descriptor=pkg.descriptor) for a in args] + [str(pkg.descriptor)]
    result = subprocess.run([sys.executable, "-m", "peacetalks", *argv], capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "datapackage.json" in result.stderr and "not UTF-8" in result.stderr


@pytest.mark.parametrize("args", [["export", "--format", "csv"], ["stats", "--format", "yaml"], ["diff"],
                                  ["docs", "--bogus"]])
def test_usage_errors_exit_2(args):
    assert CliRunner().invoke(main, args).exit_code == 2
