"""`peacetalks release`: the versioned, reproducible zip of the package, with a SHA256SUMS of its files.

Only a package that validates, whose codebook is current and whose CHANGELOG and CITATION.cff name the
version in datapackage.json is released. The zip is byte-for-byte reproducible: sorted entries, fixed
timestamps and permissions, fixed compression level.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import yaml

from .codebook import DEFAULT_OUT, check_codebook
from .loader import InvalidPackageError
from .package import PackageError, open_package
from .engine import validate

FILES = ["datapackage.json", DEFAULT_OUT, "README.md", "CHANGELOG.md", "CITATION.cff", "LICENSE", "LICENSE-DATA.md"]
FOLDERS = ["data", "schemas", "checks", "corpus"]
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can hold: no build time leaks into the bytes


def release(descriptor: str | Path | None, out: str | Path = "dist") -> tuple[Path, int]:
    """Check, then write <out>/<name>-<version>.zip; returns its path and the number of files in it."""
    problems = validate(descriptor)
    if problems:
        raise InvalidPackageError(problems)
    check_codebook(descriptor)
    package, _ = open_package(descriptor)
    name, version = package.descriptor.get("name"), package.descriptor.get("version")
    if not name or not version:
        raise PackageError(f"{package.descriptor_path.name}: needs a name and a version to be released")
    check_changelog(package.root, version)
    check_citation(package.root, version)
    contents = {path: (package.root / path).read_bytes() for path in release_paths(package.root)}
    contents["SHA256SUMS"] = sha256sums(contents).encode()
    target = Path(out) / f"{name}-{version}.zip"
    write_zip(target, f"{name}-{version}", contents)
    return target, len(contents)


def check_changelog(root: Path, version: str) -> None:
    text = _read(root / "CHANGELOG.md")
    if not re.search(rf"^## \[{re.escape(version)}\]", text, re.MULTILINE):
        raise PackageError(f"CHANGELOG.md has no '## [{version}]' heading: describe the release before making it")


def check_citation(root: Path, version: str) -> None:
    try:
        citation = yaml.safe_load(_read(root / "CITATION.cff"))
    except yaml.YAMLError as exc:
        raise PackageError(f"CITATION.cff is not valid YAML: {exc}") from None
    cited = str((citation or {}).get("version", "")) if isinstance(citation, dict) else ""
    if cited != version:
        raise PackageError(f"CITATION.cff gives version {cited or '(none)'!r} but datapackage.json {version!r}: make them agree")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PackageError(f"{path.name} is missing: a release needs it") from None


def release_paths(root: Path) -> list[str]:
    """Every file the release holds, relative to the package root, sorted."""
    missing = [f for f in FILES + FOLDERS if not (root / f).exists()]
    if missing:
        raise PackageError(f"cannot release: missing {', '.join(missing)}")
    found = set(FILES)
    for folder in FOLDERS:
        for path in (root / folder).rglob("*"):
            relative = path.relative_to(root)
            # Editor backups, caches and hidden files are not part of the package.
            if path.is_file() and not any(p.startswith(".") or p == "__pycache__" for p in relative.parts) \
                    and path.suffix != ".pyc":
                found.add(relative.as_posix())
    return sorted(found)


def sha256sums(contents: dict[str, bytes]) -> str:
    """The `sha256sum` format: '<hex>  <path>' per file, so `sha256sum -c SHA256SUMS` checks an unzipped copy."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {path}\n" for path, data in sorted(contents.items()))


def write_zip(target: Path, folder: str, contents: dict[str, bytes]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    try:
        with zipfile.ZipFile(temporary, "w") as archive:
            for path in sorted(contents):
                info = zipfile.ZipInfo(f"{folder}/{path}", date_time=ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # unix, wherever it is built
                info.external_attr = 0o100644 << 16
                archive.writestr(info, contents[path], compresslevel=9)
        temporary.replace(target)
    finally:
        temporary.unlink(missing_ok=True)
