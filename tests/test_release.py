"""`peacetalks release`: a reproducible zip with SHA256SUMS, only from a checked package."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

import pytest
from click.testing import CliRunner
from conftest import JS, MDZ, REPO

from peacetalks.cli import main

VERSION = json.loads((Path(__file__).resolve().parent.parent / "datapackage.json").read_text())["version"]
TOP = f"ukraine-peace-talks-{VERSION}"


@pytest.fixture
def ready(pkg):
    return make_ready(pkg)


def make_ready(pkg):
    """The fixture with everything a release needs: the repository's metadata files and a current codebook."""
    for name in ["README.md", "CITATION.cff", "LICENSE", "LICENSE-DATA.md", "pyproject.toml", "Makefile", "requirements.lock"]:
        shutil.copyfile(REPO / name, pkg.path(name))
    for name in ["checks", "src"]:
        shutil.copytree(REPO / name, pkg.path(name), ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    pkg.path("checks/__pycache__").mkdir()
    pkg.path("checks/__pycache__/x.pyc").write_bytes(b"cache")  # must not be released
    pkg.path("CHANGELOG.md").write_text(f"# Changelog\n\n## [Unreleased]\n\n## [{VERSION}] - 2026-11-21\n\n- First.\n")
    assert CliRunner().invoke(main, ["docs", str(pkg.descriptor)]).exit_code == 0
    return pkg


def release(pkg, out):
    return CliRunner().invoke(main, ["release", "--out", str(out), str(pkg.descriptor)])


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """One release of the fixture package, built once for the tests that only read it: (package, the command's
    output, the zip, its files by path, the folder it was unzipped into)."""
    from conftest import build_package

    root = tmp_path_factory.mktemp("released")
    ready = make_ready(build_package(root / "pkg"))
    result = release(ready, root / "dist")
    assert result.exit_code == 0, result.output
    path = root / "dist" / f"{TOP}.zip"
    with zipfile.ZipFile(path) as archive:
        files = {name.removeprefix(f"{TOP}/"): archive.read(name) for name in archive.namelist()}
        archive.extractall(root / "reader")
    return ready, result.output, path, files, root / "reader" / TOP


def test_zip_holds_the_package_and_checksums(released):
    ready, output, path, _, _ = released
    assert output.startswith(f"wrote {path}  ")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        files = {name.removeprefix(f"{TOP}/"): archive.read(name) for name in names}
    assert names == sorted(names) and all(n.startswith(f"{TOP}/") for n in names)
    for expected in ["datapackage.json", "data/figures.csv", "schemas/events.json", "checks/figures.py",
                     "corpus/meduza-2025-peace-postponed.txt", "docs/codebook.md", "README.md", "CHANGELOG.md",
                     "CITATION.cff", "LICENSE", "LICENSE-DATA.md", "SHA256SUMS", "README-repository.md",
                     "exports/ukraine-peace-talks.sqlite", "exports/ukraine-peace-talks.xlsx",
                     "exports/ukraine-peace-talks.datasette.json", "exports/parquet/figures.parquet",
                     "exports/json/figures.json", "exports/json/metadata.json", "src/peacetalks/cli.py",
                     "pyproject.toml", "Makefile", "requirements.lock", "site/index.html", "site/positions.html",
                     "exports/parquet/positions.parquet"]:
        assert expected in files, expected
    assert files["README-repository.md"] == (REPO / "README.md").read_bytes()
    readme = files["README.md"].decode()
    assert readme.startswith("# Ukraine peace talks") and f"Version {VERSION}, released 2026-11-21." in readme
    for promise in ["sha256sum -c SHA256SUMS", "**How to cite:** ukraine-peace-talks maintainers (2026).",
                    "make validate", "`exports/ukraine-peace-talks.xlsx`", "| `figures` | 3 | Figures: "]:
        assert promise in readme, promise
    assert not any("__pycache__" in n for n in names)
    sums = dict(reversed(line.split("  ", 1)) for line in files["SHA256SUMS"].decode().splitlines())
    assert set(sums) == set(files) - {"SHA256SUMS"}
    assert all(hashlib.sha256(files[name]).hexdigest() == digest for name, digest in sums.items())
    assert files["data/figures.csv"] == ready.path("data/figures.csv").read_bytes()


def test_zip_is_reproducible(ready, tmp_path):
    assert release(ready, tmp_path / "a").exit_code == 0
    for path in ready.root.rglob("*"):
        os.utime(path, (1_700_000_000, 1_700_000_000))
    result = release(ready, tmp_path / "b")
    assert result.exit_code == 0, result.output
    first, second = (tmp_path / d / f"{TOP}.zip" for d in "ab")
    assert first.read_bytes() == second.read_bytes()
    assert sorted(os.listdir(tmp_path / "b")) == [f"{TOP}.zip"]  # no staging folder or temporary file left
    with zipfile.ZipFile(first) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_needs_a_changelog_heading_for_the_version(ready, tmp_path):
    ready.path("CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
    result = release(ready, tmp_path / "dist")
    assert result.exit_code == 1
    assert result.output == (f"peacetalks: CHANGELOG.md has no '## [{VERSION}]' heading: "
                             "describe the release before making it\n")
    assert not (tmp_path / "dist").exists()


def test_needs_a_valid_package(ready, tmp_path):
    ready.set_cell("figures", 0, "value", "abc")
    result = release(ready, tmp_path / "dist")
    assert result.exit_code == 1 and "the package is not valid" in result.output
    assert not (tmp_path / "dist").exists()


def test_needs_a_current_codebook(ready, tmp_path):
    ready.path("docs/codebook.md").write_text("old\n")
    result = release(ready, tmp_path / "dist")
    assert result.exit_code == 1 and "docs/codebook.md is out of date" in result.output


def test_needs_citation_to_name_the_version(ready, tmp_path):
    text = ready.path("CITATION.cff").read_text().replace(f'version: "{VERSION}"', "version: 0.0.9")
    ready.path("CITATION.cff").write_text(text)
    result = release(ready, tmp_path / "dist")
    assert result.exit_code == 1 and f"CITATION.cff gives version '0.0.9' but datapackage.json '{VERSION}'" in result.output


def test_a_citation_with_yaml_aliases_is_refused_before_it_expands(ready, tmp_path):
    """Hostile re-test of 2026-12-05 (F2): a "billion laughs" in CITATION.cff (nine levels of nine aliases)
    held release past a minute, its memory growing 70 MB a second."""
    levels = ['a: &a ["lol"]'] + [f"{b}: &{b} [{', '.join(['*' + a] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi")]
    ready.path("CITATION.cff").write_text("\n".join(levels) + "\nversion: *i\n" + ready.path("CITATION.cff").read_text()
                                          .replace(f'version: "{VERSION}"\n', ""))
    result = release(ready, tmp_path / "dist")
    assert result.exit_code == 1 and result.output == ("peacetalks: CITATION.cff line 2, column 8: uses a YAML alias (*name), "
                                                       "which repeats another value; write each value out in full\n")



LATIN_1_AT = f"# Changelog\n\n## [{VERSION}] - 2026-11-21\n\n- Caf"  # then an é in Latin-1


def with_version_line(text: str) -> str:
    return f'cff-version: 1.2.0\nversion: "{VERSION}"\n{text}'


@pytest.mark.parametrize("name, content, said", [
    ("CITATION.cff", with_version_line("title: x\n" + "k: " + "[" * 5000 + "]" * 5000 + "\n").encode(),
     "CITATION.cff line 4, column 35: lists or mappings are nested deeper than 32 levels (the Citation File Format "
     "needs six at most); flatten them"),
    ("CITATION.cff", with_version_line("message: [unclosed\ntitle: x\n").encode(),
     "CITATION.cff line 4, column 6: expected ',' or ']', but got ':'; fix the YAML"),
    ("CITATION.cff", with_version_line("title: x\n").encode("utf-16"),
     "CITATION.cff: is in UTF-16 or UTF-32 (it holds NUL bytes or starts with their byte-order mark); save it as UTF-8"),
    ("CHANGELOG.md", f"{LATIN_1_AT}\u00e9 r\u00e9sum\u00e9.\n".encode("latin-1"),
     f"CHANGELOG.md line 5: not UTF-8: byte {len(LATIN_1_AT)} (column 6) is 0xe9, which no UTF-8 text holds there; "
     "save it as UTF-8"),
], ids=["deep-citation", "broken-citation", "utf16-citation", "latin1-changelog"])
def test_a_broken_citation_or_changelog_is_one_located_line(ready, tmp_path, name, content, said):
    """Hostile re-test of round 4 (B6, B7): 5,000 nested brackets in CITATION.cff ended release in a
    RecursionError, a UTF-16 CITATION.cff or a Latin-1 CHANGELOG.md in a UnicodeDecodeError, and broken YAML
    in PyYAML's seven-line message."""
    ready.path(name).write_bytes(content)
    result = release(ready, tmp_path / "dist")
    assert result.exit_code == 1 and result.output == f"peacetalks: {said}\n"
    assert not (tmp_path / "dist").exists()

@pytest.mark.parametrize("name, said", [
    (os.fsdecode(b"y\xff.txt"), "'docs/y\\udcff.txt'"),
    ("notes\u202edm.txt", "'docs/notes\\u202edm.txt'"),
    ("zw\u200bx.md", "'docs/zw\\u200bx.md'"),
    ("a\u3164b.txt", "'docs/a\\u3164b.txt'"),  # round 6: refused, but named raw
    ("a\u034fb.txt", "'docs/a\\u034fb.txt'"),  # round 6: the grapheme joiner passed
], ids=["not-utf8", "bidi-override", "zero-width-space", "hangul-filler", "grapheme-joiner"])
def test_a_file_name_that_is_not_utf8_or_holds_an_unseen_character_is_refused(ready, tmp_path, name, said):
    """Hostile re-test of 2026-12-05 (F5): docs/y<FF>.txt ended release in a UnicodeEncodeError. Round 5 (22):
    docs/notes<U+202E>dm.txt was released and listed in SHA256SUMS, where it reads as notestxt.md."""
    (ready.path("docs") / name).write_text("hi")
    result = release(ready, tmp_path / "dist")
    assert result.exit_code == 1 and result.output == (
        f"peacetalks: cannot release: the file name {said} holds a control or invisible "
        "character, a backslash or bytes that are not UTF-8, which would forge or break a line of SHA256SUMS; "
        "rename the file\n")
    assert not (tmp_path / "dist").exists()


def test_names_missing_files(ready, tmp_path):
    ready.path("LICENSE-DATA.md").unlink()
    result = release(ready, tmp_path / "dist")
    assert result.exit_code == 1 and result.output == "peacetalks: cannot release: missing LICENSE-DATA.md\n"


def test_unzipped_release_opens_without_the_toolkit(released):
    """What a reader does: unzip in an empty folder, check the sums, open every file in its usual tool."""
    folder = released[4]
    checked = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert checked.returncode == 0 and checked.stdout.count(": OK\n") == sum(p.is_file() for p in folder.rglob("*")) - 1
    connection = sqlite3.connect(folder / "exports" / "ukraine-peace-talks.sqlite")
    assert connection.execute("SELECT count(*) FROM figures").fetchone() == (3,)
    assert connection.execute("SELECT value FROM package_metadata WHERE key = 'version'").fetchone() == (VERSION,)
    assert len(pd.read_parquet(folder / "exports" / "parquet" / "demands.parquet")) == 2
    assert load_workbook(folder / "exports" / "ukraine-peace-talks.xlsx").sheetnames[:4] == ["about", "positions", "codebook", "sources"]
    assert len(json.loads((folder / "exports" / "json" / "events.json").read_text(encoding="utf-8"))) == 1
    assert json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["created"] == "2026-11-21T00:00:00Z"


@pytest.mark.parametrize("key, value, what", [("name", "../../sibling", "the descriptor name"),
                                              ("version", "1.0/../../../x", "the descriptor version"),
                                              ("version", "/abs", "the descriptor version")])
def test_name_or_version_that_is_not_a_slug_is_a_usage_error(ready, tmp_path, key, value, what):
    ready.edit_json("datapackage.json", lambda d: d.update({key: value}))
    parent = tmp_path / "parent"
    (parent / "sibling").mkdir(parents=True)
    result = release(ready, parent / "dist")
    assert result.exit_code == 2
    assert result.output.startswith(f"peacetalks: {what} {value!r} cannot be used in a file name: ")
    assert sorted(p.name for p in parent.rglob("*")) == ["sibling"]


def test_symbolic_links_are_refused(ready, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("not part of the package")
    os.symlink(outside, ready.path("corpus/extra.txt"))
    os.symlink(tmp_path, ready.path("docs/linked-folder"))
    result = release(ready, tmp_path / "dist")
    assert result.exit_code == 1
    assert result.output == ("peacetalks: cannot release: corpus/extra.txt, docs/linked-folder are symbolic links; "
                             "a release holds regular files only: replace each link by the file itself\n")
    assert not (tmp_path / "dist" / f"{TOP}.zip").exists()


def test_a_hard_link_is_refused_before_anything_is_built(ready, tmp_path):
    """Hostile re-test of round 4 (S1): docs/notes.txt, a hard link to a file outside the package, went into
    the zip; symbolic links were refused, hard links not."""
    outside = tmp_path / "secret.txt"
    outside.write_text("not part of the package")
    os.link(outside, ready.path("docs/notes.txt"))
    result = release(ready, tmp_path / "dist")
    assert result.exit_code == 1
    assert result.output == ("peacetalks: cannot release: 'docs/notes.txt' is a hard link (2 names for one file); a package "
                             "file must be its own: copy it to a new name and move the copy over it, or remove it\n")
    assert not (tmp_path / "dist").exists()


def test_entries_stay_inside_the_release_folder():
    from peacetalks.validation.package import PackageError
    from peacetalks.publish.release import safe_entry

    assert safe_entry(TOP, "data/figures.csv") == f"{TOP}/data/figures.csv"
    for bad in ["../x", "a/../../x", "/etc/passwd", "a\\..\\x", ""]:
        with pytest.raises(PackageError, match="would be written outside the release's folder"):
            safe_entry(TOP, bad)


# -- complete and honest: the site, a Makefile of what works, a README that says so -----------------------------

def test_site_is_in_the_zip_and_opens_from_disk(released):
    import re

    files, folder = released[3], released[4]
    pages = [name for name in files if name.startswith("site/") and name.endswith(".html")]
    assert len(pages) > 20
    for page in pages:
        html = files[page].decode()
        requested = re.findall(r'src="([^"]*)', html) + re.findall(r'<link[^>]*href="([^"]*)', html)
        assert not [r for r in requested if re.match(r"^(?!data:)[a-z]+:|^//", r)], f"{page} requests another host"
        for target in re.findall(r'(?:href|src)="([^"#?]*)', html):
            if target and not re.match(r"^[a-z]+:|^//", target):  # a link to another site is the reader's to follow
                assert ((folder / page).parent / target).exists(), f"{page} links to {target}, which the zip does not hold"
    assert not any(name.startswith("site/downloads/exports/") for name in files)  # the zip's exports are beside it


def test_readme_first_screen_says_licence_and_citation(released):
    readme = released[3]["README.md"].decode()
    first_screen = "\n".join(readme.splitlines()[:12])
    assert "**Licence:**" in first_screen and "CC-BY-4.0" not in first_screen or "Creative Commons" in first_screen
    assert "publishers' property" in first_screen and "**How to cite:**" in first_screen
    assert "`site/index.html`" in first_screen


def test_zip_makefile_offers_only_what_works_and_the_readme_lists_it(released):
    import re

    from peacetalks.publish.release import ZIP_TARGETS, make_targets

    files = released[3]
    makefile = files["Makefile"].decode()
    assert [target for target, _ in make_targets(makefile)] == list(ZIP_TARGETS)
    assert "make test" not in makefile and "tests/" not in makefile
    readme = files["README.md"].decode()
    named = set(re.findall(r"`make ([a-z][a-z-]*)", readme))
    assert named == set(ZIP_TARGETS)
    assert all(f"| `make {target}` |" in readme for target in ZIP_TARGETS)


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_every_target_of_the_zip_runs_in_the_unzipped_folder(released, tmp_path):
    # With this environment's toolkit (BIN=...), so that no virtualenv is built: `setup` is checked by what it
    # would run, `serve` (which runs until stopped) by the same; every other target runs for real.
    from peacetalks.publish.release import ZIP_TARGETS

    folder = tmp_path / TOP
    shutil.copytree(released[4], folder)
    run = ["make", "-s", "-C", str(folder), "-o", ".venv/.installed-stamp", f"BIN={Path(sys.executable).parent}"]
    for target in ZIP_TARGETS:
        dry = ["-n"] if target in ("setup", "serve") else []
        result = subprocess.run(run + dry + [target], capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, (target, result.stdout[-2000:], result.stderr[-2000:])
    assert (folder / "site" / "index.html").is_file() and (folder / "exports" / "json" / "positions.json").is_file()


def r_is_ready() -> bool:
    if shutil.which("Rscript") is None:
        return False
    probe = subprocess.run(["Rscript", "-e", "for (p in c('readr', 'DBI', 'RSQLite', 'jsonlite')) library(p, character.only = TRUE)"],
                           capture_output=True, timeout=120)
    return probe.returncode == 0


@pytest.mark.skipif(not r_is_ready(), reason="no Rscript with readr, DBI, RSQLite and jsonlite (`make r` installs them, as root)")
def test_r_example_reads_the_release(released):
    ready, folder = released[0], released[4]
    result = subprocess.run(["Rscript", str(REPO / "examples" / "read_release.R"), str(folder)], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for table in ["sources", "actors", "demands", "figures", "accounts"]:
        rows = len(ready.rows(table))
        assert any(line.startswith(table) and f" {rows} rows" in line for line in lines), table
    demands = next(line for line in lines if line.startswith("demands "))
    assert " 6 factors" in demands  # stance, kind, evidence, status, voice, scale_basis: the schema's enums, as factors
    assert "78,000,000,000" in result.stdout  # a number read as a number, in full
    assert "Positions of Ukraine's side (the state and its people): 1 rows, 1 counted" in result.stdout
    assert "Volodymyr Zelensky" in result.stdout


# -- a copy others may re-host: no source text ------------------------------------------------------------------

@pytest.fixture(scope="module")
def without_texts(tmp_path_factory):
    """One release --without-texts of the fixture package, unzipped: (package, its files by path, the folder)."""
    from conftest import build_package

    root = tmp_path_factory.mktemp("without-texts")
    ready = make_ready(build_package(root / "pkg"))
    result = CliRunner().invoke(main, ["release", "--without-texts", "--out", str(root / "dist"), str(ready.descriptor)])
    assert result.exit_code == 0, result.output
    top = f"{TOP}-without-texts"
    with zipfile.ZipFile(root / "dist" / f"{top}.zip") as archive:
        files = {name.removeprefix(f"{top}/"): archive.read(name) for name in archive.namelist()}
        archive.extractall(root / "reader")
    return ready, files, root / "reader" / top


def test_copy_without_texts_holds_no_source_text(without_texts):
    from peacetalks.validation.provenance import normalise

    ready, files, _ = without_texts
    assert not [name for name in files if name.startswith("corpus/") and name.endswith(".txt")]
    for source in ready.rows("sources"):
        stand_in = json.loads(files[source["corpus_path"].removesuffix(".txt") + ".withheld.json"])
        assert stand_in["sha256"] == source["sha256"] and stand_in["address"] == (source["url"] or source["original_url"] or None)
        text = normalise(ready.path(source["corpus_path"]).read_text(encoding="utf-8"))
        kept = normalise(stand_in["excerpt"])
        # Every stretch of the text outside the kept passages is in no file of the zip, the site's included.
        unkept = [text[i:i + 80] for i in range(0, len(text) - 80, 40) if text[i:i + 80] not in kept]
        assert unkept, "the fixture's quotes should leave most of each text out"
        everything = normalise(" ".join(data.decode("utf-8", "replace") for data in files.values()))
        assert not [stretch for stretch in unkept if stretch in everything], source["source_id"]
    readme = files["README.md"].decode()
    assert "This copy holds no source text" in "\n".join(readme.splitlines()[:12])
    assert b"The text itself is not in this copy" in files["site/texts/meduza-2025-peace-postponed.html"]


def validate_in(folder, *options):
    command = [sys.executable, "-m", "peacetalks", "validate", *(options or ["--without-texts"])]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120)


def test_a_copy_without_texts_fails_plain_validate_so_no_pull_request_can_invent_a_passage(without_texts, tmp_path):
    """Hostile round 6 (F1): a text deleted and its stand-in given an invented sentence, a quote changed to it:
    `validate` exited 0 with a note. A stand-in is accepted only with --without-texts (the zip's Makefile)."""
    _, files, unzipped = without_texts
    folder = tmp_path / "copy"
    shutil.copytree(unzipped, folder)
    result = validate_in(folder, "--format", "text")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("peacetalks: not checked: 5 source texts not in this copy (")
    assert result.stderr.endswith("This copy lacks source texts: if it was released without them, validate it with "
                                  "--without-texts (its Makefile does); otherwise restore the texts\n")
    assert "\t@$(BIN)/peacetalks validate --without-texts datapackage.json\n" in files["Makefile"].decode()


def test_copy_without_texts_validates_what_it_can_and_says_what_not(without_texts, tmp_path):
    ready, _, unzipped = without_texts
    folder = tmp_path / "copy"
    shutil.copytree(unzipped, folder)
    result = validate_in(folder)
    assert (result.returncode, result.stdout) == (0, "")
    [line] = result.stderr.splitlines()
    assert line.startswith("peacetalks: not checked: 5 source texts not in this copy (")
    # A reader supplies one text: it is checked against its SHA-256, and only four are left unchecked.
    shutil.copyfile(ready.path(f"corpus/{MDZ}.txt"), folder / "corpus" / f"{MDZ}.txt")
    result = validate_in(folder)
    assert result.returncode == 0 and result.stderr.startswith("peacetalks: not checked: 4 source texts")
    (folder / "corpus" / f"{MDZ}.txt").write_text("another text\n", encoding="utf-8")
    result = validate_in(folder)
    assert result.returncode == 1 and f"source_id={MDZ} sha256: does not match corpus/{MDZ}.txt" in result.stdout
    (folder / "corpus" / f"{MDZ}.txt").unlink()
    # A quote edited after the release is still caught, against the passages kept.
    rows = (folder / "data" / "figures.csv").read_text(encoding="utf-8")
    (folder / "data" / "figures.csv").write_text(rows.replace("the projected $78 billion annual cost", "the projected $78 billion yearly cost"), encoding="utf-8")
    result = validate_in(folder)
    assert result.returncode == 1
    assert (f"is not in the passages of source {JS} kept in corpus/{JS}.withheld.json (its text is not in this copy)"
            in result.stdout)


def test_a_stand_in_of_another_text_is_refused(without_texts, tmp_path):
    _, _, unzipped = without_texts
    folder = tmp_path / "copy"
    shutil.copytree(unzipped, folder)
    path = folder / "corpus" / f"{MDZ}.withheld.json"
    stand_in = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**stand_in, "sha256": "0" * 64}), encoding="utf-8")
    result = validate_in(folder)
    assert result.returncode == 1
    assert (f"source_id={MDZ} sha256: corpus/{MDZ}.withheld.json describes a text whose SHA-256 is {'0' * 64}, not this one; "
            "the stand-in must be made from this source's text") in result.stdout
    path.write_text("[]", encoding="utf-8")
    result = validate_in(folder)
    assert result.returncode == 1 and (f"the corpus file is missing and its stand-in cannot be used: corpus/{MDZ}.withheld.json "
                                       "must be an object with a 'sha256' and an 'excerpt' (text)") in result.stdout


def test_stand_ins_count_towards_the_corpus_total(without_texts, tmp_path, monkeypatch):
    """A stand-in's passages were held without a total: a copy naming many large stand-ins (each under the
    16 MiB a JSON file may hold) was read whole. They count as texts do; past the total one is not read."""
    from peacetalks.validation import provenance
    from peacetalks.validation.engine import validate

    _, _, unzipped = without_texts
    folder = tmp_path / "copy"
    shutil.copytree(unzipped, folder)
    path = folder / "corpus" / f"{MDZ}.withheld.json"
    stand_in = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**stand_in, "excerpt": stand_in["excerpt"] + " pad" * 5000}), encoding="utf-8")
    monkeypatch.setattr(provenance, "MAX_CORPUS_TOTAL_BYTES", 15_000)
    refused = [str(p) for p in validate(folder / "datapackage.json") if p.rule == "corpus-total"]
    assert len(refused) == 1 and f"source_id={MDZ} corpus_path: 'corpus/{MDZ}.txt': with it, the corpus texts would hold" in refused[0]
    assert "the passages of a stand-in as a text); the limit is 15,000 bytes in all" in refused[0]


def test_passages_keep_each_quote_in_its_sentence():
    from peacetalks.validation.withheld import GAP, passages

    text = "First sentence here. The U.S. envoy said a thing\nthat matters. Third one. Fourth, far away."
    found, excerpt = passages(text, ["envoy said a thing that matters", "far away", "not in it"])
    assert found == [{"quote": "envoy said a thing that matters", "context": "The U.S. envoy said a thing that matters."},
                     {"quote": "far away", "context": "Fourth, far away."}]
    assert excerpt == f"The U.S. envoy said a thing\nthat matters.{GAP}Fourth, far away."


def test_a_zip_that_cannot_be_written_is_said_in_one_line_and_leaves_nothing(ready, tmp_path, monkeypatch):
    """A full disk while the zip was written ended in a bare "No space left on device"; the exports and site
    built for it, and the half-written zip, must not stay behind in --out."""
    import errno

    writestr = zipfile.ZipFile.writestr

    def full(self, *args, **kwargs):  # only the release's zip (an XLSX is a zip too)
        name = Path(str(self.filename)).name
        if name.startswith(".peacetalks-tmp-") and f"-{TOP}.zip." in name:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return writestr(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", full)
    out = tmp_path / "dist"
    result = release(ready, out)
    assert result.exit_code == 1
    assert result.output == (f"peacetalks: {out / TOP}.zip could not be written (No space left on device); nothing was "
                             f"left in {out}: run the release again once that is fixed, or name another --out\n")
    assert os.listdir(out) == []
