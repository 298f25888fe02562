"""Issue scales, placement of positions, voice and supersedes: each dataset rule fed a broken copy of the
small package (conftest), with the exact message it must give; and the real data placed by the rule."""

from __future__ import annotations

import csv

from conftest import REPO, only
from peacetalks.checks.scales import derivable, derived_interval, not_derivable


def _index(pkg, table, key, value):
    return next(i for i, row in enumerate(pkg.rows(table)) if row[key] == value)


def test_the_small_package_is_valid(pkg):
    assert pkg.problems() == []


def test_orders_of_an_issue_never_repeat(pkg):
    pkg.set_cell("scales", _index(pkg, "scales", "scale_point_id", "ceasefire-1"), "order", "0")
    message = ("order: the points of issue 'ceasefire' have orders [0, 0]; a scale has orders 0..n without gaps or "
               "repeats, and at least two points")
    assert pkg.problems() == [f"data/scales.csv:18 scale_point_id=ceasefire-0 {message}",
                              f"data/scales.csv:19 scale_point_id=ceasefire-1 {message}"]


def test_a_scale_needs_two_points_without_gaps(pkg):
    pkg.write_rows("scales", [r for r in pkg.rows("scales") if r["scale_point_id"] != "ceasefire-1"])
    only(pkg, "data/scales.csv:18 scale_point_id=ceasefire-0 order: the points of issue 'ceasefire' have orders [0]; a scale "
              "has orders 0..n without gaps or repeats, and at least two points")


def test_scale_push_given_exactly_on_scaled_issues(pkg):
    line = pkg.set_cell("propositions", _index(pkg, "propositions", "proposition_id", "ukraine-joins-nato"), "scale_push", "")
    only(pkg, f"data/propositions.csv:{line} proposition_id=ukraine-joins-nato scale_push: issue 'nato-membership' has a "
              "scale, so scale_push must be 'up' or 'down' (coding manual, section 12.2)")


def test_no_scale_push_on_an_unscaled_issue(pkg):
    line = pkg.set_cell("propositions", _index(pkg, "propositions", "proposition_id", "war-ended-soon"), "scale_push", "up")
    only(pkg, f"data/propositions.csv:{line} proposition_id=war-ended-soon scale_push: issue 'peace-settlement' has no "
              "scale, so scale_push must be empty (found 'up')")


def test_every_proposition_of_a_scaled_issue_at_exactly_one_point(pkg):
    pkg.set_cell("scales", _index(pkg, "scales", "scale_point_id", "nato-membership-1"), "propositions", "ukraine-joins-nato")
    line = _index(pkg, "propositions", "proposition_id", "ukraine-joins-nato") + 2
    only(pkg, f"data/propositions.csv:{line} proposition_id=ukraine-joins-nato proposition_id: 'ukraine-joins-nato' is on "
              "the scaled issue 'nato-membership' but listed at 2 points of scales.propositions; list it at exactly one point")


def test_an_unplaced_proposition_fails(pkg):
    pkg.set_cell("scales", _index(pkg, "scales", "scale_point_id", "eu-membership-0"), "propositions", "")
    line = _index(pkg, "propositions", "proposition_id", "ukraine-joins-eu") + 2
    only(pkg, f"data/propositions.csv:{line} proposition_id=ukraine-joins-eu proposition_id: 'ukraine-joins-eu' is on the "
              "scaled issue 'eu-membership' but listed at 0 points of scales.propositions; list it at exactly one point")


def test_a_point_lists_only_its_own_issues_propositions(pkg):
    pkg.set_cell("scales", _index(pkg, "scales", "scale_point_id", "nato-membership-1"), "propositions", "war-ended-soon")
    line = _index(pkg, "propositions", "proposition_id", "war-ended-soon") + 2
    only(pkg, f"data/propositions.csv:{line} proposition_id=war-ended-soon proposition_id: 'war-ended-soon' is listed at a "
              "point of issue 'nato-membership', but its issue is 'peace-settlement'; list it on its own issue's scale")


def test_an_unplaced_row_fails(pkg):
    line = pkg.set_cell("demands", 0, "scale_basis", "")
    only(pkg, f"data/demands.csv:{line} demand_id=mdz25-ukraine-freeze scale_basis: is required but empty")


def test_a_derived_placement_is_recomputed(pkg):
    line = pkg.set_cell("demands", 0, "scale_max", "1")
    only(pkg, f"data/demands.csv:{line} demand_id=mdz25-ukraine-freeze scale_min: scale_min..scale_max is 0..1, but stance "
              "'support' on 'front-line-frozen-in-settlement' (point 0, push down) derives 0..0 (coding manual, section 12.3)")


def test_oppose_is_the_near_side(pkg):
    pkg.set_cell("demands", 0, "stance", "oppose")
    pkg.set_cell("demands", 0, "scale_min", "1")
    pkg.set_cell("demands", 0, "scale_max", "1")
    assert pkg.problems() == []


def test_a_coded_placement_lies_inside_the_derived_one(pkg):
    pkg.set_cell("demands", 0, "stance", "oppose")
    pkg.set_cell("demands", 0, "scale_basis", "coded")
    line = pkg.set_cell("demands", 0, "scale_note", "The quote names the point.")
    only(pkg, f"data/demands.csv:{line} demand_id=mdz25-ukraine-freeze scale_min: coded placement 0..0 lies outside the "
              "derived 1..1: a coded placement may only narrow the derived one (coding manual, section 12.3)")


def test_coded_needs_a_note(pkg):
    line = pkg.set_cell("demands", 0, "scale_basis", "coded")
    only(pkg, f"data/demands.csv:{line} demand_id=mdz25-ukraine-freeze scale_note: scale_basis 'coded' needs scale_note: "
              "the reason in one sentence (coding manual, section 12.3)")


def test_none_places_nothing(pkg):
    pkg.set_cell("demands", 1, "scale_min", "1")
    line = pkg.set_cell("demands", 1, "scale_max", "2")
    only(pkg, f"data/demands.csv:{line} demand_id=js24-putin-no-nato scale_basis: scale_basis 'none' places nothing: empty "
              "scale_min and scale_max (found '1', '2')")


def test_scale_min_not_above_scale_max(pkg):
    line = pkg.set_cell("demands", 0, "scale_min", "1")
    assert (f"data/demands.csv:{line} demand_id=mdz25-ukraine-freeze scale_min: scale_min '1' is above scale_max '0'"
            in pkg.problems())


def test_placement_within_the_scale(pkg):
    pkg.set_cell("demands", 0, "scale_basis", "coded")
    pkg.set_cell("demands", 0, "scale_note", "The quote names the point.")
    line = pkg.set_cell("demands", 0, "scale_max", "5")
    assert (f"data/demands.csv:{line} demand_id=mdz25-ukraine-freeze scale_max: scale_max '5' is beyond the top of the "
            "scale of 'ceasefire' ('1')" in pkg.problems())


def test_derived_only_where_the_rule_applies(pkg):
    for column, value in (("scale_basis", "derived"), ("scale_note", ""), ("scale_min", "1"), ("scale_max", "2")):
        line = pkg.set_cell("demands", 1, column, value)
    only(pkg, f"data/demands.csv:{line} demand_id=js24-putin-no-nato scale_basis: scale_basis 'derived', but a hypothetical "
              "row is a bargain an author imagines, not a position held: make it 'none' with that reason in scale_note, or "
              "'coded' by the manual (section 12.3)")


def test_an_unscaled_issue_is_none(pkg):
    row = dict(pkg.rows("demands")[0], demand_id="mdz25-ukraine-war-end", issue_id="peace-settlement", proposition_id="war-ended-soon")
    line = pkg.add_row("demands", **row)
    only(pkg, f"data/demands.csv:{line} demand_id=mdz25-ukraine-war-end scale_basis: issue 'peace-settlement' has no scale, "
              "so scale_basis must be 'none' (found 'derived'; coding manual, section 12.1)")


def test_actor_voice_is_required(pkg):
    only(pkg, f"data/actors.csv:{pkg.set_cell('actors', 0, 'voice', '')} actor_id=united-states voice: is required but empty")


def test_a_row_voice_needs_its_note(pkg):
    line = pkg.set_cell("demands", 0, "voice", "plan-text")
    only(pkg, f"data/demands.csv:{line} demand_id=mdz25-ukraine-freeze voice_note: voice 'plan-text' is given without "
              "voice_note: say why the row's voice differs from its actor's, citing the quote (coding manual, section 13)")


def test_a_voice_note_needs_a_voice(pkg):
    line = pkg.set_cell("demands", 0, "voice_note", "Because.")
    only(pkg, f"data/demands.csv:{line} demand_id=mdz25-ukraine-freeze voice_note: voice_note is given but voice is empty: "
              "give the row's voice, or drop the note")


def test_supersedes_not_itself(pkg):
    line = pkg.set_cell("demands", 0, "supersedes", "mdz25-ukraine-freeze")
    only(pkg, f"data/demands.csv:{line} demand_id=mdz25-ukraine-freeze supersedes: 'mdz25-ukraine-freeze' is the row itself")


def test_supersedes_same_actor_issue_and_source(pkg):
    line = pkg.set_cell("demands", 0, "supersedes", "js24-putin-no-nato")
    start = f"data/demands.csv:{line} demand_id=mdz25-ukraine-freeze supersedes: 'js24-putin-no-nato' has "
    end = ": a row supersedes only an earlier row of the same actor, issue and source (coding manual, section 12.5)"
    assert pkg.problems() == [start + "actor_id 'vladimir-putin', this row 'volodymyr-zelensky'" + end,
                              start + "issue_id 'nato-membership', this row 'ceasefire'" + end,
                              start + "source_id 'justsecurity-2024-trump-endgame-ukraine', this row 'meduza-2025-peace-postponed'" + end]


def test_supersedes_without_cycles(pkg):
    row = dict(pkg.rows("demands")[0], demand_id="mdz25-ukraine-freeze-again", kind="offer", supersedes="mdz25-ukraine-freeze")
    added = pkg.add_row("demands", **row)
    pkg.set_cell("demands", 0, "supersedes", "mdz25-ukraine-freeze-again")
    tail = "leads back to this row through supersedes; the chain must end at the earliest row"
    assert pkg.problems() == [
        f"data/demands.csv:2 demand_id=mdz25-ukraine-freeze supersedes: 'mdz25-ukraine-freeze-again' {tail}",
        f"data/demands.csv:{added} demand_id=mdz25-ukraine-freeze-again supersedes: 'mdz25-ukraine-freeze' {tail}"]


def test_status_quo_on_the_scale(pkg):
    line = pkg.set_cell("status_quo", 0, "order", "7")
    only(pkg, f"data/status_quo.csv:{line} status_quo_id=js24-long-range-strikes order: order '7' is beyond the top of the "
              "scale of 'long-range-strikes' ('1')")


def test_status_quo_only_on_a_scaled_issue(pkg):
    line = pkg.set_cell("status_quo", 0, "issue_id", "peace-settlement")
    only(pkg, f"data/status_quo.csv:{line} status_quo_id=js24-long-range-strikes order: issue 'peace-settlement' has no "
              "scale; a status quo is placed only on a scaled issue")


def test_status_quo_id_carries_its_source_code(pkg):
    line = pkg.set_cell("status_quo", 0, "status_quo_id", "fp26-long-range-strikes")
    only(pkg, f"data/status_quo.csv:{line} status_quo_id=fp26-long-range-strikes status_quo_id: 'fp26-long-range-strikes' "
              "does not start with its source's short code 'js24' followed by '-'; rename the id (ids are stable: only "
              "before the row is published)")


def test_status_quo_quote_is_checked(pkg):
    line = pkg.set_cell("status_quo", 0, "quote", "Biden has never relented")
    assert any(p.startswith(f"data/status_quo.csv:{line} status_quo_id=js24-long-range-strikes quote:") for p in pkg.problems())


def test_the_derivation():
    assert derived_interval("support", 3, "up", 6) == (3, 3)
    assert derived_interval("oppose", 6, "up", 6) == (0, 5)
    assert derived_interval("oppose", 0, "down", 2) == (1, 2)
    assert derived_interval("conditional", 0, "down", 2) is None
    assert not_derivable(dict(issue_id="territory", proposition_id="x", kind="leverage", status="open", stance="oppose"),
                         True) == "a 'leverage' row is not a position of the actor"


def test_every_real_row_is_placed_and_every_derivable_row_derived():
    """The real table: every row has a basis; every row the rule can place is placed by it or coded inside it."""
    with open(REPO / "data" / "demands.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert all(row["scale_basis"] in ("derived", "coded", "none") for row in rows)
    with open(REPO / "data" / "scales.csv", newline="", encoding="utf-8") as fh:
        scaled = {row["issue_id"] for row in csv.DictReader(fh)}
    for row in rows:
        if not_derivable(row, row["issue_id"] in scaled) is None:
            assert row["scale_basis"] in ("derived", "coded"), row["demand_id"]
        elif row["scale_basis"] == "none":
            assert row["scale_note"], row["demand_id"]


def test_the_whole_table_rule_agrees_with_the_row_rule():
    """`derivable` (every row at once, for speed) says what `not_derivable` says row by row, on every kind of
    row: each value of each column it reads, missing cells too."""
    import itertools

    import pandas as pd
    values = {"issue_scale_top": [6, None], "proposition_id": ["p", "", None], "kind": ["demand", "leverage", None],
              "status": ["open", "hypothetical", None], "stance": ["support", "oppose", "conditional", None]}
    rows = [dict(zip(values, combo)) for combo in itertools.product(*values.values())]
    df = pd.DataFrame(rows).astype({"proposition_id": "string", "kind": "string", "status": "string", "stance": "string"})
    df["issue_id"] = "territory"
    expected = [not_derivable({**row, "issue_id": "territory"}, row["issue_scale_top"] is not None) is None for row in rows]
    assert derivable(df).tolist() == expected
    assert sum(expected) == 4  # support or oppose, on a scaled issue, with a proposition, not hypothetical (open or empty)


# --- analysis: movement along scales, distance, voices --------------------------------------------------------

def _cli(pkg, *args):
    from click.testing import CliRunner

    from peacetalks.cli import main
    result = CliRunner().invoke(main, ["positions", str(pkg.descriptor), *args])
    assert result.exit_code == 0, result.output
    return result.output


def _add_position(pkg, demand_id, actor, issue, proposition, stance, low, high, source, quote, **more):
    cells = dict(demand_id=demand_id, actor_id=actor, issue_id=issue, proposition_id=proposition, stance=stance,
                 kind="demand", text="A position.", evidence="reported", status="open", scale_min=str(low),
                 scale_max=str(high), scale_basis="derived", source_id=source, quote=quote)
    cells.update(more)
    return pkg.add_row("demands", **cells)


def _two_sides_on_nato(pkg):
    from conftest import JS, MDZ
    _add_position(pkg, "js24-zelensky-nato", "volodymyr-zelensky", "nato-membership", "ukraine-joins-nato", "support",
                  0, 0, JS, "the endgame for the war in Ukraine")
    _add_position(pkg, "js24-putin-nato-out", "vladimir-putin", "nato-membership", "ukraine-joins-nato", "oppose",
                  1, 2, JS, "No NATO for Ukraine", kind="rejection")
    _add_position(pkg, "mdz25-putin-nato", "vladimir-putin", "nato-membership", "ukraine-joins-nato", "support",
                  0, 0, MDZ, "and now he has had to call again", kind="offer")
    assert pkg.problems() == []


def test_changes_are_movements_along_the_scale_with_rows_dates_and_quotes(pkg):
    import json
    _two_sides_on_nato(pkg)
    [change] = json.loads(_cli(pkg, "--changes", "--by", "actor", "--format", "json"))
    assert (change["actor"], change["issue_id"], change["from_place"], change["to_place"]) == (
        "vladimir-putin", "nato-membership", "1-2", "0")
    assert (change["direction"], change["size"], change["same_source"]) == ("toward Ukraine", "at least 1", False)
    assert (change["from_ids"], change["to_ids"]) == ("js24-putin-nato-out", "mdz25-putin-nato")
    assert (change["from_when"], change["from_basis"], change["to_basis"]) == ("2024-12-17", "observed", "observed")
    assert (change["from_quotes"], change["to_quotes"]) == ("No NATO for Ukraine", "and now he has had to call again")
    text = _cli(pkg, "--changes", "--by", "actor").splitlines()
    assert text[0] == "vladimir-putin on nato-membership: 1-2 -> 0, toward Ukraine (at least 1)"
    assert text[-1] == "1 movement along an issue's scale (0 = Ukraine's end)."


def test_a_change_between_unlike_voices_is_never_a_change(pkg):
    _two_sides_on_nato(pkg)
    rows = pkg.rows("demands")
    later = next(i for i, r in enumerate(rows) if r["demand_id"] == "mdz25-putin-nato")
    pkg.set_cell("demands", later, "voice", "think-tank")
    pkg.set_cell("demands", later, "voice_note", "An article he wrote.")
    assert pkg.problems() == []
    assert _cli(pkg, "--changes", "--by", "actor").splitlines() == ["0 movements along an issue's scale (0 = Ukraine's end)."]
    assert _cli(pkg, "--changes").splitlines() == ["0 movements along an issue's scale (0 = Ukraine's end)."]


def test_two_stances_ordered_by_one_source_count_as_a_change(pkg):
    from conftest import JS
    _add_position(pkg, "js24-putin-nato-never", "vladimir-putin", "nato-membership", "ukraine-joins-nato", "oppose",
                  2, 2, JS, "No NATO for Ukraine", kind="rejection", scale_basis="coded",
                  scale_note="'No NATO' read as never.")
    _add_position(pkg, "js24-putin-nato-yes", "vladimir-putin", "nato-membership", "ukraine-joins-nato", "support",
                  0, 0, JS, "the endgame for the war in Ukraine", kind="offer", supersedes="js24-putin-nato-never")
    assert pkg.problems() == []
    lines = _cli(pkg, "--changes", "--by", "actor").splitlines()
    assert lines[0] == "vladimir-putin on nato-membership: 2 -> 0, toward Ukraine (2, ordered by one source)"
    assert lines[1] == "  2024-12-17 (observed, js24) js24-putin-nato-never:"
    assert lines[3] == "  2024-12-17 (observed, js24) js24-putin-nato-yes:"


def test_distance_per_issue_and_observation(pkg):
    import csv as csvmodule
    import io
    import json

    from peacetalks import load, positions
    _two_sides_on_nato(pkg)
    table = positions.distance(load(str(pkg.descriptor)))
    nato = table[table["issue_id"] == "nato-membership"]
    assert list(zip(nato["when"], nato["side_a"], nato["place_a"], nato["side_b"], nato["place_b"], nato["gap"])) == [
        ("2024-12-17", "russia", "1-2", "ukraine", "0", "1-2"), ("2025-05", "russia", "0", "ukraine", "0", "0")]
    assert list(nato["ids_a"]) == ["js24-putin-nato-out", "mdz25-putin-nato"]
    text = _cli(pkg, "--distance").splitlines()
    assert "  2024-12-17 (observed): russia 1-2 [js24-putin-nato-out] vs ukraine 0 [js24-zelensky-nato]: gap 1-2" in text
    assert json.loads(_cli(pkg, "--distance", "--format", "json"))[0]["gap_max"] == 2
    assert next(csvmodule.DictReader(io.StringIO(_cli(pkg, "--distance", "--format", "csv"))))["gap"] == "1-2"


def test_a_side_is_its_official_voice_and_the_rest_stand_beside_it(pkg):
    from conftest import JS
    _add_position(pkg, "js24-zelensky-nato", "volodymyr-zelensky", "nato-membership", "ukraine-joins-nato", "support",
                  0, 0, JS, "the endgame for the war in Ukraine")
    _add_position(pkg, "js24-trump-nato-out", "donald-trump", "nato-membership", "ukraine-joins-nato", "oppose",
                  1, 2, JS, "No NATO for Ukraine", voice="think-tank", voice_note="A paper, as the quote says.")
    assert pkg.problems() == []
    lines = _cli(pkg, "--hypothetical").splitlines()
    assert "  united-states (think-tank)  oppose (oppose 1)" in lines
    merged = _cli(pkg, "--hypothetical", "--all-voices").splitlines()
    assert "  united-states  oppose (oppose 1)" in merged
    assert "united-states" not in _cli(pkg, "--distance")  # the think-tank is no official voice
    assert "united-states (think-tank) 1-2" in _cli(pkg, "--distance", "--all-voices")


def test_load_adds_the_effective_voice(pkg):
    from peacetalks import load
    demands = load(str(pkg.descriptor)).demands.set_index("demand_id")
    assert demands.at["mdz25-ukraine-freeze", "voice_effective"] == "head"
    assert bool(demands.at["mdz25-ukraine-freeze", "official_voice"]) is True


def test_the_canned_distance_query_on_the_sqlite_export(pkg, tmp_path):
    import sqlite3

    from peacetalks.publish.datasette import DISTANCE_SQL
    from peacetalks.publish.export import export
    _two_sides_on_nato(pkg)
    [database] = [w.path for w in export(pkg.descriptor, ["sqlite"], tmp_path / "out") if str(w.path).endswith(".sqlite")]
    with sqlite3.connect(database) as connection:
        connection.row_factory = sqlite3.Row
        rows = [dict(r) for r in connection.execute(DISTANCE_SQL, {"issue": "nato-membership"})]
        assert connection.execute(DISTANCE_SQL, {"issue": ""}).fetchall() == []  # the default, territory: no rows here
    assert [(r["source_id"], r["side_a"], r["low_a"], r["high_a"], r["side_b"], r["low_b"], r["gap_min"], r["gap_max"],
             r["rows_a"]) for r in rows] == [
        ("justsecurity-2024-trump-endgame-ukraine", "russia", 1, 2, "ukraine", 0, 1, 2, "js24-putin-nato-out")]
    # Meduza places only Russia: the query compares sides one source places (--distance carries places forward).


def test_the_how_far_apart_example_answers_its_three_questions():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "how_far_apart.py"], cwd=REPO / "examples", capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    sections = done.stdout.split("\n## ")[1:]
    assert [s.split("\n")[0][:2] for s in sections] == ["1.", "2.", "3."]
    for section in sections:  # every question answered from the tables, not an empty frame
        assert len([line for line in section.split("\n")[1:] if line.strip()]) >= 2, section[:200]
    assert "territory (0-6): " in sections[0] and "nato-membership (0-2): " in sections[0]
    # the U.S. official voice: Biden's prohibition, then his relenting, as the one source orders them
    assert "long-range-strikes: 1 -> 0, toward Ukraine (1)" in sections[1]
    assert "js24-biden-strike-prohibition" in sections[1] and "js24-biden-allows-strikes" in sections[1]
    assert "js24-biden-allows-strikes" not in sections[2] and sections[2].splitlines()[-1].startswith("widest: ")
