"""Layer 5: the corpus matches its checksums and every quote is found in its own source's text.

(That every figure's numbers are written in its quote is a row rule: checks/figures.py.)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath

import pandas as pd

from .package import CORPUS, MAX_CORPUS_BYTES, MAX_CORPUS_TOTAL_BYTES, MAX_JSON_BYTES, Package, RefusedPath, inside, read_limited
from .report import Problem, shown
from .rulebook import checks

digest = checks.digest
from .structure import Table

LAYER = "provenance"
FRAGMENT_JOINER = "…"


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """The only normalisation quotes get: Unicode NFC and runs of whitespace made one space (str.split's
    whitespace is the regular expression \\s exactly: a test compares them over every character)."""
    return _spaced(unicodedata.normalize("NFC", text))


def _spaced(text: str) -> str:
    return " ".join(text.split())


# A corpus text is normalised a piece of this many characters at a time, each piece cut at a whitespace
# character so that no run of whitespace or word is split. Whole, a 63 MiB text took 4 s and 1.2 GB (a
# regular expression's list of pieces); by pieces its copies are the text, its pieces and their join.
_PIECE = 1 << 20
_SPACE = re.compile(r"\s")


def _normalised_text(text: str) -> list[str]:
    """normalise(text), for a whole corpus text: its pieces, non-empty, which joined by one space are
    normalise(text). Not cached: the cache would keep the text, unnormalised, as its key."""
    text = unicodedata.normalize("NFC", text)
    pieces, start = [], 0
    while start < len(text):
        cut = _SPACE.search(text, start + _PIECE) if start + _PIECE < len(text) else None
        end = cut.start() if cut else len(text)
        piece = _spaced(text[start:end])
        if piece:
            pieces.append(piece)
        start = end
    return pieces


def find_quote(quote: str, text: str) -> str | None:
    """None when every fragment of the quote is in the (normalised) text, in order; else what is wrong,
    with {where} standing for the text's name: the quote (shortened), and where its match breaks."""
    found = locate_quote(quote, text)
    return found if isinstance(found, str) else None


NOT_FOUND = "is not in {where}"  # what locate_quote says when it is not asked to explain


def locate_quote(quote: str, text: str, explain: bool = True) -> list[tuple[int, int]] | str:
    """Where each fragment of the quote is in the (normalised) text, as (start, end) offsets in order,
    the first match after the fragment before it; or, when one is missing, what is wrong (see find_quote;
    NOT_FOUND without `explain`, which spares the search for where the match breaks).
    The one matching rule: the validator accepts a quote exactly when the site can highlight it."""
    position, spans = 0, []
    fragmented = FRAGMENT_JOINER in quote
    for fragment in (f.strip() for f in normalise(quote).split(FRAGMENT_JOINER)):
        if not fragment:
            return "has an empty fragment around '…'"
        found = text.find(fragment, position)
        if found < 0:
            if not explain:
                return NOT_FOUND
            what = f"fragment {shown(fragment, 60)}" if fragmented else shown(normalise(quote), 60)
            if text.find(fragment) >= 0:
                return f"{what} is in {{where}}, but before the fragment preceding it"
            return f"{what} is not in {{where}}: {_where_it_breaks(fragment, text[position:])}"
        position = found + len(fragment)
        spans.append((found, position))
    return spans


def _where_it_breaks(fragment: str, text: str) -> str:
    """The longest start of `fragment` that `text` holds, and what follows it in the fragment."""
    if fragment[:12] not in text:  # the usual case for a quote from elsewhere: one scan, not a dozen
        return "not even its first words are there"
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
    texts, problems, withheld = _corpus(package, sources)
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
            if pair not in verdicts:  # whether it is found; why not is worded below, for the rows reported
                verdicts[pair] = not isinstance(locate_quote(pair[1], text_by_id[pair[0]], explain=False), list)
        if not any(verdicts.values()):
            continue
        failing = [(row, pair) for row, pair in zip(pairs.index, pairs.itertuples(index=False, name=None)) if verdicts[pair]]
        rows = [row for row, _ in failing]
        problems += table.problems_at(LAYER, "quote-not-found", rows, "quote",
                                      _quote_messages(table, failing, text_by_id, texts, withheld))
    # The digest rule reads the text between a digest's start and each item: a stand-in's passages do not
    # hold it, so a copy without the texts leaves that rule unchecked (and `validate` says so).
    return problems + _digest_items_credited(tables, {s: text for s, text in texts.items() if s not in withheld})


def _digest_items_credited(tables: dict[str, Table], texts: dict[str, str]) -> list[Problem]:
    """Rows quoting a source's digest name the item's crediting outlet (checks/digest.py)."""
    sources = tables["sources"].frame
    if "digest_start" not in sources.columns:
        return []
    problems: list[Problem] = []
    starts, items = {}, {}  # items: a text's digest headings, found once however many sources share the text
    for row, (source_id, marker) in enumerate(zip(sources["source_id"], sources["digest_start"])):
        if marker and source_id in texts:
            at = texts[source_id].find(normalise(marker))
            if at < 0:
                problems += tables["sources"].problems_at(LAYER, "digest-start-not-found", [row], "digest_start",
                    [f"{shown(marker)} is not in the text of source {source_id}: give the verbatim words where its digest begins"])
            else:
                text = texts[source_id]
                if (id(text), at) not in items:
                    items[id(text), at] = digest.headings(text, at)
                starts[source_id] = (at, marker, items[id(text), at])
    actors = tables.get("actors")
    if not starts or actors is None or not OUTLET_COLUMNS <= set(actors.frame.columns):
        return problems  # no outlets to credit: the actors table's problem is said there, not once per item
    outlets = _outlets(actors, texts, starts)
    for table_name, column in digest.ATTRIBUTION.items():
        table = tables.get(table_name)
        if table is None or not {"source_id", "quote", column} <= set(table.frame.columns):
            continue
        rows, messages, verdicts = [], [], {}
        cells = zip(table.frame["source_id"].tolist(), table.frame["quote"].tolist(), table.frame[column].tolist())
        for row, (source_id, quote, given) in enumerate(cells):
            if source_id not in starts or not quote:
                continue
            # A quote is located once per text, however many rows (and sources sharing the text) repeat it.
            key = (id(texts[source_id]), starts[source_id][0], quote)
            if key not in verdicts:
                verdicts[key] = _credited_outlets(texts[source_id], quote, starts[source_id], outlets.get(source_id, []))
            expected = verdicts[key]
            if expected is not None and given not in expected:
                rows.append(row)
                messages.append(digest.message(column, given, expected, starts[source_id][1]))
        problems += table.problems_at(LAYER, "digest-item-credited", rows, column, messages)
    return problems


OUTLET_COLUMNS = {"actor_id", "name", "actor_type"}  # what names an outlet


def _outlets(actors: Table, texts: dict[str, str], starts: dict) -> dict[str, list]:
    """For each source with a digest: every outlet actor (type media), its names, and where its quote starts there."""
    frame = actors.frame
    media = frame[frame["actor_type"] == digest.OUTLET_TYPE]
    aliases = media["aliases"] if "aliases" in media.columns else [""] * len(media)
    quotes = media["quote"] if "quote" in media.columns else [""] * len(media)
    found: dict[str, list] = {}
    by_text: dict[int, list] = {}  # sources that share a text share its outlets: worked out once per text
    for source_id in starts:
        text = texts[source_id]
        if id(text) in by_text:
            found[source_id] = by_text[id(text)]
            continue
        placed = {}
        for actor_id, name, alias, quote in zip(media["actor_id"], media["name"], aliases, quotes):
            if quote and quote not in placed:
                spans = locate_quote(quote, text)
                placed[quote] = spans[0][0] if isinstance(spans, list) else None
            names = [name, *[a.strip() for a in (alias or "").split(";")]]
            found.setdefault(source_id, []).append((actor_id, names, placed.get(quote) if quote else None))
        by_text[id(text)] = found.get(source_id, [])
    return found


def _credited_outlets(text: str, quote: str, start: tuple, outlets: list) -> list[str] | None:
    """The outlets the quote's digest item credits; None when the quote is not in the digest (or not found)."""
    at, _, items = start
    spans = locate_quote(quote, text)
    inside = [first for first, _ in spans if first >= at] if isinstance(spans, list) else []
    if not inside:
        return None  # before the digest, or not found (the quote check says so)
    heading = digest.heading_of(items, inside[0])
    return digest.credited(text, heading, outlets) if heading else []


def _quote_messages(table: Table, failing: list, text_by_id: dict, texts: dict[str, str], withheld: dict):
    """The messages of the quotes not found, made for the rows kept (Table.keep): why each is not found and
    whether another source holds it are two more searches of the texts, worth making only for a row shown."""
    def messages(picked) -> list[str]:
        chosen = [failing[i] for i in picked.tolist()]
        sources_of = table.frame["source_id"].iloc[[row for row, _ in chosen]].tolist()
        out, said = [], {}
        for (_, pair), source_id in zip(chosen, sources_of):
            if (pair, source_id) not in said:  # worded once per quote and source, however many rows repeat it
                where = (f"the passages of source {source_id} kept in {withheld[source_id]} (its text is not in this copy)"
                         if source_id in withheld else f"the text of source {source_id}")
                said[pair, source_id] = (find_quote(pair[1], text_by_id[pair[0]]).replace("{where}", where)
                                         + _held_by(pair[1], pair[0], texts))
            out.append(said[pair, source_id])
        return out
    return messages


def _held_by(quote: str, own_text: int, texts: dict[str, str]) -> str:
    """'; it is in the text of source X' when another source's text holds the quote (a wrong source_id)."""
    first = normalise(quote).split(FRAGMENT_JOINER)[0].strip()
    distinct = tuple({id(text): text for text in texts.values()}.values())  # sources sharing a file share its text
    if first not in _all_texts(distinct):  # in no text at all: one scan instead of one per text
        return ""
    holders = [source_id for source_id, text in texts.items() if id(text) != own_text and find_quote(quote, text) is None]
    if not holders:
        return ""
    return f"; it is in the text of source {', '.join(holders[:3])}: is source_id wrong?"


@lru_cache(maxsize=2)
def _all_texts(texts: tuple[str, ...]) -> str:
    """Every text joined by a character normalised text never holds, so no match spans two texts."""
    return "\x00".join(texts)


def _corpus(package: Package, sources: Table) -> tuple[dict[str, str], list[Problem], dict[str, str]]:
    """Each source's normalised text, by source_id, the problems met reading the corpus, and the sources
    whose text is withheld (a copy without the texts: see withheld.py), with their stand-in's path.

    Each corpus file is read and hashed once, however many sources name it, and normalised once per distinct
    content; sources whose files hold the same bytes share one text object, so that their quotes are looked
    up once."""
    texts, problems, files, withheld, files_excerpts, held = {}, [], {}, {}, {}, _Held()
    frame = sources.frame
    root = package.root.resolve()  # once, not once per corpus file
    for row, (source_id, path, digest) in enumerate(zip(frame["source_id"].tolist(), frame["corpus_path"].tolist(),
                                                        frame["sha256"].tolist())):
        if not path:
            continue
        if path not in files:
            files[path] = _read_corpus_file(root, path, held)
        found = files[path]
        if found is None:
            if path not in files_excerpts and held.bytes >= MAX_CORPUS_TOTAL_BYTES:  # not even read
                problems.append(sources.problem(LAYER, "corpus-total", row, "corpus_path", _over_total(path, held.bytes)))
                continue
            stand_in = _stand_in(package.root, path)
            if isinstance(stand_in, tuple):
                stand_in_file, recorded, excerpt = stand_in
                if digest and recorded != digest:
                    problems.append(sources.problem(LAYER, "checksum", row, "sha256",
                                                    f"{stand_in_file} describes a text whose SHA-256 is {recorded}, not this one; "
                                                    "the stand-in must be made from this source's text"))
                    continue
                if path not in files_excerpts:  # sources sharing a file share one excerpt object
                    # A stand-in's passages count towards the corpus total as a text does (each file is at most
                    # a JSON file's limit): many large stand-ins would otherwise be held without limit.
                    excerpt = normalise(excerpt)
                    total = held.bytes + len(excerpt.encode("utf-8", "surrogatepass"))
                    if total > MAX_CORPUS_TOTAL_BYTES:
                        problems.append(sources.problem(LAYER, "corpus-total", row, "corpus_path", _over_total(path, total)))
                        continue
                    held.bytes = total
                    files_excerpts[path] = excerpt
                texts[source_id], withheld[source_id] = files_excerpts[path], stand_in_file
                continue
            if isinstance(stand_in, str):
                problems.append(sources.problem(LAYER, "refused-path", row, "corpus_path", stand_in))
                continue
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
        elif isinstance(text, _OverTotal):
            problems.append(sources.problem(LAYER, "corpus-total", row, "corpus_path", _over_total(path, text.total)))
        else:
            texts[source_id] = text
    return texts, problems, withheld


def _over_total(path: str, total: int) -> str:
    return (f"{path!r}: with it, the corpus texts would hold {total:,} bytes (a text in several files counted once, "
            f"the passages of a stand-in as a text); the limit is {MAX_CORPUS_TOTAL_BYTES:,} bytes in all, and the "
            "real corpus holds about 75,000: the quotes of this source were not searched: put only each source's "
            "own text in its corpus file")


# -- a copy without the source texts (publishing them is not ours to do: see withheld.py) ------------------
SUFFIX = ".withheld.json"


class StandInError(ValueError):
    """A stand-in that cannot be read or does not say what it must."""


def stand_in_path(corpus_path: str) -> str:
    """corpus/X.txt -> corpus/X.withheld.json"""
    path = PurePosixPath(corpus_path)
    return str(path.with_name(path.stem + SUFFIX))


def read_stand_in(root: Path, corpus_path: str) -> dict | None:
    """The stand-in of a corpus file, if the copy has one; StandInError when it is there but unusable."""
    relative = stand_in_path(corpus_path)
    try:
        raw = read_limited(inside(root, relative, CORPUS), MAX_JSON_BYTES)
    except FileNotFoundError:
        return None
    except (RefusedPath, OSError) as exc:
        raise StandInError(f"{relative}: {exc}") from None
    try:
        record = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise StandInError(f"{relative} is not UTF-8 JSON ({exc})") from None
    if not isinstance(record, dict) or not isinstance(record.get("sha256"), str) or not isinstance(record.get("excerpt"), str):
        raise StandInError(f"{relative} must be an object with a 'sha256' and an 'excerpt' (text)")
    return record


def _stand_in(root, path: str) -> tuple[str, str, str] | str | None:
    """(its path, the SHA-256 it records, its excerpt) for the stand-in of a missing corpus file; why it
    cannot be used; or None when there is none."""
    try:
        record = read_stand_in(root, path)
    except StandInError as exc:
        return f"{path!r}: the corpus file is missing and its stand-in cannot be used: {exc}"
    return None if record is None else (stand_in_path(path), record["sha256"], record["excerpt"])


def withheld_texts(package: Package, sources: pd.DataFrame) -> list[tuple[str, str]]:
    """(source_id, stand-in path) of each source whose corpus file is missing and stood in for: what
    `peacetalks validate` says it could not check."""
    found, root = [], package.root.resolve()
    for source_id, path in zip(sources["source_id"], sources["corpus_path"]):
        if path and _corpus_file_missing(root, path) and isinstance(_stand_in(package.root, path), tuple):
            found.append((source_id, stand_in_path(path)))
    return found


def _corpus_file_missing(root: Path, path: str) -> bool:
    """Whether a corpus file is absent (a refused path is not: it is reported as refused). Its existence is
    enough: reading, hashing and normalising 1,500 texts again for this one line took half a second."""
    try:
        return not os.path.lexists(inside(root, path, CORPUS, root_resolved=True))
    except RefusedPath:
        return False


@dataclass
class _Held:
    """The corpus texts read so far, normalised, by the SHA-256 of their bytes, and those bytes in all."""
    texts: dict = field(default_factory=dict)
    bytes: int = 0


@dataclass
class _OverTotal:
    """A text not held: with it the corpus would hold `total` bytes, past MAX_CORPUS_TOTAL_BYTES."""
    total: int


def _read_corpus_file(root, path: str, held: _Held) -> tuple[str, str | UnicodeDecodeError | _OverTotal] | str | None:
    """SHA-256 and normalised text of a corpus file (or the decoding error, or how far past the total it
    would take the corpus); None when it cannot be read; why, when the path is refused (outside the package,
    not a regular file, too large). A file with the bytes of a text in `held` gets that same object."""
    try:
        raw = read_limited(inside(root, path, CORPUS, root_resolved=True), MAX_CORPUS_BYTES)
    except RefusedPath as exc:
        return str(exc)
    except OSError:
        return None
    digest = hashlib.sha256(raw).hexdigest()  # its checksum is still checked when the text is not held
    if digest in held.texts:
        return digest, held.texts[digest]
    if held.bytes + len(raw) > MAX_CORPUS_TOTAL_BYTES:
        return digest, _OverTotal(held.bytes + len(raw))
    held.bytes += len(raw)
    try:
        decoded = raw.decode("utf-8")
        del raw  # each copy is let go as soon as the next is made: only the normalised text is kept
        pieces = _normalised_text(decoded)
        del decoded
        text = " ".join(pieces)
    except UnicodeDecodeError as exc:
        text = exc
    held.texts[digest] = text
    return digest, text
