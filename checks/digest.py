"""A digest item names its crediting outlet (coding manual, section 3.5 and 7).

Some pages carry, after the article, a digest of news items each credited to another outlet ("3. Ukraine Allies
Pledge €21bn In Fresh Military Aid — BBC"). What such an item says is that outlet's report, not the article
author's: a row quoting it names the outlet in `asserted_by` (demands) or `estimated_by` (figures). The source's
`digest_start` gives the verbatim words where its digest begins; each item is headed "N. Headline — Outlet", and
the credited outlet of a quote is the outlet (an actor of type `media`, by name or alias) of the last heading
that starts at or before the quote's first words inside the digest.

The validator's provenance layer runs these functions, since they read the corpus text (checks/ holds the rule).
"""

from __future__ import annotations

import re

# The attribution column of each table a digest item can be quoted in.
ATTRIBUTION = {"demands": "asserted_by", "figures": "estimated_by"}
OUTLET_TYPE = "media"


def outlet_names(actors) -> dict[str, str]:
    """Every name and alias of an outlet (an actor of type media), to the outlet's actor_id."""
    names = {}
    if actors is None or not {"actor_id", "name", "actor_type"} <= set(actors.columns):
        return names
    outlets = actors[actors["actor_type"] == OUTLET_TYPE]
    aliases = outlets["aliases"] if "aliases" in outlets else [""] * len(outlets)
    for actor_id, name, alias in zip(outlets["actor_id"], outlets["name"], aliases):
        for each in [name, *(alias or "").split(";")]:
            if each.strip():
                names[each.strip()] = actor_id
    return names


def credited_outlet(text: str, digest_at: int, quote_at: int, names: dict[str, str]) -> str | None:
    """The outlet credited in the heading of the digest item the quote starts in: items are headed
    "N. Headline — Outlet" (a number, the headline, an em dash, an outlet's name or alias); a quote belongs to
    the last heading that starts at or before it. None when no heading precedes the quote."""
    if not names:
        return None
    outlets = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    heading = re.compile(r"(?<!\S)\d{1,3}\. [^—]{1,300}? — (%s)(?![\w])" % outlets)
    found = None
    for match in heading.finditer(text, digest_at):
        if match.start() > quote_at:
            break
        found = names[match.group(1)]
    return found


def message(column: str, given: str, expected: str | None, marker: str) -> str:
    if expected is None:
        return (f"the quote lies in the source's digest (after {marker!r}), where items are credited to other outlets, "
                f"but no item heading ('N. Headline — Outlet', the outlet an actor of type 'media') starts before it; add the outlet "
                f"as an actor (coding manual, section 3.5)")
    return (f"{column} {given!r} does not name the outlet this digest item is credited to ({expected!r}); the quote lies "
            f"in the source's digest (after {marker!r}): set {column} to {expected!r} (coding manual, section 3.5)")
