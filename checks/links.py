"""Dataset rules that join tables: a position takes its proposition's issue, ids carry their source's short
code, restated amounts agree with the figure they restate, accounts use their subject's vocabulary and
include the subject's own source.

Each table's rules are ordinary Rules (Pandera checks) over the table with a few columns looked up from other
tables; `peacetalks.validation.links` adds the looked-up columns and runs them after the keys layer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from peacetalks.validation.package import enum_values

from . import Rule, scales


@dataclass(frozen=True)
class Lookup:
    column: str  # the column added to the frame
    key: str  # the column of this table holding the other table's id
    table: str  # the other table
    ref: str  # its id column
    value: str  # the column brought back
    aggregate: str = "first"  # "first" row's value, "max" (as a number) or "count" of rows with the id
    delimiter: str = ""  # set when `ref` is a delimited list: each item is an id


def source_code(id_column: str) -> tuple[list[Lookup], list[Rule]]:
    def passes(df):
        code = df["source_code"]
        prefixed = [i.startswith(f"{c}-") for i, c in zip(df[id_column].fillna("").tolist(), code.fillna("").tolist())]
        return df[id_column].isna() | code.isna() | pd.Series(prefixed, index=df.index)
    return ([Lookup("source_code", "source_id", "sources", "source_id", "short_code")],
            [Rule("id-source-code", id_column, "{%s!r} does not start with its source's short code {source_code!r} "
                  "followed by '-'; rename the id (ids are stable: only before the row is published)" % id_column, passes)])


def _same(a: str, b: str):
    return lambda df: df[a].isna() | df[b].isna() | (df[a] == df[b])


# A bargain the authors imagine makes every position in it imagined (coding manual, section 3.4). The one exception
# the manual names: a `leverage` row describes a present holding, which is `open` (sections 3.2 and 3.4).
IMAGINED = "hypothetical"


def _in_imagined_bargain(df):
    return (df["proposal_status"] == IMAGINED).fillna(False)


def _imagined_bargain_is_hypothetical(df):
    return ~_in_imagined_bargain(df) | (df["status"] == IMAGINED)


def _no_leverage_in_imagined_bargain(df):
    return ~_in_imagined_bargain(df) | (df["kind"] != "leverage")


def demands_links(package) -> tuple[list[Lookup], list[Rule]]:
    lookups, rules = source_code("demand_id")
    lookups.append(Lookup("proposition_issue", "proposition_id", "propositions", "proposition_id", "issue_id"))
    lookups.append(Lookup("proposal_status", "proposal_id", "proposals", "proposal_id", "status"))
    rules.append(Rule("proposition-issue", "issue_id", "{issue_id!r} is not the issue of proposition {proposition_id!r} "
                      "({proposition_issue!r}); a position takes its proposition's issue", _same("issue_id", "proposition_issue")))
    rules.append(Rule("imagined-bargain-hypothetical", "status", "{status!r} is not 'hypothetical', but proposal "
                      "{proposal_id!r} is a bargain the authors imagine (status 'hypothetical'): every position in it is "
                      "'hypothetical' whatever its verb (coding manual, section 3.4)", _imagined_bargain_is_hypothetical))
    rules.append(Rule("leverage-in-imagined-bargain", "kind", "a 'leverage' row is a present holding that no bargain trades, "
                      "but proposal {proposal_id!r} is a bargain the authors imagine: a holding traded in it is an 'offer' "
                      "(status 'hypothetical'); otherwise clear proposal_id (coding manual, sections 3.2 and 3.4)",
                      _no_leverage_in_imagined_bargain))
    lookups += [Lookup("proposition_order", "proposition_id", "scales", "propositions", "order", delimiter=";"),
                Lookup("proposition_push", "proposition_id", "propositions", "proposition_id", "scale_push"),
                Lookup("issue_scale_top", "issue_id", "scales", "issue_id", "order", aggregate="max")]
    rules += scales.placement_rules()
    for column in ("actor_id", "source_id", "issue_id"):
        lookups.append(Lookup(f"superseded_{column}", "supersedes", "demands", "demand_id", column))
        rules.append(Rule(f"supersedes-same-{column.removesuffix('_id')}", "supersedes",
                          "{supersedes!r} has %s {superseded_%s!r}, this row {%s!r}: a row supersedes only an earlier row of "
                          "the same actor, issue and source (coding manual, section 12.5)" % (column, column, column),
                          _same(column, f"superseded_{column}")))
    rules.append(Rule("supersedes-cycle", "supersedes", "{supersedes!r} leads back to this row through supersedes; "
                      "the chain must end at the earliest row", _no_cycle))
    return lookups, rules


def _no_cycle(df):
    """False for each row from which following supersedes comes back to the row. Only a row that supersedes
    another can be on a cycle, so only those are followed (a few in 200,000, not every row)."""
    later = dict(zip(df["demand_id"].tolist(), df["supersedes"].tolist()))
    ok = np.ones(len(df), bool)
    starts = np.flatnonzero(df["supersedes"].notna().to_numpy())
    for row, start in zip(starts.tolist(), df["demand_id"].iloc[starts].tolist()):
        seen, current = {start}, later.get(start)
        while isinstance(current, str) and current not in seen:
            seen.add(current)
            current = later.get(current)
        ok[row] = current != start or later.get(start) == start  # a row naming itself: supersedes-not-itself
    return pd.Series(ok, index=df.index)


def propositions_links(package) -> tuple[list[Lookup], list[Rule]]:
    lookups = [Lookup("issue_scaled", "issue_id", "scales", "issue_id", "issue_id"),
               Lookup("placed_count", "proposition_id", "scales", "propositions", "order", aggregate="count", delimiter=";"),
               Lookup("placed_issue", "proposition_id", "scales", "propositions", "issue_id", delimiter=";")]
    return lookups, scales.proposition_rules()


def status_quo_links(package) -> tuple[list[Lookup], list[Rule]]:
    lookups, rules = source_code("status_quo_id")
    lookups.append(Lookup("issue_scale_top", "issue_id", "scales", "issue_id", "order", aggregate="max"))
    return lookups, rules + scales.status_quo_rules()


def figures_links(package) -> tuple[list[Lookup], list[Rule]]:
    lookups, rules = source_code("figure_id")
    lookups += [Lookup("restated_source", "same_amount_as", "figures", "figure_id", "source_id"),
                Lookup("restated_qualifier", "same_amount_as", "figures", "figure_id", "qualifier")]
    rules += [
        Rule("same-amount-source", "same_amount_as", "{same_amount_as!r} is in source {restated_source!r}, not {source_id!r}: "
             "only a figure of the same source can restate the same amount", _same("source_id", "restated_source")),
        Rule("same-amount-qualifier", "same_amount_as", "{same_amount_as!r} has qualifier {restated_qualifier!r}, this row "
             "{qualifier!r}: one amount in two currencies has one qualifier", _same("qualifier", "restated_qualifier")),
        Rule("same-amount-not-itself", "same_amount_as", "{same_amount_as!r} is the row itself",
             lambda df: df["same_amount_as"].isna() | (df["same_amount_as"] != df["figure_id"])),
    ]
    whole = [("source_id", "whole_source"), ("unit", "whole_unit"), ("per", "whole_per"), ("value", "whole_value"),
             ("value_high", "whole_high"), ("period_start", "whole_start"), ("period_end", "whole_end")]
    lookups += [Lookup(column, "part_of", "figures", "figure_id", value) for value, column in whole]
    rules += [
        Rule("part-of-source", "part_of", "{part_of!r} is in source {whole_source!r}, not {source_id!r}: only a figure of "
             "the same source can be the whole this amount is part of", _same("source_id", "whole_source")),
        Rule("part-of-unit", "part_of", "{part_of!r} is in {whole_unit!r} per {whole_per!r}, this row in {unit!r} per "
             "{per!r}: a part and its whole share a unit family (money with money) and a denominator", _same_family),
        Rule("part-of-not-larger", "part_of", "this part ({value}{value_low}) is larger than its whole {part_of!r} "
             "({whole_value}{whole_high}): a part is no larger than the whole", _part_not_larger),
        Rule("part-of-period", "part_of", "this part covers {period_start!r} to {period_end!r}, outside its whole "
             "{part_of!r} ({whole_start!r} to {whole_end!r}): a part covers the same or a narrower period", _part_within_period),
        Rule("part-of-not-itself", "part_of", "{part_of!r} is the row itself",
             lambda df: df["part_of"].isna() | (df["part_of"] != df["figure_id"])),
    ]
    return lookups, rules


def _unit_family(unit):
    """Money in any currency is one family (an ISO 4217 code); any other unit is its own."""
    return "money" if isinstance(unit, str) and unit.isupper() and len(unit) == 3 else unit


def _same_family(df):
    linked = df["part_of"].notna() & df["whole_source"].notna()
    family, whole_family = df["unit"].map(_unit_family), df["whole_unit"].map(_unit_family)
    return ~linked | ((family == whole_family) & (df["per"].fillna("") == df["whole_per"].fillna("")))


def _part_not_larger(df):
    """The part's least value is at most the whole's greatest, compared where the two share a unit (amounts in two
    currencies are not converted)."""
    def number(column):
        return pd.to_numeric(df[column], errors="coerce")
    least = number("value_low").fillna(number("value"))
    greatest = number("whole_high").fillna(number("whole_value"))
    return df["part_of"].isna() | (df["unit"] != df["whole_unit"]) | least.isna() | greatest.isna() | (least <= greatest)


def _part_within_period(df):
    from peacetalks.validation.dates import date_span

    def ok(start, end, whole_start, whole_end):
        a, b, c, d = (date_span(v) if isinstance(v, str) else None for v in (start, end, whole_start, whole_end))
        return (a is None or c is None or a[0] >= c[0]) and (b is None or d is None or b[1] <= d[1])
    linked = df[df["part_of"].notna()]
    result = pd.Series(True, index=df.index)
    cells = zip(linked["period_start"], linked["period_end"], linked["whole_start"], linked["whole_end"])
    if len(linked):
        result[linked.index] = [ok(*c) for c in cells]
    return result


def _vocabulary(package, table: str, column: str) -> list[str]:
    resource = package.resource(table)
    field = resource.field(column) if resource else None
    return list(enum_values(field))


def accounts_links(package) -> tuple[list[Lookup], list[Rule]]:
    lookups, rules = source_code("account_id")
    aid, proposal = _vocabulary(package, "aid_programs", "status"), _vocabulary(package, "proposals", "status")
    for key, table in (("program_id", "aid_programs"), ("proposal_id", "proposals"), ("event_id", "events")):
        lookups.append(Lookup(f"{key}_source", key, table, key, "source_id"))
    for key, table in (("program_id", "aid_programs"), ("proposal_id", "proposals")):
        lookups.append(Lookup(f"{key}_status", key, table, key, "status"))

    def status_fits(df):
        program, about_proposal = df["program_id"].notna(), df["proposal_id"].notna()
        return df["status"].isna() | (program & df["status"].isin(aid)) | (about_proposal & df["status"].isin(proposal))

    def subject(df):
        return df["program_id"].fillna(df["proposal_id"]).fillna(df["event_id"])

    def subject_source(df):
        return df["program_id_source"].fillna(df["proposal_id_source"]).fillna(df["event_id_source"])

    def own_account_exists(df):
        own = df["source_id"] == subject_source(df)
        covered = set(subject(df)[own.fillna(False)])
        return subject(df).isna() | subject_source(df).isna() | subject(df).isin(covered)

    def own_account_agrees(df):
        own = (df["source_id"] == subject_source(df)).fillna(False)
        kept = df["program_id_status"].fillna(df["proposal_id_status"])
        return ~own | kept.isna() | (df["status"].fillna("") == kept.fillna(""))

    rules += [
        Rule("account-status-vocabulary", "status", "{status!r} is not a status of the table this account's subject is in "
             "(aid channels: %s; proposals: %s; events have none)" % (", ".join(aid), ", ".join(proposal)), status_fits),
        Rule("own-source-account", "source_id", "the row for this subject cites a source with no account here; add that "
             "source's account so the series is complete (coding manual, section 8)", own_account_exists),
        Rule("own-source-status", "status", "{status!r} differs from the status of the subject's own row, which cites this "
             "same source; they describe one account and must agree", own_account_agrees),
    ]
    return lookups, rules


LINKS = {"demands": demands_links, "figures": figures_links, "accounts": accounts_links,
         "propositions": propositions_links, "status_quo": status_quo_links}


def links_for(package, table: str) -> tuple[list[Lookup], list[Rule]]:
    return LINKS[table](package) if table in LINKS else ([], [])
