"""The Stata export: a .dta per table and the positions view, read back with pandas' own reader."""

from __future__ import annotations

import pandas as pd
import pytest

from peacetalks.publish.codebook import describe_columns
from peacetalks.publish.export import export
from peacetalks.validation.loader import load
from peacetalks.validation.package import open_package
from peacetalks.publish.stata import LABEL_LIMIT, short_label


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from conftest import build_package

    root = tmp_path_factory.mktemp("stata")
    pkg = build_package(root / "pkg")
    export(pkg.descriptor, ["stata"], root / "out")
    return pkg, root / "out" / "stata"


def read(path):
    with pd.io.stata.StataReader(path) as reader:
        return reader.read(), reader.variable_labels(), reader.value_labels(), reader.data_label


def test_every_table_with_labels_from_the_codebook_and_every_vocabulary(exported):
    pkg, folder = exported
    package, _ = open_package(pkg.descriptor)
    tables = load(pkg.descriptor)
    for resource in package.resources:
        frame, variables, values, label = read(folder / f"{resource.name}.dta")
        assert len(frame) == len(tables[resource.name]) and label.startswith(f"{resource.name}: ")
        for column in describe_columns(resource):
            if column["description"]:
                assert variables[column["column"]] == short_label(column["description"]), (resource.name, column["column"])
        for name, series in tables[resource.name].items():
            if isinstance(series.dtype, pd.CategoricalDtype):  # every vocabulary, each allowed value labelled
                assert sorted(values[name].values()) == sorted(series.cat.categories), (resource.name, name)
    assert all(len(text) <= LABEL_LIMIT for text in variables.values())


def test_values_read_back_as_written(exported):
    pkg, folder = exported
    demands, _, _, _ = read(folder / "demands.dta")
    freeze = demands.set_index("demand_id").loc["mdz25-ukraine-freeze"]
    assert (freeze["actor_id"], freeze["stance"], freeze["kind"], freeze["date"]) == ("volodymyr-zelensky", "support", "demand", "2025")
    assert freeze["date_first_day"] == pd.Timestamp("2025-01-01")
    figures, _, _, _ = read(folder / "figures.dta")
    assert figures.set_index("figure_id").loc["js24-tariff-cost", "value"] == 78000000000
    events, _, _, _ = read(folder / "events.dta")
    assert events.loc[0, "participants"] == "donald-trump;vladimir-putin"  # a list as in the CSV


def test_positions_view_in_stata(exported):
    _, folder = exported
    positions, variables, values, _ = read(folder / "positions.dta")
    assert dict(zip(positions["demand_id"], positions["in_positions"])) == {
        "mdz25-ukraine-freeze": "yes", "js24-putin-no-nato": "no: hypothetical, a bargain the author imagines"}
    assert {"side", "stance", "kind", "evidence", "status", "date_basis", "in_positions"} <= set(values)
    assert "russia" in values["side"].values() and "europe" in values["side"].values()  # unused values labelled too
    assert variables["in_positions"].startswith("Whether `peacetalks positions`")


def test_short_label():
    assert short_label("a  b\nc") == "a b c"
    long = short_label("word " * 40)
    assert len(long) == LABEL_LIMIT and long.endswith("...")
