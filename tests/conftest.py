"""A small valid package built from the real descriptor, schemas and corpus, and ways to break it.

The rows below are real rows (their quotes are in the corpus), so a test that breaks one cell knows the
exact error to expect, and the suite does not depend on how far curation has got.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from peacetalks.validation.engine import validate

REPO = Path(__file__).resolve().parent.parent
JS = "justsecurity-2024-trump-endgame-ukraine"
MDZ = "meduza-2025-peace-postponed"

ROWS = {
    "actors": [
        dict(actor_id="united-states", name="United States", actor_type="state", side="united-states", voice="government", country="USA", source_id=JS,
             quote="Donald Trump’s election as 47th president of the United States"),
        dict(actor_id="ukraine", name="Ukraine", actor_type="state", side="ukraine", voice="government", country="UKR", source_id=JS,
             quote="the endgame for the war in Ukraine"),
        dict(actor_id="donald-trump", name="Donald Trump", actor_type="person", side="united-states", voice="head", country="USA",
             affiliation_id="united-states", role="47th president of the United States", source_id=JS,
             quote="Donald Trump’s election as 47th president of the United States"),
        dict(actor_id="vladimir-putin", name="Vladimir Putin", actor_type="person", side="russia", voice="head", country="RUS", source_id=JS,
             quote="occur bilaterally between Trump and Vladimir Putin"),
        dict(actor_id="volodymyr-zelensky", name="Volodymyr Zelensky", actor_type="person", side="ukraine", voice="head", country="UKR",
             aliases="Zelenskyy;Volodymir Zelenskyy", source_id=JS,
             quote="Ukraine’s president Volodymir Zelenskyy"),
    ],
    "proposals": [
        dict(proposal_id="ukrainian-european-ceasefire-proposal", name="Joint Ukrainian-European ceasefire proposals",
             proposed_by="volodymyr-zelensky", date="2025", status="rejected", summary="Freeze the front line.",
             source_id=MDZ, quote="The Ukrainian authorities described them in their joint proposals to Trump"),
    ],
    "events": [
        dict(event_id="2025-05-trump-putin-call", name="Trump-Putin phone call", event_type="call", date="2025-05",
             participants="donald-trump;vladimir-putin", summary="Trump called Putin again.", source_id=MDZ,
             quote="and now he has had to call again"),
    ],
    "demands": [
        dict(demand_id="mdz25-ukraine-freeze", actor_id="volodymyr-zelensky", target_id="vladimir-putin",
             issue_id="ceasefire", proposition_id="front-line-frozen-in-settlement", stance="support", kind="demand", text="Ukraine proposes freezing the fighting along the front line.",
             proposal_id="ukrainian-european-ceasefire-proposal", date="2025", evidence="reported", status="rejected", scale_min="0", scale_max="0", scale_basis="derived",
             source_id=MDZ, quote="the fighting would be frozen along the current front line"),
        dict(demand_id="js24-putin-no-nato", actor_id="vladimir-putin", target_id="donald-trump",
             issue_id="nato-membership", proposition_id="ukraine-joins-nato", stance="oppose", kind="demand", text="Putin wants no NATO membership for Ukraine.",
             evidence="assessed", status="hypothetical", scale_basis="none",
             scale_note="A hypothetical row is a bargain an author imagines, not a position held (coding manual, section 'Scales').",
             source_id=JS, quote="No NATO for Ukraine"),
    ],
    "aid_programs": [
        dict(program_id="pda", name="Presidential Drawdown Authority", acronym="PDA", provider_id="united-states",
             recipient_id="ukraine", aid_type="military", controlled_by="donald-trump", status="winding_down",
             description="Weapons from U.S. Army depots.", source_id=MDZ,
             quote="the President’s Drawdown Authority (PDA) program"),
    ],
    "figures": [
        dict(figure_id="js24-tariff-cost", metric="Projected annual cost of Trump's tariffs", subject_id="united-states",
             value="78000000000", qualifier="exact", unit="USD", per="year", source_id=JS,
             quote="the projected $78 billion annual cost"),
        dict(figure_id="mdz25-recruits-per-day", metric="New Russian contract soldiers per day", value_low="1000",
             value_high="1500", qualifier="range", unit="persons", per="day", period_start="2024", period_end="2025-05",
             source_id=MDZ, quote="up to 1,000–1,500 new contract soldiers per day"),
        dict(figure_id="js24-nuclear-cost", metric="Cost of updating the U.S. nuclear arsenal", value="756000000000",
             qualifier="exact", unit="USD", estimated_by="united-states", source_id=JS,
             quote="the CBO estimates it will cost $756 billion over 10 years"),
    ],
    "accounts": [
        dict(account_id="mdz25-pda", program_id="pda", source_id=MDZ, status="winding_down",
             note="About half of the promised U.S. supplies.", quote="the President’s Drawdown Authority (PDA) program"),
    ],
}


class Pkg:
    """A package copy in a temporary folder, with the edits a test needs."""

    def __init__(self, root: Path):
        self.root = root
        self.descriptor = root / "datapackage.json"

    def path(self, relative: str) -> Path:
        return self.root / relative

    def fields(self, table: str) -> list[str]:
        return [f["name"] for f in json.loads(self.path(f"schemas/{table}.json").read_text())["fields"]]

    def write_rows(self, table: str, rows: list[dict]) -> None:
        with open(self.path(f"data/{table}.csv"), "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=self.fields(table), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    def rows(self, table: str) -> list[dict]:
        with open(self.path(f"data/{table}.csv"), newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    def set_cell(self, table: str, row: int, column: str, value: str) -> int:
        """Change one cell; returns the file line of that row."""
        rows = self.rows(table)
        rows[row][column] = value
        self.write_rows(table, rows)
        return row + 2

    def add_row(self, table: str, **cells) -> int:
        rows = self.rows(table) + [cells]
        self.write_rows(table, rows)
        return len(rows) + 1

    def edit_json(self, relative: str, change) -> None:
        data = json.loads(self.path(relative).read_text())
        change(data)
        self.path(relative).write_text(json.dumps(data, indent=2, ensure_ascii=False))

    def problems(self) -> list[str]:
        return [str(p) for p in validate(self.descriptor)]


def build_package(root: Path) -> Pkg:
    root.mkdir(parents=True)
    for item in ["datapackage.json", "schemas", "corpus"]:
        source = REPO / item
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, root / item)
    (root / "data").mkdir()
    for table in ["sources", "issues", "propositions", "scales", "status_quo"]:
        shutil.copyfile(REPO / "data" / f"{table}.csv", root / "data" / f"{table}.csv")
    pkg = Pkg(root)
    for table, rows in ROWS.items():
        pkg.write_rows(table, rows)
    return pkg


def only(pkg: Pkg, expected: str) -> None:
    """The package reports exactly this one problem."""
    assert pkg.problems() == [expected]


@pytest.fixture
def pkg(tmp_path: Path) -> Pkg:
    return build_package(tmp_path / "pkg")


# -- the site's browser tests: without Debian's chromium, left out in one line ---------------------------------
# `make test` installs nothing (`make browser` does), so on a machine without chromium the tests that drive it
# are deselected and the run says so once, instead of one skip line per test.
CHROMIUM = Path("/usr/bin/chromium")
_NO_BROWSER: list[str] = []


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    browser = [item for item in items if "browser" in getattr(item, "fixturenames", ())]
    if browser:
        config.hook.pytest_deselected(items=browser)
        items[:] = [item for item in items if item not in browser]
        _NO_BROWSER.append(f"{len(browser)} browser tests of the site not run: no {CHROMIUM} (`make browser` installs it, "
                           "as root, with apt-get)")


def pytest_terminal_summary(terminalreporter):
    for line in _NO_BROWSER:
        terminalreporter.write_line(line)
