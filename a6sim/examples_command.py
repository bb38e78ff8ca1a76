"""``a6sim examples``: list the bundled scenarios, lessons and sweeps, or copy them out.

``a6sim examples copy DIR`` copies every bundled file into DIR for editing (the same
sub-folders: ``lessons/``, ``sweeps/``, and ``registry/``: the example block tables of
``a6sim import blocks``, which take no bundled name). It never overwrites a file: when any file of
that name is already in DIR, it names them, exits 2 and copies nothing.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from .resources import EXAMPLES_DIR

__all__ = ["add_examples_parser", "examples_command", "bundled_files"]

_KINDS = (("scenario", "."), ("lesson", "lessons"), ("sweep", "sweeps"), ("table", "registry"))
_SUFFIXES = {".yaml", ".csv"}
_TABLE_TITLES = {"blocks.csv": "credit blocks, a6sim's layout (a6sim import blocks)",
                 "detailed_credit_data.csv": "the same blocks as the CA Reporting Tool's Detailed Credit Data tab",
                 "parties.csv": "inventories and NDCs for import blocks --parties"}


def add_examples_parser(sub) -> None:
    e = sub.add_parser("examples", help="list the bundled example files, or copy them out",
                       description="List the scenarios, lessons and sweeps shipped with a6sim. Every "
                                   "command takes a bundled name where it takes a file, e.g. "
                                   "'a6sim run two_party_basic --out r'. 'a6sim examples copy DIR' copies "
                                   "them into DIR for editing, never overwriting a file.")
    cmds = e.add_subparsers(dest="examples_command", metavar="ACTION")
    c = cmds.add_parser("copy", help="copy every bundled example into DIR (never overwrites)")
    c.add_argument("dir", metavar="DIR", help="destination folder (created when missing)")


def bundled_files() -> list[tuple[str, Path]]:
    """``(kind, path relative to the examples folder)`` of every bundled example file."""
    out = []
    for kind, folder in _KINDS:
        base = EXAMPLES_DIR / folder
        if base.is_dir():
            out += [(kind, p.relative_to(EXAMPLES_DIR)) for p in sorted(base.iterdir())
                    if p.is_file() and p.suffix in _SUFFIXES]
    return out


def _title(path: Path) -> str:
    """The ``name:`` line of a YAML example (read as text: listing never runs the loader)."""
    if path.suffix != ".yaml":
        return _TABLE_TITLES.get(path.name, "")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("name:"):
            return line[5:].strip().strip("'\"")
    return ""


def examples_command(args) -> int:
    files = bundled_files()
    if args.examples_command != "copy":
        print(f"bundled examples (in {EXAMPLES_DIR}); use a name wherever a file is asked for:")
        for kind, rel in files:
            name = rel.stem if rel.suffix == ".yaml" else rel.as_posix()   # a table: copy it out to use it
            print(f"  {kind:<9}{name:<36}{_title(EXAMPLES_DIR / rel)}")
        print("copy them out for editing (the tables too): a6sim examples copy DIR")
        return 0
    dest = Path(args.dir)
    if dest.exists() and not dest.is_dir():
        print(f"a6sim: examples copy {dest}: exists and is not a folder; nothing copied", file=sys.stderr)
        return 2
    clashes = [str(dest / rel) for _, rel in files if (dest / rel).exists()]
    if clashes:
        print(f"a6sim: examples copy: {len(clashes)} file(s) already exist and are never overwritten; "
              f"nothing copied: " + ", ".join(clashes[:5]) + (" ..." if len(clashes) > 5 else ""),
              file=sys.stderr)
        return 2
    try:
        for _, rel in files:
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(EXAMPLES_DIR / rel, dest / rel)
    except OSError as exc:
        print(f"a6sim: examples copy {dest}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"copied {len(files)} example files into {dest}/")
    return 0
