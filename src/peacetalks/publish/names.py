"""Names from the descriptor that become file names, zip entries or SQL identifiers, checked before use by
the rule `validate` applies too (validation/filenames.py)."""

from __future__ import annotations

from ..validation.filenames import name_fault
from ..validation.package import PackageError


class UnsafeNameError(PackageError):
    """A name that cannot be used as a file name; a usage error (exit 2)."""


def safe_name(value, what: str) -> str:
    """`value` if it can name a file (filenames.name_fault), else UnsafeNameError."""
    fault = name_fault(value)
    if fault is None:
        return value
    raise UnsafeNameError(f"{what} {value!r} {fault}")


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
