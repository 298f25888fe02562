"""Rules of the actors table."""

from __future__ import annotations

from . import Rule


def rules(resource) -> list[Rule]:
    return [Rule("not-own-affiliation", "affiliation_id", "{affiliation_id!r} is the actor itself",
                 lambda df: df["affiliation_id"].isna() | (df["affiliation_id"] != df["actor_id"]))]
