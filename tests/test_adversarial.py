"""The findings of the 2026-12 adversarial report (issue 16): each builds the hostile package and expects the
exact refusal. S1 (the network) is tested in test_network.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

JS = "justsecurity-2024-trump-endgame-ukraine"
BOUND = 120  # seconds: a bound on a hang, never a speed test


def cli(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "peacetalks", *args], capture_output=True, text=True, timeout=BOUND,
                          **kwargs)


def named(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


# -- S5: the toolkit, not the package's schemas, decides where each file lives -----------------------------

def test_s5_a_corpus_path_outside_corpus_is_refused_even_without_the_schemas_pattern(pkg):
    pkg.path(".git").mkdir()
    pkg.path(".git/config").write_text("[http]\n\textraheader = AUTHORIZATION: basic SECRET\n")

    def drop_pattern(schema):
        field = next(f for f in schema["fields"] if f["name"] == "corpus_path")
        field.get("constraints", {}).pop("pattern", None)
    pkg.edit_json("schemas/sources.json", drop_pattern)
    line = pkg.set_cell("sources", 0, "corpus_path", ".git/config")
    problems = pkg.problems()
    assert (f"data/sources.csv:{line} source_id={JS} corpus_path: '.git/config' names a hidden file or folder (a name "
            "starting with '.'); the package's files are never hidden; it was not read") in problems
    assert not any("SECRET" in p or "AUTHORIZATION" in p for p in problems)


def test_s5_a_corpus_path_in_another_folder_of_the_package_is_refused(pkg):
    line = pkg.set_cell("sources", 0, "corpus_path", "schemas/actors.json")
    assert (f"data/sources.csv:{line} source_id={JS} corpus_path: 'schemas/actors.json' is not in corpus/; peacetalks "
            "reads such a file only from there: move it and write its path from the package root; it was not read"
            ) in pkg.problems()


@pytest.mark.parametrize("key,path,expected", [
    ("path", "corpus/actors.csv", "path 'corpus/actors.csv' is not in data/; peacetalks reads such a file only from "
                                  "there: move it and write its path from the package root; it was not read"),
    ("path", "data/.env", "path 'data/.env' names a hidden file or folder (a name starting with '.'); the package's "
                          "files are never hidden; it was not read"),
    ("path", "data/actors.csv/", "path 'data/actors.csv/' ends with '/'; it must name a file, not a folder; it was not read"),
    ("schema", "data/actors.json", "schema 'data/actors.json' is not in schemas/; peacetalks reads such a file only "
                                   "from there: move it and write its path from the package root"),
])
def test_s5_resource_and_schema_paths_stay_in_their_folders(pkg, key, path, expected):
    pkg.edit_json("datapackage.json", lambda d: named(d, "actors").update({key: path}))
    assert f"datapackage.json resource 'actors': {expected}" in pkg.problems()


def test_s5_a_link_out_of_the_folder_is_refused(pkg):
    pkg.path("data/actors.csv").rename(pkg.path("corpus/actors.csv"))
    pkg.path("data/actors.csv").symlink_to("../corpus/actors.csv")
    assert ("datapackage.json resource 'actors': path 'data/actors.csv' leads out of data/ through a symbolic link; "
            "such a file is read only there; it was not read") in pkg.problems()


# -- S6: the descriptor itself ------------------------------------------------------------------------------

def test_s6_a_descriptor_that_is_a_link_is_refused_unread(pkg, tmp_path):
    secret = tmp_path / "creds.json"
    secret.write_text(json.dumps({"name": "CANARY-TOKEN", "resources": [{"name": "CANARY-TOKEN-res"}]}))
    pkg.descriptor.unlink()
    pkg.descriptor.symlink_to(secret)
    result = cli("validate", str(pkg.descriptor))
    assert result.returncode == 1 and "CANARY" not in result.stdout + result.stderr
    assert result.stdout == (f"{pkg.descriptor} is a symbolic link; the descriptor is read only as a regular file, "
                             "never through a link: replace the link with the file\n1 problem found.\n")


def test_s6_a_descriptor_that_is_a_fifo_is_refused_at_once(pkg):
    pkg.descriptor.unlink()
    import os
    os.mkfifo(pkg.descriptor)
    result = cli("validate", str(pkg.descriptor))
    assert result.stdout == ("datapackage.json is not a regular file (a FIFO, device or socket); only regular files "
                             "are read\n1 problem found.\n")
