"""The Stata copy of the export: one .dta file per table (and the positions view), written by pandas.

Each variable carries its codebook description as its label (Stata allows 80 characters: longer ones are
cut with '...'), each vocabulary is a labelled integer whose value labels are the vocabulary's values, dates
are Stata dates, and the file's label names the table. Stata has no missing string: an empty text is "".
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd

from .codebook import describe_columns

LABEL_LIMIT = 80  # characters in a Stata variable or data label
STATA_VERSION = 118  # Stata 14 and later: Unicode text and strL for long quotes


def short_label(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= LABEL_LIMIT else text[:LABEL_LIMIT - 3].rstrip() + "..."


def stata_frame(frame: pd.DataFrame, delimiters: dict[str, str], vocabularies: dict[str, list[str]] = None) -> tuple[pd.DataFrame, list[str]]:
    """The frame in types Stata holds, and the names of its date columns. `vocabularies`: columns to write as
    labelled integers with these values (the categoricals are already so)."""
    out, dates = {}, []
    for column in frame.columns:
        series = frame[column]
        if vocabularies and column in vocabularies and not isinstance(series.dtype, pd.CategoricalDtype):
            series = pd.Categorical(series.astype(object).where(series.notna(), None),
                                    categories=[v for v in vocabularies[column]])
            out[column] = series
        elif isinstance(series.dtype, pd.CategoricalDtype):
            out[column] = series
        elif pd.api.types.is_datetime64_any_dtype(series.dtype):
            out[column] = series.astype("datetime64[ns]")
            dates.append(column)
        elif pd.api.types.is_numeric_dtype(series.dtype):
            out[column] = series.astype("float64")  # nullable numbers: missing becomes Stata's '.'
        else:
            delimiter = delimiters.get(column, ";")
            out[column] = [delimiter.join(v) if isinstance(v, list) else ("" if v is None or v is pd.NA or
                           (isinstance(v, float) and pd.isna(v)) else str(v)) for v in series]
    return pd.DataFrame(out, index=frame.index), dates


def write_dta(frame: pd.DataFrame, target: Path, table_label: str, descriptions: dict[str, str],
              delimiters: dict[str, str] = None, vocabularies: dict[str, list[str]] = None,
              stamp: datetime = datetime(1980, 1, 1)) -> None:
    """`stamp`: the file's time stamp (the package's date, not the build's: the same package, the same bytes)."""
    data, dates = stata_frame(frame.reset_index(drop=True), delimiters or {}, vocabularies)
    labels = {c: short_label(descriptions.get(c, "")) for c in data.columns if descriptions.get(c)}
    value_labels = {}
    if data.empty:  # pandas cannot write an empty categorical: its codes, labelled as pandas labels them
        for column in [c for c in data.columns if isinstance(data[c].dtype, pd.CategoricalDtype)]:
            value_labels[column] = dict(enumerate(str(v) for v in data[column].cat.categories))
            data[column] = pd.Series([], dtype="int32")
    data.to_stata(target, write_index=False, version=STATA_VERSION, data_label=short_label(table_label),
                  variable_labels=labels, convert_dates={c: "td" for c in dates}, value_labels=value_labels or None,
                  time_stamp=stamp,
                  convert_strl=[c for c in data.columns if data[c].dtype == object and data[c].str.len().max() > 2045])


def resource_descriptions(resource) -> dict[str, str]:
    return {c["column"]: c["description"] for c in describe_columns(resource)}
