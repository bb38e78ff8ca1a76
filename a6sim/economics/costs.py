"""Compliance cost per party and year, with the deals and without them (docs/economics.md).

For a party with an abatement cost curve, in year ``y`` (tonnes, the file's currency):

* ``abatement_activities = reference - inventory``: what the modelled in-scope
  activities already cut (less reversals); it sits at the bottom of the curve;
* ``abatement_needed``: the extra domestic abatement the NDC still requires after the
  deals (:mod:`a6sim.economics.compliance`); ``abatement`` = the two together;
* ``abatement_cost = cost(abatement)``: the area under that year's curve;
* ``itmo_paid``, ``itmo_revenue``: value of the deliveries that year (flows.csv);
  ``sop_paid``: the share of proceeds in money (``sop.value`` x value), paid by the
  buyer on top of the price (as in the Singapore-Mongolia terms); ``sop_received``:
  that money when it goes to host adaptation (earmarked, so not netted);
* ``net_cost = abatement_cost + itmo_paid + sop_paid - itmo_revenue``;
* no deals: no first transfer and no use, so ``balance = inventory``; the
  abatement the NDC then requires, its cost, and ``saving = net_cost_no_deals -
  net_cost``;
* the host's dilemma: ``adjustment_abatement = abatement_needed -
  abatement_needed_no_deals`` (for a host, the extra cut its corresponding
  adjustments force), ``adjustment_cost`` its cost; a host gains when its revenue
  exceeds that cost (``saving > 0``).
"""
from __future__ import annotations

from collections import defaultdict

from .compliance import needed_abatement
from .curves import party_curves

__all__ = ["COLUMNS", "deals_rows", "money_by_party_year", "party_inputs"]

COLUMNS = ["party", "year", "mode", "price", "reference", "abatement_activities", "abatement_needed", "abatement",
           "marginal_cost", "abatement_cost", "itmo_acquired", "itmo_paid", "sop_paid", "itmo_transferred",
           "itmo_revenue", "sop_received", "net_cost", "abatement_needed_no_deals", "abatement_cost_no_deals",
           "net_cost_no_deals", "saving", "adjustment_abatement", "adjustment_cost", "unmet", "unmet_no_deals"]


def party_inputs(results):
    """``(curves, reference, inventory, balance, specs)`` per party with a curve, from a run."""
    sc = results.scenario
    curves = party_curves(sc)
    inventory = results.world.inventory
    balance = defaultdict(dict)
    for r in results._balances:
        balance[r["party"]][r["year"]] = r["emissions_balance"]
    reference = {p: sc.emissions(p) for p in curves}
    specs = {p: results.world.ndc.get(p) for p in curves}
    return curves, reference, inventory, balance, specs


def money_by_party_year(results, scale: dict | None = None) -> dict:
    """``{(party, year): {acquired, paid, sop_paid, transferred, revenue, sop_received}}`` from the flows.

    ``scale[agreement]`` (0..1) keeps that share of an agreement's deliveries (least-cost mode).
    """
    sc, year_of = results.scenario, results.world.cal.year_of
    out = defaultdict(lambda: defaultdict(float))
    for day, seller, buyer, agreement, quantity, value in results.world.flows:
        k = 1.0 if scale is None else scale.get(agreement, 1.0)
        if not k:
            continue
        y = year_of(day)
        sop = sc.model.agreements[agreement].sop
        sop_money = value * sop.value * k
        b, s = out[(buyer, y)], out[(seller, y)]
        b["acquired"] += quantity * k
        b["paid"] += value * k
        b["sop_paid"] += sop_money
        s["transferred"] += quantity * k
        s["revenue"] += value * k
        if sop.to == "host-adaptation":
            s["sop_received"] += sop_money
    return out


def deals_rows(results, mode: str = "deals", balance_override: dict | None = None,
               scale: dict | None = None) -> list[dict]:
    """One row per party with a curve and simulated year (columns :data:`COLUMNS`).

    ``balance_override[party]`` and ``scale`` replace the run's balances and deliveries
    (the least-cost mode uses them); by default, the deals as simulated.
    """
    curves, reference, inventory, balance, specs = party_inputs(results)
    money = money_by_party_year(results, scale)
    rows = []
    for p, by_year in curves.items():
        q0 = {y: float(max(0, reference[p][y] - inventory[p][y])) for y in by_year}   # reversals: not below 0
        bal = (balance_override or {}).get(p, balance[p])
        with_deals = needed_abatement(specs[p], bal, by_year, q0)
        no_deals = needed_abatement(specs[p], {y: inventory[p][y] for y in by_year}, by_year, q0)
        for y, curve in by_year.items():
            m = money.get((p, y), {})
            need, need0 = with_deals.extra.get(y, 0.0), no_deals.extra.get(y, 0.0)
            total, total0 = q0[y] + need, q0[y] + need0
            cost, cost0 = curve.cost(total), curve.cost(total0)
            paid, sop_paid, revenue = m.get("paid", 0.0), m.get("sop_paid", 0.0), m.get("revenue", 0.0)
            acquired, transferred = m.get("acquired", 0.0), m.get("transferred", 0.0)
            net = cost + paid + sop_paid - revenue
            price = (paid / acquired if acquired else revenue / transferred if transferred else None)
            rows.append({
                "party": p, "year": y, "mode": mode, "price": price, "reference": float(reference[p][y]),
                "abatement_activities": q0[y], "abatement_needed": need, "abatement": total,
                "marginal_cost": curve.mac(total), "abatement_cost": cost,
                "itmo_acquired": acquired, "itmo_paid": paid, "sop_paid": sop_paid,
                "itmo_transferred": transferred, "itmo_revenue": revenue,
                "sop_received": m.get("sop_received", 0.0), "net_cost": net,
                "abatement_needed_no_deals": need0, "abatement_cost_no_deals": cost0, "net_cost_no_deals": cost0,
                "saving": cost0 - net, "adjustment_abatement": need - need0, "adjustment_cost": cost - cost0,
                "unmet": with_deals.unmet.get(y, 0.0), "unmet_no_deals": no_deals.unmet.get(y, 0.0),
            })
    return rows
