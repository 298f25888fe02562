"""The README of the release zip: written for a reader who has the zip and no toolkit.

Its first screen says what the package is, how to open it, the licences (the source texts' included) and
how to cite it; then what each file is for, the tables, every command the folder offers, and how to check
that the files are intact."""

from __future__ import annotations


def zip_readme(info: dict, paths: list[str], released: str | None, targets: list[tuple[str, str]] = ()) -> str:
    """What is in the folder, how to open each file, how to verify, cite and re-validate it."""
    name, version = info["name"], info["version"]
    has = set(paths)
    licences = "; ".join(f"{lic.get('title', lic.get('name', ''))} <{lic.get('path', '')}>" for lic in info["licenses"])
    lines = [f"# {info['title']}", "",
             f"Version {version}" + (f", released {released}" if released else "") + f". {info['description']}", "",
             "**Open it:** " + ("`site/index.html` in a browser (the website, from disk: positions, timeline, "
                                "every table and source text); " if "site/index.html" in has else "")
             + f"`exports/{name}.xlsx` in a spreadsheet (start with its `positions` sheet); "
             f"`exports/{name}.sqlite` in any SQLite tool.", "",
             f"**Licence:** {licences} (`LICENSE-DATA.md`, `LICENSE`). " + texts_sentence(has), "",
             f"**How to cite:** {info['citation']} `CITATION.cff` holds the same for citation managers.", "",
             "## What is in this folder", "", "| path | what it is for | how to open it |", "|---|---|---|"]
    lines += [f"| {path} | {what} | {how} |" for path, what, how in _files(name, has)]
    lines += ["", "## Tables", "", "| table | rows | what one row is |", "|---|---|---|"]
    lines += [f"| `{t['name']}` | {t['rows']} | {t['title']}: {t['description']} |" for t in info["tables"]]
    lines += [f"| `{t['name']}` (in the exports only) | {t['rows']} | {t['title']}: {t['description']} |"
              for t in info.get("derived", [])]
    lines += ["", "Every column is described in `docs/codebook.md`, in the codebook sheet of the workbook, in the "
              "`column_metadata` table of the SQLite file, on each column of the Parquet files and in "
              "`exports/json/metadata.json`.", "",
              "## Check that the files are intact", "", "In this folder:", "", "```sh", "sha256sum -c SHA256SUMS",
              "```", "", "(on macOS: `shasum -a 256 -c SHA256SUMS`). Every line must end in `OK`.", "",
              "## Sources", ""]
    lines += [f"- {s['title']}" + "".join(f", {s[k]}" for k in ("outlet", "published") if s.get(k))
              + (f" <{s['path']}>" if s.get("path", "").startswith("http") else "") for s in info["sources"]]
    lines += ["", "## Commands", "",
              "The toolkit that checks this package (`peacetalks`) is in this folder: `src/`, `checks/` (the dataset "
              "rules), `pyproject.toml`, `requirements.lock` (its exact dependencies) and `Makefile`. With Python "
              "3.10 or later and `make`, the first command creates `.venv` with the pinned dependencies "
              "(a minute or two, from PyPI). Every target of this folder's Makefile:", "",
              "| command | what it does |", "|---|---|"]
    lines += [f"| `make {target}` | {what} |" for target, what in targets]
    lines += ["", "Without `make`: `python -m venv .venv && .venv/bin/pip install -r requirements.lock . && "
              ".venv/bin/peacetalks validate`. `.venv/bin/peacetalks --help` lists the toolkit's commands (validate, "
              "export, docs, stats, positions, diff, serve, site, release); in Python, `peacetalks.load()` reads the "
              "tables as pandas DataFrames. The tests and the toolkit's history are in the repository "
              "(`README-repository.md`).", ""]
    return "\n".join(lines)


def texts_sentence(has: set[str]) -> str:
    if any(p.startswith("corpus/") and p.endswith(".txt") for p in has):
        return ("The five source texts in `corpus/` are **not** covered: they remain their publishers' property and "
                "are included only so that every quote can be checked; reuse beyond that is subject to their publishers' terms.")
    return ("This copy holds no source text: `corpus/` has each text's address, SHA-256 and the quoted passages "
            "with their context (`make validate`, which runs `peacetalks validate --without-texts`, checks each "
            "quote against them and a text you obtain against its SHA-256).")


def _files(name: str, has: set[str]) -> list[tuple[str, str, str]]:
    rows = [
        ("`datapackage.json`", "the Frictionless Data Package descriptor: tables, licences, sources",
         "any Frictionless tool (`frictionless` in Python or R); a text editor"),
        ("`data/*.csv`", "the tables: UTF-8, comma-separated, a header row; an empty cell is a missing value",
         "a spreadsheet, `pandas.read_csv`, R `readr::read_csv`"),
        ("`schemas/*.json`", "a Table Schema per table: columns, types, keys, vocabularies", "a text editor"),
    ]
    if any(p.startswith("corpus/") and p.endswith(".txt") for p in has):
        rows.append(("`corpus/*.txt`", "the source texts, byte for byte as received, so that every quote can be "
                     "checked", "a text editor"))
    if any(p.startswith("corpus/") and p.endswith(".json") for p in has):
        rows.append(("`corpus/*.json`", "for each source text: its address, SHA-256 and every quoted passage with a "
                     "sentence of context (the texts themselves are not in this copy)", "a text editor"))
    rows.append(("`docs/codebook.md`", "every table and column, with the allowed values", "a Markdown viewer or text editor"))
    if "docs/coding-manual.md" in has:
        rows.append(("`docs/coding-manual.md`", "how the rows were coded from the sources", "a Markdown viewer"))
    if "docs/validator.md" in has:
        rows.append(("`docs/validator.md`", "how the validator checks the package", "a Markdown viewer"))
    if any(p.startswith("docs/reliability/") for p in has):
        rows.append(("`docs/reliability/`", "the blind codings, the settled disagreements and the date audit", "a spreadsheet"))
    if "site/index.html" in has:
        rows.append(("`site/`", "the website: positions, timeline, figures, every table, a page per actor, issue, "
                     "proposal and event, each source text with its quotes", "open `site/index.html` in a browser"))
    rows += [
        (f"`exports/{name}.xlsx`", "every table as a sheet, after an about sheet, the positions sheet and the codebook; "
         "a name beside every id", "Excel, LibreOffice, `openpyxl`"),
        (f"`exports/{name}.sqlite`", "every table with its keys, the `positions` table, link tables for the lists, "
         "and metadata tables", "`sqlite3`, DB Browser for SQLite, Datasette, R `DBI`"),
        (f"`exports/{name}.datasette.json`", "Datasette metadata: descriptions, licence, labels, facets, queries",
         "`make serve`, or `datasette exports/" + name + ".sqlite --metadata exports/" + name + ".datasette.json`"),
        ("`exports/parquet/*.parquet`", "a typed file per table (and the positions view), with the package's metadata",
         "`pandas.read_parquet`, `pyarrow`, R `arrow`, DuckDB"),
        ("`exports/json/*.json`", "an array of row objects per table; `metadata.json` describes them", "any JSON reader"),
    ]
    if any(p.startswith("exports/stata/") for p in has):
        rows.append(("`exports/stata/*.dta`", "a Stata file per table, with variable and value labels", "Stata, R `haven`, pandas"))
    if any(p.startswith("examples/") for p in has):
        rows.append(("`examples/`", "short analyses: Python (`what_changed.py`) and R (`read_release.R`)", "Python, R"))
    rows += [
        ("`CHANGELOG.md`", "what changed in each version", "a text editor"),
        ("`CITATION.cff`", "how to cite the package", "a citation manager"),
        ("`LICENSE-DATA.md`, `LICENSE`", "the licences of the data and of the code", "a text editor"),
        ("`README-repository.md`", "the repository's README: the sources and their trust, known gaps, how the data "
         "was made, its conventions", "a Markdown viewer"),
        ("`src/`, `checks/`, `pyproject.toml`, `requirements.lock`, `Makefile`", "the toolkit (see Commands)", "Python"),
        ("`SHA256SUMS`", "the SHA-256 of every other file", "`sha256sum -c SHA256SUMS`"),
    ]
    return rows
