"""Which characters the package's text may not hold, and which every report escapes: one definition for the
descriptor and schemas, the cells of every table, and every output that echoes them."""

from __future__ import annotations

import re

# What no text of the package may hold, in cells and in the descriptor alike, by Unicode's own categories
# rather than a list that misses the next trick: every control (Cc) but tab and newline, every format
# character (Cf), the line and paragraph separators (Zl, Zp), and the 66 noncharacters (U+FFFE, U+FFFF,
# U+FDD0-U+FDEF and the last two of each plane), which Unicode reserves for a program's own use, never for
# text. Format characters are invisible: bidirectional controls show text in an order other than its own,
# zero-width ones and the tag characters (U+E0000-U+E007F, which spell hidden ASCII) make two texts look
# alike or carry words no reader sees. C0 controls cannot even be written to XLSX, so `export` would fail
# on a package `validate` passed.
#
# Three format characters are text, and stay allowed: the zero-width non-joiner and joiner (U+200C, U+200D),
# which Persian, Indic scripts and emoji sequences need, and the soft hyphen (U+00AD), a hyphenation hint.
# Neither the package nor its corpus holds any other format character (checked 2026-12: none at all), so
# the Arabic number signs (U+0600-U+0605) and the left-to-right and right-to-left marks (U+200E, U+200F)
# are refused too; should a source need one, it is added here. The price of the tag characters: the flags
# of England, Scotland and Wales (emoji tag sequences) are refused. Private-use characters (U+E000-U+F8FF,
# planes 15 and 16) are allowed: visible, if only as a box, and some fonts' symbols. Unassigned code points
# are allowed, since Python's Unicode tables are older than the text a source may hold.
TEXT_FORMAT_CHARACTERS = {0x00AD, 0x200C, 0x200D}
# Characters outside those categories that Unicode makes default-ignorable, so they draw as nothing: the four
# Hangul fillers (letters, Lo), which only compose old Hangul syllables and otherwise make a name or id that
# looks empty (hostile round 5), the combining grapheme joiner U+034F and the two deprecated Khmer inherent
# vowels U+17B4, U+17B5 (marks, Mn: `a<U+034F>b` looks like `ab`; hostile round 6). Neither the package nor
# its corpus holds any. The variation selectors, also default-ignorable, stay text: emoji need them.
DRAWN_AS_NOTHING = [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0]
NONCHARACTERS = [*range(0xFDD0, 0xFDF0), *(plane + last for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF))]

# Every control (Cc), format (Cf), line separator (Zl) and paragraph separator (Zp) character, as ranges of
# code points, as Python 3.11's unicodedata (Unicode 14) lists them: written out, since computing them at
# import took 0.36 s of every command; test_characters recomputes them and fails when they differ.
CONTROL_AND_FORMAT = ((0x0000, 0x001F), (0x007F, 0x009F), (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C),
                      (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E),
                      (0x200B, 0x200F), (0x2028, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF),
                      (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x13438),
                      (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F))
CONTROL_AND_FORMAT_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


def _listed(ranges) -> list[int]:
    return [c for first, last in ranges for c in range(first, last + 1)]


def _character_class(code_points: list[int]) -> str:
    """A regular-expression class of these code points as ranges, read alike by Python's re and by RE2
    (pyarrow, which scans the cells and whole files): ASCII written as escapes, the rest as the characters
    themselves (RE2 reads UTF-8; it knows no \\u escape)."""
    def written(c: int) -> str:
        return f"\\x{c:02x}" if c < 0x80 else chr(c)

    ranges, points = [], sorted(set(code_points))
    start = previous = points[0]
    for c in points[1:] + [None]:
        if c is not None and c == previous + 1:
            previous = c
            continue
        ranges.append(written(start) if start == previous else f"{written(start)}-{written(previous)}")
        if c is not None:
            start = previous = c
    return "[" + "".join(ranges) + "]"


_UNSEEN = [c for c in _listed(CONTROL_AND_FORMAT) if c not in TEXT_FORMAT_CHARACTERS | {0x09, 0x0A}] + NONCHARACTERS + DRAWN_AS_NOTHING
CONTROL_IN_TEXT = re.compile(_character_class(_UNSEEN))
CONTROL_IN_NAME = re.compile(_character_class(_UNSEEN + [ord("\t"), ord("\n")]))  # a name holds no tab or newline either
# What the site shows as its code point (⟨U+202E⟩) in Markdown a person wrote (README, coding manual): what no
# cell may hold, but the carriage return of a file saved with Windows line endings.
UNSEEN_IN_PROSE = re.compile(_character_class([c for c in _UNSEEN if c != 0x0D]))
# Half of a UTF-16 pair alone (JSON's "\ud800"): no character, so no file, page or sheet can hold it and every
# writer of docs, export and site fails on it.
SURROGATE = re.compile("[\ud800-\udfff]")

# What a report escapes: every control (Cc), format (Cf), line and paragraph separator (Zl, Zp) and
# surrogate (Cs) character, and the noncharacters; a superset of the above (the joiners and the soft hyphen
# too, which would make two ids look alike). Echoed values come from the package, so a newline, ANSI escapes
# or a right-to-left override in an id could otherwise forge report lines; a lone surrogate cannot be
# printed at all.
_ESCAPED = _listed(CONTROL_AND_FORMAT) + _listed([(0xD800, 0xDFFF)]) + NONCHARACTERS + DRAWN_AS_NOTHING
UNPRINTABLE = re.compile(_character_class(_ESCAPED))

# What no file name in a release may hold: every character a report escapes (a newline would forge a SHA256SUMS
# line, docs/notes<U+202E>dm.txt is listed as "notestxt.md", a lone surrogate is bytes that are not UTF-8),
# and the backslash, a folder separator to Windows unzippers and the escape of GNU sha256sum.
UNFIT_IN_FILE_NAME = re.compile(_character_class(_ESCAPED + [ord("\\")]))


def escaped(character: str) -> str:
    """A character as Python writes it in an escape (\\u202e, \\x85)."""
    return character.encode("unicode_escape").decode("ascii")
