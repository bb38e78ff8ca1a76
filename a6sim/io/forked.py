"""Part of a result's files written by a second process, on a second core (POSIX).

After a run, the CSV tables are independent files. ``a6sim run`` (a single-threaded
process) forks one child that writes the biggest pass, ``ledger.csv`` with
``aef/actions.csv`` (:mod:`a6sim.io.csvtables`), into the same hidden partial folder
while the parent writes the rest. What the parent needs back from the child (the AEF
annual information the ledger pass adds up) comes back over a pipe, pickled. The
parent waits for the child and checks how it ended before it writes the manifest and
puts the folder in place (:mod:`a6sim.io.replace`): a child that failed, or was killed,
fails the whole write with :class:`~a6sim.io.replace.OutputError`, and nothing is put
in place.

The child ends with :func:`os._exit`: no atexit handler runs in it and no buffer the
parent had not yet flushed is written twice. Where :func:`os.fork` is missing
(Windows), where the process runs other threads (a fork copies only the calling
thread: the dashboard serves from threads), and for every caller that does not ask
(:meth:`a6sim.Results.write` writes serially by default), the files are written by one
process, the same bytes. The environment variable ``A6SIM_WRITE_PROCESSES=1`` turns it
off for ``a6sim run``.
"""
from __future__ import annotations

import os
import pickle
import signal
import sys
import threading

from .replace import OutputError

__all__ = ["Child", "can_fork", "write_processes", "ENV"]

ENV = "A6SIM_WRITE_PROCESSES"


def write_processes(environ=None) -> int:
    """The processes ``a6sim run`` writes its CSV files with: 2 unless
    ``A6SIM_WRITE_PROCESSES`` says 1; ValueError (a message naming the variable) for any
    other value."""
    text = (os.environ if environ is None else environ).get(ENV, "").strip()
    if text in ("", "2"):
        return 2
    if text == "1":
        return 1
    raise ValueError(f"{ENV}={text!r}: expected 1 (write with one process) or 2 (the default)")


def can_fork() -> bool:
    """Whether this process may fork a writer: :func:`os.fork` exists and no other
    thread runs (a forked child would hold only a copy of this one)."""
    return hasattr(os, "fork") and threading.active_count() == 1


class Child:
    """``work()`` run in a forked child; :meth:`result` is what it returned (pickled over
    a pipe), or :class:`OutputError` if it raised or was killed. ``what`` names the
    work in messages (``"ledger.csv and aef/actions.csv"``)."""

    def __init__(self, work, what: str):
        self.what = what
        for stream in (sys.stdout, sys.stderr):   # nothing buffered is left for the child to copy
            try:
                stream.flush()
            except (OSError, ValueError, AttributeError):
                pass
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:                               # the child: never returns
            status = 1
            try:
                os.close(read)
                try:
                    message = (True, work())
                except BaseException as exc:       # reported to the parent, which fails the write
                    message = (False, _reason(exc))
                data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(data)
                status = 0 if message[0] else 1
            finally:
                os._exit(status)
        os.close(write)
        self.pid, self._read = pid, read

    def result(self):
        """Wait for the child; what ``work`` returned, or :class:`OutputError`."""
        try:
            pipe, self._read = os.fdopen(self._read, "rb"), None   # the file object owns the descriptor now
            with pipe:
                data = pipe.read()
            _, status = os.waitpid(self.pid, 0)
        except BaseException:
            self.kill()
            raise
        self.pid = None
        if os.WIFSIGNALED(status):
            raise OutputError(f"writing {self.what} failed: the writing process was ended by "
                              f"{_signal_name(os.WTERMSIG(status))}")
        try:
            ok, value = pickle.loads(data)
        except Exception:
            raise OutputError(f"writing {self.what} failed: the writing process ended with status "
                              f"{os.WEXITSTATUS(status)} and no result") from None
        if not ok:
            raise OutputError(f"writing {self.what} failed: {value}")
        return value

    def kill(self) -> None:
        """End the child (the parent's own part failed or was interrupted) and reap it."""
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        self.pid = None
        if self._read is not None:
            os.close(self._read)
            self._read = None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        name = f" ({os.path.basename(exc.filename)})" if exc.filename else ""
        return f"{exc.strerror}{name}"
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    return f"{type(exc).__name__}: {exc}"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
