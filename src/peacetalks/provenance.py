"""Layer 5: the corpus matches its checksums and every quote is found in its own source's text.

(That every figure's numbers are written in its quote is a row rule: checks/figures.py.)
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

import pandas as pd

from .package import Package
from .report import Problem
from .structure import Table

LAYER = "provenance"
FRAGMENT_JOINER = "…"


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """The only normalisation quotes get: Unicode NFC and runs of whitespace made one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def find_quote(quote: str, text: str) -> str | None:
    """None when every fragment of the quote is in the (normalised) text, in order; else what is wrong,
    with {where} standing for the text's name."""
    found = locate_quote(quote, text)
    return found if isinstance(found, str) else None


def locate_quote(quote: str, text: str) -> list[tuple[int, int]] | str:
    """Where each fragment of the quote is in the (normalised) text, as (start, end) offsets in order,
    the first match after the fragment before it; or, when one is missing, what is wrong (see find_quote).
    The one matching rule: the validator accepts a quote exactly when the site can highlight it."""
    position, spans = 0, []
    for fragment in (f.strip() for f in normalise(quote).split(FRAGMENT_JOINER)):
        if not fragment:
            return "has an empty fragment around '…'"
        found = text.find(fragment, position)
        if found < 0:
            shown = fragment if len(fragment) <= 60 else fragment[:57] + "..."
            if text.find(fragment) >= 0:
                return f"fragment {shown!r} is in {{where}}, but before the fragment preceding it"
            return f"fragment {shown!r} is not in {{where}}" if FRAGMENT_JOINER in quote else "is not in {where}"
        position = found + len(fragment)
        spans.append((found, position))
    return spans


def check_provenance(package: Package, tables: dict[str, Table]) -> list[Problem]:
    sources = tables.get("sources")
    if sources is None or not {"source_id", "corpus_path", "sha256"} <= set(sources.frame.columns):
        return []
    texts, problems = _corpus(package, sources)
    # Sources that share a corpus file share one text object; keying the lookups by text means a quote is
    # searched once per text, however many rows and sources cite it.
    text_of_source = pd.Series({source_id: id(text) for source_id, text in texts.items()}, dtype="int64")
    text_by_id = {id(text): text for text in texts.values()}
    verdicts: dict[tuple[int, str], str | None] = {}
    for table in tables.values():
        if not {"source_id", "quote"} <= set(table.frame.columns):
            continue
        text = table.frame["source_id"].map(text_of_source)
        cited = (table.frame["quote"] != "") & text.notna()  # an unknown source is the foreign-key check's
        pairs = pd.DataFrame({"text": text[cited].astype("int64"), "quote": table.frame["quote"][cited]})
        for pair in pairs.drop_duplicates().itertuples(index=False, name=None):
            if pair not in verdicts:
                verdicts[pair] = find_quote(pair[1], text_by_id[pair[0]])
        if not any(verdicts.values()):
            continue
        for row, pair in zip(pairs.index, pairs.itertuples(index=False, name=None)):
            if verdicts[pair]:
                source_id = table.frame.at[row, "source_id"]
                problems.append(table.problem(LAYER, "quote-not-found", row, "quote",
                                              verdicts[pair].replace("{where}", f"the text of source {source_id}")))
    return problems


def _corpus(package: Package, sources: Table) -> tuple[dict[str, str], list[Problem]]:
    """Each source's normalised text, by source_id, and the problems met reading the corpus.

    Each corpus file is read, hashed and normalised once, however many sources name it; sources that share
    a file share one text object, so that their quotes are looked up once."""
    texts, problems, files = {}, [], {}
    frame = sources.frame
    for row, (source_id, path, digest) in enumerate(zip(frame["source_id"], frame["corpus_path"], frame["sha256"])):
        if not path:
            continue
        if path not in files:
            files[path] = _read_corpus_file(package.root / path)
        found = files[path]
        if found is None:
            problems.append(sources.problem(LAYER, "corpus-missing", row, "corpus_path", f"{path!r}: corpus file not found"))
            continue
        actual, text = found
        if digest and actual != digest:
            problems.append(sources.problem(LAYER, "checksum", row, "sha256",
                                            f"does not match {path} (its SHA-256 is {actual}); the corpus must be a byte-identical copy"))
        if isinstance(text, UnicodeDecodeError):
            problems.append(sources.problem(LAYER, "corpus-encoding", row, "corpus_path", f"{path} is not UTF-8 (byte {text.start})"))
        else:
            texts[source_id] = text
    return texts, problems


def _read_corpus_file(path) -> tuple[str, str | UnicodeDecodeError] | None:
    """SHA-256 and normalised text of a corpus file (or the decoding error); None when it cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        return hashlib.sha256(raw).hexdigest(), normalise(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return hashlib.sha256(raw).hexdigest(), exc
