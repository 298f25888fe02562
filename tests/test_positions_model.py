"""The positions model of 0.2.0: propositions and stances, EDTF dates, accounts, linked figures, and the
rules that tie them together. Each rule is fed a broken copy and must report exactly its error."""

from __future__ import annotations

import random

import pytest
from click.testing import CliRunner

from peacetalks.cli import main
from peacetalks.validation.dates import date_precision, date_span

from conftest import JS, MDZ, only

SEASON_ETC = "no such day or month, a season other than 21-24, or an interval that ends before it starts"


# --- propositions and stances ------------------------------------------------------------------------

def test_stance_without_proposition(pkg):
    line = pkg.set_cell("demands", 0, "proposition_id", "")
    only(pkg, f"data/demands.csv:{line} demand_id=mdz25-ukraine-freeze stance: stance 'support' and proposition_id '' "
              "go together: give both or neither (coding manual, section 3.1)")


def test_proposition_without_stance(pkg):
    line = pkg.set_cell("demands", 0, "stance", "")
    only(pkg, f"data/demands.csv:{line} demand_id=mdz25-ukraine-freeze stance: stance '' and proposition_id "
              "'front-line-frozen-in-settlement' go together: give both or neither (coding manual, section 3.1)")


def test_unknown_stance(pkg):
    line = pkg.set_cell("demands", 0, "stance", "neutral")
    only(pkg, f"data/demands.csv:{line} demand_id=mdz25-ukraine-freeze stance: 'neutral' is not one of the allowed "
              "values ['support', 'oppose', 'conditional']")


def test_proposition_of_another_issue(pkg):
    line = pkg.set_cell("demands", 0, "proposition_id", "ukraine-joins-nato")
    only(pkg, f"data/demands.csv:{line} demand_id=mdz25-ukraine-freeze issue_id: 'ceasefire' is not the issue of "
              "proposition 'ukraine-joins-nato' ('nato-membership'); a position takes its proposition's issue")


def test_unknown_proposition(pkg):
    line = pkg.set_cell("demands", 0, "proposition_id", "peace-now")
    only(pkg, f"data/demands.csv:{line} demand_id=mdz25-ukraine-freeze proposition_id: 'peace-now' has no match in "
              "propositions.proposition_id")


def test_recommendation_must_be_assessed_and_hypothetical(pkg):
    for column, value in (("scale_min", ""), ("scale_max", ""), ("scale_basis", "none"),
                          ("scale_note", "A recommendation is not a position of the actor.")):
        pkg.set_cell("demands", 0, column, value)  # placed as the manual places a recommendation (section 12.3)
    line = pkg.set_cell("demands", 0, "kind", "recommendation")
    only(pkg, f"data/demands.csv:{line} demand_id=mdz25-ukraine-freeze kind: a 'recommendation' is the author's or an "
              "analyst's advice, so evidence must be 'assessed' and status 'hypothetical' (found 'reported', 'rejected'; "
              "coding manual, section 3.2)")


def test_a_recommendation_coded_as_the_manual_says_passes(pkg):
    rows = pkg.rows("demands")
    rows[1].update(kind="recommendation")  # js24-putin-no-nato is assessed and hypothetical
    pkg.write_rows("demands", rows)
    assert pkg.problems() == []


def test_id_without_its_source_code(pkg):
    line = pkg.set_cell("demands", 1, "demand_id", "jsx-putin-no-nato")
    only(pkg, f"data/demands.csv:{line} demand_id=jsx-putin-no-nato demand_id: 'jsx-putin-no-nato' does not start with "
              "its source's short code 'js24' followed by '-'; rename the id (ids are stable: only before the row is published)")


def test_region_that_is_not_an_iso_3166_2_code(pkg):
    rows = pkg.rows("propositions")
    line = next(i for i, r in enumerate(rows) if r["regions"]) + 2
    pkg.set_cell("propositions", line - 2, "regions", "UA-14;Donbas")
    proposition = rows[line - 2]["proposition_id"]
    only(pkg, f"data/propositions.csv:{line} proposition_id={proposition} regions: 'UA-14;Donbas' is not a list of ISO "
              "3166-2 region codes (like 'UA-14')")


def test_side_is_required(pkg):
    line = pkg.set_cell("actors", 0, "side", "")
    only(pkg, f"data/actors.csv:{line} actor_id=united-states side: is required but empty")


def test_short_codes_are_unique(pkg):
    line = pkg.set_cell("sources", 1, "short_code", "js24")
    only(pkg, f"data/sources.csv:{line} source_id=foreignpolicy-2025-trump-most-difficult-deal short_code: 'js24' is "
              "already used by source_id=justsecurity-2024-trump-endgame-ukraine; the field's values must be unique")


# --- linked figures ----------------------------------------------------------------------------------

def _restate_tariff(pkg, **cells) -> int:
    row = dict(pkg.rows("figures")[0], figure_id="js24-tariff-cost-eur", unit="EUR", same_amount_as="js24-tariff-cost")
    row.update(cells)
    return pkg.add_row("figures", **row)


def test_restated_amount_in_the_same_source_and_qualifier_passes(pkg):
    _restate_tariff(pkg)
    assert pkg.problems() == []


def test_restated_amount_from_another_source(pkg):
    line = _restate_tariff(pkg, same_amount_as="mdz25-recruits-per-day", figure_id="js24-x", qualifier="range",
                           value="", value_low="1000", value_high="1500", quote="up to 1,000–1,500 new contract soldiers per day",
                           source_id=MDZ)
    problems = pkg.problems()
    assert (f"data/figures.csv:{line} figure_id=js24-x same_amount_as: 'mdz25-recruits-per-day' is in source {MDZ!r}, "
            f"not {MDZ!r}: only a figure of the same source can restate the same amount") not in problems
    assert f"data/figures.csv:{line} figure_id=js24-x figure_id: 'js24-x' does not start with its source's short code " \
           "'mdz25' followed by '-'; rename the id (ids are stable: only before the row is published)" in problems


def test_restated_amount_in_another_source(pkg):
    line = _restate_tariff(pkg, same_amount_as="mdz25-recruits-per-day", qualifier="range", value="",
                           value_low="78000000000", value_high="78000000000")
    only(pkg, f"data/figures.csv:{line} figure_id=js24-tariff-cost-eur same_amount_as: 'mdz25-recruits-per-day' is in source "
              f"{MDZ!r}, not {JS!r}: only a figure of the same source can restate the same amount")


def test_restated_amount_with_another_qualifier(pkg):
    line = _restate_tariff(pkg, qualifier="approximate")
    only(pkg, f"data/figures.csv:{line} figure_id=js24-tariff-cost-eur same_amount_as: 'js24-tariff-cost' has qualifier "
              "'exact', this row 'approximate': one amount in two currencies has one qualifier")


def test_restated_amount_that_is_the_row_itself(pkg):
    line = pkg.set_cell("figures", 0, "same_amount_as", "js24-tariff-cost")
    only(pkg, f"data/figures.csv:{line} figure_id=js24-tariff-cost same_amount_as: 'js24-tariff-cost' is the row itself")


# --- accounts ----------------------------------------------------------------------------------------

def test_account_about_two_things(pkg):
    line = pkg.set_cell("accounts", 0, "event_id", "2025-05-trump-putin-call")
    only(pkg, f"data/accounts.csv:{line} account_id=mdz25-pda program_id: an account is about exactly one thing: fill one "
              "of program_id, proposal_id and event_id (found 'pda', '', '2025-05-trump-putin-call')")


def test_account_status_from_another_vocabulary(pkg):
    line = pkg.set_cell("accounts", 0, "status", "rejected")
    problems = pkg.problems()
    assert (f"data/accounts.csv:{line} account_id=mdz25-pda status: 'rejected' is not a status of the table "
                           "this account's subject is in (aid channels: active, winding_down, paused, ended, pledged, proposed; "
                           "proposals: proposed, under_negotiation, accepted, rejected, superseded, leaked, disputed, "
                           "hypothetical; events have none)") in problems


def test_own_source_account_must_agree_with_the_row(pkg):
    line = pkg.set_cell("accounts", 0, "status", "active")
    only(pkg, f"data/accounts.csv:{line} account_id=mdz25-pda status: 'active' differs from the status of the subject's own "
              "row, which cites this same source; they describe one account and must agree")


def test_accounts_of_a_subject_include_its_own_source(pkg):
    pkg.write_rows("accounts", [dict(account_id="js24-pda", program_id="pda", source_id=JS, status="active",
                                     quote="Weapons shipments to Ukraine")])
    only(pkg, "data/accounts.csv:2 account_id=js24-pda source_id: the row for this subject cites a source with no account "
              "here; add that source's account so the series is complete (coding manual, section 8)")


# --- dates (EDTF) --------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, first, last, precision", [
    ("2025", "2025-01-01", "2025-12-31", "year"),
    ("2025-02", "2025-02-01", "2025-02-28", "month"),
    ("2024-02-29", "2024-02-29", "2024-02-29", "day"),
    ("2024-24", "2024-12-01", "2025-02-28", "season"),
    ("2025-21", "2025-03-01", "2025-05-31", "season"),
    ("2025-02~", "2025-02-01", "2025-02-28", "month approximate"),
    ("2025?", "2025-01-01", "2025-12-31", "year uncertain"),
    ("2025-02/2025-05", "2025-02-01", "2025-05-31", "interval"),
])
def test_edtf_spans(value, first, last, precision):
    span = date_span(value)
    assert (span[0].isoformat(), span[1].isoformat(), date_precision(value)) == (first, last, precision)


@pytest.mark.parametrize("value", ["2025-13", "2025-02-30", "2025-02-29", "2025-25", "2025-05/2025-02", "2025-24~", "25", ""])
def test_edtf_invalid(value):
    assert date_span(value) is None


def test_fast_path_agrees_with_the_edtf_library():
    """The plain ISO shapes are judged without the library; on random inputs the verdicts must be the same."""
    from edtf import parse_edtf

    rng = random.Random(7)
    for _ in range(400):
        value = f"{rng.randint(1990, 2030)}"
        if rng.random() < 0.8:
            value += f"-{rng.randint(0, 24):02d}"  # 25-41 are level-2 seasons: refused by design
            if rng.random() < 0.6:
                value += f"-{rng.randint(0, 32):02d}"
        try:
            parse_edtf(value)
            library = True
        except Exception:  # noqa: BLE001
            library = False
        assert (date_span(value) is not None) == library, value


def test_season_and_interval_dates_pass_the_validator(pkg):
    pkg.set_cell("events", 0, "date", "2024-24")
    pkg.set_cell("demands", 0, "date", "2025-02/2025-05")
    assert pkg.problems() == []


def test_interval_that_runs_backwards(pkg):
    line = pkg.set_cell("events", 0, "date", "2025-05/2025-02")
    only(pkg, f"data/events.csv:{line} event_id=2025-05-trump-putin-call date: '2025-05/2025-02' is not a real date: {SEASON_ETC}")


# --- loading, positions, changes -----------------------------------------------------------------------

def test_every_dated_row_is_placed_with_its_basis(pkg):
    import peacetalks

    pkg.set_cell("demands", 0, "date", "")
    pkg.set_cell("demands", 0, "event_id", "2025-05-trump-putin-call")
    tables = peacetalks.load(pkg.descriptor)
    demands = tables.demands.set_index("demand_id")
    assert list(demands["timeline_basis"]) == ["event", "observed"]
    assert str(demands.at["mdz25-ukraine-freeze", "timeline_first_day"].date()) == "2025-05-01"
    assert str(demands.at["js24-putin-no-nato", "timeline_last_day"].date()) == "2024-12-17"
    assert demands.at["js24-putin-no-nato", "observed_date"] == "2024-12-17"
    assert tables.proposals["timeline_precision"].tolist() == ["year"]


def _positions(pkg, *args):
    return CliRunner().invoke(main, ["positions", str(pkg.descriptor), *args])


def test_positions_by_side(pkg):
    result = _positions(pkg, "--hypothetical")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "front-line-frozen-in-settlement: A settlement freezes the front where it runs, leaving Russia in control of the "
        "territory it occupies for now",
        "  ukraine  support (support 1)",
        "ukraine-joins-nato: Ukraine joins NATO",
        "  russia  oppose (oppose 1)",
    ]


def test_positions_leave_out_what_is_not_a_position(pkg):
    result = _positions(pkg)  # js24-putin-no-nato is hypothetical: an imagined bargain
    assert "ukraine-joins-nato" not in result.output and "front-line-frozen-in-settlement" in result.output


def test_changes_between_sources_list_both_quotes_and_dates_as_written(pkg):
    row = dict(pkg.rows("demands")[0], demand_id="js24-ukraine-freeze-no", stance="oppose", kind="rejection",
               date="", status="open", source_id=JS, proposal_id="", quote="the endgame for the war in Ukraine",
               scale_min="1", scale_max="1")
    pkg.add_row("demands", **row)
    result = _positions(pkg, "--stance-changes", "--by", "actor", "--format", "json")
    assert result.exit_code == 0, result.output
    import json
    [change] = json.loads(result.output)
    assert (change["actor"], change["from_stance"], change["to_stance"]) == ("volodymyr-zelensky", "oppose", "support")
    assert (change["from_ids"], change["to_ids"]) == ("js24-ukraine-freeze-no", "mdz25-ukraine-freeze")
    assert (change["from_when"], change["from_basis"]) == ("2024-12-17", "observed")
    assert (change["to_when"], change["to_basis"]) == ("2025", "date")  # the year as written, not 1 January
    assert change["from_quotes"] == "the endgame for the war in Ukraine"
    assert change["to_quotes"] == "the fighting would be frozen along the current front line"


def test_two_stances_in_one_source_are_not_a_change(pkg):
    row = dict(pkg.rows("demands")[0], demand_id="mdz25-ukraine-freeze-no", stance="oppose", kind="rejection",
               status="open", quote="and now he has had to call again", scale_min="1", scale_max="1")
    pkg.add_row("demands", **row)
    result = _positions(pkg, "--stance-changes", "--by", "actor")
    assert result.output.splitlines() == ["0 changes of stance between sources."]
    table = _positions(pkg, "--by", "actor")
    assert "volodymyr-zelensky  support/oppose (support 1 oppose 1)" in table.output


def test_accepting_one_plan_and_rejecting_another_is_not_a_change(pkg):
    pkg.add_row("proposals", proposal_id="other-plan", name="Another plan", status="proposed", summary="Another.",
                source_id=JS, quote="the endgame for the war in Ukraine")
    for demand_id, stance, proposal, source, quote in [
            ("js24-zelensky-plan", "oppose", "other-plan", JS, "the endgame for the war in Ukraine"),
            ("mdz25-zelensky-plan", "support", "ukrainian-european-ceasefire-proposal", MDZ, "and now he has had to call again")]:
        pkg.add_row("demands", demand_id=demand_id, actor_id="volodymyr-zelensky", issue_id="peace-settlement",
                    proposition_id="named-plan-accepted", stance=stance, kind="demand", text="A plan.", proposal_id=proposal,
                    evidence="reported", status="open", scale_basis="none", scale_note="The issue has no scale.",
                    source_id=source, quote=quote)
    assert pkg.problems() == []
    assert _positions(pkg, "--stance-changes", "--by", "actor").output.splitlines() == ["0 changes of stance between sources."]


def test_two_plans_are_never_rolled_up_together(pkg):
    """named-plan-accepted is one outcome per plan (coding manual, section 2, rule 5): one actor accepting one plan
    and rejecting another in one source is two cells of one stance each, in every output, never 'support/oppose'."""
    import json

    from peacetalks.analysis import positions as model
    from peacetalks.validation.loader import load

    pkg.add_row("proposals", proposal_id="other-plan", name="Another plan", status="proposed", summary="Another.",
                source_id=MDZ, quote="and now he has had to call again")
    for demand_id, stance, proposal in [("mdz25-zelensky-plan-yes", "support", "ukrainian-european-ceasefire-proposal"),
                                        ("mdz25-zelensky-plan-no", "oppose", "other-plan")]:
        pkg.add_row("demands", demand_id=demand_id, actor_id="volodymyr-zelensky", issue_id="peace-settlement",
                    proposition_id="named-plan-accepted", stance=stance, kind="demand", text="A plan.", proposal_id=proposal,
                    evidence="reported", status="open", scale_basis="none", scale_note="The issue has no scale.",
                    source_id=MDZ, quote="and now he has had to call again")
    assert pkg.problems() == []
    text = _positions(pkg, "--by", "actor").output.splitlines()
    assert "named-plan-accepted (other-plan): The named plan is accepted as the basis of a settlement (Another plan)" in text
    assert not any("support/oppose" in line for line in text)
    records = [r for r in json.loads(_positions(pkg, "--by", "actor", "--format", "json").output)
               if r["proposition_id"] == "named-plan-accepted"]
    assert sorted((r["plan"], r["stance"], r["demand_ids"]) for r in records) == [
        ("other-plan", "oppose", "mdz25-zelensky-plan-no"),
        ("ukrainian-european-ceasefire-proposal", "support", "mdz25-zelensky-plan-yes")]
    csv_lines = _positions(pkg, "--by", "side", "--format", "csv").output.splitlines()
    assert sum(line.startswith("ukraine,named-plan-accepted,") for line in csv_lines) == 2
    wide = model.matrix(model.position_rows(load(str(pkg.descriptor))), by="actor")
    assert wide.at["volodymyr-zelensky", "named-plan-accepted (other-plan)"] == "oppose"
    assert wide.at["volodymyr-zelensky", "named-plan-accepted (ukrainian-european-ceasefire-proposal)"] == "support"
    assert "named-plan-accepted" not in wide.columns


def test_positions_by_evidence(pkg):
    result = _positions(pkg, "--hypothetical", "--evidence", "assessed")
    assert "ukraine-joins-nato" in result.output and "front-line-frozen-in-settlement" not in result.output


def test_positions_csv(pkg):
    result = _positions(pkg, "--format", "csv", "--by", "actor")
    lines = result.output.splitlines()
    assert lines[0] == "actor,proposition_id,plan,statement,stance,counts,rows,demand_ids"
    assert lines[1] == ("volodymyr-zelensky,front-line-frozen-in-settlement,,\"A settlement freezes the front where it "
                        "runs, leaving Russia in control of the territory it occupies for now\",support,support 1,1,"
                        "mdz25-ukraine-freeze")
