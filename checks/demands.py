"""Rules of the demands (positions) table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import Rule, shown_value

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


# The terms of one proposal, as one source gives them for one actor (and one analyst), are one account of one plan:
# how the source knows them is one thing, whatever verb introduces each term (coding manual, section 3.3).
# Recommendations are the author's advice, not the actor's terms, and are left out.
PROPOSAL_ACCOUNT = ["proposal_id", "actor_id", "source_id", "asserted_by"]


def _terms(df):
    return df["proposal_id"].notna() & ~df["kind"].isin(NOT_POSITIONS)


def _first_of_account(df):
    """For each row, the position of the first term of its proposal account (itself where it is not a term)."""
    group = df[PROPOSAL_ACCOUNT].fillna("").groupby(PROPOSAL_ACCOUNT, sort=False).ngroup().where(_terms(df), -1 - np.arange(len(df)))
    return pd.Series(np.arange(len(df)), index=df.index).groupby(group.to_numpy()).transform("min").to_numpy()


def _terms_share_evidence(df):
    first = _first_of_account(df)
    return pd.Series(df["evidence"].fillna("").to_numpy() == df["evidence"].fillna("").to_numpy()[first], index=df.index)


def _name_the_first_term(id_field: str | None):
    def explain(df, rows):
        first = _first_of_account(df)
        return [f"evidence {shown_value(df['evidence'].iat[row])!r} differs from {shown_value(df['evidence'].iat[first[row]])!r} of "
                f"{('row ' + id_field + '=' + str(df[id_field].iat[first[row]])) if id_field else 'another row'}, a term of the same "
                f"proposal {shown_value(df['proposal_id'].iat[row])!r} by the same actor in the same source: the terms of one "
                "proposal share evidence, whatever verb introduces each (coding manual, section 3.3)" for row in rows]
    return explain


SAME_POSITION = "has the same actor, issue, proposition {!r}, kind, proposal, asserted_by and source; merge them into one"


def _name_the_first_row(id_field: str | None):
    """The message of each repeated position, naming the first row of its kind."""
    def explain(df, rows):
        group = df[GRAIN].fillna("").groupby(GRAIN, sort=False).ngroup().to_numpy()
        first = pd.Series(np.arange(len(df))).groupby(group).transform("min").to_numpy()
        return [f"another row{f' ({id_field}={df[id_field].iat[first[row]]})' if id_field else ''} "
                + SAME_POSITION.format(shown_value(df["proposition_id"].iat[row])) for row in rows]
    return explain


def _voice_with_note(df):
    return df["voice"].isna() == df["voice_note"].isna()


def _placement_complete(df):
    given = df["scale_min"].notna() & df["scale_max"].notna()
    placed = df["scale_basis"].isin(["derived", "coded"])
    return df["scale_basis"].isna() | (placed == given) & (df["scale_min"].isna() == df["scale_max"].isna())


def _min_not_above_max(df):
    low, high = pd.to_numeric(df["scale_min"], errors="coerce"), pd.to_numeric(df["scale_max"], errors="coerce")
    return low.isna() | high.isna() | (low <= high)


def _note_where_judged(df):
    return ~df["scale_basis"].isin(["coded", "none"]) | df["scale_note"].notna()


def _not_itself(df):
    return df["supersedes"].isna() | (df["supersedes"] != df["demand_id"])


def rules(resource) -> list[Rule]:
    key = resource.primary_key
    return [
        Rule("voice-note", "voice_note", lambda row: (
            "voice {!r} is given without voice_note: say why the row's voice differs from its actor's, citing the quote "
            "(coding manual, section 13)".format(row["voice"]) if row["voice"] else
            "voice_note is given but voice is empty: give the row's voice, or drop the note"), _voice_with_note,
            uses=("voice", "voice_note")),
        Rule("scale-placement", "scale_basis", lambda row: (
            f"scale_basis {row['scale_basis']!r} needs both scale_min and scale_max (found {row['scale_min']!r}, "
            f"{row['scale_max']!r})" if row["scale_basis"] in ("derived", "coded") else
            f"scale_basis 'none' places nothing: empty scale_min and scale_max (found {row['scale_min']!r}, "
            f"{row['scale_max']!r})"), _placement_complete, uses=("scale_basis", "scale_min", "scale_max")),
        Rule("scale-order", "scale_min", "scale_min {scale_min!r} is above scale_max {scale_max!r}", _min_not_above_max),
        Rule("scale-note", "scale_note", "scale_basis {scale_basis!r} needs scale_note: the reason in one sentence "
             "(coding manual, section 12.3)", _note_where_judged),
        Rule("supersedes-not-itself", "supersedes", "{supersedes!r} is the row itself", _not_itself),
        Rule("one-row-per-position", "proposition_id", "another row " + SAME_POSITION.replace("{!r}", "{proposition_id!r}"),
             _one_row_per_grain, explain=_name_the_first_row(key[0] if len(key) == 1 else None)),
        Rule("stance-with-proposition", "stance",
             "stance {stance!r} and proposition_id {proposition_id!r} go together: give both or neither (coding manual, section 3.1)",
             _stance_with_proposition),
        Rule("recommendation-is-assessed", "kind",
             "a 'recommendation' is the author's or an analyst's advice, so evidence must be 'assessed' and status "
             "'hypothetical' (found {evidence!r}, {status!r}; coding manual, section 3.2)", _recommendation_is_assessed),
        Rule("proposal-terms-share-evidence", "evidence",
             "evidence {evidence!r} differs from another term of proposal {proposal_id!r} by the same actor in the same "
             "source: the terms of one proposal share evidence (coding manual, section 3.3)", _terms_share_evidence,
             explain=_name_the_first_term(key[0] if len(key) == 1 else None)),
    ]
