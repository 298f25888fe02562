"""Every export says what it is: licence, version, citation, sources and descriptions, read back with each
format's own reader; the XLSX shows values as the CSVs write them."""

import json
import sqlite3

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from peacetalks.cli import main

NAME = "ukraine-peace-talks"
CITATION = "ukraine-peace-talks maintainers (2026). "


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from conftest import build_package

    root = tmp_path_factory.mktemp("metadata")
    pkg = build_package(root / "pkg")
    out = root / "exports"
    result = CliRunner().invoke(main, ["export", "--out", str(out), str(pkg.descriptor)])
    assert result.exit_code == 0, result.output
    descriptor = json.loads(pkg.descriptor.read_text(encoding="utf-8"))
    return out, descriptor


def resource(descriptor, name):
    return next(r for r in descriptor["resources"] if r["name"] == name)


def test_sqlite_metadata_tables(exported):
    out, descriptor = exported
    connection = sqlite3.connect(out / f"{NAME}.sqlite")
    package = dict(connection.execute("SELECT key, value FROM package_metadata"))
    assert package["version"] == descriptor["version"] and package["title"] == descriptor["title"]
    assert package["license"].startswith("CC-BY-4.0: Creative Commons Attribution 4.0")
    assert package["citation"].startswith(CITATION) and f"(version {descriptor['version']}) [Data set]." in package["citation"]
    assert [s["source_id"] for s in json.loads(package["sources"])] == [s["source_id"] for s in descriptor["sources"]]
    tables = {row[0]: row[1:] for row in connection.execute("SELECT table_name, title, description, rows FROM table_metadata")}
    assert tables["figures"] == ("Figures", resource(descriptor, "figures")["description"], 3)
    assert tables["event_participants"][2] == 2
    column = connection.execute("SELECT type, required, description, references_column, allowed_values FROM column_metadata "
                                "WHERE table_name = 'demands' AND column_name = 'kind'").fetchone()
    assert column[:2] == ("string", 1) and column[4].startswith("demand: The actor asks for, seeks or insists on something")
    derived = connection.execute("SELECT type, description FROM column_metadata "
                                 "WHERE table_name = 'figures' AND column_name = 'period_end_last_day'").fetchone()
    assert derived[0] == "date" and derived[1].startswith("Last day that `period_end` covers")


def test_parquet_file_metadata(exported):
    out, descriptor = exported
    metadata = {k.decode(): v.decode() for k, v in pq.read_metadata(out / "parquet" / "figures.parquet").metadata.items()}
    assert (metadata["table"], metadata["table_title"], metadata["version"]) == ("figures", "Figures", descriptor["version"])
    assert metadata["license"].startswith("CC-BY-4.0") and metadata["citation"].startswith(CITATION)
    assert json.loads(metadata["sources"]) == descriptor["sources"]
    assert metadata["created"] == descriptor["created"]


def test_json_metadata_record(exported):
    out, descriptor = exported
    record = json.loads((out / "json" / "metadata.json").read_text(encoding="utf-8"))
    assert (record["name"], record["version"], record["licenses"]) == (NAME, descriptor["version"], descriptor["licenses"])
    assert record["files"]["figures"] == "figures.json" and record["sources"] == descriptor["sources"]
    figures = next(t for t in record["tables"] if t["name"] == "figures")
    assert figures["rows"] == 3 and [c["name"] for c in figures["columns"]][:2] == ["figure_id", "metric"]


def test_xlsx_about_sheet(exported):
    out, descriptor = exported
    sheet = load_workbook(out / f"{NAME}.xlsx")["about"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    facts = {r[0]: r[1] for r in rows if r[0]}
    assert facts["version"] == descriptor["version"] and facts["title"] == descriptor["title"]
    assert facts["licence"].startswith("CC-BY-4.0") and facts["how to cite"].startswith(CITATION)
    assert ["figures", 3, "Figures", resource(descriptor, "figures")["description"]] in rows
    assert ["meduza-2025-peace-postponed", descriptor["sources"][3]["title"],
            "corpus/meduza-2025-peace-postponed.txt"] in [r[:3] for r in rows]


def test_xlsx_shows_values_as_written(exported):
    out, _ = exported
    sheet = load_workbook(out / f"{NAME}.xlsx")["figures"]
    header = [c.value for c in sheet[1]]
    value = sheet.cell(row=2, column=header.index("value") + 1)
    assert value.value == 78000000000 and value.number_format == "0"  # not 7.8E+10
    period = sheet.cell(row=3, column=header.index("period_end") + 1)
    assert (period.value, period.data_type) == ("2025-05", "s")  # a partial date stays the text it is
    last_day = sheet.cell(row=3, column=header.index("period_end_last_day") + 1)
    assert last_day.number_format == "yyyy-mm-dd" and str(last_day.value) == "2025-05-31 00:00:00"


def test_exports_are_reproducible(exported, tmp_path):
    out, _ = exported
    pkg_descriptor = out.parent / "pkg" / "datapackage.json"
    result = CliRunner().invoke(main, ["export", "--out", str(tmp_path / "again"), str(pkg_descriptor)])
    assert result.exit_code == 0, result.output
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        assert (tmp_path / "again" / path.relative_to(out)).read_bytes() == path.read_bytes(), path.name
