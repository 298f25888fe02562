"""`peacetalks site`: a static website of the package, built from the validated package alone.

Plain HTML and CSS, one small hand-written script (filters, sorting), charts as inline SVG: it opens from
disk, works on any static host, and makes no request to any other host.

The site wing, above the others. Owns: the site's build (here), its data (`model`), the quotes' context
(`passages`), the stance colours (`stances`), the charts (`charts`), the pages (`pages`) and their
screenshots (`shots`).
May import: this wing, `peacetalks.publish`, `peacetalks.analysis` and `peacetalks.validation`; never the command line.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markupsafe import Markup

from ..validation.characters import UNFIT_IN_FILE_NAME
from ..validation.leftovers import remove_stale, writing
from ..validation.memory import limit_shown, memory_limited
from ..validation.locate import find_descriptor
from ..validation.ownfiles import check_out, copy_own_file, read_published_text, refuse_linked_out
from ..validation.package import DOCS, PackageError, RefusedPath, through_no_link
from . import charts
from .model import read_site, shown_unseen
from .pages import Pages

DEFAULT_OUT = "site"
# The data limit (ulimit -d) under which vl-convert's V8 cannot start in its own process: measured, a child that
# draws the smallest chart aborts under 550,000 kB and draws it under 600,000 kB (vl-convert 1.9).
ENGINE_MB = 600
MARKER = ".peacetalks-site"  # marks a folder this command wrote, so that a rebuild may replace it
MARKER_TEXT = "Written by `peacetalks site`; rebuilt (deleted and written again) by it.\n"
STATIC = Path(__file__).parent / "static"
# Files offered for download, beside the data and schemas, when the package has them.
EXTRA_DOWNLOADS = ["docs/codebook.md", "docs/coding-manual.md", "README.md", "CHANGELOG.md", "CITATION.cff", "LICENSE", "LICENSE-DATA.md"]
MARKDOWN_PAGES = {
    "docs/codebook.md": ("codebook.html", "Codebook", "every table and column: type, constraints, vocabulary, keys"),
    "docs/coding-manual.md": ("coding-manual.html", "Coding manual",
                              "how each row was coded: rules, examples, hard cases, measured reliability"),
    "README.md": ("readme.html", "README", "how the data was made, its conventions, validation and tools"),
}


@dataclass
class Built:
    out: Path
    pages: int
    files: int
    size: int
    seconds: float


def build_site(descriptor: str | Path | None, out: str | Path = DEFAULT_OUT, built_files: bool = True,
               without_texts: bool = False) -> Built:
    """Validate, then build the site into a new folder beside `out` and put it in place of `out` only when it
    is complete: an interrupted or failed build leaves `out` as it was (and no half-built folder), so the
    next build is never blocked; of two builds at once into one `out`, the last to finish wins.
    `built_files`: offer the release zip and the exports when they have been built (a release leaves them
    out: its zip holds its own exports beside the site). `without_texts`: each source text page shows only
    the quoted passages in their sentences."""
    started = time.perf_counter()
    descriptor = find_descriptor(descriptor)
    check_out(descriptor, out)  # before the slower validation, so that a wrong --out is said at once
    out = Path(out)
    _check_out(out)
    engine = charts.Engine()  # it starts (0.4 s) while the package is validated
    try:
        if memory_limited():  # likewise said at once (and validation itself can fail under a low limit)
            _check_chart_engine(engine)
        site = read_site(descriptor, without_texts)
        _check_chart_engine(engine)
        _beside(out).mkdir(parents=True, exist_ok=True)
        _remove_stale_builds(out)
        staging = Path(tempfile.mkdtemp(dir=_beside(out), prefix=f".{_name(out)}.building-{os.getpid()}-"))
        writing(staging)
        try:
            # Marked first, so that a build killed midway (SIGKILL) leaves a folder the next build knows as its own.
            (staging / MARKER).write_text(MARKER_TEXT)
            count = _build_into(site, staging, built_files, engine)
            _replace(out, staging)
        except MemoryError:  # under a data limit (ulimit -d) too low for this package
            raise PackageError(f"out of memory while building the site ({limit_shown()}); {out} is as it was; raise "
                               "the limit (the site of a 200,000-row package builds under ulimit -d 3000000)") from None
        except charts.EngineStopped as stopped:  # V8 aborted in its own process: this one says so and cleans up
            raise PackageError(f"the chart engine (vl-convert) stopped while drawing the site's charts ({stopped}; "
                               f"{limit_shown()}); {out} is as it was; raise or remove the memory limit (the site of "
                               "a 200,000-row package builds under ulimit -d 3000000)") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)  # gone already when the build was put in place
    finally:
        engine.close()
    files = [p for p in out.rglob("*") if p.is_file()]
    return Built(out, count, len(files), sum(p.stat().st_size for p in files), time.perf_counter() - started)


def _build_into(site, out: Path, built_files: bool = True, engine: charts.Engine | None = None) -> int:
    """Write every page and file of the site into the empty folder `out`; returns the number of pages."""
    root = site.package.root
    downloads = _copy_downloads(site, root, out, built_files)
    downloads += _copy_images(root, out)
    # A link or a file outside the package is not published (a stranger's README -> ~/.ssh/...).
    texts = {source: read_published_text(root, source) for source in MARKDOWN_PAGES}
    markdown = {source: page for source, page in MARKDOWN_PAGES.items() if texts[source] is not None}
    count = 0
    with charts.rendering(engine):
        pages = Pages(site, [(f"downloads/{path}", label) for path, label in downloads], list(markdown.values()))
        for path, html in pages.all():
            _write(out / path, html)
            count += 1
    for source, (path, title, _) in markdown.items():
        _write(out / path, _markdown_page(pages, root / source, texts[source], path, title, {d for d, _ in downloads}))
        count += 1
    (out / "assets").mkdir(exist_ok=True)
    for asset in STATIC.iterdir():
        shutil.copyfile(asset, out / "assets" / asset.name)
    (out / MARKER).write_text(MARKER_TEXT)
    os.chmod(out, 0o755)  # mkdtemp makes it private; a site is for reading
    return count


def _replace(out: Path, built: Path) -> None:
    """Put the folder `built` where `out` is, moving the old site aside first (renames within one folder). If
    the new site cannot be put in place, the old one is put back; the folder it was moved into is removed
    unless the old site could not be put back."""
    for _ in range(5):  # another build may put its site in place between the two renames: move it aside too
        _check_out(out)
        old = _move_aside(out)
        try:
            built.rename(_absolute(out))
            return
        except OSError as exc:
            if os.path.lexists(_absolute(out)):
                continue  # `out` is back (another build's): try again
            # Nothing in the way: the rename itself failed. The old site goes back; its folder is removed only then.
            moved, old = old, None
            _put_back(moved, out)
            old = moved
            raise PackageError(f"{out} could not be replaced by the new site ({exc.strerror or exc}); {out} is as it "
                               "was: name another --out") from None
        finally:
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
    raise PackageError(f"{out} keeps being replaced by another build; run one `peacetalks site` at a time")


def _move_aside(out: Path) -> Path | None:
    """Move the site at `out` into a new hidden folder beside it and return that folder (None when there was
    no site); PackageError, leaving nothing beside `out`, when it cannot be moved (a mount point, say)."""
    if not out.exists():
        return None
    old = Path(tempfile.mkdtemp(dir=_beside(out), prefix=f".{_name(out)}.old-{os.getpid()}-"))
    writing(old)
    try:
        _absolute(out).rename(old / "site")
    except FileNotFoundError:  # another build moved it away meanwhile
        pass
    except OSError as exc:
        shutil.rmtree(old, ignore_errors=True)
        raise PackageError(f"{out} could not be moved aside to put the new site in its place ({exc.strerror or exc}); "
                           f"{out} is as it was: name another --out") from None
    return old


def _put_back(old: Path | None, out: Path) -> None:
    """Return the site moved aside into `old` to `out`. Raises PackageError, keeping `old` and naming it, if
    even that fails: the only copy of the old site is never removed."""
    if old is None or not (old / "site").is_dir():  # nothing was moved aside
        return
    try:
        (old / "site").rename(_absolute(out))
    except OSError as exc:
        raise PackageError(f"{out} could not be replaced by the new site, nor the old site put back ({exc.strerror or exc}); "
                           f"the old site is in {old / 'site'}: move it back yourself") from None


def _absolute(out: Path) -> Path:
    """`out` as an absolute path without `.` or `..`: `--out .` names the folder by its name, not by `.`."""
    return Path(os.path.abspath(out))


def _beside(out: Path) -> Path:
    """The folder that holds `out`, where the new site is built and the old one moved aside."""
    return _absolute(out).parent


def _name(out: Path) -> str:
    return _absolute(out).name


def _remove_stale_builds(out: Path) -> None:
    """Remove what a build of `out` killed midway (SIGKILL, a power cut) left beside it: its folder being built,
    or the old site it had moved aside (validation/leftovers.py: named with the process that made it, that
    process gone, this user's). Only a folder holding the site's marker too (a folder being built is marked
    first). A build running now, or anyone else's folder of a like name, is left alone."""
    for kind, marker in (("building", MARKER), ("old", f"site/{MARKER}")):
        pattern = re.compile(rf"\.{re.escape(_name(out))}\.{kind}-(?P<pid>\d+)-\w+")
        remove_stale(_beside(out), pattern, ours=lambda folder: _is_marked(folder / marker))


def _is_marked(marker: Path) -> bool:
    return marker.is_file() and not marker.is_symlink()


def _check_chart_engine(engine: charts.Engine) -> None:
    """Under an address-space limit (`ulimit -v`), vl-convert's V8 aborts, with no message, when it starts: it
    reserves far more address space than it uses. Under a data limit (`ulimit -d`) below about 600 MB it aborts
    too (its code range counts). It runs in a child process (`charts.Engine`), whose first chart is the smallest:
    if that one is not drawn, say so in one line, before anything is written."""
    try:
        engine.started()
        return
    except charts.EngineStopped as stopped:
        why = str(stopped)
    address, data = resource.getrlimit(resource.RLIMIT_AS)[0], resource.getrlimit(resource.RLIMIT_DATA)[0]
    if address != resource.RLIM_INFINITY:
        raise PackageError(f"the chart engine (vl-convert) cannot start under this address-space limit (ulimit -v "
                           f"{address // 1024:,} kB): it reserves far more address space than the build's memory; "
                           "remove the limit for `peacetalks site`, and cap its memory with a data limit (ulimit -d "
                           "3000000 for up to 200,000 rows) or a cgroup (systemd-run -p MemoryMax=2G, docker --memory 2g)")
    if data != resource.RLIM_INFINITY:
        raise PackageError(f"the chart engine (vl-convert) cannot start under this data limit (ulimit -d {data // 1024:,} "
                           f"kB): it needs about {ENGINE_MB} MB to start; raise the limit (the site of a 200,000-row "
                           "package builds under ulimit -d 3000000)")
    raise PackageError(f"the chart engine (vl-convert) could not start ({why}); run the command again, and "
                       "if it fails again, reinstall the toolkit (pip install --force-reinstall vl-convert-python)")


def _check_out(out: Path) -> None:
    """The output folder may be replaced only if this command wrote it (or it is empty): never someone's files,
    and never through a symbolic link (a package can ship `site -> elsewhere`)."""
    refuse_linked_out(out)  # checked again before each rename: another build may have put a link there
    if _holds_current_folder(out):
        raise PackageError(f"--out {str(out)!r} holds the current folder, which replacing it would pull away from "
                           "under you: name another folder, or run the command from outside it")
    if out.exists():
        if not out.is_dir():
            raise PackageError(f"{out} is a file; give --out a folder")
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise PackageError(f"{out} is not empty and was not written by `peacetalks site`; "
                               f"choose another --out or empty it yourself")


def _holds_current_folder(out: Path) -> bool:
    try:
        here = Path.cwd().resolve()
    except OSError:  # the current folder was removed: nothing to pull away
        return False
    return here.is_relative_to(out.resolve())


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _copy_downloads(site, root: Path, out: Path, built_files: bool = True) -> list[tuple[str, str]]:
    """Copy the package's files into downloads/ (only files inside the package) and say what each is."""
    wanted = [(site.package.descriptor_path.name, "Data package descriptor (datapackage.json)")]
    for resource in site.resources:
        wanted.append((resource.path, f"{resource.name}: CSV"))
        if resource.schema_path:
            wanted.append((resource.schema_path, f"{resource.name}: Table Schema"))
    wanted += [(path, path) for path in EXTRA_DOWNLOADS]
    version, name = site.version(), site.package.descriptor.get("name", "")
    if built_files:
        wanted.append((f"dist/{name}-{version}.zip", "Release zip with SHA256SUMS (built by `make release`)"))
    exports = root / "exports"
    if exports.is_dir() and not exports.is_symlink() and built_files:  # a link to / would be walked whole
        wanted += [(p.relative_to(root).as_posix(), f"Export: {p.relative_to(exports).as_posix()}")
                   for p in sorted(exports.rglob("*")) if p.is_file()]
    copied = []
    for path, label in wanted:
        try:  # a link, even one inside the package (CHANGELOG.md -> .git/config), is never published
            source = through_no_link(root, path)
        except RefusedPath:
            continue
        if source.is_file():
            relative = source.relative_to(root).as_posix()
            _publish(root, relative, out)  # a hard link is refused: it may be a file from outside the package
            copied.append((relative, label))
    return copied


def _publish(root: Path, relative: str, out: Path) -> None:
    target = out / "downloads" / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    copy_own_file(root, relative, target)


# The images the site publishes: the package's pictures in docs/ (never SVG, which can carry a script when
# opened by itself), whether or not a page shows them. A Markdown image may show only one of these, so a
# page that names `.git/config` or `.env` as an image publishes nothing.
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}


def _fit_name(name: str) -> bool:
    """A file name the site may publish: UTF-8 (a page cannot name another; Python holds other bytes as
    surrogates) and free of what `release` refuses in a name (a control, invisible or bidirectional character:
    `a<U+202E>gnp.png` reads as another name)."""
    return not UNFIT_IN_FILE_NAME.search(name)


def _copy_images(root: Path, out: Path) -> list[tuple[str, str]]:
    folder = root / DOCS
    if folder.is_symlink() or not folder.is_dir():
        return []
    copied = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in IMAGE_SUFFIXES and not path.name.startswith(".") and not path.is_symlink() \
                and path.is_file() and _fit_name(path.name):
            relative = f"{DOCS}/{path.name}"
            _publish(root, relative, out)
            copied.append((relative, f"Image: {relative}"))
    return copied


def _markdown_page(pages: Pages, source: Path, text: str, path: str, title: str, downloads: set[str]) -> str:
    """A Markdown file of the package as a page: headings get GitHub's anchors; links to other files of the
    package point at their page or download, links to other hosts are kept only as http(s) or mailto, and
    links to files the site does not carry become text. An image shows only a picture the site publishes
    (_copy_images); any other becomes its alt text (the site requests nothing from elsewhere).

    Raw HTML is off: a `<script>` or `<img onerror>` in the README is shown as text, never run (the page's
    Content-Security-Policy would refuse it too)."""
    markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = markdown.parse(shown_unseen(text))
    used: dict[str, int] = {}
    for token, following in zip(tokens, tokens[1:]):
        if token.type == "heading_open":
            slug = re.sub(r"[^\w\- ]", "", following.content.lower()).replace(" ", "-")
            used[slug] = used.get(slug, -1) + 1
            token.attrSet("id", slug if not used[slug] else f"{slug}-{used[slug]}")
        for child in following.children or []:
            if child.type == "link_open":
                child.attrSet("href", _link(child.attrGet("href") or "", source, pages.site.package.root, downloads))
            elif child.type == "image":
                src = _image(child.attrGet("src") or "", source, pages.site.package.root, downloads)
                if src:
                    child.attrSet("src", src)
                else:
                    child.type, child.content, child.children = "text", f"[image: {child.content}]", None
    body = markdown.renderer.render(tokens, markdown.options, {})
    body = re.sub(r'<a href="">(.*?)</a>', r"\1", body, flags=re.S)
    return pages.render(path, "markdown.html", title, body=Markup(body))[1]



def _image(src: str, source: Path, root: Path, downloads: set[str]) -> str:
    """The site path of an image the site publishes; "" for anything else (another host, another file)."""
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//|^\\", src, re.I):
        return ""
    relative = (source.parent.relative_to(root) / src.partition("#")[0].partition("?")[0]).as_posix()
    relative = "/".join(part for part in relative.split("/") if part not in ("", "."))
    is_image = Path(relative).suffix.lower() in IMAGE_SUFFIXES
    return f"downloads/{relative}" if is_image and relative in downloads else ""


SAFE_SCHEME = re.compile(r"^(https?|mailto):", re.I)


def _link(href: str, source: Path, root: Path, downloads: set[str]) -> str:
    """Where a Markdown link may lead: another host over http(s), an e-mail address, an anchor, or a page or
    download of the site itself; "" (the link becomes text) for anything else, `javascript:` and `data:` included."""
    if href.startswith("#") or SAFE_SCHEME.match(href):
        return href
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//|^\\", href, re.I):
        return ""
    target, _, anchor = href.partition("#")
    path = (source.parent / target).resolve()
    try:
        relative = path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return ""
    if relative in MARKDOWN_PAGES and (root / relative).is_file():
        return MARKDOWN_PAGES[relative][0] + (f"#{anchor}" if anchor else "")
    return f"downloads/{relative}" if relative in downloads else ""


__all__ = ["build_site", "Built", "DEFAULT_OUT"]
