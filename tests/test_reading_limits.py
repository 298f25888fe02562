"""Limits on what a package may make the validator read in all, and on one line of a table (issue 16:
a broken package takes at most 3x the time and 2x the memory of a clean run). Each is lowered through its
module constant so that a small copy crosses it; `make bench` measures the full-size cases."""

from __future__ import annotations

import json

import pytest

from peacetalks.validation import package as package_module
from peacetalks.validation.package import json_shape

ALL_JSON = "the package's JSON files (the descriptor, its schemas and dialects)"


def schemas_in_order(pkg) -> list[str]:
    return [r["schema"] for r in json.loads(pkg.descriptor.read_text())["resources"]]


def test_json_files_over_their_byte_total_are_refused_unread(pkg, monkeypatch):
    """Thirteen JSON files each just under 16 MiB took 6.5x a clean run: past the total, a schema is not read."""
    schemas = schemas_in_order(pkg)
    size = {name: pkg.path(name).stat().st_size for name in ["datapackage.json", *schemas]}
    held = size["datapackage.json"] + size[schemas[0]] + size[schemas[1]]
    monkeypatch.setattr(package_module, "MAX_PACKAGE_JSON_BYTES", held)  # the descriptor and the first two schemas
    refused = {p.split(" ", 1)[0]: p for p in pkg.problems() if "bytes in all" in p}
    assert refused[schemas[2]] == (f"{schemas[2]} with it, {ALL_JSON} would hold {held + size[schemas[2]]:,} bytes; the limit "
                          f"is {held:,} bytes in all, and the real package's hold about 70,000: it was not read; keep to "
                          "what describes the tables")
    assert sorted(refused) == sorted(schemas[2:])  # every later schema too: the total is spent


def test_json_files_over_their_value_total_are_refused_before_any_check_reads_them(pkg, monkeypatch):
    """Thirteen JSON files of 99,000 values each took the descriptor checks 6.5x a clean run."""
    schemas = schemas_in_order(pkg)
    values = {name: json_shape(json.loads(pkg.path(name).read_text()))[1] for name in ["datapackage.json", *schemas]}
    held = values["datapackage.json"] + values[schemas[0]] + values[schemas[1]]
    limit = held + values[schemas[2]] - 1
    monkeypatch.setattr(package_module, "MAX_PACKAGE_JSON_VALUES", limit)
    refused = {p.split(" ", 1)[0]: p for p in pkg.problems() if "JSON values" in p}
    assert refused[schemas[2]] == (f"{schemas[2]} with it, {ALL_JSON} would hold {held + values[schemas[2]]:,} JSON values "
                                   f"(objects, lists, texts, numbers); the limit is {limit:,} in all, and the real "
                                   "package's hold about 1,900: it was not used; keep to what describes the tables")
    # A refused file's values are not counted: the smaller schema after it still fits, and is read.
    assert values[schemas[3]] < values[schemas[2]] and schemas[3] not in refused


def test_the_real_package_is_far_under_its_json_totals():
    """The totals leave the real package room to grow a hundredfold (70,000 bytes, 1,900 values)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    names = ["datapackage.json", *(r["schema"] for r in json.loads((root / "datapackage.json").read_text())["resources"])]
    assert sum((root / n).stat().st_size for n in names) * 100 < package_module.MAX_PACKAGE_JSON_BYTES
    assert sum(json_shape(json.loads((root / n).read_text()))[1] for n in names) * 100 < package_module.MAX_PACKAGE_JSON_VALUES


# -- the corpus ------------------------------------------------------------------------------------------------

def test_corpus_texts_over_their_total_are_not_held_and_said_to_be_so(pkg, monkeypatch):
    """Five distinct texts of 63 MiB took 15.8 s and 2.6 GB: past the total, a text is not kept or searched."""
    from peacetalks.validation import provenance

    sources = pkg.rows("sources")
    first, second = (pkg.path(s["corpus_path"]).stat().st_size for s in sources[:2])
    monkeypatch.setattr(provenance, "MAX_CORPUS_TOTAL_BYTES", first + second - 1)
    refused = [p for p in pkg.problems() if "in all" in p]
    assert refused[0] == (
        f"data/sources.csv:3 source_id={sources[1]['source_id']} corpus_path: {sources[1]['corpus_path']!r}: with it, "
        f"the corpus texts would hold {first + second:,} bytes (a text in several files counted once, the passages of a "
        "stand-in as a text); the limit is "
        f"{first + second - 1:,} bytes in all, and the real corpus holds about 75,000: the quotes of this source were "
        "not searched: put only each source's own text in its corpus file")


def test_a_text_in_several_files_counts_once_towards_the_corpus_total(pkg, monkeypatch):
    """The benchmark's grown copy names 1,500 files holding five texts: they are held, and counted, once."""
    from peacetalks.validation import provenance

    sources = pkg.rows("sources")
    original = sources[0]["corpus_path"]
    for k in range(3):  # byte-identical copies, each named by a source of its own
        copy = original.replace(".txt", f"-copy{k}.txt")
        pkg.path(copy).write_bytes(pkg.path(original).read_bytes())
        sources.append(dict(sources[0], source_id=f"{sources[0]['source_id']}-copy{k}", short_code=f"cp{k}x24",
                            corpus_path=copy))
    pkg.write_rows("sources", sources)
    total = sum(pkg.path(s["corpus_path"]).stat().st_size for s in sources[:len(sources) - 3])
    monkeypatch.setattr(provenance, "MAX_CORPUS_TOTAL_BYTES", total)
    assert not any("in all" in p for p in pkg.problems())


def test_a_corpus_text_normalised_by_pieces_is_normalise_of_the_whole(monkeypatch):
    """The corpus is normalised a piece at a time (memory); cut anywhere, the result is the same."""
    from peacetalks.validation import provenance

    text = "  Один\u00a0 two\n\n\tthree\u2028 e\u0301 \u3000 four  " * 7 + " \n "
    for piece in (1, 2, 3, 5, 8, 1000):
        monkeypatch.setattr(provenance, "_PIECE", piece)
        assert " ".join(provenance._normalised_text(text)) == provenance.normalise(text)
    assert provenance.normalise(text).startswith("Один two three \u00e9 four Один")  # NFC composes e + acute
    assert " ".join(provenance._normalised_text(" \n\t ")) == "" == provenance.normalise(" \n\t ")


def test_normalise_splits_on_exactly_the_whitespace_of_the_regular_expression():
    """normalise uses str.split; quotes were matched with re's \\s: both must call the same characters space."""
    import re
    import sys

    split = {chr(c) for c in range(sys.maxunicode + 1) if len(f"a{chr(c)}b".split()) == 2}
    regex = {chr(c) for c in range(sys.maxunicode + 1) if re.fullmatch(r"\s", chr(c))}
    assert split == regex


# -- one line of a table ---------------------------------------------------------------------------------------

def test_a_line_over_the_limit_is_located_and_the_file_not_read(pkg, monkeypatch):
    """One line of 200 MB, a single cell, took 2.6 GB: a line is measured before the file is read."""
    from peacetalks.validation import structure

    monkeypatch.setattr(structure, "MAX_LINE_BYTES", 4096)
    monkeypatch.setattr(package_module, "_SCAN_BYTES", 1000)  # the line runs across pieces
    rows = pkg.rows("issues")
    rows[2]["description"] = "x" * 5000
    pkg.write_rows("issues", rows)
    problems = [p for p in pkg.problems() if p.startswith("data/issues.csv")]
    assert problems == ["data/issues.csv:4 this line is more than 4,096 bytes long: 16 cells at their longest (131,072 "
                        "characters each) take no more; is a line break missing? The file was not read"]


def test_a_line_at_the_limit_is_read_and_one_byte_more_is_not(tmp_path, monkeypatch):
    from peacetalks.validation.package import LineTooLong, read_limited

    monkeypatch.setattr(package_module, "_SCAN_BYTES", 7)
    for lines, refused_at in [([b"a" * 20, b"b" * 3, b"c" * 20], None), ([b"a" * 20, b"b" * 21], 2),
                              ([b"a" * 21], 1), ([b"", b"", b"x" * 30], 3)]:
        path = tmp_path / "t.csv"
        path.write_bytes(b"\n".join(lines) + b"\n")
        if refused_at is None:
            assert read_limited(path, 1000, max_line=20) == path.read_bytes()
        else:
            with pytest.raises(LineTooLong) as found:
                read_limited(path, 1000, max_line=20)
            assert found.value.line == refused_at
