"""Layer 5: the corpus matches its checksums and every quote is found in its own source's text.

(That every figure's numbers are written in its quote is a row rule: checks/figures.py.)
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

import pandas as pd

from .package import MAX_CORPUS_BYTES, Package, RefusedPath, inside, read_limited
from .report import Problem, shown
from .rulebook import checks

digest = checks.digest
from .structure import Table

LAYER = "provenance"
FRAGMENT_JOINER = "…"


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """The only normalisation quotes get: Unicode NFC and runs of whitespace made one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def find_quote(quote: str, text: str) -> str | None:
    """None when every fragment of the quote is in the (normalised) text, in order; else what is wrong,
    with {where} standing for the text's name: the quote (shortened), and where its match breaks."""
    found = locate_quote(quote, text)
    return found if isinstance(found, str) else None


def locate_quote(quote: str, text: str) -> list[tuple[int, int]] | str:
    """Where each fragment of the quote is in the (normalised) text, as (start, end) offsets in order,
    the first match after the fragment before it; or, when one is missing, what is wrong (see find_quote).
    The one matching rule: the validator accepts a quote exactly when the site can highlight it."""
    position, spans = 0, []
    fragmented = FRAGMENT_JOINER in quote
    for fragment in (f.strip() for f in normalise(quote).split(FRAGMENT_JOINER)):
        if not fragment:
            return "has an empty fragment around '…'"
        found = text.find(fragment, position)
        if found < 0:
            what = f"fragment {shown(fragment, 60)}" if fragmented else shown(normalise(quote), 60)
            if text.find(fragment) >= 0:
                return f"{what} is in {{where}}, but before the fragment preceding it"
            return f"{what} is not in {{where}}: {_where_it_breaks(fragment, text[position:])}"
        position = found + len(fragment)
        spans.append((found, position))
    return spans


def _where_it_breaks(fragment: str, text: str) -> str:
    """The longest start of `fragment` that `text` holds, and what follows it in the fragment."""
    low, high = 0, len(fragment)  # a start that is in the text has every shorter start in it too
    while low < high:
        middle = (low + high + 1) // 2
        if fragment[:middle] in text:
            low = middle
        else:
            high = middle - 1
    if low < min(12, len(fragment)):
        return "not even its first words are there"
    rest = fragment[low:]
    return f"the text has {shown(fragment[:low], 60)} but then not {shown(rest if len(rest) <= 30 else rest[:29] + '…')}"


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
        failing = [(row, pair) for row, pair in zip(pairs.index, pairs.itertuples(index=False, name=None)) if verdicts[pair]]
        sources_of = table.frame["source_id"].iloc[[row for row, _ in failing]].tolist()
        messages, said = [], {}
        for (_, pair), source_id in zip(failing, sources_of):
            if (pair, source_id) not in said:  # worded once per quote and source, however many rows repeat it
                said[pair, source_id] = (verdicts[pair].replace("{where}", f"the text of source {source_id}")
                                         + _held_by(pair[1], pair[0], texts))
            messages.append(said[pair, source_id])
        problems += table.problems_at(LAYER, "quote-not-found", [row for row, _ in failing], "quote", messages)
    return problems + _digest_items_credited(tables, texts)


def _digest_items_credited(tables: dict[str, Table], texts: dict[str, str]) -> list[Problem]:
    """Rows quoting a source's digest name the item's crediting outlet (checks/digest.py)."""
    sources = tables["sources"].frame
    if "digest_start" not in sources.columns:
        return []
    problems: list[Problem] = []
    starts = {}
    for row, (source_id, marker) in enumerate(zip(sources["source_id"], sources["digest_start"])):
        if marker and source_id in texts:
            at = texts[source_id].find(normalise(marker))
            if at < 0:
                problems += tables["sources"].problems_at(LAYER, "digest-start-not-found", [row], "digest_start",
                    [f"{shown(marker)} is not in the text of source {source_id}: give the verbatim words where its digest begins"])
            else:
                starts[source_id] = (at, marker)
    actors = tables.get("actors")
    names = digest.outlet_names(actors.frame if actors is not None else None)
    for table_name, column in digest.ATTRIBUTION.items():
        table = tables.get(table_name)
        if not starts or table is None or not {"source_id", "quote", column} <= set(table.frame.columns):
            continue
        rows, messages = [], []
        for row, (source_id, quote, given) in enumerate(zip(table.frame["source_id"], table.frame["quote"], table.frame[column])):
            if source_id not in starts or not quote:
                continue
            at, marker = starts[source_id]
            spans = locate_quote(quote, texts[source_id])
            inside = [start for start, _ in spans if start >= at] if isinstance(spans, list) else []
            if not inside:
                continue  # before the digest, or not found (the quote check says so)
            expected = digest.credited_outlet(texts[source_id], at, inside[0], names)
            if expected is None or given != expected:
                rows.append(row)
                messages.append(digest.message(column, given, expected, marker))
        problems += table.problems_at(LAYER, "digest-item-credited", rows, column, messages)
    return problems


def _held_by(quote: str, own_text: int, texts: dict[str, str]) -> str:
    """'; it is in the text of source X' when another source's text holds the quote (a wrong source_id)."""
    holders = [source_id for source_id, text in texts.items() if id(text) != own_text and find_quote(quote, text) is None]
    if not holders:
        return ""
    return f"; it is in the text of source {', '.join(holders[:3])}: is source_id wrong?"


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
            files[path] = _read_corpus_file(package.root, path)
        found = files[path]
        if found is None:
            problems.append(sources.problem(LAYER, "corpus-missing", row, "corpus_path", f"{path!r}: corpus file not found"))
            continue
        if isinstance(found, str):
            problems.append(sources.problem(LAYER, "refused-path", row, "corpus_path", f"{path!r} {found}; it was not read"))
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


def _read_corpus_file(root, path: str) -> tuple[str, str | UnicodeDecodeError] | str | None:
    """SHA-256 and normalised text of a corpus file (or the decoding error); None when it cannot be read;
    why, when the path is refused (outside the package, not a regular file, too large)."""
    try:
        raw = read_limited(inside(root, path), MAX_CORPUS_BYTES)
    except RefusedPath as exc:
        return str(exc)
    except OSError:
        return None
    try:
        return hashlib.sha256(raw).hexdigest(), normalise(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return hashlib.sha256(raw).hexdigest(), exc
