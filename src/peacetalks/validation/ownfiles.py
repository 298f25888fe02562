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


def read_published_text(root: Path, relative: str) -> str | None:
    """A text file the site or a document shows (README, coding manual, CITATION.cff): None (left out) when it
    is missing or reached through a symbolic link, as a linked download is; any other fault (a hard link, not
    UTF-8, too large) is a PackageError that names the file: left out silently, the page would lack it and no
    one would know why."""
    try:
        through_no_link(root, relative)
    except RefusedPath:
        return None
    return read_own_text(root, relative)


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
    return replace_with_text(path, text)


def replace_with_text(path: Path, text: str) -> Path:
    """Write `text` over `path` through the shared atomic writer: a link at `path` is replaced, never followed,
    a reader never sees half a file, and a failure (a full disk, Ctrl-C) leaves nothing behind."""
    replace_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8", newline="\n"))
    return path



# What a package is made of, at its root: no command's --out may be one of these or lie inside one (a site
# built into data/ replaced the tables with pages; `docs --out README.md` wrote the codebook over the README).
PACKAGE_FOLDERS = ("data", "schemas", "corpus", "docs", "checks", "examples", "src", ".git")
PACKAGE_FILES = ("datapackage.json", "README.md", "CHANGELOG.md", "CITATION.cff", "pyproject.toml", "Makefile",
                 "requirements.lock")


def check_out(descriptor: str | Path, out: str | Path, own_default: Path | None = None, file: bool = False) -> None:
    """PackageError unless a command working on the package at `descriptor` (its file or folder) may write
    `out`: not the package's folder, nor a folder holding it, nor one of the package's own files and folders
    (the descriptor and every LICENSE* included) or anything inside them. `own_default`, the command's own
    output inside the package (docs/codebook.md for `docs`), is allowed. RefusedOut if the way to `out` goes
    through a link the package could have shipped (refuse_linked_out; `file`: `out` names a file, which is
    replaced, never followed, when it is a link). Otherwise compared after resolving links and
    `..`, and ignoring case (on macOS and Windows `Data` is `data`). A marker file in a folder changes
    nothing here: the package can ship one."""
    descriptor = Path(os.path.realpath(descriptor))
    package = descriptor if descriptor.is_dir() else descriptor.parent
    refuse_linked_out(out, package, file)
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


class RefusedOut(PackageError):
    """An --out that would be reached through a symbolic link; a usage error (exit 2)."""


_THROUGH_LINK = ("the link may have come with the package, and writing through it would write outside the folder "
                 "you named; name a real folder")


def refuse_linked_out(out: str | Path, package: Path | None = None, file: bool = False) -> None:
    """RefusedOut if writing to `out` would follow a symbolic link a package could have shipped: `out` itself
    being one (wherever it is), or a folder on the way to it that is one and lies in the folder `package`
    (`exports -> /elsewhere` shipped, and `--out exports/sub`). The one rule for every command's --out. With
    `file`, `out` names a file (docs --out), which the atomic writer replaces, link or not: only the way there counts.

    A link outside the package is the user's own (`--out /home/me/disk/site`, /home/me/disk a link they made):
    they named it, and it is followed. Each folder is judged where it really is: the path is walked one name at
    a time from the current folder, the links outside the package resolved on the way, so that `..` after a
    link goes where the system would take it, and a package reached through the user's link is still known."""
    given = Path(out)
    here = Path(given.anchor) if given.is_absolute() else Path(os.path.realpath(os.getcwd()))
    names = given.parts[1:] if given.is_absolute() else given.parts
    package = Path(os.path.realpath(package)) if package is not None else None
    for index, name in enumerate(names):
        if name == "..":
            here = here.parent  # `here` has no link in it, so this is the folder the system goes to
            continue
        step = here / name
        if not step.is_symlink():
            here = step
            continue
        last = index == len(names) - 1
        if last and file:
            return
        if last or (package is not None and here.is_relative_to(package)):
            shown = str(Path(*given.parts[:len(given.parts) - len(names) + index + 1]))
            where = "is a symbolic link" if last else f"passes through {shown}, a symbolic link"
            raise RefusedOut(f"--out {str(out)!r} {where} (to {_link_target(step)}): {_THROUGH_LINK}")
        here = Path(os.path.realpath(step))


def _link_target(link: Path) -> str:
    try:
        return os.readlink(link)
    except OSError:
        return "somewhere unknown"
