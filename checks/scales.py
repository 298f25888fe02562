"""Issue scales: the rules of the scales table, and where a position row falls on its issue's scale.

A scale runs from 0, the outcome most favourable to Ukraine, to n, the one most favourable to Russia
(coding manual, section 'Scales'). `derived_interval` is the one mechanical placement of a position: the
validator recomputes it for every row whose scale_basis is 'derived', and checks that a 'coded' row lies
inside it; `not_derivable` says why a row has no derived placement (then scale_basis is 'coded' or 'none').
"""

from __future__ import annotations

import pandas as pd

from . import Rule, column_numbers, once_per_frame

POSITION_KINDS = ("demand", "offer", "threat", "rejection")


def derived_interval(stance: str, order: int, push: str, top: int) -> tuple[int, int] | None:
    """The points a position is compatible with: support is the proposition's point; oppose is every point
    on the near side of it (below it when supporting pushes up, above it when it pushes down)."""
    if stance == "support":
        return order, order
    if stance == "oppose":
        return (0, order - 1) if push == "up" else (order + 1, top)
    return None


def _given(value) -> bool:
    return value is not None and value == value and value != ""  # NaN != NaN: a missing cell


def not_derivable(row: dict, scaled: bool) -> str | None:
    """Why a row has no derived placement, in the words its scale_note uses; None when it has one."""
    row = {key: value if _given(value) else None for key, value in row.items()}
    if not scaled:
        return f"the issue {row['issue_id']!r} has no scale"
    if not row.get("proposition_id"):
        return "the row has no proposition"
    if row.get("kind") not in POSITION_KINDS:
        return f"a {row.get('kind')!r} row is not a position of the actor"
    if row.get("status") == "hypothetical":
        return "a hypothetical row is a bargain an author imagines, not a position held"
    if not row.get("stance"):
        return "the row has no stance"
    if row.get("stance") not in ("support", "oppose"):
        return f"a {row.get('stance')!r} stance names a condition, not a point"
    return None


def _orders(df: pd.DataFrame) -> pd.Series:
    return pd.to_numeric(df["order"], errors="coerce")


def _orders_without_gaps(df: pd.DataFrame) -> pd.Series:
    """Each issue's orders are 0..n, none repeated, at least two (a missing order is the type rule's to report).
    Counted per issue at once: a loop over the issues costs seconds on a scaled copy."""
    orders = _orders(df).dropna().astype(int)  # as sorted(...astype(int)) would see them
    issue = df["issue_id"].fillna("").astype(str)
    by_issue = orders.groupby(issue[orders.index])
    found = pd.DataFrame({"count": by_issue.size(), "distinct": by_issue.nunique(), "low": by_issue.min(),
                          "high": by_issue.max()})
    good = found.index[(found["count"] >= 2) & (found["distinct"] == found["count"]) & (found["low"] == 0)
                       & (found["high"] == found["count"] - 1)]
    return issue.isin(set(good))


def _describe_orders(df: pd.DataFrame):
    def explain(frame, rows):
        orders = _orders(frame)
        messages = []
        for row in rows:
            issue = frame["issue_id"].iat[row]
            found = sorted(int(o) for o in orders[frame["issue_id"] == issue].dropna())
            messages.append(f"the points of issue {issue!r} have orders {found}; a scale has orders 0..n without gaps "
                            "or repeats, and at least two points")
        return messages
    return explain


def rules(resource) -> list[Rule]:
    # (issue_id, order) is the key: orders of an issue never repeat. The id <issue_id>-<order> is a convention,
    # left unchecked so that a copy whose ids all carry a suffix (make bench) stays valid.
    return [
        Rule("scale-orders", "order", "orders of a scale", _orders_without_gaps, explain=_describe_orders(None)),
    ]


# --- rules across tables (run by checks/links.py after the keys layer) ---

_numbers = column_numbers


def _derived_bounds(df: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The derived interval of each row (NA where the row has none) and whether it has one (three rules ask)."""
    return once_per_frame(df, "derived bounds", _compute_derived_bounds)


def _compute_derived_bounds(df: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    order, top = _numbers(df, "proposition_order"), _numbers(df, "issue_scale_top")
    support, oppose = df["stance"] == "support", df["stance"] == "oppose"
    up = df["proposition_push"] == "up"
    low = order.where(support, (order * 0).where(up, order + 1).where(oppose))
    high = order.where(support, (order - 1).where(up, top).where(oppose))
    return low, high, derivable(df) & order.notna()


def derivable(df: pd.DataFrame) -> pd.Series:
    """`not_derivable(row) is None` for every row at once: a row-by-row call costs seconds at 200,000 rows."""
    def given(column):
        return df[column].fillna("").astype(str) != ""

    return (df["issue_scale_top"].notna() & given("proposition_id")
            & df["kind"].isin(list(POSITION_KINDS)).fillna(False)
            & (df["status"].fillna("") != "hypothetical")
            & df["stance"].isin(["support", "oppose"]).fillna(False)).astype(bool)


def _derived_matches(df):
    low, high, derivable = _derived_bounds(df)
    derived = df["scale_basis"] == "derived"
    same = (_numbers(df, "scale_min") == low) & (_numbers(df, "scale_max") == high)
    return ~derived | ~derivable | same.fillna(False)


def _derived_is_derivable(df):
    _, _, derivable = _derived_bounds(df)
    # Left to their own rules: an unscaled issue, a stance or proposition missing, unknown or not paired.
    judged = (df["issue_scale_top"].notna() & df["proposition_id"].notna() & df["proposition_order"].notna()
              & df["stance"].isin(["support", "oppose", "conditional"])
              & df["kind"].isin(list(POSITION_KINDS) + ["leverage", "recommendation"]))
    return (df["scale_basis"] != "derived") | derivable | ~judged


def _why_not_derivable(df, rows):
    rows = list(rows)  # only the rows reported: a record per row of the table costs seconds at 200,000 rows
    records = df[["issue_id", "proposition_id", "kind", "status", "stance"]].iloc[rows].to_dict("records")
    scaled = df["issue_scale_top"].iloc[rows].notna().tolist()
    return [f"scale_basis 'derived', but {not_derivable(record, on_scale) or 'the proposition is on no scale point'}: "
            "make it 'none' with that reason in scale_note, or 'coded' by the manual (section 12.3)"
            for record, on_scale in zip(records, scaled)]


def _say_derived(df, rows):
    low, high, _ = _derived_bounds(df)
    return [f"scale_min..scale_max is {df['scale_min'].iat[r]}..{df['scale_max'].iat[r]}, but stance "
            f"{df['stance'].iat[r]!r} on {df['proposition_id'].iat[r]!r} (point {df['proposition_order'].iat[r]}, push "
            f"{df['proposition_push'].iat[r]}) derives {int(low.iat[r])}..{int(high.iat[r])} (coding manual, section 12.3)"
            for r in rows]


def _coded_inside(df):
    low, high, derivable = _derived_bounds(df)
    coded = df["scale_basis"] == "coded"
    inside = (_numbers(df, "scale_min") >= low) & (_numbers(df, "scale_max") <= high)
    return ~coded | ~derivable | inside.fillna(True)


def _say_outside(df, rows):
    low, high, _ = _derived_bounds(df)
    return [f"coded placement {df['scale_min'].iat[r]}..{df['scale_max'].iat[r]} lies outside the derived "
            f"{int(low.iat[r])}..{int(high.iat[r])}: a coded placement may only narrow the derived one (coding manual, "
            "section 12.3)" for r in rows]


def _unscaled_is_none(df):
    return df["issue_scale_top"].notna() | df["scale_basis"].isna() | (df["scale_basis"] == "none")


def _on_the_scale(df):
    top = _numbers(df, "issue_scale_top")
    return top.isna() | df["scale_max"].isna() | (_numbers(df, "scale_max") <= top)


def placement_rules() -> list[Rule]:
    return [
        Rule("scale-unscaled-issue", "scale_basis", "issue {issue_id!r} has no scale, so scale_basis must be 'none' "
             "(found {scale_basis!r}; coding manual, section 12.1)", _unscaled_is_none),
        Rule("scale-on-the-scale", "scale_max", "scale_max {scale_max!r} is beyond the top of the scale of {issue_id!r} "
             "({issue_scale_top!r})", _on_the_scale),
        Rule("scale-derivable", "scale_basis", "scale_basis 'derived' cannot be derived", _derived_is_derivable,
             explain=_why_not_derivable),
        Rule("scale-derived", "scale_min", "derived placement differs", _derived_matches, explain=_say_derived),
        Rule("scale-coded-inside", "scale_min", "coded placement outside", _coded_inside, explain=_say_outside),
    ]


def proposition_rules() -> list[Rule]:
    def push_iff_scaled(df):
        return df["issue_scaled"].notna() == df["scale_push"].notna()

    def placed_once(df):
        return df["issue_scaled"].isna() | (df["placed_count"].fillna("0") == "1")

    def placed_on_own_issue(df):
        return df["placed_issue"].isna() | (df["placed_issue"] == df["issue_id"])

    return [
        Rule("scale-push", "scale_push", lambda row: (
            f"issue {row['issue_id']!r} has a scale, so scale_push must be 'up' or 'down' (coding manual, section 12.2)"
            if row["issue_scaled"] else f"issue {row['issue_id']!r} has no scale, so scale_push must be empty "
            f"(found {row['scale_push']!r})"), push_iff_scaled, uses=("issue_id", "issue_scaled", "scale_push")),
        Rule("scale-placed-once", "proposition_id", lambda row: (
            f"{row['proposition_id']!r} is on the scaled issue {row['issue_id']!r} but listed at "
            f"{row['placed_count'] or '0'} points of scales.propositions; list it at exactly one point"),
             placed_once, uses=("proposition_id", "issue_id", "placed_count")),
        Rule("scale-point-issue", "proposition_id", "{proposition_id!r} is listed at a point of issue {placed_issue!r}, "
             "but its issue is {issue_id!r}; list it on its own issue's scale", placed_on_own_issue),
    ]


def status_quo_rules() -> list[Rule]:
    def on_scale(df):
        return df["order"].isna() | (df["issue_scale_top"].notna() & (_numbers(df, "order") <= _numbers(df, "issue_scale_top")))
    return [Rule("status-quo-on-scale", "order", lambda row: (
        f"issue {row['issue_id']!r} has no scale; a status quo is placed only on a scaled issue" if not row["issue_scale_top"]
        else f"order {row['order']!r} is beyond the top of the scale of {row['issue_id']!r} ({row['issue_scale_top']!r})"),
        on_scale, uses=("issue_id", "order", "issue_scale_top"))]
