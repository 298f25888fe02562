"""Who wants what, and what changed: the side (or actor) × proposition matrix of stances.

Only positions count: `leverage` and `recommendation` rows describe what an actor holds or what an author
advises, not where the actor stands (coding manual, section 3.2), and `hypothetical` rows are bargains an
author imagines. Both are left out unless asked for.
"""

from __future__ import annotations

import json

import pandas as pd

POSITION_KINDS = ("demand", "offer", "threat", "rejection")
STANCE_ORDER = ("support", "conditional", "oppose")
GROUPINGS = ("side", "actor")


def position_rows(tables, kinds=POSITION_KINDS, hypothetical: bool = False) -> pd.DataFrame:
    """The positions with a proposition, joined to their actor's name and side, the proposition's wording
    and the source, in time order."""
    demands = tables["demands"]
    rows = demands[demands["proposition_id"].notna() & demands["kind"].isin(kinds)]
    if not hypothetical:
        rows = rows[rows["status"] != "hypothetical"]
    actors = tables["actors"].set_index("actor_id")
    propositions = tables["propositions"].set_index("proposition_id")
    sources = tables["sources"].set_index("source_id")
    out = pd.DataFrame({
        "demand_id": rows["demand_id"], "side": rows["actor_id"].map(actors["side"]).astype("string"),
        "actor": rows["actor_id"].astype("string"), "actor_name": rows["actor_id"].map(actors["name"]).astype("string"),
        "proposition_id": rows["proposition_id"].astype("string"),
        "statement": rows["proposition_id"].map(propositions["statement"]).astype("string"),
        "stance": rows["stance"].astype("string"), "kind": rows["kind"].astype("string"),
        "evidence": rows["evidence"].astype("string"), "status": rows["status"].astype("string"),
        "when": rows["timeline_first_day"], "when_basis": rows["timeline_basis"].astype("string"),
        "source": rows["source_id"].map(sources["short_code"]).astype("string"), "quote": rows["quote"].astype("string"),
    })
    return out.sort_values(["proposition_id", "when", "demand_id"], kind="stable").reset_index(drop=True)


def _summary(stances: pd.Series) -> str:
    present = set(stances)
    return "/".join(s for s in STANCE_ORDER if s in present)


def stance_table(rows: pd.DataFrame, by: str = "side") -> pd.DataFrame:
    """One row per group (side or actor) and proposition: the stances taken ('support/oppose' where the
    group's rows differ), how many rows, and their ids."""
    grouped = rows.groupby([by, "proposition_id"], sort=True, observed=True)
    return grouped.agg(statement=("statement", "first"), stance=("stance", _summary), rows=("demand_id", "size"),
                       demand_ids=("demand_id", lambda ids: ";".join(ids))).reset_index()


def matrix(rows: pd.DataFrame, by: str = "side") -> pd.DataFrame:
    """The wide form: groups as rows, propositions as columns, stances as cells (empty where none)."""
    return stance_table(rows, by).pivot(index=by, columns="proposition_id", values="stance").fillna("")


def changes(rows: pd.DataFrame, by: str = "actor") -> pd.DataFrame:
    """Each pair of consecutive observations (by time placed) of one actor (or side) on one proposition whose
    stances differ, with both rows' ids, dates, sources and quotes."""
    found = []
    for (group, proposition), obs in rows.groupby([by, "proposition_id"], sort=True, observed=True):
        obs = obs.sort_values(["when", "demand_id"], kind="stable")
        for before, after in zip(obs.itertuples(index=False), obs.iloc[1:].itertuples(index=False)):
            if before.stance != after.stance:
                found.append({by: group, "proposition_id": proposition, "statement": before.statement,
                              "from_stance": before.stance, "to_stance": after.stance,
                              "from_id": before.demand_id, "to_id": after.demand_id,
                              "from_when": _day(before.when), "to_when": _day(after.when),
                              "from_basis": before.when_basis, "to_basis": after.when_basis,
                              "from_source": before.source, "to_source": after.source,
                              "from_quote": before.quote, "to_quote": after.quote})
    return pd.DataFrame(found, columns=[by, "proposition_id", "statement", "from_stance", "to_stance", "from_id", "to_id",
                                        "from_when", "to_when", "from_basis", "to_basis", "from_source", "to_source",
                                        "from_quote", "to_quote"])


def _day(value) -> str:
    return "" if pd.isna(value) else value.date().isoformat()


def render_text(table: pd.DataFrame, by: str) -> str:
    lines = []
    for proposition, group in table.groupby("proposition_id", sort=True):
        lines.append(f"{proposition}: {group['statement'].iloc[0]}")
        width = max(len(str(g)) for g in group[by])
        lines += [f"  {str(g):<{width}}  {s} ({n})" for g, s, n in zip(group[by], group["stance"], group["rows"])]
    return "\n".join(lines)


def render_changes_text(table: pd.DataFrame, by: str) -> str:
    lines = []
    for change in table.itertuples(index=False):
        lines.append(f"{getattr(change, by)} on {change.proposition_id}: {change.from_stance} -> {change.to_stance}")
        lines.append(f"  {change.from_when} ({change.from_basis}, {change.from_source}) {change.from_id}: \"{change.from_quote}\"")
        lines.append(f"  {change.to_when} ({change.to_basis}, {change.to_source}) {change.to_id}: \"{change.to_quote}\"")
    lines.append(f"{len(table)} change{'s' if len(table) != 1 else ''} of stance.")
    return "\n".join(lines)


def render(table: pd.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        return table.to_csv(index=False, lineterminator="\n")
    return json.dumps(table.to_dict("records"), indent=2, ensure_ascii=False)
