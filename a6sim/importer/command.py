"""The ``a6sim import`` command (``a6sim import blocks FILE.csv --out SCENARIO.yaml``).

Exit status 0 with the scenario written; 2 when a table has a bad row (every one
reported as ``file:line: column: what was expected``) or the output file exists
(nothing is overwritten without ``--force``); nothing is written then.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

__all__ = ["add_import_parser", "import_command"]


def add_import_parser(sub) -> None:
    p = sub.add_parser("import", help="write a format-v2 scenario from registry data (credit block tables)",
                       description="Import real registry data into a scenario file (format version 2).")
    what = p.add_subparsers(dest="import_what", metavar="WHAT")
    b = what.add_parser("blocks", help="a table of credit blocks (a6sim's layout or the CA Reporting Tool's)",
                        description="Write a v2 scenario from a CSV table of credit blocks: a6sim's own layout, "
                                    "or the 'Detailed Credit Data' tab of the Gold Standard & Verra Article 6.2 "
                                    "CA Reporting Tool saved as CSV (the layout is detected from the header).")
    b.add_argument("table", metavar="FILE.csv", help="the block table")
    b.add_argument("--out", required=True, metavar="SCENARIO.yaml", help="the scenario file to write")
    b.add_argument("--parties", metavar="PARTIES.csv",
                   help="inventories and NDCs: columns party, name, year, emissions and optionally ndc_type, "
                        "ndc_start, ndc_end, target_year, target, method, budget, initial_report")
    b.add_argument("--oimp-international-transfer", choices=["use-or-cancellation", "refuse"],
                   default="use-or-cancellation",
                   help="CA Reporting Tool rows authorised only for OIMP whose first-transfer definition is "
                        "'First international transfer' (not one of 2/CMA.3 annex para 2(b)): read it as use or "
                        "cancellation, as the programmes do (default), or refuse the row")
    b.add_argument("--date-order", choices=["dmy", "mdy"], default="dmy",
                   help="how dates written a/b/yyyy read: day/month/year (dmy, default) or month/day/year (mdy, "
                        "as Excel saves them in a US locale); 2023-12-07 and 07-Dec-2023 read either way")
    b.add_argument("--force", action="store_true", help="replace SCENARIO.yaml if it exists")


def import_command(args) -> int:
    if getattr(args, "import_what", None) != "blocks":
        print("a6sim import: say what to import: a6sim import blocks FILE.csv --out SCENARIO.yaml", file=sys.stderr)
        return 2
    from ..io.textfile import write_text_atomically
    from .blocks import BlockTableError, import_blocks
    out = Path(args.out)
    if out.exists() and not args.force:
        print(f"a6sim: {out} exists; nothing was written (give --force to replace it)", file=sys.stderr)
        return 2
    if out.exists() and out.is_dir():
        print(f"a6sim: {out} is a folder; --out names the scenario file to write", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        text = import_blocks(args.table, args.parties, out.name, args.oimp_international_transfer, args.date_order)
    except BlockTableError as exc:
        print("\n".join(exc.lines), file=sys.stderr)
        print(f"a6sim: {len(exc.lines)} problem{'s' if len(exc.lines) != 1 else ''}; nothing was written",
              file=sys.stderr)
        return 2
    try:
        write_text_atomically(out, text)
    except OSError as exc:
        print(f"a6sim: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    blocks = text.count("\n  - {")
    print(f"wrote {out}: {blocks:,} blocks ({time.perf_counter() - started:.2f} s); check it with a6sim validate {out}")
    return 0
