"""What the site knows about the package: its tables, which rows get a page, how rows refer to each other,
and where each row's quote is in its source's text. Everything is read from the schemas and the data, so a
new table or column shows up on the site without code changes."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..validation.engine import validate_and_read
from ..validation.loader import InvalidPackageError, typed_tables
from ..validation.package import CORPUS, MAX_CORPUS_BYTES, Package, Resource, inside, list_delimiter, open_package, read_limited
from ..validation.characters import UNSEEN_IN_PROSE
from ..validation.filenames import windows_device
from .passages import SourceText

# A table whose rows are named things (an actor, a proposal) gets a page per row; the first of these
# columns it has names the row. Tables of claims about things (demands, figures) are listed on those pages.
NAME_COLUMNS = ("name", "title", "label", "statement")


# Folders of the site itself; a table with one of these names keeps its row pages in '<name>-rows/'.
RESERVED_FOLDERS = {"tables", "texts", "assets", "downloads"}


# A table page lists at most this many rows; a longer table is split into pages of this many, with links
# between them (a browser shows a page of 1,000 rows at once; one of 200,000 would be a 300 MB file).
ROWS_PER_PAGE = 1_000

MAX_NAME = 100  # characters of a page name from a key; file systems allow 255 bytes, and a page adds ".html"


def shown_unseen(text: str) -> str:
    """The text (Markdown, CITATION.cff) with each unseen character written as its code point, ⟨U+202E⟩, where
    it was. Shown, not refused: as text it can no longer reorder or hide anything, the reader sees where it
    was, and a stray zero-width space pasted from a web page does not stop the site being built (`validate`
    does not judge the README, so the site would be the first to fail on it). A byte-order mark that opens
    the file is the mark Windows editors write, not a character of the text: left out, as GitHub leaves it out."""
    return UNSEEN_IN_PROSE.sub(lambda found: f"\u27e8U+{ord(found.group()):04X}\u27e9", text.removeprefix("\ufeff"))


def safe_name(key: str) -> str:
    """A file or anchor name for a key: keys come from a stranger's CSV, so only [a-z0-9_-] survive, and
    anything else is spelled out as its code point in six hex digits (`é` is `~0000e9`), so two keys never
    share a name (a variable width made `é1` and U+0E91 both `~e91`). Capitals are spelled out too, so
    `Foo` and `foo` stay two files on a file system that ignores case (macOS, Windows), and a name Windows
    reserves (con, nul, com1) gets its first letter spelled out. A name longer than MAX_NAME is cut
    and ends with `~~` and a hash of the whole key (`~~` never occurs otherwise): short, and still distinct."""
    name = re.sub(r"[^a-z0-9_-]", lambda m: f"~{ord(m.group()):06x}", key) or "~"
    if windows_device(name):  # a dot in a key is spelled out: only the whole name can be a device
        name = f"~{ord(name[0]):06x}{name[1:]}"
    if len(name) > MAX_NAME:
        name = f"{name[:MAX_NAME - 18]}~~{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}"
    return name


@dataclass(frozen=True)
class RowRef:
    table: str
    key: str
    index: int  # the row's position in the table's frame


@dataclass
class Passage:
    """One distinct quote of one source, located in its text (fragments in order), and the rows citing it."""
    source_id: str
    number: int
    quote: str
    spans: list[tuple[int, int]]  # offsets in the source's normalised text
    rows: list[RowRef] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"q-{self.number}"


@dataclass
class Site:
    package: Package
    raw: dict[str, pd.DataFrame]  # cell text as validated ("" for empty)
    typed: dict[str, pd.DataFrame]  # as peacetalks.load() gives them (date spans, timeline placement, lists)
    texts: dict[str, SourceText]  # by source_id
    passages: dict[tuple[str, str], Passage]  # by (source_id, quote)
    withheld: set = field(default_factory=set)  # sources whose text is not published: their passages only
    # Read once, on first use: every page asks for labels, keys and references again.
    _labels: dict = field(default_factory=dict)
    _references: dict = field(default_factory=dict)
    _pointing: dict | None = None
    _keys: dict = field(default_factory=dict)
    _positions: dict = field(default_factory=dict)  # table -> key -> its row's position (to find its table page)
    _resources: dict = field(default_factory=dict)
    _key_columns: dict = field(default_factory=dict)
    _fields: dict = field(default_factory=dict)
    _name_columns: dict = field(default_factory=dict)
    _cited: dict = field(default_factory=dict)  # table -> (source ids, quotes) as lists

    # -- tables and rows ----------------------------------------------------------------------------------
    @property
    def resources(self) -> list[Resource]:
        return [r for r in self.package.resources if r.name in self.raw]

    def resource(self, table: str) -> Resource:
        if table not in self._resources:  # asked for every cell of every page: a lookup, not a scan
            self._resources[table] = self.package.resource(table)
        return self._resources[table]

    def schema_field(self, table: str, column: str) -> dict:
        """The schema field of a column ({} when the schema has none), looked up once."""
        if (table, column) not in self._fields:
            self._fields[table, column] = self.resource(table).field(column) or {}
        return self._fields[table, column]

    def has(self, table: str, *columns: str) -> bool:
        return table in self.raw and all(c in self.raw[table].columns for c in columns)

    def key_column(self, table: str) -> str | None:
        if table not in self._key_columns:
            key = self.resource(table).primary_key
            self._key_columns[table] = key[0] if len(key) == 1 and key[0] in self.raw[table].columns else None
        return self._key_columns[table]

    def name_column(self, table: str) -> str | None:
        if table not in self._name_columns:
            self._name_columns[table] = next((c for c in NAME_COLUMNS if c in self.raw[table].columns), None)
        return self._name_columns[table]

    def has_pages(self, table: str) -> bool:
        return self.key_column(table) is not None and self.name_column(table) is not None

    def key_of(self, table: str, index: int) -> str:
        if table not in self._keys:
            column = self.key_column(table)
            frame = self.raw[table]
            self._keys[table] = list(frame[column]) if column else [str(i + 1) for i in range(len(frame))]
        return self._keys[table][index]

    def label(self, table: str, key: str) -> str:
        """The name of the row with this key (its key when it has no name column or no such row)."""
        labels = self._labels.get(table)
        if labels is None:
            frame, name, column = self.raw.get(table), None, None
            if frame is not None:
                name, column = self.name_column(table), self.key_column(table)
            labels = dict(zip(frame[column], frame[name])) if name and column else {}
            self._labels[table] = labels
        return labels.get(key) or key

    def row_page(self, table: str, key: str) -> str:
        """Site path of a row's own page, or of its line in the table's page."""
        if self.has_pages(table):
            folder = safe_name(table)
            return f"{folder}{'-rows' if folder in RESERVED_FOLDERS else ''}/{safe_name(key)}.html"
        return f"{self.table_page(table, self.position_of(table, key))}#r-{safe_name(key)}"

    def position_of(self, table: str, key: str) -> int:
        """The position of the row with this key in its table (0 for a key no row has: the first page)."""
        if table not in self._positions:
            frame = self.raw[table]
            self._positions[table] = {self.key_of(table, i): i for i in range(len(frame) - 1, -1, -1)}  # the first wins
        return self._positions[table].get(key, 0)

    @staticmethod
    def table_page(table: str, position: int = 0) -> str:
        """The table page holding the row at this position: the first ROWS_PER_PAGE rows are on
        `tables/<name>.html`, the next on `tables/<name>~p2.html`, and so on (`~p` never occurs in a
        safe_name, so no table's name can give another table's page)."""
        number = position // ROWS_PER_PAGE + 1
        return f"tables/{safe_name(table)}{f'~p{number}' if number > 1 else ''}.html"

    def table_pages(self, table: str) -> int:
        return max(1, -(-len(self.raw[table]) // ROWS_PER_PAGE))

    def table_anchor(self, ref: RowRef) -> str:
        return f"{self.table_page(ref.table, ref.index)}#r-{safe_name(ref.key)}"

    def references(self, table: str) -> dict[str, str]:
        """column -> referenced table, for this table's single-column foreign keys (lists included)."""
        if table not in self._references:
            self._references[table] = {fk.fields[0]: fk.resource for fk in self.resource(table).foreign_keys()
                                       if len(fk.fields) == 1 and fk.resource in self.raw}
        return self._references[table]

    def rows_about(self, table: str, key: str) -> dict[str, list[int]]:
        """Every row of every table whose foreign key points at this row, by table (the row itself excluded)."""
        if self._pointing is None:
            self._pointing = self._index_references()
        about = {}
        for referring, rows in self._pointing.get(table, {}).get(key, {}).items():
            rows = sorted(set(rows) if referring != table else {i for i in rows if self.key_of(table, i) != key})
            if rows:
                about[referring] = rows
        return about

    def _index_references(self) -> dict[str, dict[str, dict[str, list[int]]]]:
        """referenced table -> key -> referring table -> its rows, over every foreign key (lists included)."""
        pointing: dict = {}
        for resource in self.resources:
            frame = self.raw[resource.name]
            for column, target in self.references(resource.name).items():
                field_ = resource.field(column) or {}
                delimiter = list_delimiter(field_) if field_.get("type") == "list" else None
                for index, cell in zip(frame.index, frame[column]):
                    for key in (cell.split(delimiter) if delimiter else [cell]) if cell else []:
                        pointing.setdefault(target, {}).setdefault(key, {}).setdefault(resource.name, []).append(index)
        return pointing

    def passage_of(self, table: str, index: int) -> Passage | None:
        if table not in self._cited:
            frame = self.raw[table]
            self._cited[table] = ((list(frame["source_id"]), list(frame["quote"]))
                                  if "quote" in frame.columns and "source_id" in frame.columns else None)
        if self._cited[table] is None:
            return None
        sources, quotes = self._cited[table]
        return self.passages.get((sources[index], quotes[index]))

    def version(self) -> str:
        return str(self.package.descriptor.get("version", ""))


def read_site(descriptor: str | Path | None, without_texts: bool = False) -> Site:
    """Validate the package and gather what the pages need; raises InvalidPackageError when it is not valid
    (the site is built from a valid package only, so every quote has its highlight). `without_texts`: show
    only the quoted passages with their sentences, never a whole source text (as a copy without the texts
    does by itself)."""
    problems, tables = validate_and_read(descriptor)
    if problems:
        raise InvalidPackageError(problems)
    package, _ = open_package(descriptor)
    raw = {name: table.frame for name, table in tables.items()}
    typed = typed_tables(tables)
    texts, withheld = _source_texts(package, raw, without_texts)
    site = Site(package, raw, typed, texts, {}, withheld)
    site.passages = _passages(site)
    return site


def _source_texts(package: Package, raw: dict[str, pd.DataFrame], without_texts: bool) -> tuple[dict[str, SourceText], set]:
    """Each source's text to show, and the sources shown by their passages only: those of a copy without the
    texts (their stand-in's excerpt) and, with `without_texts`, all of them (an excerpt made here)."""
    from ..validation.withheld import passages, read_stand_in

    sources = raw.get("sources")
    if sources is None or "corpus_path" not in sources.columns:
        return {}, set()
    quotes: dict[str, list[str]] = {}
    for frame in raw.values():
        if {"source_id", "quote"} <= set(frame.columns):
            for source_id, quote in zip(frame["source_id"], frame["quote"]):
                if quote:
                    quotes.setdefault(source_id, []).append(quote)
    texts, read, withheld = {}, {}, set()
    for source_id, path in zip(sources["source_id"], sources["corpus_path"]):
        if not path:
            continue
        if path not in read:
            # Validated already; read the way the validator does anyway (inside the package, size-limited).
            try:
                text = read_limited(inside(package.root, path, CORPUS), MAX_CORPUS_BYTES).decode("utf-8")
            except FileNotFoundError:  # a copy without the texts: validation accepted its stand-in
                text = None
            if text is None:
                read[path] = (SourceText(read_stand_in(package.root, path)["excerpt"]), True)
            elif without_texts:
                cited = [q for s, p in zip(sources["source_id"], sources["corpus_path"]) if p == path for q in quotes.get(s, [])]
                read[path] = (SourceText(passages(text, cited)[1]), True)
            else:
                read[path] = (SourceText(text), False)
        texts[source_id] = read[path][0]
        if read[path][1]:
            withheld.add(source_id)
    return texts, withheld


def _passages(site: Site) -> dict[tuple[str, str], Passage]:
    """Every distinct (source, quote) located in its text, numbered within each source in reading order."""
    found: dict[tuple[str, str], Passage] = {}
    for resource in site.resources:
        if not site.has(resource.name, "source_id", "quote"):
            continue
        frame = site.raw[resource.name]
        for index, source_id, quote in zip(frame.index, frame["source_id"], frame["quote"]):
            text = site.texts.get(source_id)
            if not quote or text is None:
                continue
            passage = found.get((source_id, quote))
            if passage is None:
                spans = text.locate(quote)
                if spans is None:
                    continue  # cannot happen in a valid package; such a row just gets no link
                passage = found[(source_id, quote)] = Passage(source_id, 0, quote, spans)
            passage.rows.append(RowRef(resource.name, site.key_of(resource.name, index), index))
    for source_id in {s for s, _ in found}:
        ordered = sorted((p for p in found.values() if p.source_id == source_id), key=lambda p: (p.spans[0], p.quote))
        for number, passage in enumerate(ordered, 1):
            passage.number = number
    return found
