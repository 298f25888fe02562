"""The findings of the 2026-12 hostile tester on the descriptor and schemas: a value of the wrong type, a
field listed twice, a lone surrogate, a hidden control character, a link path padded with whitespace. Each
builds the hostile package and expects the exact message; no command ends in a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from peacetalks.validation.report import shown

BOUND = 120  # seconds: a bound on a hang, never a speed test
NOT_A_PACKAGE = "datapackage.json not a valid Data Package: The data package has an error: "
NOTHING_WRITTEN = "; nothing was written: `peacetalks validate` lists every problem"


def cli(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "peacetalks", *args], capture_output=True, text=True, timeout=BOUND,
                          **kwargs)


def named(items: list[dict], name: str) -> dict:
    return next(item for item in items if item["name"] == name)


def write_escaped(pkg, relative: str, change) -> None:
    """Like pkg.edit_json, but the JSON written in ASCII: a lone surrogate can only be written escaped (\\ud800)."""
    data = json.loads(pkg.path(relative).read_text())
    change(data)
    pkg.path(relative).write_text(json.dumps(data, indent=2, ensure_ascii=True))


# -- 1: a value of the wrong type ------------------------------------------------------------------------------

@pytest.mark.parametrize("key,value,said", [
    ("licenses", "x", "'x' is not of type 'array' at property 'licenses'"),
    ("licenses", ["x"], "'x' is not of type 'object' at property 'licenses/0'"),
    ("keywords", 5, "5 is not of type 'array' at property 'keywords'"),
    ("description", ["x"], "['x'] is not of type 'string' at property 'description'"),
])
def test_a_descriptor_value_of_the_wrong_type_is_located_and_docs_refuses_it(pkg, tmp_path, key, value, said):
    pkg.edit_json("datapackage.json", lambda d: d.update({key: value}))
    assert pkg.problems() == [NOT_A_PACKAGE + said]
    result = cli("docs", str(pkg.descriptor), "--out", str(tmp_path / "codebook.md"))
    assert (result.returncode, result.stderr) == (1, f"peacetalks: {NOT_A_PACKAGE}{said}{NOTHING_WRITTEN}\n")
    assert not (tmp_path / "codebook.md").exists()


def test_field_constraints_that_are_not_an_object_are_located_and_crash_nothing(pkg, tmp_path):
    pkg.edit_json("schemas/actors.json", lambda s: named(s["fields"], "actor_type").update(constraints="x"))
    said = "schemas/actors.json not a valid Table Schema: field 'actor_type': 'x' is not of type 'object' at property 'constraints'"
    assert pkg.problems() == [said]
    for command in (["docs", str(pkg.descriptor), "--out", str(tmp_path / "codebook.md")], ["stats", str(pkg.descriptor)],
                    ["diff", str(pkg.descriptor), str(pkg.descriptor)]):  # these read a package mid-curation
        result = cli(*command)
        assert (result.returncode, result.stderr) == (0, ""), command
    for command in (["export", str(pkg.descriptor), "--out", str(tmp_path / "exports")],
                    ["site", str(pkg.descriptor), "--out", str(tmp_path / "site")]):
        result = cli(*command)
        assert result.returncode == 1 and "Traceback" not in result.stderr and said in result.stderr, command


@pytest.mark.parametrize("value", [{"a": 1}, ["string"]])
def test_a_field_type_that_is_not_text_is_located(pkg, value):
    pkg.edit_json("schemas/actors.json", lambda s: named(s["fields"], "actor_type").update(type=value))
    assert pkg.problems() == [f"schemas/actors.json not a valid Table Schema: field 'actor_type': field type "
                              f"\"{value}\" is not supported"]


@pytest.mark.parametrize("value", [["ISO-3166-1-alpha-3"], {"a": 1}, None])
def test_an_x_codelist_that_is_not_text_is_located(pkg, value):
    from peacetalks.validation.descriptor import KNOWN_CODELISTS

    pkg.edit_json("schemas/actors.json", lambda s: named(s["fields"], "country").update({"x-codelist": value}))
    assert pkg.problems() == [f"schemas/actors.json field 'country': x-codelist {json.dumps(value)} is not the name of "
                              f"a code list; write one of {', '.join(sorted(KNOWN_CODELISTS))}, or remove it"]


def test_a_source_without_a_title_is_located_and_export_refuses_it(pkg, tmp_path):
    pkg.edit_json("datapackage.json", lambda d: d["sources"].__setitem__(0, {"path": "https://example.org/a"}))
    said = "datapackage.json sources[0] has no title; every source needs one (text): add it"
    assert pkg.problems() == [said]
    result = cli("export", str(pkg.descriptor), "--out", str(tmp_path / "exports"))
    assert result.returncode == 1 and "Traceback" not in result.stderr and said in result.stderr


@pytest.mark.parametrize("roles", [5, "creator", [5]])
def test_contributor_roles_that_are_not_a_list_of_text_are_located(pkg, roles):
    pkg.edit_json("datapackage.json", lambda d: d["contributors"][0].update(roles=roles))
    assert pkg.problems() == [f"datapackage.json contributors[0].roles {json.dumps(roles)} is not a list of roles; "
                              'write one such as ["creator"]']


# -- 2: a field listed twice -------------------------------------------------------------------------------

TWICE = "schemas/accounts.json lists the field 'quote' twice; a field is listed once: remove or rename all but the first"


def _quote_twice_in_the_schema(pkg) -> None:
    pkg.edit_json("schemas/accounts.json", lambda s: s["fields"].append(dict(s["fields"][-1])))


def _quote_twice_in_the_header(pkg) -> None:
    lines = pkg.path("data/accounts.csv").read_text().splitlines()
    pkg.path("data/accounts.csv").write_text("".join(f"{line},{line.rsplit(',', 1)[1]}\n" for line in lines))


def test_a_field_listed_twice_in_the_schema_is_located(pkg):
    _quote_twice_in_the_schema(pkg)
    assert pkg.problems() == [TWICE]


def test_a_field_twice_in_both_schema_and_header_is_located_and_crashes_no_command(pkg, tmp_path):
    _quote_twice_in_the_schema(pkg)
    _quote_twice_in_the_header(pkg)
    assert pkg.problems() == ["data/accounts.csv:1 header: column 'quote' appears more than once", TWICE]
    for command in (["stats", str(pkg.descriptor)], ["diff", str(pkg.descriptor), str(pkg.descriptor)],
                    ["docs", str(pkg.descriptor), "--out", str(tmp_path / "codebook.md")]):
        result = cli(*command)
        assert (result.returncode, result.stderr) == (0, ""), command


def test_a_column_twice_in_the_header_alone_is_said_once(pkg):
    _quote_twice_in_the_header(pkg)
    assert pkg.problems() == ["data/accounts.csv:1 header: column 'quote' appears more than once"]


# -- 3: a lone surrogate -------------------------------------------------------------------------------------

SURROGATE_SAID = ("{where} {path}: text {text} holds \\ud800, half of a UTF-16 pair alone, which is no character and "
                  "cannot be written to any file: remove it or write the character meant")


def test_a_lone_surrogate_in_the_title_is_located_and_refused_by_every_writer(pkg, tmp_path):
    write_escaped(pkg, "datapackage.json", lambda d: d.update(title="Peace\ud800talks"))
    said = SURROGATE_SAID.format(where="datapackage.json", path="title", text="'Peace\\ud800talks'")
    assert pkg.problems() == [said]
    result = cli("docs", str(pkg.descriptor), "--out", str(tmp_path / "codebook.md"))
    assert (result.returncode, result.stderr) == (1, f"peacetalks: {said}; nothing was read\n")
    for command in (["export", str(pkg.descriptor), "--out", str(tmp_path / "exports")],
                    ["site", str(pkg.descriptor), "--out", str(tmp_path / "site")]):
        result = cli(*command)
        assert result.returncode == 1 and "Traceback" not in result.stderr and said in result.stderr, command


def test_a_lone_surrogate_in_a_field_title_is_located(pkg):
    write_escaped(pkg, "schemas/actors.json", lambda s: named(s["fields"], "role").update(title="R\ud800"))
    index = pkg.fields("actors").index("role")
    assert pkg.problems() == [SURROGATE_SAID.format(where="schemas/actors.json", path=f"fields[{index}].title",
                                                    text="'R\\ud800'")]


def test_a_lone_surrogate_in_a_field_name_is_refused_by_stats_and_diff_in_one_line(pkg):
    write_escaped(pkg, "schemas/accounts.json", lambda s: named(s["fields"], "note").update(name="no\ud800te"))
    index = pkg.fields("accounts").index("no\ud800te")
    said = (f"schemas/accounts.json fields[{index}].name: name 'no\\ud800te' holds \\ud800, half of a UTF-16 pair "
            "alone, which is no character and cannot be written to any file: remove it or write the character meant")
    problems = pkg.problems()
    assert said in problems
    assert not [p for p in problems if "validator bug" in p], problems  # third re-test (F7): columns check crashed
    result = cli("stats", str(pkg.descriptor))
    assert (result.returncode, result.stderr) == (1, f"peacetalks: {said}; nothing was read\n")
    result = cli("diff", str(pkg.descriptor), str(pkg.descriptor))
    assert (result.returncode, result.stderr) == (1, f"peacetalks: cannot read the old version ({pkg.descriptor}): "
                                                     f"{said}; nothing was read\n")


# -- 4: C1 controls, line separators, bidirectional controls ------------------------------------------------

@pytest.mark.parametrize("character", ["\x85", "\x9b", "\u2028", "\u2029", "\u202e", "\u2066", "\u200f", "\u061c", "\u200b", "\u2060", "\ufeff", "\u180e",
                                       "\U000e0041", "\ufff9", "\u206a", "\ufffe"])  # hostile round 4 (B2)
def test_an_invisible_control_in_descriptor_text_is_located_and_shown_escaped(pkg, character):
    pkg.edit_json("datapackage.json", lambda d: d.update(description=f"a{character}b"))
    escaped = character.encode("unicode_escape").decode()
    assert pkg.problems() == [f"datapackage.json description: text 'a{escaped}b' holds the control or invisible character "
                              f"{escaped}; remove it"]


def test_a_control_in_a_licence_title_is_located(pkg):
    pkg.edit_json("datapackage.json", lambda d: d["licenses"][0].update(title="CC\u202eBY"))
    assert pkg.problems() == ["datapackage.json licenses[0].title: text 'CC\\u202eBY' holds the control or invisible character "
                              "\\u202e; remove it"]


def test_letters_quotes_dashes_and_no_break_spaces_stay_valid_text(pkg):
    text = "Переговори «миру» – “Ukraine’s” — café\u00a02025 … عربي 日本"
    pkg.edit_json("datapackage.json", lambda d: d.update(description=text))
    pkg.edit_json("schemas/actors.json", lambda s: named(s["fields"], "role").update(title=text))
    assert pkg.problems() == []


# -- 5: a link path padded or broken by whitespace ----------------------------------------------------------

PADDED = "starts or ends with whitespace, which a browser drops before it follows the link: remove it"


@pytest.mark.parametrize("key,value,why", [
    ("licenses", " javascript:alert(1)", PADDED),
    ("sources", "javascript:alert(1) ", PADDED),
    ("contributors", "\u00a0javascript:alert(1)", PADDED),
    ("licenses", "\njavascript:alert(1)", PADDED),
    ("licenses", "java\tscript:alert(1)", "holds the control character \\t, which a browser drops before it follows "
                                          "the link: remove it"),
    ("sources", "java\nscript:alert(1)", "holds the control character \\n, which a browser drops before it follows "
                                         "the link: remove it"),
])
def test_a_link_path_with_whitespace_or_a_control_is_located(pkg, key, value, why):
    pkg.edit_json("datapackage.json", lambda d: d[key][0].update(path=value))
    assert pkg.problems() == [f"datapackage.json {key}[0].path {shown(value)} {why}"]


@pytest.mark.parametrize("value", ["JAVASCRIPT:alert(1)", "//evil.example/x", "\\\\evil\\x", "corpus\\x.txt",
                                   "https://evil.example/\u202etxt.exe"])
def test_the_scheme_check_cannot_be_bypassed(pkg, value):
    pkg.edit_json("datapackage.json", lambda d: d["licenses"][0].update(path=value))
    problems = pkg.problems()
    assert len(problems) == 1 and problems[0].startswith(f"datapackage.json licenses[0]")


# -- 6: keys the profile lets pass that peacetalks cannot honour (third hostile re-test, F13, F14) ----------

def extra_field(pkg, field: dict, value: str) -> None:
    """Add `field` to the issues table, every row holding `value`."""
    pkg.edit_json("schemas/issues.json", lambda s: s["fields"].append({"name": "extra", **field}))
    pkg.write_rows("issues", [{**row, "extra": value} for row in pkg.rows("issues")])


BOUND_SAID = "; a bound is written as a value of the field's type"


@pytest.mark.parametrize("field,value,said", [
    ({"type": "year", "constraints": {"minimum": "2000"}}, "2021", '"2000" is not a year as a number (2024)' + BOUND_SAID),
    ({"type": "date", "constraints": {"minimum": 5}}, "2021-02-03", "5 is not a date (YYYY-MM-DD)" + BOUND_SAID),
    ({"type": "date", "constraints": {"maximum": "2021-02-30"}}, "2021-02-03", '"2021-02-30" is not a date (YYYY-MM-DD)' + BOUND_SAID),
    ({"type": "integer", "constraints": {"minimum": True}}, "3", "true is not an integer" + BOUND_SAID),
    ({"type": "string", "constraints": {"minLength": -3}}, "x", "-3 is not a length; write a whole number of 0 or more"),
])
def test_a_bound_the_field_cannot_use_is_located_and_not_handed_to_pandera(pkg, field, value, said):
    """A bound of the wrong type made pandera compare text with a number and report that a check 'could not run'."""
    extra_field(pkg, field, value)
    key = next(iter(field["constraints"]))
    assert pkg.problems() == [f"schemas/issues.json field 'extra': constraints.{key} {said}"]


@pytest.mark.parametrize("field,value,failing", [
    ({"type": "year", "constraints": {"maximum": 2000}}, "2021", "less_than_or_equal_to(2000)"),
    ({"type": "date", "constraints": {"maximum": "2020-01-01"}}, "2021-02-03", "less_than_or_equal_to(2020-01-01)"),
    ({"type": "string", "constraints": {"maxLength": 2}}, "2021", "str_length(None, 2)"),
])
def test_a_bound_of_the_right_type_is_still_checked(pkg, field, value, failing):
    extra_field(pkg, field, value)
    problems = pkg.problems()
    assert problems and all(p.endswith(f"extra: '{value}' fails the check {failing}") for p in problems)


@pytest.mark.parametrize("categories,said", [
    ("x", 'categories "x" is not a list; write a list of the values, or of {"value", "label"} objects'),
    (5, 'categories 5 is not a list; write a list of the values, or of {"value", "label"} objects'),
    ([{"label": "no value"}], 'categories holds {"label": "no value"}, which is neither a value nor a {"value", "label"} '
                              "object with a text label"),
    ([["a"]], 'categories holds ["a"], which is neither a value nor a {"value", "label"} object with a text label'),
])
def test_categories_that_are_not_a_list_of_values_are_located(pkg, categories, said):
    extra_field(pkg, {"type": "string", "categories": categories}, "")
    assert pkg.problems() == [f"schemas/issues.json field 'extra': {said}"]


@pytest.mark.parametrize("key,value,accepted", [
    ("encoding", "utf-16", "utf-8"), ("encoding", "latin-1", "utf-8"), ("format", "xlsx", "csv"),
    ("mediatype", "application/vnd.ms-excel", "text/csv"),
])
def test_a_table_said_to_be_other_than_utf8_csv_is_located(pkg, key, value, accepted):
    pkg.edit_json("datapackage.json", lambda d: named(d["resources"], "issues").update({key: value}))
    assert pkg.problems() == [f"datapackage.json resource 'issues': {key} {json.dumps(value)} is not supported: peacetalks "
                              f"reads each table as a CSV file in UTF-8; save it so and write {key} \"{accepted}\" (or "
                              "leave it out)"]


@pytest.mark.parametrize("field,said", [
    ({"type": "string", "constraints": {"minimum": 3}}, 'constraint "minimum" is not supported by type "string"'),
    ({"type": "string", "constraints": {"maxLength": "9"}}, "'9' is not of type 'integer' at property 'constraints/maxLength'"),
])
def test_what_the_profile_says_of_a_constraint_is_said_once_and_never_reaches_pandera(pkg, field, said):
    extra_field(pkg, field, "x")
    assert pkg.problems() == [f"schemas/issues.json not a valid Table Schema: field 'extra': {said}"]


def test_utf8_csv_said_in_any_case_is_accepted(pkg):
    pkg.edit_json("datapackage.json", lambda d: named(d["resources"], "issues").update(encoding="UTF-8", format="CSV"))
    assert pkg.problems() == []


def test_a_compressed_table_is_located(pkg):
    pkg.edit_json("datapackage.json", lambda d: named(d["resources"], "issues").update(compression="gz"))
    assert pkg.problems() == ["datapackage.json resource 'issues': compression is not supported: peacetalks reads each "
                              "table as a plain CSV file; save it uncompressed and remove compression"]


@pytest.mark.parametrize("pattern,said", [
    ("[", "is not a valid regular expression (missing ]: [); correct it"),
    ("a{2,1}", "is not a valid regular expression (invalid repetition size: {2,1}); correct it"),
    ("(?<!a)b", "cannot be matched in linear time (invalid perl operator: (?<!); Table Schema patterns are XML Schema "
                "regular expressions, without look-around or back-references: write it without them"),
])
def test_a_broken_pattern_is_said_to_be_broken_not_slow(pkg, pattern, said):
    pkg.edit_json("schemas/issues.json", lambda s: named(s["fields"], "label").setdefault("constraints", {}).update(pattern=pattern))
    assert pkg.problems() == [f"schemas/issues.json field 'label': pattern {shown(pattern)} {said}"]


# -- 6: descriptor text that export copies into a cell and a spreadsheet would run (hostile round 5, #21) -----

FORMULA_CELL = ("and export copies it into a table cell (the SQLite file's metadata tables, which Datasette serves as "
                "CSV), where a spreadsheet would evaluate it as a formula (CSV injection); reword it to start otherwise")


def test_descriptor_and_schema_text_that_starts_as_a_formula_is_located(pkg):
    """A title, description, contributor or category label starting with '=' reached package_metadata,
    table_metadata and column_metadata, and Datasette's CSV of them, unchanged."""
    def descriptor(d):
        d.update(description='=HYPERLINK("http://evil.example","x")')
        d["contributors"][0]["title"] = "@SUM(1+1)"
        next(r for r in d["resources"] if r["name"] == "accounts")["title"] = "+cmd"
    pkg.edit_json("datapackage.json", descriptor)
    pkg.edit_json("schemas/demands.json", lambda s: named(s["fields"], "stance")["categories"][0].update(label="-2+3"))
    problems = pkg.problems()
    assert [p for p in problems if "formula" in p] == [
        f"datapackage.json contributors[0].title: text '@SUM(1+1)' starts with '@', {FORMULA_CELL}",
        f"datapackage.json description: text '=HYPERLINK(\"http://evil.example\",\"x\")' starts with '=', {FORMULA_CELL}",
        f"datapackage.json resources[{resource_index(pkg, 'accounts')}].title: text '+cmd' starts with '+', {FORMULA_CELL}",
        f"schemas/demands.json fields[5].categories[0].label: text '-2+3' starts with '-', {FORMULA_CELL}",
    ]
    assert len(problems) == 4, problems


def test_a_name_or_pattern_starting_with_a_dash_is_not_cell_text(pkg):
    """Only the texts export writes into cells are judged: a pattern may start with '-' (no cell holds it)."""
    pkg.edit_json("schemas/demands.json", lambda s: named(s["fields"], "text").setdefault("constraints", {}).update(
        pattern="-?.*|.*"))
    assert [p for p in pkg.problems() if "formula" in p] == []


def resource_index(pkg, name):
    import json
    return [r["name"] for r in json.loads(pkg.descriptor.read_text())["resources"]].index(name)


def test_every_faulty_descriptor_text_is_a_problem_of_its_own(pkg):
    """Hostile round 6 (F3): past 20 a file, the control and formula rules made up one 'N more texts' problem, so
    --all and --format json did not list every problem and the counts were wrong (36 said as 32)."""
    pkg.edit_json("datapackage.json", lambda d: d.update(keywords=[f"=k{i}" for i in range(25)],
                                                        description="a\x1bb", title="x\u202ey"))
    problems = pkg.problems()
    assert len([p for p in problems if "starts with '='" in p]) == 25
    assert f"datapackage.json keywords[24]: text '=k24' starts with '=', {FORMULA_CELL}" in problems
    assert len([p for p in problems if "control or invisible character" in p]) == 2 and len(problems) == 27
