"""The market mode: the ITMO price at which supply and demand clear, year by year.

Among the parties with an abatement cost curve and an NDC, in each year ``y``:

* ``G[p]``: what party ``p`` must cut below its inventory that year
  (:func:`a6sim.economics.compliance.yearly_obligations`; negative: headroom);
* at a price ``P`` each party abates ``e[p](P)``: every tonne beyond what its
  inventory already holds whose marginal cost is at most ``P``; its ITMO position is
  ``x[p] = e[p] - G[p]`` (positive: it sells, negative: it buys);
* the market clears where excess demand ``D(P) = sum(G) - sum(e(P))`` is 0 (found by
  :func:`a6sim.economics.solve.share`: brentq, ``xtol`` 1e-12 per tCO2e). All parties'
  marginal costs are then equal to ``P``: the total cut is made where it is cheapest.

Without Article 6 (autarky) each party meets its own NDC at home, at least cost
(:func:`~a6sim.economics.compliance.needed_abatement` with no adjustments; for a
single-year NDC or per-year targets that is ``max(G, 0)`` in each year). The gain from
cooperation is ``autarky cost - (abatement cost + P*bought - P*sold)``, per party and
in total. The scenario's agreements play no part in this mode.

When nothing clears, it says so in ``summary.json``: ``surplus`` (supply exceeds
demand even at a zero price: the price is 0 and sellers sell pro rata) or
``no-clear`` (demand exceeds what every curve can abate at any price: the best price
found is the highest marginal cost at capacity, and buyers get supply pro rata).
"""
from __future__ import annotations

from .compliance import needed_abatement, yearly_obligations
from .costs import party_inputs
from .solve import RTOL, XTOL, share

__all__ = ["market_rows", "clear_year", "METHOD"]

METHOD = f"scipy.optimize.brentq on excess demand, xtol {XTOL:g} per tCO2e, rtol {RTOL:g}"


def clear_year(items: list, needs: list[float]) -> dict:
    """Clear one year's market. ``items``: ``[(curve, q0)]``; ``needs``: ``G`` per party.

    Returns ``price``, ``status`` (cleared | surplus | no-clear | no-trade), ``extra``
    (tonnes abated beyond q0), ``bought``, ``sold`` (per party), ``traded``,
    ``excess_demand`` (tonnes unserved), ``residual`` (solver tolerance, tonnes).
    """
    need = sum(needs)
    res = share(items, need)
    extra = list(res.extra)
    price = res.price if res.price is not None else 0.0
    pos = [e - g for e, g in zip(extra, needs)]
    demand = sum(-x for x in pos if x < 0)
    supply = sum(x for x in pos if x > 0)
    status = "cleared"
    bought = [max(-x, 0.0) for x in pos]
    sold = [max(x, 0.0) for x in pos]
    if need <= 0:
        status = "surplus" if demand > 0 else "no-trade"
        k = demand / supply if supply else 0.0
        sold = [s * k for s in sold]
        price = 0.0 if demand > 0 else None
    elif res.unmet > 0:
        status = "no-clear"
        k = supply / demand if demand else 0.0
        bought = [b * k for b in bought]
    traded = sum(sold)
    return {"price": price, "status": status, "extra": extra, "bought": bought, "sold": sold,
            "traded": traded, "excess_demand": max(0.0, demand - supply) if status == "no-clear" else 0.0,
            "residual": res.residual, "iterations": res.iterations}


def market_rows(results) -> tuple[list[dict], dict]:
    """Rows of economics.csv in the market mode and the ``market`` part of summary.json."""
    curves, reference, inventory, _, specs = party_inputs(results)
    q0 = {p: {y: float(max(0, reference[p][y] - inventory[p][y])) for y in by} for p, by in curves.items()}
    obligations = {p: yearly_obligations(specs[p], inventory[p]) for p in curves}
    years = sorted({y for ob in obligations.values() for y in ob})
    cleared, per = {}, {}
    for y in years:
        parties = [p for p in curves if y in obligations[p]]
        out = clear_year([(curves[p][y], q0[p][y]) for p in parties], [obligations[p][y] for p in parties])
        cleared[y] = out
        for i, p in enumerate(parties):
            per[(p, y)] = (out["extra"][i], out["bought"][i], out["sold"][i], out["price"])
    rows = []
    for p, by_year in curves.items():
        autarky = needed_abatement(specs[p], {y: inventory[p][y] for y in by_year}, by_year, q0[p])
        for y, curve in by_year.items():
            extra, bought, sold, price = per.get((p, y), (0.0, 0.0, 0.0, None))
            need0, unmet0 = autarky.extra.get(y, 0.0), autarky.unmet.get(y, 0.0)
            total, total0 = q0[p][y] + extra, q0[p][y] + need0
            cost, cost0 = curve.cost(total), curve.cost(total0)
            paid, revenue = (price or 0.0) * bought + 0.0, (price or 0.0) * sold + 0.0
            net = cost + paid - revenue
            ob = obligations[p].get(y)
            unmet = max(0.0, (ob or 0.0) - extra - bought) if ob is not None else 0.0
            rows.append({
                "party": p, "year": y, "mode": "market", "price": price, "reference": float(reference[p][y]),
                "abatement_activities": q0[p][y], "abatement_needed": extra, "abatement": total,
                "marginal_cost": curve.mac(total), "abatement_cost": cost, "itmo_acquired": bought,
                "itmo_paid": paid, "sop_paid": 0.0, "itmo_transferred": sold, "itmo_revenue": revenue,
                "sop_received": 0.0, "net_cost": net, "abatement_needed_no_deals": need0,
                "abatement_cost_no_deals": cost0, "net_cost_no_deals": cost0, "saving": cost0 - net,
                "adjustment_abatement": extra - need0, "adjustment_cost": cost - cost0,
                "unmet": unmet if unmet > 1e-6 else 0.0, "unmet_no_deals": unmet0,
            })
    return rows, _summary(cleared)


def _summary(cleared: dict) -> dict:
    years, messages = {}, []
    for y, out in cleared.items():
        price = None if out["price"] is None else round(out["price"], 6)
        years[str(y)] = {"price": price, "status": out["status"], "traded": round(out["traded"], 3)}
        if out["status"] == "no-clear":
            years[str(y)]["excess_demand"] = round(out["excess_demand"], 3)
            messages.append(f"{y}: the market cannot clear: demand exceeds what every curve can abate at any price "
                            f"by {out['excess_demand']:,.0f} t; best price found {out['price']:,.2f} (every curve "
                            "at its capacity); buyers get the supply pro rata")
        elif out["status"] == "surplus":
            messages.append(f"{y}: supply exceeds demand even at a zero price: the price is 0 and sellers sell "
                            "pro rata")
    return {"method": METHOD, "years": years, "messages": messages}
