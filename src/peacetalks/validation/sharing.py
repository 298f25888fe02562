"""Running the validator's independent tasks (one per table, and the descriptor check) in two processes.

Both processes take the next task from one list until none is left, so the work balances itself whatever
a task costs. The helper is forked: it starts with every module imported and every task already in its
memory, so only task numbers cross between the processes. It hands its tables back as Arrow IPC files
that this process maps into memory, since pickling tens of megabytes of text through a pipe would cost
more than the checks it takes over. If the helper fails in any way, this process runs the tasks it did
not return: sharing can change how long a run takes, never what it reports.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
from pathlib import Path
from typing import Callable

import pyarrow as pa

from .report import Problem
from .structure import Table, as_text_frame

# Below this many bytes of CSV, starting a second process costs more than it saves.
PARALLEL_FROM_BYTES = 8_000_000

Result = tuple[list[Problem], dict[str, Table]]
Task = Callable[[], Result]

# Set before the helper is forked, so that it inherits them: the tasks, and the number of the next one.
_tasks: list[Task] = []
_next_task = None


def worth_sharing(total_bytes: int) -> bool:
    """True for PARALLEL_FROM_BYTES of CSV or more, on a machine that can fork and has two cores, from a
    process that runs no other thread (forking one that does can leave the helper deadlocked on a lock
    another thread held: a notebook kernel, say)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return ("fork" in multiprocessing.get_all_start_methods() and cores >= 2 and threading.active_count() == 1
            and total_bytes >= PARALLEL_FROM_BYTES)


def run_tasks(tasks: list[Task], jobs: int) -> list[Result]:
    """The result of every task, in order; the tasks are shared with a helper process when `jobs` > 1.

    Put the costliest first: each process takes the next task as soon as it is free. However this ends
    (an exception, Ctrl-C, SIGTERM), the helper is ended and its temporary files removed before it returns."""
    global _tasks, _next_task
    if jobs < 2 or len(tasks) < 2:
        return [task() for task in tasks]
    try:
        context = multiprocessing.get_context("fork")
        _tasks, _next_task = tasks, context.Value("i", 0)
        # mkdtemp makes a new, private name each time: concurrent runs never share one.
        folder = tempfile.mkdtemp(prefix="peacetalks-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    except (ValueError, OSError, ImportError):  # no fork, no process-shared lock or no temporary space here
        return [task() for task in tasks]
    threads = pa.cpu_count()
    pa.set_cpu_count(1)  # one process per core: Arrow's own threads on top of them only compete (measured)
    helper = None
    try:
        receive, send = context.Pipe(duplex=False)
        helper = _start(context, folder, send)
        send.close()  # this process keeps no writing end, so a helper that dies is an EOFError, not a hang
        results = _run_until_done()
        try:
            if helper is None:
                raise EOFError
            results.update({n: (problems, {name: _load(*item) for name, item in saved.items()})
                            for n, (problems, saved) in receive.recv().items()})
        except Exception:  # noqa: BLE001 - whatever went wrong in the helper, run its tasks here
            results.update({n: task() for n, task in enumerate(tasks) if n not in results})
    finally:
        if helper is not None:
            if helper.is_alive():
                helper.kill()
            helper.join()
        pa.set_cpu_count(threads)
        shutil.rmtree(folder, ignore_errors=True)
        _tasks, _next_task = [], None
    return [results[n] for n in range(len(tasks))]


def _start(context, folder: str, send):
    """The forked helper, started; None if it could not be (no memory to fork, say)."""
    helper = context.Process(target=_helper, args=(folder, send, os.getpid()), daemon=True)
    try:
        helper.start()
    except Exception:  # noqa: BLE001
        return None
    return helper


def _helper(folder: str, send, parent: int) -> None:
    """The helper's life: run tasks, send back what it found, and end with its parent whatever happens.

    Ctrl-C reaches every process of the terminal's group; the parent decides, and ends the helper itself,
    so the helper ignores it (and prints no KeyboardInterrupt traceback). SIGTERM, from anyone or sent by
    the kernel when the parent dies, removes the temporary files and ends the helper at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: (shutil.rmtree(folder, ignore_errors=True), os._exit(143)))
    _end_with_parent()
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(143)
    try:
        send.send(_run_and_save(folder))
        send.close()
    except BaseException:  # noqa: BLE001 - the parent sees the pipe close and runs the tasks itself
        os._exit(1)


def _end_with_parent() -> None:
    """Ask Linux to send this process SIGTERM when its parent dies (prctl PR_SET_PDEATHSIG); elsewhere the
    parent's own clean-up is all there is."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _run_until_done(keep=lambda n, result: result) -> dict[int, Result]:
    """Run the next task until none is left; `keep` turns each result into what is kept of it."""
    results = {}
    while True:
        with _next_task.get_lock():
            n = _next_task.value
            _next_task.value += 1
        if n >= len(_tasks):
            return results
        results[n] = keep(n, _tasks[n]())


def _run_and_save(folder: str) -> dict[int, tuple[list[Problem], dict]]:
    """The helper: run tasks until none is left, saving each table as soon as it is read (so that the
    writing overlaps the other process's work) as an Arrow IPC file in `folder`."""
    def save(n: int, result: Result) -> tuple[list[Problem], dict]:
        problems, tables = result
        saved = {}
        for name, table in tables.items():
            path = str(Path(folder) / f"{n}-{len(saved)}.arrow")
            arrow = pa.Table.from_pandas(table.frame, preserve_index=False)
            with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, arrow.schema) as writer:
                writer.write_table(arrow)
            saved[name] = (table.resource, table.file, path, table.lines)
        return problems, saved

    return _run_until_done(save)


def _load(resource, file: str, path: str, lines) -> Table:
    arrow = pa.ipc.open_file(pa.memory_map(path)).read_all()  # mapped, not copied
    return Table(resource, file, as_text_frame(arrow), lines)
