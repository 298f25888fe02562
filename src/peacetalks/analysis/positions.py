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


import numpy as np
import pandas as pd

from ..validation.report import json_text, one_line

POSITION_KINDS = ("demand", "offer", "threat", "rejection")
STANCE_ORDER = ("support", "conditional", "oppose")
GROUPINGS = ("side", "actor")
PLAN_PROPOSITIONS = ("named-plan-accepted",)  # read together with the row's proposal_id


# Why `peacetalks positions` leaves a demands row out: the one place that decides it (position_rows and the
# exports' positions view both call left_out), in the order the reasons are tested.
NO_PROPOSITION = "no: no proposition coded"
NOT_A_POSITION = "no: {kind}, not a stance of the actor"
HYPOTHETICAL = "no: hypothetical, a bargain the author imagines"
OTHER_EVIDENCE = "no: evidence {evidence}, not asked for"
COUNTED = "yes"


def left_out(demands: pd.DataFrame, kinds=POSITION_KINDS, hypothetical: bool = False, evidence=None) -> pd.Series:
    """For each demands row, why `peacetalks positions` (with these options) leaves it out, or '' if it counts it."""
    reasons = pd.Series("", index=demands.index, dtype=object)
    kind, status = demands["kind"].astype("string"), demands["status"].astype("string")
    if evidence:
        other = ~demands["evidence"].isin(evidence)
        reasons[other] = [OTHER_EVIDENCE.format(evidence=e) for e in demands["evidence"].astype("string")[other].fillna("none")]
    if not hypothetical:
        reasons[(status == "hypothetical").fillna(False)] = HYPOTHETICAL
    other_kind = ~demands["kind"].isin(kinds)
    reasons[other_kind] = [NOT_A_POSITION.format(kind=k) for k in kind[other_kind].fillna("no kind")]
    reasons[demands["proposition_id"].isna()] = NO_PROPOSITION
    return reasons


def position_rows(tables, kinds=POSITION_KINDS, hypothetical: bool = False, evidence=None,
                  all_voices: bool = False) -> pd.DataFrame:
    """The positions with a proposition, joined to their actor's name and side, the proposition's wording
    and the source, in time order. `evidence`: keep only these values (e.g. ("stated", "reported")).
    A side is its official voice: a row in another voice is grouped beside it as 'side (voice)' (coding manual,
    section 13), unless `all_voices` puts every voice in its side."""
    demands = tables["demands"]
    rows = demands[left_out(demands, kinds, hypothetical, evidence) == ""]
    actors = tables["actors"].set_index("actor_id")
    propositions = tables["propositions"].set_index("proposition_id")
    sources = tables["sources"].set_index("source_id")
    plan = plan_of(rows).fillna("")
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
    if "voice_effective" in rows.columns:
        voice = rows["voice_effective"].astype("string")
        official = rows["official_voice"].fillna(True).astype(bool)
        out["voice"] = voice
        if not all_voices:
            out["side"] = pd.Series([group_label(s, OFFICIAL if o else v) for s, v, o in zip(out["side"], voice, official)],
                                    index=out.index, dtype="string")
    return out.sort_values(["proposition_id", "when", "demand_id"], kind="stable").reset_index(drop=True)


def plan_of(rows: pd.DataFrame) -> pd.Series:
    """The row's plan (its proposal_id) where the proposition is read with it, else missing."""
    return rows["proposal_id"].astype("string").where(rows["proposition_id"].isin(PLAN_PROPOSITIONS))


# -- the positions view of the exports -------------------------------------------------------------------
# Every row of demands, with the names a reader filters by and whether `peacetalks positions` counts it.
# One line per column: (name, description, the column from the joined rows). The SQLite table, the XLSX
# sheet and its codebook rows, the Parquet and JSON files and Datasette's descriptions all read this list.

# The tables and columns the view is built from; a package without them (a partial copy) has no view.
VIEW_NEEDS = {"demands": ("demand_id", "actor_id", "proposition_id", "proposal_id", "stance", "kind", "evidence", "status",
                          "text", "source_id", "quote", "timeline_date", "timeline_basis", "timeline_precision",
                          "timeline_first_day", "timeline_last_day", "voice_effective", "official_voice", "scale_min",
                          "scale_max", "scale_basis"),
              "actors": ("actor_id", "name", "side"), "propositions": ("proposition_id", "statement"),
              "proposals": ("proposal_id", "name"), "sources": ("source_id", "short_code", "title")}

def _named(rows, table: str, key: str, column: str, name: str) -> pd.Series:
    return rows[key].astype("string").map(rows.attrs["tables"][table].set_index(column)[name]).astype("string")


VIEW_COLUMNS = (
    ("demand_id", "The row in `demands`.", lambda r: r["demand_id"].astype("string")),
    ("in_positions", "Whether `peacetalks positions` (by default) counts the row: `yes`, or `no:` and why (no "
                     "proposition; leverage or recommendation, not a stance of the actor; hypothetical, a bargain the "
                     "author imagines).", lambda r: left_out(r).replace("", COUNTED).astype("string")),
    ("side", "The side the actor speaks for (`actors.side`): filter by it to find a state's positions and its "
             "leaders' together.", lambda r: _named(r, "actors", "actor_id", "actor_id", "side")),
    ("voice", "The voice the row speaks with (its own `voice`, else its actor's): head, government, foreign-ministry and "
              "envoy are a side's official voice (coding manual, section 13).", lambda r: r["voice_effective"].astype("string")),
    ("official_voice", "Whether that voice is official; side-level positions and distances use these rows by default.",
     lambda r: r["official_voice"]),
    ("actor_id", "Who takes the position (`actors.actor_id`).", lambda r: r["actor_id"].astype("string")),
    ("actor_name", "The actor's name.", lambda r: _named(r, "actors", "actor_id", "actor_id", "name")),
    ("proposition_id", "What it is a position on (`propositions.proposition_id`); empty where none is coded.",
     lambda r: r["proposition_id"].astype("string")),
    ("statement", "The proposition's wording.", lambda r: _named(r, "propositions", "proposition_id", "proposition_id", "statement")),
    ("plan_id", "For a position on a named plan (`named-plan-accepted`), the plan (`proposals.proposal_id`).",
     lambda r: plan_of(r)),
    ("plan_name", "The plan's name.", lambda r: plan_of(r).map(r.attrs["tables"]["proposals"].set_index("proposal_id")["name"]).astype("string")),
    ("stance", "support, conditional or oppose.", lambda r: r["stance"].astype("string")),
    ("scale_min", "The lowest point of the issue's scale the row is compatible with (0 = the outcome most favourable "
                  "to Ukraine; coding manual, section 12); empty when not placed.", lambda r: r["scale_min"]),
    ("scale_max", "The highest such point; equal to scale_min for a point.", lambda r: r["scale_max"]),
    ("scale_basis", "derived (from stance and proposition), coded (by the manual) or none (not placed, scale_note says why).",
     lambda r: r["scale_basis"].astype("string")),
    ("kind", "demand, offer, threat, rejection (positions); leverage, recommendation (not positions).",
     lambda r: r["kind"].astype("string")),
    ("evidence", "stated (the actor's own words), reported (the source reports it) or assessed (the author's reading).",
     lambda r: r["evidence"].astype("string")),
    ("status", "open, met, rejected, withdrawn, lapsed, or hypothetical (a bargain the author imagines).",
     lambda r: r["status"].astype("string")),
    ("date", "The date that places the row, as written (its own, else its event's, else its source's).",
     lambda r: r["timeline_date"].astype("string")),
    ("date_basis", "What placed it: date (its own), event (its event's) or observed (its source's date).",
     lambda r: r["timeline_basis"].astype("string")),
    ("date_precision", "How precise the date is: day, month, season, year or interval.",
     lambda r: r["timeline_precision"].astype("string")),
    ("date_first_day", "First day the date covers.", lambda r: r["timeline_first_day"]),
    ("date_last_day", "Last day the date covers.", lambda r: r["timeline_last_day"]),
    ("text", "The position in plain English (the coder's words).", lambda r: r["text"].astype("string")),
    ("source_id", "The source (`sources.source_id`).", lambda r: r["source_id"].astype("string")),
    ("source", "The source's short code and title.",
     lambda r: _named(r, "sources", "source_id", "source_id", "short_code") + " " + _named(r, "sources", "source_id", "source_id", "title")),
    ("quote", "The source's words the row rests on, verbatim.", lambda r: r["quote"].astype("string")),
)
VIEW_NAME = "positions"
VIEW_TITLE = "Positions, with names"
VIEW_DESCRIPTION = ("Every row of demands with its actor's name and side, the proposition's wording, the plan, the "
                    "date and source, and whether `peacetalks positions` counts it (in_positions) and if not why. "
                    "Derived from the tables; not a CSV of the package.")


def has_view(tables) -> bool:
    return all(name in tables and set(columns) <= set(tables[name].columns) for name, columns in VIEW_NEEDS.items())


def position_view(tables) -> pd.DataFrame:
    """The exports' positions view: one row per demands row, the columns of VIEW_COLUMNS, in time order."""
    rows = tables["demands"].copy()
    rows.attrs["tables"] = tables
    view = pd.DataFrame({name: make(rows) for name, _, make in VIEW_COLUMNS})
    return view.sort_values(["date_first_day", "demand_id"], kind="stable", na_position="last").reset_index(drop=True)


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
    keys = [by, "proposition_id", "plan"]
    obs = observations(rows, by)
    obs = obs[obs[keys].notna().all(axis=1)].reset_index(drop=True)  # as a groupby on the keys would drop them
    # observations() sorts by the keys, then time: an observation follows its predecessor when the keys match.
    # Whole columns at once (a loop over the groups took minutes at 200,000 rows).
    follows = np.ones(len(obs), dtype=bool)
    for key in keys:
        values = obs[key].astype(object).to_numpy()
        follows[1:] &= values[1:] == values[:-1]
    follows[:1] = False
    stances = obs["stance"].astype(object).to_numpy()
    changed = np.flatnonzero(follows & np.r_[False, stances[1:] != stances[:-1]])
    before, after = obs.iloc[changed - 1].reset_index(drop=True), obs.iloc[changed].reset_index(drop=True)
    return pd.DataFrame({
        by: before[by], "proposition_id": before["proposition_id"], "plan": before["plan"], "statement": before["statement"],
        "from_stance": before["stance"], "to_stance": after["stance"], "from_when": before["when_text"],
        "to_when": after["when_text"], "from_basis": before["when_basis"], "to_basis": after["when_basis"],
        "from_source": before["source"], "to_source": after["source"],
        "from_ids": before["ids"].map(";".join), "to_ids": after["ids"].map(";".join),
        "from_quotes": before["quotes"].map(" | ".join), "to_quotes": after["quotes"].map(" | ".join)},
        columns=[by, "proposition_id", "plan", "statement", "from_stance", "to_stance", "from_when", "to_when", "from_basis",
                 "to_basis", "from_source", "to_source", "from_ids", "to_ids", "from_quotes", "to_quotes"])


def render_text(table: pd.DataFrame, by: str) -> str:
    lines = []
    for (proposition, plan), group in table.groupby(["proposition_id", "plan"], sort=True):
        lines.append(one_line(f"{position_key(proposition, plan)}: {group['statement'].iloc[0]}"))
        names = [one_line(str(g)) for g in group[by]]
        width = max(len(name) for name in names)
        lines += [one_line(f"  {name:<{width}}  {s} ({c})") for name, s, c in zip(names, group["stance"], group["counts"])]
    return "\n".join(lines)


def render_changes_text(table: pd.DataFrame, by: str) -> str:
    lines = []
    for change in table.itertuples(index=False):
        lines.append(one_line(f"{getattr(change, by)} on {position_key(change.proposition_id, change.plan)}: "
                              f"{change.from_stance} -> {change.to_stance}"))
        for when, basis, source, ids, quotes in ((change.from_when, change.from_basis, change.from_source, change.from_ids, change.from_quotes),
                                                 (change.to_when, change.to_basis, change.to_source, change.to_ids, change.to_quotes)):
            lines.append(one_line(f"  {when} ({basis}, {source}) {ids}:"))
            lines += [one_line(f"    \"{quote}\"") for quote in quotes.split(" | ")]
    lines.append(f"{len(table)} change{'s' if len(table) != 1 else ''} of stance between sources.")
    return "\n".join(lines)


def render(table: pd.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        return table.to_csv(index=False, lineterminator="\n")
    return json_text(table.to_dict("records"), default=str)


# --- how far apart: positions placed on issue scales (coding manual, sections 12 and 13) ---------------------

OFFICIAL = "official"
UP, DOWN = "toward Russia", "toward Ukraine"


def placed_rows(tables) -> pd.DataFrame:
    """Every position row placed on its issue's scale (scale_basis derived or coded), with its actor, side, voice
    (the row's, else the actor's; `voice_class` 'official' for the official voices), interval, best date
    (`when_text` as written, `when_basis` date/event/observed) and quote, and its step in a supersedes chain."""
    demands = tables["demands"]
    rows = demands[demands["scale_min"].notna() & demands["scale_max"].notna()]
    actors = tables["actors"].set_index("actor_id")
    sources = tables["sources"].set_index("source_id")
    issues = tables["issues"].set_index("issue_id")
    official = rows["official_voice"].fillna(False).astype(bool)
    voice = rows["voice_effective"].astype("string")
    out = pd.DataFrame({
        "demand_id": rows["demand_id"].astype("string"), "issue_id": rows["issue_id"].astype("string"),
        "issue": rows["issue_id"].map(issues["label"]).astype("string"),
        "side": rows["actor_id"].map(actors["side"]).astype("string"), "actor": rows["actor_id"].astype("string"),
        "voice": voice, "voice_class": voice.where(~official, OFFICIAL),
        "proposition_id": rows["proposition_id"].astype("string"), "stance": rows["stance"].astype("string"),
        "low": rows["scale_min"].astype("int64"), "high": rows["scale_max"].astype("int64"),
        "basis": rows["scale_basis"].astype("string"),
        "when": rows["timeline_first_day"], "when_text": rows["timeline_date"].astype("string"),
        "when_basis": rows["timeline_basis"].astype("string"),
        "source": rows["source_id"].map(sources["short_code"]).astype("string"), "quote": rows["quote"].astype("string"),
        "step": _steps(demands).reindex(rows.index).fillna(0).astype("int64"),
    })
    return out.sort_values(["issue_id", "when", "source", "step", "demand_id"], kind="stable").reset_index(drop=True)


def _steps(demands: pd.DataFrame) -> pd.Series:
    """How many rows a row supersedes, going back (0 for a row that supersedes none): the source's order."""
    earlier = dict(zip(demands["demand_id"], demands["supersedes"]))
    steps = []
    for demand_id in demands["demand_id"]:
        count, seen, current = 0, {demand_id}, earlier.get(demand_id)
        while isinstance(current, str) and current not in seen:  # the validator rules out cycles; never loop
            count, current = count + 1, earlier.get(current)
            seen.add(current)
        steps.append(count)
    return pd.Series(steps, index=demands.index)


def _place(lows: list[int], highs: list[int]) -> tuple[int, int, bool]:
    """The intersection of the rows' intervals; where it is empty, their hull, flagged inconsistent."""
    low, high = max(lows), min(highs)
    return (low, high, False) if low <= high else (min(lows), max(highs), True)


def group_label(side: str, voice_class: str) -> str:
    """A side's official voice is the side; any other voice is labelled beside it: 'united-states (legislature)'."""
    return side if voice_class == OFFICIAL else f"{side} ({voice_class})"


def scale_observations(placed: pd.DataFrame, by: str = "side", all_voices: bool = False) -> pd.DataFrame:
    """One row per group (an actor, or a side's voice), issue and observation: the rows of one source at one step
    of a supersedes chain, at their earliest best date. Groups keep voices apart: an actor's official and unofficial
    rows, or a side's official voice and each other voice, are separate series. Without `all_voices`, a side is only
    its official voice; with it every voice is a series of its own, labelled."""
    if by == "side":
        rows = placed if all_voices else placed[placed["voice_class"] == OFFICIAL]
        group = [group_label(s, v) for s, v in zip(rows["side"], rows["voice_class"])]
    else:
        rows = placed
        group = [a if v == OFFICIAL else f"{a} ({v})" for a, v in zip(rows["actor"], rows["voice_class"])]
    rows = rows.assign(group=pd.Series(group, index=rows.index, dtype="string"))
    found = []
    for (name, issue, source, step), obs in rows.groupby(["group", "issue_id", "source", "step"], sort=False):
        low, high, inconsistent = _place(list(obs["low"]), list(obs["high"]))
        first = obs.sort_values(["when", "demand_id"], kind="stable").iloc[0]
        found.append({"group": name, "side": first["side"], "voice_class": first["voice_class"], "issue_id": issue,
                      "issue": first["issue"], "low": low, "high": high, "inconsistent": inconsistent,
                      "when": obs["when"].min(), "when_text": first["when_text"], "when_basis": first["when_basis"],
                      "source": source, "step": step, "ids": list(obs["demand_id"]), "quotes": list(obs["quote"])})
    columns = ["group", "side", "voice_class", "issue_id", "issue", "low", "high", "inconsistent", "when", "when_text",
               "when_basis", "source", "step", "ids", "quotes"]
    table = pd.DataFrame(found, columns=columns)
    return table.sort_values(["group", "issue_id", "when", "source", "step"], kind="stable").reset_index(drop=True)


def place_text(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}-{high}"


def step_between(before: tuple[int, int], after: tuple[int, int]) -> tuple[str, str] | None:
    """The movement from one place to the next: its direction and size ('2', 'at least 1', 'unclear'); None when
    the place is the same or one place holds the other (a point inside an interval is the same stance said more
    precisely, not a move)."""
    (b_low, b_high), (a_low, a_high) = before, after
    if (b_low <= a_low and a_high <= b_high) or (a_low <= b_low and b_high <= a_high):
        return None  # the same place, or one holds the other: said more or less precisely, not moved
    if a_low >= b_low and a_high >= b_high:
        direction = UP
    elif a_low <= b_low and a_high <= b_high:
        direction = DOWN
    else:
        return None
    if b_low == b_high and a_low == a_high:
        return direction, str(abs(a_low - b_low))
    gap = a_low - b_high if direction == UP else b_low - a_high
    return direction, f"at least {gap}" if gap > 0 else "unclear"


def scale_changes(placed: pd.DataFrame, by: str = "actor") -> pd.DataFrame:
    """Each movement along an issue's scale between consecutive observations of one actor (or one voice of a side:
    its official voice, or one other voice, never two unlike voices), with both places, the direction, the size
    where the scale allows, and both observations' dates (with their basis), sources, ids and quotes."""
    observed = scale_observations(placed, by, all_voices=True)
    found = []
    for _, obs in observed.groupby(["group", "issue_id"], sort=True):
        for before, after in zip(obs.itertuples(index=False), obs.iloc[1:].itertuples(index=False)):
            moved = step_between((before.low, before.high), (after.low, after.high))
            if moved is None:
                continue
            found.append({"side": before.side, by: before.group, "voice": before.voice_class, "issue_id": before.issue_id,
                          "from_place": place_text(before.low, before.high), "to_place": place_text(after.low, after.high),
                          "direction": moved[0], "size": moved[1],
                          "same_source": before.source == after.source,
                          "from_when": before.when_text, "to_when": after.when_text,
                          "from_basis": before.when_basis, "to_basis": after.when_basis,
                          "from_source": before.source, "to_source": after.source,
                          "from_ids": ";".join(before.ids), "to_ids": ";".join(after.ids),
                          "from_quotes": " | ".join(before.quotes), "to_quotes": " | ".join(after.quotes)})
    columns = list(dict.fromkeys([by, "side"])) + ["voice", "issue_id", "from_place", "to_place", "direction", "size", "same_source", "from_when",
               "to_when", "from_basis", "to_basis", "from_source", "to_source", "from_ids", "to_ids", "from_quotes",
               "to_quotes"]
    return pd.DataFrame(found, columns=columns)


def render_scale_changes_text(table: pd.DataFrame, by: str) -> str:
    lines = []
    for change in table.itertuples(index=False):
        within = ", ordered by one source" if change.same_source else ""
        lines.append(f"{getattr(change, by)} on {change.issue_id}: {change.from_place} -> {change.to_place}, "
                     f"{change.direction} ({change.size}{within})")
        for when, basis, source, ids, quotes in ((change.from_when, change.from_basis, change.from_source, change.from_ids, change.from_quotes),
                                                 (change.to_when, change.to_basis, change.to_source, change.to_ids, change.to_quotes)):
            lines.append(f"  {when} ({basis}, {source}) {ids}:")
            lines += [f"    \"{quote}\"" for quote in quotes.split(" | ")]
    lines.append(f"{len(table)} movement{'s' if len(table) != 1 else ''} along an issue's scale (0 = Ukraine's end).")
    return "\n".join(lines)


def _gap(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    """The smallest and largest distance between a point of one interval and a point of the other."""
    (a_low, a_high), (b_low, b_high) = a, b
    return max(0, max(a_low, b_low) - min(a_high, b_high)), max(a_high, b_high) - min(a_low, b_low)


def distance(tables, all_voices: bool = False, issues=None) -> pd.DataFrame:
    """Per issue and observation time, each pair of sides' places on the issue's scale and the gap between them: a
    number where both places are points, a range where only bounds are known. At each observation (a side's rows
    of one source), every other side's latest earlier observation stands; each figure lists the rows behind it.
    Official voices only unless `all_voices` (then every voice, labelled 'side (voice)')."""
    observed = scale_observations(placed_rows(tables), "side", all_voices)
    if issues:
        observed = observed[observed["issue_id"].isin(list(issues))]
    top = tables["scales"].groupby("issue_id", observed=True)["order"].max() if "scales" in tables else pd.Series(dtype="int64")
    found = []
    for issue, obs in observed.groupby("issue_id", sort=True):
        latest: dict[str, object] = {}
        # One time slice is one source's observations at one step: every side it places moves at once.
        for _, sliced in obs.groupby(["when", "source", "step"], sort=True, dropna=False):
            for current in sliced.itertuples(index=False):
                latest[current.group] = current
            moved = set(sliced["group"])
            names = sorted(latest)
            for i, first in enumerate(names):
                for second in names[i + 1:]:
                    a, b = latest[first], latest[second]
                    if not moved & {first, second}:
                        continue  # only the pairs this observation changes
                    low, high = _gap((a.low, a.high), (b.low, b.high))
                    found.append({"issue_id": issue, "issue": current.issue, "scale_top": int(top.get(issue, 0)),
                                  "when": current.when_text, "when_basis": current.when_basis,
                                  "side_a": first, "place_a": place_text(a.low, a.high), "when_a": a.when_text,
                                  "inconsistent_a": a.inconsistent,
                                  "side_b": second, "place_b": place_text(b.low, b.high), "when_b": b.when_text,
                                  "inconsistent_b": b.inconsistent,
                                  "gap": place_text(low, high), "gap_min": low, "gap_max": high,
                                  "ids_a": ";".join(a.ids), "ids_b": ";".join(b.ids),
                                  "quotes_a": " | ".join(a.quotes), "quotes_b": " | ".join(b.quotes),
                                  "_when": current.when})
    columns = ["issue_id", "issue", "scale_top", "when", "when_basis", "side_a", "place_a", "when_a", "inconsistent_a",
               "side_b", "place_b", "when_b", "inconsistent_b", "gap", "gap_min", "gap_max", "ids_a", "ids_b", "quotes_a",
               "quotes_b"]
    return pd.DataFrame(found, columns=columns + ["_when"])[columns]


def render_distance_text(table: pd.DataFrame) -> str:
    lines = []
    for (issue, label, top), group in table.groupby(["issue_id", "issue", "scale_top"], sort=True):
        lines.append(f"{issue} ({label}; 0 = Ukraine's end, {top} = Russia's end):")
        for row in group.itertuples(index=False):
            flag = lambda bad: " inconsistent" if bad else ""  # noqa: E731
            lines.append(f"  {row.when} ({row.when_basis}): {row.side_a} {row.place_a}{flag(row.inconsistent_a)} "
                         f"[{row.ids_a}] vs {row.side_b} {row.place_b}{flag(row.inconsistent_b)} [{row.ids_b}]: gap {row.gap}")
    lines.append(f"{len(table)} distance{'s' if len(table) != 1 else ''} between sides on scaled issues.")
    return "\n".join(lines)
