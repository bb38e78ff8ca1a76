"""``a6sim docs [NAME]``: list the guides shipped with a6sim, or print one (markdown).

The guides travel inside the package (:mod:`a6sim.guides`), so an installed a6sim
can show them offline, from any folder; the dashboard shows the same pages at
``/docs/NAME``. Exit status: 0, or 2 for a name that is not a guide.
"""
from __future__ import annotations

import sys

__all__ = ["add_docs_parser", "docs_command"]


def add_docs_parser(sub) -> None:
    d = sub.add_parser("docs", help="list the guides shipped with a6sim, or print one",
                       description="List the guides shipped with a6sim (the README, how a6sim counts, the "
                                   "economics, lessons), or print one as markdown, e.g. 'a6sim docs economics "
                                   "| less'. The dashboard shows them too, at /docs.")
    d.add_argument("name", nargs="?", metavar="NAME", help="the guide to print (default: list them)")


def docs_command(args) -> int:
    from .guides import find_guide, guides
    if args.name is None:
        found = guides()
        width = max(len(g.name) for g in found)
        print("guides shipped with a6sim; print one with: a6sim docs NAME (the dashboard: /docs)")
        for g in found:
            print(f"  {g.name:<{width}}  {g.title}")
        return 0
    guide = find_guide(args.name)
    if guide is None:
        names = ", ".join(g.name for g in guides())
        print(f"a6sim: docs {args.name}: no such guide (there are: {names})", file=sys.stderr)
        return 2
    text = guide.text()
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0
