"""The analysis example runs against the real package, and the reliability figures in the coding manual are
the ones the two blind codings give."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from peacetalks.analysis.reliability import cohen_kappa, reliability_table

REPO = Path(__file__).resolve().parent.parent


def test_the_example_answers_every_question():
    done = subprocess.run([sys.executable, "what_changed.py"], cwd=REPO / "examples", capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    sections = done.stdout.split("\n## ")[1:]
    assert [s.split("\n")[0][:2] for s in sections] == ["1.", "2.", "3.", "4.", "5.", "6."]
    for section in sections:  # each question gets an answer, not an empty frame
        body = [line for line in section.split("\n")[1:] if line.strip()]
        assert len(body) >= 2 and "Empty DataFrame" not in section, section[:200]
    assert "ukraine-withdraws-from-four-regions" in sections[0] and "estimated_by" in sections[2]


def test_kappa_of_known_codings():
    # Two coders, four items: observed agreement 0.75, expected 0.5 -> kappa 0.5.
    assert cohen_kappa(["a", "a", "b", "b"], ["a", "b", "b", "b"]) == 0.5
    assert cohen_kappa(["a", "b"], ["a", "b"]) == 1.0


def test_the_manual_reports_the_measured_reliability():
    manual = (REPO / "docs" / "coding-manual.md").read_text(encoding="utf-8")
    assert reliability_table(REPO / "docs" / "reliability") in manual


def test_every_disagreement_was_settled_and_the_data_follows_it():
    import csv

    with open(REPO / "docs" / "reliability" / "adjudication.csv", encoding="utf-8") as fh:
        settled = list(csv.DictReader(fh))
    with open(REPO / "data" / "demands.csv", encoding="utf-8") as fh:
        demands = {row["demand_id"]: row for row in csv.DictReader(fh)}
    with open(REPO / "docs" / "reliability" / "proposition-recode-2026-12.csv", encoding="utf-8") as fh:
        recoded = {(row["demand_id"], row["old_proposition_id"]): row["new_proposition_id"] for row in csv.DictReader(fh)}
    assert settled and all(row["reason"] for row in settled)
    for row in settled:
        if row["demand_id"] in demands:  # merged rows live on under the id they were merged into
            expected = row["settled"]
            if row["variable"] == "proposition_id":  # a later split of the settled proposition moves it on, on record
                expected = recoded.get((row["demand_id"], expected), expected)
            assert demands[row["demand_id"]][row["variable"]] == expected, row


def test_the_data_follows_the_proposition_recode():
    """Every row the 2026-12 revision of the propositions recoded holds its new proposition and stance, every
    new proposition is in the list, and every old one that no row uses any longer is gone from it."""
    import csv

    with open(REPO / "docs" / "reliability" / "proposition-recode-2026-12.csv", encoding="utf-8") as fh:
        recode = list(csv.DictReader(fh))
    with open(REPO / "data" / "demands.csv", encoding="utf-8") as fh:
        demands = {row["demand_id"]: row for row in csv.DictReader(fh)}
    with open(REPO / "data" / "propositions.csv", encoding="utf-8") as fh:
        propositions = {row["proposition_id"] for row in csv.DictReader(fh)}
    assert recode and all(row["reason"] for row in recode)
    for row in recode:
        if row["demand_id"] in demands:  # a row another source's audit later merged or removed is no longer checked
            got = demands[row["demand_id"]]
            assert (got["proposition_id"], got["stance"]) == (row["new_proposition_id"], row["new_stance"]), row
        assert row["new_proposition_id"] in propositions, row
    gone = {row["old_proposition_id"] for row in recode} - {row["proposition_id"] for row in demands.values()}
    assert gone and not gone & propositions  # a split proposition no row uses any longer is removed


def test_the_manual_has_corpus_examples_for_every_value_or_says_why_not():
    from peacetalks.publish.manual import START, examples_appendix

    manual = (REPO / "docs" / "coding-manual.md").read_text(encoding="utf-8")
    appendix, unused = examples_appendix(REPO / "datapackage.json")
    assert appendix in manual  # current: `peacetalks docs` regenerates it
    reserved = manual[manual.index("## 11. Values no row uses yet"):manual.index(START)]
    for name in unused:
        table_column, value = name.split("=")
        assert f"`{value}`" in reserved and table_column.split(".")[1] in reserved, name


def test_docs_check_fails_when_the_manual_appendix_is_stale(tmp_path):
    import shutil

    from click.testing import CliRunner

    from peacetalks.cli import main

    for item in ["datapackage.json", "schemas", "data", "corpus", "docs"]:
        (shutil.copytree if (REPO / item).is_dir() else shutil.copyfile)(REPO / item, tmp_path / item)
    manual = tmp_path / "docs" / "coding-manual.md"
    manual.write_text(manual.read_text(encoding="utf-8").replace("(js24-putin-reduced-weapons)", "(js24-x)"), encoding="utf-8")
    result = CliRunner().invoke(main, ["docs", "--check", str(tmp_path / "datapackage.json")])
    assert result.exit_code == 1 and "coding-manual.md's appendix of examples is out of date" in result.output
    assert CliRunner().invoke(main, ["docs", str(tmp_path / "datapackage.json")]).exit_code == 0
    assert CliRunner().invoke(main, ["docs", "--check", str(tmp_path / "datapackage.json")]).exit_code == 0


def test_the_data_follows_the_settled_samples_and_the_date_audit():
    import pandas as pd

    keys = {"demands": "demand_id", "events": "event_id", "proposals": "proposal_id", "figures": "figure_id"}
    tables = {t: pd.read_csv(REPO / "data" / f"{t}.csv", dtype=str, keep_default_na=False).set_index(k)
              for t, k in keys.items()}
    samples = pd.read_csv(REPO / "docs" / "reliability" / "adjudication-samples.csv", dtype=str, keep_default_na=False)
    audit = pd.read_csv(REPO / "docs" / "reliability" / "date-audit.csv", dtype=str, keep_default_na=False)
    assert len(samples) and len(audit)
    for row in samples.itertuples():
        assert tables[row.table].at[row.id, row.variable] == row.settled, row
    for row in audit.itertuples():
        if row.id in tables[row.table].index:  # merged rows live on under another id
            assert tables[row.table].at[row.id, row.column] == row.settled, row
    assert set(audit.loc[audit["basis"] == "relative", "settled"]) == {""}  # manual, section 9
