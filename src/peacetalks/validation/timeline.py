"""Placing every position, event and proposal in time, honestly.

A row's own date is used where the source gives one; a position tied to an event without a date of its own
takes the event's date; anything else is placed at the date its source was published, the *observed* date.
Each placement keeps its first and last day and its precision, so a year-only date is a span of a year, not
a point on 1 January, and `timeline_basis` says which of the three placed the row. An observed date keeps the
precision of the publication date as written (a source published in `2025-01` places its rows in that month,
not on its first day). An event or proposal that several sources describe (one row, an account per source)
was observed by the earliest of them, so it is placed at the earliest account's publication date.
"""

from __future__ import annotations

import pandas as pd

from .dates import date_precision, date_span

DATED_TABLES = ("demands", "events", "proposals")
BASES = ["date", "event", "observed"]


def add_timeline(tables: dict[str, pd.DataFrame]) -> None:
    """Add observed_date, timeline_date, timeline_first_day, timeline_last_day, timeline_precision and timeline_basis to
    the dated tables (in place); a table without `date` and `source_id` columns is left as it is."""
    sources = tables.get("sources")
    if sources is None or not {"source_id", "published"} <= set(sources.columns):
        return
    published = dict(zip(sources["source_id"], sources["published"].astype("string").fillna("")))
    events = tables.get("events")
    event_dates = dict(zip(events["event_id"], events["date"].astype("string").fillna(""))) if events is not None else {}
    for name in DATED_TABLES:
        frame = tables.get(name)
        if frame is None or not {"date", "source_id"} <= set(frame.columns):
            continue
        own = frame["date"].astype("string").fillna("")
        via_event = frame["event_id"].map(event_dates).fillna("") if "event_id" in frame.columns else pd.Series("", index=frame.index)
        observed = _earliest_observed(frame, name, tables.get("accounts"), published)
        basis = pd.Series(["date" if o else "event" if e else "observed" if s else None
                           for o, e, s in zip(own, via_event, observed)], index=frame.index)
        placed = own.where(own != "", via_event.where(via_event != "", observed))
        spans = [date_span(v) if v else None for v in placed]
        frame["observed_date"] = observed.replace("", pd.NA).astype("string")
        frame["timeline_date"] = placed.replace("", pd.NA).astype("string")
        frame["timeline_first_day"] = pd.to_datetime(pd.Series([s[0] if s else None for s in spans], index=frame.index, dtype=object))
        frame["timeline_last_day"] = pd.to_datetime(pd.Series([s[1] if s else None for s in spans], index=frame.index, dtype=object))
        frame["timeline_precision"] = pd.Series([date_precision(v) if v else None for v in placed], index=frame.index, dtype="string")
        frame["timeline_basis"] = pd.Categorical(basis, categories=BASES)


SUBJECT_KEYS = {"events": "event_id", "proposals": "proposal_id"}  # what an account of each table names


def _earliest_observed(frame: pd.DataFrame, table: str, accounts: pd.DataFrame | None, published: dict) -> pd.Series:
    """The publication date of the row's source, or, for a row that accounts in other sources also describe, the
    earliest of those sources' dates (by first day), as written."""
    own = frame["source_id"].map(published).fillna("")
    key = SUBJECT_KEYS.get(table)
    if accounts is None or key is None or key not in frame.columns or not {key, "source_id"} <= set(accounts.columns):
        return own
    seen: dict[str, list[str]] = {}
    for subject, source in zip(accounts[key].astype("string"), accounts["source_id"].astype("string")):
        if not pd.isna(subject) and published.get(source):
            seen.setdefault(subject, []).append(published[source])

    def earliest(date: str, subject) -> str:
        dated = [d for d in [date, *seen.get(subject, [])] if d and date_span(d)]
        return min(dated, key=date_span) if dated else date
    return pd.Series([earliest(d, s) for d, s in zip(own, frame[key].astype("string"))], index=frame.index, dtype=object)


# What each added column holds, for the codebook and the exports' metadata: (type, description).
TIMELINE_COLUMNS = {
    "observed_date": ("string", "The date of the row's source (its `published` date), as written, with its own "
                                "precision: when the source observed it; for an event or proposal that other sources "
                                "also give an account of, the earliest of their dates (added by the loader; not in the CSV)."),
    "timeline_date": ("string", "The date that places the row, as written (EDTF): its own date, else its event's, "
                                "else its source's; `timeline_basis` says which (added by the loader; not in the CSV)."),
    "timeline_first_day": ("date", "First day of the row's place in time: its own date, else its event's, else its "
                                   "source's; `timeline_basis` says which (added by the loader; not in the CSV)."),
    "timeline_last_day": ("date", "Last day of the row's place in time (see `timeline_first_day`)."),
    "timeline_precision": ("string", "How precise that placement is: day, month, season, year or interval, with "
                                     "approximate or uncertain where the date is so marked."),
    "timeline_basis": ("string", "What placed the row in time: `date` (its own date), `event` (its event's date) or "
                                 "`observed` (its source's date)."),
}


def has_timeline(field_names: list[str], table: str) -> bool:
    """Whether add_timeline gives the table its columns (given a sources table with `published`)."""
    return table in DATED_TABLES and {"date", "source_id"} <= set(field_names)
