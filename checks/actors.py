"""Rules of the actors table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from peacetalks.report import shown

from . import Rule

# The columns whose every name must name one actor only (aliases is a delimited list).
NAME_COLUMNS = ["name", "aliases"]


def _names(df: pd.DataFrame, delimiter: str) -> pd.DataFrame:
    """One row per (actor row, name it gives), compared as people read them: case and spacing aside."""
    lists = df["aliases"].fillna("").str.split(delimiter, regex=False)
    names = pd.concat([pd.Series(df["name"].fillna("").to_numpy(), index=np.arange(len(df))),
                       pd.Series(lists.to_numpy(), index=np.arange(len(df))).explode()])
    names = names[names.astype(bool) & names.notna()].astype(str)
    return pd.DataFrame({"row": names.index, "shown": names.to_numpy(),
                         "key": names.str.replace(r"\s+", " ", regex=True).str.strip().str.casefold().to_numpy()})


def _first_owner(df: pd.DataFrame, delimiter: str) -> pd.DataFrame:
    """Each name an actor gives that an earlier actor row gives too, with that earlier row (`owner`)."""
    names = _names(df, delimiter).drop_duplicates(["row", "key"]).sort_values("row", kind="stable")
    names["owner"] = names.groupby("key", sort=False)["row"].transform("min")
    return names[names["owner"] != names["row"]]


def _one_actor_per_name(delimiter: str):
    def passes(df: pd.DataFrame) -> pd.Series:
        taken = _first_owner(df, delimiter)
        ok = np.ones(len(df), bool)
        ok[taken["row"].unique()] = False
        return pd.Series(ok, index=df.index)
    return passes


def _say_who_else(id_field: str, delimiter: str):
    def explain(df: pd.DataFrame, rows: np.ndarray) -> list[str]:
        taken = _first_owner(df, delimiter)
        ids, said = df[id_field].to_numpy(), {}
        for row, name, owner in zip(taken["row"].tolist(), taken["shown"].tolist(), taken["owner"].tolist()):
            said.setdefault(row, []).append(f"{shown(name)} also names {id_field}={ids[owner]}")
        return [f"{'; '.join(said[row])}: one actor per person or body, with the other spellings in aliases" for row in rows]
    return explain


def rules(resource) -> list[Rule]:
    out = [Rule("not-own-affiliation", "affiliation_id", "{affiliation_id!r} is the actor itself",
                lambda df: df["affiliation_id"].isna() | (df["affiliation_id"] != df["actor_id"]))]
    aliases, key = resource.field("aliases"), resource.primary_key
    if aliases and resource.field("name") and len(key) == 1:
        delimiter = aliases.get("delimiter", ",")
        out.append(Rule("one-actor-per-name", "name", "a name or alias of this row names another actor",
                        _one_actor_per_name(delimiter), explain=_say_who_else(key[0], delimiter)))
    return out
