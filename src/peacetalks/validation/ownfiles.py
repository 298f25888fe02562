"""The package's own text files (README, codebook, coding manual, CHANGELOG, CITATION.cff, descriptor)
as `docs`, `site` and `release` read and rewrite them: only regular files inside the package, never through
a symbolic link, with a size limit, and a decoding error said plainly.

A package from a stranger can ship `README.md -> ~/.bashrc`; writing "the README" must not follow it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .leftovers import replace_atomically
from .package import (MAX_JSON_BYTES, NotUTF8, PackageError, RefusedPath, read_limited, refuse_unless_own_regular_file,
                      through_no_link, utf8_text)

MAX_TEXT_BYTES = MAX_JSON_BYTES  # a README, codebook or manual is far smaller


def own_file(root: Path, relative: str) -> Path:
    """The path of a package file that `docs` may read or write; PackageError if it is a symbolic link or
    leads outside the package."""
    try:
        return through_no_link(Path(root), relative)
    except RefusedPath as exc:
        raise PackageError(f"{relative} {exc}") from None


def read_own_text(root: Path, relative: str) -> str | None:
    """The file's text, or None when it does not exist; PackageError, located, when it is refused (a link, a
    hard link, too large) or is not UTF-8."""
    path = own_file(root, relative)
    try:
        data = read_limited(path, MAX_TEXT_BYTES)
    except FileNotFoundError:
        return None
    except RefusedPath as exc:
        raise PackageError(f"{relative} {exc}") from None
    try:
        return utf8_text(data)
    except NotUTF8 as exc:
        raise PackageError(f"{relative}{f' line {exc.line}' if exc.line else ''}: {exc.said}; save it as UTF-8") from None


def copy_own_file(root: Path, relative: str, target: Path) -> None:
    """Copy a regular file of the package to `target`, checked on the file opened (no link, not a FIFO or
    device, not a hard link): PackageError naming it otherwise. Checked there, not on the name beforehand,
    so the file copied is the file checked."""
    path = own_file(root, relative)
    flags = os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        try:
            refuse_unless_own_regular_file(os.fstat(fd))
        except RefusedPath as exc:
            raise PackageError(f"{relative} {exc}") from None
        with os.fdopen(fd, "rb", closefd=False) as source, open(target, "wb") as copy:
            shutil.copyfileobj(source, copy)
    finally:
        os.close(fd)


def write_own_text(root: Path, relative: str, text: str) -> Path:
    """Replace the file with `text` (see replace_atomically: a link is replaced, never followed, a reader
    never sees half a file, and the file keeps its permissions)."""
    path = own_file(root, relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    own_file(root, relative)  # the folder just made, or one that was there, must be inside too
    replace_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8", newline="\n"))
    return path
