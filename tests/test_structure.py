"""Layer 2: the structure of each CSV file."""

import pytest


def test_bad_encoding(pkg):
    path = pkg.path("data/actors.csv")
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b"Vladimir", b"Vl\xe0dimir")
    path.write_bytes(b"\n".join(lines))
    assert pkg.problems() == [
        "data/actors.csv:5 is not valid UTF-8: byte 0xe0 cannot be decoded; save the file as UTF-8"]


def test_byte_order_mark(pkg):
    path = pkg.path("data/issues.csv")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert pkg.problems() == ["data/issues.csv:1 starts with a byte-order mark; save as UTF-8 without BOM"]


def test_crlf_line_endings(pkg):
    path = pkg.path("data/events.csv")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert pkg.problems() == ["data/events.csv:1 uses CR or CRLF line endings (first on line 1); the package uses LF"]


def test_empty_file(pkg):
    pkg.path("data/figures.csv").write_text("")
    assert pkg.problems() == ["data/figures.csv is empty: expected a header row and data"]


def test_renamed_column(pkg):
    line = pkg.set_cell("figures", 0, "unit", "dollars")
    path = pkg.path("data/figures.csv")
    path.write_text(path.read_text().replace("value_high", "value_max", 1))
    problems = pkg.problems()
    assert "data/figures.csv:1 value_high: header: column 'value_high' is missing" in problems
    assert ("data/figures.csv:1 value_max: header: column 'value_max' is not in the schema "
            "(is it a renamed or misspelled column?)") in problems
    # the other columns are still checked
    assert any(p.startswith(f"data/figures.csv:{line} figure_id=js24-tariff-cost unit: 'dollars' is not") for p in problems)


def test_columns_out_of_order(pkg):
    path = pkg.path("data/issues.csv")
    lines = path.read_text().split("\n")
    lines[0] = "label,issue_id,description"
    path.write_text("\n".join(lines))
    assert ("data/issues.csv:1 header: columns are out of order; expected issue_id, label, description"
            in pkg.problems())


def test_duplicate_header_column(pkg):
    path = pkg.path("data/issues.csv")
    text = path.read_text().replace("issue_id,label,description", "issue_id,label,label", 1)
    path.write_text(text)
    problems = pkg.problems()
    assert "data/issues.csv:1 header: column 'label' appears more than once" in problems
    assert "data/issues.csv:1 description: header: column 'description' is missing" in problems


def test_blank_row(pkg):
    path = pkg.path("data/events.csv")
    path.write_text(path.read_text() + "\n")
    assert pkg.problems() == ["data/events.csv:3 is a blank row; remove it"]


def test_missing_cell(pkg):
    path = pkg.path("data/issues.csv")
    path.write_text(path.read_text() + "extra-issue,Extra\n")
    line = len(path.read_text().splitlines())
    assert pkg.problems() == [f"data/issues.csv:{line} issue_id=extra-issue has 2 cells but the header has 3 "
                              "(is a cell missing, or a line broken?); the row was not checked further"]


def test_extra_cell(pkg):
    path = pkg.path("data/issues.csv")
    path.write_text(path.read_text() + "extra-issue,Extra,Costs 1,000 dollars\n")  # an unquoted thousands separator
    line = len(path.read_text().splitlines())
    assert pkg.problems() == [f"data/issues.csv:{line} issue_id=extra-issue has 4 cells but the header has 3 (a cell "
                              "holding a comma or a double quote must be wrapped in double quotes, with its own quotes "
                              "doubled: is one unquoted?); the row was not checked further"]


def test_duplicate_row(pkg):
    line = pkg.add_row("figures", **pkg.rows("figures")[1])
    assert pkg.problems() == [f"data/figures.csv:{line} figure_id=mdz25-recruits-per-day repeats line 3 exactly"]


def test_unterminated_quote(pkg):
    path = pkg.path("data/issues.csv")
    path.write_text(path.read_text() + 'broken,"Broken,description\n')
    problems = pkg.problems()
    assert len(problems) == 1 and problems[0].startswith("data/issues.csv:") and "is not well-formed CSV" in problems[0]


def test_whitespace_padding(pkg):
    line = pkg.set_cell("actors", 2, "role", " President ")
    assert pkg.problems() == [
        f"data/actors.csv:{line} actor_id=donald-trump role: ' President ' has leading or trailing whitespace"]


def test_unicode_whitespace_padding(pkg):
    # No-break space and ideographic space are multi-byte in UTF-8: the byte prefilter must still see them.
    first = pkg.set_cell("actors", 2, "role", "President\u00a0")
    second = pkg.set_cell("actors", 3, "name", "\u3000Vladimir Putin")
    assert [p.split(" actor_id=")[0] for p in pkg.problems()] == [f"data/actors.csv:{first}", f"data/actors.csv:{second}"]


def test_space_byte_prefilter_finds_exactly_what_isspace_finds():
    import random

    import pyarrow as pa

    from peacetalks.validation.structure import rows_with_space_bytes_at_the_ends

    spaces = [chr(c) for c in range(0x3001) if chr(c).isspace()]
    letters = ["a", "é", "ж", "中", "€", "\u2028x", "🙂", ",", '"']
    random.seed(7)
    cells = ["".join(random.choice(spaces + letters * 6) for _ in range(random.randint(0, 4))) for _ in range(5000)]
    array = pa.chunked_array([pa.array(cells[:2500]), pa.array([" x "] + cells[2500:]).slice(1)])  # a chunk with an offset
    candidates = set(rows_with_space_bytes_at_the_ends(array).tolist())
    padded = {i for i, c in enumerate(cells) if c and (c[0].isspace() or c[-1].isspace())}
    assert padded and padded <= candidates


def test_no_whitespace_character_above_the_prefilters_bound():
    import sys

    from peacetalks.validation.structure import LAST_SPACE

    assert not [hex(c) for c in range(LAST_SPACE + 1, sys.maxunicode + 1) if chr(c).isspace()]


@pytest.mark.parametrize("character,said", [
    ("\x01", "\\x01"), ("\x7f", "\\x7f"), ("\x85", "\\x85"),  # C0, DEL, C1 (NEL)
    ("\u2028", "\\u2028"), ("\u2029", "\\u2029"),  # line and paragraph separators
    ("\u202e", "\\u202e"), ("\u2067", "\\u2067"), ("\u200f", "\\u200f"), ("\u061c", "\\u061c"),  # bidi
    ("\u200b", "\\u200b"), ("\u2060", "\\u2060"), ("\ufeff", "\\ufeff"), ("\u180e", "\\u180e"),  # invisible
    # hostile round 4 (B2): every format character, not a list of them; and the noncharacters
    ("\U000e0001", "\\U000e0001"), ("\U000e0041", "\\U000e0041"),  # tag characters (hidden ASCII)
    ("\ufff9", "\\ufff9"), ("\u206a", "\\u206a"), ("\u0600", "\\u0600"), ("\U0001d173", "\\U0001d173"),
    ("\ufffe", "\\ufffe"), ("\U0010ffff", "\\U0010ffff"), ("\ufdd0", "\\ufdd0"),
    ("\u3164", "\\u3164"), ("\uffa0", "\\uffa0"), ("\u115f", "\\u115f"),  # Hangul fillers (round 5): draw as nothing
])
def test_control_or_invisible_character_in_a_cell(pkg, character, said):
    """The characters the descriptor's text may not hold, a cell may not hold either (one definition,
    validation/characters.py): the site would publish them raw."""
    line = pkg.set_cell("actors", 2, "role", f"Pres{character}ident")
    assert pkg.problems() == [f"data/actors.csv:{line} actor_id=donald-trump role: 'Pres{said}ident' contains the "
                              f"control or invisible character {said}; remove it"]


@pytest.mark.parametrize("text", ["Zelensky\u2019s \u201cpeace\u201d \u2014 plan", "caf\u00e9\u00a0bar", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
                                  "\U0001f468\u200d\U0001f469", "co\u00adoperation", "\u0417\u0435\u043b\u0435\u043d\u0441\u044c\u043a\u0438\u0439", "a\tb",
                                  "logo \ue000", "\U000f0000", "\u0b95\u0bcd\u200d"])
def test_text_of_any_script_is_no_control_character(pkg, text):
    """Curly quotes, dashes, the no-break space, the zero-width non-joiner Persian needs, an emoji joined by
    U+200D, a soft hyphen, Cyrillic, a tab, private-use characters and a Tamil conjunct with U+200D are text."""
    pkg.set_cell("actors", 2, "role", text)
    assert not [p for p in pkg.problems() if "control" in p]


def test_line_numbers_after_a_cell_that_spans_lines(pkg):
    pkg.set_cell("actors", 0, "quote", "Donald Trump’s election as 47th\npresident of the United States")
    pkg.set_cell("actors", 2, "country", "XXX")
    # header on line 1, row 0 on lines 2-3, row 1 on line 4, row 2 on line 5
    assert pkg.problems() == [
        "data/actors.csv:5 actor_id=donald-trump country: 'XXX' is not an ISO 3166-1 alpha-3 country code"]


def test_text_after_a_closing_quote(pkg):
    # A lenient reader would silently read this cell as "About itx"; the package must not accept it.
    path = pkg.path("data/issues.csv")
    path.write_text(path.read_text() + '"extra",Extra,"About it"x\n')
    line = len(path.read_text().splitlines())
    assert pkg.problems() == [f"data/issues.csv:{line} is not well-formed CSV: ',' expected after '\"'; nothing "
                              "after it was read"]


def test_quote_inside_an_unquoted_cell_is_text(pkg):
    line = pkg.set_cell("actors", 2, "role", 'the "dealmaker-in-chief"')
    path = pkg.path("data/actors.csv")
    text = path.read_text().replace('"the ""dealmaker-in-chief"""', 'the "dealmaker-in-chief"')
    path.write_text(text)
    assert 'the "dealmaker-in-chief"' in path.read_text().splitlines()[line - 1]
    assert pkg.problems() == []


def test_rows_starting_with_reads_the_first_byte_of_each_cell():
    """The formula rule's reader: a missing cell, an empty one, a non-ASCII first character and a sliced or
    chunked column all start with nothing it looks for, or with what they hold."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from peacetalks.validation.structure import as_missing, rows_starting_with

    cells = ["=a", "", "b", "+1", "-x", "@y", "\tz", "\rq", "ok", "é=", "—", None]
    text = as_missing(pd.DataFrame({"c": pd.Series(cells, dtype=pd.StringDtype("pyarrow", na_value=np.nan))}))["c"]
    assert rows_starting_with(text, b"=+-@\t\r").tolist() == [0, 3, 4, 5, 6, 7]
    assert rows_starting_with(text.iloc[3:], b"=").tolist() == []
    assert rows_starting_with(text.iloc[3:], b"+").tolist() == [0]
    chunked = pa.chunked_array([pa.array(cells[:5]), pa.array(cells[5:])])
    assert rows_starting_with(chunked, b"@\r").tolist() == [5, 7]
    assert rows_starting_with(pd.Series(["=x", None, "a"], dtype=object), b"=").tolist() == [0]


def test_blank_lines_are_found_from_the_newlines_as_a_byte_search_finds_them():
    """has_blank_line reads the positions of the newlines; it must say what `b"\\n\\n" in raw or b"\\n\\r\\n" in
    raw` says, for every short text of newlines, carriage returns and cells."""
    import itertools

    import numpy as np

    from peacetalks.validation.structure import has_blank_line

    for size in range(7):
        for letters in itertools.product(b"\n\ra,", repeat=size):
            raw = bytes(letters)
            newlines = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8) == ord("\n"))
            assert has_blank_line(raw, newlines) == (b"\n\n" in raw or b"\n\r\n" in raw), raw


def test_empty_cells_become_missing_as_replace_makes_them():
    """as_missing's Arrow path (a validity bitmap over the same text) gives the frame replace("", None) gives,
    for missing, empty, sliced, reordered, chunked and empty columns."""
    import numpy as np
    import pandas as pd

    from peacetalks.validation.structure import TEXT, as_missing

    frame = pd.DataFrame({"c": pd.Series(["", "a", None, " ", ""], dtype=TEXT),
                          "d": pd.Series(["x", "", "y", None, ""], dtype=TEXT)})
    for case in (frame, frame.iloc[1:4], frame.iloc[0:0], frame.iloc[[4, 0, 2]], pd.concat([frame, frame])):
        pd.testing.assert_frame_equal(as_missing(case), case.replace("", None))
    mixed = frame.assign(n=np.arange(5))  # not all Arrow text: replace() as before
    pd.testing.assert_frame_equal(as_missing(mixed), mixed.replace("", None))
