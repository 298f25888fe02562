"""The column checks peacetalks runs itself say exactly what pandera's Frictionless converter would say,
and the ISO code lists read from pycountry's files are the codes its objects give."""

import copy

import pycountry
import pytest

from peacetalks.checks.generic import CODELIST_SOURCES, codelist
from peacetalks.validation.columns import as_missing, column_schema, own_column_problems, pandera_column_problems
from peacetalks.validation.package import open_package
from peacetalks.validation.structure import read_table

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


def test_a_schema_with_another_type_goes_to_pandera(pkg):
    pkg.edit_json("schemas/figures.json", lambda s: next(f for f in s["fields"] if f["name"] == "value").update(type="integer"))
    pkg.set_cell("figures", 0, "value", "1.5")
    assert any("value: '1.5' is not an integer" in p for p in pkg.problems())


def test_code_lists_are_pycountrys():
    objects = {"iso3166-1-alpha-3": {c.alpha_3 for c in pycountry.countries},
               "iso639-1": {lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")},
               "iso4217": {c.alpha_3 for c in pycountry.currencies},
               "iso3166-2": {s.code for s in pycountry.subdivisions}}
    assert set(CODELIST_SOURCES) == set(objects)
    for name, codes in objects.items():
        assert codelist(name) == codes, name
