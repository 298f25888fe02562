"""Names from the descriptor that `export` and `release` turn into file names, zip entries or SQL identifiers:
one rule, which `validate` applies to the descriptor and publish/names.py to every name it uses.

The descriptor may come from a stranger: a `name` or `version` holding `../` or `/` must never choose where a
file is written (issue 8), so they are accepted only as plain slugs.
"""

from __future__ import annotations

import re

SAFE_NAME = re.compile(r"[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*")
MAX_LENGTH = 100
UNSAFE = (f"cannot be used in a file name: use letters, digits and single '.', '-' or '_' between them, at most "
          f"{MAX_LENGTH} characters (like 'ukraine-peace-talks' or '0.1.0')")


def is_safe_name(value) -> bool:
    """Whether `value` is a plain slug: letters, digits and single '.', '-' or '_' between them."""
    return isinstance(value, str) and len(value) <= MAX_LENGTH and bool(SAFE_NAME.fullmatch(value))
