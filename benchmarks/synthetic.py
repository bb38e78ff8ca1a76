"""Synthetic a6sim worlds for benchmarks and smoke tests.

``synthetic_world(parties, activities, agreements, years, seed)`` returns a scenario
*dict* (scenario format version 1, see the README) that
``a6sim.scenario_from_dict`` accepts. The same arguments always give the same dict
(one ``random.Random(seed)``, no set or hash ordering anywhere).

The mix aims at what a large real run looks like, and touches every engine path:

* a third of the parties are buyers with NDCs: multi-year budgets (and a few
  per-year targets), single-year trajectory and single-year averaging; their NDC
  periods are the first ten simulated years or a later five-to-ten-year window;
* the other parties host activities and have single-year NDCs (mostly trajectory,
  some averaging), many with an initial report date, a few with the
  ``corresponding_adjustments: false`` teaching switch;
* activities: about 80 % Art. 6.2 and 20 % Art. 6.4 (some of those mitigation
  contribution units, ``authorised: false``); about 12 % removals, most with a
  buffer share; outcome maps, outcome variability, baseline declines, lags vary;
* agreements: each draws on 1-3 activities of its seller with shares that sum to at
  most 1 per activity, most with a cap, many with a voluntary share of proceeds and
  OMGE (either timing); NDC, "NDC and OIMP" and OIMP authorisations (all three OIMP
  first-transfer definitions), a few unauthorised deliveries to voluntary buyers; all
  four use policies;
* entities: OIMP users (airlines) and voluntary buyers;
* events: a few revocations (both scopes) and reversals (avoidable or not).

Quantities are written in MtCO2e with at most 4 decimals (whole tonnes once
converted) so the scenario is exactly representable.
"""
from __future__ import annotations

import datetime
import random
from itertools import product
from string import ascii_uppercase

__all__ = ["synthetic_world", "TARGET_SIZE"]

TARGET_SIZE = {"parties": 150, "activities": 3000, "agreements": 1500, "years": 15}

FIRST_YEAR = 2021
SECTORS = ("Energy generation", "Energy efficiency", "Transport", "Waste", "Agriculture",
           "Forestry and land use", "Industrial processes", "Cookstoves", "Direct air capture")
_CODES = ["".join(c) for c in product(ascii_uppercase, repeat=3)]


def _day(rng: random.Random, first_year: int, last_year: int) -> datetime.date:
    """A random date between 1 January of ``first_year`` and 31 December of ``last_year``."""
    start = datetime.date(first_year, 1, 1)
    span = (datetime.date(last_year, 12, 31) - start).days
    return start + datetime.timedelta(days=rng.randint(0, span))


def _mt(x: float, places: int = 4) -> float:
    """A quantity in MtCO2e with at most ``places`` decimals."""
    return round(x, places)


def _series(first: int, last: int, v0: float, v1: float) -> dict[int, float]:
    return {first: _mt(v0, 3)} if first == last else {first: _mt(v0, 3), last: _mt(v1, 3)}


def synthetic_world(parties: int = 150, activities: int = 3000, agreements: int = 1500,
                    years: int = 15, seed: int = 1) -> dict:
    """A deterministic synthetic scenario dict of the given size.

    ``parties`` >= 2 (at least one buyer and one host), ``years`` >= 3; ``activities``
    and ``agreements`` >= 0. Entities come on top of ``parties`` (about one per 50
    agreements, at least 2 when there are agreements).
    """
    if parties < 2:
        raise ValueError("parties must be >= 2 (a buyer and a host)")
    if years < 3:
        raise ValueError("years must be >= 3")
    if activities < 0 or agreements < 0:
        raise ValueError("activities and agreements must be >= 0")
    if parties > len(_CODES):
        raise ValueError(f"at most {len(_CODES)} parties")
    rng = random.Random(seed)
    start, end = FIRST_YEAR, FIRST_YEAR + years - 1

    codes = [_CODES[i] for i in rng.sample(range(len(_CODES)), parties)]
    n_buyers = max(1, parties // 3)
    buyers, hosts = codes[:n_buyers], codes[n_buyers:]

    world_parties: dict[str, dict] = {}
    ndc_period: dict[str, tuple[int, int]] = {}
    # --- buyers: NDCs they need units for --------------------------------------
    for i, p in enumerate(buyers):
        e0 = rng.uniform(20, 400)
        e1 = e0 * rng.uniform(0.85, 1.0)
        if rng.random() < 0.7 or years < 10:
            first, last = start, min(start + 9, end)
        else:                                   # a later NDC, may run past the simulation
            first = rng.randint(start + 3, min(start + 6, end))
            last = first + rng.choice((4, 9))
        ndc_period[p] = (first, last)
        n = last - first + 1
        ambition = rng.uniform(0.02, 0.10)      # how far below its emissions the buyer aims
        kind = i % 8
        if kind in (0, 1, 2):
            ndc = {"type": "multi-year", "period": [first, last], "budget": _mt(e0 * n * (1 - ambition), 3)}
        elif kind == 3:
            ndc = {"type": "multi-year", "period": [first, last],
                   "targets": _series(first, last, e0 * (1 - ambition / 2), e1 * (1 - ambition))}
            if first == last:
                ndc["targets"] = {first: _mt(e0 * (1 - ambition), 3)}
        elif kind in (4, 5):
            target = _mt(e1 * (1 - ambition), 3)
            ndc = {"type": "single-year", "period": [first, last], "target_year": last, "target": target,
                   "method": "trajectory", "trajectory": _series(first, last, e0, target)}
        else:
            ndc = {"type": "single-year", "period": [first, last], "target_year": last,
                   "target": _mt(e1 * (1 - ambition), 3), "method": "averaging",
                   "averaging_divisor": "elapsed" if kind == 6 else "period"}
        party = {"name": f"Buyer {p}", "emissions": _series(start, end, e0, e1), "ndc": ndc}
        if rng.random() < 0.3:
            party["initial_report"] = _day(rng, start, start + 1)
        world_parties[p] = party
    # --- hosts: single-year NDCs ---------------------------------------------------
    for p in hosts:
        e0 = rng.uniform(5, 200)
        e1 = e0 * rng.uniform(0.9, 1.15)
        first, last = start, min(start + 9, end)
        ndc_period[p] = (first, last)
        target = _mt(e1 * rng.uniform(0.85, 1.0), 3)
        if rng.random() < 0.8:
            ndc = {"type": "single-year", "period": [first, last], "target_year": last, "target": target,
                   "method": "trajectory", "trajectory": _series(first, last, e0, target)}
        else:
            ndc = {"type": "single-year", "period": [first, last], "target_year": last, "target": target,
                   "method": "averaging"}
        party = {"name": f"Host {p}", "emissions": _series(start, end, e0, e1), "ndc": ndc}
        if rng.random() < 0.7:
            party["initial_report"] = _day(rng, start, start + 2)
        if rng.random() < 0.03:
            party["corresponding_adjustments"] = False
        world_parties[p] = party

    # --- entities ----------------------------------------------------------------------
    entities: dict[str, dict] = {}
    n_entities = 0 if agreements == 0 else max(2, agreements // 50)
    for i in range(n_entities):
        if i % 10 < 7:
            eid, kind, name = f"airline-{i:03d}", "oimp-user", f"Airline {i}"
        else:
            eid, kind, name = f"voluntary-{i:03d}", "voluntary-buyer", f"Voluntary buyer {i}"
        entities[eid] = {"name": name, "kind": kind, "country": rng.choice(buyers)}
    oimp_users = [e for e, v in entities.items() if v["kind"] == "oimp-user"]
    voluntary = [e for e, v in entities.items() if v["kind"] == "voluntary-buyer"]

    # --- activities --------------------------------------------------------------------
    host_weight = [rng.paretovariate(1.5) for _ in hosts]     # a few big hosts, many small ones
    world_activities: dict[str, dict] = {}
    by_host: dict[str, list[str]] = {h: [] for h in hosts}
    expected: dict[str, float] = {}            # rough issuance per activity (Mt), for caps
    removals: list[str] = []
    for i in range(activities):
        host = rng.choices(hosts, weights=host_weight)[0]
        aid = f"act-{i:05d}"
        mech = "6.4" if rng.random() < 0.2 else "6.2"
        removal = rng.random() < 0.12 or (i == 0 and activities >= 5)
        first = rng.randint(start, min(start + 4, end - 1))
        last = rng.randint(min(first + 2, end), end)
        per_year = _mt(min(2.0, max(0.002, rng.lognormvariate(-2.5, 1.1))))
        act = {"host": host, "mechanism": mech, "kind": "removal" if removal else "reduction",
               "sector": "Forestry and land use" if removal else rng.choice(SECTORS),
               "vintages": [first, last]}
        if rng.random() < 0.1:
            act["outcome"] = {v: _mt(per_year * rng.uniform(0.7, 1.3)) for v in range(first, last + 1)}
        else:
            act["outcome"] = per_year
        if mech == "6.4":
            if rng.random() < 0.3:
                act["baseline_decline"] = rng.choice((0.01, 0.02, 0.03))
            if rng.random() < 0.1:
                act["authorised"] = False
        elif rng.random() < 0.15:
            act["baseline_decline"] = 0.01
        if rng.random() < 0.2:
            act["outcome_variability"] = rng.choice((0.05, 0.1, 0.2))
        act["issuance_lag_days"] = rng.randint(60, 400)
        if rng.random() < 0.1:
            act["in_ndc_scope"] = False
        if removal:
            removals.append(aid)
            if rng.random() < 0.85:
                act["buffer_share"] = rng.choice((0.1, 0.15, 0.2))
        world_activities[aid] = act
        by_host[host].append(aid)
        expected[aid] = per_year * (last - first + 1)

    # --- agreements --------------------------------------------------------------------
    share_left = {a: 100 for a in world_activities}            # per cent still free per activity
    hosts_with_acts = [h for h in hosts if by_host[h]]
    world_agreements: dict[str, dict] = {}
    authorised_agreements: list[str] = []
    for i in range(agreements if hosts_with_acts else 0):
        gid = f"ag-{i:05d}"
        r = rng.random()
        if r < 0.85 or not entities:
            buyer, buyer_kind = rng.choice(buyers), "party"
        elif r < 0.95 and oimp_users:
            buyer, buyer_kind = rng.choice(oimp_users), "oimp-user"
        else:
            buyer, buyer_kind = rng.choice(voluntary or oimp_users), "voluntary"
        authorised = not (buyer_kind == "voluntary" and rng.random() < 0.5)
        # the seller: a host with free share left (a few tries, then anyone)
        seller = rng.choice(hosts_with_acts)
        for _ in range(10):
            free = [a for a in by_host[seller] if share_left[a] > 0
                    and not (authorised and world_activities[a].get("authorised") is False)]
            if free:
                break
            seller = rng.choice(hosts_with_acts)
        else:
            free = []
        if buyer == seller:   # cannot happen (buyers and hosts are disjoint), kept for safety
            continue
        if free:
            chosen = rng.sample(free, min(len(free), rng.choice((1, 1, 2, 2, 3))))
            room = min(share_left[a] for a in chosen)
            pct = min(room, rng.choice((10, 20, 25, 30, 40, 50, 60, 100)))
            for a in chosen:
                share_left[a] -= pct
        else:   # every activity of the seller is fully taken: a zero-share agreement
            candidates = [a for a in by_host[seller]
                          if not (authorised and world_activities[a].get("authorised") is False)]
            if not candidates:
                authorised = False
                candidates = by_host[seller]
            chosen, pct = [rng.choice(candidates)], 0
        ag: dict = {"seller": seller, "buyer": buyer, "activities": chosen, "share": pct / 100}
        v_first = min(world_activities[a]["vintages"][0] for a in chosen)
        v_last = max(world_activities[a]["vintages"][1] for a in chosen)
        if buyer_kind == "party":
            nf, nl = ndc_period[buyer]
            lo, hi = max(v_first, nf), min(v_last, nl)
            if lo <= hi and rng.random() < 0.9:     # the rest buys vintages it may not use
                ag["vintages"] = [lo, hi]
                v_first, v_last = lo, hi
        if rng.random() < 0.7:
            share = pct / 100
            volume = sum(expected[a] for a in chosen) * share * rng.uniform(0.3, 1.2)
            ag["cap"] = _mt(max(volume, 0.001))
        if authorised:
            if buyer_kind == "party":
                purpose = "NDC and OIMP" if rng.random() < 0.15 else "NDC"
                auth = {"date": _day(rng, start, start + 2), "purpose": purpose}
            else:
                auth = {"date": _day(rng, start, start + 2), "purpose": "OIMP",
                        "first_transfer": rng.choice(("authorisation", "issuance", "use-or-cancellation"))}
            report = world_parties[seller].get("initial_report")
            if report is not None and auth["date"] < report and rng.random() < 0.85:
                # most hosts wait for their initial report (para 18); the rest is a violation
                auth["date"] = min(report + datetime.timedelta(days=rng.randint(0, 180)),
                                   datetime.date(end, 12, 31))
            ag["authorisation"] = auth
            authorised_agreements.append(gid)
        ag["transfer_lag_days"] = rng.randint(0, 120)
        if rng.random() < 0.3:
            ag["price"] = {start: round(rng.uniform(5, 20), 2), end: round(rng.uniform(15, 60), 2)}
        else:
            ag["price"] = round(rng.uniform(5, 40), 2)
        if authorised and rng.random() < 0.5:
            ag["sop"] = {"units": rng.choice((0.0, 0.02, 0.05)), "value": rng.choice((0.0, 0.05)),
                         "to": rng.choice(("adaptation-fund", "host-adaptation"))}
        if authorised and rng.random() < 0.4:
            ag["omge"] = {"units": rng.choice((0.02, 0.05)), "at": rng.choice(("issuance", "first-transfer"))}
        if buyer_kind == "party":
            ag["use"] = {"policy": rng.choices(("as-needed", "on-receipt", "year-end", "never"),
                                               weights=(40, 20, 25, 15))[0], "purpose": "NDC"}
        elif buyer_kind == "oimp-user":
            ag["use"] = {"policy": rng.choices(("on-receipt", "year-end", "never"), weights=(50, 40, 10))[0],
                         "purpose": "OIMP"}
        else:
            ag["use"] = {"policy": "on-receipt"}
        world_agreements[gid] = ag

    # --- events ------------------------------------------------------------------------
    events: list[dict] = []
    if authorised_agreements:
        for k, gid in enumerate(rng.sample(authorised_agreements,
                                           min(len(authorised_agreements), max(1, agreements // 250)))):
            events.append({"date": _day(rng, min(start + 2, end), end), "type": "revoke-authorisation",
                           "agreement": gid, "scope": "not-first-transferred" if k % 2 == 0 else "unissued"})
    for k, aid in enumerate(rng.sample(removals, min(len(removals), max(1, activities // 500)))):
        act = world_activities[aid]
        outcome = act["outcome"] if not isinstance(act["outcome"], dict) else min(act["outcome"].values())
        ev = {"date": _day(rng, act["vintages"][0] + 1, end), "type": "reversal", "activity": aid,
              "quantity": _mt(outcome * rng.uniform(0.05, 0.5)), "avoidable": k % 2 == 1}
        if ev["avoidable"] and rng.random() < 0.5:
            ev["replenish_within_days"] = rng.choice((180, 365, 730))
        if ev["date"] <= datetime.date(end, 12, 31):
            events.append(ev)
    events.sort(key=lambda e: (e["date"], e["type"]))

    return {
        "a6sim": 1,
        "name": f"synthetic world p{parties} a{activities} g{agreements} y{years} s{seed}",
        "description": "generated by benchmarks/synthetic.py",
        "units": "MtCO2e",
        "currency": "USD",
        "seed": seed,
        "period": {"start": start, "end": end},
        "parties": world_parties,
        "entities": entities,
        "activities": world_activities,
        "agreements": world_agreements,
        "events": events,
    }


if __name__ == "__main__":   # quick look: python benchmarks/synthetic.py 6 20 10 5 1
    import sys
    import a6sim
    args = [int(x) for x in sys.argv[1:]]
    world = synthetic_world(*args)
    sc = a6sim.scenario_from_dict(world)
    print(sc, {k: len(world[k]) for k in ("parties", "entities", "activities", "agreements", "events")})
