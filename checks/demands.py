"""Rules of the demands table."""

from __future__ import annotations

from . import Rule

GRAIN = ["actor_id", "issue_id", "kind", "proposal_id", "source_id"]


def _one_row_per_grain(df):
    # One row per actor, issue, kind, proposal and source: two terms of one plan on one issue are one row.
    return ~df[GRAIN].fillna("").duplicated(keep="first")


def rules(resource) -> list[Rule]:
    return [Rule("one-row-per-position", "issue_id",
                 "{issue_id!r}: another row has the same actor, issue, kind, proposal and source; merge them into one",
                 _one_row_per_grain)]
