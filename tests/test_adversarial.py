"""The findings of the 2026-12 adversarial report (issue 16): each builds the hostile package and expects the
exact refusal. S1 (the network) is tested in test_network.py."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

JS = "justsecurity-2024-trump-endgame-ukraine"
BOUND = 120  # seconds: a bound on a hang, never a speed test


def cli(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "peacetalks", *args], capture_output=True, text=True, timeout=BOUND,
                          **kwargs)


def named(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


# -- S5: the toolkit, not the package's schemas, decides where each file lives -----------------------------

def test_s5_a_corpus_path_outside_corpus_is_refused_even_without_the_schemas_pattern(pkg):
    pkg.path(".git").mkdir()
    pkg.path(".git/config").write_text("[http]\n\textraheader = AUTHORIZATION: basic SECRET\n")

    def drop_pattern(schema):
        field = next(f for f in schema["fields"] if f["name"] == "corpus_path")
        field.get("constraints", {}).pop("pattern", None)
    pkg.edit_json("schemas/sources.json", drop_pattern)
    line = pkg.set_cell("sources", 0, "corpus_path", ".git/config")
    problems = pkg.problems()
    assert (f"data/sources.csv:{line} source_id={JS} corpus_path: '.git/config' names a hidden file or folder (a name "
            "starting with '.'); the package's files are never hidden; it was not read") in problems
    assert not any("SECRET" in p or "AUTHORIZATION" in p for p in problems)


def test_s5_a_corpus_path_in_another_folder_of_the_package_is_refused(pkg):
    line = pkg.set_cell("sources", 0, "corpus_path", "schemas/actors.json")
    assert (f"data/sources.csv:{line} source_id={JS} corpus_path: 'schemas/actors.json' is not in corpus/; peacetalks "
            "reads such a file only from there: move it and write its path from the package root; it was not read"
            ) in pkg.problems()


@pytest.mark.parametrize("key,path,expected", [
    ("path", "corpus/actors.csv", "path 'corpus/actors.csv' is not in data/; peacetalks reads such a file only from "
                                  "there: move it and write its path from the package root; it was not read"),
    ("path", "data/.env", "path 'data/.env' names a hidden file or folder (a name starting with '.'); the package's "
                          "files are never hidden; it was not read"),
    ("path", "data/actors.csv/", "path 'data/actors.csv/' ends with '/'; it must name a file, not a folder; it was not read"),
    ("schema", "data/actors.json", "schema 'data/actors.json' is not in schemas/; peacetalks reads such a file only "
                                   "from there: move it and write its path from the package root"),
])
def test_s5_resource_and_schema_paths_stay_in_their_folders(pkg, key, path, expected):
    pkg.edit_json("datapackage.json", lambda d: named(d, "actors").update({key: path}))
    assert f"datapackage.json resource 'actors': {expected}" in pkg.problems()


def test_s5_a_link_out_of_the_folder_is_refused(pkg):
    pkg.path("data/actors.csv").rename(pkg.path("corpus/actors.csv"))
    pkg.path("data/actors.csv").symlink_to("../corpus/actors.csv")
    assert ("datapackage.json resource 'actors': path 'data/actors.csv' leads out of data/ through a symbolic link; "
            "such a file is read only there; it was not read") in pkg.problems()


# -- S6: the descriptor itself ------------------------------------------------------------------------------

def test_s6_a_descriptor_that_is_a_link_is_refused_unread(pkg, tmp_path):
    secret = tmp_path / "creds.json"
    secret.write_text(json.dumps({"name": "CANARY-TOKEN", "resources": [{"name": "CANARY-TOKEN-res"}]}))
    pkg.descriptor.unlink()
    pkg.descriptor.symlink_to(secret)
    result = cli("validate", str(pkg.descriptor))
    assert result.returncode == 1 and "CANARY" not in result.stdout + result.stderr
    assert result.stdout == (f"{pkg.descriptor} is a symbolic link; the descriptor is read only as a regular file, "
                             "never through a link: replace the link with the file\n1 problem found.\n")


def test_s6_a_descriptor_that_is_a_fifo_is_refused_at_once(pkg):
    pkg.descriptor.unlink()
    import os
    os.mkfifo(pkg.descriptor)
    result = cli("validate", str(pkg.descriptor))
    assert result.stdout == ("datapackage.json is not a regular file (a FIFO, device or socket); only regular files "
                             "are read\n1 problem found.\n")


# -- S2, S3, B7: a site that runs only its own script ------------------------------------------------------

HOSTILE_README = """# A package

<script>__x('script')</script>

<img src=x onerror="__x('img')">

<svg onload="__x('svg')"></svg> <iframe src="http://127.0.0.1:9/frame"></iframe>

[click](javascript:__x('link')) [data](data:text/html,<script>__x('data')</script>) [vb](VBScript:x)
[web](https://example.org/page) [mail](mailto:someone@example.org) [codebook](docs/codebook.md#tables)

![leak](.git/config) ![env](.env) ![venv](.venv/pyvenv.cfg) ![remote](http://127.0.0.1:9/img.png)
![picture](docs/site.png) ![vector](docs/evil.svg)
"""


@pytest.fixture
def hostile_site(pkg, tmp_path):
    pkg.path("README.md").write_text(HOSTILE_README)
    pkg.path("docs").mkdir()
    pkg.path("docs/codebook.md").write_text("# Codebook\n\n## Tables\n")
    pkg.path("docs/site.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    pkg.path("docs/evil.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="__x()"/>')
    pkg.path(".git").mkdir()
    pkg.path(".git/config").write_text("extraheader = AUTHORIZATION: basic SECRET\n")
    pkg.path(".env").write_text("TOKEN=SECRET\n")
    pkg.set_cell("actors", 2, "role", "https://phish.example/login")
    from peacetalks.site import build_site

    out = tmp_path / "site"
    build_site(pkg.descriptor, out)
    return out


def test_s2_markdown_raw_html_is_text_and_only_safe_links_remain(hostile_site):
    page = (hostile_site / "readme.html").read_text()
    main = page[page.index("<main"):]
    for raw in ("<script>", "<img src=x", "<svg", "<iframe"):
        assert raw not in main
    assert "&lt;script&gt;__x('script')&lt;/script&gt;" in main and "&lt;iframe" in main
    hrefs = re.findall(r'href="([^"]*)"', main)
    assert not [h for h in hrefs if re.match(r"(?i)\s*(javascript|data|vbscript):", h)]
    assert "https://example.org/page" in hrefs and "mailto:someone@example.org" in hrefs
    assert "codebook.html#tables" in hrefs
    assert not re.search(r"<[^>]*\son[a-z]+=", main)


def test_s2_every_page_carries_a_content_security_policy_for_its_own_script_only(hostile_site):
    policy = ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src \'self\'; '
              'style-src \'self\'; img-src \'self\' data:; base-uri \'none\'; form-action \'none\'">')
    pages = list(hostile_site.rglob("*.html"))
    assert pages and all(policy in page.read_text() for page in pages)
    for page in pages:
        head = page.read_text().split("</head>")[0]
        assert head.index(policy) < head.index("<script")  # in force before any script


def test_s3_no_file_is_published_because_a_page_names_it(hostile_site):
    published = {p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*") if p.is_file()}
    assert not [p for p in published if "/." in p or p.startswith(".") and p != ".peacetalks-site"]
    assert "downloads/docs/site.png" in published and "downloads/docs/evil.svg" not in published
    assert "SECRET" not in "".join(p.read_text(errors="replace") for p in hostile_site.rglob("*") if p.is_file())
    main = (hostile_site / "readme.html").read_text().split("<main")[1]
    assert re.findall(r'<img src="([^"]*)"', main) == ["downloads/docs/site.png"]
    assert "[image: leak]" in main and "[image: remote]" in main and "[image: vector]" in main


def test_b7_only_address_columns_become_links(hostile_site):
    html = "".join(p.read_text() for p in hostile_site.rglob("*.html"))
    assert 'href="https://phish.example/login"' not in html and "https://phish.example/login" in html
    links = re.findall(r'<a href="(https?://[^"]*)"([^>]*)>', html)
    assert links and all(attrs == ' rel="external nofollow noopener noreferrer"' for _, attrs in links
                         if "example.org" not in _)


# -- S4: licence and source paths ------------------------------------------------------------------------

@pytest.mark.parametrize("key,value", [("licenses", "javascript:alert(document.domain)"),
                                       ("licenses", "data:text/html,<script>x()</script>"),
                                       ("sources", "JavaScript:x()"), ("sources", "/etc/passwd"),
                                       ("sources", "../elsewhere.txt")])
def test_s4_a_licence_or_source_path_must_be_aweb_address_or_a_package_path(pkg, key, value):
    pkg.edit_json("datapackage.json", lambda d: d[key][0].update(path=value))
    from peacetalks.validation.report import shown

    assert pkg.problems() == [f"datapackage.json {key}[0].path {shown(value)} is neither an http(s) address nor a "
                              "relative path of the package; a link may lead only to a web page or a file of the "
                              "package: write one"]


def test_s4_datasette_never_links_a_licence_path_that_is_not_aweb_address(pkg):
    from peacetalks.publish.datasette import web_address

    assert web_address("javascript:alert(1)") == "" and web_address("https://x.org/a") == "https://x.org/a"
    assert web_address("corpus/x.txt") == "" and web_address(None) == ""


# -- S7: stats and positions escape what they print ---------------------------------------------------------

EVIL = "Evil\x1b]0;pwned\x07\x1b[2J\u202eTXT"


def test_s7_stats_escapes_control_and_bidi_characters(pkg):
    pkg.set_cell("demands", 0, "actor_id", EVIL)
    result = cli("stats", str(pkg.descriptor))
    assert result.returncode == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "\u202e" not in result.stdout
    assert "Evil\\x1b]0;pwned\\x07\\x1b[2J\\u202eTXT" in result.stdout


INVISIBLE = "\u061c\u200b\ufeff\u2061\u180e\xad\U000e0041"  # format characters: a look-alike id


def test_s7_stats_escapes_invisible_format_characters(pkg):
    """Hostile re-test of 2026-12-05: U+061C, U+200B, U+FEFF, U+2061 and U+180E passed through stats and
    positions unescaped (only controls and bidi marks were), so two ids could print alike."""
    pkg.set_cell("demands", 0, "actor_id", f"united{INVISIBLE}-states")
    result = cli("stats", str(pkg.descriptor))
    assert "united\\u061c\\u200b\\ufeff\\u2061\\u180e\\xad\\U000e0041-states" in result.stdout
    assert not set(INVISIBLE) & set(result.stdout)


def test_s7_stats_json_escapes_them_as_json_does(pkg):
    import json

    pkg.set_cell("demands", 0, "actor_id", f"united{INVISIBLE}{EVIL}")
    result = cli("stats", "--format", "json", str(pkg.descriptor))
    assert result.returncode == 0 and not (set(INVISIBLE) | set(EVIL)) - set("EvilTX]0;pwned[2J") & set(result.stdout)
    texts = set()
    json.loads(result.stdout, object_hook=lambda pairs: texts.update(v for v in pairs.values() if isinstance(v, str)))
    assert f"united{INVISIBLE}{EVIL}" in texts  # the same text, read back


def test_s7_positions_escapes_what_it_prints():
    import pandas as pd
    from peacetalks.analysis.positions import render_text

    table = pd.DataFrame({"proposition_id": ["p"], "plan": [""], "statement": ["S\u202e"], "actor": [EVIL], "stance": ["support"],
                          "counts": ["support 1"]})
    text = render_text(table, "actor")
    assert text == "p: S\\u202e\n  Evil\\x1b]0;pwned\\x07\\x1b[2J\\u202eTXT  support (support 1)"


# -- S8: the formula rule, whatever the declared type --------------------------------------------------------

@pytest.mark.parametrize("declared", ["any", "date", "boolean"])
def test_s8_a_formula_is_refused_whatever_type_the_schema_declares(pkg, declared):
    def retype(schema):
        field = next(f for f in schema["fields"] if f["name"] == "metric")
        field["type"] = declared
        field.pop("constraints", None)
    pkg.edit_json("schemas/figures.json", retype)
    line = pkg.set_cell("figures", 0, "metric", '=HYPERLINK("http://x","y")')
    expected = (f"data/figures.csv:{line} figure_id=js24-tariff-cost metric: '=HYPERLINK(\"http://x\",\"y\")' starts "
                "with '=', so a spreadsheet opening the CSV would evaluate it as a formula (CSV injection); reword it "
                "to start otherwise")
    assert expected in pkg.problems()


def test_s8_a_negative_number_is_not_a_formula(pkg):
    line = pkg.set_cell("figures", 0, "value", "-5")
    assert not any("formula" in p for p in pkg.problems())


# -- B10, B6.3, B6.4: control characters and braces in the descriptor and schemas -------------------------

def test_b10_control_characters_in_descriptor_text_are_located(pkg):
    pkg.edit_json("datapackage.json", lambda d: d.update(title="T\x1b[31mRED"))
    assert pkg.problems() == ["datapackage.json title: text 'T\\x1b[31mRED' holds the control or invisible character \\x1b; remove it"]


def test_b6_a_newline_in_a_field_name_is_located(pkg):
    def rename(schema):
        next(f for f in schema["fields"] if f["name"] == "metric")["name"] = "me\ntric"
    pkg.edit_json("schemas/figures.json", rename)
    problems = pkg.problems()
    assert "schemas/figures.json fields[1].name: name 'me\\ntric' holds the control or invisible character \\n; remove it" in problems


def test_b6_braces_in_a_field_name_do_not_hide_the_date_problem(pkg):
    name = "period_end{0.__class__}"
    def rename(schema):
        next(f for f in schema["fields"] if f["name"] == "period_end")["name"] = name
    pkg.edit_json("schemas/figures.json", rename)
    rows = pkg.rows("figures")
    for row in rows:
        row[name] = row.pop("period_end")
    rows[1][name] = "2025-02-30"
    pkg.write_rows("figures", rows)
    problems = pkg.problems()
    assert (f"data/figures.csv:3 figure_id=mdz25-recruits-per-day {name}: '2025-02-30' is not a real date: no such day "
            "or month, a season other than 21-24, or an interval that ends before it starts") in problems
    assert not any("could not run" in p for p in problems)


# -- B4, B5: release names and sizes ------------------------------------------------------------------------

@pytest.fixture
def release_tree(tmp_path):
    from peacetalks.publish import release

    root = tmp_path / "tree"
    for folder in release.FOLDERS + release.TOOLKIT_FOLDERS:
        (root / folder).mkdir(parents=True)
    for name in release.FILES + ["README.md"] + release.TOOLKIT_FILES:
        (root / name).write_text("x\n")
    return root


def test_b4_a_file_name_that_would_forge_a_sha256sums_line_is_refused(release_tree):
    from peacetalks.validation.package import PackageError
    from peacetalks.publish.release import release_paths

    (release_tree / "docs" / ("x\n" + "0" * 64 + "  CHANGELOG.md")).write_text("")
    with pytest.raises(PackageError) as caught:
        release_paths(release_tree)
    from peacetalks.validation.report import shown

    name = "docs/x\n" + "0" * 64 + "  CHANGELOG.md"
    assert str(caught.value) == (f"cannot release: the file name {shown(name)} holds a control or invisible "
                                 "character, a backslash or bytes that are not UTF-8, which would forge or break a line of SHA256SUMS; rename the file")


def test_b4_a_backslash_in_a_name_is_refused(release_tree):
    from peacetalks.validation.package import PackageError
    from peacetalks.publish.release import release_paths, safe_entry

    (release_tree / "docs" / "a\\b.md").write_text("")
    with pytest.raises(PackageError, match="holds a control or invisible character, a backslash"):
        release_paths(release_tree)
    with pytest.raises(PackageError, match="would be written outside"):
        safe_entry("top", "docs/x\n0000  CHANGELOG.md")


def test_b5_a_file_over_the_release_limit_is_refused_unread(release_tree):
    from peacetalks.validation.package import PackageError
    from peacetalks.publish.release import MAX_FILE_BYTES, release_paths

    with open(release_tree / "docs" / "big.bin", "wb") as sparse:
        sparse.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used, and never read
    with pytest.raises(PackageError) as caught:
        release_paths(release_tree)
    assert str(caught.value) == (f"cannot release: 'docs/big.bin' is {MAX_FILE_BYTES + 1:,} bytes; the limit is "
                                 f"{MAX_FILE_BYTES:,} bytes a file: remove it from the package")


# -- B8: every library's temporary files go when the command is stopped --------------------------------------

HANGING_COMMAND = """
import sys, tempfile, time
from peacetalks import cli

@cli.main.command("hang")
def hang():
    handle, name = tempfile.mkstemp(prefix="openpyxl.")  # as openpyxl does while it writes a worksheet
    print(name, flush=True)
    time.sleep(60)

sys.argv = ["peacetalks", "hang"]
cli.run()
"""


@pytest.mark.parametrize("signum,code", [(2, 130), (15, 143)])
def test_b8_temporary_files_of_libraries_are_removed_on_a_signal(tmp_path, signum, code):
    import os

    env = {**os.environ, "TMPDIR": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-c", HANGING_COMMAND], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env)
    name = Path(process.stdout.readline().strip())
    assert name.exists() and name.parent.parent == tmp_path
    process.send_signal(signum)
    _, err = process.communicate(timeout=BOUND)
    assert process.returncode == code and err.endswith("; stopped\n")
    assert list(tmp_path.iterdir()) == []


# -- B1, B2, B3, B9: the site scales and recovers ----------------------------------------------------------

def test_b1_charts_past_their_limit_aggregate_or_sample_and_say_so():
    import pandas as pd
    from peacetalks.site import charts

    many = pd.DataFrame({"column": [f"issue-{i % 40}" for i in range(60_000)],
                         "colour": ["support", "oppose", "conditional"] * 20_000})
    bars = charts.positions_per_column(many, "Issue", "Stance", ["support", "conditional", "oppose"])
    assert bars.svg.startswith("<svg") and "60000 positions" in bars.alt_text
    figures = pd.DataFrame({"label": [f"f{i}" for i in range(7_020)], "value": range(7_020), "low": None, "high": None,
                            "qualifier": "exact", "href": "#"})
    drawn = charts.figures_for_unit(figures, "USD")
    assert drawn.svg.startswith("<svg")
    assert drawn.alt_text.endswith(f"Too many to draw: {charts.FIGURE_LINES:,} of the 7,020 figures, evenly spaced, are "
                                   "shown; the tables hold them all.")


def test_b2_a_failed_build_leaves_out_as_it_was_and_the_next_build_works(pkg, tmp_path, monkeypatch):
    from peacetalks import site as site_module
    from peacetalks.site import build_site
    from peacetalks.site.pages import Pages

    out = tmp_path / "site"
    build_site(pkg.descriptor, out)
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))

    def broken(self):
        yield "index.html", "half"
        raise KeyboardInterrupt  # as Ctrl-C would, halfway
    monkeypatch.setattr(Pages, "all", broken)
    with pytest.raises(KeyboardInterrupt):
        build_site(pkg.descriptor, out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg", "site"]  # no half-built folder left beside it
    monkeypatch.undo()
    build_site(pkg.descriptor, out)
    assert (out / site_module.MARKER).is_file() and (out / "index.html").read_text() != "half"


def test_b2_an_interrupted_first_build_leaves_nothing(pkg, tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "peacetalks", "site", "--out", str(tmp_path / "out"),
                                str(pkg.descriptor)], stderr=subprocess.PIPE, text=True)
    import time
    deadline = time.monotonic() + BOUND
    while not any(p.name.startswith(".out.building-") for p in tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(15)
    _, err = process.communicate(timeout=BOUND)
    assert process.returncode == 143 and err == "peacetalks: terminated; stopped\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]
    assert cli("site", "--out", str(tmp_path / "out"), str(pkg.descriptor)).returncode == 0


def test_b3_page_names_stay_short_and_distinct():
    from peacetalks.site.model import MAX_NAME, safe_name

    assert safe_name("é1") != safe_name("\u0e91") and safe_name("é1") == "~0000e91"
    long_a, long_b = "a" * 260, "a" * 259 + "b"
    assert len(safe_name(long_a)) == MAX_NAME and safe_name(long_a) != safe_name(long_b)
    assert safe_name(long_a).startswith("a" * 82 + "~~")
    assert safe_name("x" * MAX_NAME) == "x" * MAX_NAME


def test_b3_a_valid_260_character_id_builds(pkg, tmp_path):
    from peacetalks.site import build_site

    long_id = "a" * 260
    for table, column in (("actors", "actor_id"), ("demands", "actor_id"), ("proposals", "proposed_by")):
        rows = pkg.rows(table)
        for row in rows:
            row[column] = long_id if row[column] == "volodymyr-zelensky" else row[column]
        pkg.write_rows(table, rows)
    assert pkg.problems() == []
    built = build_site(pkg.descriptor, tmp_path / "site")
    assert any(p.name.startswith("a" * 82 + "~~") for p in (built.out / "actors").iterdir())


def test_b9_under_an_address_space_limit_the_site_says_so_in_one_line(pkg, tmp_path):
    import resource

    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, 4 * 2**30))
    result = subprocess.run([sys.executable, "-m", "peacetalks", "site", "--out", str(tmp_path / "out"),
                             str(pkg.descriptor)], capture_output=True, text=True, timeout=BOUND, preexec_fn=limited)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("peacetalks: the chart engine (vl-convert) cannot start under this address-space "
                                    "limit (ulimit -v 4,194,304 kB)")
    assert not (tmp_path / "out").exists()


def test_b9_under_a_data_limit_too_low_for_the_chart_engine_the_site_says_so_in_one_line(pkg, tmp_path):
    import resource

    def limited():
        resource.setrlimit(resource.RLIMIT_DATA, (400 * 2**20, 400 * 2**20))
    result = subprocess.run([sys.executable, "-m", "peacetalks", "site", "--out", str(tmp_path / "out"),
                             str(pkg.descriptor)], capture_output=True, text=True, timeout=BOUND, preexec_fn=limited)
    assert result.returncode == 1 and result.stderr == (
        "peacetalks: the chart engine (vl-convert) cannot start under this data limit (ulimit -d 409,600 kB): it needs "
        "about 600 MB to start; raise the limit (the site of a 200,000-row package builds under ulimit -d 3000000)\n")
    assert not (tmp_path / "out").exists()


def test_b9_under_a_data_limit_the_old_probe_passed_the_site_builds(pkg, tmp_path):
    """Under ulimit -d 900,000 kB a tiny chart drawn in a child passed, then V8 aborted the build itself (SIGTRAP,
    "Failed to reserve virtual memory for CodeRange"), leaving a half-built folder and the private temporary one.
    The charts are now drawn in that child: the build holds no V8, and the site is built."""
    import resource

    def limited():
        resource.setrlimit(resource.RLIMIT_DATA, (900_000 * 1024, 900_000 * 1024))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    result = cli("site", "--out", str(tmp_path / "out"), str(pkg.descriptor), preexec_fn=limited,
                 env={**os.environ, "TMPDIR": str(scratch)})
    assert result.returncode == 0 and result.stdout.startswith(f"wrote {tmp_path / 'out' / 'index.html'}: ")
    assert result.stderr == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "pkg", "tmp"] and list(scratch.iterdir()) == []


# Stands in for vl-convert's process: it draws the smallest chart, then aborts as V8 does when it cannot reserve memory.
ABORTING_ENGINE = """
import os, signal, struct, sys
sys.stdin.buffer.read(struct.unpack(">I", sys.stdin.buffer.read(4))[0])
svg = b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'
sys.stdout.buffer.write(b"s" + struct.pack(">I", len(svg)) + svg)
sys.stdout.buffer.flush()
sys.stdin.buffer.read(4)
sys.stderr.write("\\n#\\n# Fatal process out of memory: Failed to reserve virtual memory for CodeRange\\n#\\n")
sys.stderr.flush()
os.kill(os.getpid(), signal.SIGTRAP)
"""


def test_b9_the_chart_engine_aborting_midway_is_one_line_and_leaves_out_as_it_was(pkg, tmp_path, monkeypatch):
    from peacetalks import site as site_module
    from peacetalks.site import charts
    from peacetalks.validation.package import PackageError

    site_module.build_site(pkg.descriptor, tmp_path / "out")
    before = sorted(p.relative_to(tmp_path) for p in (tmp_path / "out").rglob("*"))
    engine = tmp_path / "engine.py"
    engine.write_text(ABORTING_ENGINE)
    monkeypatch.setattr(charts, "ENGINE_SCRIPT", engine)
    with pytest.raises(PackageError) as error:
        site_module.build_site(pkg.descriptor, tmp_path / "out")
    assert str(error.value) == (
        "the chart engine (vl-convert) stopped while drawing the site's charts (killed by SIGTRAP; V8: out of memory: "
        f"Failed to reserve virtual memory for CodeRange; no limit set); {tmp_path / 'out'} is as it was; raise or "
        "remove the memory limit (the site of a 200,000-row package builds under ulimit -d 3000000)")
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "out").rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["engine.py", "out", "pkg"]  # no staging folder left


def test_b9_a_build_killed_midway_leaves_a_folder_the_next_build_removes(pkg, tmp_path):
    """SIGKILL runs no clean-up: the half-built folder stays beside --out. It is marked as the site's from its
    start and named with its process, so the next build removes it, once that process is gone."""
    import signal
    import time

    process = subprocess.Popen([sys.executable, "-m", "peacetalks", "site", "--out", str(tmp_path / "out"),
                                str(pkg.descriptor)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + BOUND
    while not list(tmp_path.glob(".out.building-*")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    stale = list(tmp_path.glob(".out.building-*"))
    assert [p.name.startswith(f".out.building-{process.pid}-") and (p / ".peacetalks-site").is_file()
            for p in stale] == [True]
    # Beside it: a folder a running build owns (this process), and one without the site's mark: both left alone.
    running = tmp_path / f".out.building-{os.getpid()}-running"
    unmarked = tmp_path / f".out.building-{process.pid}-unmarked"
    for folder in (running, unmarked):
        folder.mkdir()
    (running / ".peacetalks-site").write_text("")
    result = cli("site", "--out", str(tmp_path / "out"), str(pkg.descriptor))
    assert result.returncode == 0 and result.stderr == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out", "pkg", running.name, unmarked.name])


def test_b9_an_old_site_moved_aside_by_a_killed_build_is_removed_too(pkg, tmp_path):
    from peacetalks.site import build_site

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    aside = tmp_path / f".out.old-{int(dead.stdout)}-x1y2"
    (aside / "site").mkdir(parents=True)
    (aside / "site" / ".peacetalks-site").write_text("")
    build_site(pkg.descriptor, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "pkg"]


def test_b9_a_data_limit_caps_the_build_s_memory(pkg, tmp_path):
    """`ulimit -d` is a real cap: V8's address-space reservations do not count against it, as they do against
    `ulimit -v`. 3,000,000 kB is what the docs give for a package of up to 200,000 rows (`make bench` measures it)."""
    import resource

    def limited():
        resource.setrlimit(resource.RLIMIT_DATA, (3_000_000 * 1024, 3_000_000 * 1024))
    result = subprocess.run([sys.executable, "-m", "peacetalks", "site", "--out", str(tmp_path / "out"),
                             str(pkg.descriptor)], capture_output=True, text=True, timeout=BOUND, preexec_fn=limited)
    assert result.returncode == 0 and result.stdout.startswith(f"wrote {tmp_path / 'out' / 'index.html'}: ")


def test_b9_running_out_of_memory_while_building_is_one_line_and_leaves_out_as_it_was(pkg, tmp_path, monkeypatch):
    from peacetalks import site as site_module
    from peacetalks.validation.package import PackageError

    site_module.build_site(pkg.descriptor, tmp_path / "out")
    before = sorted(p.relative_to(tmp_path) for p in (tmp_path / "out").rglob("*"))

    def exhausted(*args, **kwargs):
        raise MemoryError
    monkeypatch.setattr(site_module, "_build_into", exhausted)
    with pytest.raises(PackageError) as error:
        site_module.build_site(pkg.descriptor, tmp_path / "out")
    assert str(error.value) == (f"out of memory while building the site (no limit set); {tmp_path / 'out'} is as it was; "
                                "raise the limit (the site of a 200,000-row package builds under ulimit -d 3000000)")
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "out").rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "pkg"]  # no staging folder left behind


# -- B6: validator gaps ------------------------------------------------------------------------------------

def test_b6_a_repeated_header_column_takes_the_first_columns_values(pkg):
    text = pkg.path("data/figures.csv").read_text()
    header, rest = text.split("\n", 1)
    pkg.path("data/figures.csv").write_text(header.replace(",metric,", ",figure_id,", 1) + "\n" + rest)
    problems = pkg.problems()
    assert not any("Projected annual cost" in p and "figure_id=" in p.split(" ")[1] for p in problems)
    assert all(p.startswith("data/figures.csv:1 ") for p in problems), problems


def test_b6_an_empty_list_delimiter_is_a_located_problem(pkg):
    def empty(schema):
        next(f for f in schema["fields"] if f["name"] == "participants")["delimiter"] = ""
    pkg.edit_json("schemas/events.json", empty)
    problems = pkg.problems()
    assert ("schemas/events.json field 'participants': delimiter \"\" cannot split a list; give one character such as "
            "';' (or leave it out for ',')") in problems
    assert not any("validator bug" in p or "could not" in p for p in problems)


@pytest.mark.parametrize("delimiter, shown_as", [("\n", '"\\n"'), ('"', '"\\""'), ("\t", '"\\t"')])
def test_b6_a_list_delimiter_that_is_csv_syntax_is_a_located_problem(pkg, delimiter, shown_as):
    """Hostile re-test of 2026-12-05: a line break as the list delimiter was accepted."""
    def change(schema):
        next(f for f in schema["fields"] if f["name"] == "participants")["delimiter"] = delimiter
    pkg.edit_json("schemas/events.json", change)
    assert (f"schemas/events.json field 'participants': delimiter {shown_as} cannot split a list; give one character "
            "such as ';' (or leave it out for ',')") in pkg.problems()


def test_b6_a_field_name_that_is_a_formula_is_a_located_problem(pkg):
    """Hostile re-test of 2026-12-05: a header cell `=HYPERLINK(1)`, named so in the schema too, passed:
    a spreadsheet opening the CSV evaluates it."""
    pkg.edit_json("schemas/figures.json", lambda schema: schema["fields"].append({"name": "=HYPERLINK(1)", "type": "string"}))
    rows = pkg.rows("figures")
    pkg.write_rows("figures", rows)
    assert ("schemas/figures.json field '=HYPERLINK(1)': a name starting with '=' heads a column of the CSV, and a "
            "spreadsheet opening it would evaluate it as a formula (CSV injection); rename it") in pkg.problems()


def test_b6_a_field_named_like_a_derived_column_is_refused_by_validate(pkg):
    def add(schema):
        schema["fields"].append({"name": "date_first_day", "type": "string"})
    pkg.edit_json("schemas/events.json", add)
    rows = pkg.rows("events")
    for row in rows:
        row["date_first_day"] = ""
    pkg.write_rows("events", rows)
    assert pkg.problems() == ["schemas/events.json field 'date_first_day' has the name of the day column derived "
                              "from date; rename it"]


# -- issue 16.6: a report a person can read, at any size -----------------------------------------------------

def test_the_text_report_prints_ten_of_a_kind_then_how_many_more(pkg):
    rows = pkg.rows("figures")
    template = rows[0]
    rows = [dict(template, figure_id=f"js24-tariff-cost-{i}", value="abc") for i in range(25)]
    pkg.write_rows("figures", rows)
    result = cli("validate", str(pkg.descriptor))
    lines = result.stdout.splitlines()
    typed = [line for line in lines if line.endswith("value: 'abc' is not a number")]
    assert len(typed) == 10
    assert ("data/figures.csv value: 15 more problems of the rule 'type' not shown (25 in all; `validate --all` or "
            "`--format json` lists every one)") in lines
    everything = cli("validate", "--all", str(pkg.descriptor)).stdout.splitlines()
    assert len([line for line in everything if line.endswith("value: 'abc' is not a number")]) == 25
    assert lines[-1] == everything[-1] and lines[-1].endswith("problems found.")
    as_json = json.loads(cli("validate", "--format", "json", str(pkg.descriptor)).stdout)
    assert len([p for p in as_json["problems"] if p["rule"] == "type" and p["column"] == "value"]) == 25


def test_one_more_problem_is_said_in_the_singular():
    from peacetalks.validation.report import Problem, render_text

    problems = [Problem("columns", "type", "data/x.csv", "bad", line) for line in range(2, 13)]
    assert render_text(problems, 10).splitlines()[-2] == ("data/x.csv: 1 more problem of the rule 'type' not shown (11 "
                                                          "in all; `validate --all` or `--format json` lists every one)")


def test_problems_cut_before_they_are_made_give_the_report_of_every_problem_cut_after(pkg):
    """validate_for_reading makes at most ten problems of a kind per check (Table.keep) and counts the rest;
    its report must be the one made from every problem (what `--all` and `--format json` hold), cut after."""
    from peacetalks.validation.engine import validate, validate_for_reading
    from peacetalks.validation.report import render_text

    template = pkg.rows("figures")[0]
    rows = [dict(template, figure_id=f"JS24-Tariff-{i:02d}", value="abc", source_id="nowhere",
                 unit=f"{template['unit']} ") for i in range(30)]
    pkg.write_rows("figures", rows + rows[:12])  # every row broken in five ways, twelve of them twice (said once)
    every = validate(pkg.descriptor)
    kept, totals = validate_for_reading(pkg.descriptor, None, 10)
    kinds = {}
    for problem in every:
        kinds[problem.file, problem.rule, problem.column] = kinds.get((problem.file, problem.rule, problem.column), 0) + 1
    assert totals == kinds and sorted(kinds.values())[-2:] == [30, 30]  # counted, though never made
    assert len(kept) < len(every) and all(
        sum(1 for p in kept if (p.file, p.rule, p.column) == kind) == min(count, 10) for kind, count in kinds.items())
    assert {p.rule for p in kept} >= {"type", "pattern", "foreign-key", "whitespace", "duplicate-row"}
    assert render_text(kept, 10, totals) == render_text(every, 10)


def test_a_table_that_keeps_a_few_problems_words_only_those_and_counts_the_rest(pkg):
    from peacetalks.validation.package import open_package
    from peacetalks.validation.structure import read_table

    package, _ = open_package(pkg.descriptor)
    table, _ = read_table(package, package.resource("issues"), keep=2)
    worded = []

    def messages(picked):
        worded.append(picked.tolist())
        return [f"row {i}" for i in picked.tolist()]
    found = table.problems_at("columns", "type", [5, 1, 3], "label", messages)  # the first lines are kept
    assert [(p.line, p.message) for p in found] == [(table.lines[1], "row 1"), (table.lines[3], "row 2")]
    assert worded == [[1, 2]] and table.dropped == {("data/issues.csv", "type", "label"): 1}


@pytest.mark.parametrize("link, target", [("CHANGELOG.md", ".git/config"), ("README.md", ".git/config"),
                                          ("docs/coding-manual.md", "../.git/config"), ("LICENSE", "data/../.git/config")])
def test_the_site_publishes_no_own_file_that_is_a_link(tmp_path, pkg, link, target):
    """Hostile re-test of 2026-12-05: `CHANGELOG.md -> .git/config` stays inside the package, and the site
    copied it to downloads/.git/config (docs and release already refused the link). A link is now left out
    of the site, whatever it points at, and nothing hidden is published."""
    from peacetalks.site import build_site

    pkg.path(".git").mkdir()
    pkg.path(".git/config").write_text("extraheader = AUTHORIZATION: basic SECRET\n")
    pkg.path(link).parent.mkdir(exist_ok=True)
    pkg.path(link).unlink(missing_ok=True)
    pkg.path(link).symlink_to(target)
    build_site(pkg.descriptor, tmp_path / "site")
    published = [p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*") if p.is_file()]
    assert not [p for p in published if "/." in p or p.startswith(".") and p != ".peacetalks-site"], published
    assert not [p for p in published if p.endswith(link)], published
    assert "SECRET" not in "".join((tmp_path / "site" / p).read_text(errors="replace") for p in published)


def test_the_site_publishes_nothing_from_a_docs_folder_that_is_a_link(tmp_path, pkg):
    from peacetalks.site import build_site

    pkg.path(".hidden").mkdir()
    pkg.path(".hidden/codebook.md").write_text("# SECRET\n")
    pkg.path(".hidden/site.png").write_bytes(b"\x89PNG SECRET")
    pkg.path("docs").symlink_to(".hidden")
    build_site(pkg.descriptor, tmp_path / "site")
    text = "".join(p.read_text(errors="replace") for p in (tmp_path / "site").rglob("*") if p.is_file())
    assert "SECRET" not in text and not (tmp_path / "site/downloads/docs").exists()


def test_page_names_differ_on_a_file_system_that_ignores_case_and_avoid_windows_devices():
    """Hostile re-test of 2026-12-05: keys `Foo` and `foo` became Foo.html and foo.html, one file on macOS
    and Windows; a key `con` became con.html, which Windows cannot create."""
    from peacetalks.site.model import safe_name

    assert safe_name("Foo") == "~000046oo" and safe_name("foo") == "foo"
    assert safe_name("con") == "~000063on" and safe_name("com1") == "~000063om1" and safe_name("con1") == "con1"
    keys = ["Foo", "foo", "FOO", "con", "~000063on", "CON", "nul", "a.b"]
    names = [safe_name(k) for k in keys]
    assert len({n.lower() for n in names}) == len(keys) and not {n.lower() for n in names} & {"con", "nul"}


def test_the_site_walks_no_exports_folder_that_is_a_link(tmp_path, pkg, monkeypatch):
    """Hostile re-test of 2026-12-05 (F3): `exports -> /` made the site list the whole file system (11 s,
    then an error naming a path outside); a linked exports/ is left out of the downloads, never walked."""
    import pathlib

    from peacetalks.site import build_site

    walked, rglob = [], pathlib.Path.rglob
    monkeypatch.setattr(pathlib.Path, "rglob", lambda self, pattern: walked.append(self.name) or rglob(self, pattern))

    outside = tmp_path / "elsewhere"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "x.csv").write_text("SECRET\n")
    pkg.path("exports").symlink_to(outside)
    build_site(pkg.descriptor, tmp_path / "site")
    assert not (tmp_path / "site/downloads/exports").exists() and "exports" not in walked


def test_an_image_whose_name_is_not_utf8_is_left_out_of_the_site(tmp_path, pkg):
    """Hostile re-test of 2026-12-05 (F4): docs/x<FF>.png ended the site build in a UnicodeEncodeError."""
    from peacetalks.site import build_site

    pkg.path("docs").mkdir(exist_ok=True)
    (pkg.path("docs") / os.fsdecode(b"x\xff.png")).write_bytes(b"\x89PNG\r\n")
    for name in ("a\u202egnp.png", "b\u3164.png"):  # round 6: published, where release refuses the same tree
        (pkg.path("docs") / name).write_bytes(b"\x89PNG\r\n")
    (pkg.path("docs") / "fine.png").write_bytes(b"\x89PNG\r\n")
    build_site(pkg.descriptor, tmp_path / "site")
    assert sorted(p.name for p in (tmp_path / "site/downloads/docs").iterdir()) == ["fine.png"]


def test_stats_on_a_table_whose_schema_is_not_an_object_is_no_traceback(pkg):
    """Hostile re-test of 2026-12-05 (F6): `schema: 5` on the sources resource ended stats in KeyError."""
    pkg.edit_json("datapackage.json", lambda d: next(r for r in d["resources"] if r["name"] == "sources").update(schema=5))
    result = cli("stats", str(pkg.descriptor))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr


HARD_LINK = ("is a hard link (2 names for one file); a package file must be its own: copy it to a new name and move "
             "the copy over it, or remove it")


@pytest.mark.parametrize("name", ["docs/pic.png", "README.md", "CHANGELOG.md"])
def test_the_site_refuses_a_hard_link_and_writes_nothing(tmp_path, pkg, name):
    """Hostile re-test of round 4 (S1): a hard link to a file outside the package (made by a tar archive or
    a hostile checkout) passed the site's link check, and the outside file was published in downloads/ and
    as readme.html. It is refused on the file opened, by the helper every command reads with."""
    from peacetalks.site import build_site
    from peacetalks.validation.package import PackageError

    outside = tmp_path / "secret.txt"
    outside.write_text("SECRET\n")
    pkg.path(name).parent.mkdir(exist_ok=True)
    os.link(outside, pkg.path(name))
    with pytest.raises(PackageError) as refused:
        build_site(pkg.descriptor, tmp_path / "site")
    assert str(refused.value) == f"{name} {HARD_LINK}"
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("name", ["README.md", "docs/coding-manual.md", "CITATION.cff"])
def test_the_site_names_a_markdown_page_that_is_not_utf8(tmp_path, pkg, name):
    """Hostile re-test of round 4 (B7): a Latin-1 README.md or coding manual was left out of the site without a
    word. It is an error, as in `docs`: the site would lack the page and no one would know why."""
    from peacetalks.site import build_site
    from peacetalks.validation.package import PackageError

    pkg.path(name).parent.mkdir(exist_ok=True)
    pkg.path(name).write_bytes("# Notes\n\nCaf\u00e9.\n".encode("latin-1"))
    with pytest.raises(PackageError) as refused:
        build_site(pkg.descriptor, tmp_path / "site")
    assert str(refused.value) == (f"{name} line 3: not UTF-8: byte 12 (column 4) is 0xe9, which no UTF-8 text holds "
                                  "there; save it as UTF-8")
    assert not (tmp_path / "site").exists()


def test_the_home_page_shows_the_citation_with_unseen_characters_as_code_points(tmp_path, pkg):
    """CITATION.cff is shown on the home page as written: a bidirectional override in it was shown raw (and a
    CITATION.cff that could not be read was left out without a word; now named, as the README is)."""
    from peacetalks.site import build_site

    pkg.path("CITATION.cff").write_text("cff-version: 1.2.0\ntitle: Peace \u202etalks\u202c\n", encoding="utf-8")
    build_site(pkg.descriptor, tmp_path / "site")
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "title: Peace \u27e8U+202E\u27e9talks\u27e8U+202C\u27e9" in home and "\u202e" not in home


def test_unseen_characters_in_markdown_are_shown_as_their_code_points(tmp_path, pkg):
    """Hostile re-test of round 4 (B2, site part): bidirectional controls and invisible characters in the
    README reached readme.html raw, where a right-to-left override shows a text in another order. Each is
    written as its code point where it was, in text, code and link alike."""
    from peacetalks.site import build_site

    pkg.path("README.md").write_text("\ufeff# Read\u200bme\n\nPay \u202eevil\u202c now, `a\u2066b\u2069` and "
                                     "[link](https://example.org/\u2060x) \ufeff.\n", encoding="utf-8")
    build_site(pkg.descriptor, tmp_path / "site")
    main = (tmp_path / "site" / "readme.html").read_text(encoding="utf-8").split("<main")[1]
    for raw in "\ufeff\u200b\u202e\u202c\u2066\u2069\u2060":
        assert raw not in main
    assert "<h1 id=\"readu200bme\">Read\u27e8U+200B\u27e9me</h1>" in main
    assert "Pay \u27e8U+202E\u27e9evil\u27e8U+202C\u27e9 now" in main
    assert "<code>a\u27e8U+2066\u27e9b\u27e8U+2069\u27e9</code>" in main
    assert "\u27e8U+FEFF\u27e9." in main  # the mark that opens the file is left out, as GitHub does
