"""Who holds which position, for the Positions page, the home chart and the timeline's side filter.

The data model is moving from (issue, kind) to (proposition, stance) and gaining actors.side (issue 11).
`position_axes` is the one place that chooses: the site uses the new columns as soon as the data has them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .model import Site

POSITIONS = "demands"


@dataclass(frozen=True)
class PositionAxes:
    column: str  # demands column across the matrix
    column_table: str  # the table that column refers to
    colour: str  # demands column shown by colour
    rows: tuple[str, ...]  # the matrices' rows: ('side', 'actor') once actors have a side, else ('actor',)


def position_axes(site: Site) -> PositionAxes | None:
    if not site.has(POSITIONS, "actor_id"):
        return None
    rows = ("side", "actor") if site.has("actors", "side") else ("actor",)
    if site.has(POSITIONS, "proposition_id", "stance") and site.has("propositions"):
        return PositionAxes("proposition_id", "propositions", "stance", rows)
    if site.has(POSITIONS, "issue_id", "kind") and site.has("issues"):
        return PositionAxes("issue_id", "issues", "kind", rows)
    return None


def group_column(site: Site) -> tuple[str, str]:
    """The actors column that groups actors into sides, and its title: side when the data has it; until
    then the actor's country, which is recorded (a side would be an inference the data does not make)."""
    if site.has("actors", "side"):
        return "side", "Side"
    return "country", "Country of the actor"


def actor_groups(site: Site) -> dict[str, str]:
    """actor_id -> its group (side or country); actors without one are 'unattributed'."""
    if not site.has("actors", "actor_id"):
        return {}
    column, _ = group_column(site)
    actors = site.raw["actors"]
    values = actors[column] if column in actors.columns else pd.Series("", index=actors.index)
    return {actor: value or "unattributed" for actor, value in zip(actors["actor_id"], values)}


def positions_frame(site: Site, axes: PositionAxes, row: str) -> pd.DataFrame:
    """One line per position that has an actor and a column value: index (row in demands), row (the actor's
    side or name), column, colour, source_id, labels for display."""
    frame = site.raw[POSITIONS]
    groups = actor_groups(site)
    kept = frame[(frame["actor_id"] != "") & (frame[axes.column] != "")]
    rows = kept["actor_id"].map(groups) if row == "side" else kept["actor_id"].map(lambda a: site.label("actors", a))
    return pd.DataFrame({
        "index": kept.index,
        "row": rows.fillna("unattributed").values,
        "column": kept[axes.column].values,
        "column_label": kept[axes.column].map(lambda k: site.label(axes.column_table, k)).values,
        "colour": kept[axes.colour].replace("", "unstated").values,
        "source_id": kept["source_id"].values if "source_id" in kept.columns else "",
    })


def cells(positions: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """The matrix: one cell per (row, column) with the positions' colour ('mixed' when they differ)."""
    grouped = positions.groupby(["row", "column"], sort=True)
    out = grouped.agg(column_label=("column_label", "first"), count=("index", "size"),
                      colours=("colour", lambda c: sorted(set(c))), indices=("index", list)).reset_index()
    out["colour"] = out["colours"].map(lambda c: c[0] if len(c) == 1 else "mixed")
    out["anchor"] = [f"{prefix}-{n}" for n in range(1, len(out) + 1)]
    return out


def changes_between_sources(site: Site, positions: pd.DataFrame) -> list[dict]:
    """Cells that more than one source speaks to: each source's colours in order of publication, and
    whether they differ."""
    published = {}
    if site.has("sources", "source_id", "published"):
        published = dict(zip(site.raw["sources"]["source_id"], site.raw["sources"]["published"]))
    changes = []
    for (row, column), group in positions.groupby(["row", "column"], sort=True):
        if group["source_id"].nunique() < 2:
            continue
        by_source = []
        for source_id, rows in sorted(group.groupby("source_id"), key=lambda s: (published.get(s[0], ""), s[0])):
            by_source.append({"source_id": source_id, "published": published.get(source_id, ""),
                              "colours": sorted(set(rows["colour"])), "indices": list(rows["index"])})
        changed = len({tuple(s["colours"]) for s in by_source}) > 1
        changes.append({"row": row, "column": column, "column_label": group["column_label"].iloc[0],
                        "sources": by_source, "changed": changed})
    return sorted(changes, key=lambda c: (not c["changed"], c["row"], c["column_label"]))
