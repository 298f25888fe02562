"""Every page of the site, as (path, html). Paths are relative to the site's root; every link is relative
too, so the site works from disk and from any folder of any static host."""

from __future__ import annotations

import re
from datetime import timedelta

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from . import charts
from .model import ROWS_PER_PAGE, RowRef, Site, safe_name, shown_unseen
from . import stances
from ..analysis.positions import GROUPINGS
from ..validation.ownfiles import read_published_text
from ..validation.package import list_delimiter
from ..validation.timeline import DATED_TABLES

ENV = Environment(loader=PackageLoader("peacetalks.site", "templates"), autoescape=select_autoescape(),
                  trim_blocks=True, lstrip_blocks=True)
TIMELINE_FROM = "2024-01-01"  # the negotiations; earlier dated items are in the list below the chart
# What names a row of a table without a name column (a position's text, a figure's metric, an account's note).
DESCRIBING_COLUMNS = ("text", "metric", "note")
# Past these numbers a page lists the first (or an evenly spaced sample) and says so: every row is still on
# its table's pages, and no page grows past a few MB (a browser and a static host can live with it).
CARDS_PER_SECTION = 200  # the rows pointing at one row, per table, on its page (the real package: at most 79)
ROWS_PER_PASSAGE = 50  # the rows citing one passage, on its source text's page (the real package: at most 7)
MAX_SCALE_CHARTS = 30  # issues drawn on their scale on Positions, those with the most observations (real: 14)
FIGURES_PER_UNIT = 100  # figures listed per unit on Figures (the real package: at most 11)
MAX_FIGURE_CHARTS = 12  # units drawn on Figures, those with the most figures (the real package: 6)
ROWS_PER_CELL = 50  # the rows behind one cell of a Positions matrix (the real package: at most 7)
VIEWS_KEPT = 20_000  # row views kept for reuse (a row's card is on several row pages)
LIST_LIMIT = charts.MAX_MARKS  # the items listed on the Timeline page, the changes of stance on Positions
FIGURES_PER_CHART = 3  # fewer are clearer as the table alone
MAIN_PAGES = [("index.html", "Home"), ("timeline.html", "Timeline"), ("positions.html", "Positions"),
              ("figures.html", "Figures"), ("tables.html", "Tables"), ("texts.html", "Source texts")]


class Pages:
    def __init__(self, site: Site, downloads: list[tuple[str, str]], documents: list[tuple[str, str, str]] = ()):
        self.site = site
        self.downloads = downloads
        self.documents = list(documents)  # (path, title, what it holds): the codebook and manual, when present
        self.nav = MAIN_PAGES + [(path, title) for path, title, _ in self.documents]
        self._views: dict[tuple[str, int, str], dict] = {}
        self._titles: dict[str, str] = {}
        self._long: dict[str, set[str]] = {}  # per table, its columns of long text (the same on each of its pages)
        # Plain lists: a row is shown on several pages, and pandas' per-cell access costs more than the page.
        self.records = {table: Records(frame) for table, frame in site.raw.items()}

    def all(self):
        # The pages with charts are prepared first and written last: their charts render meanwhile.
        with_charts = [self.home(), self.timeline(), self.positions(), self.figures()]
        yield self.tables_index()
        for resource in self.site.resources:
            for number in range(1, self.site.table_pages(resource.name) + 1):
                yield self.table_page(resource.name, number)
            if self.site.has_pages(resource.name):
                for index in self.site.raw[resource.name].index:
                    yield self.row_page(resource.name, index)
        yield self.texts_index()
        for source_id in self.site.texts:
            yield self.text_page(source_id)
        for path, render in with_charts:
            yield path, render()

    # -- helpers ------------------------------------------------------------------------------------------
    def render(self, path: str, template: str, title: str, **context) -> tuple[str, str]:
        return path, self.later(path, template, title, **context)[1]()

    def later(self, path: str, template: str, title: str, **context):
        """(path, a function that renders the page): for pages whose charts are still being drawn."""
        root = "../" * path.count("/")
        return path, lambda: ENV.get_template(template).render(
            root=root, title=title, site_title=self.site.package.descriptor.get("title", ""),
            nav=self.nav, current=path, version=self.site.version(), **context)

    def title_of(self, table: str) -> str:
        if table not in self._titles:
            resource = next(r for r in self.site.package.descriptor.get("resources", []) if r.get("name") == table)
            self._titles[table] = resource.get("title") or table
        return self._titles[table]

    def quote_href(self, table: str, index: int) -> str | None:
        passage = self.site.passage_of(table, index)
        return f"texts/{safe_name(passage.source_id)}.html#{passage.anchor}" if passage else None

    def cell(self, table: str, column: str, value: str, root: str) -> Markup:
        """One cell as HTML: keys link to the rows they name; an http(s) address links to itself only in a
        column the schema declares as addresses (`format: uri`), so a `role` that reads like a link stays text."""
        if value == "":
            return Markup("")
        site = self.site
        field = site.schema_field(table, column)
        target = site.references(table).get(column)
        if column == site.key_column(table) and site.has_pages(table):
            target = table
        if target:  # the name, linked, with the id beside it where they differ (what SQL and the CSV show)
            items = value.split(list_delimiter(field)) if field.get("type") == "list" else [value]
            return Markup("; ").join(Markup(f'<a href="{root}{site.row_page(target, item)}">{escape(site.label(target, item))}</a>')
                                     + (Markup(f' <span class="id">{escape(item)}</span>') if site.label(target, item) != item else "")
                                     for item in items)
        if field.get("type") == "list":
            return escape(value.replace(list_delimiter(field), "; "))
        if field.get("format") == "uri" and re.fullmatch(r"https?://[^\s\x00-\x1f\x7f]+", value, re.I):
            return Markup(f'<a href="{escape(value)}" rel="external nofollow noopener noreferrer">{escape(value)}</a>')
        return escape(value)

    def row_view(self, table: str, index: int, root: str) -> dict:
        """A row for a card: title, its own page, every filled cell, and its quote with the link to it."""
        if (table, index, root) not in self._views:
            if len(self._views) >= VIEWS_KEPT:  # bounded: the build's memory must not grow with the pages written
                self._views.clear()
            self._views[table, index, root] = self._row_view(table, index, root)
        return self._views[table, index, root]

    def _row_view(self, table: str, index: int, root: str) -> dict:
        row = self.records[table][index]
        name = self.site.name_column(table)
        fields = [(column, self.cell(table, column, value, root)) for column, value in row.items()
                  if column not in ("quote", name) and value != ""]
        return {**self.row_link(table, index, root), "fields": fields, "quote": row.get("quote", "")}

    def row_link(self, table: str, index: int, root: str) -> dict:
        """What a list needs of a row (its title, page, line in its table, quote's place): a row view without
        its cells, which are the costly part and are not cached (the timeline lists every dated row)."""
        site = self.site
        row = self.records[table][index]
        key = site.key_of(table, index)
        name = site.name_column(table)
        quote_href = self.quote_href(table, index)
        return {"table": table, "table_title": self.title_of(table), "key": key,
                "title": row[name] if name else _short(next((row[c] for c in DESCRIBING_COLUMNS if row.get(c)), key), 140),
                "page": root + site.row_page(table, key), "anchor": root + site.table_anchor(RowRef(table, key, index)),
                "quote_href": root + quote_href if quote_href else None}

    # -- home ---------------------------------------------------------------------------------------------
    def home(self):
        site = self.site
        counts = [(site.table_page(r.name), self.title_of(r.name), len(site.raw[r.name])) for r in site.resources]
        by_source = self.rows_by_source()
        pictures = [charts.rows_per_table(by_source)] if len(by_source) else []
        rows = stances.position_rows(site)
        if rows is not None and len(rows):
            issue_of = dict(zip(site.raw["propositions"]["proposition_id"], site.raw["propositions"]["issue_id"]))
            issues = rows["proposition_id"].map(issue_of).map(lambda i: site.label("issues", i) if i else "no issue")
            pictures.append(charts.positions_per_column(pd.DataFrame({"column": issues, "colour": rows["stance"]}),
                                                        "Issue", "Stance", list(stances.model.STANCE_ORDER)))
        descriptor = site.package.descriptor
        citation = shown_unseen(read_published_text(site.package.root, "CITATION.cff") or "")
        return self.later("index.html", "home.html", "Home", descriptor=descriptor, counts=counts,
                          charts=pictures, citation=citation, downloads=self.downloads, documents=self.documents,
                          passages=len(site.passages), texts=len(site.texts))

    def rows_by_source(self) -> pd.DataFrame:
        site, parts = self.site, []
        for resource in site.resources:
            frame = site.raw[resource.name]
            if "source_id" in frame.columns:  # not the vocabularies, nor the sources themselves
                counts = frame["source_id"].replace("", "(none)").value_counts()
                parts += [{"table": resource.name, "source": s, "rows": int(n)} for s, n in counts.items()]
        return pd.DataFrame(parts, columns=["table", "source", "rows"])

    # -- timeline -----------------------------------------------------------------------------------------
    def timeline_items(self) -> pd.DataFrame:
        """Every position, event and proposal where peacetalks.timeline places it: by its own date, its
        event's, or (marked observed) its source's publication date; with first and last day and precision."""
        site = self.site
        groups = stances.actor_groups(site)
        items = []
        for table in DATED_TABLES:
            typed = site.typed.get(table)
            if typed is None or "timeline_first_day" not in typed.columns:
                continue
            raw = site.raw[table]
            actor_columns = [c for c, t in site.references(table).items() if t == "actors"]
            placed = typed[typed["timeline_first_day"].notna()]
            # Columns as plain lists: per-cell access through pandas costs more than the rest of an item.
            columns = zip(placed.index, placed["timeline_basis"], placed["timeline_precision"], placed["timeline_first_day"],
                          placed["timeline_last_day"], placed.get("observed_date", pd.Series(index=placed.index, dtype=object)),
                          raw[actor_columns[0]].loc[placed.index] if actor_columns else [""] * len(placed))
            dates = raw["date"].loc[placed.index] if "date" in raw.columns else pd.Series("", index=placed.index)
            for (index, basis, precision, first, last, observed, actor_cell), date in zip(columns, dates):
                actors = [a for a in actor_cell.split(";") if a]
                row_groups = sorted({groups.get(a, "unattributed") for a in actors}) or ["unattributed"]
                link = self.row_link(table, index, "")
                items.append({"table": table, "lane": table.capitalize() + (" (observed)" if basis == "observed" else ""),
                              "label": _short(link["title"]), "start": first, "end": last + timedelta(days=1),
                              "precision": "day" if precision.startswith("day") else "span",
                              "date": _placed(date, basis, first, last, observed), "dating": BASIS_WORDS.get(basis, basis),
                              "certainty": "approximate or uncertain" if re.search("approximate|uncertain", precision) else "as stated",
                              "group": row_groups[0], "groups": row_groups, "href": link["page"],
                              "quote_href": link["quote_href"]})
        frame = pd.DataFrame(items)
        return frame.sort_values(["start", "end", "label"]).reset_index(drop=True) if len(frame) else frame

    def timeline(self):
        items = self.timeline_items()
        _, group_title = stances.group_column(self.site)
        picture = charts.timeline(timeline_drawing(items), TIMELINE_FROM, group_title) if len(items) else None
        groups = sorted({g for gs in items.get("groups", []) for g in gs})
        earlier = int((items["end"] <= pd.Timestamp(TIMELINE_FROM)).sum()) if len(items) else 0
        listed = charts.sample(items, LIST_LIMIT)  # in date order, the first and the last kept
        return self.later("timeline.html", "timeline.html", "Timeline", items=listed.to_dict("records"), chart=picture,
                          groups=groups, group_title=group_title, earlier=earlier, since=TIMELINE_FROM[:4],
                          total=len(items))

    # -- positions ----------------------------------------------------------------------------------------
    def positions(self):
        site = self.site
        rows = stances.position_rows(site)
        if rows is None:
            return self.later("positions.html", "positions.html", "Positions", matrices=None)
        matrices = [self.matrix_view(rows, by) for by in GROUPINGS]
        changed, index = [], dict(zip(rows["demand_id"], rows["index"]))
        changes = stances.changes(rows)
        for change in changes.head(LIST_LIMIT).to_dict("records"):
            change["actor_name"] = site.label("actors", change["actor"])
            for side in ("from", "to"):  # an observation is every row one source gives
                change[f"{side}_rows"] = [self.row_link("demands", int(index[i]), "") for i in change[f"{side}_ids"].split(";")]
            changed.append(change)
        scales, scaled_issues = self.scale_views()
        return self.later("positions.html", "positions.html", "Positions", matrices=matrices, changes=changed,
                          changes_total=len(changes), counted=len(rows), left_out=len(site.raw["demands"]) - len(rows),
                          scales=scales, scaled_issues=scaled_issues)

    def scale_views(self) -> tuple[list[dict], int]:
        """Per scaled issue, the chart of each side's (official voice's) observations on the issue's scale over
        time, and the observations, each with its rows and quotes (the anchors the chart's marks link to); at
        most MAX_SCALE_CHARTS issues, those with the most observations. Also how many issues have observations."""
        site = self.site
        if not (site.has("scales", "issue_id", "order", "label") and site.has("demands", "scale_min", "scale_max")):
            return [], 0
        observed = stances.scale_observations(site)
        index = dict(zip(site.raw["demands"]["demand_id"], site.raw["demands"].index))
        scales = site.typed["scales"].sort_values(["issue_id", "order"])
        points_of = {issue: list(labels.astype(str)) for issue, labels in scales.groupby("issue_id", sort=False)["label"]}
        counts = observed["issue_id"].value_counts()
        drawn = set(counts.sort_index().sort_values(ascending=False, kind="stable").index[:MAX_SCALE_CHARTS])
        views = []
        for issue, obs in observed[observed["issue_id"].isin(drawn)].groupby("issue_id", sort=True):
            points = points_of.get(issue, [])
            label = site.label("issues", issue)
            obs = obs.sort_values(["when", "source", "step", "group"], kind="stable").reset_index(drop=True)
            obs["observation"] = [f"{w} · {s}" + (f" ({step + 1})" if step else "")
                                  for w, s, step in zip(obs["when_text"], obs["source"], obs["step"])]
            obs["order"] = obs["observation"].map({o: n for n, o in enumerate(dict.fromkeys(obs["observation"]))})
            obs["anchor"] = [f"scale-{issue}-{n}" for n in range(1, len(obs) + 1)]
            marks = obs[["observation", "order", "group", "low", "high"]].assign(href="#" + obs["anchor"])
            views.append({"issue": issue, "label": label, "points": points,
                          "chart": charts.issue_scale(marks, label, points),
                          "observations": [dict(o, place=o["low"] if o["low"] == o["high"] else f"{o['low']}-{o['high']}",
                                                rows=[self.row_link("demands", int(index[i]), "") for i in o["ids"]])
                                           for o in obs.to_dict("records")]})
        return views, len(counts)

    def matrix_view(self, rows: pd.DataFrame, by: str) -> dict:
        """One matrix of the Positions page (by side or actor): its chart and its cells, each with its rows."""
        site = self.site
        order = {p: n for n, p in enumerate(site.raw["propositions"]["proposition_id"])}  # grouped by issue
        cells = stances.cells(site, rows, by)
        propositions = site.raw["propositions"]
        labels = dict(zip(propositions["proposition_id"], _distinct(propositions["statement"].map(lambda s: _short(s, 56)))))
        # a plan proposition is one line per plan (coding manual, section 2, rule 5): two plans never share a cell
        cells = cells.assign(label=[labels[p] if not plan else _short(f"Plan accepted: {site.label('proposals', plan)}", 56)
                                    for p, plan in zip(cells["proposition_id"], cells["plan"])])
        cells = cells.assign(order=[(order[p], plan) for p, plan in zip(cells["proposition_id"], cells["plan"])])
        cells = cells.sort_values(["order", "group"])
        cells = cells.assign(order=cells["order"].map({o: n for n, o in enumerate(sorted(set(cells["order"])))}))
        picture = charts.position_matrix(cells.assign(href="#" + cells["anchor"]).drop(columns=["indices", "demand_ids"]),
                                         by.capitalize(), stances.COLOURS) if len(cells) else None
        # The cells the chart draws (past its limit, the groups and propositions with the most cells) are the
        # anchors its marks link to; the rows of the others are on the positions table's pages.
        listed = charts.matrix_cells(cells) if len(cells) else cells
        return {"by": by, "chart": picture, "total": len(cells), "table_page": site.table_page("demands"),
                "cells": [dict(cell, total=len(cell["indices"]),
                               rows=[self.row_link("demands", i, "") for i in cell["indices"][:ROWS_PER_CELL]])
                          for cell in listed.to_dict("records")]}

    # -- figures ------------------------------------------------------------------------------------------
    def figures(self):
        site = self.site
        if not site.has("figures", "value", "unit"):
            return self.later("figures.html", "figures.html", "Figures", units=[])
        raw, typed = site.raw["figures"], site.typed["figures"]
        table = pd.DataFrame({
            "index": raw.index, "unit": raw["unit"], "issue_id": raw.get("issue_id", ""),
            "label": raw.get("metric", raw.index.astype(str)).map(lambda m: _short(m, 48)),
            "value": typed["value"].astype("float64"), "low": typed.get("value_low", pd.Series(dtype="float64")).astype("float64"),
            "high": typed.get("value_high", pd.Series(dtype="float64")).astype("float64"),
            "qualifier": raw.get("qualifier", ""), "estimator": raw.get("estimated_by", "").map(lambda a: site.label("actors", a) if a else "not stated"),
            "period": [_period(a, b) for a, b in zip(raw.get("period_start", ""), raw.get("period_end", ""))],
            "shown": [_figure_text(r) for r in raw.to_dict("records")],
        })
        table["per"] = raw.get("per", "")
        table["href"] = [self.row_link("figures", i, "")["anchor"] for i in raw.index]
        groups = sorted(table.groupby(table["unit"] + table["per"].map(lambda p: f" per {p}" if p else ""), sort=True),
                        key=lambda g: (len(g[1]) < FIGURES_PER_CHART, -len(g[1]), g[0]))  # the page's order
        units, budget = [], LIST_LIMIT
        for number, (unit, group) in enumerate(groups):
            group = group.assign(label=_distinct(group["label"]))  # two figures may share a metric
            drawn = len(group) >= FIGURES_PER_CHART and number < MAX_FIGURE_CHARTS
            picture = charts.figures_for_unit(group, unit) if drawn else None
            # Past the limits, an evenly spaced sample of each unit's figures (every one is on the table's pages).
            listed = charts.sample(group, min(FIGURES_PER_UNIT, budget))
            budget -= len(listed)
            units.append({"unit": unit, "chart": picture, "total": len(group),
                          "rows": [dict(r, view=self.row_link("figures", r["index"], ""), links=self._figure_links(r["index"]))
                                   for r in listed.to_dict("records")]})
        used = set(raw["issue_id"]) - {""} if "issue_id" in raw.columns else set()
        issues = [(i, site.label("issues", i)) for i in (site.raw["issues"]["issue_id"] if site.has("issues", "issue_id") else [])
                  if i in used]
        return self.later("figures.html", "figures.html", "Figures", units=units, issues=issues,
                          table_page=site.table_page("figures"))

    def _figure_links(self, index: int) -> dict[str, Markup]:
        record = self.records["figures"][index]
        return {column: self.cell("figures", column, record[column], "") for column in ("issue_id", "estimated_by")
                if column in record}

    # -- tables and rows ----------------------------------------------------------------------------------
    def tables_index(self):
        tables = [(self.site.table_page(r.name), self.title_of(r.name), len(self.site.raw[r.name]), self._description(r.name))
                  for r in self.site.resources]
        return self.render("tables.html", "tables.html", "Tables", tables=tables)

    def _description(self, table: str) -> str:
        resource = next(r for r in self.site.package.descriptor.get("resources", []) if r.get("name") == table)
        return resource.get("description", "")

    def table_page(self, table: str, number: int = 1):
        """Page `number` of a table: its ROWS_PER_PAGE rows from (number - 1) * ROWS_PER_PAGE on, with links
        to every page of the table when it has more than one."""
        site, root = self.site, "../"
        columns = list(site.raw[table].columns)
        first = (number - 1) * ROWS_PER_PAGE
        last = min(first + ROWS_PER_PAGE, len(site.raw[table]))
        records = self.records[table]
        rows = []
        for index in range(first, last):
            record = records[index]
            key = site.key_of(table, index)
            quote_href = self.quote_href(table, index)
            cells_ = [self.cell(table, c, record[c], root) if c != "quote" else
                      (Markup(f'<a href="{root}{quote_href}">{escape(record[c])}</a>') if quote_href else escape(record[c]))
                      for c in columns]
            rows.append({"anchor": f"r-{safe_name(key)}", "cells": cells_})
        descriptions = {f.get("name"): f.get("description", "") for f in site.resource(table).fields}
        # Wide columns for long text, so that a phone scrolls sideways instead of stacking words.
        if table not in self._long:
            self._long[table] = {c for c in columns if len(site.raw[table]) and site.raw[table][c].str.len().median() > 40}
        long = self._long[table]
        count = site.table_pages(table)
        pages = [(n, site.table_page(table, (n - 1) * ROWS_PER_PAGE).removeprefix("tables/"),
                  f"{(n - 1) * ROWS_PER_PAGE + 1:,}–{min(n * ROWS_PER_PAGE, len(site.raw[table])):,}")
                 for n in range(1, count + 1)] if count > 1 else []
        return self.render(site.table_page(table, first), "table.html", self.title_of(table), table=table, columns=columns,
                           descriptions=descriptions, rows=rows, description=self._description(table), long=long,
                           csv=f"downloads/{site.resource(table).path}", pages=pages, number=number,
                           total=len(site.raw[table]), first=first + 1, last=last, per_page=ROWS_PER_PAGE)

    def row_page(self, table: str, index: int):
        site, root = self.site, "../"
        key = site.key_of(table, index)
        # A row that many rows point at (a source of 40,000 positions) shows the first CARDS_PER_SECTION of
        # each table and says how many more there are: all of them are on that table's pages.
        about = [{"title": self.title_of(t), "total": len(indices), "table_page": root + site.table_page(t),
                  "rows": [self.row_view(t, i, root) for i in indices[:CARDS_PER_SECTION]]}
                 for t, indices in site.rows_about(table, key).items()]
        return self.render(site.row_page(table, key), "row.html", site.label(table, key), row=self.row_view(table, index, root),
                           about=about, table_title=self.title_of(table), table_page=site.table_page(table),
                           text_page=f"{root}texts/{safe_name(key)}.html" if table == "sources" and key in site.texts else None)

    # -- source texts -------------------------------------------------------------------------------------
    def texts_index(self):
        site = self.site
        texts = [(f"texts/{safe_name(source_id)}.html", site.label("sources", source_id), sum(p.source_id == source_id for p in site.passages.values()))
                 for source_id in site.texts]
        return self.render("texts.html", "texts.html", "Source texts", texts=texts)

    def text_page(self, source_id: str):
        site, root = self.site, "../"
        passages = sorted((p for p in site.passages.values() if p.source_id == source_id), key=lambda p: p.number)
        cited = [{"passage": p, "total": len(p.rows), "rows": [self.row_link(r.table, r.index, root) for r in p.rows[:ROWS_PER_PASSAGE]]}
                 for p in passages]
        return self.render(f"texts/{safe_name(source_id)}.html", "text.html", site.label("sources", source_id),
                           source=self.row_view("sources", site.raw["sources"].index[site.raw["sources"]["source_id"] == source_id][0], root),
                           text=site.texts[source_id].render(passages), cited=cited, withheld=source_id in site.withheld)


class Records:
    """A table's rows as plain dicts, made when asked for from one list per column: a dict per row, held
    for the whole build, took half a gigabyte at 200,000 rows."""

    def __init__(self, frame: pd.DataFrame):
        self.columns = list(frame.columns)
        self.values = [frame[column].tolist() for column in self.columns]

    def __getitem__(self, index: int) -> dict[str, str]:
        return {column: values[index] for column, values in zip(self.columns, self.values)}


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _period(start: str, end: str) -> str:
    if start and end:
        return start if start == end else f"{start} to {end}"
    return f"from {start}" if start else (f"until {end}" if end else "")


def _figure_text(row: dict) -> str:
    value, low, high = row.get("value", ""), row.get("value_low", ""), row.get("value_high", "")
    words = {"approximate": "about ", "at_least": "at least ", "at_most": "at most ", "more_than": "more than ",
             "less_than": "less than "}
    shown = f"{low}–{high}" if low and high else f"{words.get(row.get('qualifier', ''), '')}{value}"
    return f"{shown} {row.get('unit', '')}" + (f" per {row['per']}" if row.get("per") else "")


BASIS_WORDS = {"date": "its own date", "event": "its event's date", "observed": "observed (its source's publication date; "
               "for an event or plan several sources describe, the earliest of theirs)"}


def _placed(date: str, basis: str, first: pd.Timestamp, last: pd.Timestamp, observed) -> str:
    """The date as the reader should see it, saying where it comes from when it is not the row's own."""
    if basis == "date":
        return date
    if basis == "event":
        return f"{_day_or_span(first, last)} (its event)"
    return f"undated; source published {observed}"


def _day_or_span(first: pd.Timestamp, last: pd.Timestamp) -> str:
    first, last = first.date(), last.date()
    return str(first) if first == last else f"{first} to {last}"


def timeline_drawing(items: pd.DataFrame) -> pd.DataFrame:
    """What the timeline chart draws: each dated item on the first free line (track) of its lane, and the
    undated items of each lane and source as one grey bar over the source's publication date."""
    dated = items[~items["lane"].str.endswith("(observed)")].sort_values(["lane", "start", "end"])
    tracks, ends = [], {}
    for lane, start, end in zip(dated["lane"], dated["start"], dated["end"]):
        free = ends.setdefault(lane, [])
        track = next((n for n, last in enumerate(free) if last <= start), len(free))
        free[track:track + 1] = [end]
        tracks.append(track)
    observed = items[items["lane"].str.endswith("(observed)")]
    observed = observed.groupby(["lane", "start", "end", "precision", "date"], as_index=False).size()
    observed = observed.assign(label=observed["size"].astype(str) + " undated items", group=charts.OBSERVED, href="#list",
                               track=observed.groupby("lane").cumcount())
    drawn = pd.concat([dated.assign(track=tracks), observed], ignore_index=True)
    drawn = drawn.assign(start=drawn["start"].dt.strftime("%Y-%m-%d"), end=drawn["end"].dt.strftime("%Y-%m-%d"))
    drawn["certainty"] = drawn["certainty"].fillna("as stated")
    return drawn[["lane", "track", "group", "start", "end", "precision", "certainty", "label", "href"]]


def _distinct(labels: pd.Series) -> list[str]:
    """Labels made distinct by numbering repeats ('X', 'X (2)'), so that each gets its own line in a chart."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out
