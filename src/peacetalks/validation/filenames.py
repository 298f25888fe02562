"""Names from the descriptor that `export` and `release` turn into file names, zip entries or SQL identifiers:
one rule, which `validate` applies to the descriptor and publish/names.py to every name it uses.

The descriptor may come from a stranger: a `name` or `version` holding `../` or `/` must never choose where a
file is written (issue 8), so they are accepted only as plain slugs, and not as a name Windows keeps for a
device (a `con.sqlite` cannot be created there).
"""

from __future__ import annotations

import re

SAFE_NAME = re.compile(r"[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*")
MAX_LENGTH = 100
UNSAFE = (f"cannot be used in a file name: use letters, digits and single '.', '-' or '_' between them, at most "
          f"{MAX_LENGTH} characters (like 'ukraine-peace-talks' or '0.1.0')")
# Names Windows keeps for devices, whatever extension follows and in any case: `con.json` or `COM1.sqlite`
# cannot be created there. Windows's list has COM0 and LPT0 too, and the superscript digits ¹ ² ³.
WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul"} | {f"{port}{digit}" for port in ("com", "lpt") for digit in "0123456789¹²³"})
DEVICE = ("is a name Windows keeps for a device (CON, PRN, AUX, NUL, COM0 to COM9, LPT0 to LPT9): a file named "
          "after it cannot be created there; rename it")


def windows_device(name: str) -> bool:
    """Whether Windows takes a file called `name`, with or without an extension, for a device."""
    return name.split(".", 1)[0].casefold() in WINDOWS_DEVICES


def is_safe_name(value) -> bool:
    """Whether `value` is a plain slug: letters, digits and single '.', '-' or '_' between them."""
    return isinstance(value, str) and len(value) <= MAX_LENGTH and bool(SAFE_NAME.fullmatch(value))


def name_fault(value) -> str | None:
    """Why `value` cannot name a file (the end of a sentence that starts with the name), or None."""
    if not is_safe_name(value):
        return UNSAFE
    if windows_device(value):
        return DEVICE
    return None
