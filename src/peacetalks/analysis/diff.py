"""`peacetalks diff`: what changed between two versions of the package, table by table, by primary key.

Cells are compared as the text in the CSV files, unvalidated, so any two readable versions can be
compared (a release against the working tree, a branch against main).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..validation.package import Package, PackageError
from ..validation.raw import read_raw
from ..validation.report import json_text, one_line


def diff_packages(old: str | Path, new: str | Path) -> dict:
    old_package, old_frames = _read("old", old)
    new_package, new_frames = _read("new", new)
    names = list(new_frames) + [n for n in old_frames if n not in new_frames]
    tables = {}
    for name in names:
        key = _key(new_package if name in new_frames else old_package, name)
        present = new_frames.get(name, old_frames.get(name))
        empty = present.iloc[:0]  # a table new or gone: compared with no rows of the same columns
        tables[name] = diff_table(old_frames.get(name, empty), new_frames.get(name, empty), key)
        tables[name]["status"] = ("added" if name not in old_frames else "removed" if name not in new_frames else "kept")
    return {"old": str(old_package.descriptor_path), "new": str(new_package.descriptor_path), "tables": tables}


def _read(which: str, descriptor: str | Path) -> tuple[Package, dict[str, pd.DataFrame]]:
    try:
        return read_raw(descriptor)
    except PackageError as exc:  # say which of the two versions it was: both have the same file names
        raise PackageError(f"cannot read the {which} version ({descriptor}): {exc}") from None


def _key(package: Package, name: str) -> list[str]:
    resource = package.resource(name)
    return resource.primary_key or resource.field_names  # no primary key: a row is known by all its cells


def diff_table(old: pd.DataFrame, new: pd.DataFrame, key: list[str]) -> dict:
    old_rows, new_rows = _by_key(old, key), _by_key(new, key)
    common = [c for c in new.columns if c in old.columns]
    changed = []
    for row_key in (k for k in new_rows if k in old_rows):
        before, after = old_rows[row_key], new_rows[row_key]
        columns = {c: {"old": before[c], "new": after[c]} for c in common if before[c] != after[c]}
        if columns:
            changed.append({"key": _label(row_key), "columns": columns})
    return {
        "key": key,
        "columns_added": [c for c in new.columns if c not in old.columns],
        "columns_removed": [c for c in old.columns if c not in new.columns],
        "added": [_label(k) for k in new_rows if k not in old_rows],
        "removed": [_label(k) for k in old_rows if k not in new_rows],
        "changed": changed,
    }


def _by_key(frame: pd.DataFrame, key: list[str]) -> dict[tuple, dict]:
    """Rows by their key value; with a repeated key (an invalid package) the first row stands for it."""
    if not set(key) <= set(frame.columns):
        return {}
    rows = {}
    for row in frame.to_dict("records"):
        rows.setdefault(tuple(row[c] for c in key), row)
    return rows


def _label(key: tuple) -> str:
    return ", ".join(key)


def has_changes(table: dict) -> bool:
    return any(table[k] for k in ("added", "removed", "changed", "columns_added", "columns_removed")) \
        or table["status"] != "kept"


# -- rendering --------------------------------------------------------------------------------------------

def render_json(result: dict) -> str:
    return json_text(result)


def render_text(result: dict) -> str:
    lines = [f"--- {result['old']}", f"+++ {result['new']}"]
    for name, table in result["tables"].items():
        if not has_changes(table):
            lines.append(f"{name}: no changes")
            continue
        status = {"added": " (new table)", "removed": " (table removed)"}.get(table["status"], "")
        lines.append(f"{name}{status}: {len(table['added'])} added, {len(table['removed'])} removed, "
                     f"{len(table['changed'])} changed")
        lines += [f"  columns added: {', '.join(table['columns_added'])}"] if table["columns_added"] else []
        lines += [f"  columns removed: {', '.join(table['columns_removed'])}"] if table["columns_removed"] else []
        lines += [f"  + {k}" for k in table["added"]]
        lines += [f"  - {k}" for k in table["removed"]]
        for change in table["changed"]:
            lines.append(f"  ~ {change['key']}: {', '.join(change['columns'])}")
            lines += [f"      {column}: {_shown(values['old'])} → {_shown(values['new'])}"
                      for column, values in change["columns"].items()]
    count = sum(has_changes(t) for t in result["tables"].values())
    lines.append(f"{count} table{'s' if count != 1 else ''} changed." if count else "No differences.")
    return "\n".join(one_line(line) for line in lines)  # keys, names and paths come from the packages too


SHOWN_LENGTH = 80  # a changed quote or summary is shortened in the text form; --format json has it whole


def _shown(value) -> str:
    """A cell for one line of text: quoted, control characters escaped, long text shortened."""
    text = "" if value is None else str(value)
    return repr(text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH - 1] + "…")
