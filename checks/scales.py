"""Issue scales: the rules of the scales table, and where a position row falls on its issue's scale.

A scale runs from 0, the outcome most favourable to Ukraine, to n, the one most favourable to Russia
(coding manual, section 'Scales'). `derived_interval` is the one mechanical placement of a position: the
validator recomputes it for every row whose scale_basis is 'derived', and checks that a 'coded' row lies
inside it; `not_derivable` says why a row has no derived placement (then scale_basis is 'coded' or 'none').
"""

from __future__ import annotations

import pandas as pd

from . import Rule

POSITION_KINDS = ("demand", "offer", "threat", "rejection")


def derived_interval(stance: str, order: int, push: str, top: int) -> tuple[int, int] | None:
    """The points a position is compatible with: support is the proposition's point; oppose is every point
    on the near side of it (below it when supporting pushes up, above it when it pushes down)."""
    if stance == "support":
        return order, order
    if stance == "oppose":
        return (0, order - 1) if push == "up" else (order + 1, top)
    return None


def not_derivable(row: dict, scaled: bool) -> str | None:
    """Why a row has no derived placement, in the words its scale_note uses; None when it has one."""
    if not scaled:
        return f"the issue {row['issue_id']!r} has no scale"
    if not row.get("proposition_id"):
        return "the row has no proposition"
    if row.get("kind") not in POSITION_KINDS:
        return f"a {row.get('kind')!r} row is not a position of the actor"
    if row.get("status") == "hypothetical":
        return "a hypothetical row is a bargain an author imagines, not a position held"
    if row.get("stance") not in ("support", "oppose"):
        return f"a {row.get('stance')!r} stance names a condition, not a point"
    return None


def _orders(df: pd.DataFrame) -> pd.Series:
    return pd.to_numeric(df["order"], errors="coerce")


def _id_is_issue_and_order(df: pd.DataFrame) -> pd.Series:
    expected = df["issue_id"].fillna("") + "-" + df["order"].fillna("")
    return df["scale_point_id"].isna() | df["issue_id"].isna() | df["order"].isna() | (df["scale_point_id"] == expected)


def _orders_without_gaps(df: pd.DataFrame) -> pd.Series:
    orders = _orders(df)
    ok = pd.Series(True, index=df.index)
    for _, group in orders.groupby(df["issue_id"].fillna("")):
        found = sorted(group.dropna().astype(int))
        if found != list(range(len(found))) or len(found) < 2:
            ok[group.index] = False
    return ok


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
    return [
        Rule("scale-point-id", "scale_point_id", "{scale_point_id!r} is not the issue and order '{issue_id}-{order}'; "
             "name every point <issue_id>-<order>", _id_is_issue_and_order),
        Rule("scale-orders", "order", "orders of a scale", _orders_without_gaps, explain=_describe_orders(None)),
    ]
