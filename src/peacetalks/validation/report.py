"""Problems found in a package, each located well enough for a person to act on it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from .characters import UNPRINTABLE, escaped

def one_line(text: str) -> str:
    """`text` with every control character escaped (\\n, \\x1b, \\u2028): one problem is one line."""
    return UNPRINTABLE.sub(lambda m: escaped(m.group()), text)


def shown(value, limit: int = 80, quoted: bool = True) -> str:
    """A value from the package as a message echoes it: quoted (repr), every unprintable character escaped, and
    shortened to about `limit` characters with the length said, so that a huge cell cannot flood the report."""
    text = str(value)
    if len(text) > limit:
        text = f"{text[:limit - 20]}…{text[-12:]}"
        suffix = f" ({len(str(value)):,} characters)"
    else:
        suffix = ""
    # repr escapes what Python cannot print, not what draws as nothing (U+3164) or reorders: one_line does.
    return one_line(repr(text) if quoted else text) + suffix


def allowed_values(values: list, source: str = "the schema's enum", limit: int = 100) -> str:
    """The values a field allows, as a message names them: the whole list when it is short, else how many
    there are and the first few, with where to read the rest. An enum of 99,000 values printed in every
    message on its column made a 9.8 MB report."""
    whole = repr(list(values))
    if len(whole) <= limit:
        return f"the allowed values {whole}"
    first, length = [], 0
    for value in values:
        item = shown(value, 30) if isinstance(value, str) else shown(json.dumps(value), 30, quoted=False)
        if first and length + len(item) > limit - 40:
            break
        first.append(item)
        length += len(item) + 2
    return f"the {len(values):,} allowed values ({', '.join(first)}, …; see {source})"


@dataclass(frozen=True, slots=True)  # slots: a million problems take a third less memory
class Problem:
    """One fault. `file` is relative to the package root; `line` is the 1-based line in that file."""

    layer: str  # descriptor, structure, columns, keys, provenance
    rule: str  # a stable code, e.g. "type", "foreign-key", "quote-not-found"
    file: str
    message: str
    line: int | None = None
    id_field: str | None = None
    id_value: str | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        if self.id_field and self.id_value:
            parts.append(f"{self.id_field}={shown(self.id_value, quoted=False)}")
        text = f"{shown(self.column, quoted=False)}: {self.message}" if self.column else self.message
        return one_line(" ".join(parts) + " " + text)


def sort_key(problem: Problem) -> tuple:
    return (str(problem.file), problem.line or 0, str(problem.column or ""), str(problem.message))


# The text report prints at most this many problems of one kind (one rule, in one column of one file), then
# one line saying how many more there are: a package broken on every row is read in seconds, and the first
# few of a kind say what to fix. `validate --all` prints every one; `--format json` always holds every one.
MAX_PER_KIND = 10


def render_text(problems: list[Problem], per_kind: int | None = MAX_PER_KIND, totals: dict | None = None) -> str:
    """One line per problem, in order, with at most `per_kind` of each kind (None: all), then a line per kind
    with more, and the total. `totals` (kind -> count) is given when `problems` was already cut to a few of
    each kind (engine.validate_for_reading)."""
    lines, seen = [], {}
    for problem in problems:
        kind = (problem.file, problem.rule, problem.column)
        seen[kind] = count = seen.get(kind, 0) + 1
        if per_kind is None or count <= per_kind:
            lines.append(str(problem))
    totals = totals or seen
    # In the order of each kind's first problem shown, however the totals were gathered (so a report cut as the
    # checks run reads as one cut after).
    for file, rule, column in [*(k for k in seen if k in totals), *(k for k in totals if k not in seen)]:
        count = totals[file, rule, column]
        shown_count = min(seen.get((file, rule, column), 0), count if per_kind is None else per_kind)
        if count > shown_count:
            where = f"{file} {column}:" if column else f"{file}:"
            more = count - shown_count
            lines.append(one_line(f"{where} {more:,} more problem{'s' if more != 1 else ''} of the rule '{rule}' not shown "
                                  f"({count:,} in all; `validate --all` or `--format json` lists every one)"))
    total = sum(totals.values())
    if total:
        lines.append(f"{total:,} problem{'s' if total != 1 else ''} found.")
    return "\n".join(lines)


def render_json(problems: list[Problem], descriptor: str) -> str:
    return json_text({"descriptor": descriptor, "valid": not problems, "problem_count": len(problems),
                      "problems": [asdict(p) for p in problems]})


def json_text(value, **options) -> str:
    """JSON for a report on stdout: indented, letters of every script as they are, and every unprintable
    character (bidi controls, U+2028, zero-width ones: UNPRINTABLE) as a JSON escape, which any JSON reader
    reads back as the same text while a terminal or a log viewer shows it as written. The line breaks of the
    indentation stay: inside a string json.dumps has escaped every ASCII control already."""
    text = json.dumps(value, indent=2, ensure_ascii=False, **options)
    return UNPRINTABLE.sub(lambda m: m.group() if m.group() == "\n" else json.dumps(m.group())[1:-1], text)
