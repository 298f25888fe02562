"""Sharing the work with a helper process changes how long validation takes, never what it reports."""

import multiprocessing
import os
import time
from pathlib import Path

import pandas as pd
import pytest

from peacetalks.validation import engine, sharing
from peacetalks.validation.engine import validate, validate_and_read

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="sharing needs fork")


def break_several_tables(pkg):
    pkg.set_cell("figures", 0, "value", "abc")
    pkg.set_cell("events", 0, "participants", "donald-trump;vladimir-putn")
    pkg.set_cell("actors", 2, "role", " President ")
    pkg.set_cell("demands", 0, "quote", "words that are in no source")
    pkg.path("data/aid_programs.csv").write_bytes(b"\xff" + pkg.path("data/aid_programs.csv").read_bytes())
    pkg.edit_json("datapackage.json", lambda d: d.update(licenses="CC-BY-4.0"))  # must be a list


def test_two_processes_report_exactly_what_one_does(pkg):
    break_several_tables(pkg)
    alone = [str(p) for p in validate(pkg.descriptor, jobs=1)]
    shared = [str(p) for p in validate(pkg.descriptor, jobs=2)]
    assert len(alone) >= 6
    assert shared == alone


def test_tables_read_by_the_helper_come_back_identical(pkg):
    alone = validate_and_read(pkg.descriptor, jobs=1)[1]
    shared = validate_and_read(pkg.descriptor, jobs=2)[1]
    assert list(shared) == list(alone)
    for name, table in alone.items():
        pd.testing.assert_frame_equal(shared[name].frame, table.frame)
        assert shared[name].lines.tolist() == table.lines.tolist()


def test_a_helper_that_dies_loses_nothing(pkg, monkeypatch, tmp_path):
    break_several_tables(pkg)
    expected = [str(p) for p in validate(pkg.descriptor, jobs=1)]
    parent, check_table, died = os.getpid(), engine.check_table, tmp_path / "helper-died"

    def dies_in_the_helper(package, resource):
        if os.getpid() != parent:
            died.write_text(resource.name)
            os._exit(3)  # as if the helper were killed, in the middle of a table
        time.sleep(0.05)  # leave the helper time to take a table
        return check_table(package, resource)

    monkeypatch.setattr(engine, "check_table", dies_in_the_helper)
    assert [str(p) for p in validate(pkg.descriptor, jobs=2)] == expected
    assert died.exists()


def test_the_helpers_files_are_removed(pkg, monkeypatch, tmp_path):
    made = []
    real_mkdtemp = sharing.tempfile.mkdtemp
    monkeypatch.setattr(sharing.tempfile, "mkdtemp", lambda **kw: made.append(real_mkdtemp(**kw)) or made[-1])
    assert validate(pkg.descriptor, jobs=2) == []
    assert made and not Path(made[0]).exists()


def test_no_room_for_the_helpers_files_means_one_process(pkg, monkeypatch):
    break_several_tables(pkg)
    expected = [str(p) for p in validate(pkg.descriptor, jobs=1)]

    def full(**kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sharing.tempfile, "mkdtemp", full)
    assert [str(p) for p in validate(pkg.descriptor, jobs=2)] == expected


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores")
def test_sharing_starts_at_the_documented_size(monkeypatch):
    # Only the size is tested here: a thread an earlier test leaves behind (vl-convert's, after a site
    # build) must not decide it; the thread rule has its own test below.
    monkeypatch.setattr(sharing.threading, "active_count", lambda: 1)
    assert sharing.worth_sharing(sharing.PARALLEL_FROM_BYTES)
    assert not sharing.worth_sharing(sharing.PARALLEL_FROM_BYTES - 1)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores")
def test_no_sharing_from_a_process_that_runs_other_threads():
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not sharing.worth_sharing(sharing.PARALLEL_FROM_BYTES)
    finally:
        stop.set()
        other.join()
