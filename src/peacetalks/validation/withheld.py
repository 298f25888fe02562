"""A copy of the package without the source texts, for re-hosting: `peacetalks release --without-texts`.

The texts belong to their publishers. In such a copy each corpus file `corpus/X.txt` is replaced by a
stand-in, `corpus/X.withheld.json`: the source's address, the SHA-256 of the text and every passage the
tables quote, each with the sentence(s) around it as context, in the text's order. Then:

- `peacetalks validate` checks each quote against those passages (a quote edited later is still caught),
  checks the stand-in's SHA-256 against the sources table, and says in one line what it could not check;
- a reader who obtains a text and puts it at its `corpus_path` gets it checked against its SHA-256 and
  every quote found in it, as in the full release;
- `peacetalks site` shows the passages where the full release shows the whole text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from .package import TABLES, inside, read_limited
from .provenance import SUFFIX, StandInError, locate_quote, normalise, read_stand_in, stand_in_path

GAP = "\n[…]\n"  # between two passages that are not next to each other in the text
# The end of a sentence: . ! ? (and closing quotes or brackets), then a space; or a line break.
# A capital letter alone before the dot is an initial or abbreviation (U.S., Nina L.), not a sentence's end.
SENTENCE_END = re.compile(r"(?<![^A-Za-z][A-Z])[.!?][\"'”’)\]]*\s|\n")


def _display(raw: str) -> tuple[str, list[int]]:
    """The text in NFC, and for each character of its normalised form the offset it comes from."""
    display = unicodedata.normalize("NFC", raw)
    offsets, position = [], 0
    for space in re.finditer(r"\s+", display):
        offsets.extend(range(position, space.start() + 1))
        position = space.end()
    offsets.extend(range(position, len(display)))
    skipped = len(display) - len(display.lstrip())
    return display, offsets[skipped:skipped + len(normalise(raw))]


def _sentence_around(display: str, start: int, end: int) -> tuple[int, int]:
    """The span from the start of the sentence holding `start` to the end of the sentence holding `end`."""
    before = [m.end() for m in SENTENCE_END.finditer(display, 0, start)]
    after = SENTENCE_END.search(display, max(end - 1, start))
    return (before[-1] if before else 0), (after.start() + 1 if after else len(display))


def passages(raw: str, quotes: list[str]) -> tuple[list[dict], str]:
    """For each quote found in the text: the quote and its context (the sentences that hold each fragment);
    and all the contexts, merged where they touch, in the text's order, as one excerpt."""
    display, offsets = _display(raw)
    normalised = normalise(raw)
    found, spans = [], []
    for quote in sorted(set(quotes)):
        located = locate_quote(quote, normalised)
        if isinstance(located, str):
            continue  # not in this text: the validator reports it where the text is present
        around = [_sentence_around(display, offsets[a], offsets[b - 1] + 1) for a, b in located]
        spans += around
        found.append({"quote": quote, "first": around[0][0],
                      "context": " … ".join(" ".join(display[a:b].split()) for a, b in _merged(around))})
    found.sort(key=lambda p: (p.pop("first"), p["quote"]))
    excerpt = GAP.join(display[a:b].strip() for a, b in _merged(spans))
    return found, excerpt


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def stand_in(source: dict, raw_bytes: bytes, quotes: list[str]) -> dict:
    """The stand-in record of one source text (source: its row of the sources table, as text)."""
    found, excerpt = passages(raw_bytes.decode("utf-8"), quotes)
    address = source.get("url") or source.get("original_url") or ""
    return {
        "source_id": source.get("source_id", ""),
        "title": source.get("title", ""),
        "address": address or None,
        "sha256": hashlib.sha256(raw_bytes).hexdigest(),
        "bytes": len(raw_bytes),
        "note": ("The text itself is not in this copy: it belongs to its publisher. "
                 + (f"It was published at {address}. " if address else "Its address is not known. ")
                 + f"Put it, byte for byte, at {source.get('corpus_path', '')} and `make validate` checks it against "
                   "this SHA-256 and finds every quote in it."),
        "passages": found,
        "excerpt": excerpt,
    }


__all__ = ["stand_in", "stand_in_path", "read_stand_in", "passages", "withheld_note", "StandInError", "SUFFIX"]


def withheld_note(descriptor) -> str | None:
    """One line saying what validation could not check in a copy without the texts; None in a full copy
    (or when the sources table cannot be read: validation reports that itself)."""
    import csv
    import io

    from .package import MAX_TABLE_BYTES, PackageError, open_package
    from .provenance import withheld_texts

    try:
        package, _ = open_package(descriptor)
        resource = package.resource("sources")
        if resource is None or not isinstance(resource.path, str):
            return None
        text = read_limited(inside(package.root, resource.path, TABLES), MAX_TABLE_BYTES).decode("utf-8")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
    except (PackageError, OSError, UnicodeDecodeError, csv.Error, ValueError):
        return None
    if not rows or not {"source_id", "corpus_path"} <= set(rows[0]):
        return None
    import pandas as pd

    frame = pd.DataFrame(rows, dtype=object).fillna("")
    missing = withheld_texts(package, frame)
    if not missing:
        return None
    names = ", ".join(source_id for source_id, _ in missing)
    count = f"{len(missing)} source text{'s' if len(missing) != 1 else ''}"
    return (f"not checked: {count} not in this copy ({names}): each quote was found in the passages its stand-in "
            f"(corpus/*{SUFFIX}) keeps, but the text itself, and the digest items' crediting outlets read from it, "
            "could not be checked; put a text at its corpus_path and validate again to check it against its SHA-256")
