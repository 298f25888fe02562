"""Table Schema's other types, read in their default format, for a schema that declares them.

This dataset's schemas use string, list, integer and number (dates are strings with the EDTF pattern). A
schema from a pull request may declare any type; pandera's Frictionless converter let text pass as a date,
a time, a boolean, an object, an array, a year-month or a geopoint, and reported empty optional cells of a
year or duration as 'nan'. Each type is read here as the Table Schema specification (v1) writes its default
format; a field with another format (`format: "any"` or a pattern of its own) is refused by the descriptor
layer (format_faults), since pandera let its values pass unread.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from .package import constraints as field_constraints
from .report import allowed_values, shown

DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TIME = re.compile(r"[0-9]{2}:[0-9]{2}:[0-9]{2}")
DATETIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}:[0-9]{2}:[0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?")
YEAR = re.compile(r"-?[0-9]{4}")
YEARMONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
DURATION = re.compile(r"P(?!$)([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]+)?S)?)?")
GEOPOINT = re.compile(r"(-?[0-9]+(?:\.[0-9]+)?), ?(-?[0-9]+(?:\.[0-9]+)?)")
TRUE_VALUES, FALSE_VALUES = ["true", "True", "TRUE", "1"], ["false", "False", "FALSE", "0"]

WORDS = {"date": "a date (YYYY-MM-DD)", "time": "a time (hh:mm:ss)",
         "datetime": "a date and time (YYYY-MM-DDThh:mm:ss, with Z or an offset if any)", "year": "a year (YYYY)",
         "yearmonth": "a year and month (YYYY-MM)", "duration": "an ISO 8601 duration (like P1Y2M or PT3H)",
         "object": "a JSON object", "array": "a JSON array", "geojson": "a GeoJSON object",
         "geopoint": "a point 'longitude, latitude'", "boolean": "true or false"}


def _date(text: str) -> bool:
    try:
        return bool(DATE.fullmatch(text)) and dt.date.fromisoformat(text) is not None
    except ValueError:
        return False


def _time(text: str) -> bool:
    try:
        return bool(TIME.fullmatch(text)) and dt.time.fromisoformat(text) is not None
    except ValueError:
        return False


def _datetime(text: str) -> bool:
    match = DATETIME.fullmatch(text)
    return bool(match) and _date(match.group(1)) and _time(match.group(2))


def _loaded(text: str):
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _object(text: str) -> bool:
    return isinstance(_loaded(text), dict)


def _array(text: str) -> bool:
    return isinstance(_loaded(text), list)


def _geojson(text: str) -> bool:
    value = _loaded(text)
    return isinstance(value, dict) and isinstance(value.get("type"), str)


def _geopoint(text: str) -> bool:
    match = GEOPOINT.fullmatch(text)
    return bool(match) and -180 <= float(match.group(1)) <= 180 and -90 <= float(match.group(2)) <= 90


READERS = {"date": _date, "time": _time, "datetime": _datetime, "year": YEAR.fullmatch, "yearmonth": YEARMONTH.fullmatch,
           "duration": DURATION.fullmatch, "object": _object, "array": _array, "geojson": _geojson, "geopoint": _geopoint}


def reader(field: dict):
    """A function telling whether a cell's text is a value of the field's type, or None when this module
    does not read that type in that format (pandera does)."""
    kind, form = field.get("type"), field.get("format", "default")
    if not isinstance(kind, str):
        return None  # the profile check reports it
    if kind == "boolean":
        true, false = field.get("trueValues", TRUE_VALUES), field.get("falseValues", FALSE_VALUES)
        if not (isinstance(true, list) and isinstance(false, list)):
            return None
        allowed = {v for v in true + false if isinstance(v, str)}
        return allowed.__contains__
    if kind == "any":
        return lambda text: True
    if kind not in READERS or form not in ("default", None):
        return None
    return lambda text, read=READERS[kind]: bool(read(text))


def words(field: dict) -> str:
    if field.get("type") == "boolean" and ("trueValues" in field or "falseValues" in field):
        return "one of " + allowed_values(field.get("trueValues", TRUE_VALUES) + field.get("falseValues", FALSE_VALUES),
                                          "the schema's trueValues and falseValues")
    return WORDS.get(field.get("type"), "any value")


# The constraints that compare a value with a bound, and the types they apply to (Table Schema v1): a bound is
# written as a value of the field's type, a number for numbers and years, text in the type's default format
# for dates and times. Anything else made pandera compare text with a number and report only that a check
# "could not run".
BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
LENGTHS = ("minLength", "maxLength")
BOUND_READERS = {"integer": lambda v: isinstance(v, int), "year": lambda v: isinstance(v, int),
                 "number": lambda v: isinstance(v, (int, float)),
                 **{kind: (lambda v, read=READERS[kind]: isinstance(v, str) and bool(read(v)))
                    for kind in ("date", "time", "datetime", "yearmonth", "duration")}}
BOUND_WORDS = {"integer": "an integer", "year": "a year as a number (2024)", "number": "a number"}


def constraint_faults(field: dict, said_by_profile: bool = False) -> list[tuple[str, str]]:
    """(constraint, why) for each bound or length of a field that its type cannot use, said for the person who
    wrote the schema: the ones the Table Schema profile lets pass (a bound of the wrong type, a negative
    length), and with `said_by_profile` those it reports itself too (a bound on text, a length that is not an
    integer), which the readers of schemas leave out all the same."""
    kind, given = field.get("type", "string"), field_constraints(field)
    faults = []
    for key in BOUNDS:
        if key not in given:
            continue
        value, read = given[key], BOUND_READERS.get(kind)
        if read is None:
            if said_by_profile:
                faults.append((key, f"applies to numbers, years, dates and times, not to a {kind} field; remove it"))
        elif field.get("format", "default") == "default" and (isinstance(value, bool) or not read(value)):
            faults.append((key, f"{json.dumps(value)[:60]} is not {BOUND_WORDS.get(kind) or WORDS[kind]}; a bound is "
                                "written as a value of the field's type"))
    for key in LENGTHS:
        value = given.get(key)
        whole = isinstance(value, int) and not isinstance(value, bool)
        if key in given and ((whole and value < 0) or (not whole and said_by_profile)):
            faults.append((key, f"{json.dumps(value)[:60]} is not a length; write a whole number of 0 or more"))
    return faults


def category_fault(field: dict) -> str | None:
    """Why a field's `categories` is not what Table Schema allows (a list of values, or of objects with a
    value and an optional label), or None; a list read wrongly would make a vocabulary of nothing."""
    if "categories" not in field:
        return None
    categories = field["categories"]
    if not isinstance(categories, list):
        return f"categories {json.dumps(categories)[:60]} is not a list; write a list of the values, or of {{\"value\", \"label\"}} objects"
    for item in categories:
        value = item.get("value") if isinstance(item, dict) else item
        if not isinstance(value, (str, int, float)) or isinstance(value, bool) or (isinstance(item, dict) and not isinstance(item.get("label", ""), str)):
            return (f"categories holds {json.dumps(item)[:60]}, which is neither a value nor a {{\"value\", \"label\"}} "
                    "object with a text label")
    if "categoriesOrdered" in field and not isinstance(field["categoriesOrdered"], bool):
        return f"categoriesOrdered {json.dumps(field['categoriesOrdered'])[:60]} is not true or false"
    return None


# What a schema may ask of the way a cell is written, beyond each type's default: nothing but these. A date
# in `%d/%m/%Y`, `format: "any"` (frictionless's "read anything"), a number with `groupChar`, a list of
# integers or an email address would otherwise reach pandera, which let every value pass unread, or be read
# in the default format, which refuses values the schema allows. Each is a located problem instead.
READ_FORMATS = {"string": {"default", "uri"}}  # a uri is an http(s) address: the dataset rule checks it (checks/generic.py)
READ_ITEM_TYPES = {"string"}  # a list's items are text; the keys layer checks them against what they reference
NUMBER_OPTIONS = {"decimalChar": ".", "groupChar": None, "bareNumber": True}  # each option and the value read (None: none)
DEFAULT_WORDS = {"string": "any text (or write format \"uri\" for a web address)", "number": "a number", "integer": "an integer", **WORDS}


def format_faults(field: dict) -> list[str]:
    """What a field asks of its cells' writing that this validator does not read, each said with what to do
    instead."""
    kind = field.get("type", "string")
    if not isinstance(kind, str):
        return []  # the profile says so
    faults = []
    form = field.get("format", "default")
    if form != "default" and form not in READ_FORMATS.get(kind, set()):
        faults.append(f"format {_shown_json(form)} is not checked by this validator; remove 'format' and write the cells "
                      f"in the default format: {DEFAULT_WORDS.get(kind, 'as Table Schema writes the type')}")
    for key in ("itemType", "arrayItem"):
        if key in field and not (key == "itemType" and field[key] in READ_ITEM_TYPES):
            faults.append(f"{key} {_shown_json(field[key])} is not checked by this validator, which reads a list's "
                          "items as text: remove it (or write itemType \"string\")")
    for key, read in NUMBER_OPTIONS.items():
        if key in field and field[key] != read:
            faults.append(f"{key} {_shown_json(field[key])} is not checked by this validator, which reads numbers as "
                          "Table Schema writes them by default (digits, an optional sign, '.' for decimals, no "
                          f"grouping or currency sign): remove {key} and write the numbers so")
    missing = field.get("missingValues", [""])
    if missing != [""]:
        faults.append(missing_values_fault(missing))
    return faults


def missing_values_fault(missing) -> str:
    """missingValues other than the default, of a field or a schema: only an empty cell is read as missing."""
    return (f"missingValues {_shown_json(missing)} is not read by this validator, which takes an empty cell, and "
            "only that, as missing: remove missingValues and leave missing cells empty")


def _shown_json(value) -> str:
    return shown(json.dumps(value, ensure_ascii=False), 60, quoted=False)
