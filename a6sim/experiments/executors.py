"""Where the runs of a sweep execute: in this process, a local process pool, or Dask.

Each executor takes batches of run records and yields the rows of each finished
batch, in whatever order they finish (the sweep sorts by run at the end, so the
order never shows in the results). Workers get the shared payload once (a pool
initializer; a Dask ``scatter``) and small records per batch; they never get or
return a ledger.

* ``local`` (default): ``concurrent.futures.ProcessPoolExecutor`` with ``workers``
  processes (default: the CPU count); with one worker the runs execute in this
  process (no pool to start).
* ``dask``: a ``dask.distributed`` client joining ``scheduler``
  (``tcp://HOST:PORT``), or a ``LocalCluster`` of ``workers`` single-threaded
  processes started for the sweep and closed after it. Needs the ``dask`` extra
  (``pip install 'a6sim[dask]'``).
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Iterator

from .runner import Payload, run_batch, set_shared

__all__ = ["execute", "default_workers", "EXECUTORS", "ExecutorError"]

EXECUTORS = ("local", "dask")


class ExecutorError(RuntimeError):
    """The executor could not start (no Dask installed, a scheduler that does not answer)."""


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def execute(payload: Payload, batches: list[list[dict]], executor: str = "local", workers: int | None = None,
            scheduler: str | None = None) -> Iterator[list[dict]]:
    """Rows of every batch, as batches finish."""
    workers = workers or default_workers()
    if executor == "dask":
        yield from _dask(payload, batches, workers, scheduler)
    elif workers == 1 or len(batches) <= 1:
        for batch in batches:
            yield run_batch(payload, batch)
    else:
        yield from _pool(payload, batches, workers)


def _context():
    """fork where it is safe (one thread, not macOS), else forkserver or spawn."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1 and os.uname().sysname == "Linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _pool(payload, batches, workers):
    pool = ProcessPoolExecutor(max_workers=min(workers, len(batches)), mp_context=_context(),
                               initializer=set_shared, initargs=(payload,))
    try:
        pending = {pool.submit(run_batch, None, b) for b in batches}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in done:
                yield f.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _children_ignore_sigint():
    """Start processes that ignore SIGINT (an ignored signal stays ignored in a child, across
    exec too). Ctrl+C reaches every process of the terminal's group: in a LocalCluster's
    workers it raised KeyboardInterrupt and printed tracebacks of Dask's own, while this
    process, which gets it too, stops the sweep and closes the cluster."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _dask(payload, batches, workers, scheduler):
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ExecutorError("--executor dask needs dask.distributed: pip install 'a6sim[dask]'") from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="10s")
        else:
            with _children_ignore_sigint():
                cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise ExecutorError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
    try:
        shared = client.scatter(payload, broadcast=True)
        futures = client.map(run_batch, [shared] * len(batches), batches, pure=False)
        for future in as_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
