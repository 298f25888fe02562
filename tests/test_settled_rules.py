"""Rules settled at adjudication that apply to every row they govern (issue "Answers that hold up"): each is fed a
broken copy of the package and must report exactly its error, and a copy coded as the manual says passes."""

from __future__ import annotations

from conftest import only

PROPOSAL = "ukrainian-european-ceasefire-proposal"


def test_a_position_in_an_imagined_bargain_must_be_hypothetical(pkg):
    pkg.set_cell("proposals", 0, "status", "hypothetical")
    only(pkg, "data/demands.csv:2 demand_id=mdz25-ukraine-freeze status: 'rejected' is not 'hypothetical', but proposal "
              f"'{PROPOSAL}' is a bargain the authors imagine (status 'hypothetical'): every position in it is 'hypothetical' "
              "whatever its verb; only a 'leverage' row, a present holding, is 'open' (coding manual, section 3.4)")


def test_a_holding_in_an_imagined_bargain_stays_open_and_the_rest_hypothetical_passes(pkg):
    pkg.set_cell("proposals", 0, "status", "hypothetical")
    rows = pkg.rows("demands")
    rows[0].update(kind="leverage", status="open")
    pkg.write_rows("demands", rows)
    assert pkg.problems() == []
    pkg.set_cell("demands", 0, "kind", "demand")
    pkg.set_cell("demands", 0, "status", "hypothetical")
    assert pkg.problems() == []


def _second_term(pkg, **cells) -> int:
    row = dict(pkg.rows("demands")[0], demand_id="mdz25-ukraine-znpp", proposition_id="znpp-under-ukrainian-and-us-control",
               issue_id="nuclear-power-plant", text="Ukraine proposes Ukrainian and U.S. control of the ZNPP.",
               quote="the Zaporizhzhia Nuclear Power Plant would be transferred to Ukrainian and U.S. control")
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
