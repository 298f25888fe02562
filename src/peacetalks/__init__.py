"""peacetalks: the toolkit of the ukraine-peace-talks data package.

    import peacetalks
    tables = peacetalks.load()          # validated, typed DataFrames (the nearest datapackage.json, or the installed copy)
    problems = peacetalks.validate()    # [] when the package is valid
    peacetalks.positions.matrix(peacetalks.positions.position_rows(tables))   # side x proposition

The toolkit is built in wings, each a folder that may import only itself and the wings below it:
`validation` (find, read, check, load) < `analysis` < `publish` < `site` < this top floor (`cli`, `bench`,
`__main__` and this facade). docs/architecture.md draws the house; tests/test_architecture.py keeps it so.
"""

__version__ = "0.3.3"

__all__ = ["load", "validate", "positions", "InvalidPackageError", "PackageNotFoundError", "Tables", "__version__"]
_SUBMODULES = {"positions": "analysis.positions"}  # modules reachable as attributes without importing them first

_EXPORTS = {"load": "validation.loader", "InvalidPackageError": "validation.loader", "Tables": "validation.loader",
            "validate": "validation.engine", "PackageNotFoundError": "validation.locate"}


def __getattr__(name: str):
    # Imported on first use (PEP 562): the command line starts without pandas until a command needs it.
    from importlib import import_module

    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    if name in _SUBMODULES:
        return import_module(f".{_SUBMODULES[name]}", __name__)
    raise AttributeError(f"module 'peacetalks' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
