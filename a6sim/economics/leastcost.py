"""The least-cost mode: a buyer abates at home while that is cheaper than the ITMO price.

For a party with a curve and an NDC that acquires units for NDC use:

* ``P`` = what it pays per unit delivered to it, share of proceeds in money
  included (``value * (1 + sop.value) / units``);
* ``w`` = how much one unit used lowers the balance that counts: 1, or
  ``1/divisor`` for the averaging method (the average of the period's uses is applied
  to the target year, 2/CMA.3 annex para 7(a)(ii));
* ``G0`` = the gap its NDC leaves if it used no unit at all;
* it abates every tonne whose marginal cost is below ``P / w`` (a budget: in every
  year of the period; a single-year NDC: in the target year) and buys
  ``n = min(units delivered, max(0, (G0 - abated) / w))`` units, the rest of its gap;
* it buys only those: every agreement delivering to it keeps the share ``n /
  delivered`` of its deliveries, payments and share of proceeds, and each host's
  first transfers under it (hence its corresponding adjustments) shrink by the same
  share, year by year (the ledger's attribution: vintage or first-transfer year).

The ledger is not changed: this mode re-prices the simulated deals, it does not rerun
them. Per-year targets are treated as their sum here (a simplification the docs state).
"""
from __future__ import annotations

from collections import defaultdict

from .costs import deals_rows, party_inputs

__all__ = ["least_cost_rows", "least_cost_shares"]


def _ndc_agreements(sc, buyer: str) -> list[str]:
    out = []
    for gid, ag in sc.model.agreements.items():
        if ag.buyer == buyer and (ag.use.purpose or "NDC") == "NDC" and ag.authorisation is not None \
                and ag.authorisation.purpose != "OIMP":
            out.append(gid)
    return out


def _weight(spec, years) -> float:
    if spec.method != "averaging":
        return 1.0
    elapsed = [y for y in spec.years if y <= max(years)]
    return 1.0 / (len(elapsed) if spec.divisor == "elapsed" else len(spec.years))


def _counted_gap(spec, bal: dict) -> float | None:
    if spec.type == "single-year":
        return float(bal[spec.target_year]) - spec.target if spec.target_year in bal else None
    if any(y not in bal for y in spec.years):
        return None
    target = spec.target if spec.method == "budget" else sum(spec.targets.values())
    return float(sum(bal[y] for y in spec.years)) - target


def least_cost_shares(results) -> tuple[dict, dict]:
    """``(scale, balances)``: the share of each agreement bought, and the balances that follow."""
    sc = results.scenario
    curves, reference, inventory, balance, specs = party_inputs(results)
    used = defaultdict(dict)
    for r in results._balances:
        used[r["party"]][r["year"]] = r["used"]
    delivered, value = defaultdict(float), defaultdict(float)
    for _, _, _, g, q, v in results.world.flows:
        delivered[g] += q
        value[g] += v * (1 + sc.model.agreements[g].sop.value)
    scale, override = {}, {p: dict(balance[p]) for p in balance}
    for b, spec in specs.items():
        gids = [g for g in _ndc_agreements(sc, b) if delivered[g] > 0]
        if spec is None or not gids:
            continue
        years = sorted(curves[b])
        w = _weight(spec, years)
        bal0 = dict(balance[b])
        if spec.method == "averaging":
            bal0[spec.target_year] += sum(used[b].get(y, 0) for y in spec.years) * w
        else:
            for y in bal0:
                bal0[y] += used[b].get(y, 0)
        gap0 = _counted_gap(spec, bal0)
        if gap0 is None:
            continue
        units = sum(delivered[g] for g in gids)
        price = sum(value[g] for g in gids) / units
        q0 = {y: float(max(0, reference[b][y] - inventory[b][y])) for y in years}
        ndc_years = [spec.target_year] if spec.type == "single-year" else [y for y in spec.years if y in q0]
        home = sum(max(0.0, curves[b][y].abatement_at(price / w)[0] - q0[y]) for y in ndc_years)
        n = min(units, max(0.0, (max(gap0, 0.0) - home) / w))
        k = n / units
        for g in gids:
            scale[g] = k
        last = spec.target_year if spec.type == "single-year" else spec.last
        bal0[last] -= n * w
        override[b] = bal0
    _shrink_hosts(results, scale, override, specs)
    return scale, override


def _shrink_hosts(results, scale: dict, override: dict, specs: dict) -> None:
    """Each host's balances lose the first transfers of the share of its deliveries not bought."""
    if not scale:
        return
    sc = results.scenario
    led = results.ledger
    ft = led[led["first_transfer"].astype(bool) & led["agreement"].isin(list(scale))]
    if sc.model.settings.ca_attribution == "vintage":
        years = ft["vintage"]
    else:
        years = ft["date"].dt.year
    lost = defaultdict(float)
    for g, y, q in zip(ft["agreement"], years, ft["quantity"]):
        lost[(sc.model.agreements[g].seller, int(y))] += (1 - scale[g]) * q
    for (host, y), q in lost.items():
        if host not in override or not sc.model.parties[host].corresponding_adjustments:
            continue
        spec = specs.get(host)
        if spec is not None and spec.method == "averaging":
            if spec.first <= y <= spec.last and spec.target_year in override[host]:
                override[host][spec.target_year] -= q * _weight(spec, list(override[host]))
        elif y in override[host]:
            override[host][y] -= q


def least_cost_rows(results) -> list[dict]:
    """Rows of economics.csv in the least-cost mode."""
    scale, override = least_cost_shares(results)
    return deals_rows(results, "least-cost", override, scale)
