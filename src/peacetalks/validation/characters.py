"""Which characters the package's text may not hold, and which every report escapes: one definition for the
descriptor and schemas, the cells of every table, and every output that echoes them."""

from __future__ import annotations

import re

# What no text of the package may hold, in cells and in the descriptor alike: a C0 control but tab and newline,
# DEL, a C1 control (U+0080-U+009F, NEL among them), a line or paragraph separator, a bidirectional control
# (marks, embeddings, overrides, isolates, the Arabic letter mark), and the invisible characters that make two
# texts look alike (zero-width space, word joiner and invisible operators, the Mongolian vowel separator, a
# byte-order mark inside a text). Invisible, a terminal's commands, a line break where none is seen, text shown
# in an order other than its own; C0 controls cannot even be written to XLSX, so `export` would fail on a package
# `validate` passed. Letters of any script, quotes, dashes, the no-break space, the soft hyphen and the
# zero-width (non-)joiners that Persian, Indic scripts and emoji need are text. Written with escapes for ASCII
# so that Python's re and RE2 (pyarrow, which checks the cells) read the same class.
UNSEEN = "\\x7f-\\x9f\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
CONTROL_IN_TEXT = re.compile(f"[\\x00-\\x08\\x0b-\\x1f{UNSEEN}]")
CONTROL_IN_NAME = re.compile(f"[\\x00-\\x1f{UNSEEN}]")  # a name holds no tab or newline either
# Half of a UTF-16 pair alone (JSON's "\ud800"): no character, so no file, page or sheet can hold it and every
# writer of docs, export and site fails on it.
SURROGATE = re.compile("[\ud800-\udfff]")

# What a report escapes: every character of Unicode's control (Cc), format (Cf), line and paragraph separator
# (Zl, Zp) and surrogate (Cs) categories, as Unicode 14 lists them (unicodedata of Python 3.11); a superset of
# the above. Echoed values come from the package, so a newline, ANSI escapes or a right-to-left override in an
# id could otherwise forge report lines; invisible ones (U+200B, U+FEFF, U+2061, U+180E, U+061C) make two
# different ids look alike; a lone surrogate cannot be printed at all.
UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")


def escaped(character: str) -> str:
    """A character as Python writes it in an escape (\\u202e, \\x85)."""
    return character.encode("unicode_escape").decode("ascii")
