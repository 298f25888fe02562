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
