"""Datasette serves the SQLite export with the generated metadata: read back through its JSON API."""

import contextlib
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.error import URLError

import pytest
DATABASE = "ukraine-peace-talks"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


@contextlib.contextmanager
def serving(command: list[str], cwd=None):
    """Run `peacetalks serve` and yield its address once Datasette answers; stop it afterwards."""
    port = free_port()
    server = subprocess.Popen([*command, "--port", str(port)], cwd=cwd, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:  # ready when it answers; bounded, polling every 50 ms
            try:
                get(f"{base}/-/versions.json")
                break
            except (URLError, ConnectionError):
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "Datasette did not start within 60 s"
                time.sleep(0.05)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        server.stderr.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from conftest import build_package

    root = tmp_path_factory.mktemp("datasette")
    pkg = build_package(root / "pkg")
    # `peacetalks serve` (what `make serve` runs): exports the SQLite file and its metadata, then runs Datasette.
    with serving([sys.executable, "-m", "peacetalks", "serve", "--out", str(root / "out"), str(pkg.descriptor)]) as base:
        yield base, pkg
        assert sorted(p.name for p in (root / "out").iterdir()) == [f"{DATABASE}.datasette.json", f"{DATABASE}.sqlite"]


def test_serve_imports_nothing_from_the_package_folder(tmp_path):
    """`make serve` runs in the package's folder, and `python -m datasette` put that folder first on sys.path: a
    stranger's package shipping `asgi_csrf.py` (a module Datasette imports) ran its code, unseen, as Datasette
    served normally (adversarial round 5)."""
    from conftest import build_package

    pkg = build_package(tmp_path / "pkg")
    marker = tmp_path / "package-code-ran"
    (pkg.root / "asgi_csrf.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    (pkg.root / "datasette").mkdir()
    (pkg.root / "datasette" / "__init__.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    console_script = Path(sys.executable).with_name("peacetalks")  # what `make serve` runs: not `python -m`
    with serving([str(console_script), "serve", "--out", str(tmp_path / "out")], cwd=pkg.root) as base:
        assert get(f"{base}/-/versions.json")["datasette"]["version"]
    assert not marker.exists()


def test_licence_title_and_sources(served):
    base, pkg = served
    metadata = get(f"{base}/-/metadata.json")
    descriptor = json.loads(pkg.descriptor.read_text(encoding="utf-8"))
    assert (metadata["title"], metadata["license"]) == (descriptor["title"], "CC-BY-4.0")
    assert metadata["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert '<a href="https://www.justsecurity.org/105451/trumps-endgame-ukraine-war/">Trump&#x27;s Endgame' in metadata["description_html"]


def test_every_column_is_described(served):
    base, pkg = served
    tables = get(f"{base}/-/metadata.json")["databases"][DATABASE]["tables"]
    for resource in json.loads(pkg.descriptor.read_text(encoding="utf-8"))["resources"]:
        columns = tables[resource["name"]]["columns"]
        assert tables[resource["name"]]["description"] == resource["description"]
        for field in pkg.fields(resource["name"]):
            assert columns[field], f"{resource['name']}.{field} has no description"
    assert tables["figures"]["columns"]["period_start_first_day"].startswith("First day that `period_start` covers")


def test_foreign_keys_show_labels(served):
    base, _ = served
    rows = get(f"{base}/{DATABASE}/demands.json?_labels=on&_shape=array")
    freeze = next(r for r in rows if r["demand_id"] == "mdz25-ukraine-freeze")
    assert freeze["issue_id"] == {"value": "ceasefire", "label": "Ceasefire"}
    assert freeze["actor_id"] == {"value": "volodymyr-zelensky", "label": "Volodymyr Zelensky"}
    # a source without a title is labelled by its id, never null
    assert all(row["source_id"]["label"] == row["source_id"]["value"] for row in rows)


def test_canned_query(served):
    base, pkg = served
    queries = get(f"{base}/-/metadata.json")["databases"][DATABASE]["queries"]
    assert set(queries) == {"positions_of_a_side", "timeline_of_events", "figures_by_unit", "distance_on_an_issue"}
    assert get(f"{base}/{DATABASE}/distance_on_an_issue.json?issue=&_shape=array") == []  # no territory rows here
    rows = get(f"{base}/{DATABASE}/figures_by_unit.json?unit=USD&_shape=array")
    assert [(r["figure_id"], r["value"]) for r in rows] == [("js24-nuclear-cost", 756000000000.0),
                                                           ("js24-tariff-cost", 78000000000.0)]
    rows = get(f"{base}/{DATABASE}/positions_of_a_side.json?side=russia&_shape=array")
    assert [(r["demand_id"], r["actor_name"], r["in_positions"], r["message"]) for r in rows] == [
        ("js24-putin-no-nato", "Vladimir Putin", "no: hypothetical, a bargain the author imagines", None)]
    rows = get(f"{base}/{DATABASE}/positions_of_a_side.json?side=ukraine&_shape=array")
    # the state and its leader are one side: Zelensky's position is found by filtering on `ukraine`
    statement = {r["proposition_id"]: r["statement"] for r in pkg.rows("propositions")}
    freeze = next(r for r in pkg.rows("demands") if r["demand_id"] == "mdz25-ukraine-freeze")
    assert [(r["demand_id"], r["actor_id"], r["statement"]) for r in rows] == [
        ("mdz25-ukraine-freeze", "volodymyr-zelensky", statement[freeze["proposition_id"]])]
    timeline = get(f"{base}/{DATABASE}/timeline_of_events.json?_shape=array")
    assert [r["event_id"] for r in timeline] == [r["event_id"] for r in pkg.rows("events")]


def test_serve_without_datasette_says_how_to_get_it(pkg, tmp_path, monkeypatch):
    import importlib.util

    from click.testing import CliRunner

    from peacetalks.cli import main

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "datasette" else find_spec(name, *a))
    result = CliRunner().invoke(main, ["serve", "--out", str(tmp_path / "out"), str(pkg.descriptor)])
    assert (result.exit_code, result.output) == (1, "peacetalks: Datasette is not installed: `pip install datasette` "
                                                    "(or the toolkit's `serve` extra), then run this again\n")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("query, parameter, values", [("positions_of_a_side", "side", "russia, ukraine"),
                                                      ("figures_by_unit", "unit", "USD, persons")])
def test_canned_query_without_its_parameter_says_what_it_needs(served, query, parameter, values):
    base, _ = served
    rows = get(f"{base}/{DATABASE}/{query}.json?_shape=array")
    assert len(rows) == 1 and rows[0]["message"] == f"Add ?{parameter}= to the address, one of: {values}"
    rows = get(f"{base}/{DATABASE}/{query}.json?{parameter}=nowhere&_shape=array")
    assert len(rows) == 1 and rows[0]["message"] == f"No rows where {parameter} is nowhere; it is one of: {values}"


def test_positions_view_is_faceted_and_described(served):
    base, _ = served
    table = get(f"{base}/-/metadata.json")["databases"][DATABASE]["tables"]["positions"]
    assert table["facets"] == ["in_positions", "side", "actor_name", "stance"]
    assert table["columns"]["in_positions"].startswith("Whether `peacetalks positions` (by default) counts the row")
    facets = get(f"{base}/{DATABASE}/positions.json?_facet=side")["facet_results"]
    assert sorted((f["value"], f["count"]) for f in facets["side"]["results"]) == [("russia", 1), ("ukraine", 1)]
