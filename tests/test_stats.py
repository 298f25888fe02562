"""`peacetalks stats`: the counts of the fixture, as aligned text and as complete JSON."""

import json

from click.testing import CliRunner

from peacetalks.cli import main

JS = "justsecurity-2024-trump-endgame-ukraine"
MDZ = "meduza-2025-peace-postponed"


def stats(*args):
    return CliRunner().invoke(main, ["stats", *map(str, args)])


def test_json_counts(pkg):
    result = stats("--format", "json", pkg.descriptor)
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["rows"] == {"sources": 5, "issues": len(pkg.rows("issues")), "propositions": len(pkg.rows("propositions")),
                              "scales": len(pkg.rows("scales")), "status_quo": len(pkg.rows("status_quo")), "actors": 5, "proposals": 1, "events": 1, "demands": 2, "aid_programs": 1, "figures": 3,
                              "accounts": 1}
    assert report["rows_by_source"][JS] == {"status_quo": 1, "actors": 5, "proposals": 0, "events": 0, "demands": 1,
                                            "aid_programs": 0, "figures": 2, "accounts": 0}
    assert report["rows_by_source"]["foreignpolicy-2026-four-years-of-war"]["figures"] == 0
    assert report["figures_by_unit"] == [{"unit": "USD", "rows": 2}, {"unit": "persons", "rows": 1}]
    assert report["demands_by_issue"] == [{"issue_id": "ceasefire", "rows": 1}, {"issue_id": "nato-membership", "rows": 1}]
    assert report["demands_by_actor_and_issue"][0] == {"actor_id": "vladimir-putin", "issue_id": "nato-membership", "rows": 1}


def test_text_tables_are_aligned(pkg):
    result = stats(pkg.descriptor)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[:4] == ["Rows per table", "table         rows", "------------  ----", "sources          5"]
    matrix = lines[lines.index("Rows per source") + 1:]
    assert matrix[0].split() == ["source", "status_quo", "actors", "proposals", "events", "demands", "aid_programs",
                                 "figures", "accounts", "total"]
    assert matrix[2].split() == [JS, "1", "5", "0", "0", "1", "0", "2", "0", "9"]
    assert "total" in matrix[7] and matrix[7].split()[-1] == str(14 + len(pkg.rows("status_quo")))
    assert len({len(line) for line in matrix[:2]}) == 1  # header and rule line up
    assert "Figures per unit" in lines and "Demands per actor and issue" in lines


def test_long_lists_are_cut_in_text_only(pkg):
    pkg.write_rows("figures", [dict(figure_id=f"js24-f{i}", metric="m", value="78000000000", qualifier="exact",
                                    unit=unit, source_id=JS, quote="the projected $78 billion annual cost")
                               for i, unit in enumerate(["USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "SEK",
                                                         "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "TRY"])])
    assert "Figures per unit (top 15 of 16; all in --format json)" in stats(pkg.descriptor).output
    assert len(json.loads(stats("--format", "json", pkg.descriptor).output)["figures_by_unit"]) == 16


def test_works_on_an_invalid_package(pkg):
    pkg.set_cell("figures", 0, "value", "abc")
    assert stats(pkg.descriptor).exit_code == 0


def test_missing_descriptor_is_a_message(tmp_path):
    result = stats(tmp_path / "nowhere.json")
    assert result.exit_code == 1 and result.output == f"peacetalks: {tmp_path / 'nowhere.json'}: file not found\n"
