"""Inter-coder reliability: Cohen's kappa between two independent, blind codings.

The codings and the record of how each disagreement was settled are in docs/reliability/; the table in the
coding manual (section 10) is `reliability_table()`, and a test keeps the two the same.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

VARIABLES = {"positions": ("demand_id", ["proposition_id", "stance", "kind", "evidence", "status"]),
             "events": ("event_id", ["event_type", "date"]),
             "figures": ("figure_id", ["qualifier", "unit"])}


def cohen_kappa(a: list[str], b: list[str]) -> float:
    """Cohen's kappa of two codings of the same items (an empty code is a category like any other)."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[c] * count_b[c] for c in set(a) | set(b)) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def kappas(folder: Path) -> list[dict]:
    rows = []
    for table, (key, variables) in VARIABLES.items():
        read = lambda coder: pd.read_csv(folder / f"coder-{coder}-{table}.csv", dtype=str, keep_default_na=False).set_index(key)
        a, b = read("a"), read("b")
        b = b.loc[a.index]
        for variable in variables:
            pairs = list(zip(a[variable], b[variable]))
            rows.append({"table": table, "variable": variable, "items": len(pairs),
                         "agreement": sum(x == y for x, y in pairs) / len(pairs),
                         "kappa": cohen_kappa([x for x, _ in pairs], [y for _, y in pairs])})
    return rows


def reliability_table(folder: Path) -> str:
    lines = ["| table | variable | items | agreement | Cohen's kappa |", "|---|---|---|---|---|"]
    lines += [f"| {r['table']} | `{r['variable']}` | {r['items']} | {r['agreement']:.1%} | {r['kappa']:.3f} |"
              for r in kappas(folder)]
    return "\n".join(lines)


# A blind round checks the package itself: a fresh sample of position rows coded from their quotes alone by two
# coders who never saw the package's codes, compared with the package's codes as they stood when the codings came
# in (frozen in package.csv, so that later fixes cannot raise the figure after the fact).
ROUND_VARIABLES = ["issue_id", "proposition_id", "stance", "kind", "evidence", "status", "date"]
ROUND_CODINGS = ("coder-1", "coder-2", "package")
# The scale round codes, for rows whose proposition and stance are given, the place on the scale (the
# interval as one category, "min-max", and its basis) and the voice the row speaks in.
SCALE_ROUND_VARIABLES = ["placement", "scale_basis", "voice"]


def _round_coding(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False).set_index("row")


def round_kappas(folder: Path, variables: list[str] = ROUND_VARIABLES) -> list[dict]:
    """Per variable: Cohen's kappa of each coder against the package and of the two coders against each other."""
    one, two, package = (_round_coding(folder, name) for name in ROUND_CODINGS)
    two, package = two.loc[one.index], package.loc[one.index]
    rows = []
    for variable in variables:
        pairs = {"coder 1 vs package": (one, package), "coder 2 vs package": (two, package), "coder 1 vs coder 2": (one, two)}
        kappas = {label: cohen_kappa(list(a[variable]), list(b[variable])) for label, (a, b) in pairs.items()}
        rows.append({"variable": variable, "items": len(one), **kappas})
    return rows


def round_table(folder: Path, variables: list[str] = ROUND_VARIABLES) -> str:
    """The markdown table of `round_kappas`, as the coding manual prints it."""
    labels = ["coder 1 vs package", "coder 2 vs package", "coder 1 vs coder 2"]
    lines = ["| variable | items | " + " | ".join(labels) + " |", "|---|---|" + "---|" * len(labels)]
    lines += [f"| `{r['variable']}` | {r['items']} | " + " | ".join(f"{r[label]:.3f}" for label in labels) + " |"
              for r in round_kappas(folder, variables)]
    return "\n".join(lines)


def audit_counts(folder: Path) -> pd.DataFrame:
    """An audit round's verdicts (one `<source>-summary.csv` per source), one line per source and a total."""
    parts = [pd.read_csv(path, dtype={"source": str}) for path in sorted(folder.glob("*-summary.csv"))]
    counts = pd.concat(parts).groupby("source", sort=True)[["rows_checked", "ok", "minor", "wrong"]].sum()
    counts.loc["total"] = counts.sum()
    counts["minor_share"] = counts["minor"] / counts["rows_checked"]
    return counts
