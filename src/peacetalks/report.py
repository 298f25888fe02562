"""Problems found in a package, each located well enough for a person to act on it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
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
            parts.append(f"{self.id_field}={self.id_value}")
        text = f"{self.column}: {self.message}" if self.column else self.message
        return " ".join(parts) + " " + text


def sort_key(problem: Problem) -> tuple:
    return (problem.file, problem.line or 0, problem.column or "", problem.message)


def render_text(problems: list[Problem]) -> str:
    lines = [str(p) for p in problems]
    if problems:
        lines.append(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found.")
    return "\n".join(lines)


def render_json(problems: list[Problem], descriptor: str) -> str:
    return json.dumps(
        {"descriptor": descriptor, "valid": not problems, "problem_count": len(problems),
         "problems": [asdict(p) for p in problems]},
        indent=2, ensure_ascii=False,
    )
