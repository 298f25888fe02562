"""The package's own text files (README, codebook, coding manual, CHANGELOG, CITATION.cff, descriptor)
as `docs`, `site` and `release` read and rewrite them: only regular files inside the package, never through
a symbolic link, with a size limit, and a decoding error said plainly.

A package from a stranger can ship `README.md -> ~/.bashrc`; writing "the README" must not follow it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .package import MAX_JSON_BYTES, PackageError, RefusedPath, read_limited, through_no_link

MAX_TEXT_BYTES = MAX_JSON_BYTES  # a README, codebook or manual is far smaller


def own_file(root: Path, relative: str) -> Path:
    """The path of a package file that `docs` may read or write; PackageError if it is a symbolic link or
    leads outside the package."""
    try:
        return through_no_link(Path(root), relative)
    except RefusedPath as exc:
        raise PackageError(f"{relative} {exc}") from None


def read_own_text(root: Path, relative: str) -> str | None:
    """The file's text, or None when it does not exist."""
    path = own_file(root, relative)
    try:
        data = read_limited(path, MAX_TEXT_BYTES)
    except FileNotFoundError:
        return None
    except RefusedPath as exc:
        raise PackageError(f"{relative} {exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackageError(f"{relative} is not valid UTF-8 (byte {exc.start}); save it as UTF-8") from None


def write_own_text(root: Path, relative: str, text: str) -> Path:
    """Replace the file with `text` (written beside it under a unique name, then renamed over it, so a link
    is replaced, never followed, and a reader never sees half a file)."""
    path = own_file(root, relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    own_file(root, relative)  # the folder just made, or one that was there, must be inside too
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
