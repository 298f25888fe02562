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


# -- every command a reader is told about exists --------------------------------------------------------------

import re
from pathlib import Path

from conftest import REPO

NAMED_COMMAND = re.compile(r"(?:`|^\s*(?:\.venv/bin/)?)peacetalks ([a-z][a-z-]*)", re.MULTILINE)
NAMED_TARGET = re.compile(r"(?:`|^\s*)make ([a-z][a-z-]*)", re.MULTILINE)


def make_targets(makefile: str) -> set[str]:
    return set(re.findall(r"^([a-z][a-z-]*):", makefile, re.MULTILINE))


def help_texts() -> str:
    texts = [CliRunner().invoke(main, ["--help"]).output]
    texts += [CliRunner().invoke(main, [name, "--help"]).output for name in main.commands]
    return "\n".join(texts)


@pytest.mark.parametrize("document", ["README.md", "docs/validator.md", "docs/coding-manual.md", "CHANGELOG.md#unreleased"])
def test_every_command_a_document_names_exists(document):
    text = (REPO / document.split("#")[0]).read_text(encoding="utf-8")
    if document.endswith("#unreleased"):  # older entries name what existed then
        text = text.split("\n## [", 1)[0]
    commands, targets = set(NAMED_COMMAND.findall(text)), set(NAMED_TARGET.findall(text))
    assert commands - set(main.commands) == set(), f"{document} names commands that do not exist"
    assert targets - make_targets((REPO / "Makefile").read_text()) == set(), f"{document} names make targets that do not exist"


def test_every_command_the_help_names_exists():
    text = help_texts()
    assert set(NAMED_COMMAND.findall(text)) - set(main.commands) == set()
    assert set(NAMED_TARGET.findall(text)) - make_targets((REPO / "Makefile").read_text()) == set()
    first = CliRunner().invoke(main, ["--help"]).output.split("Options:")[0]
    assert "load" not in set(re.findall(r"[a-z]+", first.split("In Python")[0]))  # load() is Python, not a command


def test_the_patterns_find_what_they_look_for():
    assert NAMED_COMMAND.findall("run `peacetalks positions --changes`\n  .venv/bin/peacetalks bogus x") == ["positions", "bogus"]
    assert NAMED_TARGET.findall("`make release-public` then\nmake bogus") == ["release-public", "bogus"]
