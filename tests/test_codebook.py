"""The codebook: generated from the descriptor, schemas and data only, deterministic, and kept current."""

from click.testing import CliRunner
from conftest import REPO

from peacetalks.cli import main
from peacetalks.codebook import build_codebook


def docs(*args):
    return CliRunner().invoke(main, ["docs", *map(str, args)])


def test_committed_codebook_is_current():
    """Fails whenever the schemas, descriptor or data change without `make docs` being run."""
    _, text = build_codebook(REPO / "datapackage.json")
    committed = (REPO / "docs" / "codebook.md").read_text(encoding="utf-8")
    assert committed == text, "docs/codebook.md is stale: run `make docs` (peacetalks docs) and commit it"


def test_generated_from_schemas_and_data(pkg):
    result = docs(pkg.descriptor)
    assert result.exit_code == 0 and result.output.startswith(f"wrote {pkg.path('docs/codebook.md')} (")
    text = pkg.path("docs/codebook.md").read_text(encoding="utf-8")
    assert "| [`figures`](#figures) | Figures | 3 | `figure_id` |" in text
    assert "| `evidence` | string | yes |  | values listed below | How the source knows. |" in text
    assert "| `assessed` | The author's or an analyst's analysis or speculation. |" in text
    assert "| `participants` | list of string, `;`-separated |  | `actors.actor_id (each item)` |" in text
    assert "Or any code of `iso4217`." in text
    assert "`peacetalks.load()` and the exports add the days each partial date covers: `date_start`, `date_end`." in text
    assert "| `meduza-2025-peace-postponed` | Peace, postponed. As Trump fails to push Putin toward a ceasefire" in text


def test_mermaid_diagram_from_the_foreign_keys(pkg):
    _, text = build_codebook(pkg.descriptor)
    diagram = text.split("```mermaid\n")[1].split("```")[0]
    assert diagram.startswith("erDiagram\n")
    assert '    actors |o--o{ actors : "affiliation_id"\n' in diagram
    assert '    actors }o--o{ events : "participants (list)"\n' in diagram
    assert '    issues ||--o{ demands : "issue_id"\n' in diagram
    assert "        string figure_id PK\n" in diagram and "        string source_id FK\n" in diagram


def test_deterministic(pkg):
    assert build_codebook(pkg.descriptor)[1] == build_codebook(pkg.descriptor)[1]


def test_check_passes_when_current_and_fails_when_stale(pkg):
    assert docs(pkg.descriptor).exit_code == 0
    result = docs("--check", pkg.descriptor)
    assert result.exit_code == 0 and result.output.endswith("is up to date.\n")
    pkg.add_row("actors", actor_id="russia", name="Russia", actor_type="state", country="RUS",
                source_id="justsecurity-2024-trump-endgame-ukraine", quote="Vladimir Putin")
    result = docs("--check", pkg.descriptor)
    assert result.exit_code == 1
    assert "docs/codebook.md is out of date with the schemas or data: run `peacetalks docs`" in result.output


def test_check_without_a_file(pkg):
    result = docs("--check", pkg.descriptor)
    assert result.exit_code == 1 and "docs/codebook.md does not exist" in result.output


def test_out_option(pkg, tmp_path):
    assert docs("--out", tmp_path / "book.md", pkg.descriptor).exit_code == 0
    assert (tmp_path / "book.md").read_text(encoding="utf-8") == build_codebook(pkg.descriptor)[1]


def test_unreadable_package_is_a_message_not_a_traceback(pkg):
    pkg.path("data/figures.csv").write_bytes(b"\xff\xfe")
    result = docs(pkg.descriptor)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.startswith("peacetalks: data/figures.csv:1 is not valid UTF-8")
