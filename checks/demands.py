"""Rules of the demands (positions) table."""

from __future__ import annotations

from . import Rule

# One row per actor, proposition (or issue, where there is none), kind, proposal, analyst and source: two terms of
# one plan on one proposition are one row.
GRAIN = ["actor_id", "issue_id", "proposition_id", "kind", "proposal_id", "asserted_by", "source_id"]
NOT_POSITIONS = ("recommendation",)


def _one_row_per_grain(df):
    return ~df[GRAIN].fillna("").duplicated(keep="first")


def _stance_with_proposition(df):
    return df["proposition_id"].isna() == df["stance"].isna()


def _recommendation_is_assessed(df):
    advised = df["kind"].isin(NOT_POSITIONS)
    return ~advised | ((df["evidence"] == "assessed") & (df["status"] == "hypothetical"))


def rules(resource) -> list[Rule]:
    return [
        Rule("one-row-per-position", "proposition_id",
             "another row has the same actor, issue, proposition {proposition_id!r}, kind, proposal, asserted_by and source; merge them into one",
             _one_row_per_grain),
        Rule("stance-with-proposition", "stance",
             "stance {stance!r} and proposition_id {proposition_id!r} go together: give both or neither (coding manual, section 3.1)",
             _stance_with_proposition),
        Rule("recommendation-is-assessed", "kind",
             "a 'recommendation' is the author's or an analyst's advice, so evidence must be 'assessed' and status "
             "'hypothetical' (found {evidence!r}, {status!r}; coding manual, section 3.2)", _recommendation_is_assessed),
    ]
