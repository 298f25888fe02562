"""validation/characters.py: the characters no text of the package may hold, by Unicode category."""

import sys
import unicodedata

from peacetalks.validation.characters import (CONTROL_AND_FORMAT, CONTROL_AND_FORMAT_CATEGORIES, CONTROL_IN_TEXT,
                                              NONCHARACTERS, UNPRINTABLE)


def test_the_written_out_ranges_are_unicodes_control_and_format_characters():
    """The ranges are written out for speed; they must be what unicodedata says, or a Python with newer
    Unicode tables would let a new format character pass."""
    listed = {c for first, last in CONTROL_AND_FORMAT for c in range(first, last + 1)}
    computed = {c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in CONTROL_AND_FORMAT_CATEGORIES}
    assert listed == computed


def test_every_format_character_but_the_joiners_and_the_soft_hyphen_is_refused():
    refused = {c for c in range(sys.maxunicode + 1) if CONTROL_IN_TEXT.match(chr(c))}
    formats = {c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    assert formats - refused == {0x00AD, 0x200C, 0x200D}
    assert {0x2028, 0x2029, 0x0B, 0x0D, 0x1B, 0x85, *NONCHARACTERS} <= refused
    assert not {0x09, 0x0A, 0xE000, 0xF0000, 0x2800, 0xAC00, 0xFE0F} & refused  # tab, newline, private use, braille blank, 가


def test_the_hangul_fillers_that_draw_as_nothing_are_refused_and_escaped():
    """U+3164 alone makes an id that looks empty; Unicode makes these four letters default-ignorable."""
    for filler in (0x115F, 0x1160, 0x3164, 0xFFA0, 0x034F, 0x17B4, 0x17B5):  # and the grapheme joiner (round 6)
        assert CONTROL_IN_TEXT.match(chr(filler)) and UNPRINTABLE.match(chr(filler)), hex(filler)


def test_a_report_escapes_everything_refused_and_the_surrogates():
    refused = {c for c in range(sys.maxunicode + 1) if CONTROL_IN_TEXT.match(chr(c))}
    escaped = {c for c in range(sys.maxunicode + 1) if UNPRINTABLE.match(chr(c))}
    assert refused | {0x09, 0x0A, 0x00AD, 0x200C, 0x200D} | set(range(0xD800, 0xE000)) == escaped


def test_the_class_reads_alike_in_re2():
    """pyarrow's RE2 scans the cells and whole files with the same class."""
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = ["ok", "a\U000e0041b", "a\ufff9b", "a\u200db", "a\ufffeb", "a\ue000b", "a\x85b", "a\u3164b"]
    assert pc.match_substring_regex(pa.array(texts), CONTROL_IN_TEXT.pattern).to_pylist() == [
        False, True, True, False, True, False, True, True]
