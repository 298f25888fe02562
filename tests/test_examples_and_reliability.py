"""The analysis example runs against the real package, and the reliability figures in the coding manual are
the ones the two blind codings give."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from peacetalks.analysis.reliability import cohen_kappa, reliability_table

REPO = Path(__file__).resolve().parent.parent


def test_the_example_answers_every_question():
    done = subprocess.run([sys.executable, "what_changed.py"], cwd=REPO / "examples", capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    sections = done.stdout.split("\n## ")[1:]
    assert [s.split("\n")[0][:2] for s in sections] == ["1.", "2.", "3.", "4.", "5.", "6.", "7."]
    for section in sections:  # each question gets an answer, not an empty frame
        body = [line for line in section.split("\n")[1:] if line.strip()]
        assert len(body) >= 2 and "Empty DataFrame" not in section, section[:200]
    assert "ukraine-withdraws-from-four-regions" in sections[0] and "estimated_by" in sections[2]
    # Germany's EUR 11bn is part of the allies' EUR 21bn: counted once, inside its whole
    assert "naive sum 32,000,000,000 EUR; each amount once 21,000,000,000 EUR (ps25-european-pledge-eur)" in sections[6]


def test_kappa_of_known_codings():
    # Two coders, four items: observed agreement 0.75, expected 0.5 -> kappa 0.5.
    assert cohen_kappa(["a", "a", "b", "b"], ["a", "b", "b", "b"]) == 0.5
    assert cohen_kappa(["a", "b"], ["a", "b"]) == 1.0


def test_the_manual_reports_the_measured_reliability():
    manual = (REPO / "docs" / "coding-manual.md").read_text(encoding="utf-8")
    assert reliability_table(REPO / "docs" / "reliability") in manual


CODED = {"demands": ["proposition_id", "stance", "kind", "evidence", "status"], "events": ["event_type"],
         "figures": ["qualifier", "unit"]}


def _pairs(cell: str) -> list[tuple[str, str]]:
    return [tuple(item.split("=", 1)) for item in cell.split(";") if item]


def _values_named(reason: str, table: str) -> set[tuple[str, str]]:
    """The coded values (variable, value) a reason names as words: a reason that settles one variable often says
    what another must be ("named-plan-accepted, oppose"), and the data must follow that too."""
    import json
    import re

    import pandas as pd

    fields = {f["name"]: f for f in json.loads((REPO / "schemas" / f"{table}.json").read_text(encoding="utf-8"))["fields"]}
    vocab = {v: (fields[v].get("constraints") or {}).get("enum") or [] for v in CODED[table]}
    if table == "demands":
        vocab["proposition_id"] = list(pd.read_csv(REPO / "data" / "propositions.csv", dtype=str)["proposition_id"])
    return {(variable, value) for variable, values in vocab.items() for value in values
            if re.search(r"(?<![\w-])" + re.escape(value) + r"(?![\w-])", reason)}


def _check_settled(tables: dict, table: str, row_id: str, row: dict) -> None:
    """The data follows the settled value and every other value the reason names (`implies`); a value the reason
    names only as the alternative it rejects is listed in `contrasts` and is not the data's."""
    settled = {(row["variable"], row["settled"])}
    implies, contrasts = set(_pairs(row["implies"])), set(_pairs(row["contrasts"]))
    unaccounted = _values_named(row["reason"], table) - settled - implies - contrasts
    assert not unaccounted, (f"{row_id}: the reason names {sorted(unaccounted)}; add each to implies (and the data "
                             "follows it) or to contrasts", row)
    data = tables[table]
    if row_id not in data.index:  # merged rows live on under the id they were merged into
        return
    for variable, value in settled | implies:
        assert data.at[row_id, variable] == value, (row_id, variable, data.at[row_id, variable], value)
    for variable, value in contrasts:
        assert data.at[row_id, variable] != value, (row_id, variable, value)


def _tables() -> dict:
    import pandas as pd

    keys = {"demands": "demand_id", "events": "event_id", "proposals": "proposal_id", "figures": "figure_id"}
    return {t: pd.read_csv(REPO / "data" / f"{t}.csv", dtype=str, keep_default_na=False).set_index(k)
            for t, k in keys.items()}


def _superseded(record: str) -> dict[tuple[str, str], str]:
    """Settlements a later audit round replaced, on record (docs/reliability/superseded-2026-12.csv): the data
    follows the later value instead."""
    later = pd.read_csv(REPO / "docs" / "reliability" / "superseded-2026-12.csv", dtype=str, keep_default_na=False)
    assert all(later["reason"]) and all(later["decided_in"])
    return {(r.table, r.id, r.variable): r.settled_now for r in later.itertuples() if r.record == record}


def test_a_superseded_settlement_is_followed_by_the_data_at_its_later_value():
    tables = _tables()
    for record in ("adjudication.csv", "date-audit.csv", "adjudication-samples.csv"):
        for (table, row_id, variable), value in _superseded(record).items():
            assert tables[table].at[row_id, variable] == value, (record, table, row_id, variable)


def test_every_disagreement_was_settled_and_the_data_follows_it_on_every_variable_its_reason_names():
    import csv

    with open(REPO / "docs" / "reliability" / "adjudication.csv", encoding="utf-8") as fh:
        settled = list(csv.DictReader(fh))
    with open(REPO / "docs" / "reliability" / "proposition-recode-2026-12.csv", encoding="utf-8") as fh:
        recoded = {(row["demand_id"], row["old_proposition_id"]): row["new_proposition_id"] for row in csv.DictReader(fh)}
    with open(REPO / "docs" / "reliability" / "blind-2026-12" / "adjudication.csv", encoding="utf-8") as fh:
        # a later blind round that settles the same variable of the same row supersedes this one, on record
        resettled = {(row["demand_id"], row["variable"]) for row in csv.DictReader(fh) if row["settled"] != row["package"]}
    assert settled and all(row["reason"] for row in settled)
    tables = _tables()
    later = _superseded("adjudication.csv")
    for row in settled:
        if (row["demand_id"], row["variable"]) in resettled or ("demands", row["demand_id"], row["variable"]) in later:
            continue
        moved = recoded.get((row["demand_id"], row["settled"])) if row["variable"] == "proposition_id" else None
        if moved and moved != row["settled"]:  # a later split of the settled proposition moves it on, on record; the old one is now a contrast
            row = dict(row, settled=moved, contrasts=";".join(filter(None, [row["contrasts"], f"proposition_id={row['settled']}"])))
        _check_settled(tables, "demands", row["demand_id"], row)


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


def test_the_settled_check_catches_a_variable_the_reason_names_but_the_data_does_not_follow():
    import pytest

    tables = _tables()
    row = {"variable": "proposition_id", "settled": "named-plan-accepted", "implies": "", "contrasts": "",
           "reason": "The row is Russia disregarding the 20-point plan: named-plan-accepted, oppose."}
    with pytest.raises(AssertionError, match="the reason names \\[\\('stance', 'oppose'\\)\\]"):
        _check_settled(tables, "demands", "fp26-russia-only-bilateral-plan", row)
    tables["demands"].at["fp26-russia-only-bilateral-plan", "stance"] = "support"
    with pytest.raises(AssertionError, match="'stance', 'support', 'oppose'"):
        _check_settled(tables, "demands", "fp26-russia-only-bilateral-plan", dict(row, implies="stance=oppose"))


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

    tables = _tables()
    samples = pd.read_csv(REPO / "docs" / "reliability" / "adjudication-samples.csv", dtype=str, keep_default_na=False)
    audit = pd.read_csv(REPO / "docs" / "reliability" / "date-audit.csv", dtype=str, keep_default_na=False)
    assert len(samples) and len(audit)
    for row in samples.to_dict("records"):
        _check_settled(tables, row["table"], row["id"], row)
    later = _superseded("date-audit.csv")
    for row in audit.itertuples():
        if (row.table, row.id, row.column) in later:
            continue
        if row.id in tables[row.table].index:  # merged rows live on under another id
            assert tables[row.table].at[row.id, row.column] == row.settled, row
    assert set(audit.loc[audit["basis"] == "relative", "settled"]) == {""}  # manual, section 9


def test_a_blind_round_compares_each_coder_with_the_frozen_package_codes(tmp_path):
    from peacetalks.analysis.reliability import ROUND_VARIABLES, round_kappas
    codes = {"coder-1": ["x", "y", "x", "y"], "coder-2": ["x", "y", "y", "y"], "package": ["x", "y", "x", "y"]}
    for name, values in codes.items():
        pd.DataFrame({"row": ["R1", "R2", "R3", "R4"], **{v: values for v in ROUND_VARIABLES}}).to_csv(
            tmp_path / f"{name}.csv", index=False)
    status = next(r for r in round_kappas(tmp_path) if r["variable"] == "status")
    assert status["coder 1 vs package"] == 1.0
    assert status["coder 2 vs package"] == pytest.approx(0.5)
    assert status["coder 1 vs coder 2"] == pytest.approx(0.5)


def test_audit_counts_add_up_the_sources_and_give_the_minor_share(tmp_path):
    from peacetalks.analysis.reliability import audit_counts
    pd.DataFrame({"source": ["js24", "js24"], "table": ["demands", "actors"], "rows_checked": [10, 10],
                  "ok": [9, 10], "minor": [1, 0], "wrong": [0, 0]}).to_csv(tmp_path / "js24-summary.csv", index=False)
    pd.DataFrame({"source": ["ps25"], "table": ["demands"], "rows_checked": [20], "ok": [17], "minor": [2],
                  "wrong": [1]}).to_csv(tmp_path / "ps25-summary.csv", index=False)
    counts = audit_counts(tmp_path)
    assert counts.loc["total", ["rows_checked", "ok", "minor", "wrong"]].tolist() == [40, 36, 3, 1]
    assert counts.loc["total", "minor_share"] == pytest.approx(3 / 40)


BLIND_ROUND = REPO / "docs" / "reliability" / "blind-2026-12"


def test_the_manual_reports_the_blind_round_of_2026_12():
    from peacetalks.analysis.reliability import round_table
    assert round_table(BLIND_ROUND) in (REPO / "docs" / "coding-manual.md").read_text(encoding="utf-8")


def test_the_blind_round_meets_the_reliability_goal_on_every_variable():
    from peacetalks.analysis.reliability import round_kappas
    for row in round_kappas(BLIND_ROUND):
        assert row["coder 1 vs package"] >= 0.80 and row["coder 2 vs package"] >= 0.80, row


def test_the_data_follows_every_value_settled_in_the_blind_round():
    settled = pd.read_csv(BLIND_ROUND / "adjudication.csv", dtype=str, keep_default_na=False)
    demands = pd.read_csv(REPO / "data" / "demands.csv", dtype=str, keep_default_na=False).set_index("demand_id")
    gone = set(settled.demand_id) - set(demands.index)
    # a row a later audit removed is gone only on record: its decision names it and says it was removed
    assert gone <= _removed_on_record(), sorted(gone - _removed_on_record())
    differing = [(r.demand_id, r.variable, r.settled, demands.at[r.demand_id, r.variable])
                 for r in settled.itertuples()
                 if r.demand_id not in gone and demands.at[r.demand_id, r.variable] != r.settled]
    assert differing == []


def _removed_on_record() -> set:
    """Position rows the 2026-12b audit decisions say were removed (decision starting "removed")."""
    decisions = pd.read_csv(REPO / "docs" / "reliability" / "audit-2026-12b-decisions.csv", dtype=str,
                            keep_default_na=False)
    return {row_id.removeprefix("demands:") for r in decisions.itertuples()
            if r.decision.lower().startswith("removed") for row_id in r.rows.split(";")}


def test_every_finding_of_the_second_blind_audit_has_a_decision_and_removed_rows_are_gone():
    """Each auditor's finding (docs/reliability/audit-2026-12b/*-findings.csv) has one line in the decisions file,
    and a row the decisions say was removed is no longer in its table."""
    audit = REPO / "docs" / "reliability" / "audit-2026-12b"
    findings = {fid for path in audit.glob("*-findings.csv")
                for fid in pd.read_csv(path, dtype=str, keep_default_na=False)["finding_id"]}
    decisions = pd.read_csv(REPO / "docs" / "reliability" / "audit-2026-12b-decisions.csv", dtype=str,
                            keep_default_na=False)
    assert findings and sorted(decisions["finding_id"]) == sorted(findings)
    assert all(decisions["decision"]) and all(decisions["manual_section"])
    demands = set(pd.read_csv(REPO / "data" / "demands.csv", dtype=str, keep_default_na=False)["demand_id"])
    assert _removed_on_record() and not _removed_on_record() & demands


SCALE_ROUND = REPO / "docs" / "reliability" / "scales-2026-12"


def test_the_manual_reports_the_scale_and_voice_round():
    from peacetalks.analysis.reliability import SCALE_ROUND_VARIABLES, round_table
    assert round_table(SCALE_ROUND, SCALE_ROUND_VARIABLES) in (REPO / "docs" / "coding-manual.md").read_text(encoding="utf-8")


def test_the_scale_and_voice_round_meets_the_reliability_goal():
    from peacetalks.analysis.reliability import SCALE_ROUND_VARIABLES, round_kappas
    for row in round_kappas(SCALE_ROUND, SCALE_ROUND_VARIABLES):
        assert min(row["coder 1 vs package"], row["coder 2 vs package"], row["coder 1 vs coder 2"]) >= 0.80, row


LAST_AUDIT = REPO / "docs" / "reliability" / "audit-2026-12c"


def test_the_last_audit_of_every_row_finds_nothing_wrong_and_at_most_3_percent_minor():
    from peacetalks.analysis.reliability import audit_counts
    counts = audit_counts(LAST_AUDIT)
    assert set(counts.index) == {"js24", "fp25", "fp26", "mdz25", "ps25", "total"}
    assert counts.loc["total", "wrong"] == 0
    assert counts.loc["total", "minor_share"] <= 0.03


def test_every_finding_of_the_last_audit_has_a_decision():
    decided = pd.read_csv(REPO / "docs" / "reliability" / "audit-2026-12c-decisions.csv", dtype=str, keep_default_na=False)
    found = pd.concat([pd.read_csv(path, dtype=str, keep_default_na=False) for path in sorted(LAST_AUDIT.glob("*-findings.csv"))])
    assert set(found["finding_id"]) == set(decided["finding_id"])
    assert all(decided["decision"])
