"""Layer 5: corpus checksums and quotes."""

JS = "justsecurity-2024-trump-endgame-ukraine"
MDZ = "meduza-2025-peace-postponed"


def test_corpus_changed(pkg):
    path = pkg.path(f"corpus/{JS}.txt")
    path.write_bytes(path.read_bytes() + b"\n")
    [problem] = pkg.problems()
    assert problem.startswith(f"data/sources.csv:2 source_id={JS} sha256: does not match corpus/{JS}.txt (its SHA-256 is ")
    assert problem.endswith("); the corpus must be a byte-identical copy")


def test_corpus_file_missing(pkg):
    pkg.path(f"corpus/{JS}.txt").unlink()
    assert pkg.problems() == [f"data/sources.csv:2 source_id={JS} corpus_path: 'corpus/{JS}.txt': corpus file not found"]


def test_quote_not_in_source(pkg):
    line = pkg.set_cell("actors", 3, "quote", "occur bilaterally between Trump and Vladimir Putin himself")
    assert pkg.problems() == [
        f"data/actors.csv:{line} actor_id=vladimir-putin quote: 'occur bilaterally between Trump and Vladimir Putin "
        f"himself' is not in the text of source {JS}: the text has 'occur bilaterally between Trump and Vladimir "
        "Putin' but then not ' himself'"]


def test_quote_from_another_source(pkg):
    # This passage is in the Meduza text, not in the row's own source.
    line = pkg.set_cell("actors", 3, "quote", "and now he has had to call again")
    assert pkg.problems() == [
        f"data/actors.csv:{line} actor_id=vladimir-putin quote: 'and now he has had to call again' is not in the text "
        f"of source {JS}: not even its first words are there; it is in the text of source {MDZ}: is source_id wrong?"]


def test_a_long_quote_is_shortened_in_its_message(pkg):
    quote = "occur bilaterally between Trump and Vladimir Putin " + "and then " * 40 + "nothing"
    line = pkg.set_cell("actors", 3, "quote", quote)
    assert pkg.problems() == [
        f"data/actors.csv:{line} actor_id=vladimir-putin quote: 'occur bilaterally between Trump and Vlad…then "
        f"nothing' ({len(quote):,} characters) is not in the text of source {JS}: the text has 'occur bilaterally "
        "between Trump and Vladimir Putin' but then not ' and then and then and then a…'"]


def test_quote_whitespace_and_nfc_are_normalised(pkg):
    pkg.set_cell("actors", 3, "quote", "occur  bilaterally\nbetween Trump and Vladimir Putin")
    assert pkg.problems() == []


def test_quote_fragments_in_order(pkg):
    pkg.set_cell("actors", 3, "quote", "between Trump and Vladimir Putin … a dynamic Putin has endorsed")
    assert pkg.problems() == []
    line = pkg.set_cell("actors", 3, "quote", "a dynamic Putin has endorsed … between Trump and Vladimir Putin")
    assert pkg.problems() == [
        f"data/actors.csv:{line} actor_id=vladimir-putin quote: fragment 'between Trump and Vladimir Putin' is in "
        f"the text of source {JS}, but before the fragment preceding it"]


def test_quote_fragment_missing(pkg):
    line = pkg.set_cell("actors", 3, "quote", "between Trump and Vladimir Putin … a dynamic Putin has denied")
    assert pkg.problems() == [
        f"data/actors.csv:{line} actor_id=vladimir-putin quote: fragment 'a dynamic Putin has denied' is not in the text of "
        f"source {JS}: the text has 'a dynamic Putin has ' but then not 'denied'"]


def test_empty_quote_is_required(pkg):
    line = pkg.set_cell("actors", 3, "quote", "")
    assert pkg.problems() == [f"data/actors.csv:{line} actor_id=vladimir-putin quote: is required but empty"]


def test_corpus_not_utf8(pkg):
    import hashlib

    path = pkg.path(f"corpus/{JS}.txt")
    path.write_bytes(path.read_bytes() + b"\xff")
    pkg.set_cell("sources", 0, "sha256", hashlib.sha256(path.read_bytes()).hexdigest())
    problems = pkg.problems()
    assert problems[0].startswith(f"data/sources.csv:2 source_id={JS} corpus_path: corpus/{JS}.txt is not UTF-8 (byte ")
    # its rows' quotes cannot be checked, and nothing else is reported for them
    assert len(problems) == 1
