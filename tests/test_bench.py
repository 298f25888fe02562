"""The benchmark's scaled copy: as valid as the package, with every key still unique and resolving."""

from peacetalks.bench import scale_package
from peacetalks.validation.engine import validate


def test_the_scaled_copy_is_valid_and_large_enough(pkg, tmp_path):
    counts = scale_package(pkg.descriptor, tmp_path / "scaled", rows=3000)
    assert sum(counts.values()) >= 3000
    assert validate(tmp_path / "scaled" / "datapackage.json") == []


def test_a_fault_in_the_package_is_copied_into_the_scaled_copy(pkg, tmp_path):
    pkg.set_cell("figures", 0, "value", "abc")
    scale_package(pkg.descriptor, tmp_path / "scaled", rows=3000)
    problems = [str(p) for p in validate(tmp_path / "scaled" / "datapackage.json")]
    assert problems and all("value: 'abc' is not a number" in p for p in problems)


def test_every_row_broken_is_every_row_reported(pkg, tmp_path):
    from peacetalks.bench import BROKEN_CASES, break_every_row

    scale_package(pkg.descriptor, tmp_path / "scaled", rows=3000)
    for case in BROKEN_CASES:
        tables, count = break_every_row(tmp_path / "scaled", tmp_path / "broken", case)
        files = tuple(f"data/{table}.csv:" for table in tables.split(", "))
        problems = [str(p) for p in validate(tmp_path / "broken" / "datapackage.json")]
        assert count > 0 and all(p.startswith(files) for p in problems), case
        assert len({p.split(" ", 1)[0] for p in problems}) == count, case  # one line or more for each row


def test_the_copy_with_sources_replicated_is_valid_with_a_code_and_a_text_per_source(pkg, tmp_path):
    counts = scale_package(pkg.descriptor, tmp_path / "scaled", rows=3000, sources_too=True)
    assert counts["sources"] > 5 and sum(counts.values()) >= 3000
    scaled = tmp_path / "scaled"
    import csv

    with open(scaled / "data" / "sources.csv", newline="", encoding="utf-8") as fh:
        sources = list(csv.DictReader(fh))
    assert len({s["short_code"] for s in sources}) == len({s["corpus_path"] for s in sources}) == len(sources)
    assert all((scaled / s["corpus_path"]).is_file() for s in sources)
    assert validate(scaled / "datapackage.json") == []
