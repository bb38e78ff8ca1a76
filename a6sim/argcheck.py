"""Command-line values no file operation can take, refused before any command runs.

A NUL character (``embedded null byte`` from every file call) or a path component
longer than the file system allows (``File name too long``, 255 bytes on the usual
Linux and macOS file systems) would otherwise surface as a traceback from whichever
call meets it first. Every string value of the parsed arguments is checked (paths,
names and hosts alike: none can hold either).
"""
from __future__ import annotations

import os

__all__ = ["argument_problem", "seed_argument", "NAME_MAX", "MAX_SEED"]

NAME_MAX = 255
"""Longest file or folder name, in bytes of the file system's encoding."""

MAX_SEED = 2**63 - 1
"""Largest random seed (also :data:`a6sim.scenario.limits.MAX_SEED`)."""


_POSITIONAL = {"scenario", "scenarios", "table", "runs", "sweep", "name", "files", "dir", "command", "import_what",
               "examples_command", "lesson_command"}


def argument_problem(args) -> str:
    """The first unusable value of the parsed ``args`` as ``--option: what is wrong``, or ""."""
    for key, value in vars(args).items():
        for text in (value if isinstance(value, list) else [value]):
            if not isinstance(text, str):
                continue
            name = key.upper() if key in _POSITIONAL else "--" + key.replace("_", "-")
            if "\0" in text:
                return f"{name}: {text.replace(chr(0), '?')[:60]!r}: a NUL character cannot be in a name"
            longest = max(text.split(os.sep), key=lambda part: len(os.fsencode(part)))
            if len(os.fsencode(longest)) > NAME_MAX:
                return (f"{name}: a name of {len(os.fsencode(longest)):,} bytes ({longest[:30]}...); "
                        f"file names have at most {NAME_MAX}")
    return ""


def seed_argument(text: str) -> int:
    """An argparse type: a seed, a whole number from 0 to 2^63 - 1 (here, not in
    :mod:`a6sim.scenario.limits`, so that building the command's parser loads no schema)."""
    import argparse
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"{value} is not a seed (a whole number from 0 to 2^63 - 1)")
    return value
