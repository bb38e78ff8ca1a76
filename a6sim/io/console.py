"""Printing that cannot fail a command: closed pipes and text the console cannot encode.

``a6sim run ... | true`` closes standard output before a6sim prints; a console whose
encoding cannot show a character (a file name holding bytes that are not UTF-8, read as
lone surrogates) would raise while printing. Neither may turn a result already written
into exit status 1 or a traceback.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager

__all__ = ["tolerant_console", "quiet_broken_pipe", "after_the_results"]


def tolerant_console() -> None:
    """Print what the console cannot encode as backslash escapes instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):   # not a text stream of its own (tests, pythonw)
            pass


def quiet_broken_pipe() -> None:
    """Standard output was closed by its reader: send the rest, and the flush at exit,
    nowhere (otherwise Python reports the broken pipe again as it exits)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


@contextmanager
def after_the_results():
    """Around what a command prints once its results are written: a closed pipe or an
    unencodable character ends the printing, not the command."""
    try:
        yield
    except BrokenPipeError:
        quiet_broken_pipe()
    except (UnicodeEncodeError, OSError):
        pass
