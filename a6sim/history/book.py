"""The recorded history of a scenario resolved for a run: tonnes, days, serials, holders.

Built once from the validated model; shared by the checks (a dry replay) and by the
engine (the replay in the run's registry), so both see exactly the same history.

* Each issuance becomes a block of the project ``{programme}-{project}`` and its
  vintage. Inside the registry its units are numbered 1, 2, ... per project and
  vintage in date order (so conservation is checked as for modelled blocks); the
  block's own serial range is kept to write serials back in the AEF tables.
* Holders: a party (``{P}:holding``), an entity (``{country}:entity:{id}``) or a
  crediting programme's registry (``{programme}:holding``; ``A6.4`` is the mechanism
  registry). Units in a programme registry are in no party's registry yet.
* Steps run in date order; on one day authorisations first, then issuances, then
  transactions, each in file order.
"""
from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from typing import NamedTuple, Optional

from ..calendar import Calendar
from ..registry.accounts import MECHANISM
from ..scenario.series import exact, to_tonnes
from .serials import SerialRange, format_serials, parse_serials

__all__ = ["Book", "BlockInfo", "UNIT_FACTORS", "authorisation_date"]

UNIT_FACTORS = {"tCO2e": 1, "ktCO2e": 1_000, "MtCO2e": 1_000_000}
USE_KINDS = {"NDC": "ndc-use", "OIMP": "oimp-use", "cancellation": "omge-cancellation",
             "voluntary-cancellation": "voluntary-cancellation"}


def authorisation_date(value) -> datetime.date:
    """A recorded authorisation date; a year alone is taken as 1 July of that year."""
    return datetime.date(value, 7, 1) if isinstance(value, int) else value


class BlockInfo(NamedTuple):
    """One recorded issuance: its project key, tonnes, and where its units sit."""
    index: int
    activity: str            # the project key ``{programme}-{project}``
    vintage: int
    quantity: int            # whole tonnes
    first: int               # internal serials first..last
    serials: Optional[SerialRange]


class Book:
    """Recorded history of a model: blocks, holders and the dated steps."""

    def __init__(self, model, issues: Optional[list] = None):
        m = self.model = model
        self.cal = Calendar(m.period.start, m.period.end)
        factor = UNIT_FACTORS[m.units]
        self.tonnes = lambda v: to_tonnes(v, factor)
        # registries move whole units: a recorded quantity must be whole tonnes once converted
        self.whole = lambda v: (exact(v) * factor).denominator == 1
        self.programmes = {i.programme for i in m.issuances} | {MECHANISM}
        self.projects: dict[str, tuple[str, str]] = {}          # key -> (programme, project)
        self.blocks: list[BlockInfo] = []
        self.by_prefix: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # prefix -> (ext first, ext last, block)
        steps = []
        for aid, a in m.authorisations.items():
            steps.append((self.effective_day(aid), 0, aid))
        order = sorted(range(len(m.issuances)), key=lambda i: (m.issuances[i].date, i))
        next_serial: dict[tuple[str, int], int] = defaultdict(lambda: 1)
        blocks: dict[int, BlockInfo] = {}
        for i in order:
            iss = m.issuances[i]
            key = f"{iss.programme}-{iss.project}"
            self.projects[key] = (iss.programme, iss.project)
            q = self.tonnes(iss.quantity)
            rng = parse_serials(iss.serials)[0] if iss.serials else None
            first = next_serial[(key, iss.vintage)]
            next_serial[(key, iss.vintage)] = first + max(q, 0)
            blocks[i] = BlockInfo(i, key, iss.vintage, q, first, rng)
            steps.append((self.cal.day_of(iss.date), 1, i))
            if rng is not None:
                self.by_prefix[rng.prefix].append((rng.first, rng.last, i))
        self.blocks = [blocks[i] for i in range(len(m.issuances))]
        for spans in self.by_prefix.values():
            spans.sort()
        for i, t in enumerate(m.transactions):
            steps.append((self.cal.day_of(t.date), 2, i))
        steps.sort(key=lambda s: (s[0], s[1], s[2] if isinstance(s[2], int) else -1))
        self.steps = steps
        # (activity, vintage) -> sorted internal firsts and their blocks, to write serials back
        self._internal: dict[tuple[str, int], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        for b in sorted(self.blocks, key=lambda b: b.first):
            firsts, idx = self._internal[(b.activity, b.vintage)]
            firsts.append(b.first)
            idx.append(b.index)

    def effective_day(self, aid: str) -> int:
        """The day an authorisation takes effect: its date, or the host's initial report
        if that is later (2/CMA.3 annex para 18); never before the first simulated day."""
        a = self.model.authorisations[aid]
        date = authorisation_date(a.date)
        host = self.model.parties.get(a.host)
        report = host.initial_report if host is not None else None
        if report is not None and report > date:
            date = report
        return max(self.cal.day_of(date), 0)

    # --- holders ------------------------------------------------------------------
    def kind_of(self, holder: str) -> Optional[str]:
        """``party``, ``entity``, ``programme``, or None for an unknown holder."""
        m = self.model
        if holder in m.parties:
            return "party"
        if holder in m.entities:
            return "entity"
        if holder in self.programmes:
            return "programme"
        return None

    def registry_of(self, holder: str) -> str:
        ent = self.model.entities.get(holder)
        return ent.country if ent else holder

    def holding(self, holder: str) -> str:
        ent = self.model.entities.get(holder)
        return f"{ent.country}:entity:{holder}" if ent else f"{holder}:holding"

    def use_account(self, holder: str, kind: str) -> str:
        return f"{self.holding(holder)}:{kind}" if holder in self.model.entities else f"{holder}:{kind}"

    def open_accounts(self, reg, holder: str) -> None:
        """Open the holding, use and cancellation accounts of a holder (idempotent)."""
        registry, owner = self.registry_of(holder), holder
        reg.open(self.holding(holder), registry, owner, "holding")
        for kind in ("ndc-use", "oimp-use", "voluntary-cancellation", "omge-cancellation"):
            if kind == "ndc-use" and holder not in self.model.parties:
                continue
            reg.open(self.use_account(holder, kind), registry, owner, kind)

    def holders(self) -> set[str]:
        m = self.model
        out = {i.holder or i.programme for i in m.issuances}
        for t in m.transactions:
            out.update(h for h in (t.from_holder, t.to, t.holder) if h)
        return {h for h in out if self.kind_of(h)}

    # --- serials --------------------------------------------------------------------
    def internal_range(self, rng: SerialRange) -> Optional[tuple[str, int, int, int]]:
        """``(activity, vintage, first, last)`` inside the registry for a named serial range,
        or None if no single recorded block holds it."""
        spans = self.by_prefix.get(rng.prefix)
        if not spans:
            return None
        j = bisect.bisect_right(spans, (rng.first, float("inf"), 0)) - 1
        if j < 0:
            return None
        ext_first, ext_last, i = spans[j]
        if rng.last > ext_last:
            return None
        b = self.blocks[i]
        offset = b.first - ext_first
        return b.activity, b.vintage, rng.first + offset, rng.last + offset

    def external(self, activity: str, vintage: int, first: int, last: int) -> str:
        """The serial range string of internal serials (empty if the block named none)."""
        ext = self.external_range(activity, vintage, first, last)
        return ext[0] if ext else ""

    def external_range(self, activity: str, vintage: int, first: int, last: int):
        """``(serial range string, first, last)`` in the programme's numbering of internal
        serials ``first..last``, or None if their block named no serials."""
        firsts, idx = self._internal.get((activity, vintage), ([], []))
        j = bisect.bisect_right(firsts, first) - 1
        if j < 0:
            return None
        b = self.blocks[idx[j]]
        if b.serials is None or last >= b.first + b.quantity:
            return None
        shift = b.serials.first - b.first
        return (format_serials(b.serials.prefix, b.serials.style, first + shift, last + shift),
                first + shift, last + shift)
