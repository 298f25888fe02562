"""The README of the release zip: written for a reader who has the zip and no toolkit."""

from __future__ import annotations


def zip_readme(info: dict, paths: list[str], released: str | None) -> str:
    """What is in the folder, how to open each file, how to verify, cite and re-validate it."""
    name, version = info["name"], info["version"]
    has = set(paths)
    lines = [f"# {info['title']}", "",
             f"Version {version}" + (f", released {released}" if released else "") + f". {info['description']}", "",
             "## What is in this folder", "", "| path | what it is | how to open it |", "|---|---|---|"]
    lines += [f"| {path} | {what} | {how} |" for path, what, how in _files(name, has)]
    lines += ["", "## Tables", "", "| table | rows | what one row is |", "|---|---|---|"]
    lines += [f"| `{t['name']}` | {t['rows']} | {t['title']}: {t['description']} |" for t in info["tables"]]
    lines += ["", "Every column is described in `docs/codebook.md`, in the codebook sheet of the workbook, in the "
              "`column_metadata` table of the SQLite file, on each column of the Parquet files and in "
              "`exports/json/metadata.json`.", "",
              "## Check that the files are intact", "", "In this folder:", "", "```sh", "sha256sum -c SHA256SUMS",
              "```", "", "(on macOS: `shasum -a 256 -c SHA256SUMS`). Every line must end in `OK`.", "",
              "## How to cite", "", info["citation"], "",
              "`CITATION.cff` holds the same for citation managers (and GitHub's \"Cite this repository\").", "",
              "## Licences", ""]
    lines += [f"- {lic.get('title', lic.get('name', ''))}: {lic.get('path', '')}" for lic in info["licenses"]]
    lines += ["", "See `LICENSE-DATA.md` and `LICENSE`. The texts in `corpus/` remain their publishers' property and "
              "are included only so that every quote can be checked.", "", "## Sources", ""]
    lines += [f"- {s['title']}" + "".join(f", {s[k]}" for k in ("outlet", "published") if s.get(k))
              + (f" <{s['path']}>" if s.get("path", "").startswith("http") else "") for s in info["sources"]]
    lines += ["", "## Re-validate with the toolkit", "",
              "The toolkit that checks this package (`peacetalks`) is in this folder: `src/`, `checks/` (the "
              "dataset rules), `pyproject.toml`, `requirements.lock` (its exact dependencies) and `Makefile`. With "
              "Python 3.10 or later and `make`:", "", "```sh",
              "make validate   # creates .venv with the pinned dependencies, then checks every row against its source",
              "```", "",
              "Or `python -m venv .venv && .venv/bin/pip install -r requirements.lock . && .venv/bin/peacetalks "
              "validate`. `peacetalks --help` lists the other commands (export, docs, stats, diff, serve).", ""]
    return "\n".join(lines)


def _files(name: str, has: set[str]) -> list[tuple[str, str, str]]:
    rows = [
        ("`datapackage.json`", "the Frictionless Data Package descriptor: tables, licences, sources",
         "any Frictionless tool (`frictionless` in Python or R); a text editor"),
        ("`data/*.csv`", "the tables: UTF-8, comma-separated, a header row; an empty cell is a missing value",
         "a spreadsheet, `pandas.read_csv`, R `read.csv`"),
        ("`schemas/*.json`", "a Table Schema per table: columns, types, keys, vocabularies", "a text editor"),
        ("`corpus/*.txt`", "the source texts, byte for byte as received", "a text editor"),
        ("`docs/codebook.md`", "every table and column, with the allowed values", "a Markdown viewer or text editor"),
    ]
    if "docs/coding-manual.md" in has:
        rows.append(("`docs/coding-manual.md`", "how the rows were coded from the sources", "a Markdown viewer"))
    rows += [
        (f"`exports/{name}.xlsx`", "every table as a sheet, after an about sheet and the codebook",
         "Excel, LibreOffice, `openpyxl`"),
        (f"`exports/{name}.sqlite`", "every table with its keys, link tables for the lists, and metadata tables",
         "`sqlite3`, DB Browser for SQLite, Datasette"),
        (f"`exports/{name}.datasette.json`", "Datasette metadata: descriptions, licence, labels, facets, queries",
         f"`pip install datasette`, then `datasette exports/{name}.sqlite --metadata exports/{name}.datasette.json`"),
        ("`exports/parquet/*.parquet`", "a typed file per table, with the package's metadata in each",
         "`pandas.read_parquet`, `pyarrow`, R `arrow`, DuckDB"),
        ("`exports/json/*.json`", "an array of row objects per table; `metadata.json` describes them", "any JSON reader"),
        ("`CHANGELOG.md`", "what changed in each version", "a text editor"),
        ("`CITATION.cff`", "how to cite the package", "a citation manager"),
        ("`LICENSE-DATA.md`, `LICENSE`", "the licences of the data and of the code (see Licences below)", "a text editor"),
        ("`README-repository.md`", "the repository's README: how the data was made and its conventions",
         "a Markdown viewer"),
        ("`src/`, `checks/`, `pyproject.toml`, `requirements.lock`, `Makefile`", "the toolkit (see below)", "Python"),
        ("`SHA256SUMS`", "the SHA-256 of every other file", "`sha256sum -c SHA256SUMS`"),
    ]
    return rows
