"""Layer 1: the descriptor against the Data Package profile, each Table Schema against the Table Schema
profile (both by frictionless), and what the profiles cannot see: keys that name real fields and
resources, vocabularies that agree, every schema of schemas/ in use."""

from __future__ import annotations

import json
import re
from collections import Counter, OrderedDict
from contextlib import contextmanager

from . import patterns, types
from .characters import CONTROL_IN_NAME, CONTROL_IN_TEXT, SURROGATE, escaped
from .filenames import name_fault
from .package import MAX_RESOURCES, Package, UnreadableFile, category_values
from .package import constraints as field_constraints
from .report import Problem, shown, sort_key
from .rulebook import checks

LAYER = "descriptor"
KNOWN_CODELISTS = set(checks.generic.CODELIST_NAMES)
RESOURCE_NAME = re.compile(r"^[a-z0-9._-]+$")  # the Data Package specification's pattern for a resource name
# The CSV dialect peacetalks reads (RFC 4180 with a header row): each property and the values it accepts.
READ_DIALECT = {"delimiter": {","}, "quoteChar": {'"'}, "doubleQuote": {True}, "header": {True},
                "lineTerminator": {"\n", "\r\n"}, "skipInitialSpace": {False}, "caseSensitiveHeader": {True, False}}
DIALECT_NOTES = {"$schema", "csvddfVersion"}  # properties that ask for nothing
# What the package may say about its profile. frictionless fetches any other `profile` (a URL) with
# requests and uses the reply as a JSON Schema: a request the package's author chooses, made from CI, whose
# reply is echoed, and which a server sending a byte a second can keep waiting forever. So nothing but these
# names and the official addresses reaches frictionless; anything else is a located problem and is removed
# from the copy it checks (the guard of netguard.py would refuse the connection anyway).
PROFILE_NAMES = {"package": {"data-package", "tabular-data-package"},
                 "resource": {"data-resource", "tabular-data-resource"}, "schema": set(), "dialect": set()}
OFFICIAL_PROFILE = re.compile(r"^https://datapackage\.org/profiles/(1\.0|2\.0)/"
                              r"(datapackage|dataresource|tableschema|tabledialect)\.json$")
ADDRESS_KEYS = ("profile", "profiles", "$schema")


def check_descriptor(package: Package, read_problems: list[UnreadableFile]) -> list[Problem]:
    import frictionless  # here, not above: imported while the first table is being read (engine.py)

    name = package.descriptor_path.name
    problems = [Problem(LAYER, e.rule, e.file, e.message, e.line) for e in read_problems]
    checked, refused = _without_addresses(_checked_part(package.descriptor))
    problems += [Problem(LAYER, "profile-address", name, message) for message in refused]
    problems += [Problem(LAYER, "link-address", name, message) for message in _link_faults(package.descriptor)]
    problems += [Problem(LAYER, "metadata", name, message) for message in _metadata_faults(package.descriptor)]
    problems += [Problem(LAYER, "file-name", name, message) for message in _file_name_faults(package.descriptor)]
    problems += [Problem(LAYER, rule, where, message) for rule, where, message in _control_faults(package)]
    problems += [Problem(LAYER, "formula-text", where, message) for where, message in _formula_faults(package)]
    problems += [Problem(LAYER, "profile", name, f"not a valid Data Package: {message}")
                 for message in _profile_errors(frictionless.Package, checked, str(package.root))
                 # an unreadable schema or a refused path is said once, by peacetalks, with why
                 if not (read_problems and "Schema is not valid" in message) and "is not safe" not in message]
    for resource in package.resources:
        where = resource.schema_path or name
        if resource.schema:
            schema, refused = _addresses_refused(resource.schema, "schema", "")
            if resource.schema_path:  # an inline schema was reported with the descriptor
                problems += [Problem(LAYER, "profile-address", where, message) for message in refused]
            problems += [Problem(LAYER, "profile", where, f"not a valid Table Schema: {message}")
                         for message in _schema_errors(frictionless, schema)]
        problems += [Problem(LAYER, "schema", where, message) for message in _consistency(package, resource)]
        problems += [Problem(LAYER, rule, name, f"resource {shown(resource.name)}: {message}")
                     for rule, message in _resource_faults(resource)]
    problems += [Problem(LAYER, "file-format", name, message) for message in _file_format_faults(package.descriptor)]
    problems += [Problem(LAYER, "required-table", name, f"the package lacks the table '{table}' that this dataset "
                         f"requires; add its resource (schemas/{table}.json, data/{table}.csv)")
                 for table in checks.REQUIRED_TABLES if package.resource(table) is None]
    problems += _unused_schemas(package)
    return problems


# What `docs` refuses, working as it does from an unvalidated package so that curation can go on: a descriptor
# that is not what the profile describes (licences that are not objects, keywords that are not a list), text of
# the descriptor or a schema that no file can hold or that hides itself, and a link that is no web page or file
# of the package; the codebook writes them all. A schema's other faults are read leniently, as every reader
# of schemas does (package.py), and `validate` says them.
WRITTEN_RULES = {"control-character", "lone-surrogate", "link-address", "metadata"}


def unwritable(package: Package) -> Problem | None:
    """The first fault of the descriptor or a schema that a generated document would carry, or None."""
    name = package.descriptor_path.name
    found = sorted((p for p in check_descriptor(package, [])
                    if p.rule in WRITTEN_RULES or (p.rule == "profile" and p.file == name)), key=sort_key)
    return found[0] if found else None


def lone_surrogate(package: Package) -> Problem | None:
    """The first lone surrogate in the descriptor's or a schema's text or names, or None: nothing that prints or
    writes them can (docs, stats and diff read an unvalidated package, and refuse one)."""
    for rule, where, message in _control_faults(package):
        if rule == "lone-surrogate":
            return Problem(LAYER, rule, where, message)
    return None


def _checked_part(descriptor: dict) -> dict:
    """The descriptor as far as it is checked: the resources beyond the limit are reported, not profiled."""
    resources = descriptor.get("resources")
    if isinstance(resources, list) and len(resources) > MAX_RESOURCES:
        return {**descriptor, "resources": resources[:MAX_RESOURCES]}
    return descriptor


def _addresses_refused(part: dict, kind: str, where: str) -> tuple[dict, list[str]]:
    """`part` (the descriptor, a resource, a schema or a dialect) without any profile that is neither a
    profile name nor an official address, and a message for each one removed."""
    kept, refused = dict(part), []
    for key in ADDRESS_KEYS:
        if key not in part:
            continue
        values = part[key] if key == "profiles" and isinstance(part[key], list) else [part[key]]
        allowed = PROFILE_NAMES[kind] if key != "$schema" else set()
        bad = [v for v in values if not (isinstance(v, str) and (v in allowed or OFFICIAL_PROFILE.match(v)))]
        if bad:
            del kept[key]
            names = ", ".join(sorted(PROFILE_NAMES[kind])) if key != "$schema" else ""
            accepted = (f"a profile name ({names}) or " if names else "") + "an official address (https://datapackage.org/profiles/2.0/…)"
            refused.append(f"{where}{key} {shown(bad[0])} is not {accepted}; peacetalks fetches nothing and checks "
                           "against the profiles it carries: remove it or write the official one")
        elif key != "$schema":
            _official_as_carried(kept, key)
    return kept, refused


def _official_as_carried(kept: dict, key: str) -> None:
    """An official address under `profile` (how v1 packages name their profile) is fetched by frictionless,
    which knows it only under `$schema`: the copy it checks names none, so it checks against the profile
    it carries, the same one."""
    if key == "profile" and isinstance(kept[key], str) and OFFICIAL_PROFILE.match(kept[key]):
        del kept[key]
    elif key == "profiles" and isinstance(kept[key], list):
        kept[key] = [value for value in kept[key] if not OFFICIAL_PROFILE.match(value)]


WEB_ADDRESS = re.compile(r"^https?://[^\s\x00-\x1f\x7f]+$", re.I)
RELATIVE_PATH = re.compile(r"^(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?![/\\])(?!.*(^|/)\.\.(/|$))[^\x00-\x1f\x7f\\]+$")


def _text_files(package: Package) -> dict:
    """The descriptor and each schema file, by the name a message gives them (a schema shared by two resources
    once)."""
    files = [(package.descriptor_path.name, package.descriptor)]
    files += [(r.schema_path, r.schema) for r in package.resources if r.schema_path]
    return dict(files)


def _control_faults(package: Package) -> list[tuple[str, str, str]]:
    """(rule, file, message) for each control character or lone surrogate in the descriptor's and each
    schema file's text, located by JSON path."""
    # Every one is a problem of its own (the text report shows ten of a kind and counts the rest; --all and
    # --format json list every one): the package's JSON holds at most 200,000 values in all.
    return [(fault[0], where, f"{path or '(top)'}: {fault[1]}")
            for where, document in _text_files(package).items()
            for path, text, is_name in _strings(document)
            for fault in [_text_fault(text, is_name)] if fault]


# The descriptor's and schemas' texts that `export` copies into cells of its own (SQLite's package_metadata,
# table_metadata and column_metadata, which Datasette serves as CSV; the XLSX "about" sheet): titles,
# descriptions, category labels, licence names (the start of the licence cell), contributors' titles (the start
# of the citation cell), keywords and the allowed values. A spreadsheet opening that CSV evaluates a cell
# starting with '=', '+', '-' or '@' as a formula, as it would a table's cell (checks/generic.py).
CELL_TEXT = re.compile(r"(^|\.)(title|description|label)$|^keywords\[\d+\]$|^licenses\[\d+\]\.name$"
                       r"|\.enum\[\d+\]$|\.categories\[\d+\](\.value)?$")


def _formula_faults(package: Package) -> list[tuple[str, str]]:
    """(file, message) for each text of the descriptor or a schema that export copies into a cell and that
    starts as a formula does, located by JSON path."""
    return [(where, f"{path}: text {shown(text)} starts with {shown(text[0])}, and export copies it into a table "
                    "cell (the SQLite file's metadata tables, which Datasette serves as CSV), where a spreadsheet would "
                    "evaluate it as a formula (CSV injection); reword it to start otherwise")
            for where, document in _text_files(package).items()
            for path, text, is_name in _strings(document)
            if not is_name and text[:1] in FORMULA_STARTS and CELL_TEXT.search(path)]


def _text_fault(text: str, is_name: bool) -> tuple[str, str] | None:
    """(rule, message) for a text (or name) of the descriptor or a schema that holds what it may not."""
    what = "name" if is_name else "text"
    surrogate = SURROGATE.search(text)
    if surrogate:
        return "lone-surrogate", (f"{what} {shown(text)} holds {escaped(surrogate.group())}, half of a UTF-16 pair "
                                  "alone, which is no character and cannot be written to any file: remove it or write "
                                  "the character meant")
    control = (CONTROL_IN_NAME if is_name else CONTROL_IN_TEXT).search(text)
    if control:
        return "control-character", f"{what} {shown(text)} holds the control or invisible character {escaped(control.group())}; remove it"
    return None


def _strings(document):
    """(JSON path, string, whether it is a name) for every key and string value, iteratively."""
    stack = [("", document, False)]
    while stack:
        path, value, is_name = stack.pop()
        if isinstance(value, str):
            yield path, value, is_name
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                child = f"{path}.{key}" if path else str(key)
                yield child, str(key), True
                stack.append((child, item, key == "name"))
        elif isinstance(value, list):
            stack.extend((f"{path}[{index}]", item, False) for index, item in reversed(list(enumerate(value))))


def _link_faults(descriptor: dict) -> list[str]:
    """Licence, source and contributor paths end up as links (Datasette's footer, the site): each must be an
    http(s) address or a relative path of the package, never `javascript:` or `data:`."""
    faults = []
    for key in ("licenses", "sources", "contributors"):
        items = descriptor.get(key)
        for index, item in enumerate(items if isinstance(items, list) else []):
            path = item.get("path") if isinstance(item, dict) else None
            fault = _link_fault(path) if isinstance(path, str) else None
            if fault:
                faults.append(f"{key}[{index}].path {shown(path)} {fault}")
    return faults


def _metadata_faults(descriptor: dict) -> list[str]:
    """What the exports, the site and the citation read that the profile lets pass: a source without a title
    (the specification requires one), contributor roles that are not a list of text."""
    faults = []
    sources = descriptor.get("sources")
    for index, item in enumerate(sources if isinstance(sources, list) else []):
        if isinstance(item, dict) and not isinstance(item.get("title"), str):
            faults.append(f"sources[{index}] has no title; every source needs one (text): add it")
    contributors = descriptor.get("contributors")
    for index, item in enumerate(contributors if isinstance(contributors, list) else []):
        roles = item.get("roles") if isinstance(item, dict) else None
        if roles is not None and not (isinstance(roles, list) and all(isinstance(r, str) for r in roles)):
            faults.append(f"contributors[{index}].roles {shown(json.dumps(roles, ensure_ascii=False), quoted=False)} "
                          "is not a list of roles; write one such as [\"creator\"]")
    return faults


def _file_name_faults(descriptor: dict) -> list[str]:
    """The package's name and version name the files `export` and `release` write: refused by validate as by them
    (filenames.py), so that a package validate passes can be published. Anything but text is the profile's."""
    return [f"{key} {shown(descriptor[key])} {fault}" for key in ("name", "version")
            if isinstance(descriptor.get(key), str) and (fault := name_fault(descriptor[key]))]


def _link_fault(path: str) -> str | None:
    """What is wrong with a link's path, or None. A browser drops the spaces and controls around an address
    and the tabs and newlines inside it, so ` javascript:` or `java\tscript:` would run as `javascript:`:
    the path is judged as written, and anything a browser would rewrite is refused before the scheme is."""
    if path != path.strip():
        return "starts or ends with whitespace, which a browser drops before it follows the link: remove it"
    if CONTROL_IN_TEXT.search(path) or SURROGATE.search(path):
        return None  # the control-character check says so, with where
    inside = re.search(r"[\t\n]", path)
    if inside:
        return f"holds the control character {escaped(inside.group())}, which a browser drops before it follows the link: remove it"
    if not (WEB_ADDRESS.match(path) or RELATIVE_PATH.match(path)):
        return ("is neither an http(s) address nor a relative path of the package; a link may lead only to a web "
                "page or a file of the package: write one")
    return None


def _without_addresses(descriptor: dict) -> tuple[dict, list[str]]:
    """The descriptor as handed to frictionless: no address that it would fetch, at any level."""
    checked, refused = _addresses_refused(descriptor, "package", "")
    resources = checked.get("resources")
    if isinstance(resources, list):
        kept_resources = []
        for index, resource in enumerate(resources):
            if not isinstance(resource, dict):
                kept_resources.append(resource)
                continue
            label = f"resource {shown(resource.get('name', index))}: "
            resource, found = _addresses_refused(resource, "resource", label)
            refused += found
            for kind in ("schema", "dialect"):
                if isinstance(resource.get(kind), dict):
                    resource[kind], found = _addresses_refused(resource[kind], kind, f"{label}{kind} ")
                    refused += found
            kept_resources.append(resource)
        checked["resources"] = kept_resources
    return checked, refused


def _resource_faults(resource) -> list[tuple[str, str]]:
    """What the profile lets pass but peacetalks cannot honour: a name unfit for a file or table name, a
    CSV dialect other than the one it reads."""
    faults = []
    if not RESOURCE_NAME.match(resource.name):
        faults.append(("resource-name", "is not a Data Package resource name: use only lower-case letters, digits, "
                                        "'.', '_' and '-'"))
    elif fault := name_fault(resource.name):  # '..', '-x.' or 'con': export names its files and tables after it
        faults.append(("resource-name", fault))
    for key, value in resource.dialect.items():
        if key in DIALECT_NOTES:
            continue
        accepted = READ_DIALECT.get(key)
        try:
            supported = accepted is not None and value in accepted and type(value) in {type(a) for a in accepted}
        except TypeError:  # an unhashable value: a list or an object
            supported = False
        if not supported:
            faults.append(("dialect", f"dialect {key}={shown(json.dumps(value, ensure_ascii=False), quoted=False)} is not supported: peacetalks reads "
                                      "comma-separated files with a header row and double quotes; remove the setting "
                                      "and save the file that way"))
    return faults


# How peacetalks reads every resource's file: a CSV file in UTF-8, not compressed. A resource that says
# otherwise would be read as what it is not, or its rows reported as garbage.
READ_AS = {"format": ("csv",), "mediatype": ("text/csv",), "encoding": ("utf-8", "utf8")}


def _file_format_faults(descriptor: dict) -> list[str]:
    """A resource whose `format`, `mediatype` or `encoding` names something other than a UTF-8 CSV file, or
    that is compressed."""
    resources = descriptor.get("resources")
    faults = []
    for index, resource in enumerate(resources[:MAX_RESOURCES] if isinstance(resources, list) else []):
        if not isinstance(resource, dict):
            continue
        label = shown(resource["name"]) if isinstance(resource.get("name"), str) else f"resources[{index}]"
        for key, accepted in READ_AS.items():
            value = resource.get(key)
            if isinstance(value, str) and value.lower() not in accepted:  # anything but text: the profile says so
                faults.append(f"resource {label}: {key} {shown(json.dumps(value, ensure_ascii=False)[:60], quoted=False)} is "
                              f"not supported: peacetalks reads each table as a CSV file in UTF-8; save it so and write "
                              f"{key} \"{accepted[0]}\" (or leave it out)")
        if "compression" in resource:
            faults.append(f"resource {label}: compression is not supported: peacetalks reads each table as a plain CSV "
                          "file; save it uncompressed and remove compression")
    return faults


@contextmanager
def _core_plugins(descriptor: dict):
    """Let frictionless check descriptors with its core alone, and its CSV plugin when a resource names a
    dialect (importing it imports every format). On first use frictionless lists every module on sys.path
    and imports its forty scheme, format and portal plugins (a third of the real package's descriptor
    check); none other has a say on a descriptor peacetalks reads. A process that had already loaded them
    keeps them; otherwise frictionless loads them again on its next use, so a library user's own
    frictionless calls are untouched."""
    import frictionless

    system = vars(frictionless.system)
    if "plugins" in system:
        yield
        return
    plugins = OrderedDict()
    resources = descriptor.get("resources")
    if isinstance(resources, list) and any(isinstance(r, dict) and "dialect" in r for r in resources):
        from frictionless.formats.csv import CsvPlugin

        plugins["csv"] = CsvPlugin()
    system["plugins"] = plugins
    try:
        yield
    finally:
        system.pop("plugins", None)
        system.pop("methods", None)  # built from the plugins


def _profile_errors(kind, descriptor: dict, basepath: str | None = None) -> list[str]:
    """frictionless's verdict on a descriptor, as messages (it raises for some faults, reports others)."""
    try:
        with _core_plugins(descriptor):
            report = kind.validate_descriptor(descriptor, basepath=basepath) if basepath else kind.validate_descriptor(descriptor)
        return [error.message for error in report.errors]
    except Exception as exc:  # noqa: BLE001 - whatever frictionless raises is a finding, not a crash
        return [getattr(getattr(exc, "error", None), "message", None) or str(exc)]


FIELD_FAULT = "Field is not valid: "
REPEATED_NAMES = "names of the fields are not unique"  # said with the name by _repeated_fields


def _schema_errors(frictionless, schema: dict) -> list[str]:
    """frictionless's verdict on a Table Schema, each fault of a field said with the field's name (frictionless
    checks each field alone and does not say which one failed)."""
    messages = [m for m in _profile_errors(frictionless.Schema, schema) if not m.endswith(REPEATED_NAMES)]
    if not any(m.startswith(FIELD_FAULT) for m in messages):
        return messages
    fields = schema.get("fields") if isinstance(schema.get("fields"), list) else []
    named = [f"field {_field_label(field, index)}: {m[len(FIELD_FAULT):]}"
             for index, field in enumerate(fields) if isinstance(field, dict)  # never a string: it would be opened
             for m in _profile_errors(frictionless.Field, field) if m.startswith(FIELD_FAULT)]
    return [m for m in messages if not m.startswith(FIELD_FAULT)] + named if named else messages


def _field_label(field: dict, index: int | None = None) -> str:
    """A field as a message names it: its name, shortened if long (shown), or its place in the list."""
    if isinstance(field.get("name"), str):
        return shown(field["name"])
    return f"fields[{index}]" if index is not None else shown(json.dumps(field.get("name")), quoted=False)


def _consistency(package: Package, resource) -> list[str]:
    out = _repeated_fields(resource)
    if resource.schema.get("missingValues", [""]) != [""]:
        out.append(types.missing_values_fault(resource.schema["missingValues"]))
    names = set(resource.field_names)
    for key_field in resource.primary_key:
        if key_field not in names:
            out.append(f"primaryKey names {shown(key_field)}, which is not a field")
    for key in resource.foreign_keys():
        target = package.resource(key.resource)
        for f in key.fields:
            if f not in names:
                out.append(f"foreign key on {shown(f)}, which is not a field")
        if target is None:
            out.append(f"foreign key refers to resource {shown(key.resource)}, which the package does not have")
            continue
        if target.schema_unread:
            continue  # its schema cannot be read: said once, there
        for f in key.ref_fields:
            if f not in target.field_names:
                out.append(f"foreign key refers to {shown(f'{target.name}.{f}')}, which is not a field")
    out += _derived_name_clashes(resource)
    for field in resource.fields:
        if field.get("type") == "list" and "delimiter" in field and not _splits(field["delimiter"]):
            out.append(f"field {_field_label(field)}: delimiter {shown(json.dumps(field['delimiter']), quoted=False)} cannot "
                       "split a list; give one character such as ';' (or leave it out for ',')")
        name = field.get("name")
        if isinstance(name, str) and name[:1] and name[0] in FORMULA_STARTS:
            out.append(f"field {shown(name)}: a name starting with {shown(name[0])} heads a column of the CSV, and a "
                       "spreadsheet opening it would evaluate it as a formula (CSV injection); rename it")
        constraints = field.get("constraints")
        enum = constraints.get("enum") if isinstance(constraints, dict) else None  # else the profile's to report
        pattern = field_constraints(field).get("pattern")
        refused = patterns.refusal(pattern)
        if refused:
            out.append(f"field {_field_label(field)}: pattern {shown(pattern)} {refused}")
        out += [f"field {_field_label(field)}: constraints.{key} {why}" for key, why in types.constraint_faults(field)]
        out += [f"field {_field_label(field)}: {fault}" for fault in types.format_faults(field)]
        category = types.category_fault(field)
        if category:
            out.append(f"field {_field_label(field)}: {category}")
        values = category_values(field)
        if isinstance(enum, list) and values and enum != values:
            out.append(f"field {_field_label(field)}: categories and constraints.enum list different values")
        if isinstance(field.get("x-codelist"), str) and field["x-codelist"] not in KNOWN_CODELISTS:
            out.append(f"field {_field_label(field)}: unknown x-codelist {shown(field['x-codelist'])} "
                       f"(known: {', '.join(sorted(KNOWN_CODELISTS))})")
        elif "x-codelist" in field and not isinstance(field["x-codelist"], str):
            out.append(f"field {_field_label(field)}: x-codelist {shown(json.dumps(field['x-codelist']), quoted=False)} "
                       f"is not the name of a code list; write one of {', '.join(sorted(KNOWN_CODELISTS))}, or remove it")
    return out


FORMULA_STARTS = tuple(chr(byte) for byte in checks.generic.FORMULA_STARTS)


def _splits(delimiter) -> bool:
    """A list delimiter that can split a cell: text that is neither empty nor a control character, a quote or
    a line break, which a CSV reader takes as part of its own syntax or a spreadsheet hides."""
    return isinstance(delimiter, str) and bool(delimiter) and not any(ord(c) < 32 or c in '"\x7f\u2028\u2029' for c in delimiter)


def _repeated_fields(resource) -> list[str]:
    """A field name listed more than once: every reader would take one of them for the column, and the other
    definition would silently be ignored."""
    fields = resource.schema.get("fields")
    names = [f.get("name") for f in fields if isinstance(f, dict) and isinstance(f.get("name"), str)] if isinstance(fields, list) else []
    counts = Counter(names)
    return [f"lists the field {shown(name)} {_times(count)}; a field is listed once: remove or rename all but the first"
            for name, count in counts.items() if count > 1]


def _times(count: int) -> str:
    return "twice" if count == 2 else f"{count:,} times"


def _derived_name_clashes(resource) -> list[str]:
    """Fields named like a column that load() derives (a date's first and last day, a dated table's place in
    time): load(), export and the site would refuse the package, so validate does first."""
    from .dates import DATE_PATTERN, DAY_COLUMNS
    from .timeline import DATED_TABLES, TIMELINE_COLUMNS

    derived = {}
    for field in resource.fields:
        if field_constraints(field).get("pattern") == DATE_PATTERN:
            derived.update({f"{field['name']}{suffix}": f"the day column derived from {field['name']}" for suffix, _ in DAY_COLUMNS})
    if resource.name in DATED_TABLES:
        derived.update({name: "a column load() adds to place the row in time" for name in TIMELINE_COLUMNS})
    return [f"field {shown(name)} has the name of {shown(derived[name], quoted=False)}; rename it"
            for name in resource.field_names if name in derived]


def _unused_schemas(package: Package) -> list[Problem]:
    used = {r.schema_path for r in package.resources}
    folder = package.root / "schemas"
    if folder.is_symlink():  # its file names are not the package's to list; each schema path says it is refused
        return []
    return [Problem(LAYER, "unused-schema", f"schemas/{p.name}", "is not the schema of any resource in the descriptor")
            for p in sorted(folder.glob("*.json")) if f"schemas/{p.name}" not in used] if folder.is_dir() else []
