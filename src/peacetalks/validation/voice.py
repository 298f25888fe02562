"""The voice a position row speaks with: its own (demands.voice), else its actor's (actors.voice), and whether
that is an official voice of its side (coding manual, section 13). `load()` adds the two columns."""

from __future__ import annotations

import pandas as pd

OFFICIAL_VOICES = ("head", "government", "foreign-ministry", "envoy")

# What each added column holds, for the codebook and the exports' metadata: (type, description).
VOICE_COLUMNS = {
    "voice_effective": ("string", "The voice the row speaks with: its own `voice` where given, else its actor's "
                                  "(`actors.voice`) (added by the loader; not in the CSV)."),
    "official_voice": ("boolean", "Whether that voice is an official voice of the actor's side: head, government, "
                                  "foreign-ministry or envoy (added by the loader; not in the CSV)."),
}


def has_voice(field_names: list[str], table: str) -> bool:
    """Whether add_voice gives the table its columns (given an actors table with `voice`)."""
    return table == "demands" and {"voice", "actor_id"} <= set(field_names)


def add_voice(tables: dict[str, pd.DataFrame]) -> None:
    """Add voice_effective and official_voice to the demands (in place), when both tables have their columns."""
    demands, actors = tables.get("demands"), tables.get("actors")
    if demands is None or actors is None or not has_voice(list(demands.columns), "demands") or "voice" not in actors:
        return
    own = demands["voice"].astype("string")
    actor_voice = demands["actor_id"].map(dict(zip(actors["actor_id"], actors["voice"].astype("string"))))
    effective = own.fillna(actor_voice.astype("string"))
    demands["voice_effective"] = effective
    demands["official_voice"] = effective.isin(OFFICIAL_VOICES).astype("boolean").where(effective.notna(), pd.NA)
