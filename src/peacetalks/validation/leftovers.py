"""What a command is writing beside its output (a temporary file, a folder being built), noted so that it can be
removed if the command dies where no `finally` runs.

Under a memory limit the command line runs each command in a child process (cli._supervise): a native library
that cannot allocate (pyarrow's `std::bad_alloc`, OpenBLAS starting a thread) aborts the whole process, which no
Python code can catch or clean up after. The parent then removes every path noted here that still exists. Outside
that, nothing is noted (the variable is unset) and this costs nothing.
"""

from __future__ import annotations

import os
import shutil
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
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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
