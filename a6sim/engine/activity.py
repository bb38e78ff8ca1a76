"""Activities: each vintage year ends, units are issued after the lag.

Art. 6.4 issuances pass the waterfall of 3/CMA.3 annex: share of proceeds to the
Adaptation Fund (default 5%), OMGE cancellation (at least 2%) and, for removals, the
buffer share, each computed on the gross issuance and rounded down on its own
(docs/how-a6sim-counts.md: 10,000 issued -> 500 + 200 cancelled, 9,300 left); with
``settings.a64_omge_rounding: up`` the OMGE cancellation is rounded up instead, so it
is never below its share ("at least 2 per cent": 333 issued -> 16 + 7, 310 left).
What is left is offered, tranche by tranche, to the agreements drawing on it.
"""
from __future__ import annotations

from simpy.events import URGENT

from ..registry import MECHANISM, Status
from ..scenario.series import ratio
from .world import World, unauthorised_type

__all__ = ["ActivityActor", "deduction"]


def deduction(gross: int, share: tuple[int, int], up: bool = False) -> int:
    """Whole tonnes of a deduction: ``floor(gross * share)``, exact; ``share`` from :func:`ratio`.
    ``up``: ``ceil`` instead (``settings.a64_omge_rounding: up``, OMGE never below its share)."""
    return -(-gross * share[0] // share[1]) if up else gross * share[0] // share[1]


class ActivityActor:
    """One mitigation activity: a simpy process that issues each vintage."""

    def __init__(self, world: World, activity_id: str):
        self.world = world
        self.id = activity_id
        self.spec = world.model.activities[activity_id]
        self.account = world.activity_account(activity_id)
        self.unit_type = unauthorised_type(self.spec.mechanism, self.spec.authorised)
        self.takers: list = []   # engine Agreements drawing on this activity, in file order
        settings = world.model.settings
        self.waterfall = []      # (share, account, action, purpose), each on the gross issuance
        self.omge_up = settings.a64_omge_rounding == "up"   # "at least 2 per cent" to the tonne
        if self.spec.mechanism == "6.4":
            self.waterfall += [(ratio(settings.a64_sop_share), f"{MECHANISM}:adaptation-fund", "adaptation-fund", "SOP"),
                               (ratio(settings.a64_omge_share), world.pool(activity_id, "omge-cancellation"),
                                "cancellation", "OMGE")]
        if self.spec.buffer_share > 0:
            self.waterfall.append((ratio(self.spec.buffer_share), world.pool(activity_id, "buffer"), "buffer", "buffer"))
        self.new_status = Status(self.unit_type)
        self._plan = None      # the (vintage, day) issuances still to come
        self._vintage = None   # the vintage of the issuance waited for
        world.env.call_in(0, self._start, URGENT)   # where a process started here takes its first step

    def issuance_days(self):
        """(vintage, day) of every issuance that falls inside the simulated period."""
        cal, lag = self.world.cal, self.spec.issuance_lag_days
        out = []
        for v in range(self.spec.vintages[0], self.spec.vintages[1] + 1):
            day = cal.year_end(v) + lag   # 31 December of the vintage, plus the lag
            if 0 <= day <= cal.last_day:
                out.append((v, day))
        return out

    # A chain of calls on the clock (no simpy process to resume at each issuance):
    # each issuance's call is queued when the one before it has run, as a process
    # looping over the issuances would, so events of one day keep the same order.
    def _start(self) -> None:
        self._plan = iter(self.issuance_days())
        self._wait()

    def _wait(self) -> None:
        nxt = next(self._plan, None)
        if nxt is not None:
            env = self.world.env
            self._vintage = nxt[0]
            env.call_in(nxt[1] - env._now, self._fire)

    def _fire(self) -> None:
        self.issue(self._vintage)
        self._wait()

    def issue(self, vintage: int) -> None:
        w, spec = self.world, self.spec
        gross = w.outcomes.credited[(self.id, vintage)]
        if gross <= 0:
            return
        reg, day = w.registry, w.day
        lot = reg.issue(day, spec.host, self.id, vintage, gross, self.account, self.new_status)
        for share, to_account, action, purpose in self.waterfall:
            quantity = deduction(gross, share, up=self.omge_up and purpose == "OMGE")
            if quantity > 0 and lot is not None:
                if purpose == "OMGE":   # A6.4ERs of an activity whose host authorises them (not MCUs)
                    w.cancel_for_omge(lot, self.account, to_account, min(quantity, lot.quantity), spec.authorised)
                else:
                    reg.move(day, lot, self.account, to_account, min(quantity, lot.quantity), action, purpose=purpose)
                lot = reg.lots[self.account].get((self.id, vintage, lot.block.first + quantity))
        if lot is not None:
            self.offer(lot, vintage)

    def offer(self, lot, vintage: int) -> None:
        """Split the net issuance into the agreements' tranches (share of the net, within cap)."""
        net = lot.quantity
        day, lots = self.world.day, self.world.registry.lots[self.account]
        for agreement in self.takers:
            block = lot[0]
            first, size = block[3], block[4] - block[3] + 1
            want = min(agreement.tranche_size(net, vintage, day), size)
            if want <= 0:
                continue
            agreement.receive(lot, want, self.account)   # takes the first `want` units
            if want == size:
                return
            lot = lots[(self.id, vintage, first + want)]
