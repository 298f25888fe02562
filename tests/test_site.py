"""`peacetalks site`: built once from the real package; its links, anchors and quote highlights checked by
parsing every page, then a sample of pages opened in a real headless Chromium (skipped, saying why, where
no browser is installed)."""

from __future__ import annotations

import re
import shutil
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from peacetalks.cli import main
from peacetalks.validation.provenance import FRAGMENT_JOINER, normalise
from peacetalks.site import build_site
from peacetalks.site.model import safe_name
from peacetalks.site.passages import SourceText

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    return build_site(REPO / "datapackage.json", out)


class Page(HTMLParser):
    """Ids, links and resource references of one HTML file; marks of a source text by passage."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.resources, self.marks = set(), [], [], {}
        self._open_marks: list[list[str]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and (attrs.get("href") or attrs.get("xlink:href")) is not None:  # xlink: a chart's marks
            self.links.append(attrs.get("href") or attrs["xlink:href"])
        if tag in ("script", "img", "iframe") and attrs.get("src"):
            self.resources.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.resources.append(attrs["href"])
        if tag == "mark":
            self._open_marks.append(attrs.get("data-passages", "").split())
        if tag == "p":  # a paragraph starts where the source has a line break: whitespace
            for texts in self.marks.values():
                texts.append(" ")

    def handle_endtag(self, tag):
        if tag == "mark":
            self._open_marks.pop()

    def handle_data(self, data):
        for names in self._open_marks[-1:]:
            for name in names:
                self.marks.setdefault(name, []).append(data)


def pages(site_root: Path) -> dict[Path, Page]:
    return {path: Page(path.read_text(encoding="utf-8")) for path in sorted(site_root.rglob("*.html"))}


@pytest.fixture(scope="session")
def parsed(built):
    return pages(built.out)


def test_build_reports_what_it_wrote(built, parsed):
    assert built.pages == len(parsed) > 200
    for name in ("index.html", "timeline.html", "positions.html", "figures.html", "tables/demands.html",
                 "actors/donald-trump.html", "texts/meduza-2025-peace-postponed.html", "codebook.html"):
        assert (built.out / name).is_file(), name
    assert (built.out / "downloads/data/demands.csv").read_bytes() == (REPO / "data/demands.csv").read_bytes()


def test_every_internal_link_and_anchor_resolves(built, parsed):
    broken = []
    for path, page in parsed.items():
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("data:"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_file() or not target.is_relative_to(built.out.resolve()):
                broken.append(f"{path.relative_to(built.out)} -> {href}: no such file")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in parsed[target].ids:
                broken.append(f"{path.relative_to(built.out)} -> {href}: no such anchor")
    assert not broken, "\n".join(broken[:20])


def test_chart_marks_link_to_the_rows_behind_them(built, parsed):
    matrix = parsed[(built.out / "positions.html").resolve()]
    cells = [h for h in matrix.links if h.startswith("#actor-cell-")]
    assert len(set(cells)) > 50 and all(h[1:] in matrix.ids for h in cells)
    timeline = parsed[(built.out / "timeline.html").resolve()]
    # each event is once in the list; the ones with a date of their own from 2024 on are also marks of the chart
    import csv

    with open(REPO / "data" / "events.csv", encoding="utf-8") as fh:
        charted = sum(row["date"][:4] >= "2024" for row in csv.DictReader(fh) if row["date"])
    assert charted > 0
    assert sum(h.startswith("events/") for h in timeline.links) >= len(list((built.out / "events").glob("*"))) + charted


def test_every_local_resource_exists(built, parsed):
    missing = [(p.name, r) for p, page in parsed.items() for r in page.resources
               if not urlsplit(r).scheme and not (p.parent / unquote(urlsplit(r).path)).is_file()]
    assert not missing
    assert '<img src="downloads/docs/site.png"' in (built.out / "readme.html").read_text(encoding="utf-8")


def test_nothing_is_loaded_from_another_host(parsed):
    outside = [(p.name, r) for p, page in parsed.items() for r in page.resources if urlsplit(r).scheme not in ("", "data")]
    assert not outside
    assert not [h for page in parsed.values() for h in page.links if "vega.github.io" in h]
    for path in parsed:
        assert not re.search(r"""(src|href)=["']//""", path.read_text(encoding="utf-8")), path


def test_every_quote_link_lands_on_a_highlight_holding_the_quote(built, parsed):
    checked = 0
    for path, page in parsed.items():
        for href in page.links:
            match = re.fullmatch(r"(?:\.\./)*texts/([^#]+)#q-(\d+)", href)
            if not match:
                continue
            text_page = parsed[(path.parent / href.split("#")[0]).resolve()]
            assert f"q-{match[2]}" in text_page.ids and text_page.marks[f"q{match[2]}"]
            checked += 1
    assert checked > 500
    # The highlight of each passage holds every fragment of its quote, in order.
    for path, page in parsed.items():
        if path.parent.name != "texts":
            continue
        for item in re.finditer(r'<li id="cited-(\d+)"[^>]*>.*?<blockquote><p>(.*?)</p>', path.read_text(encoding="utf-8"), re.S):
            quote = unicodedata.normalize("NFC", _unescape(item[2]))
            highlighted = normalise("".join(page.marks[f"q{item[1]}"]))
            position = 0
            for fragment in (f.strip() for f in normalise(quote).split(FRAGMENT_JOINER)):
                position = highlighted.find(fragment, position)
                assert position >= 0, (path.name, item[1], fragment)


def _unescape(html: str) -> str:
    import html as html_module
    return html_module.unescape(html)


def test_every_row_with_a_quote_links_to_it(parsed, built):
    table = parsed[(built.out / "tables/demands.html").resolve()]
    quote_links = [h for h in table.links if "#q-" in h]
    rows = (REPO / "data/demands.csv").read_text(encoding="utf-8").count("\n") - 1
    assert len(quote_links) >= rows - 5  # multi-line quoted cells make the line count an upper bound


@pytest.fixture(scope="module")
def site():
    from peacetalks.site.model import read_site

    return read_site(REPO / "datapackage.json")


def test_timeline_draws_each_date_by_its_precision(site):
    from peacetalks.site.pages import Pages, timeline_drawing

    items = Pages(site, []).timeline_items().set_index("date", drop=False)
    month = items.loc["2024-04"].iloc[0]  # the Kellogg-Fleitz paper: "In an April 2024 paper"
    assert (str(month["start"].date()), str(month["end"].date()), month["precision"]) == ("2024-04-01", "2024-05-01", "span")
    year = items.loc["2024"].iloc[0]
    assert (str(year["start"].date()), str(year["end"].date())) == ("2024-01-01", "2025-01-01")
    observed = items[items["date"].str.startswith("undated; source published 2024-12-17")].iloc[0]
    assert observed["precision"] == "day" and observed["dating"].startswith("observed")
    drawn = timeline_drawing(items.reset_index(drop=True))
    for lane, rows in drawn[drawn["group"] != "undated (observed)"].groupby("lane"):
        for _, track in rows.groupby("track"):  # no two items of a lane overlap on one line
            assert (track["start"].iloc[1:].values >= track["end"].iloc[:-1].values).all(), lane


def test_timeline_spans_seasons_and_marks_approximate_dates(pkg):
    from peacetalks.site.model import read_site
    from peacetalks.site.pages import Pages

    pkg.set_cell("demands", 0, "date", "2025-24")  # winter 2025: December 2025 to February 2026
    pkg.set_cell("proposals", 0, "date", "2025-02~")
    items = Pages(read_site(pkg.descriptor), []).timeline_items().set_index("date")
    winter, approximate = items.loc["2025-24"], items.loc["2025-02~"]
    assert (str(winter["start"].date()), str(winter["end"].date()), winter["precision"]) == ("2025-12-01", "2026-03-01", "span")
    assert winter["certainty"] == "as stated" and approximate["certainty"] == "approximate or uncertain"


def test_source_text_maps_normalised_offsets_back_to_the_text():
    raw = "  First line  with\tspaces.\n\nCafe\u0301 au lait …\n last."
    text = SourceText(raw)
    assert text.normalised == normalise(raw)
    spans = text.locate("with spaces. Café … last")
    assert [text.display[a:b] for a, b in spans] == ["with\tspaces.\n\nCafé", "last"]
    assert text.locate("not there") is None
    html = str(text.render([type("P", (), {"spans": spans, "number": 1, "anchor": "q-1"})()]))
    assert html.count("<p>") == 3 and 'id="q-1"' in html and '<mark data-passages="q1">last</mark>' in html


def test_safe_name_keeps_keys_unique_and_inside_the_folder():
    assert safe_name("donald-trump") == "donald-trump"
    assert safe_name("../x") != safe_name("__x") and "/" not in safe_name("../x") and "." not in safe_name("../x")


def test_position_cells_are_the_positions_command_s_table(site):
    from peacetalks import positions as model
    from peacetalks.site import stances

    rows = stances.position_rows(site)
    for by in model.GROUPINGS:
        cells = stances.cells(site, rows, by)
        expected = model.stance_table(rows, by)
        assert list(cells["stance"]) == list(expected["stance"]) and sum(map(len, cells["indices"])) == len(rows)
        assert set(cells["colour"]) <= set(stances.COLOURS)
        assert (cells["colour"] == "mixed").sum() == cells["stance"].str.contains("/").sum() > 0
        demand_ids = site.raw["demands"]["demand_id"]
        for cell in cells.itertuples():
            assert [demand_ids[i] for i in cell.indices] == cell.demand_ids.split(";")


def test_the_matrices_keep_each_plan_apart(site):
    """A named-plan-accepted cell holds the rows of one plan only, and each plan has its own line in the chart:
    Russia backs the Anchorage formula and disregards the 20-point plan, which is not a 'mixed' stance."""
    from peacetalks.site import stances
    from peacetalks.site.pages import Pages

    rows = stances.position_rows(site)
    plan_of = dict(zip(site.raw["demands"]["demand_id"], site.raw["demands"]["proposal_id"]))
    for by in ("side", "actor"):
        cells = stances.cells(site, rows, by)
        plans = cells[cells["proposition_id"] == "named-plan-accepted"]
        assert len(plans) >= 4
        for cell in plans.itertuples():
            assert {plan_of[i] for i in cell.demand_ids.split(";")} == {cell.plan}
    russia = stances.cells(site, rows, "side").query("side == 'russia' and proposition_id == 'named-plan-accepted'")
    assert dict(zip(russia["plan"], russia["stance"]))["anchorage-formula"] == "support"
    assert dict(zip(russia["plan"], russia["stance"]))["20-point-plan"] == "oppose"
    drawn = Pages(site, []).matrix_view(rows, "side")["cells"]
    labels = {cell["plan"]: cell["label"] for cell in drawn if cell["proposition_id"] == "named-plan-accepted"}
    assert len(set(labels.values())) == len(labels) >= 4  # one line of the chart per plan


def test_refuses_to_replace_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = CliRunner().invoke(main, ["site", str(REPO / "datapackage.json"), "--out", str(tmp_path)])
    assert result.exit_code == 1 and "was not written by `peacetalks site`" in result.output
    assert (tmp_path / "keep.txt").read_text() == "mine"
    result = CliRunner().invoke(main, ["site", str(REPO / "datapackage.json"), "--out", str(tmp_path / "keep.txt")])
    assert result.exit_code in (1, 2) and "keep.txt" in result.output and (tmp_path / "keep.txt").read_text() == "mine"


def test_an_invalid_package_writes_no_site(tmp_path, pkg):
    pkg.set_cell("actors", 0, "quote", "words the source never wrote")
    result = CliRunner().invoke(main, ["site", str(pkg.descriptor), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "the package is not valid" in result.output and "quote" in result.output
    assert not (tmp_path / "out").exists()


def test_a_small_package_builds_and_rebuilds(tmp_path, pkg):
    """The test package has a few rows per table, and no figures or events: every page still builds."""
    first = build_site(pkg.descriptor, tmp_path / "out")
    again = build_site(pkg.descriptor, tmp_path / "out")  # its own folder: replaced
    assert first.pages == again.pages and (tmp_path / "out/actors/donald-trump.html").is_file()
    broken = [(p, h) for p, page in pages(tmp_path / "out").items() for h in page.links
              if not urlsplit(h).scheme and urlsplit(h).path and not (p.parent / unquote(urlsplit(h).path)).exists()]
    assert not broken


# -- in a real browser --------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("no browser: /usr/bin/chromium is missing (`make browser` installs it, as root, with apt-get)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (make setup)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    """A fresh page that fails the test on any console error and refuses every request not to a file."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors, page.outside = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))

    def guard(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    yield page
    context.close()


def sample_pages(built) -> list[Path]:
    """The main pages, every table and source text, and the first page of each kind of row."""
    out = built.out
    chosen = [out / p for p in ("index.html", "timeline.html", "positions.html", "figures.html", "codebook.html", "coding-manual.html", "readme.html",
                                "tables.html", "texts.html")]
    chosen += sorted((out / "tables").glob("*.html")) + sorted((out / "texts").glob("*.html"))
    chosen += [sorted(d.glob("*.html"))[0] for d in sorted(out.iterdir())
               if d.is_dir() and d.name not in ("tables", "texts", "downloads", "assets")]
    return chosen


def test_pages_load_without_errors_or_outside_requests(built, page):
    for path in sample_pages(built):
        page.goto(path.as_uri())
        assert page.title(), path
        assert page.locator("h1").count() == 1, path
    assert page.errors == [] and page.outside == []


def test_every_chart_renders_with_marks(built, page):
    charts = 0
    for name in ("index.html", "timeline.html", "positions.html", "figures.html"):
        page.goto((built.out / name).as_uri())
        for figure in page.locator("figure.chart").all():
            svg = figure.locator("svg").first
            box = svg.bounding_box()
            assert box and box["width"] > 100 and box["height"] > 50, name
            assert svg.locator("path, rect, line").count() > 5, name
            assert figure.locator("[role=img]").get_attribute("aria-label")
            charts += 1
    assert charts >= 5 and page.errors == []


# The text of the current passage's marks in reading order, a space where a paragraph (a source line) ends.
HIGHLIGHTED_TEXT = """() => {
  let text = "", last = null;
  for (const mark of document.querySelectorAll("mark.current")) {
    if (last && mark.closest("p") !== last) text += " ";
    text += mark.textContent; last = mark.closest("p");
  }
  return text;
}"""


def test_a_quote_link_lands_on_its_highlight(built, page):
    page.goto((built.out / "tables/demands.html").as_uri())
    link = page.locator("a[href*='#q-']").first
    quote = normalise(link.inner_text())
    link.click()
    page.wait_for_url(re.compile(r"#q-\d+$"))
    number = page.url.rsplit("#q-", 1)[1]
    current = page.locator("mark.current")
    assert current.count() >= 1
    highlighted = normalise(page.evaluate(HIGHLIGHTED_TEXT))
    for fragment in (f.strip() for f in quote.split(FRAGMENT_JOINER)):
        assert fragment in highlighted
    assert page.locator(f"[id='q-{number}']").is_visible()
    assert current.first.is_visible()  # scrolled into view
    # and back: the passage's number leads to the rows citing it, which link to their rows
    page.locator(f"[id='q-{number}']").click()
    assert page.locator(f"[id='cited-{number}'] a[href*='tables/demands.html#r-']").count() >= 1


def test_table_filter_narrows_rows_and_headers_sort(built, page):
    page.goto((built.out / "tables/actors.html").as_uri())
    rows = page.locator("#rows tbody tr")
    total = rows.count()
    page.fill("#filter", "Putin")
    visible = page.locator("#rows tbody tr:not([hidden])")
    assert 0 < visible.count() < total
    assert all("putin" in t.lower() for t in visible.all_inner_texts())
    assert page.locator("#rows-status").inner_text().startswith(f"{visible.count()} of {total}")
    page.fill("#filter", "")
    page.get_by_role("button", name="name", exact=True).click()
    names = page.locator("#rows tbody tr td:nth-child(2)").all_inner_texts()
    assert names == sorted(names, key=str.lower) and page.locator("th[aria-sort=ascending]").count() == 1


def test_timeline_filter_by_group(built, page):
    page.goto((built.out / "timeline.html").as_uri())
    items = page.locator("#timeline-list > li")
    total = items.count()
    group = page.locator("#group-filter option").nth(1).get_attribute("value")  # the first side (or country)
    page.select_option("#group-filter", group)
    shown = page.locator("#timeline-list > li:not([hidden])")
    assert 0 < shown.count() < total
    assert all(group in item.split("|") for item in shown.evaluate_all("items => items.map(i => i.dataset.groups)"))


def test_figures_filter_by_issue(built, page):
    page.goto((built.out / "figures.html").as_uri())
    rows = page.locator("tr[data-groups]")
    total = rows.count()
    issue = page.locator("#issue-filter option").nth(1).get_attribute("value")
    page.select_option("#issue-filter", issue)
    shown = page.locator("tr[data-groups]:not([hidden])")
    assert 0 < shown.count() < total
    assert set(shown.evaluate_all("rows => rows.map(r => r.dataset.groups)")) == {issue}


def test_keyboard_reaches_the_skip_link_first(built, page):
    page.goto((built.out / "index.html").as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"


def test_the_distance_charts_link_every_mark_to_its_rows(built, parsed):
    """Per scaled issue one chart of the sides' places over time; every mark links to an observation on the page,
    which lists its rows (each linking to its row and quote)."""
    import csv

    page = parsed[(built.out / "positions.html").resolve()]
    text = (built.out / "positions.html").read_text(encoding="utf-8")
    with open(REPO / "data" / "scales.csv", encoding="utf-8") as fh:
        scaled = {row["issue_id"] for row in csv.DictReader(fh)}
    drawn = {i for i in scaled if f'id="scale-{i}"' in text}
    assert {"territory", "nato-membership", "sanctions"} <= drawn
    marks = [h for h in page.links if h.startswith("#scale-")]
    assert marks and all(h[1:] in page.ids for h in marks)
    assert len(set(marks)) == sum(text.count(f'id="scale-{i}-') for i in drawn)  # every observation is a mark
    section = text[text.index('id="scale-territory-1"'):]
    section = section[:section.index("</section>")]
    assert "tables/demands.html#r-" in section and "#q-" in section


def test_the_distance_charts_render_in_a_browser(built, page):
    page.goto((built.out / "positions.html").as_uri() + "#distance")
    figures = page.locator("section[id^='scale-'] figure.chart")
    assert figures.count() >= 3
    territory = page.locator("#scale-territory figure.chart svg").first
    box = territory.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 150
    assert territory.locator("a").count() >= 5  # the marks, each a link
    territory.locator("a >> visible=true").first.click()  # a mark drawn (a bar's link wraps no dot)
    assert re.search(r"#scale-territory-\d+$", page.url)
    assert page.errors == [] and page.outside == []


def test_a_key_shows_the_name_with_the_id_beside_it(built):
    html = (built.out / "tables" / "demands.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="[^"]*actors/volodymyr-zelensky\.html">Volodymyr Zelensky</a> <span class="id">volodymyr-zelensky</span>', html)
