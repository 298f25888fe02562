"""CITATION.cff is valid CFF 1.2.0 and agrees with the descriptor; the licences are declared."""

import json

import jsonschema
import yaml
from conftest import REPO

SCHEMA = REPO / "tests" / "data" / "cff-1.2.0.schema.json"  # see tests/data/README.md


def citation() -> dict:
    return yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))


def descriptor() -> dict:
    return json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))


def test_citation_is_valid_cff_1_2_0():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(citation())


def test_citation_agrees_with_the_descriptor():
    cff, package = citation(), descriptor()
    assert (cff["cff-version"], cff["type"], cff["license"]) == ("1.2.0", "dataset", "CC-BY-4.0")
    assert (cff["title"], cff["version"]) == (package["title"], package["version"])
    assert cff["authors"] == [{"name": "ukraine-peace-talks maintainers"}]
    assert set(package["keywords"]) <= set(cff["keywords"])


def test_licences_cover_data_and_code():
    licences = {lic["name"]: lic for lic in descriptor()["licenses"]}
    assert set(licences) == {"CC-BY-4.0", "MIT"}
    assert licences["MIT"]["path"] == "https://opensource.org/licenses/MIT"
    assert "MIT License" in (REPO / "LICENSE").read_text() and "ukraine-peace-talks maintainers" in (REPO / "LICENSE").read_text()
    data_licence = (REPO / "LICENSE-DATA.md").read_text()
    assert "CC-BY-4.0" in data_licence and "remain the property of their" in data_licence


def test_readme_cites_the_package_as_the_exports_do():
    import json

    from peacetalks.publish.metadata import citation

    descriptor = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    first_screen = (REPO / "README.md").read_text(encoding="utf-8").split("\n## ", 1)[0]
    assert citation(descriptor) in first_screen.replace("\n", " ")
    assert "CC-BY-4.0" in first_screen and "corpus/" in first_screen
