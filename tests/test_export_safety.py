"""Exports and releases of a stranger's package: names from the descriptor never choose where a file goes,
names SQLite cannot hold apart are a clear error, concurrent exports never share a temporary file, and
nothing outside the output folder changes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import REPO

from peacetalks.cli import main

SLUG_HINT = ("cannot be used in a file name: use letters, digits and single '.', '-' or '_' between them, at most "
             "100 characters (like 'ukraine-peace-talks' or '0.1.0')\n")


@pytest.fixture
def parent(tmp_path):
    """The folder that holds the output folder, with siblings that must not change."""
    folder = tmp_path / "parent"
    (folder / "sibling-dir").mkdir(parents=True)
    (folder / "sibling.txt").write_text("keep me")
    (folder / "sibling-dir" / "evil.zip").write_text("keep me too")
    return folder


def snapshot(folder: Path, out: Path) -> dict:
    """Every file and folder outside `out`, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None
            for p in folder.rglob("*") if out != p and out not in p.parents}


def export(pkg, out, *args):
    return CliRunner().invoke(main, ["export", *args, "--out", str(out), str(pkg.descriptor)])


def rename_field(pkg, table, index, name):
    pkg.edit_json(f"schemas/{table}.json", lambda s: s["fields"][index].update(name=name))
    rows = pkg.rows(table)
    pkg.write_rows(table, [dict(zip(pkg.fields(table), r.values())) for r in rows])


def add_field(pkg, table, name):
    pkg.edit_json(f"schemas/{table}.json", lambda s: s["fields"].append({"name": name, "type": "string"}))
    pkg.write_rows(table, [{**r, name: ""} for r in pkg.rows(table)])


@pytest.mark.parametrize("name", ["../../sibling-dir/evil", "/tmp/evil", "a/b", ".."])
def test_descriptor_name_that_is_not_a_slug_is_refused_by_validation(pkg, parent, name):
    """validate refuses it as export does (one rule, validation/filenames.py), so export stops at validation."""
    pkg.edit_json("datapackage.json", lambda d: d.update(name=name))
    before = snapshot(parent, parent / "out")
    result = export(pkg, parent / "out")
    assert result.exit_code == 1
    assert result.output == (f"peacetalks: the package is not valid (1 problem):\n  datapackage.json name {name!r} "
                             f"{SLUG_HINT}")
    assert snapshot(parent, parent / "out") == before and not (parent / "out").exists()


def test_descriptor_name_with_a_control_character_is_refused_by_validation(pkg, parent):
    pkg.edit_json("datapackage.json", lambda d: d.update(name="x\n"))
    result = export(pkg, parent / "out")
    assert result.exit_code == 1
    assert "datapackage.json name: name 'x\\n' holds the control or invisible character \\n; remove it" in result.output
    assert not (parent / "out").exists()


def test_resource_name_that_is_not_a_slug_is_refused_by_validation(pkg, parent):
    pkg.edit_json("datapackage.json", lambda d: d["resources"].append(dict(d["resources"][-1], name="../figures")))
    result = export(pkg, parent / "out")
    assert result.exit_code == 1 and result.output == (
        "peacetalks: the package is not valid (1 problem):\n  datapackage.json resource '../figures': is not a Data "
        "Package resource name: use only lower-case letters, digits, '.', '_' and '-'\n")
    assert not (parent / "out").exists()


def test_columns_sqlite_takes_for_one(pkg, tmp_path):
    add_field(pkg, "issues", "LABEL")
    result = export(pkg, tmp_path / "out")
    assert (result.exit_code, result.output) == (1, "peacetalks: cannot export the package as it is: SQLite: in table "
                                                    "'issues', the column 'label' and the column 'LABEL' would be one "
                                                    "name. Rename them in the descriptor or the schemas.\n")
    assert not (tmp_path / "out").exists()
    assert export(pkg, tmp_path / "out", "--format", "json").exit_code == 0  # JSON keeps them apart


def test_nul_in_a_column_name(pkg, tmp_path):
    add_field(pkg, "issues", "a\x00b")
    result = export(pkg, tmp_path / "out", "--format", "sqlite")
    # refused by validation now (control characters in schema text), before the SQLite writer's own check
    assert (result.exit_code, result.output) == (1, "peacetalks: the package is not valid (1 problem):\n  "
                                                    "schemas/issues.json fields[3].name: name 'a\\x00b' holds the control "
                                                    "or invisible character \\x00; remove it\n")


def test_table_named_like_a_link_table(pkg, tmp_path):
    pkg.edit_json("datapackage.json", lambda d: d["resources"].append(dict(d["resources"][-1], name="event_participants")))
    result = export(pkg, tmp_path / "out")
    assert (result.exit_code, result.output) == (1, "peacetalks: cannot export the package as it is: SQLite: the "
                                                    "resource 'event_participants' and the link table of "
                                                    "events.participants 'event_participants' would be one name. "
                                                    "Rename them in the descriptor or the schemas.\n")


def test_table_named_like_the_json_metadata(pkg, tmp_path):
    pkg.edit_json("datapackage.json", lambda d: d["resources"].append(dict(d["resources"][-1], name="metadata")))
    result = export(pkg, tmp_path / "out", "--format", "json")
    assert result.exit_code == 1 and "JSON: the table 'metadata' would overwrite the metadata file json/metadata.json" in result.output


def test_field_named_like_a_derived_day_column(pkg, tmp_path):
    add_field(pkg, "events", "date_first_day")
    result = export(pkg, tmp_path / "out")
    assert (result.exit_code, result.output) == (1, "peacetalks: the package is not valid (1 problem):\n  "
                                                    "schemas/events.json field 'date_first_day' has the name of the day "
                                                    "column derived from date; rename it\n")


def test_concurrent_exports_into_one_folder(pkg, tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "peacetalks", "export", "--format", "xlsx", "--out", str(out), str(pkg.descriptor)]
    pkg.write_rows("demands", [])  # less to validate: the point is three processes writing one file at once
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [(run.wait(timeout=120), run.stderr.read()) for run in runs]
    for run in runs:
        run.stdout.close()
        run.stderr.close()
    assert results == [(0, "")] * 3
    assert sorted(os.listdir(out)) == ["ukraine-peace-talks.xlsx"]  # no temporary file left behind
    assert load_workbook(out / "ukraine-peace-talks.xlsx").sheetnames[:3] == ["about", "positions", "codebook"]


def test_temporary_names_are_unique(pkg, tmp_path, monkeypatch):
    import peacetalks.publish.export as exporting

    seen = []
    replace = os.replace
    monkeypatch.setattr(exporting.os, "replace", lambda a, b: (seen.append(Path(a)), replace(a, b)))
    assert export(pkg, tmp_path / "out", "--format", "json").exit_code == 0
    assert len(seen) == len(set(seen)) == len(list((tmp_path / "out" / "json").iterdir()))
    assert all(p.parent == tmp_path / "out" / "json" and p.name.startswith(".") and p.suffix == ".tmp" for p in seen)


# --- symbolic links a package ships, followed by no command -------------------------------------------------

def test_docs_does_not_write_through_a_linked_codebook_or_readme(tmp_path):
    import shutil

    from peacetalks.cli import main as cli

    pkg = tmp_path / "pkg"
    pkg.mkdir()
    for item in ["datapackage.json", "schemas", "data", "corpus", "docs", "README.md", "CHANGELOG.md", "CITATION.cff"]:
        (shutil.copytree if (REPO / item).is_dir() else shutil.copyfile)(REPO / item, pkg / item)
    canary = tmp_path / "canary.txt"
    canary.write_text("SECRET-CANARY\n")
    for linked in ["docs/codebook.md", "README.md", "docs/coding-manual.md"]:
        (pkg / linked).unlink()
        (pkg / linked).symlink_to(canary)
        result = CliRunner().invoke(cli, ["docs", str(pkg / "datapackage.json")])
        assert result.exit_code == 1 and f"{linked} is a symbolic link" in result.output, result.output
        assert canary.read_text() == "SECRET-CANARY\n"
        (pkg / linked).unlink()
        shutil.copyfile(REPO / linked, pkg / linked)


def test_site_does_not_publish_a_linked_readme(tmp_path):
    import shutil

    from peacetalks.cli import main as cli

    pkg = tmp_path / "pkg"
    pkg.mkdir()
    for item in ["datapackage.json", "schemas", "data", "corpus", "docs", "CHANGELOG.md"]:
        (shutil.copytree if (REPO / item).is_dir() else shutil.copyfile)(REPO / item, pkg / item)
    canary = tmp_path / "canary.txt"
    canary.write_text("SECRET-CANARY\n")
    for linked in ["README.md", "CITATION.cff"]:
        (pkg / linked).symlink_to(canary)
    result = CliRunner().invoke(cli, ["site", "--out", str(tmp_path / "site"), str(pkg / "datapackage.json")])
    assert result.exit_code == 0, result.output
    published = "".join(p.read_text(errors="replace") for p in (tmp_path / "site").rglob("*.html"))
    assert "SECRET-CANARY" not in published


@pytest.mark.parametrize("command", ["export", "release"])
def test_a_linked_output_folder_is_refused(tmp_path, command):
    from peacetalks.cli import main as cli

    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "out").symlink_to(outside)
    result = CliRunner().invoke(cli, [command, "--out", str(tmp_path / "out"), str(REPO / "datapackage.json")])
    assert result.exit_code == 2, result.output
    assert f"--out '{tmp_path / 'out'}' is a symbolic link (to {outside}): the link may have come" in result.output
    assert list(outside.iterdir()) == []


def test_docs_writes_nothing_for_a_descriptor_without_a_list_of_tables(tmp_path):
    import json
    import shutil

    from peacetalks.cli import main as cli

    pkg = tmp_path / "pkg"
    pkg.mkdir()
    for item in ["datapackage.json", "schemas", "data", "corpus", "docs", "CHANGELOG.md", "CITATION.cff", "README.md"]:
        (shutil.copytree if (REPO / item).is_dir() else shutil.copyfile)(REPO / item, pkg / item)
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    (pkg / "datapackage.json").write_text(json.dumps({**descriptor, "resources": "x"}))
    before = {p: p.read_bytes() for p in pkg.rglob("*") if p.is_file()}
    result = CliRunner().invoke(cli, ["docs", str(pkg / "datapackage.json")])
    assert result.exit_code == 1
    assert result.output == ("peacetalks: datapackage.json: 'resources' must be a non-empty list of tables (found str); "
                             "nothing was read or written\n")
    assert {p: p.read_bytes() for p in pkg.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("folder", ["json", "parquet", "stata"])
def test_a_linked_format_folder_inside_out_is_refused(tmp_path, folder):
    """Hostile re-test of 2026-12-05 (F1): `exports/json -> elsewhere` shipped with the package, and export
    wrote 14 JSON files through it, outside the package, over a file there."""
    from peacetalks.cli import main as cli

    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "actors.json").write_text("ORIGINAL")
    out = tmp_path / "exports"
    out.mkdir()
    (out / folder).symlink_to(victim)
    result = CliRunner().invoke(cli, ["export", "--out", str(out), str(REPO / "datapackage.json")])
    assert result.exit_code == 2, result.output
    assert f"--out '{out / folder}' is a symbolic link (to {victim}): the link may have come" in result.output
    assert [p.name for p in victim.iterdir()] == ["actors.json"] and (victim / "actors.json").read_text() == "ORIGINAL"
