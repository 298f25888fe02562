"""No command opens a network connection: the second of two defences.

The first is that no address the package names (a `profile`, a `$schema`, a path) is ever handed to a library
that fetches (package.py, descriptor.py). This one catches whatever the first misses: while `no_network()`
is active, an audit hook refuses every `socket.connect` and every name lookup (`socket.getaddrinfo`, which
would already leak the name to a DNS server) made from Python in this process, by raising NetworkRefused
before the connection is made. The library that tried is then stopped by an
exception, which the validator reports as a located problem like any other fault.

Audit hooks see what Python code does; a library written in another language that opens its own sockets
(vl-convert's Rust and V8) is not seen. The site's charts hand vl-convert inline data only, never a URL.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

from .package import PackageError

_AUDITED = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
            "socket.gethostbyaddr", "socket.sendto", "socket.sendmsg"}
_active = 0  # how many no_network() blocks are open; the hook, once installed, stays (Python cannot remove one)
_installed = False


class NetworkRefused(PackageError):
    """A connection, or a name lookup, that peacetalks refused to make."""


def _where(event: str, args: tuple) -> str:
    if event == "socket.connect" and len(args) > 1:
        address = args[1]
        if isinstance(address, tuple) and len(address) >= 2:
            return f"{address[0]}:{address[1]}"
        return str(address)
    if event == "socket.getaddrinfo" and args:
        return f"{args[0]}:{args[1]}" if len(args) > 1 and args[1] is not None else str(args[0])
    return str(args[0]) if args else "?"


def _hook(event: str, args: tuple) -> None:
    if _active and event in _AUDITED:
        raise NetworkRefused(f"a network connection to {_where(event, args)[:200]} was refused: peacetalks reads "
                             "only files inside the package and never connects to a network (something in the "
                             "package names an address; put a copy of what it names in the package instead)")


@contextmanager
def no_network():
    """Every connection and name lookup made from Python inside this block raises NetworkRefused."""
    global _active, _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
    _active += 1
    try:
        yield
    finally:
        _active -= 1
