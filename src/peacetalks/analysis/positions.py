"""Who wants what, and what changed: the side (or actor) × proposition matrix of stances.

Only positions count: `leverage` and `recommendation` rows describe what an actor holds or what an author
advises, not where the actor stands (coding manual, section 3.2), and `hypothetical` rows are bargains an
author imagines. Both are left out unless asked for.

A *change* is between two observations: the positions one source gives of one actor (or side) on one
proposition. Rows of one source are one observation (its stances together, 'support/oppose' where they
differ), so a source that reports two stances is not read as a change of mind. `named-plan-accepted` is read
with the row's plan: each plan is its own outcome (coding manual, section 2, rule 5), so every roll-up here keys
such rows by (proposition, plan). Accepting one plan and rejecting another is neither a mixed stance nor a change.
"""

from __future__ import annotations

import json

import pandas as pd

POSITION_KINDS = ("demand", "offer", "threat", "rejection")
STANCE_ORDER = ("support", "conditional", "oppose")
GROUPINGS = ("side", "actor")
PLAN_PROPOSITIONS = ("named-plan-accepted",)  # read together with the row's proposal_id


def position_rows(tables, kinds=POSITION_KINDS, hypothetical: bool = False, evidence=None) -> pd.DataFrame:
    """The positions with a proposition, joined to their actor's name and side, the proposition's wording
    and the source, in time order. `evidence`: keep only these values (e.g. ("stated", "reported"))."""
    demands = tables["demands"]
    rows = demands[demands["proposition_id"].notna() & demands["kind"].isin(kinds)]
    if not hypothetical:
        rows = rows[rows["status"] != "hypothetical"]
    if evidence:
        rows = rows[rows["evidence"].isin(evidence)]
    actors = tables["actors"].set_index("actor_id")
    propositions = tables["propositions"].set_index("proposition_id")
    sources = tables["sources"].set_index("source_id")
    plan = rows["proposal_id"].astype("string").where(rows["proposition_id"].isin(PLAN_PROPOSITIONS)).fillna("")
    statement = rows["proposition_id"].map(propositions["statement"]).astype("string")
    if "proposals" in tables and "name" in tables["proposals"].columns:
        plan_names = tables["proposals"].set_index("proposal_id")["name"].astype("string")
        named = plan.map(plan_names).fillna(plan)
    else:
        named = plan
    statement = statement.where(plan == "", statement + " (" + named + ")")
    out = pd.DataFrame({
        "demand_id": rows["demand_id"], "side": rows["actor_id"].map(actors["side"]).astype("string"),
        "actor": rows["actor_id"].astype("string"), "actor_name": rows["actor_id"].map(actors["name"]).astype("string"),
        "proposition_id": rows["proposition_id"].astype("string"), "plan": plan,
        "statement": statement,
        "stance": rows["stance"].astype("string"), "kind": rows["kind"].astype("string"),
        "evidence": rows["evidence"].astype("string"), "status": rows["status"].astype("string"),
        "when": rows["timeline_first_day"], "when_text": rows["timeline_date"].astype("string"),
        "when_basis": rows["timeline_basis"].astype("string"),
        "source": rows["source_id"].map(sources["short_code"]).astype("string"), "quote": rows["quote"].astype("string"),
    })
    return out.sort_values(["proposition_id", "when", "demand_id"], kind="stable").reset_index(drop=True)


def _summary(stances: pd.Series) -> str:
    present = set(stances)
    return "/".join(s for s in STANCE_ORDER if s in present)


def _counts(stances: pd.Series) -> str:
    counted = stances.value_counts()
    return " ".join(f"{s} {counted[s]}" for s in STANCE_ORDER if s in counted)


def position_key(proposition_id: str, plan: str) -> str:
    """The name of one outcome in a roll-up: the proposition, and for a plan proposition its plan too
    ('named-plan-accepted (20-point-plan)'), so that two plans are never counted as one."""
    return f"{proposition_id} ({plan})" if plan else proposition_id


def stance_table(rows: pd.DataFrame, by: str = "side") -> pd.DataFrame:
    """One row per group (side or actor), proposition and plan (empty but for plan propositions): the stances
    taken ('support/oppose' where the group's rows differ), how many rows take each, and their ids."""
    grouped = rows.groupby([by, "proposition_id", "plan"], sort=True, observed=True)
    return grouped.agg(statement=("statement", "first"), stance=("stance", _summary), counts=("stance", _counts),
                       rows=("demand_id", "size"), demand_ids=("demand_id", lambda ids: ";".join(ids))).reset_index()


def matrix(rows: pd.DataFrame, by: str = "side") -> pd.DataFrame:
    """The wide form: groups as rows, outcomes (propositions; plan propositions one column per plan, see
    position_key) as columns, stances as cells (empty where none)."""
    table = stance_table(rows, by)
    table["outcome"] = [position_key(p, plan) for p, plan in zip(table["proposition_id"], table["plan"])]
    return table.pivot(index=by, columns="outcome", values="stance").fillna("")


def observations(rows: pd.DataFrame, by: str = "actor") -> pd.DataFrame:
    """One row per group, proposition (and plan) and source: that source's stances, its earliest placement,
    and its rows' ids and quotes."""
    keys = [by, "proposition_id", "plan", "source"]
    grouped = rows.sort_values(["when", "demand_id"], kind="stable").groupby(keys, sort=False, observed=True)
    found = grouped.agg(statement=("statement", "first"), stance=("stance", _summary), when=("when", "min"),
                        when_text=("when_text", "first"), when_basis=("when_basis", "first"),
                        ids=("demand_id", list), quotes=("quote", list)).reset_index()
    return found.sort_values([by, "proposition_id", "plan", "when", "source"], kind="stable").reset_index(drop=True)


def changes(rows: pd.DataFrame, by: str = "actor") -> pd.DataFrame:
    """Each pair of consecutive observations (sources, in time order) of one actor (or side) on one
    proposition whose stances differ, with both observations' dates as written, sources, ids and quotes."""
    found = []
    for (_, _, _), obs in observations(rows, by).groupby([by, "proposition_id", "plan"], sort=True, observed=True):
        for before, after in zip(obs.itertuples(index=False), obs.iloc[1:].itertuples(index=False)):
            if before.stance != after.stance:
                found.append({by: getattr(before, by), "proposition_id": before.proposition_id, "plan": before.plan,
                              "statement": before.statement, "from_stance": before.stance, "to_stance": after.stance,
                              "from_when": before.when_text, "to_when": after.when_text,
                              "from_basis": before.when_basis, "to_basis": after.when_basis,
                              "from_source": before.source, "to_source": after.source,
                              "from_ids": ";".join(before.ids), "to_ids": ";".join(after.ids),
                              "from_quotes": " | ".join(before.quotes), "to_quotes": " | ".join(after.quotes)})
    return pd.DataFrame(found, columns=[by, "proposition_id", "plan", "statement", "from_stance", "to_stance", "from_when",
                                        "to_when", "from_basis", "to_basis", "from_source", "to_source", "from_ids",
                                        "to_ids", "from_quotes", "to_quotes"])


def render_text(table: pd.DataFrame, by: str) -> str:
    lines = []
    for (proposition, plan), group in table.groupby(["proposition_id", "plan"], sort=True):
        lines.append(f"{position_key(proposition, plan)}: {group['statement'].iloc[0]}")
        width = max(len(str(g)) for g in group[by])
        lines += [f"  {str(g):<{width}}  {s} ({c})" for g, s, c in zip(group[by], group["stance"], group["counts"])]
    return "\n".join(lines)


def render_changes_text(table: pd.DataFrame, by: str) -> str:
    lines = []
    for change in table.itertuples(index=False):
        lines.append(f"{getattr(change, by)} on {position_key(change.proposition_id, change.plan)}: "
                     f"{change.from_stance} -> {change.to_stance}")
        for when, basis, source, ids, quotes in ((change.from_when, change.from_basis, change.from_source, change.from_ids, change.from_quotes),
                                                 (change.to_when, change.to_basis, change.to_source, change.to_ids, change.to_quotes)):
            lines.append(f"  {when} ({basis}, {source}) {ids}:")
            lines += [f"    \"{quote}\"" for quote in quotes.split(" | ")]
    lines.append(f"{len(table)} change{'s' if len(table) != 1 else ''} of stance between sources.")
    return "\n".join(lines)


def render(table: pd.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        return table.to_csv(index=False, lineterminator="\n")
    return json.dumps(table.to_dict("records"), indent=2, ensure_ascii=False, default=str)
