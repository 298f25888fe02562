"""peacetalks: the toolkit of the ukraine-peace-talks data package."""

__version__ = "0.1.0"

from .validate import validate  # noqa: E402

__all__ = ["validate", "__version__"]
