"""`peacetalks diff`: rows added, removed and changed by primary key, with the changed columns."""

import json

from click.testing import CliRunner
from conftest import build_package

from peacetalks.cli import main


def diff(*args):
    return CliRunner().invoke(main, ["diff", *map(str, args)])


def two_versions(tmp_path):
    old, new = build_package(tmp_path / "old"), build_package(tmp_path / "new")
    new.set_cell("actors", 1, "name", "Ukraine (state)")
    new.set_cell("actors", 1, "country", "")
    new.add_row("actors", actor_id="russia", name="Russia", actor_type="state", country="RUS",
                source_id="justsecurity-2024-trump-endgame-ukraine", quote="Vladimir Putin")
    new.write_rows("figures", new.rows("figures")[1:])
    return old, new


def test_json_lists_each_change(tmp_path):
    old, new = two_versions(tmp_path)
    result = diff("--format", "json", old.descriptor, new.descriptor)
    assert result.exit_code == 0
    tables = json.loads(result.output)["tables"]
    assert tables["actors"]["added"] == ["russia"] and tables["actors"]["removed"] == []
    assert tables["actors"]["changed"] == [{"key": "ukraine", "columns": {
        "name": {"old": "Ukraine", "new": "Ukraine (state)"}, "country": {"old": "UKR", "new": ""}}}]
    assert tables["figures"]["removed"] == ["js24-tariff-cost"] and tables["figures"]["changed"] == []
    assert tables["events"] == {"key": ["event_id"], "columns_added": [], "columns_removed": [], "added": [],
                                "removed": [], "changed": [], "status": "kept"}


def test_text_summary(tmp_path):
    old, new = two_versions(tmp_path)
    result = diff(old.descriptor, new.descriptor)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    start = lines.index("actors: 1 added, 0 removed, 1 changed")
    assert lines[start + 1:start + 5] == ["  + russia", "  ~ ukraine: name, country",
                                          "      name: 'Ukraine' → 'Ukraine (state)'", "      country: 'UKR' → ''"]
    assert "figures: 0 added, 1 removed, 0 changed" in lines and "  - js24-tariff-cost" in lines
    assert "events: no changes" in lines and lines[-1] == "2 tables changed."


def test_identical_versions(pkg):
    result = diff(pkg.root, pkg.descriptor)
    assert result.exit_code == 0 and result.output.splitlines()[-1] == "No differences."


def test_added_and_removed_tables_and_columns(tmp_path):
    old, new = build_package(tmp_path / "old"), build_package(tmp_path / "new")
    new.edit_json("datapackage.json", lambda d: d.update(resources=[r for r in d["resources"] if r["name"] != "events"]))
    new.edit_json("schemas/issues.json", lambda s: s["fields"].append({"name": "note", "type": "string"}))
    rows = new.rows("issues")
    new.write_rows("issues", [dict(r, note="") for r in rows])
    tables = json.loads(diff("--format", "json", old.descriptor, new.descriptor).output)["tables"]
    assert tables["events"]["status"] == "removed" and tables["events"]["removed"] == ["2025-05-trump-putin-call"]
    assert tables["issues"]["columns_added"] == ["note"] and tables["issues"]["changed"] == []
    assert "events (table removed): 0 added, 1 removed, 0 changed" in diff(old.descriptor, new.descriptor).output


def test_unreadable_version_exits_1_with_a_message(pkg, tmp_path):
    result = diff(pkg.descriptor, tmp_path / "missing")
    assert result.exit_code == 1
    assert result.output == f"peacetalks: cannot read the new version ({tmp_path / 'missing'}): {tmp_path / 'missing'}: file not found\n"
    pkg.path("data/actors.csv").write_text("")
    result = diff(pkg.descriptor, pkg.descriptor)
    assert result.exit_code == 1 and "data/actors.csv is empty" in result.output


def test_usage_error_exits_2(pkg):
    assert diff(pkg.descriptor).exit_code == 2


def test_text_shortens_long_values_and_escapes_control_characters(tmp_path):
    old, new = build_package(tmp_path / "old"), build_package(tmp_path / "new")
    new.set_cell("actors", 1, "quote", "x" * 100)
    new.set_cell("actors", 2, "role", "line one\nline two")
    lines = diff(old.descriptor, new.descriptor).output.splitlines()
    assert f"      quote: 'the endgame for the war in Ukraine' → '{'x' * 79}…'" in lines
    assert "      role: '47th president of the United States' → 'line one\\nline two'" in lines


def test_json_escapes_unprintable_characters_and_reads_back_the_same(tmp_path):
    """Hostile re-test of 2026-12-05 (F10): --format json printed a bidi override, U+2028 and U+200B raw."""
    old, new = build_package(tmp_path / "old"), build_package(tmp_path / "new")
    value = "a\u202eb\u2028c\u200bd\x85e"
    new.set_cell("actors", 2, "role", value)
    output = diff("--format", "json", old.descriptor, new.descriptor).output
    assert not set("\u202e\u2028\u200b\x85") & set(output)
    assert "a\\u202eb\\u2028c\\u200bd\\u0085e" in output
    assert value in json.dumps(json.loads(output), ensure_ascii=False)  # the same text, read back


def test_keys_of_added_and_removed_rows_cannot_forge_a_line(tmp_path):
    """Hostile re-test of 2026-12-05: a key of an added or removed row was printed raw, so a newline in it
    forged a line of the report ('No differences.'), and a right-to-left override reordered one."""
    old, new = build_package(tmp_path / "old"), build_package(tmp_path / "new")
    new.set_cell("actors", 1, "actor_id", "ukraine\nNo differences.\u202e")
    output = diff(old.descriptor, new.descriptor).output
    assert "  + ukraine\\nNo differences.\\u202e" in output.splitlines()
    assert "No differences." not in output.splitlines() and "\u202e" not in output
