"""The dataset rules of checks/ (shipped as `peacetalks.checks`), imported without writing bytecode.

The rules always come from the installed toolkit, never from the checks/ folder of a package under
validation (which is never imported: its code is not run). In a working copy, though, the toolkit is
installed in editable mode and the two are one folder; validation writes nothing into the package it
checks, so no checks/__pycache__ either.
"""

import sys

_writing = sys.dont_write_bytecode
sys.dont_write_bytecode = True
try:
    from peacetalks import checks
    from peacetalks.checks import accounts, actors, demands, digest, figures, generic, links, prose, scales  # noqa: F401 - loaded here, without bytecode
finally:
    sys.dont_write_bytecode = _writing

__all__ = ["checks"]
