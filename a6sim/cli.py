"""The ``a6sim`` command: validate, run, schema, dashboard, lesson, examples, sweep, compare, docs.

Exit status: 0 success; 2 bad input (scenario errors, an unusable --out folder),
with nothing written; 1 an unexpected failure.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import __version__

__all__ = ["main"]

EXAMPLES = """examples:
  a6sim examples
  a6sim examples copy my-scenarios
  a6sim validate two_party_basic
  a6sim run two_party_basic --out out/basic
  a6sim run my-scenarios/singapore_mongolia.yaml --out out/sg --seed 3 --format parquet
  a6sim schema --out scenario.schema.json
  a6sim dashboard
  a6sim dashboard --host 0.0.0.0 --port 8050
  a6sim lesson list
  a6sim lesson run one_tonne_two_claims
  a6sim lesson handout one_tonne_two_claims --out handout.html --answers
  a6sim sweep delivery_risk --out out/risk --workers 2
  a6sim compare two_party_basic host_oversells --out diff.csv
  a6sim docs economics
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="a6sim", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EXAMPLES,
        description="Simulate bilateral transfers under Article 6 of the Paris Agreement.")
    p.add_argument("--version", action="version", version=f"a6sim {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    v = sub.add_parser("validate", help="check scenario (and sweep) files; exit 0 or 2 with every error",
                       description="Check scenario files without running them. Prints one line per valid "
                                   "file; otherwise every error as file:line: field: problem, and exits 2. "
                                   "A sweep file (a6sim-sweep: 1) is checked as a6sim sweep checks it.")
    v.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                   help="scenario or sweep YAML file(s), or bundled example name(s)")

    r = sub.add_parser("run", help="run a scenario and write its result files",
                       description="Run a scenario, print the attainment table and write every result "
                                   "file (balances, attainment, ledger, holdings, flows, integrity, "
                                   "structured_summary, summary.json; economics.csv when a party has an "
                                   "abatement cost curve) into --out, atomically.")
    r.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file, or a bundled example's name")
    r.add_argument("--out", required=True, metavar="DIR",
                   help="result folder (created; an earlier a6sim result there is replaced)")
    from .argcheck import seed_argument
    r.add_argument("--seed", type=seed_argument, metavar="N", help="random seed, 0 or more (default: the file's seed)")
    r.add_argument("--format", choices=("csv", "parquet", "xlsx"), default="csv",
                   help="table format (default csv; xlsx: one workbook, a sheet per table)")
    r.add_argument("--progress", action="store_true", help="report each simulated year on stderr")
    r.add_argument("--quiet", action="store_true", help="print nothing on success")

    s = sub.add_parser("schema", help="print the JSON Schema of scenario files",
                       description="Print the JSON Schema of scenario format v1 (for editors that "
                                   "autocomplete YAML).")
    s.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")

    d = sub.add_parser("dashboard", help="serve the dashboard in the browser",
                       description="Serve the dashboard (scenario levers, results, compare) with waitress. "
                                   "Works offline; every session keeps its own state.")
    d.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; 0.0.0.0 opens it to the room's network)")
    d.add_argument("--port", type=int, default=8050, help="port (default 8050; 0 picks a free one)")
    d.add_argument("--threads", type=int, default=16, metavar="N", help="request threads (default 16)")
    d.add_argument("--scenarios", metavar="DIR",
                   help="offer the scenario files of DIR in the list (default: the bundled examples)")
    d.add_argument("--lessons", metavar="DIR",
                   help="offer the lesson files of DIR on the Classroom page (default: the bundled lessons)")
    d.add_argument("--cache-dir", metavar="DIR",
                   help="keep cached results in DIR (default: a temporary folder removed at exit)")
    d.add_argument("--rooms-db", metavar="FILE",
                   help="keep workshop rooms in this SQLite file (default: rooms.sqlite in --cache-dir when "
                        "given, else ~/.local/state/a6sim/rooms.sqlite)")

    from .lessons.cli import add_lesson_parser
    add_lesson_parser(sub)
    from .examples_command import add_examples_parser
    add_examples_parser(sub)
    from .importer.command import add_import_parser
    add_import_parser(sub)
    from .sweep_command import add_sweep_parser
    add_sweep_parser(sub)
    from .compare_command import add_compare_parser
    add_compare_parser(sub)
    from .docs_command import add_docs_parser
    add_docs_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    from .startup import announce
    announce(sys.argv[1:] if argv is None else argv)   # before the heavy imports: "starting ..."
    from .io.console import quiet_broken_pipe, tolerant_console
    tolerant_console()
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    from .argcheck import argument_problem
    if argument_problem(args):   # a NUL or an over-long file name: refused before any file call
        print(f"a6sim {args.command}: {argument_problem(args)}", file=sys.stderr)
        return 2
    try:
        return {"validate": _validate, "run": _run, "schema": _schema,
                "dashboard": _dashboard, "lesson": _lesson, "examples": _examples,
                "import": _import, "sweep": _sweep, "compare": _compare, "docs": _docs}[args.command](args)
    except KeyboardInterrupt:
        print("a6sim: interrupted; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:   # the reader went away (| head): what it wanted was printed
        quiet_broken_pipe()
        return 0


def _validate(args) -> int:
    from .resources import resolve_scenario
    from .scenario import ScenarioError, load_scenario
    from .scenario.errors import SweepFileError
    from .sweep_command import bundled_sweep, validate_sweep
    status = 0
    for path in args.scenarios:
        try:
            if bundled_sweep(path):   # a sweep file is checked as `a6sim sweep` checks it
                raise SweepFileError(path, None)
            sc = load_scenario(resolve_scenario(path))
        except SweepFileError:
            status = max(status, validate_sweep(path))
            continue
        except ScenarioError as exc:
            print(exc, file=sys.stderr)
            status = 2
            continue
        m = sc.model
        groups = [(m.parties, "party", "parties"), (m.entities, "entity", "entities"),
                  (m.activities, "activity", "activities"), (m.agreements, "agreement", "agreements"),
                  (m.events, "event", "events")]
        if m.authorisations or m.issuances or m.transactions:   # format v2: the recorded history too
            groups += [(m.authorisations, "authorisation", "authorisations"),
                       (m.issuances, "issuance", "issuances"), (m.transactions, "transaction", "transactions")]
        counts = ", ".join(_counted(len(items), one, many) for items, one, many in groups)
        print(f"{path}: ok: {m.name!r}, {m.period.start}-{m.period.end}, {counts}")
    return status


def _counted(n: int, one: str, many: str) -> str:
    """``1 activity``, ``2 activities``, ``1,500 agreements``."""
    return f"{n:,} {one if n == 1 else many}"


def _run(args) -> int:
    from .io.write import OutputError, check_destination
    from .resources import resolve_scenario
    from .results import simulate
    from .scenario import ScenarioError, load_scenario
    from .scenario.errors import SweepFileError
    from .sweep_command import bundled_sweep
    from .io.forked import write_processes
    try:
        processes = write_processes()   # A6SIM_WRITE_PROCESSES (README, "Performance")
    except ValueError as exc:
        print(f"a6sim: {exc}", file=sys.stderr)
        return 2
    try:
        if bundled_sweep(args.scenario):
            raise SweepFileError(args.scenario, None)
        scenario = load_scenario(resolve_scenario(args.scenario))
        check_destination(Path(args.out))
    except SweepFileError as exc:
        print(exc.told_as(args.scenario), file=sys.stderr)
        return 2
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return 2
    except OutputError as exc:
        print(f"a6sim: {exc}", file=sys.stderr)
        return 2
    progress = None
    if args.progress or (sys.stderr.isatty() and not args.quiet):
        def progress(year, last):
            try:
                print(f"\rsimulating {year}/{last}", end="\n" if year == last else "", file=sys.stderr, flush=True)
            except OSError:   # a closed stderr does not stop the run
                pass
    started = time.perf_counter()
    results = simulate(scenario, seed=args.seed, progress=progress)
    try:
        out = results.write(args.out, args.format, processes)
    except OutputError as exc:
        print(f"a6sim: {exc}", file=sys.stderr)
        return 2
    from .io.console import after_the_results
    with after_the_results():   # the results are written: printing cannot fail the run
        _print_run(args, results, out, started)
    return 0


def _print_run(args, results, out, started) -> None:
    if not args.quiet:
        print(render_attainment(results))
        s = results.summary
        n = len(s["violations"])
        print(f"\nissued {s['issued']:,} t; first transferred {s['first_transferred']:,} t; used towards NDCs "
              f"{s['used']:,} t, for OIMP {s['used_oimp']:,} t; OMGE cancelled {s['omge_cancelled']:,} t; "
              f"double claimed {s['double_claimed']:,} t, in target years {s['target_year_double_claimed']:,} t; "
              f"{n} violation{'' if n == 1 else 's'}"
              + (" (see summary.json)" if n else ""))
        print(f"results in {out}/ ({time.perf_counter() - started:.2f} s)")


def render_attainment(results) -> str:
    """The attainment table as text, in tCO2e."""
    from .results import _number
    head = f"{results.scenario.name} (seed {results.scenario.seed})"
    cols = ["party", "method", "target", "balance", "gap", "met"]
    rows = [cols]
    for r in results._attainment:   # the rows of results.attainment (no DataFrame: no pandas)
        met = "-" if r["met"] is None else ("yes" if r["met"] else "NO")
        rows.append([r["party"], r["method"], _t(_number(r["target"])), _t(_number(r["balance"])),
                     _t(_number(r["gap"]), sign=True), met])
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(cols))]
    lines = [head, "NDC attainment (tCO2e; gap > 0 means missed)"]
    for j, row in enumerate(rows):
        lines.append("  ".join(str(c).ljust(w) if i < 2 else str(c).rjust(w)
                               for i, (c, w) in enumerate(zip(row, widths))))
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    if len(rows) == 1:
        lines.append("(no party has an NDC)")
    return "\n".join(lines)


def _t(x, sign=False) -> str:
    if x is None or x != x:
        return "-"
    text = f"{x:+,.1f}" if sign and x != 0 else f"{x:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def _schema(args) -> int:
    from .scenario.schema import json_schema_text
    text = json_schema_text()
    if args.out:
        from .io.textfile import OutputError, write_text_atomically
        try:
            write_text_atomically(args.out, text)
        except OutputError as exc:
            print(f"a6sim: {exc}", file=sys.stderr)
            return 2
    else:
        sys.stdout.write(text)
    return 0


def _compare(args) -> int:
    from .compare_command import compare_command
    return compare_command(args)


def _docs(args) -> int:
    from .docs_command import docs_command
    return docs_command(args)


def _examples(args) -> int:
    from .examples_command import examples_command
    return examples_command(args)


def _import(args) -> int:
    from .importer.command import import_command
    return import_command(args)
def _sweep(args) -> int:
    from .sweep_command import sweep_command
    return sweep_command(args)


def _lesson(args) -> int:
    from .lessons.cli import lesson_command
    return lesson_command(args)


def _dashboard(args) -> int:
    if not 0 <= args.port <= 65535:
        print(f"a6sim: --port {args.port}: expected 0-65535", file=sys.stderr)
        return 2
    if args.threads < 1:
        print(f"a6sim: --threads {args.threads}: expected at least 1", file=sys.stderr)
        return 2
    for option, folder in (("--scenarios", args.scenarios), ("--lessons", args.lessons)):
        if folder and not Path(folder).is_dir():
            print(f"a6sim: {option} {folder}: not a folder", file=sys.stderr)
            return 2
    from a6sim.dashboard.serve import RoomsDbError, serve
    try:
        serve(args.host, args.port, args.threads, args.cache_dir, args.scenarios, args.lessons,
              rooms_db=args.rooms_db)
    except RoomsDbError as exc:
        print(f"a6sim: --rooms-db {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"a6sim: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"a6sim: cannot serve on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
