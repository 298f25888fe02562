"""Rules read off the Table Schema: real calendar dates, code lists, vocabularies without an enum, URLs."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from peacetalks.validation.dates import DATE_PATTERN, date_span
from peacetalks.validation.package import category_values, list_delimiter
from peacetalks.validation.package import constraints as field_constraints

from peacetalks.validation.report import shown
from peacetalks.validation.structure import rows_starting_with

from . import Rule



_DATE = re.compile(DATE_PATTERN)
# What makes a spreadsheet read a text cell as a formula (OWASP, "CSV Injection"): its first character.
FORMULA_STARTS = b"=+-@\t\r"  # what makes a spreadsheet read a cell as a formula
NUMERIC_TYPES = ("number", "integer", "year")
CODELIST_NAMES = {"iso3166-1-alpha-3": "an ISO 3166-1 alpha-3 country code", "iso639-1": "an ISO 639-1 language code",
                  "iso4217": "an ISO 4217 currency code", "iso3166-2": "a list of ISO 3166-2 region codes (like 'UA-14')"}


# Each ISO list: pycountry's database file, its list's key, and the attribute that holds the code.
CODELIST_SOURCES = {"iso3166-1-alpha-3": ("iso3166-1.json", "3166-1", "alpha_3"), "iso639-1": ("iso639-3.json", "639-3", "alpha_2"),
                    "iso4217": ("iso4217.json", "4217", "alpha_3"), "iso3166-2": ("iso3166-2.json", "3166-2", "code")}


@lru_cache(maxsize=None)
def codelist(name: str) -> frozenset[str]:
    """The codes of an ISO list named by a field's x-codelist property, read from pycountry's own database
    files: the same codes as its objects give (tested), many times faster than building every object."""
    file, key, attribute = CODELIST_SOURCES[name]
    with open(os.path.join(_pycountry_databases(), file), encoding="utf-8") as fh:
        text = fh.read()
    # Each entry writes its code as "attribute": "CODE" (codes are plain ASCII): a search of the text is
    # several times faster than parsing the whole file (1.4 MB for languages and regions).
    return frozenset(re.findall(r'"%s":\s*"([^"\\]*)"' % re.escape(attribute), text))


def _pycountry_databases() -> str:
    """pycountry's database folder, found without importing pycountry (10 ms of every validation)."""
    from importlib.util import find_spec

    return os.path.join(find_spec("pycountry").submodule_search_locations[0], "databases")


def valid_http_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    host = parts.hostname or ""
    return parts.scheme in ("http", "https") and "." in host and " " not in value


def _where_given(column: str, test) -> callable:
    """A rule function that applies `test` to each distinct non-empty value of `column`, once."""
    def passes(df: pd.DataFrame) -> pd.Series:
        values = df[column]
        failing = [value for value in values.dropna().unique() if not test(value)]
        return ~values.isin(failing) if failing else pd.Series(True, index=df.index)
    return passes


def _no_formula(column: str):
    def passes(df: pd.DataFrame) -> pd.Series:
        # The first byte of every text cell, read off its Arrow memory (all the characters are ASCII).
        passes = np.ones(len(df), bool)
        passes[rows_starting_with(df[column], FORMULA_STARTS)] = False
        return pd.Series(passes, index=df.index)
    return passes


class _every_item_in:
    """A membership test for delimited lists: 'UA-14;UA-09' is in it when each item is."""

    def __init__(self, codes: set[str], delimiter: str):
        self.codes, self.delimiter = codes, delimiter

    def __contains__(self, cell: str) -> bool:
        return all(item in self.codes for item in cell.split(self.delimiter))


def _name_the_first_row(column: str, key: list[str]):
    """Messages for repeated values of `column` that name the row which holds the value first."""
    def explain(df: pd.DataFrame, rows) -> list[str]:
        first = df[~df[column].duplicated(keep="first") & df[column].notna()]
        holder = {value: f"{key[0]}={row_id}" for value, row_id in zip(first[column], first[key[0]])} if len(key) == 1 else {}
        return [f"{shown(value)} is already used by {holder.get(value, 'another row')}; the field's values must be unique"
                for value in df[column].iloc[rows]]
    return explain


def _about(name: str, text: str):
    """A message about the cell of field `name`: its value, then `text` (`{first}` is its first character).

    Built as a function, never as a format template with the name inside: a field name holding braces
    (`period_end{0.__class__}`) would otherwise break the template and hide the problem."""
    def message(cells: dict) -> str:
        value = cells.get(name, "")
        return f"{value!r} " + text.replace("{first}", repr(str(value)[:1]))
    return message


def rules(resource) -> list[Rule]:
    out = []
    for field in resource.fields:
        name, constraints = field.get("name"), field_constraints(field)
        if constraints.get("pattern") == DATE_PATTERN:
            # A cell that does not even match the pattern is the pattern check's to report.
            out.append(Rule(f"{name}-calendar-date", name, _about(name, "is not a real date: no such day or month, a season other than 21-24, or an interval that ends before it starts"),
                            _where_given(name, lambda v: not _DATE.fullmatch(v) or date_span(v) is not None), uses=(name,)))
        listed = field.get("x-codelist") if isinstance(field.get("x-codelist"), str) and field["x-codelist"] in CODELIST_NAMES else None  # else: descriptor check
        categories = category_values(field)
        if "enum" not in constraints and (listed or categories):
            allowed = set(categories) | (codelist(listed) if listed else set())
            if field.get("type") == "list":  # every item of the list must be a code
                allowed = _every_item_in(allowed, list_delimiter(field))
            what = " or ".join(filter(None, [CODELIST_NAMES[listed] if listed else "",
                                             f"one of the field's categories ({', '.join(categories)})" if categories else ""]))
            out.append(Rule(f"{name}-vocabulary", name, _about(name, "is not " + what),
                            _where_given(name, allowed.__contains__), uses=(name,)))
        # Every column that is not a number, whatever type the package's own schema declares (a stranger can
        # declare `any`): a number column's cells are numbers, or a type problem, so never a formula.
        if not (isinstance(field.get("type"), str) and field["type"] in NUMERIC_TYPES):  # any other type is the profile's
            out.append(Rule(f"{name}-formula", name, _about(name, "starts with {first}, so a spreadsheet opening the CSV would "
                            "evaluate it as a formula (CSV injection); reword it to start otherwise"),
                            _no_formula(name), uses=(name,)))
        if constraints.get("unique") is True and name not in (resource.primary_key or []):
            # Pandera's own uniqueness check reports every copy; this one reports the second and later, once each.
            out.append(Rule(f"{name}-unique", name, _about(name, "is already used by another row; the field's values must be unique"),
                            lambda df, name=name: df[name].isna() | ~df[name].duplicated(keep="first"),
                            explain=_name_the_first_row(name, resource.primary_key)))
        if field.get("format") == "uri":
            out.append(Rule(f"{name}-url", name, _about(name, "is not a valid http(s) address"),
                            _where_given(name, valid_http_url), uses=(name,)))
    return out
