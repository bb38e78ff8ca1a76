"""Where the dashboard's background runs execute: processes forked from a fork server.

Dash's :class:`~dash.background_callback.DiskcacheManager` forks each job straight
from the web server. The server is multi-threaded (waitress), and a fork copies a
lock another thread happens to hold (SQLite's, inside the result cache) into the
child, where nobody will ever release it: the job hangs. Here jobs are forked by a
small fork server started once, single-threaded, with the dashboard's modules already
imported, so a job starts in milliseconds and never inherits a held lock.

Where there is no fork server (Windows), jobs are spawned: a fresh interpreter each,
slower to start but equally safe.

A job counts as running until its result has been collected. Dash polls a job by
reading its result and then asking whether its process still runs; a job that writes
its result and exits between those two looks would otherwise be taken for cancelled,
and its session would never see the run. The process itself may also vanish between
two of Dash's checks on it (the fork server reaps it at once): that is not an error.

No code is imported from the current directory by the fork server or a job: both
start as ``python -c``, which would put the current directory first on ``sys.path``,
and a job is handed the server's ``sys.path``. A ``dashboard.py``, an ``a6sim/``
folder or a ``pandas.py`` where the dashboard was started would otherwise be
imported instead of the installed package. The fork server starts with
``PYTHONSAFEPATH=1`` and jobs receive a ``sys.path`` without ``''`` or the current
directory (:func:`safe_sys_path`); a job removes them once more before it runs.
"""
from __future__ import annotations

import os
import sys
import threading
from contextlib import contextmanager

from dash.background_callback import DiskcacheManager

__all__ = ["ForkServerManager", "PRELOAD", "JOB_NICENESS", "safe_sys_path"]

# Runs yield the CPU to the web server: on a two-core laptop, eight runs at once would
# otherwise slow every other participant's clicks.
JOB_NICENESS = 10

# imported once by the fork server, so that every job starts with them loaded
PRELOAD = ["a6sim", "pandas", "a6sim.dashboard.app"]


_PATH_LOCK = threading.Lock()


def safe_sys_path(path: list[str] | None = None, cwd: str | None = None) -> list[str]:
    """``path`` (``sys.path`` by default) without ``''`` and without the current directory."""
    path = sys.path if path is None else path
    try:
        cwd = os.path.realpath(cwd or os.getcwd())
    except OSError:     # the current directory was removed
        cwd = None
    return [p for p in path if p and (cwd is None or os.path.realpath(p) != cwd)]


@contextmanager
def _nothing_from_the_current_dir():
    """While a process starts: a clean ``sys.path`` to hand over, and ``PYTHONSAFEPATH`` so
    that a fresh interpreter (``python -c``) does not put ``''`` first on its own path."""
    with _PATH_LOCK:
        saved_path, saved_env = sys.path[:], os.environ.get("PYTHONSAFEPATH")
        sys.path[:] = safe_sys_path(saved_path)
        os.environ["PYTHONSAFEPATH"] = "1"
        try:
            yield
        finally:
            sys.path[:] = saved_path
            if saved_env is None:
                os.environ.pop("PYTHONSAFEPATH", None)
            else:
                os.environ["PYTHONSAFEPATH"] = saved_env


class ForkServerManager(DiskcacheManager):
    """A :class:`DiskcacheManager` whose jobs are forked by a fork server, not by the web server."""

    def __init__(self, cache, preload: list[str] | None = None, method: str | None = None):
        super().__init__(cache)
        import multiprocess   # Dash's own dependency; pickles the callback closures (dill)
        if method is None:
            method = "forkserver" if "forkserver" in multiprocess.get_all_start_methods() else "spawn"
        self.method = method
        self._results: dict[int, str] = {}     # job (pid) -> the cache key of its result
        self._lock = threading.Lock()
        self._context = multiprocess.get_context(self.method)
        if self.method == "forkserver":
            self._context.set_forkserver_preload(PRELOAD if preload is None else preload)

    def start(self) -> None:
        """Start the fork server now (it imports the dashboard once), not at the first run."""
        if self.method == "forkserver":
            from multiprocess import forkserver
            with _nothing_from_the_current_dir():
                forkserver.ensure_running()

    def call_job_fn(self, key, job_fn, args, context):
        process = self._context.Process(target=_run_politely,
                                        args=(job_fn, key, self._make_progress_key(key), args, context))
        with _nothing_from_the_current_dir():
            process.start()
        with self._lock:
            self._results[process.pid] = key
        return process.pid

    def job_running(self, job):
        import psutil
        try:
            if super().job_running(job):
                return True
        except psutil.NoSuchProcess:   # reaped by the fork server since Dash looked it up
            pass
        with self._lock:
            key = self._results.get(int(job)) if job else None
        if key is not None and self.handle.get(key, self.UNDEFINED) is not self.UNDEFINED:
            return True                 # ended with a result not collected yet: the next poll takes it
        with self._lock:
            self._results.pop(int(job) if job else None, None)
        return False

    def terminate_job(self, job):
        import psutil
        try:
            super().terminate_job(job)
        except psutil.NoSuchProcess:   # it ended by itself meanwhile
            pass


def _run_politely(job_fn, *args):
    """Run a job at a lower CPU priority (where the system has one), importing nothing
    from the current directory."""
    sys.path[:] = safe_sys_path()
    if hasattr(os, "nice"):
        try:
            os.nice(JOB_NICENESS)
        except OSError:
            pass
    job_fn(*args)
