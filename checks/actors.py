"""Rules of the actors table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from peacetalks.validation.report import shown

from . import Rule
from peacetalks.validation.package import list_delimiter

# The columns whose every name must name one actor only (aliases is a delimited list).
NAME_COLUMNS = ["name", "aliases"]


def _names_of_earlier_rows(df: pd.DataFrame, delimiter: str) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Each name a row gives that an earlier row gives too, compared as people read them (case and spacing
    aside): the row, the name as written, and the earlier row. On Arrow arrays, with no string per cell."""
    names = _arrow(df["name"])
    aliases = pc.split_pattern(_arrow(df["aliases"]), delimiter)
    written = pa.concat_arrays([names, pc.list_flatten(aliases)])
    rows = np.concatenate([np.arange(len(df)), pc.list_parent_indices(aliases).to_numpy()])
    keys = pc.utf8_trim_whitespace(pc.replace_substring_regex(pc.utf8_lower(written), r"\s+", " "))
    given = np.asarray(pc.not_equal(keys, "").to_numpy(zero_copy_only=False), bool)
    codes = pc.dictionary_encode(keys).indices.to_numpy()
    first = np.full(codes.max() + 1 if len(codes) else 0, len(df))
    np.minimum.at(first, codes[given], rows[given])
    owner = first[codes]
    taken = given & (owner < rows)
    return rows[taken], written.filter(pa.array(taken)).to_pylist(), owner[taken]


def _arrow(cells: pd.Series) -> pa.Array:
    array = pa.array(cells.fillna(""), pa.string())
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _one_actor_per_name(delimiter: str):
    def passes(df: pd.DataFrame) -> pd.Series:
        ok = np.ones(len(df), bool)
        ok[_names_of_earlier_rows(df, delimiter)[0]] = False
        return pd.Series(ok, index=df.index)
    return passes


def _say_who_else(id_field: str, delimiter: str):
    def explain(df: pd.DataFrame, rows: np.ndarray) -> list[str]:
        ids, said = df[id_field].to_numpy(), {}
        for row, name, owner in zip(*(list(x) for x in _names_of_earlier_rows(df, delimiter))):
            said.setdefault(row, []).append(f"{shown(name)} also names {id_field}={ids[owner]}")
        return [f"{'; '.join(said[row])}: one actor per person or body, with the other spellings in aliases" for row in rows]
    return explain


def rules(resource) -> list[Rule]:
    out = [Rule("not-own-affiliation", "affiliation_id", "{affiliation_id!r} is the actor itself",
                lambda df: df["affiliation_id"].isna() | (df["affiliation_id"] != df["actor_id"]))]
    aliases, key = resource.field("aliases"), resource.primary_key
    if aliases and resource.field("name") and len(key) == 1:
        delimiter = list_delimiter(aliases)
        out.append(Rule("one-actor-per-name", "name", "a name or alias of this row names another actor",
                        _one_actor_per_name(delimiter), explain=_say_who_else(key[0], delimiter)))
    return out
