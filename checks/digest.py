"""A digest item names its crediting outlet (coding manual, section 3.5 and 7).

Some pages carry, after the article, a digest of news items each credited to another outlet ("3. Ukraine Allies
Pledge €21bn In Fresh Military Aid — BBC"). What such an item says is that outlet's report, not the article
author's: a row quoting it names the outlet in `asserted_by` (demands) or `estimated_by` (figures). The source's
`digest_start` gives the verbatim words where its digest begins; each item is headed "N. Headline — Outlet", and
a quote belongs to the last heading that starts at or before its first words inside the digest. The outlet is an
actor of type `media` whose name or alias follows the heading's dash, or whose own quote is that heading.

The validator's provenance layer runs these functions, since they read the corpus text (checks/ holds the rule).
"""

from __future__ import annotations

import re

# The attribution column of each table a digest item can be quoted in.
ATTRIBUTION = {"demands": "asserted_by", "figures": "estimated_by"}
OUTLET_TYPE = "media"
HEADING = re.compile(r"(?<!\S)\d{1,3}\. [^—]{1,300}? — ")


def headings(text: str, digest_at: int) -> list[tuple[int, int]]:
    """(start, where the credit begins) of every item heading after the digest's start."""
    return [(m.start(), m.end()) for m in HEADING.finditer(text, digest_at)]


def heading_of(items: list[tuple[int, int]], quote_at: int) -> tuple[int, int] | None:
    """The heading of the item a quote starting at `quote_at` belongs to: the last one starting at or before it."""
    found = None
    for start, credit in items:
        if start > quote_at:
            break
        found = (start, credit)
    return found


def credited(text: str, heading: tuple[int, int], outlets: list[tuple[str, list[str], int | None]]) -> list[str]:
    """The outlets (actor_ids) a heading credits: those whose name or alias follows its dash, or whose own quote
    starts at the heading. `outlets` holds (actor_id, names, where its quote starts in this text or None)."""
    start, credit = heading
    out = []
    for actor_id, names, quoted_at in outlets:
        named = any(text.startswith(name, credit) and not text[credit + len(name):credit + len(name) + 1].isalnum()
                    for name in names if name)
        if named or quoted_at == start:
            out.append(actor_id)
    return out


def message(column: str, given: str, expected: list[str], marker: str) -> str:
    if not expected:
        return (f"the quote lies in the source's digest (after {marker!r}), where items are credited to other outlets, "
                "but its item heading ('N. Headline — Outlet') names no outlet among the actors of type 'media'; add "
                "the outlet as an actor (coding manual, section 3.5)")
    return (f"{column} {given!r} does not name the outlet this digest item is credited to ({expected[0]!r}); the quote "
            f"lies in the source's digest (after {marker!r}): set {column} to {expected[0]!r} (coding manual, section 3.5)")
