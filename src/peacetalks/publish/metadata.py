"""What the package says about itself, from one place: the descriptor's `sources` (from the sources table),
its `created` date and CITATION.cff's `date-released` (from the version's CHANGELOG entry, when the package has a CHANGELOG), and the record
every export carries (licence, version, citation, sources, table and column descriptions).

`peacetalks docs` writes the generated parts of datapackage.json and CITATION.cff; `docs --check` (and so
`make release`) fails when they are stale, as it does for the codebook.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from ..validation.ownfiles import read_own_text, write_own_text

from ..validation.package import Package, PackageError, list_delimiter

SOURCES_TABLE = "sources"
# The columns of the sources table that a descriptor source carries besides its title and path.
KNOWN_SOURCE_FACTS = ("source_id", "short_code", "outlet", "authors", "published", "language", "corpus_path", "original_url")


# -- the descriptor's sources and dates -------------------------------------------------------------------

def release_date(root: Path, version: str) -> str | None:
    """The date of `## [<version>] - YYYY-MM-DD` in CHANGELOG.md; None while the version is unreleased."""
    try:
        text = read_own_text(root, "CHANGELOG.md")
    except NotADirectoryError:
        return None
    if text is None:
        return None
    found = re.search(rf"^## \[{re.escape(str(version))}\] - (\d{{4}}-\d{{2}}-\d{{2}})\s*$", text, re.MULTILINE)
    return found.group(1) if found else None


def has_changelog(root: Path) -> bool:
    return (root / "CHANGELOG.md").is_file()


def descriptor_sources(package: Package, frames: dict[str, pd.DataFrame]) -> list[dict]:
    """One Data Package `source` per row of the sources table: title, path (its address, else its corpus
    copy) and the facts the row records; nothing the row leaves empty is filled in."""
    table, resource = frames.get(SOURCES_TABLE), package.resource(SOURCES_TABLE)
    if table is None or resource is None:
        return []
    delimiters = {f["name"]: list_delimiter(f) for f in resource.fields if f.get("type") == "list"}
    sources = []
    for row in table.to_dict("records"):  # raw text, or typed (lists) when an export asks
        cell = {k: delimiters.get(k, ",").join(v) if isinstance(v, list) else v if isinstance(v, str) else ""
                for k, v in row.items()}
        known = [cell.get(c, "") for c in ("outlet", "published") if cell.get(c)]
        entry = {"title": cell.get("title") or f"Untitled ({', '.join(known) or cell.get('source_id', '')})"}
        path = cell.get("url") or cell.get("corpus_path")
        if path:
            entry["path"] = path
        for column in KNOWN_SOURCE_FACTS:
            value = cell.get(column, "")
            if value and not (column == "corpus_path" and value == path):
                entry[column] = value.split(delimiters[column]) if column in delimiters else value
        sources.append(entry)
    return sources


def generated_descriptor(package: Package, frames: dict[str, pd.DataFrame]) -> dict:
    """The descriptor with its generated properties current: `sources`, and `created` after `version`."""
    descriptor = dict(package.descriptor)
    if not has_changelog(package.root):  # a copy without its history: its dates are kept as they are
        return {**descriptor, "sources": descriptor_sources(package, frames)}
    created = release_date(package.root, descriptor.get("version", ""))
    descriptor.pop("created", None)
    ordered = {}
    for key, value in descriptor.items():
        ordered[key] = value
        if key == "version" and created:
            ordered["created"] = f"{created}T00:00:00Z"
    ordered["sources"] = descriptor_sources(package, frames)
    return ordered


def descriptor_text(descriptor: dict) -> str:
    return json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"


def citation_text(text: str, released: str | None) -> str:
    """CITATION.cff with `date-released` right after `version`, or without it while the version is unreleased."""
    lines = [line for line in text.splitlines() if not line.startswith("date-released:")]
    if released:
        at = next((i + 1 for i, line in enumerate(lines) if line.startswith("version:")), len(lines))
        lines.insert(at, f'date-released: "{released}"')
    return "\n".join(lines) + "\n"


def generated_files(package: Package, frames: dict[str, pd.DataFrame]) -> dict[Path, str]:
    """datapackage.json and CITATION.cff (when present) as `peacetalks docs` writes them."""
    files = {package.descriptor_path: descriptor_text(generated_descriptor(package, frames))}
    citation = package.root / "CITATION.cff"
    current = read_own_text(package.root, "CITATION.cff") if citation.exists() or citation.is_symlink() else None
    if current is not None and has_changelog(package.root):
        released = release_date(package.root, package.descriptor.get("version", ""))
        files[citation] = citation_text(current, released)
    return files


def stale_files(package: Package, frames: dict[str, pd.DataFrame]) -> list[Path]:
    return [path for path, text in generated_files(package, frames).items()
            if read_own_text(package.root, path.relative_to(package.root).as_posix()) != text]


def write_generated_files(package: Package, frames: dict[str, pd.DataFrame]) -> list[Path]:
    """Rewrite the stale ones; returns them."""
    stale = stale_files(package, frames)
    for path, text in generated_files(package, frames).items():
        if path in stale:
            write_own_text(package.root, path.relative_to(package.root).as_posix(), text)
    return stale


def check_generated_files(package: Package, frames: dict[str, pd.DataFrame]) -> None:
    stale = stale_files(package, frames)
    if stale:
        names = " and ".join(package.rel(p) for p in stale)
        raise PackageError(f"{names}: the sources or release date are out of date with data/sources.csv or "
                           "CHANGELOG.md: run `peacetalks docs` (make docs) and commit the result")


# -- the record every export carries ----------------------------------------------------------------------

def citation(descriptor: dict) -> str:
    """A plain-text citation from the descriptor alone (CITATION.cff says the same for citation managers)."""
    creators = [c.get("title", "") for c in descriptor.get("contributors") or []
                if isinstance(c, dict) and isinstance(c.get("roles"), list) and "creator" in c["roles"]]
    year = str(descriptor.get("created", ""))[:4] or "n.d."
    return (f"{'; '.join(creators) or descriptor.get('name', '')} ({year}). {descriptor.get('title', '')} "
            f"(version {descriptor.get('version', '')}) [Data set].")


def licence_text(descriptor: dict) -> str:
    return "; ".join(f"{lic.get('name', '')}: {lic.get('title', '')} <{lic.get('path', '')}>"
                     for lic in descriptor.get("licenses") or [] if isinstance(lic, dict))


def resource_property(package: Package, name: str, key: str) -> str:
    raw = next((r for r in package.descriptor.get("resources") or [] if isinstance(r, dict) and r.get("name") == name), {})
    return str(raw.get(key, ""))
