"""Rules settled at adjudication that apply to every row they govern (issue "Answers that hold up"): each is fed a
broken copy of the package and must report exactly its error, and a copy coded as the manual says passes."""

from __future__ import annotations

from conftest import only

PROPOSAL = "ukrainian-european-ceasefire-proposal"
# A row the scale rule cannot place (a holding, an imagined bargain, an unscaled issue) is placed 'none' with its
# reason (coding manual, section 12.3).
NOT_PLACED = dict(scale_min="", scale_max="", scale_basis="none", scale_note="Not a position the rule places.")


def test_a_position_in_an_imagined_bargain_must_be_hypothetical(pkg):
    pkg.set_cell("proposals", 0, "status", "hypothetical")
    only(pkg, "data/demands.csv:2 demand_id=mdz25-ukraine-freeze status: 'rejected' is not 'hypothetical', but proposal "
              f"'{PROPOSAL}' is a bargain the authors imagine (status 'hypothetical'): every position in it is 'hypothetical' "
              "whatever its verb (coding manual, section 3.4)")


def test_a_holding_is_never_traded_in_an_imagined_bargain(pkg):
    pkg.set_cell("proposals", 0, "status", "hypothetical")
    rows = pkg.rows("demands")
    rows[0].update(kind="leverage", status="hypothetical", **NOT_PLACED)
    pkg.write_rows("demands", rows)
    only(pkg, "data/demands.csv:2 demand_id=mdz25-ukraine-freeze kind: a 'leverage' row is a present holding that no "
              f"bargain trades, but proposal '{PROPOSAL}' is a bargain the authors imagine: a holding traded in it is an "
              "'offer' (status 'hypothetical'); otherwise clear proposal_id (coding manual, sections 3.2 and 3.4)")


def test_a_position_in_an_imagined_bargain_coded_hypothetical_passes(pkg):
    pkg.set_cell("proposals", 0, "status", "hypothetical")
    rows = pkg.rows("demands")
    rows[0].update(status="hypothetical", **NOT_PLACED)
    pkg.write_rows("demands", rows)
    assert pkg.problems() == []


def _second_term(pkg, **cells) -> int:
    row = dict(pkg.rows("demands")[0], demand_id="mdz25-ukraine-znpp", proposition_id="znpp-under-ukrainian-and-us-control",
               issue_id="nuclear-power-plant", text="Ukraine proposes Ukrainian and U.S. control of the ZNPP.",
               quote="the Zaporizhzhia Nuclear Power Plant would be transferred to Ukrainian and U.S. control", **NOT_PLACED)
    row.update(cells)
    return pkg.add_row("demands", **row)


def test_the_terms_of_one_proposal_share_evidence(pkg):
    line = _second_term(pkg, evidence="stated")
    only(pkg, f"data/demands.csv:{line} demand_id=mdz25-ukraine-znpp evidence: evidence 'stated' differs from 'reported' of "
              f"row demand_id=mdz25-ukraine-freeze, a term of the same proposal '{PROPOSAL}' by the same actor in the same "
              "source: the terms of one proposal share evidence, whatever verb introduces each (coding manual, section 3.3)")


def test_terms_given_by_another_analyst_or_as_advice_may_differ(pkg):
    _second_term(pkg, evidence="assessed", status="hypothetical", kind="recommendation")
    assert pkg.problems() == []
    pkg.set_cell("demands", 2, "kind", "demand")
    pkg.set_cell("demands", 2, "asserted_by", "donald-trump")
    assert pkg.problems() == []


# --- dates in prose ------------------------------------------------------------------------------------

def test_a_date_in_prose_that_the_quote_lacks(pkg):
    line = pkg.set_cell("proposals", 0, "summary", "Freeze the front line from 2025-05-11 on, as of May.")
    only(pkg, f"data/proposals.csv:{line} proposal_id={PROPOSAL} summary: 'Freeze the front line from 2025-05-11 on, as of "
              "May.' writes '2025-05-11', 'May', which the row's quote does not: remove the date, quote the words that give "
              "it, or mark it as the curator's with [curator: …] (coding manual, section 9)")


def test_a_date_in_the_quote_or_marked_as_the_curators_passes(pkg):
    pkg.set_cell("proposals", 0, "summary", "Freeze the front line [curator: proposed in May 2025]; the verb may stay.")
    assert pkg.problems() == []
    pkg.set_cell("figures", 1, "metric", "New Russian contract soldiers per day in 2024")  # its quote does not say 2024
    assert len(pkg.problems()) == 1
    pkg.set_cell("figures", 1, "quote", "up to 1,000–1,500 new contract soldiers per day")
    rows = pkg.rows("figures")
    rows[0].update(metric="Projected annual cost of Trump's tariffs, 2025", quote="the projected $78 billion annual cost")
    pkg.write_rows("figures", rows)
    assert [p.split(" metric: ")[0] for p in pkg.problems()] == ["data/figures.csv:2 figure_id=js24-tariff-cost",
                                                                    "data/figures.csv:3 figure_id=mdz25-recruits-per-day"]


def test_dates_not_in_quote_reads_years_months_and_iso_dates():
    from peacetalks.checks.prose import dates_not_in_quote

    assert dates_not_in_quote("talks in April 2025 and 2025-05-20; 12025 and 2025x are not years", "in April, 2025") == ["2025-05-20"]
    assert dates_not_in_quote("talks on 2025-05-20", "on May 20, 2025") == []
    assert dates_not_in_quote("it may end [curator: by March 2026]", "") == []


# --- digest items --------------------------------------------------------------------------------------

PS = "projectsyndicate-2025-negotiating-in-bad-faith"


def _digest_figure(pkg, **cells) -> int:
    pkg.add_row("actors", actor_id="oilprice-com", name="Oilprice.com", actor_type="media", side="analysts-media", voice="media",
                source_id=PS,
                quote="1. Oil Price Plunge Could Severely Impact Russia's Economy — Oilprice.com")
    pkg.add_row("actors", actor_id="russia", name="Russia", actor_type="state", side="russia", voice="government", country="RUS",
                source_id=PS,
                quote="Russia's Central Bank")
    row = dict(figure_id="ps25-urals-price", metric="Price of Russia's Urals crude", subject_id="russia", value="50",
               qualifier="approximate", unit="USD", per="barrel", estimated_by="oilprice-com", source_id=PS,
               quote="The price of Russia's Urals crude is nearing $50 per barrel due to the global oil market slump.")
    row.update(cells)
    return pkg.add_row("figures", **row)


def test_a_digest_item_credited_to_its_outlet_passes(pkg):
    _digest_figure(pkg)
    assert pkg.problems() == []


def test_a_digest_item_must_name_its_crediting_outlet(pkg):
    line = _digest_figure(pkg, estimated_by="")
    only(pkg, f"data/figures.csv:{line} figure_id=ps25-urals-price estimated_by: estimated_by '' does not name the outlet "
              "this digest item is credited to ('oilprice-com'); the quote lies in the source's digest (after 'TIPP Takes'): "
              "set estimated_by to 'oilprice-com' (coding manual, section 3.5)")


def test_a_quote_before_the_digest_needs_no_outlet(pkg):
    _digest_figure(pkg, estimated_by="", figure_id="ps25-x", value="11",
                   quote="Putin shakes hands with Trump envoy Steve Witkoff in Saint Petersburg, April 11, 2025.")
    assert pkg.problems() == []


def test_a_digest_start_that_is_not_in_the_text(pkg):
    rows = pkg.rows("sources")
    line = next(i for i, r in enumerate(rows) if r["source_id"] == PS) + 2
    pkg.set_cell("sources", line - 2, "digest_start", "TIPP Digest")
    only(pkg, f"data/sources.csv:{line} source_id={PS} digest_start: 'TIPP Digest' is not in the text of source {PS}: give "
              "the verbatim words where its digest begins")


# --- a figure that is part of another ------------------------------------------------------------------

def test_a_part_no_larger_than_its_whole_in_the_same_unit_and_period_passes(pkg):
    row = dict(pkg.rows("figures")[1], figure_id="mdz25-recruits-part", period_start="2025", part_of="mdz25-recruits-per-day")
    pkg.add_row("figures", **row)
    assert pkg.problems() == []


def test_a_part_larger_than_its_whole(pkg):
    pkg.set_cell("figures", 0, "per", "")
    line = pkg.set_cell("figures", 2, "part_of", "js24-tariff-cost")
    only(pkg, f"data/figures.csv:{line} figure_id=js24-nuclear-cost part_of: this part (756000000000) is larger than its "
              "whole 'js24-tariff-cost' (78000000000): a part is no larger than the whole")


def test_a_part_in_another_unit_family_or_rate(pkg):
    line = pkg.set_cell("figures", 0, "part_of", "js24-nuclear-cost")
    only(pkg, f"data/figures.csv:{line} figure_id=js24-tariff-cost part_of: 'js24-nuclear-cost' is in 'USD' per '', this "
              "row in 'USD' per 'year': a part and its whole share a unit family (money with money) and a denominator")


def test_a_part_over_a_wider_period(pkg):
    row = dict(pkg.rows("figures")[1], figure_id="mdz25-recruits-part", period_start="2023", part_of="mdz25-recruits-per-day")
    line = pkg.add_row("figures", **row)
    only(pkg, f"data/figures.csv:{line} figure_id=mdz25-recruits-part part_of: this part covers '2023' to '2025-05', outside "
              "its whole 'mdz25-recruits-per-day' ('2024' to '2025-05'): a part covers the same or a narrower period")


def test_a_part_of_itself_or_of_another_source(pkg):
    line = pkg.set_cell("figures", 1, "part_of", "mdz25-recruits-per-day")
    only(pkg, f"data/figures.csv:{line} figure_id=mdz25-recruits-per-day part_of: 'mdz25-recruits-per-day' is the row itself")
    pkg.set_cell("figures", 1, "part_of", "")
    line = pkg.set_cell("figures", 0, "part_of", "mdz25-recruits-per-day")
    assert (f"data/figures.csv:{line} figure_id=js24-tariff-cost part_of: 'mdz25-recruits-per-day' is in source "
            f"'meduza-2025-peace-postponed', not 'justsecurity-2024-trump-endgame-ukraine': only a figure of the same "
            "source can be the whole this amount is part of") in pkg.problems()


# --- time that does not overstate ----------------------------------------------------------------------

def _load(pkg):
    import peacetalks

    return peacetalks.load(pkg.descriptor)


def test_an_undated_row_is_placed_at_its_sources_date_with_that_dates_precision(pkg):
    pkg.set_cell("events", 0, "date", "")  # a Meduza event; Meduza is published '2025-05'
    events = _load(pkg).events
    row = events.iloc[0]
    assert (row["timeline_date"], row["timeline_precision"], row["timeline_basis"]) == ("2025-05", "month", "observed")
    assert (str(row["timeline_first_day"].date()), str(row["timeline_last_day"].date())) == ("2025-05-01", "2025-05-31")


def test_a_merged_event_is_placed_at_its_earliest_account(pkg):
    pkg.set_cell("events", 0, "date", "")
    pkg.add_row("accounts", account_id="js24-trump-putin-call", event_id="2025-05-trump-putin-call",
                source_id="justsecurity-2024-trump-endgame-ukraine", note="An earlier account.",
                quote="occur bilaterally between Trump and Vladimir Putin")
    pkg.add_row("accounts", account_id="mdz25-trump-putin-call", event_id="2025-05-trump-putin-call",
                source_id="meduza-2025-peace-postponed", note="The row's own account.", quote="and now he has had to call again")
    assert pkg.problems() == []
    row = _load(pkg).events.iloc[0]
    assert (row["observed_date"], row["timeline_date"], row["timeline_precision"], row["timeline_basis"]) == \
           ("2024-12-17", "2024-12-17", "day", "observed")
    pkg.set_cell("events", 0, "date", "2025-05")  # its own date, where the text gives one, wins
    assert _load(pkg).events.iloc[0]["timeline_basis"] == "date"
