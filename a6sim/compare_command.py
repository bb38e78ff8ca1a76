"""``a6sim compare A B [C ...] [--out FILE.csv] [--all]``: how runs differ from the first.

Each input is a scenario file, a bundled scenario's name or a result folder of
``a6sim run`` (:mod:`a6sim.comparison`). Prints, for each run against the first, the
NDC attainment side by side, the run totals that differ and the party-years whose
emissions balance differs; ``--out`` writes every compared figure as CSV. Bad input
(a missing file, a folder without results, a scenario with errors, an unwritable
``--out``): the problem on stderr, exit status 2, nothing written.
"""
from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["add_compare_parser", "compare_command", "render_differences"]

_SHOWN_BALANCES = 30   # party-years listed on the terminal per comparison (all are in --out)


def add_compare_parser(sub) -> None:
    c = sub.add_parser("compare", help="differences between runs, per party and year and in the totals",
                       description="Compare runs with the first one: NDC attainment side by side, the run "
                                   "totals and the party-years whose emissions balance differs. Each RUN is "
                                   "a scenario file, a bundled scenario's name or a result folder of "
                                   "'a6sim run'. --out writes every compared figure as CSV (columns: "
                                   "against, table, party, year, period, field, base, value, difference).")
    c.add_argument("runs", nargs="+", metavar="RUN", help="scenario file, bundled name or result folder (2 or more)")
    c.add_argument("--out", metavar="FILE.csv", help="write every compared figure to this CSV file")
    c.add_argument("--all", action="store_true",
                   help="list every figure on the terminal, also those that do not differ")


def _unique_labels(runs) -> None:
    seen: dict[str, int] = {}
    for run in runs:
        n = seen.get(run.label, 0)
        seen[run.label] = n + 1
        if n:
            run.label = f"{run.label} ({n + 1})"


def compare_command(args) -> int:
    from .comparison import CompareError, differences, load_run
    from .scenario import ScenarioError
    if len(args.runs) < 2:
        print("a6sim compare: give at least two runs (scenario files, bundled names or result folders)",
              file=sys.stderr)
        return 2
    if args.out and not args.out.lower().endswith(".csv"):
        print(f"a6sim compare: --out {args.out}: expected a file name ending in .csv", file=sys.stderr)
        return 2
    if args.out and Path(args.out).is_dir():
        print(f"a6sim compare: --out {args.out}: is a folder; expected a .csv file name", file=sys.stderr)
        return 2
    runs, status = [], 0
    for spec in args.runs:
        try:
            runs.append(load_run(spec))
        except ScenarioError as exc:
            print(exc, file=sys.stderr)
            status = 2
        except CompareError as exc:
            print(f"a6sim compare: {exc}", file=sys.stderr)
            status = 2
    if status:
        return status
    _unique_labels(runs)
    import pandas as pd
    table = pd.concat([differences(runs[0], other) for other in runs[1:]], ignore_index=True).astype(object)
    table = table.where(table.notna(), None)
    if args.out:
        from .io.textfile import write_text_atomically
        try:
            write_text_atomically(args.out, _csv(table))
        except OSError as exc:
            print(f"a6sim compare: --out {args.out}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    print(render_differences(runs[0].label, table, show_all=args.all))
    if args.out:
        print(f"\nevery compared figure in {args.out} ({len(table):,} rows)")
    return 0


def _csv(table) -> str:
    out = table.copy()
    for col in ("year", "base", "value", "difference"):
        out[col] = ["" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v)) for v in out[col]]
    return out.to_csv(index=False, lineterminator="\n")


def _fmt(x, sign: bool = False) -> str:
    if x is None:
        return "-"
    if isinstance(x, float) and not x.is_integer():
        text = f"{x:+,.2f}" if sign else f"{x:,.2f}"
    else:
        text = f"{int(x):+,}" if sign and x else f"{int(x):,}"
    return text


def _grid(rows: list[list[str]], left: int = 2) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for j, row in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def render_differences(base_label: str, table, show_all: bool = False) -> str:
    """The comparison as text: per compared run, attainment, totals and balance differences."""
    out = []
    for label, part in table.groupby("against", sort=False):
        out.append(f"{label} against {base_label} (tCO2e; difference = {label} - {base_label})")
        att = part[part["table"] == "attainment"]
        rows = [["party", "period", f"gap {base_label}"[:40], f"gap {label}"[:40], "difference", "met"]]
        for (party, period), g in att.groupby(["party", "period"], sort=False):
            f = {r.field: r for r in g.itertuples(index=False)}
            gap, met = f.get("gap"), f.get("met")
            if not show_all and gap is not None and gap.difference == 0 and met is not None and met.difference == 0:
                continue
            m = "-" if met is None else f"{_met(met.base)} -> {_met(met.value)}"
            rows.append([party, period, _fmt(gap.base if gap else None), _fmt(gap.value if gap else None),
                         _fmt(gap.difference if gap else None, sign=True), m])
        out.append("NDC attainment (gap > 0 means missed)")
        out += _grid(rows) if len(rows) > 1 else ["  no NDC's attainment differs"]
        tot = part[part["table"] == "totals"]
        rows = [["total", base_label[:40], label[:40], "difference"]]
        for r in tot.itertuples(index=False):
            if show_all or r.difference != 0:
                rows.append([r.field, _fmt(r.base), _fmt(r.value), _fmt(r.difference, sign=True)])
        out.append("\nRun totals" + ("" if show_all else " that differ"))
        out += _grid(rows, left=1) if len(rows) > 1 else ["  every run total is the same"]
        bal = part[(part["table"] == "balances") & (part["field"] == "emissions_balance")]
        changed = bal if show_all else bal[[d != 0 for d in bal["difference"]]]
        out.append(f"\nEmissions balance by party and year: {len(changed):,} of {len(bal):,} party-years "
                   + ("listed" if show_all else "differ"))
        limit = len(changed) if show_all else _SHOWN_BALANCES
        rows = [["party", "year", base_label[:40], label[:40], "difference"]]
        for r in changed.head(limit).itertuples(index=False):
            rows.append([r.party, str(r.year), _fmt(r.base), _fmt(r.value), _fmt(r.difference, sign=True)])
        if len(rows) > 1:
            out += _grid(rows)
        if len(changed) > limit:
            out.append(f"... {len(changed) - limit:,} more (every one in --out FILE.csv)")
        out.append("")
    return "\n".join(out).rstrip()


def _met(v) -> str:
    return "-" if v is None else ("yes" if v == 1 else "NO")
