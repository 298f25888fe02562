"""Names from the descriptor that become file names, zip entries or SQL identifiers, checked before use.

The descriptor may come from a stranger: a `name` or `version` holding `../` or `/` must never choose
where a file is written (issue 8), so they are accepted only as plain slugs.
"""

from __future__ import annotations

import re

from ..validation.package import PackageError

SAFE_NAME = re.compile(r"[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*")
MAX_LENGTH = 100
# Names Windows keeps for devices, whatever extension follows and in any case: `con.json` or `COM1.sqlite`
# cannot be created there. Windows's list has COM0 and LPT0 too, and the superscript digits ¹ ² ³.
WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul"} | {f"{port}{digit}" for port in ("com", "lpt") for digit in "0123456789¹²³"})


def windows_device(name: str) -> bool:
    """Whether Windows takes a file called `name`, with or without an extension, for a device."""
    return name.split(".", 1)[0].casefold() in WINDOWS_DEVICES


class UnsafeNameError(PackageError):
    """A name that cannot be used as a file name; a usage error (exit 2)."""


def safe_name(value, what: str) -> str:
    """`value` if it is a plain slug (letters, digits, single '.', '-' or '_' between them), else UnsafeNameError."""
    if isinstance(value, str) and len(value) <= MAX_LENGTH and SAFE_NAME.fullmatch(value):
        if windows_device(value):
            raise UnsafeNameError(f"{what} {value!r} is a name Windows keeps for a device (CON, PRN, AUX, NUL, COM0 to "
                                  "COM9, LPT0 to LPT9): a file named after it cannot be created there; rename it")
        return value
    raise UnsafeNameError(f"{what} {value!r} cannot be used in a file name: use letters, digits and single '.', "
                          f"'-' or '_' between them, at most {MAX_LENGTH} characters (like 'ukraine-peace-talks' or '0.1.0')")


def output_folder(out) -> "Path":
    """The folder a command writes into, made if missing. A symbolic link is refused (a usage error): a
    package can ship `exports -> ~/somewhere`, and the default --out must not follow it out."""
    out = refuse_link(out)
    out.mkdir(parents=True, exist_ok=True)
    return out


def refuse_link(out) -> "Path":
    """`out` as a Path; RefusedOut (a usage error) if it is a symbolic link (ownfiles.refuse_linked_out: the
    folders on the way were checked by check_out, which knows the package)."""
    from pathlib import Path

    from ..validation.ownfiles import refuse_linked_out

    refuse_linked_out(out)
    return Path(out)
