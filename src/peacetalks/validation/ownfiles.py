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
    return replace_with_text(path, text)


def replace_with_text(path: Path, text: str) -> Path:
    """Write `text` beside `path` under a unique name, then rename it over `path`: a link at `path` is replaced,
    never followed, a reader never sees half a file, and a failure (a full disk, Ctrl-C) leaves nothing behind."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path



# What a package is made of, at its root: no command's --out may be one of these or lie inside one (a site
# built into data/ replaced the tables with pages; `docs --out README.md` wrote the codebook over the README).
PACKAGE_FOLDERS = ("data", "schemas", "corpus", "docs", "checks", "examples", "src", ".git")
PACKAGE_FILES = ("datapackage.json", "README.md", "CHANGELOG.md", "CITATION.cff", "pyproject.toml", "Makefile",
                 "requirements.lock")


def check_out(descriptor: str | Path, out: str | Path, own_default: Path | None = None) -> None:
    """PackageError unless a command working on the package at `descriptor` (its file or folder) may write
    `out`: not the package's folder, nor a folder holding it, nor one of the package's own files and folders
    (the descriptor and every LICENSE* included) or anything inside them. `own_default`, the command's own
    output inside the package (docs/codebook.md for `docs`), is allowed. Compared after resolving links and
    `..`, and ignoring case (on macOS and Windows `Data` is `data`). A marker file in a folder changes
    nothing here: the package can ship one."""
    descriptor = Path(os.path.realpath(descriptor))
    package = descriptor if descriptor.is_dir() else descriptor.parent
    target = Path(os.path.realpath(out))
    if own_default is not None and target == Path(os.path.realpath(own_default)):
        return
    if package.is_relative_to(target):
        what = "is the package's own folder" if target == package else "holds the package"
        raise PackageError(f"--out {str(out)!r} {what} ({package}): {_ADVICE}")
    if not target.is_relative_to(package):
        return
    inside = target.relative_to(package).parts
    own = {name.casefold() for name in PACKAGE_FOLDERS + PACKAGE_FILES + ((descriptor.name,) if descriptor.is_file() else ())}
    top = package / inside[0]
    if inside[0].casefold() in own or (inside[0].casefold().startswith("license") and os.path.lexists(top)):
        where = "is" if len(inside) == 1 else "lies inside"
        kind = "folder" if top.is_dir() or inside[0].casefold() in {name.casefold() for name in PACKAGE_FOLDERS} else "file"
        raise PackageError(f"--out {str(out)!r} {where} the package's own {kind} {inside[0]}: {_ADVICE}")


_ADVICE = ("writing there would overwrite or mix with the package's files; choose a path outside the package, or a "
           "new one inside it (like exports or site)")
