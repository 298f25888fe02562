"""The house keeps its wings (docs/architecture.md): every module of the toolkit imports only its own wing and
the wings below it, no two modules import each other round a circle, and the tests reach a wing through its
public names. Read from the source with `ast`, so an import inside a function counts as much as one at the top."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import peacetalks

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "src"
CHECKS = REPO / "checks"

# Lowest first: a module may import its own wing and any wing before it in this list, never one after it.
WINGS = ["validation", "analysis", "publish", "site", "top"]
TOP_MODULES = {"peacetalks", "peacetalks.__main__", "peacetalks.cli", "peacetalks.bench"}
# The dataset rules in checks/ (installed as peacetalks.checks) are plugged into validation by its rulebook.
WING_OF_FOLDER = {"checks": "validation"}


def module_files(source: Path, checks: Path | None) -> dict[str, Path]:
    """Every module of the toolkit by its dotted name: src/peacetalks/**.py, and checks/*.py as peacetalks.checks."""
    modules = {}
    for path in sorted(source.rglob("*.py")):
        parts = path.relative_to(source).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    if checks is not None:
        for path in sorted(checks.glob("*.py")):
            modules["peacetalks.checks" + ("" if path.stem == "__init__" else f".{path.stem}")] = path
    return modules


def imported_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """The toolkit's modules that `name` imports anywhere in its text (relative imports resolved)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[:len(package) - node.level + 1] + [node.module or ""]) if node.level else node.module
            base = base.strip(".")
            # `from . import positions` imports a module; `from .engine import validate` imports a name of one
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        found |= {target for target in targets if target.split(".")[0] == "peacetalks" and target != name}
    # A package's __init__ loading its own modules (checks/ collects its rules so) is no edge: importing a
    # module runs its package's __init__ first anyway, so that dependency is always there and never a circle.
    own = {target for target in found if path.name == "__init__.py" and target.rpartition(".")[0] == name}
    return {target for target in found - own if target in known}


def import_graph(source: Path, checks: Path | None = None) -> dict[str, set[str]]:
    modules = module_files(source, checks)
    return {name: imported_modules(name, path, set(modules)) for name, path in modules.items()}


def wing_of(module: str) -> str | None:
    """The wing a module lives in, or None for a module outside every wing."""
    if module in TOP_MODULES:
        return "top"
    folder = module.split(".")[1] if "." in module else ""
    folder = WING_OF_FOLDER.get(folder, folder)
    return folder if folder in WINGS[:-1] else None


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import circle once, as the modules round it starting from the smallest name."""
    found, state = set(), {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                circle = trail[trail.index(target):]
                start = circle.index(min(circle))
                found.add(tuple(circle[start:] + circle[:start]))
            elif target not in state:
                visit(target, trail + [target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return [list(circle) for circle in sorted(found)]


def architecture_problems(graph: dict[str, set[str]]) -> list[str]:
    problems = []
    for module in sorted(graph):
        wing = wing_of(module)
        if wing is None:
            problems.append(f"{module} is in no wing: move it into validation/, analysis/, publish/ or site/ "
                            f"(see docs/architecture.md)")
            continue
        for target in sorted(graph[module]):
            target_wing = wing_of(target)
            if target_wing is not None and WINGS.index(target_wing) > WINGS.index(wing):
                problems.append(f"{module} imports {target}: the {wing} wing may not import the higher {target_wing} "
                                f"wing; move the shared code down to {wing}/ or below, or pass it in as an argument")
    for circle in circles(graph):
        problems.append(f"import circle: {' -> '.join(circle + circle[:1])}; break it by moving what both need "
                        f"into one of them or a module below both")
    return problems


def private_imports(folder: Path) -> list[str]:
    """`from peacetalks.<wing>.<module> import _name` in the tests: a test reaching behind a wing's public names."""
    found = []
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("peacetalks"):
                found += [f"{path.name}:{node.lineno} imports {node.module}.{alias.name}, a private name: test it through "
                          f"a public function of its wing" for alias in node.names if alias.name.startswith("_")]
    return found


# -- the real toolkit ------------------------------------------------------------------------------------

def test_the_toolkit_keeps_its_wings():
    graph = import_graph(SOURCE, CHECKS)
    assert {wing_of(module) for module in graph} == set(WINGS)  # every wing is there, and the graph was read
    assert "peacetalks.validation.engine" in graph["peacetalks.validation.loader"]
    assert architecture_problems(graph) == []


def test_the_tests_use_only_public_names_of_the_wings():
    assert private_imports(REPO / "tests") == []
    assert private_imports(REPO / "examples") == []


def test_each_wing_says_what_it_owns_and_may_import():
    for wing in WINGS[:-1]:
        doc = ast.get_docstring(ast.parse((SOURCE / "peacetalks" / wing / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "May import:" in doc and "Owns" in doc, wing


def test_the_public_api_is_where_it_was():
    import importlib
    import pkgutil

    for module in pkgutil.walk_packages(peacetalks.__path__, "peacetalks."):
        if not module.name.endswith(("__main__", ".shots")):  # __main__ runs the CLI; shots needs a browser
            importlib.import_module(module.name)
    from peacetalks.analysis import positions
    from peacetalks.validation import engine, loader

    # importing every wing (peacetalks.validation among them) does not replace the function peacetalks.validate
    assert peacetalks.validate is engine.validate and peacetalks.load is loader.load
    assert peacetalks.positions is positions and peacetalks.InvalidPackageError is loader.InvalidPackageError
    from peacetalks.cli import run

    assert callable(run) and sorted(peacetalks.__all__) == sorted(
        ["load", "validate", "positions", "InvalidPackageError", "PackageNotFoundError", "Tables", "__version__"])


# -- broken copies: a fake toolkit that breaks each rule, and the exact message --------------------------

def fake_toolkit(tmp_path: Path, files: dict[str, str]) -> Path:
    source = tmp_path / "src"
    for name, text in {"peacetalks/__init__.py": "", "peacetalks/validation/__init__.py": "",
                       "peacetalks/analysis/__init__.py": "", "peacetalks/publish/__init__.py": "", **files}.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return source


def test_an_import_from_a_lower_wing_to_a_higher_one_is_named(tmp_path):
    source = fake_toolkit(tmp_path, {
        "peacetalks/validation/loader.py": "def load():\n    from ..analysis.timeline import place  # inside a function\n",
        "peacetalks/analysis/timeline.py": "from ..validation import dates\n",
        "peacetalks/validation/dates.py": "",
    })
    assert architecture_problems(import_graph(source)) == [
        "peacetalks.validation.loader imports peacetalks.analysis.timeline: the validation wing may not import the "
        "higher analysis wing; move the shared code down to validation/ or below, or pass it in as an argument"]


def test_an_absolute_import_up_from_the_dataset_rules_is_named(tmp_path):
    source = fake_toolkit(tmp_path, {"peacetalks/publish/export.py": ""})
    checks = tmp_path / "checks"
    checks.mkdir()
    (checks / "__init__.py").write_text("")
    (checks / "figures.py").write_text("import peacetalks.publish.export\n")
    assert architecture_problems(import_graph(source, checks)) == [
        "peacetalks.checks.figures imports peacetalks.publish.export: the validation wing may not import the higher "
        "publish wing; move the shared code down to validation/ or below, or pass it in as an argument"]


def test_an_import_circle_inside_a_wing_is_named(tmp_path):
    source = fake_toolkit(tmp_path, {
        "peacetalks/publish/export.py": "from .datasette import datasette_metadata\n",
        "peacetalks/publish/datasette.py": "def meta():\n    from .export import METADATA_TABLES\n",
    })
    assert architecture_problems(import_graph(source)) == [
        "import circle: peacetalks.publish.datasette -> peacetalks.publish.export -> peacetalks.publish.datasette; "
        "break it by moving what both need into one of them or a module below both"]


def test_a_package_loading_its_own_modules_is_no_circle_but_a_module_importing_its_sibling_back_is(tmp_path):
    source = fake_toolkit(tmp_path, {
        "peacetalks/validation/rules/__init__.py": "RULE = 1\ndef rules():\n    from . import figures\n",
        "peacetalks/validation/rules/figures.py": "from . import RULE\nfrom .dates import span\n",
        "peacetalks/validation/rules/dates.py": "from .figures import RULE\n",
    })
    assert architecture_problems(import_graph(source)) == [
        "import circle: peacetalks.validation.rules.dates -> peacetalks.validation.rules.figures -> "
        "peacetalks.validation.rules.dates; break it by moving what both need into one of them or a module below both"]


def test_a_module_outside_the_wings_is_named(tmp_path):
    source = fake_toolkit(tmp_path, {"peacetalks/helpers.py": "from .validation import dates\n",
                                     "peacetalks/validation/dates.py": ""})
    assert architecture_problems(import_graph(source)) == [
        "peacetalks.helpers is in no wing: move it into validation/, analysis/, publish/ or site/ (see docs/architecture.md)"]


def test_a_test_importing_a_private_name_is_named(tmp_path):
    (tmp_path / "test_x.py").write_text("from peacetalks.publish.export import _as_written, export\n")
    assert private_imports(tmp_path) == [
        "test_x.py:1 imports peacetalks.publish.export._as_written, a private name: test it through a public function "
        "of its wing"]

