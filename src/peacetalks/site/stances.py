"""The Positions page's matrices and changes, read from peacetalks.positions (the model that
`peacetalks positions` prints), and the sides that group actors on the timeline."""

from __future__ import annotations

import pandas as pd

from ..analysis import positions as model
from .model import Site

MIXED = "mixed"  # a group whose rows take more than one stance on a proposition
COLOURS = list(model.STANCE_ORDER) + [MIXED]


def position_rows(site: Site) -> pd.DataFrame | None:
    """The positions the matrix counts (model.position_rows), with the demands row index of each; None
    when the package has no stances to show."""
    if not (site.has("demands", "proposition_id", "stance") and site.has("propositions") and site.has("actors", "side")):
        return None
    rows = model.position_rows(site.typed)
    index = pd.Series(site.raw["demands"].index, index=site.raw["demands"]["demand_id"])
    return rows.assign(index=rows["demand_id"].map(index))


def cells(site: Site, rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """One cell per group (side or actor) and proposition: its label, stance(s), colour and rows."""
    table = model.stance_table(rows, by)
    index = pd.Series(site.raw["demands"].index, index=site.raw["demands"]["demand_id"])
    table["group"] = table[by].map(lambda g: site.label("actors", g)) if by == "actor" else table[by]
    table["colour"] = table["stance"].map(lambda s: MIXED if "/" in s else s)
    table["indices"] = table["demand_ids"].map(lambda ids: [int(index[i]) for i in ids.split(";")])
    table["anchor"] = [f"{by}-cell-{n}" for n in range(1, len(table) + 1)]
    return table


def changes(rows: pd.DataFrame) -> pd.DataFrame:
    """Each actor's consecutive observations on one proposition whose stances differ (model.changes)."""
    return model.changes(rows, "actor")


def scale_observations(site: Site) -> pd.DataFrame:
    """Each side's official-voice observations on the scaled issues (model.scale_observations)."""
    return model.scale_observations(model.placed_rows(site.typed), "side")


def group_column(site: Site) -> tuple[str, str]:
    """The actors column that groups actors on the timeline, and its title."""
    return ("side", "Side") if site.has("actors", "side") else ("country", "Country of the actor")


def actor_groups(site: Site) -> dict[str, str]:
    """actor_id -> its side (or country); actors without one are 'unattributed'."""
    if not site.has("actors", "actor_id"):
        return {}
    column, _ = group_column(site)
    actors = site.raw["actors"]
    values = actors[column] if column in actors.columns else pd.Series("", index=actors.index)
    return {actor: value or "unattributed" for actor, value in zip(actors["actor_id"], values)}
