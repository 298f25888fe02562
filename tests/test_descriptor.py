"""Layer 1: the descriptor and the Table Schemas."""

import pytest


def test_truncated_descriptor(pkg):
    text = pkg.descriptor.read_text()
    pkg.descriptor.write_text(text[: len(text) // 2])
    [problem] = pkg.problems()
    assert problem.startswith("datapackage.json:") and " not valid JSON: " in problem


def test_missing_descriptor(pkg):
    pkg.descriptor.unlink()
    assert pkg.problems() == [f"{pkg.descriptor} file not found"]  # the path as given: which folder matters


def test_descriptor_not_an_object(pkg):
    pkg.descriptor.write_text("[1, 2]")
    assert pkg.problems() == ["datapackage.json must hold a JSON object, not list"]


def test_descriptor_against_profile(pkg):
    pkg.edit_json("datapackage.json", lambda d: d["resources"][2].update(path=5))
    assert ("datapackage.json not a valid Data Package: The data resource has an error: "
            "5 is not of type 'string' at property 'path'") in pkg.problems()


def test_missing_resource_file(pkg):
    pkg.path("data/events.csv").unlink()
    assert "data/events.csv file not found (resource 'events')" in pkg.problems()


def test_missing_schema_file(pkg):
    pkg.path("schemas/events.json").unlink()
    assert "schemas/events.json file not found" in pkg.problems()


def test_invalid_table_schema(pkg):
    pkg.edit_json("schemas/figures.json", lambda s: s["fields"][3].update(type="numeric"))
    assert ('schemas/figures.json not a valid Table Schema: field \'value\': field type "numeric" is not supported'
            in pkg.problems())


def test_foreign_key_to_unknown_resource(pkg):
    pkg.edit_json("schemas/demands.json", lambda s: s["foreignKeys"][0]["reference"].update(resource="people"))
    assert "schemas/demands.json foreign key refers to resource 'people', which the package does not have" in pkg.problems()


def test_foreign_key_to_unknown_field(pkg):
    pkg.edit_json("schemas/demands.json", lambda s: s["foreignKeys"][0]["reference"].update(fields=["id"]))
    assert "schemas/demands.json foreign key refers to 'actors.id', which is not a field" in pkg.problems()


def test_primary_key_on_unknown_field(pkg):
    pkg.edit_json("schemas/issues.json", lambda s: s.update(primaryKey=["issue"]))
    assert "schemas/issues.json primaryKey names 'issue', which is not a field" in pkg.problems()


def test_categories_disagree_with_enum(pkg):
    pkg.edit_json("schemas/demands.json", lambda s: next(f for f in s["fields"] if f["name"] == "kind")["categories"].pop())
    assert ("schemas/demands.json field 'kind': categories and constraints.enum list different values"
            in pkg.problems())


def test_unknown_codelist(pkg):
    pkg.edit_json("schemas/actors.json", lambda s: next(f for f in s["fields"] if f["name"] == "country").update({"x-codelist": "iso3166-9"}))
    assert any(p.startswith("schemas/actors.json field 'country': unknown x-codelist 'iso3166-9'") for p in pkg.problems())


def test_schema_not_used_by_any_resource(pkg):
    pkg.edit_json("datapackage.json", lambda d: d["resources"].pop())
    assert "schemas/accounts.json is not the schema of any resource in the descriptor" in pkg.problems()


def test_truncated_descriptor_is_located_by_file_and_line(pkg):
    from peacetalks.validation.engine import validate

    pkg.descriptor.write_text('{\n  "name": "x",\n  "resources": [\n')
    [problem] = validate(pkg.descriptor)
    assert (problem.file, problem.line) == ("datapackage.json", 4)
    assert problem.message.startswith("not valid JSON: ")


def test_unreadable_schema_is_located_by_file_and_line(pkg):
    from peacetalks.validation.engine import validate

    pkg.path("schemas/issues.json").write_text('{"fields": [\n')
    problems = [p for p in validate(pkg.descriptor) if p.file == "schemas/issues.json"]
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [(2, "not valid JSON")]


def test_frictionless_is_left_with_its_plugins(pkg):
    """The descriptor check lends frictionless its core plugins alone (speed); a library user's own frictionless
    calls afterwards find every plugin, as before."""
    import frictionless

    vars(frictionless.system).pop("plugins", None)
    vars(frictionless.system).pop("methods", None)
    assert pkg.problems() == []
    assert "plugins" not in vars(frictionless.system)
    assert {"csv", "excel", "json"} <= set(frictionless.system.plugins)


# -- a way of writing cells the validator does not read is refused, not let pass unread (hostile round 4, B3) --

def _change_field(pkg, name, **changes):
    pkg.edit_json("schemas/demands.json", lambda s: next(f for f in s["fields"] if f["name"] == name).update(changes))


def test_a_date_in_a_format_of_its_own_is_refused(pkg):
    """`%d/%m/%Y` reached pandera, which let any text pass as such a date."""
    _change_field(pkg, "date", type="date", format="%d/%m/%Y", constraints={})
    assert pkg.problems() == ["schemas/demands.json field 'date': format \"%d/%m/%Y\" is not checked by this validator; "
                              "remove 'format' and write the cells in the default format: a date (YYYY-MM-DD)"]


def test_format_any_is_refused(pkg):
    _change_field(pkg, "scale_min", format="any")
    assert pkg.problems() == ["schemas/demands.json field 'scale_min': format \"any\" is not checked by this validator; "
                              "remove 'format' and write the cells in the default format: an integer"]


def test_a_list_of_integers_is_refused(pkg):
    _change_field(pkg, "scale_note", type="list", itemType="integer")
    assert pkg.problems() == ["schemas/demands.json field 'scale_note': itemType \"integer\" is not checked by this "
                              "validator, which reads a list's items as text: remove it (or write itemType \"string\")"]


def test_a_group_character_of_numbers_is_refused(pkg):
    _change_field(pkg, "scale_min", groupChar=",")
    assert pkg.problems() == [
        "schemas/demands.json field 'scale_min': groupChar \",\" is not checked by this validator, which reads numbers as "
        "Table Schema writes them by default (digits, an optional sign, '.' for decimals, no grouping or currency "
        "sign): remove groupChar and write the numbers so"]


def test_missing_values_other_than_empty_are_refused(pkg):
    pkg.edit_json("schemas/demands.json", lambda s: s.update(missingValues=["", "NA"]))
    assert pkg.problems() == ["schemas/demands.json missingValues [\"\", \"NA\"] is not read by this validator, which "
                              "takes an empty cell, and only that, as missing: remove missingValues and leave missing "
                              "cells empty"]


def test_the_formats_the_validator_reads_are_accepted(pkg):
    _change_field(pkg, "scale_note", itemType="string", format="default")
    _change_field(pkg, "text", format="default", decimalChar=".", bareNumber=True, missingValues=[""])
    assert pkg.problems() == []


# -- a name export and release refuse, validate refuses too (hostile round 4, B10) ----------------------------

UNSAFE = ("cannot be used in a file name: use letters, digits and single '.', '-' or '_' between them, at most 100 "
          "characters (like 'ukraine-peace-talks' or '0.1.0')")


@pytest.mark.parametrize("key,value", [("name", "../../escape"), ("version", "../../../x"), ("name", "/tmp/abs")])
def test_a_package_name_or_version_unfit_for_a_file_name_is_refused(pkg, key, value):
    pkg.edit_json("datapackage.json", lambda d: d.update({key: value}))
    assert pkg.problems() == [f"datapackage.json {key} {value!r} {UNSAFE}"]


def test_a_version_or_resource_named_like_a_windows_device_is_refused(pkg):
    """`Con.1` or a resource `aux` would name `aux.csv` and `Con.1.zip`, which Windows cannot create."""
    def rename(descriptor):
        descriptor["version"] = "Con.1"
        next(r for r in descriptor["resources"] if r["name"] == "accounts")["name"] = "aux"
    pkg.edit_json("datapackage.json", rename)
    device = ("is a name Windows keeps for a device (CON, PRN, AUX, NUL, COM0 to COM9, LPT0 to LPT9): a file named "
              "after it cannot be created there; rename it")
    problems = pkg.problems()
    assert f"datapackage.json version 'Con.1' {device}" in problems
    assert f"datapackage.json resource 'aux': {device}" in problems


def test_a_resource_named_dot_dot_is_refused(pkg):
    """'..' is a Data Package resource name (lower-case letters, digits, '.', '_', '-'), but export names files after it."""
    def rename(descriptor):
        next(r for r in descriptor["resources"] if r["name"] == "accounts")["name"] = ".."
    pkg.edit_json("datapackage.json", rename)
    assert f"datapackage.json resource '..': {UNSAFE}" in pkg.problems()


# -- a schema that cannot be read is one problem, not a cascade (hostile round 4, B9) --------------------------

@pytest.mark.parametrize("table", ["issues", "actors"])  # referenced by five tables; referenced by most
def test_an_unreadable_schema_is_said_once_and_its_table_skipped_in_one_line(pkg, table):
    """A broken schema made every column of its table 'not in the schema' and every foreign key to it 'not a
    field': 38 lines for one fault."""
    pkg.path(f"schemas/{table}.json").write_text('{"fields": [')
    assert pkg.problems() == [
        f"data/{table}.csv not checked: its schema schemas/{table}.json cannot be read (said there); fix the schema "
        "and validate again",
        f"schemas/{table}.json:1 not valid JSON: Expecting value (column 13)"]


def test_an_unreadable_actors_schema_does_not_make_every_digest_item_name_no_outlet(pkg):
    """With the actors table unread there are no outlets to credit, and each of the real package's digest
    rows was said to credit an outlet the source does not name (16 lines for one fault)."""
    import shutil
    from conftest import REPO

    for table in ["actors", "demands", "events", "proposals", "figures", "accounts", "aid_programs"]:
        shutil.copyfile(REPO / "data" / f"{table}.csv", pkg.path(f"data/{table}.csv"))
    assert pkg.problems() == []  # the real tables, digest rows included
    pkg.path("schemas/actors.json").write_text('{"fields": [')
    assert pkg.problems() == [
        "data/actors.csv not checked: its schema schemas/actors.json cannot be read (said there); fix the schema "
        "and validate again",
        "schemas/actors.json:1 not valid JSON: Expecting value (column 13)"]


def test_a_missing_schema_is_said_once(pkg):
    pkg.path("schemas/issues.json").unlink()
    assert pkg.problems() == [
        "data/issues.csv not checked: its schema schemas/issues.json cannot be read (said there); fix the schema and "
        "validate again",
        "schemas/issues.json file not found"]
