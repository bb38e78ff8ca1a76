"""``scenario.yaml`` of a result folder: the scenario exactly as it was run.

For a scenario read from a file, the file's own text (comments and all); when the run
used another seed than the file's (``a6sim run --seed N``), its ``seed:`` line is
changed to the seed of the run and a comment says so. A scenario built in code
(:func:`a6sim.scenario_from_dict`) is written as YAML from its validated data
(:meth:`a6sim.Scenario.to_dict`), which loads back to an equal scenario.
"""
from __future__ import annotations

import re
from pathlib import Path

__all__ = ["scenario_text"]

_SEED = re.compile(r"^(\s*seed\s*:\s*)(\d+)(.*)$")


def scenario_text(scenario) -> str:
    """The YAML text of ``scenario`` as run (see the module doc)."""
    path = Path(scenario.source)
    text = None
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = None
    if text is None:
        return _dumped(scenario)
    lines = text.splitlines(keepends=True)
    at = scenario.lines.get(("seed",))
    if at is not None and 0 < at <= len(lines):
        m = _SEED.match(lines[at - 1].rstrip("\r\n"))
        if m is None:            # a seed written another way: the data itself, to be exact
            return _dumped(scenario)
        if int(m.group(2)) != scenario.seed:
            end = lines[at - 1][len(lines[at - 1].rstrip("\r\n")):] or "\n"
            lines[at - 1] = (f"{m.group(1)}{scenario.seed}{m.group(3)}"
                             f"  # the seed of this run (the file says {m.group(2)}){end}")
        return "".join(lines)
    if scenario.seed != 0:       # the file has no seed (0): the run's seed, at the end
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.append(f"seed: {scenario.seed}  # the seed of this run (the file gives none: 0)\n")
    return "".join(lines)


def _dumped(scenario) -> str:
    import yaml
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    data = scenario.to_dict()
    data = {"a6sim": data.pop("a6sim", 1), **data}
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, default_flow_style=False)
