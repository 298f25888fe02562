"""The exports' positions view: every demands row with names, and whether `peacetalks positions` counts it."""

from __future__ import annotations

import json
import sqlite3

import pandas as pd
import pyarrow.parquet as pq
import pytest

from peacetalks import positions
from peacetalks.publish.export import export
from peacetalks.validation.loader import load

from conftest import REPO


@pytest.fixture(scope="module")
def real_tables():
    return load(REPO / "datapackage.json")


def test_view_counts_exactly_the_rows_peacetalks_positions_counts(real_tables):
    view = positions.position_view(real_tables)
    assert sorted(view["demand_id"]) == sorted(real_tables["demands"]["demand_id"])  # one row per demands row
    counted = set(view.loc[view["in_positions"] == "yes", "demand_id"])
    assert counted == set(positions.position_rows(real_tables)["demand_id"])
    reasons = set(view.loc[view["in_positions"] != "yes", "in_positions"])
    assert reasons <= {positions.NO_PROPOSITION, positions.HYPOTHETICAL, "no: leverage, not a stance of the actor",
                       "no: recommendation, not a stance of the actor"}


def test_view_reasons_follow_the_options_of_peacetalks_positions(real_tables):
    demands = real_tables["demands"]
    for options in ({}, {"hypothetical": True}, {"evidence": ("stated",)}, {"kinds": tuple(demands["kind"].cat.categories)}):
        left = positions.left_out(demands, **options)
        assert set(demands.loc[left == "", "demand_id"]) == set(positions.position_rows(real_tables, **options)["demand_id"])


def test_view_columns_are_defined_once(real_tables):
    view = positions.position_view(real_tables)
    assert list(view.columns) == [name for name, _, _ in positions.VIEW_COLUMNS]
    ukraine = view[view["side"] == "ukraine"]
    assert {"ukraine", "volodymyr-zelensky"} <= set(ukraine["actor_id"])  # the state and its leader, one filter
    plans = view[view["proposition_id"] == "named-plan-accepted"]
    assert plans["plan_id"].notna().all() and plans["plan_name"].notna().all()
    assert view.loc[view["proposition_id"] != "named-plan-accepted", "plan_id"].isna().all()


def test_every_format_carries_the_view(pkg, tmp_path):
    out = tmp_path / "exports"  # beside the package: an --out holding it is refused
    export(pkg.descriptor, ["sqlite", "parquet", "json"], out)
    connection = sqlite3.connect(out / "ukraine-peace-talks.sqlite")
    rows = connection.execute("SELECT demand_id, in_positions, side, actor_name, statement FROM positions ORDER BY demand_id").fetchall()
    statement = {r["proposition_id"]: r["statement"] for r in pkg.rows("propositions")}
    proposition = {r["demand_id"]: r["proposition_id"] for r in pkg.rows("demands")}
    assert rows == [("js24-putin-no-nato", positions.HYPOTHETICAL, "russia", "Vladimir Putin", statement[proposition["js24-putin-no-nato"]]),
                    ("mdz25-ukraine-freeze", "yes", "ukraine", "Volodymyr Zelensky", statement[proposition["mdz25-ukraine-freeze"]])]
    assert connection.execute("PRAGMA foreign_key_check(positions)").fetchall() == []
    described = dict(connection.execute("SELECT column_name, description FROM column_metadata WHERE table_name = 'positions' ORDER BY position"))
    assert list(described) == [name for name, _, _ in positions.VIEW_COLUMNS]
    parquet = pq.read_table(out / "parquet" / "positions.parquet")
    assert parquet.schema.field("in_positions").metadata[b"description"].startswith(b"Whether `peacetalks positions`")
    assert sorted(parquet.column("demand_id").to_pylist()) == ["js24-putin-no-nato", "mdz25-ukraine-freeze"]
    records = json.loads((out / "json" / "positions.json").read_text())
    assert {r["demand_id"]: r["in_positions"] for r in records} == {"js24-putin-no-nato": positions.HYPOTHETICAL,
                                                                  "mdz25-ukraine-freeze": "yes"}
    assert json.loads((out / "json" / "metadata.json").read_text())["files"]["positions"] == "positions.json"


def test_a_resource_named_positions_is_refused(pkg, tmp_path):
    from peacetalks.publish.export import ExportError

    pkg.edit_json("datapackage.json", lambda d: next(r for r in d["resources"] if r["name"] == "accounts").update(name="positions"))
    tables = load(pkg.descriptor, validate=False)
    from peacetalks.publish.export import check_exportable
    from peacetalks.validation.package import open_package

    with pytest.raises(ExportError, match="the derived sheet 'positions' and the sheet of the resource 'positions'"):
        check_exportable(open_package(pkg.descriptor)[0], tables, ["xlsx"])
