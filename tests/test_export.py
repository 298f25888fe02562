"""Exports: every format is read back with its own reader and compared, value for value, with the CSVs."""

import json
import sqlite3
from datetime import date, datetime

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from peacetalks.cli import main
from peacetalks.validation.dates import DATE_PATTERN, date_span

TABLES = ["sources", "issues", "propositions", "scales", "status_quo", "actors", "proposals", "events", "demands",
          "aid_programs", "figures", "accounts"]
OFFICIAL_VOICES = ("head", "government", "foreign-ministry", "envoy")  # coding manual, section 13


def schema_fields(pkg, table):
    return json.loads(pkg.path(f"schemas/{table}.json").read_text())["fields"]


def expected_rows(pkg, table, lists="list", dates="date"):
    """The CSV rows typed straight from the schema, independently of the export code.

    lists: 'list' (items) or 'text' (the ';' cell, None when empty); dates: 'date' or 'iso' for the span days.
    """
    rows = []
    for raw in pkg.rows(table):
        row = {}
        for field in schema_fields(pkg, table):
            name, text = field["name"], raw[field["name"]]
            if field["type"] == "list":
                row[name] = (text.split(field["delimiter"]) if text else []) if lists == "list" else (text or None)
            elif field["type"] == "number":
                row[name] = float(text) if text else None
            elif field["type"] == "integer":
                row[name] = int(text) if text else None
            else:
                row[name] = text or None
            if (field.get("constraints") or {}).get("pattern") == DATE_PATTERN:
                first, last = date_span(text) if text else (None, None)
                as_wanted = (lambda d: d) if dates == "date" else (lambda d: d and d.isoformat())
                row[f"{name}_first_day"], row[f"{name}_last_day"] = as_wanted(first), as_wanted(last)
        rows.append(row)
    if table in ("demands", "events", "proposals"):
        add_timeline(pkg, rows, dates)
    if table == "demands":  # the row's voice, else its actor's (coding manual, section 13)
        actor_voice = {a["actor_id"]: a["voice"] for a in pkg.rows("actors")}
        for row in rows:
            row["voice_effective"] = row["voice"] or actor_voice[row["actor_id"]]
            row["official_voice"] = row["voice_effective"] in OFFICIAL_VOICES
    return rows


def add_timeline(pkg, rows, dates):
    """The placing columns, derived here from the rules of the coding manual (section 9): own date, else
    the event's date, else the source's publication date."""
    published = {s["source_id"]: s["published"] for s in pkg.rows("sources")}
    event_dates = {e["event_id"]: e["date"] for e in pkg.rows("events")}
    as_wanted = (lambda d: d) if dates == "date" else (lambda d: d.isoformat())
    for row in rows:
        via_event = event_dates.get(row.get("event_id") or "", "")
        placed, basis = ((row["date"], "date") if row["date"] else (via_event, "event") if via_event
                         else (published[row["source_id"]], "observed"))
        first, last = date_span(placed)
        precision = {4: "year", 7: "month", 10: "day"}[len(placed)]
        row.update(observed_date=published[row["source_id"]], timeline_date=placed, timeline_first_day=as_wanted(first),
                   timeline_last_day=as_wanted(last), timeline_precision=precision, timeline_basis=basis)


def export(pkg, out, fmt="all"):
    return CliRunner().invoke(main, ["export", "--format", fmt, "--out", str(out), str(pkg.descriptor)])


@pytest.fixture
def exported(pkg, tmp_path):
    out = tmp_path / "exports"
    result = export(pkg, out)
    assert result.exit_code == 0, result.output
    return out, result.output


def test_every_file_gets_a_summary_line(exported, pkg):
    out, output = exported
    lines = output.splitlines()
    total = sum(len(pkg.rows(t)) for t in TABLES)
    tables = len(TABLES)
    links = 2 + sum(len(r["propositions"].split(";")) for r in pkg.rows("scales") if r["propositions"])
    assert lines[0].startswith(f"{out}/ukraine-peace-talks.sqlite  {tables} tables, 2 link tables ({links} links), "
                               f"1 derived and 3 metadata tables, {total} rows  ")
    assert lines[1].startswith(f"{out}/ukraine-peace-talks.datasette.json  Datasette metadata  ")
    assert any(line.startswith(f"{out}/parquet/figures.parquet  3 rows  ") for line in lines)
    assert any(line.startswith(f"{out}/json/proposals.json  1 row  ") for line in lines)
    assert any(line.startswith(f"{out}/json/metadata.json  metadata  ") for line in lines)
    assert any(line.startswith(f"{out}/ukraine-peace-talks.xlsx  {tables + 3} sheets, {total} rows  ") for line in lines)
    assert any(line.startswith(f"{out}/json/positions.json  derived, 2 rows  ") for line in lines)
    assert any(line.startswith(f"{out}/stata/figures.dta  3 rows  ") for line in lines)
    assert lines[-1].startswith(f"{3 * tables + 7} files written in ")


def test_sqlite_round_trip(pkg, exported):
    out, _ = exported
    connection = sqlite3.connect(out / "ukraine-peace-talks.sqlite")
    connection.row_factory = sqlite3.Row
    for table in TABLES:
        rows = [dict(r) for r in connection.execute(f'SELECT * FROM "{table}"')]
        assert rows == expected_rows(pkg, table, lists="text", dates="iso"), table


def test_sqlite_keys_are_declared_and_clean(exported):
    out, _ = exported
    connection = sqlite3.connect(out / "ukraine-peace-talks.sqlite")
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    keys = {(row[3], row[2], row[4]) for row in connection.execute("PRAGMA foreign_key_list(actors)")}
    assert keys == {("affiliation_id", "actors", "actor_id"), ("source_id", "sources", "source_id")}
    primary = [row[1] for row in connection.execute("PRAGMA table_info(figures)") if row[5]]
    assert primary == ["figure_id"]
    types = {row[1]: row[2] for row in connection.execute("PRAGMA table_info(figures)")}
    assert (types["value"], types["metric"], types["period_start_first_day"]) == ("REAL", "TEXT", "TEXT")


def test_sqlite_link_table_joins_list_items(exported):
    out, _ = exported
    connection = sqlite3.connect(out / "ukraine-peace-talks.sqlite")
    joined = connection.execute(
        "SELECT e.event_id, a.name FROM events e JOIN event_participants p USING (event_id) "
        "JOIN actors a USING (actor_id) ORDER BY p.position").fetchall()
    assert joined == [("2025-05-trump-putin-call", "Donald Trump"), ("2025-05-trump-putin-call", "Vladimir Putin")]
    targets = {row[2] for row in connection.execute("PRAGMA foreign_key_list(event_participants)")}
    assert targets == {"events", "actors"}


def test_sqlite_rejects_broken_keys_it_declares(exported):
    out, _ = exported
    connection = sqlite3.connect(out / "ukraine-peace-talks.sqlite")
    connection.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError):
        with connection:
            connection.execute("UPDATE demands SET issue_id = 'no-such-issue'")
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute("UPDATE demands SET kind = 'wish'")


def test_parquet_round_trip_with_real_types(pkg, exported):
    out, _ = exported
    for table in TABLES:
        data = pq.read_table(out / "parquet" / f"{table}.parquet")
        assert data.to_pylist() == expected_rows(pkg, table), table
    figures = pq.read_table(out / "parquet" / "figures.parquet").schema
    assert figures.field("value").type == pa.float64()
    assert figures.field("qualifier").type == pa.dictionary(pa.int32(), pa.string())
    assert figures.field("period_start_first_day").type == pa.date32()
    assert figures.field("metric").type == pa.string()
    assert figures.field("metric").metadata[b"description"].startswith(b"What is measured")
    assert pq.read_table(out / "parquet" / "events.parquet").schema.field("participants").type == pa.list_(pa.string())


def test_parquet_categories_hold_the_whole_vocabulary(exported):
    out, _ = exported
    frame = pq.read_table(out / "parquet" / "demands.parquet").to_pandas()
    assert list(frame["kind"].cat.categories) == ["demand", "offer", "threat", "rejection", "leverage", "recommendation"]


def test_json_round_trip(pkg, exported):
    out, _ = exported
    for table in TABLES:
        rows = json.loads((out / "json" / f"{table}.json").read_text(encoding="utf-8"))
        assert rows == expected_rows(pkg, table, dates="iso"), table


def test_xlsx_round_trip_with_codebook_first(pkg, exported):
    out, _ = exported
    workbook = load_workbook(out / "ukraine-peace-talks.xlsx")
    assert workbook.sheetnames == ["about", "positions", "codebook", *TABLES]
    for table in TABLES:
        sheet = workbook[table]
        header, *cells = [list(r) for r in sheet.iter_rows(values_only=True)]
        numbers = {f["name"] for f in schema_fields(pkg, table) if f["type"] == "number"}
        rows = [{name: (float(v) if name in numbers and v is not None else v.date() if isinstance(v, datetime) else v)
                 for name, v in zip(header, row)} for row in cells]
        expected = expected_rows(pkg, table, lists="text")
        names = [c for c in header if c not in expected[0]]  # the names beside the ids, in the XLSX only
        assert all(c.endswith("_name") for c in names), (table, names)
        assert [{k: v for k, v in row.items() if k not in names} for row in rows] == expected, table


def test_xlsx_shows_the_name_beside_each_id(exported):
    out, _ = exported
    workbook = load_workbook(out / "ukraine-peace-talks.xlsx")
    demands = [list(r) for r in workbook["demands"].iter_rows(values_only=True)]
    freeze = dict(zip(demands[0], next(r for r in demands if r[0] == "mdz25-ukraine-freeze")))
    assert demands[0].index("actor_name") == demands[0].index("actor_id") + 1
    assert (freeze["actor_name"], freeze["target_name"], freeze["issue_name"]) == ("Volodymyr Zelensky", "Vladimir Putin", "Ceasefire")
    assert freeze["proposal_name"] == "Joint Ukrainian-European ceasefire proposals"
    assert freeze["source_name"] == "Peace, postponed. As Trump fails to push Putin toward a ceasefire, what comes next for Ukraine?"
    events = [list(r) for r in workbook["events"].iter_rows(values_only=True)]
    assert dict(zip(events[0], events[1]))["participants_name"] == "Donald Trump; Vladimir Putin"
    codebook = {(r[0], r[1]): r for r in workbook["codebook"].iter_rows(values_only=True)}
    assert codebook[("demands", "actor_name")][4].startswith("The name of the actors row(s) that `actor_id` names")


def test_xlsx_codebook_sheet(exported):
    out, _ = exported
    sheet = load_workbook(out / "ukraine-peace-talks.xlsx")["codebook"]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header[:6] == ["table", "column", "type", "required", "description", "allowed values"]
    by_column = {(r[0], r[1]): dict(zip(header, r)) for r in rows}
    kind = by_column[("demands", "kind")]
    assert kind["required"] == "yes" and kind["allowed values"].startswith("demand: The actor asks for, seeks or insists on something")
    assert by_column[("demands", "date_first_day")]["type"] == "date"
    assert by_column[("events", "participants")]["references"] == "actors.actor_id (each item)"


def test_text_that_looks_like_a_formula_stays_text(pkg, tmp_path):
    """OWASP's advice for cells a spreadsheet would evaluate: in XLSX, a string cell (never a formula) marked
    with the quote prefix, so that Excel keeps it text even when it is edited; the value stays as written."""
    risky = ["=1+1", "+1", "-1", "@SUM(A1)"]  # a cell that starts with a tab or CR is padded: validation stops it
    for row, text in enumerate(risky):
        pkg.set_cell("actors", row, "role", text)
    column = pkg.fields("actors").index("role")
    pkg.edit_json("schemas/actors.json", lambda s: s["fields"][column].update(name="=HYPERLINK(\"http://x\")"))
    rows = pkg.rows("actors")
    header = pkg.fields("actors")
    pkg.write_rows("actors", [dict(zip(header, r.values())) for r in rows])
    # The validator refuses such cells (the next test), so the export is fed the tables unvalidated: the
    # neutralising is a second line of defence, for any table that reaches an export.
    from peacetalks.publish.export import export_tables
    from peacetalks.validation.loader import load
    from peacetalks.validation.package import open_package

    export_tables(open_package(pkg.descriptor)[0], load(pkg.descriptor, validate=False), ["xlsx"], tmp_path / "x")
    sheet = load_workbook(tmp_path / "x" / "ukraine-peace-talks.xlsx")["actors"]
    letter = next(c.column_letter for c in sheet[1] if c.value == '=HYPERLINK("http://x")')  # names shift columns
    cells = [sheet[f"{letter}1"]] + [sheet[f"{letter}{row}"] for row in range(2, 6)]
    assert [c.value for c in cells] == ['=HYPERLINK("http://x")', *risky]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert sheet["B2"].quotePrefix is False  # plain text is left alone
    codebook = load_workbook(tmp_path / "x" / "ukraine-peace-talks.xlsx")["codebook"]
    named = [c for c in codebook["B"] if c.value == '=HYPERLINK("http://x")']
    assert len(named) == 1 and named[0].data_type == "s" and named[0].quotePrefix


def test_text_that_looks_like_a_formula_stops_the_export_at_validation(pkg, tmp_path):
    # The validator refuses a text cell that a spreadsheet would evaluate (issue 8), so none reaches an export.
    pkg.set_cell("actors", 0, "role", "=1+1")
    result = export(pkg, tmp_path / "x", "xlsx")
    assert result.exit_code == 1
    assert "actor_id=united-states role: '=1+1' starts with '=', so a spreadsheet" in result.output
    assert not (tmp_path / "x" / "ukraine-peace-talks.xlsx").exists()


def test_control_character_stops_the_export_at_validation(pkg, tmp_path):
    pkg.set_cell("actors", 0, "role", "a\x01b")
    result = export(pkg, tmp_path / "x", "xlsx")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.startswith("peacetalks: the package is not valid (1 problem):\n  data/actors.csv:2 "
                                    "actor_id=united-states role: 'a\\x01b' contains the control or invisible character \\x01; remove it")
    assert not (tmp_path / "x" / "ukraine-peace-talks.xlsx").exists()


def test_empty_tables_export_with_their_types(pkg, tmp_path):
    for table in ["events", "demands", "figures"]:
        pkg.write_rows(table, [])
    assert pkg.problems() == []
    result = export(pkg, tmp_path / "x")
    assert result.exit_code == 0, result.output
    schema = pq.read_table(tmp_path / "x" / "parquet" / "figures.parquet").schema
    assert schema.field("value").type == pa.float64() and schema.field("period_end_last_day").type == pa.date32()
    assert json.loads((tmp_path / "x" / "json" / "events.json").read_text()) == []
    connection = sqlite3.connect(tmp_path / "x" / "ukraine-peace-talks.sqlite")
    assert connection.execute("SELECT count(*) FROM event_participants").fetchone() == (0,)
    with pd.io.stata.StataReader(tmp_path / "x" / "stata" / "demands.dta") as reader:
        assert len(reader.read()) == 0 and set(reader.value_labels()["stance"].values()) == {"support", "oppose", "conditional"}


def test_invalid_package_is_not_exported(pkg, tmp_path):
    pkg.set_cell("figures", 0, "value", "abc")
    result = export(pkg, tmp_path / "x")
    assert result.exit_code == 1 and not isinstance(result.exception, ValueError)
    assert "the package is not valid (1 problem)" in result.output
    assert "figure_id=js24-tariff-cost value: 'abc' is not a number" in result.output
    assert not (tmp_path / "x").exists()


def test_single_format(pkg, tmp_path):
    assert export(pkg, tmp_path / "x", "json").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == ["json"]


def test_output_folder_that_is_a_file_is_a_clear_error(pkg, tmp_path):
    (tmp_path / "taken").write_text("")
    result = CliRunner().invoke(main, ["export", "--out", str(tmp_path / "taken" / "x"), str(pkg.descriptor)])
    assert result.exit_code == 1 and result.output.startswith("peacetalks: ")
    assert isinstance(result.exception, SystemExit)


def test_dates_are_days_not_times(pkg, exported):
    out, _ = exported
    row = pq.read_table(out / "parquet" / "figures.parquet").to_pylist()[1]
    assert (row["period_start_first_day"], row["period_end_last_day"]) == (date(2024, 1, 1), date(2025, 5, 31))


def test_tab_and_carriage_return_starts_are_neutralised_too():
    from openpyxl import Workbook

    from peacetalks.publish.export import as_written

    sheet = Workbook().active
    sheet.append(["\t=1+1", "\r=1+1", "plain", 78000000000.0, 0.25, 1234.5])
    for cell in sheet[1]:
        as_written(cell)
    assert [(c.data_type, c.quotePrefix) for c in sheet[1][:3]] == [("s", True), ("s", True), ("s", False)]
    assert [c.number_format for c in sheet[1][3:]] == ["0", "0.00", "0.0"]


def test_a_new_table_appears_in_every_export_by_itself(pkg, tmp_path):
    import shutil

    shutil.copyfile(pkg.path("schemas/issues.json"), pkg.path("schemas/topics.json"))
    shutil.copyfile(pkg.path("data/issues.csv"), pkg.path("data/topics.csv"))
    pkg.edit_json("datapackage.json", lambda d: d["resources"].append(
        {**d["resources"][1], "name": "topics", "path": "data/topics.csv", "schema": "schemas/topics.json",
         "title": "Topics", "description": "A new table."}))
    assert pkg.problems() == []
    out = tmp_path / "x"
    assert export(pkg, out).exit_code == 0
    connection = sqlite3.connect(out / "ukraine-peace-talks.sqlite")
    count = len(pkg.rows("topics"))
    assert connection.execute("SELECT count(*) FROM topics").fetchone() == (count,)
    assert connection.execute("SELECT description, rows FROM table_metadata WHERE table_name = 'topics'").fetchone() \
        == ("A new table.", count)
    assert load_workbook(out / "ukraine-peace-talks.xlsx").sheetnames[-1] == "topics"
    assert pq.read_table(out / "parquet" / "topics.parquet").num_rows == count
    assert len(json.loads((out / "json" / "topics.json").read_text())) == count
    datasette = json.loads((out / "ukraine-peace-talks.datasette.json").read_text())
    topics = datasette["databases"]["ukraine-peace-talks"]["tables"]["topics"]
    assert topics["description"] == "A new table." and set(topics["columns"]) == {"issue_id", "label", "description"}
