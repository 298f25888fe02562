"""`peacetalks release`: the versioned, reproducible zip of the package, complete for a reader without the
toolkit: the descriptor, schemas, tables, corpus and docs, the exports (SQLite with its Datasette metadata,
XLSX, Parquet, JSON), the built website (opens from disk), a README written for the zip, CITATION.cff, the
licences, the toolkit's source with a Makefile that offers only the targets that work in the zip (so that
`make validate` re-checks it) and a SHA256SUMS of every file.

Only a package that validates, whose generated files are current and whose CHANGELOG and CITATION.cff name
the version in datapackage.json is released. The zip is byte-for-byte reproducible: sorted entries, fixed
timestamps and permissions, fixed compression level, exports with no build time in them. Its name and
entries come only from checked names, it holds no symbolic link, and nothing is written outside --out.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

import yaml

from .codebook import check_codebook
from .export import FORMATS, ZIP_TIME, export_tables
from ..validation.loader import Tables, load
from ..validation.leftovers import remove_stale, replace_atomically, temporary_prefix, writing
from ..validation.locate import find_descriptor
from ..validation.ownfiles import check_out
from .about import about
from .metadata import release_date
from .names import output_folder, safe_name
from ..validation.ownfiles import read_own_text
from ..validation.package import (MAX_TABLE_BYTES, Package, PackageError, RefusedPath, open_package, read_limited,
                                  refuse_unless_own_regular_file)
from ..validation.characters import UNFIT_IN_FILE_NAME
from ..validation.report import shown
from .zip_readme import zip_readme

# The package (data and its description), then the toolkit that re-validates it, relative to its root.
FILES = ["datapackage.json", "CHANGELOG.md", "CITATION.cff", "LICENSE", "LICENSE-DATA.md"]
FOLDERS = ["data", "schemas", "corpus", "docs"]
OPTIONAL_FOLDERS = ["examples"]  # released when the tree has them
TOOLKIT_FILES = ["pyproject.toml", "Makefile", "requirements.lock"]
TOOLKIT_FOLDERS = ["src", "checks"]
# A release reads every file whole: each at most the validator's limit for a table, all together at most
# twice that, so a 6 GB file dropped into docs/ is refused with a line instead of exhausting memory.
MAX_FILE_BYTES = MAX_TABLE_BYTES
MAX_TOTAL_BYTES = 2 * MAX_TABLE_BYTES
REPOSITORY_README = "README-repository.md"  # the repository's README.md, kept beside the zip's own
EXPORTS = "exports"
SITE = "site"
# The repository's make targets that work in the unzipped release (no tests, benchmarks, lock or release
# there, and nothing that installs system packages); the zip's Makefile keeps only these.
ZIP_TARGETS = ("help", "setup", "validate", "frictionless", "export", "serve", "docs", "stats", "positions", "site")


WITHOUT_TEXTS = "-without-texts"  # the name's suffix of the copy others may re-host


def release(descriptor: str | Path | None, out: str | Path = "dist", without_texts: bool = False,
            build_site=None) -> tuple[Path, int]:
    """Check, then write <out>/<name>-<version>.zip; returns its path and the number of files in it.

    `without_texts`: <name>-<version>-without-texts.zip, in which each source text is replaced by its
    stand-in (withheld.py): its address, SHA-256 and the quoted passages in their sentences. `build_site`:
    the site builder (peacetalks.site.build_site, passed in by the caller: the site is a wing above this one);
    without it the zip has no site/."""
    descriptor = find_descriptor(descriptor, installed=False)
    check_out(descriptor, out)  # said first: the checks below take seconds
    package, _ = open_package(descriptor)
    name, version = package.descriptor.get("name"), package.descriptor.get("version")
    if not name or not version:
        raise PackageError(f"{package.descriptor_path.name}: needs a name and a version to be released")
    folder = f"{safe_name(name, 'the descriptor name')}-{safe_name(version, 'the descriptor version')}"
    folder += WITHOUT_TEXTS if without_texts else ""
    paths = release_paths(package.root)  # the quick checks first
    check_changelog(package.root, version)
    check_citation(package.root, version)
    tables = load(descriptor)  # validates: InvalidPackageError lists every problem
    check_codebook(descriptor)
    out = output_folder(out)
    remove_stale(out)  # what a release killed midway left: its staging folders, a half-written zip
    # The zip's README is written for it; the repository's (how the data was made, conventions) stays beside it.
    contents = {(REPOSITORY_README if path == "README.md" else path): _released_bytes(package.root, path) for path in paths}
    contents["Makefile"] = zip_makefile(contents["Makefile"].decode("utf-8"), without_texts).encode()
    if without_texts:
        contents = withhold_texts(contents, tables)
    contents.update(_exports(package, tables, out))
    if build_site is not None:
        contents.update(_site(build_site, descriptor, out, without_texts))
    info = about(package, tables)
    contents["README.md"] = zip_readme(info, sorted(contents), release_date(package.root, version),
                                       make_targets(contents["Makefile"].decode("utf-8"))).encode()
    contents["SHA256SUMS"] = sha256sums(contents).encode()
    target = out / f"{folder}.zip"
    write_zip(target, folder, contents)
    return target, len(contents)


def _exports(package: Package, tables: Tables, out: Path) -> dict[str, bytes]:
    """Every export, built in a temporary folder inside `out` (nothing is written elsewhere), as zip entries."""
    staging = Path(tempfile.mkdtemp(dir=out, prefix=temporary_prefix("release-exports")))
    writing(staging)
    try:
        export_tables(package, tables, list(FORMATS), staging)
        return {f"{EXPORTS}/{p.relative_to(staging).as_posix()}": p.read_bytes()
                for p in sorted(staging.rglob("*")) if p.is_file()}
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def withhold_texts(contents: dict[str, bytes], tables: Tables) -> dict[str, bytes]:
    """The contents with each source's corpus file replaced by its stand-in (see withheld.py)."""
    import json

    from ..validation.withheld import stand_in, stand_in_path

    quotes: dict[str, list[str]] = {}
    for frame in tables.values():
        if {"source_id", "quote"} <= set(frame.columns):
            for source_id, quote in zip(frame["source_id"], frame["quote"]):
                if isinstance(quote, str) and quote:
                    quotes.setdefault(source_id, []).append(quote)
    kept = dict(contents)
    sources = tables["sources"].astype(object).where(tables["sources"].notna(), "")
    for row in sources.to_dict("records"):
        path = row.get("corpus_path") or ""
        if not path or path not in contents:
            continue
        shared = [s for s, p in zip(sources["source_id"], sources["corpus_path"]) if p == path]
        record = stand_in({k: str(v) for k, v in row.items()}, contents[path], [q for s in shared for q in quotes.get(s, [])])
        kept.pop(path, None)
        kept[stand_in_path(path)] = (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode()
    return kept


def _site(build_site, descriptor: Path, out: Path, without_texts: bool = False) -> dict[str, bytes]:
    """The website, built in a temporary folder inside `out`, as zip entries under site/."""
    staging = Path(tempfile.mkdtemp(dir=out, prefix=temporary_prefix("release-site")))
    writing(staging)
    try:
        build_site(descriptor, staging / SITE, built_files=False, without_texts=without_texts)
        return {p.relative_to(staging).as_posix(): p.read_bytes() for p in sorted((staging / SITE).rglob("*")) if p.is_file()}
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def zip_makefile(text: str, without_texts: bool = False) -> str:
    """The repository's Makefile with only the ZIP_TARGETS: its paragraphs (separated by blank lines) that
    define another target are left out, and the .PHONY line lists what is left. In a copy without the texts,
    `make validate` accepts the stand-ins (`validate --without-texts`), which plain `validate` refuses."""
    if without_texts:
        text = text.replace("peacetalks validate datapackage.json", "peacetalks validate --without-texts datapackage.json")
    kept = []
    paragraphs = text.split("\n\n")
    # The repository's opening comment speaks of its tests and CI: the zip's header replaces it.
    paragraphs[0] = "\n".join(line for line in paragraphs[0].splitlines() if not line.startswith("#"))
    for paragraph in paragraphs:
        targets = re.findall(r"^([a-z][a-z-]*):", paragraph, re.MULTILINE)
        if any(target not in ZIP_TARGETS for target in targets):
            continue
        kept.append(re.sub(r"^\.PHONY:.*$", ".PHONY: " + " ".join(ZIP_TARGETS), paragraph, flags=re.MULTILINE))
    header = ("# The Makefile of the release: the repository's, with only the targets that work in this folder\n"
              "# (`make help` lists them). The tests, benchmarks and release build are in the repository.\n")
    return header + "\n\n".join(kept).rstrip("\n") + "\n"


def make_targets(makefile: str) -> list[tuple[str, str]]:
    """(target, what it does) for each documented target, in order (what `make help` prints)."""
    return re.findall(r"^([a-z][a-z-]*):.*?## (.*)$", makefile, re.MULTILINE)


def check_changelog(root: Path, version: str) -> None:
    text = _read(root, "CHANGELOG.md")
    if not re.search(rf"^## \[{re.escape(version)}\]", text, re.MULTILINE):
        raise PackageError(f"CHANGELOG.md has no '## [{version}]' heading: describe the release before making it")


# CITATION.cff needs six levels at most (references: a list of mappings with a list of authors); PyYAML builds
# the document by recursion, so a few thousand brackets end it in a RecursionError. Checked on the parser's
# events, which it makes without recursion, before anything is built.
MAX_CITATION_DEPTH = 32


def check_citation(root: Path, version: str) -> None:
    text = _read(root, "CITATION.cff")
    try:
        _refuse_aliases_and_deep_nesting(text)
        citation = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PackageError(f"CITATION.cff{_yaml_problem(exc)}; fix the YAML") from None
    except RecursionError:  # the depth check above should make this unreachable; a traceback never is the answer
        raise PackageError(f"CITATION.cff nests lists or mappings too deeply; the limit is {MAX_CITATION_DEPTH} levels") from None
    cited = str((citation or {}).get("version", "")) if isinstance(citation, dict) else ""
    if cited != version:
        raise PackageError(f"CITATION.cff gives version {cited or '(none)'!r} but datapackage.json {version!r}: make them agree")


def _refuse_aliases_and_deep_nesting(text: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        where = f"line {event.start_mark.line + 1}, column {event.start_mark.column + 1}"
        # An alias repeats a node: nine levels of nine make a billion strings from a few lines (the "billion
        # laughs"), which held release for minutes at 70 MB/s. A citation file never needs one.
        if isinstance(event, yaml.AliasEvent):
            raise PackageError(f"CITATION.cff {where}: uses a YAML alias (*name), which repeats another value; write "
                               "each value out in full")
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_CITATION_DEPTH:
                raise PackageError(f"CITATION.cff {where}: lists or mappings are nested deeper than {MAX_CITATION_DEPTH} "
                                   "levels (the Citation File Format needs six at most); flatten them")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _yaml_problem(error: yaml.YAMLError) -> str:
    """PyYAML's error in one line with its place (its own message takes seven, quoting the file)."""
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        mark = error.problem_mark
        return f" line {mark.line + 1}, column {mark.column + 1}: {error.problem or error.context}"
    if isinstance(error, yaml.reader.ReaderError):  # a character YAML does not allow, such as a NUL
        return f": character {shown(chr(error.character)) if isinstance(error.character, int) else error.character!r} " \
               f"at offset {error.position}: {error.reason}"
    return ": " + " ".join(str(error).split())


def _read(root: Path, name: str) -> str:
    text = read_own_text(root, name)  # no link, a regular file with one name, at most the text limit, UTF-8
    if text is None:
        raise PackageError(f"{name} is missing: a release needs it")
    return text


def _released_bytes(root: Path, relative: str) -> bytes:
    """A file of the release, checked on the file opened (release_paths checked the name before validation,
    which takes seconds: the file may have been replaced since)."""
    try:
        return read_limited(root / relative, MAX_FILE_BYTES)
    except RefusedPath as exc:
        raise PackageError(f"cannot release: {shown(relative)} {exc}") from None


def release_paths(root: Path) -> list[str]:
    """Every file the release takes from the tree, relative to the package root, sorted.

    Refuses a symbolic link or any other file that is not a regular one: a link would put a file from
    outside the package into the zip."""
    wanted = FILES + ["README.md"] + TOOLKIT_FILES + FOLDERS + TOOLKIT_FOLDERS
    wanted += [f for f in OPTIONAL_FOLDERS if (root / f).is_dir() and not (root / f).is_symlink()]
    missing = [f for f in wanted if not (root / f).exists() and not (root / f).is_symlink()]
    if missing:
        raise PackageError(f"cannot release: missing {', '.join(missing)}")
    found = []
    for top in wanted:
        found += [path for path in _walk(root / top) if not _ignored(path.relative_to(root))]
    links = [p.relative_to(root).as_posix() for p in found if p.is_symlink()]
    if links:
        raise PackageError(f"cannot release: {', '.join(links)} {'is a symbolic link' if len(links) == 1 else 'are symbolic links'}; "
                           "a release holds regular files only: replace each link by the file itself")
    for path in found:  # a FIFO, a device, a hard link to a file outside the package
        try:
            refuse_unless_own_regular_file(path.lstat())
        except RefusedPath as exc:
            raise PackageError(f"cannot release: {shown(path.relative_to(root).as_posix())} {exc}") from None
    unfit = [p.relative_to(root).as_posix() for p in found if UNFIT_IN_FILE_NAME.search(p.relative_to(root).as_posix())]
    if unfit:
        raise PackageError(f"cannot release: the file name {shown(unfit[0])} holds a control or invisible character, a "
                           "backslash or bytes that are not UTF-8, which would forge or break a line of SHA256SUMS; rename the file")
    sizes = {p: p.lstat().st_size for p in found}
    large = [p for p, size in sizes.items() if size > MAX_FILE_BYTES]
    if large:
        raise PackageError(f"cannot release: {shown(large[0].relative_to(root).as_posix())} is {sizes[large[0]]:,} bytes; "
                           f"the limit is {MAX_FILE_BYTES:,} bytes a file: remove it from the package")
    if sum(sizes.values()) > MAX_TOTAL_BYTES:
        raise PackageError(f"cannot release: the files come to {sum(sizes.values()):,} bytes; the limit is "
                           f"{MAX_TOTAL_BYTES:,} bytes in all")
    return sorted(p.relative_to(root).as_posix() for p in found)


def _walk(path: Path) -> list[Path]:
    """The path itself, or every file and link under a folder, never following a link."""
    if path.is_symlink() or not path.is_dir():
        return [path]
    found = []
    for folder, folders, files in os.walk(path):  # os.walk does not descend into linked folders
        here = Path(folder)
        found += [here / name for name in files] + [here / name for name in folders if (here / name).is_symlink()]
    return found


def _ignored(relative: Path) -> bool:
    """Editor backups, caches and hidden files are not part of the package."""
    return any(p.startswith(".") or p == "__pycache__" or p.endswith(".egg-info") for p in relative.parts) \
        or relative.suffix == ".pyc"


def sha256sums(contents: dict[str, bytes]) -> str:
    """The `sha256sum` format: '<hex>  <path>' per file, so `sha256sum -c SHA256SUMS` checks an unzipped copy."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {path}\n" for path, data in sorted(contents.items()))


def safe_entry(folder: str, path: str) -> str:
    """`folder/path` if it stays inside `folder` when unzipped (no absolute path, no `..`), else PackageError."""
    parts = PurePosixPath(path).parts
    if not parts or path.startswith("/") or UNFIT_IN_FILE_NAME.search(path) or any(p in ("..", ".", "") for p in parts):
        raise PackageError(f"cannot release: the entry {path!r} would be written outside the release's folder")
    return f"{folder}/{path}"


def write_zip(target: Path, folder: str, contents: dict[str, bytes]) -> None:
    entries = {path: safe_entry(folder, path) for path in contents}  # every name checked before writing
    target.parent.mkdir(parents=True, exist_ok=True)

    def write(temporary: Path) -> None:
        with zipfile.ZipFile(temporary, "w") as archive:
            for path in sorted(contents):
                info = zipfile.ZipInfo(entries[path], date_time=ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # unix, wherever it is built
                info.external_attr = 0o100644 << 16
                archive.writestr(info, contents[path], compresslevel=9)

    try:
        replace_atomically(target, write)
    except OSError as exc:  # a full disk, say: the line names the zip; nothing is left beside it
        raise PackageError(f"{target} could not be written ({exc.strerror or exc}); nothing was left in "
                           f"{target.parent}: run the release again once that is fixed, or name another --out") from None
