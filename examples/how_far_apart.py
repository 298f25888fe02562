"""How far apart the sides are, from the loaded tables: run `.venv/bin/python examples/how_far_apart.py` (the tests do).

1. How far apart Russia and Ukraine are on each scaled issue, and whether the gap narrowed
2. Every movement of the U.S. official voice along an issue's scale, with its dates and quotes
3. Which issues have the widest and the narrowest gap between Russia and Ukraine in the latest observation

Every scale runs from 0, the outcome most favourable to Ukraine, to its top, the outcome most favourable to
Russia (coding manual, section 12); a side is its official voice (section 13). A gap is a number where both
places are points and a range ("1-2") where a place is only bounded.
"""

from __future__ import annotations

import pandas as pd

import peacetalks
from peacetalks import positions

pd.set_option("display.width", 160, "display.max_colwidth", 70, "display.max_rows", 200)


def heading(text: str) -> None:
    print(f"\n## {text}\n")


def russia_ukraine(distance: pd.DataFrame) -> pd.DataFrame:
    pair = distance[(distance["side_a"] == "russia") & (distance["side_b"] == "ukraine")]
    return pair.assign(middle=(pair["gap_min"] + pair["gap_max"]) / 2)


def trend_between(first: pd.Series, last: pd.Series) -> str:
    """Narrowed or widened only where the bounds say so: a range that overlaps the earlier gap is unclear."""
    if (first["gap_min"], first["gap_max"]) == (last["gap_min"], last["gap_max"]):
        return "unchanged"
    if last["gap_max"] < first["gap_min"]:
        return "narrowed"
    if last["gap_min"] > first["gap_max"]:
        return "widened"
    return "unclear (the gaps' ranges overlap)"


def marked(place: str, inconsistent: bool) -> str:
    return f"{place}, inconsistent rows" if inconsistent else place


def main() -> None:
    tables = peacetalks.load()  # validated; finds datapackage.json from any folder of the repository
    distance = positions.distance(tables)  # official voices; one row per issue, observation and pair of sides
    pair = russia_ukraine(distance)

    heading("1. Russia and Ukraine, issue by issue: the first and the latest gap")
    for issue, observed in pair.groupby("issue_id", sort=True):
        first, last = observed.iloc[0], observed.iloc[-1]
        trend = trend_between(first, last)
        print(f"{issue} (0-{last['scale_top']}): {first['when']} gap {first['gap']} (russia {first['place_a']}, "
              f"ukraine {marked(first['place_b'], first['inconsistent_b'])}) -> {last['when']} gap {last['gap']} (russia "
              f"{last['place_a']}, ukraine {marked(last['place_b'], last['inconsistent_b'])}): "
              f"{trend if len(observed) > 1 else 'one observation'}; rows {last['ids_a']} | {last['ids_b']}")

    heading("2. Every movement of the U.S. official voice")
    moves = positions.scale_changes(positions.placed_rows(tables), by="side")
    american = moves[moves["side"] == "united-states"]
    for move in american.itertuples(index=False):
        print(f"{move.issue_id}: {move.from_place} -> {move.to_place}, {move.direction} ({move.size})")
        print(f"  from {move.from_when} ({move.from_basis}, {move.from_source}) {move.from_ids}: \"{move.from_quotes}\"")
        print(f"  to   {move.to_when} ({move.to_basis}, {move.to_source}) {move.to_ids}: \"{move.to_quotes}\"")

    heading("3. The widest and the narrowest gap between Russia and Ukraine, in the latest observation "
            "(ranked by the middle of the gap)")
    latest = pair.groupby("issue_id", sort=True).tail(1).sort_values(["middle", "issue_id"], ascending=[False, True])
    print(latest[["issue_id", "when", "place_a", "place_b", "gap", "scale_top"]]
          .rename(columns={"place_a": "russia", "place_b": "ukraine"}).to_string(index=False))
    widest, narrowest = latest.iloc[0], latest.iloc[-1]
    print(f"widest: {widest['issue_id']} (gap {widest['gap']} of {widest['scale_top']}); "
          f"narrowest: {narrowest['issue_id']} (gap {narrowest['gap']} of {narrowest['scale_top']})")


if __name__ == "__main__":
    main()
