"""Whether an error is memory running out under a limit (`ulimit -v`, `ulimit -d`), said as such in one line
(cli.py), rather than a fault of the toolkit reported as a bug."""

from __future__ import annotations

import resource

# What libraries raise, in words, when a limit refuses them memory: a shared library that cannot be mapped
# (numpy, pyarrow, pydantic_core imported late), a thread whose stack cannot be allocated (Python's, pyarrow's
# worker pool).
SIGNS = ("failed to map segment", "cannot allocate memory", "can't start new thread", "failed to launch worker thread",
         "resource temporarily unavailable")


def memory_limited() -> bool:
    return any(resource.getrlimit(kind)[0] != resource.RLIM_INFINITY for kind in (resource.RLIMIT_AS, resource.RLIMIT_DATA))


def limit_shown() -> str:
    """The memory limits in force, as a message names them: "limit: ulimit -d 800,000 kB" or "no limit set"."""
    limits = [(f"ulimit -{flag} {value // 1024:,} kB") for flag, kind in (("d", resource.RLIMIT_DATA), ("v", resource.RLIMIT_AS))
              for value in [resource.getrlimit(kind)[0]] if value != resource.RLIM_INFINITY]
    return "limit: " + ", ".join(limits) if limits else "no limit set"


def for_want_of_memory(exc: BaseException) -> bool:
    """True for a MemoryError, and, only when a memory limit is set, for an error that says memory (or a thread)
    was refused, or an interpreter error with no exception set (a failed allocation the interpreter dropped)."""
    if isinstance(exc, MemoryError):
        return True
    if not memory_limited():
        return False
    if isinstance(exc, SystemError):
        return True
    return any(sign in str(exc).lower() for sign in SIGNS)  # pyarrow's ArrowException is none of the usual kinds
