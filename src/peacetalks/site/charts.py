"""The site's pictures: Vega-Lite specifications built with Altair, rendered to static SVG by vl-convert
(offline, no JavaScript in the page). Each chart has a title, labelled axes, a legend where colour or
shape carries meaning, and a sentence of alt text."""

from __future__ import annotations

import hashlib
import json
import queue
import re
import signal
import struct
import subprocess
import sys
import tempfile
import threading
from collections import deque
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
from markupsafe import Markup, escape

# A chart draws at most this many marks (rows of its data) or lines; past it, a chart aggregates where it
# can and otherwise shows an evenly spaced sample, and its caption says so (the tables hold every row; the
# lists beside a chart are cut down past their own limits, and say so too). Altair's own limit (5,000 rows,
# with a traceback) is lifted: the data is already in memory, and the limit here is the one that matters
# for a picture.
MAX_MARKS = 2_000
MAX_LINES = 300  # lines of a chart drawn one per item (timeline tracks, matrix rows and columns)
FIGURE_LINES = 100  # figures of one unit drawn (a line each, 24 px): a taller chart is read as the table beside it
alt.data_transformers.disable_max_rows()
WIDTH = 640  # the SVG scales down to a phone's width (CSS max-width: 100%)
# Text is measured (by vl-convert) in the first font and shown (by the browser) in the first one installed:
# DejaVu Sans is wide, so labels measured in it still fit where a narrower font stands in.
FONT = "'DejaVu Sans', Verdana, Arial, sans-serif"
VL_CONVERT_BASE = "https://vega.github.io/vega-datasets/"
OBSERVED = "undated (observed)"
# support, conditional, oppose, mixed: blue, orange, vermillion, grey (Okabe-Ito, safe for colour-vision
# deficiencies; support and oppose far apart)
STANCE_COLOURS = ["#0072B2", "#E69F00", "#D55E00", "#999999"]
# Categories (sides, sources, qualifiers): d3's category10 without its grey (kept for 'observed') and with
# two dark colours added for the ten sides; every one stands out on white, unlike a light yellow.
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
           "#393b79", "#637939"]


# The charts are drawn by vl-convert in a child process (engine.py), while this one builds the pages: an abort
# of its V8 (it cannot be caught) ends the child, never the build, which then says why and cleans up. The child
# lives only while a site is built (`rendering()`): a library user's process is left as it was found.
_RENDERER: Engine | None = None
ENGINE_SCRIPT = Path(__file__).with_name("engine.py")
PROBE = {"mark": "point"}  # the smallest chart: drawn first, it shows that the engine starts


class EngineStopped(Exception):
    """The chart engine's process ended before it drew every chart asked of it (V8 aborted, say)."""


class Engine:
    """vl-convert in a child process: `submit` a spec, get a Future of its SVG. Specs are written to the child
    by one thread and its answers read, in order, by another, so that the pages are built meanwhile."""

    def __init__(self) -> None:
        # Its stderr (V8's report when it aborts) goes to an unlinked file: kept for the reason, never shown.
        self._errors = tempfile.TemporaryFile()
        self._process = subprocess.Popen([sys.executable, str(ENGINE_SCRIPT)], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=self._errors)
        self._lock = threading.Lock()
        self._pending: deque[Future] = deque()
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()
        self._stopped: EngineStopped | None = None
        self._writer = threading.Thread(target=self._write, name="vl-convert-writer", daemon=True)
        self._reader = threading.Thread(target=self._read, name="vl-convert-reader", daemon=True)
        self._writer.start()
        self._reader.start()
        self._probe = self.submit(PROBE)

    def started(self) -> None:
        """Wait until the engine has drawn its first, smallest chart; raises EngineStopped if it could not."""
        self._probe.result()

    def submit(self, spec: dict) -> Future:
        future: Future = Future()
        with self._lock:
            if self._stopped is not None:
                future.set_exception(self._stopped)
                return future
            self._pending.append(future)
            self._outbox.put(spec)
        return future

    def close(self) -> None:
        """End the child: at once (a build that failed or was stopped does not wait for its charts)."""
        self._outbox.put(None)
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._reader.join()
        self._writer.join()
        self._errors.close()

    def _write(self) -> None:
        pipe = self._process.stdin
        try:
            while (spec := self._outbox.get()) is not None:
                body = json.dumps(spec).encode("utf-8")
                pipe.write(struct.pack(">I", len(body)) + body)
                pipe.flush()
        except (BrokenPipeError, ValueError):  # the child died (the reader says why), or was closed
            pass
        finally:
            try:
                pipe.close()
            except OSError:
                pass

    def _read(self) -> None:
        pipe = self._process.stdout
        while True:
            head = pipe.read(5)
            if len(head) < 5:
                break
            size = struct.unpack(">I", head[1:])[0]
            body = pipe.read(size)
            if len(body) < size:  # the child ended midway through an answer
                break
            with self._lock:
                future = self._pending.popleft()
            status, text = head[:1], body.decode("utf-8")
            if status == b"s":
                future.set_result(_finished(text))
            elif status == b"m":
                future.set_exception(MemoryError())
            else:
                future.set_exception(ValueError(f"the chart engine refused a chart: {text}"))
        stopped = EngineStopped(self._why())
        with self._lock:
            self._stopped = stopped
            while self._pending:
                self._pending.popleft().set_exception(stopped)
            self._outbox.put(None)

    def _why(self) -> str:
        """How the child ended, in words: its signal or exit code, and V8's reason when it gave one."""
        code = self._process.wait()
        how = f"killed by {signal.Signals(-code).name}" if code < 0 and -code in signal.valid_signals() \
            else f"exit code {code}"
        try:
            self._errors.seek(0)
            report = self._errors.read(65536).decode("utf-8", "replace")
        except (OSError, ValueError):
            report = ""
        reason = re.search(r"Fatal process out of memory: ([^\n]+)", report)
        return f"{how}; V8: out of memory: {reason.group(1).strip()}" if reason else how


@contextmanager
def rendering(engine: Engine | None = None):
    """Draw charts in the chart engine's process inside this block (one started here unless given); one started
    here is stopped when the block ends."""
    global _RENDERER
    own = engine is None
    _RENDERER = Engine() if own else engine
    try:
        yield
    finally:
        if own:
            _RENDERER.close()
        _RENDERER = None


@dataclass
class Chart:
    title: str
    alt_text: str
    _svg: Future

    @property
    def svg(self) -> str:
        return self._svg.result()

    def html(self) -> Markup:
        # role=img and the label make the picture one element with a description for screen readers;
        # the same facts are in the lists and tables beside each chart.
        return Markup(f'<figure class="chart"><div role="img" aria-label="{escape(self.alt_text)}">{self.svg}</div>'
                      f'<figcaption>{escape(self.alt_text)}</figcaption></figure>')


def render(chart: alt.TopLevelMixin, title: str, alt_text: str) -> Chart:
    spec = chart.properties(title=title).configure(font=FONT, background="white").configure_range(
        category=PALETTE).configure_axis(labelLimit=0).configure_legend(labelLimit=0).to_dict(validate=False)
    if _RENDERER is not None:
        return Chart(title, alt_text, _RENDERER.submit(spec))
    done: Future = Future()  # outside a build (a test drawing one chart): draw it now
    done.set_result(_svg(spec))
    return Chart(title, alt_text, done)


def sample(frame: pd.DataFrame, limit: int) -> pd.DataFrame:
    """At most `limit` rows, evenly spaced through the frame (so the first and last are kept)."""
    if len(frame) <= limit:
        return frame
    return frame.iloc[np.linspace(0, len(frame) - 1, limit).round().astype(int)]


def _sampled_note(shown: int, total: int, what: str) -> str:
    return f" Too many to draw: {shown:,} of the {total:,} {what}, evenly spaced, are shown; the tables hold them all." \
        if shown < total else ""


def _svg(spec: dict) -> str:
    import vl_convert  # only here: a site's build draws in the engine's process, and this one need not load it

    # allowed_base_urls=[]: the chart engine loads no data from any address (it would, by default, from any).
    return _finished(vl_convert.vegalite_to_svg(spec, allowed_base_urls=[]))


def _finished(svg: str) -> str:
    # vl-convert's loader resolves every href against its fixed base URL (vega-datasets); the marks link to
    # pages of this site, so the prefix is taken off again to leave the relative link that was encoded.
    svg = svg.replace(f'xlink:href="{VL_CONVERT_BASE}', 'xlink:href="')
    return stable_clip_ids(svg[svg.index("<svg"):])


def stable_clip_ids(svg: str) -> str:
    """vl-convert numbers clip paths with a counter that lives as long as the process (clip1, then clip9 in the
    next build), so a site built twice in one process differed. Each id is renamed from the chart's content and
    its order in it: the same chart gives the same bytes, and two charts on a page keep distinct ids."""
    found = list(dict.fromkeys(re.findall(r'id="(clip\d+)"', svg)))
    if not found:
        return svg
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, found)) + r")\b")
    digest = hashlib.sha256(pattern.sub("clip", svg).encode()).hexdigest()[:8]
    names = {old: f"clip-{digest}-{n}" for n, old in enumerate(found)}
    return pattern.sub(lambda m: names[m.group(1)], svg)


def rows_per_table(counts: pd.DataFrame) -> Chart:
    """counts: table, source, rows."""
    chart = alt.Chart(counts).mark_bar().encode(
        y=alt.Y("table:N", title="Table", sort="-x"),
        x=alt.X("sum(rows):Q", title="Rows"),
        color=alt.Color("source:N", title="Source", legend=alt.Legend(orient="bottom", columns=1)),
    ).properties(width=WIDTH - 200)
    total = int(counts["rows"].sum())
    return render(chart, "Rows per table, by source",
                  f"Horizontal stacked bars: {total} rows of the {counts['table'].nunique()} tables whose rows cite "
                  f"a source, each bar split by the {counts['source'].nunique()} sources the rows come from.")


def positions_per_column(positions: pd.DataFrame, column_title: str, colour_title: str, colours: list[str]) -> Chart:
    """positions: column (label), colour (stance). Counted here, so the chart gets one row per bar segment."""
    counted = positions.groupby(["column", "colour"], observed=True, sort=False).size().reset_index(name="positions")
    chart = alt.Chart(counted).mark_bar().encode(
        y=alt.Y("column:N", title=column_title, sort="-x"),
        x=alt.X("sum(positions):Q", title="Positions"),
        color=alt.Color("colour:N", title=colour_title, scale=alt.Scale(domain=colours, range=STANCE_COLOURS[:len(colours)]),
                        legend=alt.Legend(orient="bottom")),
    ).properties(width=WIDTH - 260)
    return render(chart, f"Positions per {column_title.lower()}, by {colour_title.lower()}",
                  f"Horizontal stacked bars: {len(positions)} positions counted per {column_title.lower()} "
                  f"and coloured by {colour_title.lower()}.")


def timeline(items: pd.DataFrame, start: str, group_title: str) -> Chart:
    """items: label, lane, track, group, start, end (exclusive), precision, href. One line per item within
    its lane (tracks never overlap); a span is a bar from its first to its last day, a day is a tick."""
    dated = items[items["end"] > start]
    shown = dated[dated["track"] < MAX_LINES] if "track" in dated else dated  # the first lines of each lane
    shown = sample(shown, MAX_MARKS)
    note = _sampled_note(len(shown), len(dated), "items")
    groups = sorted(set(shown["group"]) - {OBSERVED}) + ([OBSERVED] if OBSERVED in set(shown["group"]) else [])
    palette = (PALETTE * 3)[:len(groups) - (OBSERVED in groups)] + (["#8c8c8c"] if OBSERVED in groups else [])
    x = alt.X("start:T", title="Date (bars span a month, season or year; ticks are single days)",
              scale=alt.Scale(domainMin={"expr": f"datetime({start[:4]}, {int(start[5:7]) - 1}, 1)"}),
              axis=alt.Axis(format="%b %Y", labelAngle=-40))
    # EDTF marks a date approximate (~) or uncertain (?): drawn paler, with a legend, when any is.
    certainty = ({"opacity": alt.Opacity("certainty:N", title="Date", legend=alt.Legend(orient="bottom"),
                                         scale=alt.Scale(domain=["as stated", "approximate or uncertain"], range=[1, 0.4]))}
                 if (shown["certainty"] != "as stated").any() else {})
    base = alt.Chart().encode(
        **certainty,
        y=alt.Y("track:O", axis=None),
        color=alt.Color("group:N", title=group_title, scale=alt.Scale(domain=groups, range=palette),
                        legend=alt.Legend(orient="bottom", columns=4)),
        href="href:N")
    spans = base.transform_filter("datum.precision != 'day'").mark_bar(clip=True, height={"band": 0.8}).encode(x=x, x2="end:T")
    days = base.transform_filter("datum.precision == 'day'").mark_tick(thickness=3, clip=True).encode(x=x)
    chart = alt.layer(spans, days, data=shown).properties(width=WIDTH - 120, height=alt.Step(7)).facet(
        row=alt.Row("lane:N", title=None, sort=list(dict.fromkeys(shown["lane"])),
                    header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold"))
    ).resolve_scale(y="independent")
    return render(chart, "Events, proposals and positions over time",
                  f"Timeline from {start[:7]}, one lane per table: {int((shown['group'] != OBSERVED).sum())} dated items, "
                  f"each on its own line, coloured by {group_title.lower()}; a month, season or year is a bar over its "
                  f"whole span, a day a tick. Grey bars in the 'observed' lanes stand for the items a source does not "
                  f"date, over the source's publication date.{note}")


def position_matrix(cells: pd.DataFrame, group_title: str, colours: list[str]) -> Chart:
    """cells: group, label (the proposition), order, colour, stance, href. Propositions down the side, in the
    order of the propositions table (grouped by issue); groups across. Past MAX_LINES groups or propositions,
    the ones with the most cells are drawn, and the caption says so."""
    cells = cells.astype({"group": object, "label": object})  # Arrow strings count distinct values slowly
    total_groups, total_labels = cells["group"].nunique(), cells["label"].nunique()
    cells = matrix_cells(cells)
    note = (f" Too many to draw: the {cells['group'].nunique():,} of {total_groups:,} {group_title.lower()}s and "
            f"{cells['label'].nunique():,} of {total_labels:,} propositions with the most positions are shown; the "
            "positions table holds them all." if (cells["group"].nunique(), cells["label"].nunique()) != (total_groups, total_labels) else "")
    chart = alt.Chart(cells).mark_rect(stroke="white").encode(
        x=alt.X("group:N", title=group_title, axis=alt.Axis(labelAngle=-50, orient="top")),
        y=alt.Y("label:N", title=None, sort=alt.EncodingSortField("order")),  # the title names it
        color=alt.Color("colour:N", title="Stance", scale=alt.Scale(domain=colours, range=STANCE_COLOURS[:len(colours)]),
                        legend=alt.Legend(orient="bottom")),
        href="href:N",
    ).properties(width=max(160, 18 * cells["group"].nunique()), height=16 * cells["label"].nunique())
    return render(chart, f"Stance by {group_title.lower()} and proposition",
                  f"Matrix of {cells['label'].nunique()} propositions by {cells['group'].nunique()} "
                  f"{group_title.lower()}s; each coloured cell is the stance the positions behind it take "
                  f"('mixed' when they differ) and links to them.{note}")


def matrix_cells(cells: pd.DataFrame) -> pd.DataFrame:
    """The cells a position matrix draws: past MAX_LINES groups (or propositions), those with the most cells."""
    cells = cells.astype({"group": object, "label": object})  # Arrow strings count distinct values slowly
    for column in ("group", "label"):
        if cells[column].nunique() > MAX_LINES:
            kept = cells[column].value_counts(sort=True).index[:MAX_LINES]
            cells = cells[cells[column].isin(kept)]
    return cells


def figures_for_unit(figures: pd.DataFrame, unit: str) -> Chart:
    """figures: label, value, low, high, qualifier, href. Ranges are rules from low to high; a lower bound
    ('more than') is a dashed rule from the value to the right edge, an upper bound one to zero."""
    total = len(figures)
    figures = sample(figures, FIGURE_LINES)
    note = _sampled_note(len(figures), total, "figures")
    right = float(pd.concat([figures["value"], figures["high"]]).max()) * 1.15 or 1.0
    figures = figures.assign(edge_right=right, edge_left=0.0)
    base = alt.Chart(figures).encode(
        y=alt.Y("label:N", title=None, sort=None),
        href="href:N",
    )
    x = alt.X("value:Q", title=unit, scale=alt.Scale(domain=[0, right], nice=False))
    ranges = base.transform_filter("isValid(datum.low)").mark_rule(strokeWidth=3).encode(x=alt.X("low:Q", title=unit), x2="high:Q")
    lower = base.transform_filter("test(/more_than|at_least/, datum.qualifier)").mark_rule(strokeDash=[4, 3]).encode(
        x=x, x2="edge_right:Q")
    upper = base.transform_filter("test(/less_than|at_most/, datum.qualifier)").mark_rule(strokeDash=[4, 3]).encode(
        x="edge_left:Q", x2="value:Q")
    points = base.transform_filter("isValid(datum.value)").mark_point(size=70, filled=True).encode(
        x=x, shape=alt.Shape("qualifier:N", title="Qualifier", legend=alt.Legend(orient="bottom")),
        color=alt.Color("qualifier:N", title="Qualifier", legend=alt.Legend(orient="bottom")))
    chart = alt.layer(ranges, lower, upper, points).properties(width=WIDTH - 300, height=24 * len(figures))
    return render(chart, f"Figures in {unit}",
                  f"{len(figures)} figures in {unit}, one line each: a dot for a value, a solid bar from low to high "
                  f"for a range, a dashed line running on from a lower bound or up to an upper bound.{note}")


def issue_scale(marks: pd.DataFrame, issue: str, points: list[str]) -> Chart:
    """marks: observation (an x label: date and source), order (for sorting), group (the side), low, high, href.
    The issue's scale is the y axis, 0 (the outcome most favourable to Ukraine) at the bottom and each point
    labelled; each side's observation is a dot at a point, or a bar over the points it is bounded to."""
    top = len(points) - 1
    label_expr = "[" + ", ".join(repr(f"{n} {p}") for n, p in enumerate(points)) + "][datum.value]"
    y = alt.Y("low:Q", title=f"{issue}: 0 = Ukraine's end, {top} = Russia's end",
              scale=alt.Scale(domain=[-0.3, top + 0.3], nice=False),
              axis=alt.Axis(values=list(range(top + 1)), labelExpr=label_expr, grid=True))
    x = alt.X("observation:N", title="Observation (best date of its rows, source)",
              sort=alt.EncodingSortField("order"), axis=alt.Axis(labelAngle=-30))
    colour = alt.Color("group:N", title="Side", legend=alt.Legend(orient="bottom"))
    base = alt.Chart(marks).encode(x=x, xOffset=alt.XOffset("group:N"), color=colour, href="href:N")
    bars = base.transform_filter("datum.low != datum.high").mark_rule(strokeWidth=6).encode(y=y, y2="high:Q")
    dots = base.transform_filter("datum.low == datum.high").mark_point(size=90, filled=True).encode(
        y=y, shape=alt.Shape("group:N", title="Side", legend=alt.Legend(orient="bottom")))
    chart = alt.layer(bars, dots).properties(width=max(240, 90 * marks["observation"].nunique()), height=36 * (top + 1) + 40)
    return render(chart, f"How far apart: {issue}",
                  f"{issue}: {len(marks)} observations of {marks['group'].nunique()} sides on a scale of {top + 1} points "
                  f"from Ukraine's end (0) to Russia's ({top}); a dot is a point, a bar the points a side is bounded to; "
                  f"each mark links to its rows and quotes.")
