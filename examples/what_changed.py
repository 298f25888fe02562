"""What the package answers in a few lines of pandas: run `.venv/bin/python examples/what_changed.py` (the tests do).

1. What Russia demanded on territory, and how that changed over time
2. Which stances changed between the 2025 and the 2026 sources
3. Every figure on Russian losses, with who estimated it
4. Every position of Ukraine, with its quote
5. The side x proposition matrix of stances
6. A timeline of events with their participants
7. Military aid pledged, summed without counting one amount twice
"""

from __future__ import annotations

import pandas as pd

import peacetalks
from peacetalks import positions

pd.set_option("display.width", 160, "display.max_colwidth", 90, "display.max_rows", 200)


def heading(text: str) -> None:
    print(f"\n## {text}\n")


def main() -> None:
    tables = peacetalks.load()  # validated; finds datapackage.json from any folder of the repository
    demands, actors, propositions = tables.demands, tables.actors, tables.propositions
    side = demands["actor_id"].map(actors.set_index("actor_id")["side"])
    own = demands["kind"].isin(positions.POSITION_KINDS)  # positions, not leverage or recommendations

    heading("1. Russia on territory, in time order")
    russia = demands[own & (side == "russia") & (demands["issue_id"] == "territory")]
    print(russia.sort_values("timeline_first_day")[["timeline_date", "timeline_basis", "proposition_id", "stance",
                                                    "status", "text"]].to_string(index=False))

    heading("2. Stances that changed between the 2025 and the 2026 sources")
    rows = positions.position_rows(tables)
    year = rows["source"].str[-2:]
    span = rows[year.isin(["25", "26"])]
    changed = positions.changes(span, by="side")
    crossing = changed[changed["from_source"].str[-2:] != changed["to_source"].str[-2:]]
    print(crossing[["side", "proposition_id", "from_stance", "to_stance", "from_source", "to_source"]].to_string(index=False)
          if len(crossing) else "(none)")

    heading("3. Figures on Russian losses, with the estimator")
    figures = tables.figures
    losses = figures[figures["metric"].str.contains("loss|casualt|killed|wounded", case=False)
                     & figures["subject_id"].isin(["russia", "russian-armed-forces"])]
    print(losses[["metric", "value", "value_low", "value_high", "qualifier", "unit", "per", "estimated_by",
                  "source_id"]].to_string(index=False))

    heading("4. Every position of Ukraine, with its quote")
    ukraine = demands[own & (side == "ukraine")]
    for row in ukraine.itertuples():
        print(f"- [{row.kind}, {row.stance or 'no stance'}] {row.proposition_id or row.issue_id}: \"{row.quote}\"")

    heading("5. Side x proposition")
    print(positions.matrix(rows, by="side").T.to_string())

    heading("6. Timeline of events")
    events = tables.events.sort_values(["timeline_first_day", "timeline_last_day"])
    for row in events.itertuples():  # each date as written, with its precision and what placed it
        when = f"{row.timeline_date} ({row.timeline_precision}{', observed' if row.timeline_basis == 'observed' else ''})"
        print(f"{when:>30}  {row.name}  [{', '.join(row.participants)}]")


    heading("7. Military aid pledged, summed without counting one amount twice")
    money = figures[(figures["issue_id"] == "military-aid") & (figures["unit"] == "EUR")]
    # A restatement in another currency (same_amount_as) and a part of a whole that is also summed (part_of) are
    # already inside another row's amount: leave them out of the sum.
    counted = money[money["same_amount_as"].isna() & ~money["part_of"].isin(money["figure_id"])]
    print(money[["figure_id", "value", "unit", "part_of", "same_amount_as"]].to_string(index=False))
    print(f"\nnaive sum {money['value'].sum():,.0f} EUR; each amount once {counted['value'].sum():,.0f} EUR "
          f"({', '.join(counted['figure_id'])})")


if __name__ == "__main__":
    main()
