"""The package's metadata as one record, `about()`: what every export and the release carry, each in its own way.

Kept apart from metadata.py so that no two modules import each other: this record describes every column with
the codebook's `describe_columns`, and the codebook's `docs` command rewrites metadata's generated files.
"""

from __future__ import annotations

import pandas as pd

from ..validation.package import Package
from .codebook import describe_columns
from .metadata import citation, descriptor_sources, resource_property


def about(package: Package, tables: dict[str, pd.DataFrame]) -> dict:
    """The package's metadata as one JSON-ready record: what every export carries, each in its own way.

    From the descriptor as it is (`docs --check` keeps its generated parts current; an installed copy has no
    CHANGELOG to regenerate them from); sources from the table only when the descriptor lists none."""
    descriptor = package.descriptor
    return {
        "name": descriptor.get("name", ""),
        "title": descriptor.get("title", ""),
        "version": descriptor.get("version", ""),
        "created": descriptor.get("created", ""),
        "description": descriptor.get("description", ""),
        "licenses": descriptor.get("licenses") or [],
        "citation": citation(descriptor),
        "keywords": descriptor.get("keywords") or [],
        "sources": descriptor.get("sources") or descriptor_sources(package, tables),
        "tables": [{"name": r.name, "title": resource_property(package, r.name, "title"),
                    "description": resource_property(package, r.name, "description"),
                    "rows": len(tables[r.name]),
                    "columns": [column_record(c) for c in describe_columns(r)]} for r in package.resources],
    }


def column_record(column: dict) -> dict:
    return {"name": column["column"], "type": column["type"], "required": column["required"],
            "description": column["description"], "references": column["references"],
            "allowed_values": [{"value": v, "definition": d} for v, d in column["allowed"]]}
