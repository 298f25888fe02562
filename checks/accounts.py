"""Rules of the accounts table."""

from __future__ import annotations

from . import Rule

SUBJECTS = ["program_id", "proposal_id", "event_id"]


def _one_subject(df):
    return df[SUBJECTS].notna().sum(axis=1) == 1


def rules(resource) -> list[Rule]:
    return [Rule("one-subject", "program_id",
                 "an account is about exactly one thing: fill one of program_id, proposal_id and event_id "
                 "(found {program_id!r}, {proposal_id!r}, {event_id!r})", _one_subject)]
