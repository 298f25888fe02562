"""Layer 4: primary keys and foreign keys, padded values included."""


def test_duplicate_primary_key(pkg):
    row = dict(pkg.rows("actors")[3], name="Vladimir V. Putin")
    line = pkg.add_row("actors", **row)
    assert pkg.problems() == [
        f"data/actors.csv:{line} actor_id=vladimir-putin actor_id: 'vladimir-putin' is already used on line 5; "
        "ids must be unique"]


def test_unresolved_foreign_key(pkg):
    line = pkg.set_cell("demands", 0, "target_id", "nobody")
    assert pkg.problems() == [
        f"data/demands.csv:{line} demand_id=mdz25-ukraine-freeze target_id: 'nobody' has no match in actors.actor_id"]


def test_padded_foreign_key(pkg):
    line = pkg.set_cell("demands", 1, "actor_id", "vladimir-putin ")
    assert (f"data/demands.csv:{line} demand_id=js24-putin-no-nato actor_id: 'vladimir-putin ' has no match in "
            "actors.actor_id; note the whitespace around it") in pkg.problems()


def test_padded_primary_key_does_not_resolve(pkg):
    line = pkg.set_cell("actors", 3, "actor_id", " vladimir-putin")
    problems = pkg.problems()
    assert f"data/actors.csv:{line} actor_id= vladimir-putin actor_id: ' vladimir-putin' has leading or trailing whitespace" in problems
    assert any(p.endswith("'vladimir-putin' has no match in actors.actor_id") for p in problems)


def test_self_reference(pkg):
    line = pkg.set_cell("actors", 2, "affiliation_id", "united-state")
    assert pkg.problems() == [
        f"data/actors.csv:{line} actor_id=donald-trump affiliation_id: 'united-state' has no match in actors.actor_id"]


def test_list_foreign_key_each_item(pkg):
    line = pkg.set_cell("events", 0, "participants", "donald-trump;vladimir-putn")
    assert pkg.problems() == [
        f"data/events.csv:{line} event_id=2025-05-trump-putin-call participants: item 'vladimir-putn' has no match "
        "in actors.actor_id"]


def test_list_foreign_key_padded_item(pkg):
    line = pkg.set_cell("events", 0, "participants", "donald-trump; vladimir-putin")
    assert pkg.problems() == [
        f"data/events.csv:{line} event_id=2025-05-trump-putin-call participants: item ' vladimir-putin' has no match "
        "in actors.actor_id; note the whitespace around it"]


def test_unknown_source(pkg):
    line = pkg.set_cell("figures", 0, "source_id", "justsecurity-2024")
    assert pkg.problems() == [
        f"data/figures.csv:{line} figure_id=js24-tariff-cost source_id: 'justsecurity-2024' has no match in "
        "sources.source_id"]


def test_list_foreign_key_empty_item(pkg):
    line = pkg.set_cell("events", 0, "participants", "donald-trump;;vladimir-putin")
    assert pkg.problems() == [
        f"data/events.csv:{line} event_id=2025-05-trump-putin-call participants: item '' has no match in actors.actor_id"]
