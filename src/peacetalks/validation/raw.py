"""The package as it is on disk, unvalidated: the descriptor, its schemas and each table's cell text.

`docs`, `stats` and `diff` work from this so that they stay usable while curation leaves the package
temporarily invalid; anything that cannot be read at all raises PackageError with its location.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .package import Package, PackageError, open_package
from .structure import read_table


def read_raw(descriptor: str | Path | None = None) -> tuple[Package, dict[str, pd.DataFrame]]:
    """The package and the raw cell text of every table, by resource name (columns as in the schema)."""
    from .descriptor import lone_surrogate  # here: descriptor.py imports the dataset rules, which import this layer

    package, problems = open_package(descriptor)
    if problems:
        raise problems[0]
    surrogate = lone_surrogate(package)
    if surrogate is not None:
        raise PackageError(f"{surrogate}; nothing was read")
    resources = package.descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        # Nothing to document, count or compare: say so rather than write a codebook or descriptor of nothing.
        raise PackageError(f"{package.descriptor_path.name}: 'resources' must be a non-empty list of tables "
                           f"(found {type(resources).__name__}); nothing was read or written")
    frames = {}
    for resource in package.resources:
        table, found = read_table(package, resource)
        if table is None:
            raise PackageError(str(found[-1]))
        frames[resource.name] = table.frame
    return package, frames


def source_column(package: Package, resource_name: str) -> str | None:
    """The column of a table that names its source (a foreign key into `sources`), if any."""
    resource = package.resource(resource_name)
    for key in resource.foreign_keys() if resource else []:
        if key.resource == "sources" and not key.is_list and key.fields:
            return key.fields[0]
    return None
