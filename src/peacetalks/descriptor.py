"""Layer 1: the descriptor against the Data Package profile, each Table Schema against the Table Schema
profile (both by frictionless), and what the profiles cannot see: keys that name real fields and
resources, vocabularies that agree, every schema of schemas/ in use."""

from __future__ import annotations

import frictionless

from .package import Package, UnreadableFile, category_values
from .report import Problem
from .rulebook import checks

LAYER = "descriptor"
KNOWN_CODELISTS = set(checks.generic.CODELIST_NAMES)


def check_descriptor(package: Package, read_problems: list[UnreadableFile]) -> list[Problem]:
    name = package.descriptor_path.name
    problems = [Problem(LAYER, e.rule, e.file, e.message, e.line) for e in read_problems]
    problems += [Problem(LAYER, "profile", name, f"not a valid Data Package: {message}")
                 for message in _profile_errors(frictionless.Package, package.descriptor, str(package.root))
                 # an unreadable schema or a refused path is said once, by peacetalks, with why
                 if not (read_problems and "Schema is not valid" in message) and "is not safe" not in message]
    for resource in package.resources:
        where = resource.schema_path or name
        if resource.schema:
            problems += [Problem(LAYER, "profile", where, f"not a valid Table Schema: {message}")
                         for message in _profile_errors(frictionless.Schema, resource.schema)]
        problems += [Problem(LAYER, "schema", where, message) for message in _consistency(package, resource)]
    problems += _unused_schemas(package)
    return problems


def _profile_errors(kind, descriptor: dict, basepath: str | None = None) -> list[str]:
    """frictionless's verdict on a descriptor, as messages (it raises for some faults, reports others)."""
    try:
        report = kind.validate_descriptor(descriptor, basepath=basepath) if basepath else kind.validate_descriptor(descriptor)
        return [error.message for error in report.errors]
    except Exception as exc:  # noqa: BLE001 - whatever frictionless raises is a finding, not a crash
        return [getattr(getattr(exc, "error", None), "message", None) or str(exc)]


def _consistency(package: Package, resource) -> list[str]:
    out = []
    names = set(resource.field_names)
    for key_field in resource.primary_key:
        if key_field not in names:
            out.append(f"primaryKey names '{key_field}', which is not a field")
    for key in resource.foreign_keys():
        target = package.resource(key.resource)
        for f in key.fields:
            if f not in names:
                out.append(f"foreign key on '{f}', which is not a field")
        if target is None:
            out.append(f"foreign key refers to resource '{key.resource}', which the package does not have")
            continue
        for f in key.ref_fields:
            if f not in target.field_names:
                out.append(f"foreign key refers to '{target.name}.{f}', which is not a field")
    for field in resource.fields:
        enum = (field.get("constraints") or {}).get("enum")
        values = category_values(field)
        if enum is not None and values and list(enum) != values:
            out.append(f"field '{field.get('name')}': categories and constraints.enum list different values")
        if field.get("x-codelist") and field["x-codelist"] not in KNOWN_CODELISTS:
            out.append(f"field '{field.get('name')}': unknown x-codelist '{field['x-codelist']}' "
                       f"(known: {', '.join(sorted(KNOWN_CODELISTS))})")
    return out


def _unused_schemas(package: Package) -> list[Problem]:
    used = {r.schema_path for r in package.resources}
    folder = package.root / "schemas"
    return [Problem(LAYER, "unused-schema", f"schemas/{p.name}", "is not the schema of any resource in the descriptor")
            for p in sorted(folder.glob("*.json")) if f"schemas/{p.name}" not in used] if folder.is_dir() else []
