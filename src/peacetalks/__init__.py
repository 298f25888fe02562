"""peacetalks: the toolkit of the ukraine-peace-talks data package.

    import peacetalks
    tables = peacetalks.load()          # validated, typed DataFrames (the nearest datapackage.json, or the installed copy)
    problems = peacetalks.validate()    # [] when the package is valid
"""

__version__ = "0.2.0"

__all__ = ["load", "validate", "InvalidPackageError", "PackageNotFoundError", "Tables", "__version__"]

_EXPORTS = {"load": "loader", "InvalidPackageError": "loader", "Tables": "loader", "validate": "engine",
            "PackageNotFoundError": "locate"}


def __getattr__(name: str):
    # Imported on first use (PEP 562): the command line starts without pandas until a command needs it.
    if name in _EXPORTS:
        from importlib import import_module

        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'peacetalks' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
