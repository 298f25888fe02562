"""`peacetalks stats`: how much has been curated, where from, and about what.

Counts come from the raw cell text (`read_raw`), so they can be watched while curation is under way and
the package does not validate yet. Text shows the top entries of long lists; JSON holds all of them.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from ..validation.package import Package
from ..validation.raw import read_raw, source_column
from ..validation.report import json_text, one_line

TOP = 15  # entries shown per long list in the text report


def compute_stats(descriptor: str | Path | None) -> dict:
    package, frames = read_raw(descriptor)
    demands = frames.get("demands", pd.DataFrame(columns=["actor_id", "issue_id"]))
    figures = frames.get("figures", pd.DataFrame(columns=["unit"]))
    return {
        "descriptor": str(package.descriptor_path),
        "rows": {name: len(frame) for name, frame in frames.items()},
        "rows_by_source": _rows_by_source(package, frames),
        "figures_by_unit": _count(figures, ["unit"]),
        "demands_by_actor": _count(demands, ["actor_id"]),
        "demands_by_issue": _count(demands, ["issue_id"]),
        "demands_by_actor_and_issue": _count(demands, ["actor_id", "issue_id"]),
    }


def _rows_by_source(package: Package, frames: dict[str, pd.DataFrame]) -> dict[str, dict[str, int]]:
    """source id -> table -> rows, for every source (unused ones included) and every table with a source."""
    sources = list(frames["sources"]["source_id"]) if "source_id" in frames.get("sources", {}) else []  # a schema that lists no fields
    matrix = {source: {} for source in sources}
    for name, frame in frames.items():
        column = source_column(package, name)
        if column is None or column not in frame.columns:
            continue
        counts = Counter(frame[column])
        for source in list(matrix) + sorted(set(counts) - set(matrix)):  # unknown sources still count
            matrix.setdefault(source, {})[name] = counts.get(source, 0)
    return matrix


def _count(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Rows per value (or value combination), most first, then alphabetically; empty cells as ''."""
    if not set(columns) <= set(frame.columns):
        return []
    counts = Counter(tuple(row) for row in frame[columns].itertuples(index=False, name=None))
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [dict(zip(columns, key), rows=n) for key, n in ordered]


# -- rendering --------------------------------------------------------------------------------------------

def render_json(stats: dict) -> str:
    return json_text(stats)


def render_text(stats: dict) -> str:
    blocks = [_section("Rows per table", ["table", "rows"], [[t, n] for t, n in stats["rows"].items()])]
    matrix = stats["rows_by_source"]
    tables = sorted({t for counts in matrix.values() for t in counts}, key=list(stats["rows"]).index)
    if tables:
        rows = [[source] + [counts.get(t, 0) for t in tables] + [sum(counts.values())] for source, counts in matrix.items()]
        rows.append(["total"] + [sum(r[i + 1] for r in rows) for i in range(len(tables) + 1)])
        blocks.append(_section("Rows per source", ["source"] + tables + ["total"], rows))
    for key, title in (("figures_by_unit", "Figures per unit"), ("demands_by_actor", "Demands per actor"),
                       ("demands_by_issue", "Demands per issue"),
                       ("demands_by_actor_and_issue", "Demands per actor and issue")):
        entries = stats[key]
        if not entries:
            continue
        columns = [c for c in entries[0] if c != "rows"]
        shown = f" (top {TOP} of {len(entries)}; all in --format json)" if len(entries) > TOP else ""
        blocks.append(_section(title + shown, columns + ["rows"],
                               [[e[c] or "(empty)" for c in columns] + [e["rows"]] for e in entries[:TOP]]))
    return "\n\n".join(blocks)


def _section(title: str, header: list[str], rows: list[list]) -> str:
    return title + "\n" + aligned(header, rows)


def aligned(header: list[str], rows: list[list]) -> str:
    """A plain text table: text left-aligned, numbers right-aligned, a rule under the header."""
    # Cells are read without validation: every control character is escaped, as the validator's report does,
    # so a cell cannot set the terminal's title, clear it or reorder a line (bidi controls).
    cells = [[one_line(str(c)) for c in header]] + [[f"{c:,}" if isinstance(c, int) else one_line(str(c)) for c in row]
                                                   for row in rows]
    numeric = [bool(rows) and all(isinstance(row[i], int) for row in rows) for i in range(len(header))]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(row, widths, numeric)).rstrip()

    return "\n".join([line(cells[0]), line(["-" * w for w in widths])] + [line(row) for row in cells[1:]])
