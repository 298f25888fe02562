"""Finding the package when no path is given: the nearest datapackage.json in the current folder or a
folder above it, else the copy installed with the toolkit (peacetalks/dataset/, see pyproject.toml)."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

from .package import DEFAULT_DESCRIPTOR, PackageError


class PackageNotFoundError(PackageError, FileNotFoundError):
    """No datapackage.json where one was looked for; the message lists every place tried."""

    def __init__(self, looked_in: list[str]):
        self.looked_in = looked_in
        super().__init__(f"no {DEFAULT_DESCRIPTOR} found (looked in {', '.join(looked_in)}): run from inside the "
                         "package's folder, or give the path of its datapackage.json")


def installed_descriptor() -> Path | None:
    """The descriptor shipped with the toolkit: in a wheel, peacetalks/dataset/; in an editable install
    (`make setup`), the source tree it was installed from."""
    try:
        spec = importlib.util.find_spec("peacetalks.dataset")
    except (ImportError, ValueError):
        spec = None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / DEFAULT_DESCRIPTOR
        if candidate.is_file():
            return candidate
    source = editable_source()
    return source / DEFAULT_DESCRIPTOR if source is not None and (source / DEFAULT_DESCRIPTOR).is_file() else None


def editable_source() -> Path | None:
    """The folder an editable install points to, from its direct_url.json (PEP 610), else None.

    setuptools' editable finder does not make peacetalks.dataset importable (the repository root has no
    __init__.py), so the installed copy is found through the record every editable install keeps."""
    from importlib.metadata import PackageNotFoundError as NotInstalled, distribution
    from urllib.parse import unquote, urlparse

    try:
        record = json.loads(distribution("peacetalks").read_text("direct_url.json") or "{}")
    except (NotInstalled, ValueError):
        return None
    url = urlparse(str(record.get("url", ""))) if isinstance(record, dict) else None
    if url is None or url.scheme != "file" or not (record.get("dir_info") or {}).get("editable"):
        return None
    return Path(unquote(url.path))


def _refuse_unless_regular(candidate: Path) -> None:
    kind = ("a symbolic link" if candidate.is_symlink() else "a folder" if candidate.is_dir()
            else None if candidate.is_file() else "not a regular file (a pipe, socket or device)")
    if kind:
        raise PackageError(f"{candidate} is {kind}; the descriptor is read only as a regular file, and no other "
                           "package is looked for above it: replace it with the file, or give the path of the "
                           "descriptor to check")


def find_descriptor(path: str | Path | None = None, start: str | Path | None = None, installed: bool = True) -> Path:
    """The descriptor to use: `path` (a descriptor or its folder) when given, else the nearest one from `start`
    (default: the current folder) upwards (the first found in any form: one that is not a regular file is
    refused, not passed over), else (with `installed`) the installed copy, which commands that
    write into the package must not use. Raises PackageNotFoundError."""
    if path is not None:
        candidate = Path(path)
        candidate = candidate / DEFAULT_DESCRIPTOR if candidate.is_dir() else candidate
        if not candidate.exists():
            raise PackageNotFoundError([str(candidate)])
        return candidate
    folder = Path(start or Path.cwd()).absolute()
    looked = []
    for candidate_folder in [folder, *folder.parents]:
        looked.append(str(candidate_folder))
        candidate = candidate_folder / DEFAULT_DESCRIPTOR
        if os.path.lexists(candidate):  # the nearest in any form: a parent's package is never checked instead
            _refuse_unless_regular(candidate)
            return candidate
    copy = installed_descriptor() if installed else None
    if copy is not None:
        return copy
    raise PackageNotFoundError(looked + (["the copy installed with peacetalks (none)"] if installed else []))
