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


def position_rows(tables, kinds=POSITION_KINDS, hypothetical: bool = False, evidence=None,
                  all_voices: bool = False) -> pd.DataFrame:
    """The positions with a proposition, joined to their actor's name and side, the proposition's wording
    and the source, in time order. `evidence`: keep only these values (e.g. ("stated", "reported")).
    A side is its official voice: a row in another voice is grouped beside it as 'side (voice)' (coding manual,
    section 13), unless `all_voices` puts every voice in its side."""
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
    if "voice_effective" in rows.columns:
        voice = rows["voice_effective"].astype("string")
        official = rows["official_voice"].fillna(True).astype(bool)
        out["voice"] = voice
        if not all_voices:
            out["side"] = pd.Series([group_label(s, OFFICIAL if o else v) for s, v, o in zip(out["side"], voice, official)],
                                    index=out.index, dtype="string")
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
