"""Rules of the demands table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import Rule

GRAIN = ["actor_id", "issue_id", "kind", "proposal_id", "source_id"]


def _one_row_per_grain(df):
    # One row per actor, issue, kind, proposal and source: two terms of one plan on one issue are one row.
    return ~df[GRAIN].fillna("").duplicated(keep="first")


def _name_the_first_row(id_field: str | None):
    def explain(df, rows):
        grain = df[GRAIN].fillna("")
        group = grain.groupby(GRAIN, sort=False).ngroup().to_numpy()
        first = pd.Series(np.arange(len(df))).groupby(group).transform("min").to_numpy()
        other = [f"another row ({id_field}={df[id_field].iat[first[row]]})" if id_field else "another row"
                 for row in rows]
        return [f"{df['issue_id'].iat[row]!r}: {who} has the same actor, issue, kind, proposal and source; "
                "merge them into one" for row, who in zip(rows, other)]
    return explain


def rules(resource) -> list[Rule]:
    key = resource.primary_key
    return [Rule("one-row-per-position", "issue_id",
                 "{issue_id!r}: another row has the same actor, issue, kind, proposal and source; merge them into one",
                 _one_row_per_grain, explain=_name_the_first_row(key[0] if len(key) == 1 else None))]
