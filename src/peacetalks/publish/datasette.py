"""The Datasette metadata of the SQLite export, generated from the schemas: title, licence, sources,
every table and column description, a label column for every table a foreign key points to, facets,
and canned queries for what researchers ask first (built only where their tables and columns exist).
`peacetalks serve` (make serve) serves the export with it on 127.0.0.1."""

from __future__ import annotations

import re

from html import escape

from .codebook import describe_columns
from ..validation.package import Package, Resource, categories, constraints, enum_values

# Columns that name a row for a reader, in order of preference, when they are required (never empty).
LABEL_NAMES = ("name", "label", "title", "statement", "metric")
MAX_FACETS = 4
DERIVED_FACETS = ("in_positions", "side", "actor_name", "stance")  # the positions view's facets


def datasette_metadata(package: Package, info: dict, database: str, links: list, metadata_tables: dict,
                       derived: list = ()) -> dict:
    """`metadata_tables`: the export's descriptive tables, {name: (description, columns)} (passed in, so that
    this module need not import the export that imports it); `derived`: its derived tables (the positions view)."""
    licences = info["licenses"]
    tables = {}
    for table in info["tables"]:
        resource = package.resource(table["name"])
        entry = {"title": table["title"], "description": table["description"],
                 "columns": {c["name"]: c["description"] for c in table["columns"]}}
        label = label_column(resource)
        if label and label_is_needed(package, resource):
            entry["label_column"] = label
        facets = facet_columns(resource)
        if facets:
            entry["facets"] = facets
        tables[table["name"]] = entry
    for link in links:
        tables[link.name] = {"title": link.title, "description": link.description,
                             "columns": {name: description for name, _, description, _ in link.columns()}}
    for table in derived:
        tables[table.name] = {"title": table.title, "description": table.description,
                              "columns": dict((name, description) for name, _, description in table.columns()),
                              "facets": [c for c in DERIVED_FACETS if c in table.frame.columns]}
    for name, (description, _) in metadata_tables.items():
        tables[name] = {"description": description}
    return {
        "title": info["title"],
        "description_html": description_html(info),
        "license": licences[0].get("name", "") if licences else "",
        # only an address: Datasette puts it in every page's footer, where `javascript:` would run when clicked
        "license_url": web_address(licences[0].get("path")) if licences else "",
        "databases": {database: {"title": info["title"], "tables": tables,
                                 "queries": canned_queries(package, [d.name for d in derived])}},
    }


def web_address(value) -> str:
    return value if isinstance(value, str) and re.match(r"^https?://[^\s\x00-\x1f\x7f]+$", value, re.I) else ""


def description_html(info: dict) -> str:
    """The description, version, citation and the source list with links where a source has an address."""
    def source(item: dict) -> str:
        path = item.get("path", "")
        title = escape(item["title"])
        linked = f'<a href="{escape(path)}">{title}</a>' if web_address(path) else title
        facts = ", ".join(escape(str(item[k])) for k in ("outlet", "published") if item.get(k))
        return f"<li>{linked}{' (' + facts + ')' if facts else ''}</li>"

    licences = "; ".join(escape(f"{lic.get('name', '')}: {lic.get('title', '')}") for lic in info["licenses"])
    return (f"<p>{escape(info['description'])}</p><p>Version {escape(str(info['version']))}. Licences: {licences}.</p>"
            f"<p>Cite as: {escape(info['citation'])}</p><p>Sources:</p><ul>{''.join(map(source, info['sources']))}</ul>")


def label_column(resource: Resource) -> str | None:
    """The column that names a row: a required name-like column, else the (single) primary key."""
    fields = {f.get("name"): f for f in resource.fields}
    for name in LABEL_NAMES:
        field = fields.get(name)
        if field and constraints(field).get("required") and field.get("type", "string") == "string":
            return name
    return resource.primary_key[0] if len(resource.primary_key) == 1 else None


def label_is_needed(package: Package, resource: Resource) -> bool:
    """Whether a foreign key (a list one included, through its link table) points to the table."""
    return any(key.resource == resource.name for r in package.resources for key in r.foreign_keys())


def facet_columns(resource: Resource) -> list[str]:
    """Vocabulary columns first, then columns that reference another table; lists left out."""
    def vocabulary(field: dict) -> bool:
        return bool(categories(field) or enum_values(field))

    single = [f for f in resource.fields if f.get("type") != "list" and f.get("name") not in resource.primary_key]
    references = {c for key in resource.foreign_keys() if not key.is_list and key.resource != resource.name for c in key.fields}
    chosen = [f["name"] for f in single if vocabulary(f)] + [f["name"] for f in single if f["name"] in references]
    return list(dict.fromkeys(chosen))[:MAX_FACETS]


def _has(package: Package, table: str, *columns: str) -> bool:
    resource = package.resource(table)
    return resource is not None and all(c in resource.field_names for c in columns)


OFFICIAL_VOICES_SQL = "('head', 'government', 'foreign-ministry', 'envoy')"  # coding manual, section 13
DISTANCE_SQL = f"""WITH placed AS (
  SELECT d.issue_id, a.side, d.source_id, d.demand_id, d.scale_min, d.scale_max, d.date, d.event_id
  FROM demands d JOIN actors a ON a.actor_id = d.actor_id
  WHERE d.scale_min IS NOT NULL AND d.scale_max IS NOT NULL
    AND d.issue_id = COALESCE(NULLIF(:issue, ''), 'territory')
    AND COALESCE(d.voice, a.voice) IN {OFFICIAL_VOICES_SQL}),
places AS (
  SELECT issue_id, side, source_id,
    CASE WHEN MAX(scale_min) <= MIN(scale_max) THEN MAX(scale_min) ELSE MIN(scale_min) END AS low,
    CASE WHEN MAX(scale_min) <= MIN(scale_max) THEN MIN(scale_max) ELSE MAX(scale_max) END AS high,
    MAX(scale_min) > MIN(scale_max) AS inconsistent,
    group_concat(demand_id, ';') AS rows
  FROM placed GROUP BY issue_id, side, source_id)
SELECT p.issue_id, p.source_id, s.published,
  p.side AS side_a, p.low AS low_a, p.high AS high_a, p.inconsistent AS inconsistent_a,
  q.side AS side_b, q.low AS low_b, q.high AS high_b, q.inconsistent AS inconsistent_b,
  MAX(0, MAX(p.low, q.low) - MIN(p.high, q.high)) AS gap_min, MAX(p.high, q.high) - MIN(p.low, q.low) AS gap_max,
  p.rows AS rows_a, q.rows AS rows_b
FROM places p JOIN places q ON q.issue_id = p.issue_id AND q.source_id = p.source_id AND q.side > p.side
LEFT JOIN sources s ON s.source_id = p.source_id
ORDER BY s.published, p.source_id, side_a, side_b"""


def required(parameter: str, table: str, column: str, select: str, order: str) -> str:
    """SQL for a query that needs `:parameter`, a value of `table.column`. Datasette runs a canned query
    without its parameter as if it were empty, which would answer with no rows and no reason; this one
    answers with a row whose `message` says what to add (and the values it may take), or that the value
    given matches nothing. Rows found have an empty message. `select` is the rows' query, aliased `found`."""
    values = f"(SELECT group_concat({_sql_name(column)}, ', ') FROM (SELECT DISTINCT {_sql_name(column)} FROM " \
             f"{_sql_name(table)} WHERE {_sql_name(column)} IS NOT NULL ORDER BY 1))"
    return (f"WITH wanted AS (SELECT nullif(trim(:{parameter}), '') AS value), found AS ({select}) "
            f"SELECT CASE WHEN wanted.value IS NULL THEN 'Add ?{parameter}= to the address, one of: ' || {values} "
            f"WHEN found.{_sql_name(column)} IS NULL THEN 'No rows where {column} is ' || wanted.value || '; it is one of: ' || {values} "
            f"END AS message, found.* FROM wanted LEFT JOIN found ON found.{_sql_name(column)} = wanted.value ORDER BY {order}")


def _sql_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def canned_queries(package: Package, derived: list[str] = ()) -> dict:
    queries = {}
    if "positions" in derived:  # the view has the side, names and wording already joined
        queries["positions_of_a_side"] = {
            "title": "Positions of a side",
            "description": "Every position of one side (russia, ukraine, united-states, ...: its state and its people "
                           "together), with the actor's name, the proposition's wording and whether `peacetalks "
                           "positions` counts it. Needs ?side=; without it the answer says which sides there are.",
            "sql": required("side", "positions", "side", "SELECT * FROM positions",
                            "found.proposition_id, found.date_first_day, found.demand_id"),
        }
    elif _has(package, "demands", "actor_id") and _has(package, "actors", "actor_id", "name", "side"):
        issue = ("i.label AS issue, ", "LEFT JOIN issues i ON i.issue_id = d.issue_id ") \
            if _has(package, "demands", "issue_id") and _has(package, "issues", "issue_id", "label") else ("", "")
        order = "found.issue_id, found.demand_id" if _has(package, "demands", "issue_id", "demand_id") else "found.actor"
        queries["positions_of_a_side"] = {
            "title": "Positions of a side",
            "description": "Every demand, offer, threat and rejection of one side (russia, ukraine, united-states, ...), "
                           "by issue. Needs ?side=; without it the answer says which sides there are.",
            "sql": required("side", "actors", "side", f"SELECT a.side, a.name AS actor, {issue[0]}d.* FROM demands d "
                            f"JOIN actors a ON a.actor_id = d.actor_id {issue[1]}", order),
        }
    events = package.resource("events")
    if events is not None and {"date_first_day", "date_last_day"} <= {c["column"] for c in describe_columns(events)}:
        queries["timeline_of_events"] = {
            "title": "Timeline of events",
            "description": "Every event in date order (by the first day its date covers; undated events last).",
            "sql": "SELECT * FROM events ORDER BY date_first_day IS NULL, date_first_day, date_last_day, event_id",
        }
    if _has(package, "demands", "scale_min", "scale_max", "voice") and _has(package, "actors", "voice", "side"):
        queries["distance_on_an_issue"] = {
            "title": "Distance on an issue",
            "description": ("How far apart the sides are on one scaled issue (the issue_id in :issue; empty for the "
                            "default, territory), source by source: each side's place on the issue's scale (0 = the "
                            "outcome most favourable to Ukraine; the intersection of its official-voice rows, their hull "
                            "where they do not meet) and the gap between each pair of sides one source places, with the "
                            "rows behind each place. `peacetalks positions --distance` also carries each side's latest "
                            "place across sources."),
            "sql": DISTANCE_SQL,
        }
    if _has(package, "figures", "unit"):
        queries["figures_by_unit"] = {
            "title": "Figures by unit",
            "description": "Every figure in one unit (USD, EUR, percent, persons, ...). Needs ?unit=; without it the "
                           "answer says which units there are.",
            "sql": required("unit", "figures", "unit", "SELECT * FROM figures", "found.metric, found.figure_id"),
        }
    return queries
