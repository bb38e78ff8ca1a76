"""Per-party, per-year figures read off the ledger (pure; the ledger is the truth).

* first transfers are added for the vintage year (2/CMA.3 annex para 8(a)) or, with
  ``ca_attribution: first-transfer-year``, for the year they happened;
* uses count in the year of use (para 8(b)); a use after the end of an NDC period
  (the true-up) counts for the period's last year;
* both sides alike: with ``first-transfer-year``, a first transfer after the end of
  the host's NDC period counts for that period's last year too, as a use would
  (:func:`~a6sim.accounting.ndc.accounting_year`);
* with ``omge_adjustment`` (``settings.omge_host_adjustment``), the host adds the
  units cancelled for OMGE (``cancellation`` rows with purpose OMGE, except
  mitigation contribution units) for their vintage, in ``first_transferred`` (not in
  the OIMP part); they are not first transfers.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from .ndc import accounting_year

__all__ = ["LedgerFigures", "ledger_figures", "international_authorisations"]


def _dd():
    return defaultdict(int)


@dataclass
class LedgerFigures:
    """Aggregates of the ledger. Keys: ``(party, year)`` or ``year``."""
    first_transferred: dict = field(default_factory=_dd)       # (host, year)
    first_transferred_oimp: dict = field(default_factory=_dd)  # (host, year)
    used: dict = field(default_factory=_dd)                    # (party, year): NDC use
    used_oimp: dict = field(default_factory=_dd)               # (holder's registry, year)
    voluntary_cancelled: dict = field(default_factory=_dd)     # year
    double_claimed: dict = field(default_factory=_dd)          # year the use counts for
    omge_cancelled: dict = field(default_factory=_dd)          # year
    adaptation_fund_units: dict = field(default_factory=_dd)   # year (to the Adaptation Fund)
    host_adaptation_units: dict = field(default_factory=_dd)   # year (to host adaptation accounts)
    issued: dict = field(default_factory=_dd)                  # year
    buffered: dict = field(default_factory=_dd)                # year: units put in buffer pools
    reversal_cancelled: dict = field(default_factory=_dd)      # year


def international_authorisations(model) -> frozenset:
    """Ids of the recorded authorisations (format v2) that name no OIMP event met at the
    authorisation (definition ``international-transfer`` or ``use-or-cancellation``):
    when one of their ``authorization`` rows is a first transfer, the units were held
    abroad and it is their first international transfer (2/CMA.3 annex para 2)."""
    return frozenset(aid for aid, a in getattr(model, "authorisations", {}).items()
                     if a.first_transfer not in ("authorisation", "issuance"))


class _Added:
    """The first-transferred serial ranges of one activity's vintage, sorted.

    :meth:`covered` counts the serials of a range among them by bisection: a use of
    one serial out of a block first-transferred in thousands of pieces costs a few
    steps, not one per piece. Ranges are disjoint (a unit is first-transferred once);
    should two ever overlap, every range is counted, as a plain sum over all would."""

    __slots__ = ("firsts", "lasts", "disjoint")

    def __init__(self):
        self.firsts: list[int] = []
        self.lasts: list[int] = []
        self.disjoint = True

    def add(self, first: int, last: int) -> None:
        firsts, lasts = self.firsts, self.lasts
        i = bisect_right(firsts, first)
        if (i > 0 and lasts[i - 1] >= first) or (i < len(firsts) and firsts[i] <= last):
            self.disjoint = False
        firsts.insert(i, first)
        lasts.insert(i, last)

    def covered(self, first: int, last: int) -> int:
        """How many serials of ``first..last`` were first-transferred."""
        firsts, lasts = self.firsts, self.lasts
        if not self.disjoint:
            return sum(min(b, last) - max(a, first) + 1 for a, b in zip(firsts, lasts) if a <= last and b >= first)
        total, j = 0, bisect_right(firsts, last)   # ranges [0, j) start at or before ``last``
        while j > 0:   # disjoint and sorted: their ends are sorted too
            j -= 1
            b = lasts[j]
            if b < first:
                break
            total += min(b, last) - max(firsts[j], first) + 1
        return total


def ledger_figures(rows, accounts: dict, year_of, attribution: str, ndc_last: dict,
                   ca_enabled: dict, omge_adjustment: bool = False,
                   international_at_authorisation: frozenset = frozenset()) -> LedgerFigures:
    """Aggregate ledger rows.

    ``accounts``: account id -> :class:`~a6sim.registry.Account`; ``year_of``: day ->
    calendar year; ``ndc_last``: party -> its NDC periods (NdcSpecs or ``(first, last)``
    pairs; or the last year of its one period); ``ca_enabled``:
    party -> its teaching switch; ``international_at_authorisation``: authorisation ids
    whose units, when an ``authorization`` row first-transfers them, are first
    transferred internationally (they were held abroad, format v2), not under an OIMP
    definition (see :func:`international_authorisations`). A use (NDC or OIMP) is a double claim for the units
    its host did not add: all of them if the host skips its additions, otherwise those
    never first-transferred (docs/how-a6sim-counts.md, integrity figures).
    """
    f = LedgerFigures()
    by_vintage = attribution == "vintage"
    added: dict[tuple[str, int], _Added] = defaultdict(_Added)   # first-transferred serials
    day_year: dict[int, int] = {}   # day -> calendar year, computed once per day

    def year_on(day: int) -> int:
        y = day_year.get(day)
        if y is None:
            y = day_year[day] = year_of(day)
        return y

    # rows unpacked, not read by attribute: this pass reads every row of the ledger
    for (_seq, day, action, quantity, host, activity, vintage, first, last, unit_type, _from, to_account,
         _agreement, _purpose, first_transfer, use_year) in rows:
        if first_transfer:
            added[(activity, vintage)].add(first, last)
            year = vintage if by_vintage else accounting_year(ndc_last.get(host), year_on(day))
            f.first_transferred[(host, year)] += quantity
            if action != "first-transfer" and not (action == "authorization"
                                                   and _agreement in international_at_authorisation):
                f.first_transferred_oimp[(host, year)] += quantity   # triggered by an OIMP definition
        if action == "issuance":
            f.issued[year_on(day)] += quantity
            continue
        if action in ("use", "voluntary-cancellation"):
            to = accounts[to_account]
            year = year_on(day) if use_year is None else use_year
            if to.kind == "ndc-use":
                year = accounting_year(ndc_last.get(to.registry), year)   # a true-up: the period's last year
                f.used[(to.registry, year)] += quantity
            elif to.kind == "oimp-use":
                f.used_oimp[(to.registry, year)] += quantity
            else:
                f.voluntary_cancelled[year] += quantity
                continue
            if not ca_enabled.get(host, True):
                f.double_claimed[year] += quantity
            else:   # units its host never added (e.g. authorised for OIMP, used at home)
                covered = added[(activity, vintage)].covered(first, last)
                if covered < quantity:
                    f.double_claimed[year] += quantity - covered
        elif action == "cancellation":
            if accounts[to_account].kind == "omge-cancellation":
                f.omge_cancelled[year_on(day)] += quantity
                if omge_adjustment and unit_type != "MCU":   # the host adds the OMGE units too
                    year = vintage if by_vintage else accounting_year(ndc_last.get(host), year_on(day))
                    f.first_transferred[(host, year)] += quantity
        elif action == "adaptation-fund":
            kind = accounts[to_account].kind
            target = f.adaptation_fund_units if kind == "adaptation-fund" else f.host_adaptation_units
            target[year_on(day)] += quantity
        elif action == "buffer":
            f.buffered[year_on(day)] += quantity
        elif action == "reversal":
            f.reversal_cancelled[year_on(day)] += quantity
    return f
