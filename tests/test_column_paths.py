"""The column checks peacetalks runs itself say exactly what pandera's Frictionless converter would say,
and the ISO code lists read from pycountry's files are the codes its objects give."""

import copy

import pycountry
import pytest

from peacetalks.checks.generic import CODELIST_SOURCES, codelist
from peacetalks.validation.columns import column_schema, own_column_problems, pandera_column_problems
from peacetalks.validation.package import open_package
from peacetalks.validation.structure import as_missing, read_table

# Values that fail (or nearly pass) a number, a pattern, an enum or a required field, in every column.
ODD_VALUES = ["", "abc", " 1", "1,5", "1_000", "Usd", "USDxyz", "2025-13x", "a{b}c", "x\n"]


@pytest.mark.parametrize("table_name", ["figures", "sources"])
def test_own_column_checks_say_what_pandera_says(pkg, table_name):
    package, _ = open_package(pkg.descriptor)
    table, _ = read_table(package, package.resource(table_name))
    compared = 0
    for column in table.frame.columns:
        for value in ODD_VALUES:
            broken = copy.copy(table)
            broken.frame = table.frame.copy()
            broken.frame.loc[0, column] = value
            frame = as_missing(broken.frame)
            ours = sorted(map(str, own_column_problems(frame, broken)))
            theirs = sorted(map(str, pandera_column_problems(column_schema(broken), frame, broken)))
            assert ours == theirs, (column, value)
            compared += bool(theirs)
    assert compared > 0  # some of the values did fail


def test_a_schema_with_another_constraint_goes_to_pandera(pkg):
    pkg.edit_json("schemas/figures.json",
                  lambda s: next(f for f in s["fields"] if f["name"] == "metric").update(constraints={"maxLength": 41}))
    line = pkg.set_cell("figures", 0, "metric", "Projected annual cost of Trump's new tariffs")
    assert pkg.problems() == [f"data/figures.csv:{line} figure_id=js24-tariff-cost metric: \"Projected annual cost of "
                              "Trump's new tariffs\" fails the check str_length(None, 41)"]


@pytest.mark.parametrize("value, said", [
    ("0", None), ("+2", None), ("-0", None), ("12", None),
    ("-1", "'-1' is less than the minimum 0"), ("1.0", "'1.0' is not an integer"),
    ("1_000", "'1_000' is not an integer"), ("\u0661", "'\u0661' is not an integer"), ("abc", "'abc' is not an integer"),
    ("", "is required but empty"), (" 1", "' 1' has leading or trailing whitespace\n' 1' is not an integer")])
def test_an_integer_is_digits_with_a_sign_within_its_bounds(pkg, value, said):
    """scales.order: a required integer, minimum 0. Only ASCII digits with an optional sign are an integer (not
    Python's int() of ' 1', '1_000' or another script's digits, which no later step reads as a number)."""
    line = pkg.set_cell("scales", 0, "order", value)
    found = [p for p in pkg.problems() if p.startswith(f"data/scales.csv:{line} ") and " order: " in p
             and "scale-orders" not in p and "have orders" not in p]
    assert found == ([] if said is None else [f"data/scales.csv:{line} scale_point_id=territory-0 order: {words}"
                                              for words in said.split("\n")])


def test_code_lists_are_pycountrys():
    objects = {"iso3166-1-alpha-3": {c.alpha_3 for c in pycountry.countries},
               "iso639-1": {lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")},
               "iso4217": {c.alpha_3 for c in pycountry.currencies},
               "iso3166-2": {s.code for s in pycountry.subdivisions}}
    assert set(CODELIST_SOURCES) == set(objects)
    for name, codes in objects.items():
        assert codelist(name) == codes, name
