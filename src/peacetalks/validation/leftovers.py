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
from pathlib import Path

LISTING = "PEACETALKS_IN_PROGRESS"  # the file the notes go to, named by the parent


def writing(path: str | Path) -> None:
    """Note `path`, just made, as one to remove if this process dies before it moves or removes it itself."""
    listing = os.environ.get(LISTING)
    if listing:
        with open(listing, "a", encoding="utf-8", errors="surrogateescape") as notes:
            notes.write(f"{os.path.abspath(path)}\0")


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
