"""peacetalks: the toolkit of the ukraine-peace-talks data package.

    import peacetalks
    tables = peacetalks.load()          # validated, typed DataFrames
    problems = peacetalks.validate()    # [] when the package is valid
"""

__version__ = "0.1.0"

from .loader import InvalidPackageError, Tables, load  # noqa: E402
from .validate import validate  # noqa: E402

__all__ = ["load", "validate", "InvalidPackageError", "Tables", "__version__"]
