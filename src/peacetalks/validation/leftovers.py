"""What a command is writing beside its output (a temporary file, a folder being built), noted so that it can be
removed if the command dies where no `finally` runs, and named so that a later run can remove it if it was killed.

Under a memory limit the command line runs each command in a child process (cli._supervise): a native library
that cannot allocate (pyarrow's `std::bad_alloc`, OpenBLAS starting a thread) aborts the whole process, which no
Python code can catch or clean up after. The parent then removes every path noted here that still exists. Outside
that, nothing is noted (the variable is unset) and this costs nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import stat
import tempfile
from pathlib import Path

LISTING = "PEACETALKS_IN_PROGRESS"  # the file the notes go to, named by the parent


def writing(path: str | Path) -> None:
    """Note `path`, just made, as one to remove if this process dies before it moves or removes it itself."""
    listing = os.environ.get(LISTING)
    if listing:
        with open(listing, "a", encoding="utf-8", errors="surrogateescape") as notes:
            notes.write(f"{os.path.abspath(path)}\0")


def replace_atomically(path: Path, write) -> None:
    """Make `path` by `write(temporary)`, a new file beside it, then move that over it: a reader never sees half
    a file, a failed write leaves the old one as it was, and a link at `path` is replaced, never followed. The
    temporary name is new for each call, so two commands writing one folder at once never share it.

    The file keeps the permissions it had, and a new one gets what open() would give it (0666 less the umask):
    mkstemp makes the temporary file 0600, which left every README or codebook `docs` rewrote unreadable to
    the group and to a web server."""
    path = Path(path)
    remove_stale_once(path.parent)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=temporary_prefix(path.name), suffix=".tmp")
    os.close(handle)
    writing(name)
    temporary = Path(name)
    try:
        write(temporary)
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _mode_for(path: Path) -> int:
    """The permissions of the regular file at `path`, or those of a new file under this process's umask."""
    try:
        info = os.lstat(path)
        if stat.S_ISREG(info.st_mode):
            return stat.S_IMODE(info.st_mode) & 0o777  # never a set-user-id bit a package shipped
    except OSError:
        pass
    umask = os.umask(0)  # read only by setting it; put back at once
    os.umask(umask)
    return 0o666 & ~umask


def remove_left(listing: str | Path) -> None:
    """Remove every path noted in `listing` that is still there (never through a link)."""
    try:
        text = Path(listing).read_text(encoding="utf-8", errors="surrogateescape")
    except OSError:
        return
    for name in filter(None, text.split("\0")):
        path = Path(name)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                path.unlink()
            except OSError:
                pass


# -- What a killed run left ------------------------------------------------------------------------------------
# SIGKILL (a CI timeout, the out-of-memory killer, `kill -9`) runs no `finally`: a temporary file or folder stays.
# Every one this toolkit makes is named with temporary_prefix(), and a later run removes those whose process is
# gone (remove_stale). A file merely ending in .tmp, or named like ours by someone else, is never touched.

TEMPORARY_PREFIX = ".peacetalks-tmp-"
# The machine's (or container's) name, shortened. A pid means something only where it was given: a container
# sharing this folder has pids of its own, and its live run must not look dead from here.
MACHINE = hashlib.sha256(socket.gethostname().encode("utf-8", "surrogateescape")).hexdigest()[:8]
OURS = re.compile(rf"{re.escape(TEMPORARY_PREFIX)}(?P<host>[0-9a-f]{{8}})-(?P<pid>\d+)-.*", re.S)
_swept: set[str] = set()


def temporary_prefix(label: str) -> str:
    """The start of the name of a temporary file or folder this process makes (tempfile's `prefix`): the
    toolkit's mark, the machine and this process, then `label`, what it is for (cut short: a name has a limit)."""
    return f"{TEMPORARY_PREFIX}{MACHINE}-{os.getpid()}-{label[:40]}."


def remove_stale(folder: str | Path, pattern: re.Pattern = OURS, ours=lambda path: True) -> list[Path]:
    """Remove from `folder` what runs of this toolkit killed midway left there, and return it: each entry whose
    whole name `pattern` matches (its group `pid` the process that made it, its group `host`, if any, this
    machine), that belongs to this user, is not a symbolic link, whose process is gone, and for which
    `ours(path)` holds. A live run's files, another user's, and anything named otherwise are left alone.

    A pid is reused in time: a leftover whose pid now belongs to another process is kept until that one ends,
    never the other way round (a live run's pid is its own), so no age is needed to keep live files safe."""
    try:
        entries = list(os.scandir(folder))
    except OSError:  # missing, or not readable: nothing of ours to remove
        return []
    removed = []
    for entry in entries:
        found = pattern.fullmatch(entry.name)
        if found is None or found.groupdict().get("host", MACHINE) != MACHINE:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        path = Path(entry.path)
        if stat.S_ISLNK(info.st_mode) or not _mine(info) or process_alive(int(found["pid"])) or not ours(path):
            continue
        if stat.S_ISDIR(info.st_mode):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                path.unlink()
            except OSError:  # removed meanwhile by another run sweeping too
                continue
        removed.append(path)
    return removed


def remove_stale_once(folder: str | Path) -> None:
    """remove_stale(folder), the first time this process writes there: export writes thirty files into a few."""
    key = os.path.abspath(folder)
    if key not in _swept:
        _swept.add(key)
        remove_stale(folder)


def process_alive(pid: int) -> bool:
    """Whether process `pid` is running (this one included); another user's counts as running: not ours to judge."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):  # another user's process, or no pid at all
        return True
    return True


def _mine(info: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)  # Windows has no user ids: a folder there is the user's own
    return getuid is None or info.st_uid == getuid()
