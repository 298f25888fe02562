"""Where the commands write: never over or into the package they read (hostile round 4, B5), never half an
export before a refusal (B4), never a file Windows cannot create, and nothing left beside the output when
putting it in place fails."""

import errno
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from peacetalks.cli import main
from peacetalks.validation.filenames import windows_device
from peacetalks.site import build_site

ADVICE = ("writing there would overwrite or mix with the package's files; choose a path outside the package, or a "
          "new one inside it (like exports or site)")
MARKER = ".peacetalks-site"  # what `site` leaves in a folder it built; a package can ship one anywhere


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def files(folder: Path) -> dict:
    """Every file under `folder`, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# --- B5: an --out that is, holds or lies inside the package's own files -----------------------------------

@pytest.mark.parametrize("folder", ["data", "docs", "schemas", "corpus"])
def test_site_refuses_a_package_folder_even_with_a_shipped_marker(pkg, folder):
    """`site --out data` with data/.peacetalks-site shipped in the package replaced data/*.csv with pages."""
    pkg.path(folder).mkdir(exist_ok=True)
    (pkg.path(folder) / MARKER).write_text("shipped with the package\n")
    before = files(pkg.root)
    result = run("site", "--out", pkg.path(folder), pkg.descriptor)
    assert result.exit_code == 1
    assert result.output == f"peacetalks: --out '{pkg.path(folder)}' is the package's own folder {folder}: {ADVICE}\n"
    assert files(pkg.root) == before


def test_site_refuses_the_package_root_and_leaves_nothing_beside_it(pkg, monkeypatch):
    """`site --out .` in a package that ships a marker ended in EBUSY, with `..old-<pid>-*` left in the parent."""
    pkg.path(MARKER).write_text("shipped with the package\n")
    monkeypatch.chdir(pkg.root)
    before = set(os.listdir(pkg.root.parent))
    result = run("site", "--out", ".", pkg.descriptor)
    assert result.exit_code == 1
    assert result.output == f"peacetalks: --out '.' is the package's own folder ({pkg.root.resolve()}): {ADVICE}\n"
    assert set(os.listdir(pkg.root.parent)) == before


@pytest.mark.parametrize("command", ["site", "export", "release"])
def test_an_out_that_holds_the_package_is_refused(pkg, command):
    parent = pkg.root.parent
    before = files(parent)
    result = run(command, "--out", parent, pkg.descriptor)
    assert result.exit_code == 1
    assert result.output == f"peacetalks: --out '{parent}' holds the package ({pkg.root.resolve()}): {ADVICE}\n"
    assert files(parent) == before


@pytest.mark.parametrize("command, out, where", [
    ("export", "data", "is the package's own folder data"),
    ("export", "schemas/json", "lies inside the package's own folder schemas"),
    ("export", "Corpus", "is the package's own folder Corpus"),  # one folder where case is ignored (macOS, Windows)
    ("release", "data", "is the package's own folder data"),
    ("export", "data/../docs/x", "lies inside the package's own folder docs"),
    ("export", ".git", "is the package's own folder .git"),
    ("export", "LICENSE-CODE/x", "lies inside the package's own file LICENSE-CODE"),
])
def test_export_and_release_refuse_the_package_folders(pkg, command, out, where):
    pkg.path("docs").mkdir()
    pkg.path("LICENSE-CODE").write_text("MIT\n")
    before = files(pkg.root)
    result = run(command, "--out", pkg.path(out), pkg.descriptor)
    assert result.exit_code == 1
    assert result.output == f"peacetalks: --out '{pkg.path(out)}' {where}: {ADVICE}\n"
    assert files(pkg.root) == before


def test_a_link_to_a_package_folder_is_refused_too(pkg, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "tables").symlink_to(pkg.path("data"))
    before = files(pkg.root)
    result = run("export", "--out", tmp_path / "elsewhere" / "tables" / "x", pkg.descriptor)
    assert result.exit_code == 1
    assert result.output == (f"peacetalks: --out '{tmp_path / 'elsewhere' / 'tables' / 'x'}' lies inside the "
                             f"package's own folder data: {ADVICE}\n")
    assert files(pkg.root) == before


@pytest.mark.parametrize("target", ["datapackage.json", "README.md", "CITATION.cff", "docs/coding-manual.md"])
def test_docs_does_not_write_the_codebook_over_a_package_file(pkg, target):
    """`docs --out datapackage.json` wrote the codebook over the descriptor."""
    pkg.path("docs").mkdir()
    for name in ["README.md", "CITATION.cff", "docs/coding-manual.md"]:
        pkg.path(name).write_text("mine\n")
    before = files(pkg.root)
    result = run("docs", "--out", pkg.path(target), pkg.descriptor)
    assert result.exit_code == 1
    top = target.split("/")[0]
    where = "lies inside the package's own folder docs" if "/" in target else f"is the package's own file {top}"
    assert result.output == f"peacetalks: --out '{pkg.path(target)}' {where}: {ADVICE}\n"
    assert files(pkg.root) == before


def test_docs_may_still_be_told_to_write_its_own_codebook(pkg):
    result = run("docs", "--out", pkg.path("docs/codebook.md"), pkg.descriptor)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {pkg.path('docs/codebook.md')} (")
    assert pkg.path("docs/codebook.md").read_text().startswith("# ")


def test_site_refuses_to_replace_the_folder_it_is_run_from(pkg, tmp_path, monkeypatch):
    """Outside the package, but the current folder: replacing it would leave the shell in a removed folder
    (and `--out .` could not be renamed at all: EBUSY)."""
    old_site = tmp_path / "old-site"
    old_site.mkdir()
    (old_site / MARKER).write_text("built earlier\n")
    monkeypatch.chdir(old_site)
    result = run("site", "--out", ".", pkg.descriptor)
    assert result.exit_code == 1
    assert result.output == ("peacetalks: --out '.' holds the current folder, which replacing it would pull away "
                             "from under you: name another folder, or run the command from outside it\n")
    assert sorted(os.listdir(tmp_path)) == ["old-site", "pkg"]


def test_site_that_cannot_be_moved_aside_says_so_and_leaves_nothing_behind(pkg, tmp_path, monkeypatch):
    """A folder the system will not rename (a mount point: EBUSY) ended in a traceback-like OSError line with
    the folder it was to be moved into left beside it."""
    out = tmp_path / "site"
    out.mkdir()
    (out / MARKER).write_text("built earlier\n")
    (out / "index.html").write_text("the old site\n")
    rename = Path.rename

    def busy(self, target):
        if self == out:
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(self))
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", busy)
    result = run("site", "--out", out, pkg.descriptor)
    assert result.exit_code == 1
    assert result.output == (f"peacetalks: {out} could not be moved aside to put the new site in its place (Device or "
                             f"resource busy); {out} is as it was: name another --out\n")
    assert sorted(os.listdir(tmp_path)) == ["pkg", "site"]
    assert files(out) == {MARKER: b"built earlier\n", "index.html": b"the old site\n"}


def test_site_that_cannot_be_put_in_place_puts_the_old_one_back(pkg, tmp_path, monkeypatch):
    out = tmp_path / "site"
    out.mkdir()
    (out / MARKER).write_text("built earlier\n")
    rename = Path.rename

    def refused(self, target):
        if Path(target) == out and self.name.startswith(".site.building-"):
            raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", refused)
    with pytest.raises(Exception) as raised:
        build_site(pkg.descriptor, out)
    assert str(raised.value) == (f"{out} could not be replaced by the new site (Permission denied); {out} is as it "
                                 "was: name another --out")
    assert sorted(os.listdir(tmp_path)) == ["pkg", "site"] and files(out) == {MARKER: b"built earlier\n"}


# --- B4: every target of an export checked before anything is written ----------------------------------------

@pytest.mark.parametrize("folder", ["json", "parquet", "stata"])
def test_export_writes_nothing_when_a_format_folder_is_a_link(pkg, tmp_path, folder):
    """`exports/stata -> elsewhere` was refused only after the SQLite, Parquet, XLSX and JSON files were written."""
    victim = tmp_path / "victim"
    victim.mkdir()
    out = tmp_path / "exports"
    out.mkdir()
    (out / folder).symlink_to(victim)
    result = run("export", "--out", out, pkg.descriptor)
    assert result.exit_code == 2
    assert result.output == (f"peacetalks: --out '{out / folder}' is a symbolic link (to {victim}): the link may have "
                             "come with the package, and writing through it would write outside the folder you named; "
                             "name a real folder\n")
    assert os.listdir(out) == [folder] and os.listdir(victim) == []


def test_export_writes_nothing_when_a_file_stands_where_a_format_folder_goes(pkg, tmp_path):
    out = tmp_path / "exports"
    out.mkdir()
    (out / "stata").write_text("not a folder\n")
    result = run("export", "--out", out, pkg.descriptor)
    assert result.exit_code == 1
    assert result.output == (f"peacetalks: {out / 'stata'} is a file, and the export writes a folder there: move or "
                             "remove it, or name another --out; nothing was written\n")
    assert os.listdir(out) == ["stata"]


def test_export_writes_nothing_when_a_folder_stands_where_a_file_goes(pkg, tmp_path):
    out = tmp_path / "exports"
    (out / "json" / "actors.json").mkdir(parents=True)
    result = run("export", "--out", out, pkg.descriptor)
    assert result.exit_code == 1
    assert result.output == (f"peacetalks: {out / 'json' / 'actors.json'} is a folder, and the export writes a file "
                             "there: move or remove it, or name another --out; nothing was written\n")
    assert [p.relative_to(out).as_posix() for p in sorted(out.rglob("*"))] == ["json", "json/actors.json"]


# --- Windows device names ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["com0", "lpt0", "com9", "con", "nul"])
def test_a_package_named_like_a_windows_device_is_not_exported(pkg, tmp_path, name):
    """`com0.sqlite` cannot be created on Windows; COM0 and LPT0 were missing from the list. validate refuses the
    name as export does (validation/filenames.py), so export stops at validation and writes nothing."""
    pkg.edit_json("datapackage.json", lambda d: d.update(name=name))
    result = run("export", "--out", tmp_path / "exports", pkg.descriptor)
    assert result.exit_code == 1
    assert result.output == (f"peacetalks: the package is not valid (1 problem):\n  datapackage.json name {name!r} is "
                             "a name Windows keeps for a device (CON, PRN, AUX, NUL, COM0 to COM9, LPT0 to LPT9): a "
                             "file named after it cannot be created there; rename it\n")
    assert not (tmp_path / "exports").exists()


def test_windows_devices_include_zero_and_the_superscript_digits():
    for name in ["COM0", "lpt0", "COM¹", "com²", "LPT³", "lpt¹.txt", "Con.json"]:
        assert windows_device(name), name
    for name in ["com10", "console", "lpt", "com⁴", "nul-x"]:
        assert not windows_device(name), name


def test_docs_out_replaces_a_link_and_never_writes_through_it(pkg, tmp_path):
    """`docs --out` wrote with write_text, which follows a link at the path (and leaves half a file if it fails)."""
    victim = tmp_path / "victim.md"
    victim.write_text("ORIGINAL\n")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "codebook.md").symlink_to(victim)
    result = run("docs", "--out", tmp_path / "out" / "codebook.md", pkg.descriptor)
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "ORIGINAL\n" and not (tmp_path / "out" / "codebook.md").is_symlink()
    assert os.listdir(tmp_path / "out") == ["codebook.md"]


def test_an_export_file_that_cannot_be_written_is_named_and_leaves_no_temporary_file(pkg, tmp_path, monkeypatch):
    """A full disk while the XLSX was saved ended in a bare "peacetalks: No space left on device"."""
    import errno
    import zipfile

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(zipfile.ZipFile, "writestr", full)
    out = tmp_path / "exports"
    result = run("export", "--format", "xlsx", "--out", out, pkg.descriptor)
    assert result.exit_code == 1
    assert result.output == (f"peacetalks: {out / 'ukraine-peace-talks.xlsx'} could not be written (No space left on "
                             "device); it is as it was, and no temporary file is left: run the export again once that "
                             "is fixed, or name another --out\n")
    assert os.listdir(out) == []
