"""`peacetalks site` past its limits: a scaled copy of the package (every table three times) built with the limits
lowered just below its sizes, so that every way a large package is cut down runs here in seconds (the same
code runs at the real limits on `make bench`'s 200,000-row copy). Each cut says so on its page, in words
checked exactly, and every row is still reachable: on its table's pages, split with links between them."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from peacetalks.bench import scale_package
from peacetalks.site import build_site, charts, model, pages
from peacetalks.site.model import safe_name

from test_site import pages as parse_pages

REPO = Path(__file__).resolve().parent.parent
LIMITS = {  # (module, name): value, each just below what the scaled copy holds
    (model, "ROWS_PER_PAGE"): 250, (pages, "ROWS_PER_PAGE"): 250,
    (charts, "MAX_MARKS"): 30, (pages, "LIST_LIMIT"): 300,
    (pages, "CARDS_PER_SECTION"): 5, (pages, "ROWS_PER_PASSAGE"): 1, (pages, "ROWS_PER_CELL"): 1,
    (pages, "MAX_SCALE_CHARTS"): 2, (pages, "FIGURES_PER_UNIT"): 2, (pages, "MAX_FIGURE_CHARTS"): 1,
}


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    root = tmp_path_factory.mktemp("scale")
    counts = scale_package(REPO / "datapackage.json", root / "scaled", rows=1_400)  # every table three times
    with pytest.MonkeyPatch.context() as patch:
        for (module, name), value in LIMITS.items():
            patch.setattr(module, name, value)
        built = build_site(root / "scaled" / "datapackage.json", root / "site")
    return built, counts, root / "scaled"


@pytest.fixture(scope="module")
def parsed(scaled):
    return parse_pages(scaled[0].out)


def _text(path: Path) -> str:
    """The page's text with tags and runs of white space taken out: what a reader sees."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


def test_a_long_table_is_split_into_pages_that_link_to_each_other(scaled):
    built, counts, _ = scaled
    demands = counts["demands"]
    assert 500 < demands <= 750  # three pages of 250
    first, second, third = (built.out / "tables" / name for name in ("demands.html", "demands~p2.html", "demands~p3.html"))
    assert first.is_file() and second.is_file() and third.is_file() and not (built.out / "tables/demands~p4.html").exists()
    assert (f"{demands:,} rows, on 3 pages of at most 250: this is page 2, rows 251–500. The filter and the sorting below "
            "work on this page's rows only; the CSV holds them all.") in _text(second)
    html = second.read_text(encoding="utf-8")
    assert '<a href="demands.html">1' in html and '<a href="demands~p2.html" aria-current="page">2' in html
    assert '<a href="demands~p3.html">3' in html
    assert len(re.findall(r'<tr id="r-', third.read_text(encoding="utf-8"))) == demands - 500
    small = (built.out / "tables/sources.html").read_text(encoding="utf-8")  # five rows: one page, no page links
    assert 'id="pages-note"' not in small and not (built.out / "tables/sources~p2.html").exists()


def test_every_row_is_on_its_table_s_pages_and_every_link_resolves(scaled, parsed):
    built, counts, copy = scaled
    for table, count in counts.items():
        with open(copy / "data" / f"{table}.csv", newline="", encoding="utf-8") as fh:
            keys = [next(iter(row.values())) for row in csv.DictReader(fh)]
        anchors = set()
        for page in [built.out / "tables" / f"{table}.html", *(built.out / "tables").glob(f"{table}~p*.html")]:
            anchors |= {i for i in parsed[page.resolve()].ids if i.startswith("r-")}
        assert len(anchors) == count and anchors == {f"r-{safe_name(k)}" for k in keys}, table
    broken = []
    for path, page in parsed.items():
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme:
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_file():
                broken.append(f"{path.name} -> {href}: no such file")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in parsed[target].ids:
                broken.append(f"{path.name} -> {href}: no such anchor")
    assert not broken, "\n".join(broken[:20])


def test_a_row_of_a_table_without_pages_links_to_the_page_that_holds_it(scaled):
    built, _, copy = scaled
    with open(copy / "data/demands.csv", newline="", encoding="utf-8") as fh:
        last = list(csv.DictReader(fh))[-1]["demand_id"]
    actor_pages = (built.out / "actors").glob("*.html")
    assert any(f'tables/demands~p3.html#r-{safe_name(last)}"' in p.read_text(encoding="utf-8") for p in actor_pages)


def test_the_timeline_samples_its_chart_and_its_list_and_says_so(scaled):
    built = scaled[0]
    text = _text(built.out / "timeline.html")
    drawn = re.search(r"Too many to draw: 30 of the ([\d,]+) items, evenly spaced, are shown; the tables hold them "
                      r"all\.", text)
    listed = re.search(r"Too many to list: 300 of the ([\d,]+) items, evenly spaced in date order \(the first and the "
                       r"last included\), are listed, and the filter works on these; every item is on its table's pages "
                       r"\(Tables\)\.", text)
    assert drawn and listed and int(listed.group(1).replace(",", "")) > 300 and int(drawn.group(1).replace(",", "")) > 30
    assert len(re.findall(r'<li data-groups=', (built.out / "timeline.html").read_text(encoding="utf-8"))) == 300


def test_a_row_many_rows_point_at_shows_the_first_and_says_how_many(scaled):
    built = scaled[0]
    page = next(p for p in (built.out / "sources").glob("*.html") if "Too many to show" in p.read_text(encoding="utf-8"))
    found = re.search(r"Actors \(([\d,]+)\) Too many to show: the first 5 of the ([\d,]+) rows are shown; every "
                      r"row is on the Actors table's pages\.", _text(page))
    assert found and found.group(1) == found.group(2) and int(found.group(2).replace(",", "")) > 5
    for section in page.read_text(encoding="utf-8").split("<section>")[1:]:  # 5 cards where cut, else every row
        cards, total = section.count("<article"), int(re.search(r"<h2>.*? \(([\d,]+)\)</h2>", section).group(1).replace(",", ""))
        assert cards == min(total, 5) and ("Too many to show" in section) == (total > 5)
    assert '<a href="../tables/actors.html">Actors table\'s pages</a>' in page.read_text(encoding="utf-8")


def test_a_passage_cited_by_many_rows_lists_the_first(scaled):
    text = _text(scaled[0].out / "texts/meduza-2025-peace-postponed.html")
    assert re.search(r"Too many to show: the first 1 of the 3 rows citing this passage are shown; every row is on its "
                     r"table's pages \(Tables\)\.", text)


def test_positions_and_figures_draw_and_list_their_first_and_say_so(scaled):
    text = _text(scaled[0].out / "positions.html")
    issues = re.search(r"Too many to draw: the 2 of the ([\d,]+) scaled issues with the most observations are drawn; "
                       r"peacetalks positions --distance prints them all\.", text)
    assert issues and int(issues.group(1)) > 2
    assert text.count("How far apart: ") == 2  # two charts' titles
    assert re.search(r"Too many to show: the first 1 of the [2-9] rows are listed; every position is on the positions "
                     r"table's pages\.", text)
    figures = _text(scaled[0].out / "figures.html")
    assert re.search(r"Too many to list: 2 of the ([\d,]+) figures, evenly spaced, are listed; every figure is on the "
                     r"figures table's pages\.", figures)
    assert len(re.findall(r'<figure class="chart">', (scaled[0].out / "figures.html").read_text(encoding="utf-8"))) == 1


def test_a_table_page_name_never_names_another_table_s_page():
    from peacetalks.site.model import ROWS_PER_PAGE, Site

    assert ROWS_PER_PAGE == 1_000
    assert [Site.table_page("demands", n) for n in (0, 999, 1_000, 2_999, 3_000)] == [
        "tables/demands.html", "tables/demands.html", "tables/demands~p2.html", "tables/demands~p3.html",
        "tables/demands~p4.html"]
    # a table named like another's second page gets a name of its own: `~` is spelled out in a safe_name
    assert Site.table_page("demands~p2") == "tables/demands~00007ep2.html"
