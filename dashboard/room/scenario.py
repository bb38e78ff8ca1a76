"""The room's scenario: the file the room was made from, its signed deals as agreements
and the facilitator's events, through the public API (``a6sim.scenario_from_dict``,
``a6sim.simulate``) only.

The room keeps the file's parties, entities, activities, settings and events; the
file's own agreements are dropped, so that every agreement of the room comes from a
deal signed in it. A deal becomes an agreement (2/CMA.3 annex ch. II: the
cooperative approach with its authorisation, paras 1-2 and 18):

* ``authorisation.date``: 1 January of the round it was signed in, or the host's
  initial report date when that is later (annex para 18);
* ``share``: the share of each issuance bought; a deal by quantity takes the share
  ``quantity / planned outcome of its vintages`` and that quantity as its ``cap``;
* price, share of proceeds in units and value (annex ch. VII, para 37), OMGE share
  (voluntary cancellation, annex para 39), authorisation purpose and first-transfer
  definition (annex paras 1-2) as the offer said; delivery ``TRANSFER_LAG_DAYS`` after
  issuance.

Events: a wildfire is an unavoidable ``reversal`` of a removal activity; a revocation
is ``revoke-authorisation`` of a deal; a delivery shortfall lowers an activity's
outcome from a vintage on (the outcome becomes a map by vintage); a price shock
multiplies the price of the deals signed before it for deliveries from its year on
(contracts indexed to a market price; the price becomes a map by year).
"""
from __future__ import annotations

import copy
import datetime
import io
import tempfile
import threading
import zipfile
from collections import OrderedDict
from fractions import Fraction
from pathlib import Path

import yaml

import a6sim

__all__ = ["base_data", "room_data", "room_scenario", "agreement_of", "deal_id", "outcome_of",
           "room_outcome", "scenario_yaml", "results_zip", "planned_tonnes", "committed_share",
           "preview", "TRANSFER_LAG_DAYS"]

TRANSFER_LAG_DAYS = 30      # from issuance to delivery, every deal of the room
_LOCK = threading.Lock()
_BASE: "OrderedDict[str, dict]" = OrderedDict()
_RESULTS: "OrderedDict[str, dict]" = OrderedDict()
_KEEP = 64


def base_data(text: str, source: str = "room") -> dict:
    """The scenario file as plain data, without its agreements (validated; remembered)."""
    with _LOCK:
        if text in _BASE:
            _BASE.move_to_end(text)
            return copy.deepcopy(_BASE[text])
    data = a6sim.scenario_from_text(text, source=source).to_dict()
    data.pop("agreements", None)
    with _LOCK:
        _BASE[text] = data
        while len(_BASE) > _KEEP:
            _BASE.popitem(last=False)
    return copy.deepcopy(data)


def deal_id(number: int, seller: str, buyer: str) -> str:
    """The agreement id of the room's deal ``number``: ``deal-3-gha-che``."""
    return f"deal-{number}-{seller}-{buyer}".lower()[:64]


def agreement_of(terms: dict, seller: str, buyer: str, first_year: int, initial_report: str | None,
                 factor: int, planned: Fraction) -> dict:
    """The scenario agreement of a deal's terms (quantities in the scenario's units).

    ``planned`` is the planned outcome of the deal's vintages (tonnes): a deal by
    quantity takes ``quantity / planned`` of each issuance, capped at the quantity."""
    date = datetime.date(first_year, 1, 1)
    if initial_report:
        date = max(date, datetime.date.fromisoformat(initial_report))
    authorisation = {"date": date.isoformat(), "purpose": terms["purpose"]}
    if terms.get("first_transfer"):
        authorisation["first_transfer"] = terms["first_transfer"]
    if terms["mode"] == "quantity":
        share = _floor6(Fraction(a6sim_tonnes(terms["quantity"], factor)) / planned) if planned else 0.0
        cap = float(terms["quantity"])
    else:
        share, cap = float(terms["share"]), None
    ag = {"seller": seller, "buyer": buyer, "activities": [terms["activity"]], "share": share,
          "vintages": [int(terms["vintages"][0]), int(terms["vintages"][1])],
          "authorisation": authorisation, "transfer_lag_days": TRANSFER_LAG_DAYS,
          "price": float(terms["price"]),
          "sop": {"units": float(terms.get("sop_units", 0.0)), "value": float(terms.get("sop_value", 0.0)),
                  "to": terms.get("sop_to") or "adaptation-fund"},
          "omge": {"units": float(terms.get("omge", 0.0))}}
    if cap is not None:
        ag["cap"] = cap
    return ag


def a6sim_tonnes(value, factor: int) -> int:
    """A quantity in the scenario's units, in whole tonnes (halves rounded up)."""
    q = Fraction(str(value)) * factor
    return int((2 * q.numerator + q.denominator) // (2 * q.denominator))


def _floor6(x: Fraction) -> float:
    """A share rounded down to six decimals: never more than was available."""
    return (x.numerator * 1_000_000 // x.denominator) / 1_000_000


def planned_tonnes(data: dict, activity: str, first: int, last: int, factor: int) -> Fraction:
    """Planned outcome of ``activity``'s vintages ``first..last`` in tonnes (before deductions)."""
    outcome = data["activities"][activity]["outcome"]
    total = Fraction(0)
    for v in range(first, last + 1):
        value = outcome.get(v, outcome.get(str(v), 0)) if isinstance(outcome, dict) else outcome
        total += Fraction(str(value)) * factor
    return total


def committed_share(state: dict, activity: str, leave_out: str | None = None) -> Fraction:
    """Sum of the shares the room's deals take of ``activity`` (the scenario rule: at most 1)."""
    return sum((Fraction(str(d["agreement"]["share"])) for k, d in state["deals"].items()
                if d["agreement"]["activities"][0] == activity and k != leave_out), Fraction(0))


def room_data(state: dict, extra: dict | None = None) -> dict:
    """The room's scenario as plain data: the file, the deals, the events (and ``extra``
    agreements, for a preview)."""
    data = base_data(state["scenario_text"])
    data["name"] = f"{data['name']} (room {state['code']})"
    agreements = {d["agreement_id"]: copy.deepcopy(d["agreement"]) for d in state["deals"].values()}
    agreements.update(copy.deepcopy(extra or {}))
    for ag in agreements.values():          # kept as JSON in the room's state: ISO dates
        auth = ag.get("authorisation")
        if auth and isinstance(auth.get("date"), str):
            auth["date"] = datetime.date.fromisoformat(auth["date"])
    events = list(data.get("events", []))
    years = range(data["period"]["start"], data["period"]["end"] + 1)
    for ev in state["events"]:
        kind = ev["type"]
        if kind == "wildfire":
            events.append({"date": datetime.date.fromisoformat(ev["date"]), "type": "reversal",
                           "activity": ev["activity"], "quantity": float(ev["quantity"]), "avoidable": False})
        elif kind == "revocation":
            events.append({"date": datetime.date.fromisoformat(ev["date"]), "type": "revoke-authorisation",
                           "agreement": ev["agreement"], "scope": ev.get("scope", "not-first-transferred")})
        elif kind == "shortfall":
            act = data["activities"][ev["activity"]]
            first, last = act["vintages"]
            out = act["outcome"]
            per = {v: Fraction(str(out.get(v, 0) if isinstance(out, dict) else out)) for v in range(first, last + 1)}
            keep = 1 - Fraction(str(ev["share"]))
            act["outcome"] = {v: float(q * keep) if v >= ev["year"] else float(q) for v, q in per.items()}
        elif kind == "price-shock":
            for gid in ev["deals"]:
                ag = agreements.get(gid)
                if ag is None:
                    continue
                price = ag["price"]
                by_year = {y: (price.get(y, 0) if isinstance(price, dict) else price) for y in years}
                ag["price"] = {y: round(p * ev["factor"], 6) if y >= ev["year"] else p for y, p in by_year.items()}
    events.sort(key=lambda e: e["date"])
    data["events"] = events
    data["agreements"] = agreements
    return data


def room_scenario(state: dict, extra: dict | None = None) -> a6sim.Scenario:
    """The validated scenario of the room (raises ``a6sim.ScenarioError``)."""
    return a6sim.scenario_from_dict(room_data(state, extra), source=f"room-{state['code']}.yaml")


def outcome_of(results: a6sim.Results) -> dict:
    """What the room's screens show of a run, as plain JSON data (tonnes, currency).

    The tables are read once as records (not filtered per party: 30 parties would
    cost 30 scans of each table)."""
    sc = results.scenario
    model = sc.model
    years_of: dict[str, list] = {p: [] for p in model.parties}
    for r in results.balances.to_dict("records"):
        years_of[r["party"]].append({
            "year": int(r["year"]), "inventory": _int(r["inventory"]),
            "added": (_int(r["first_transferred"]) or 0) + (_int(r["first_transferred_oimp"]) or 0),
            "used": _int(r["used"]), "balance": _int(r["emissions_balance"]),
            "target": _int(r["target"]), "trajectory": _int(r["trajectory"])})
    attain = {a["party"]: {"type": str(a["ndc_type"]), "method": str(a["method"]), "target": _int(a["target"]),
                           "period": [int(a["period_start"]), int(a["period_end"])], "balance": _int(a["balance"]),
                           "gap": _int(a["gap"]), "met": bool(a["met"])}
              for a in results.attainment.to_dict("records")}
    money_in: dict[str, float] = {}
    money_out: dict[str, float] = {}
    deals: dict[str, dict] = {}
    for f in results.flows.to_dict("records"):
        money_in[f["from_party"]] = money_in.get(f["from_party"], 0.0) + float(f["value"])
        money_out[f["to_party"]] = money_out.get(f["to_party"], 0.0) + float(f["value"])
        d = deals.setdefault(str(f["agreement"]), {"delivered": 0, "value": 0.0})
        d["delivered"] += int(f["quantity"])
        d["value"] += float(f["value"])
    for d in deals.values():
        d["value"] = round(d["value"], 2)
    parties = {p: {"name": party.name, "years": years_of[p], "attainment": attain.get(p),
                   "money_in": round(money_in.get(p, 0.0), 2), "money_out": round(money_out.get(p, 0.0), 2)}
               for p, party in model.parties.items()}
    for e, ent in model.entities.items():
        parties[e] = {"name": ent.name, "years": [], "attainment": None, "money_in": 0.0,
                      "money_out": round(money_out.get(e, 0.0), 2)}
    s = results.summary
    return {"parties": parties, "deals": deals, "units": model.units, "factor": sc.factor,
            "currency": model.currency,
            "double_claimed": int(s["double_claimed"]), "omge_cancelled": int(s["omge_cancelled"]),
            "adaptation_fund_units": int(s["adaptation_fund_units"]),
            "host_adaptation_units": int(s["host_adaptation_units"]), "sop_value": float(s["sop_value"]),
            "value_paid": float(s["value_paid"]), "violations": len(s["violations"]),
            "shortfalls": len(s["shortfalls"]), "digest": sc.digest}


def _int(x):
    try:
        return None if x is None or x != x else int(x)
    except (TypeError, ValueError):   # pandas NA: its comparison has no truth value
        return None


def _simulate(scenario: a6sim.Scenario) -> dict:
    with _LOCK:
        if scenario.digest in _RESULTS:
            _RESULTS.move_to_end(scenario.digest)
            return _RESULTS[scenario.digest]
    out = outcome_of(a6sim.simulate(scenario))
    with _LOCK:
        _RESULTS[scenario.digest] = out
        while len(_RESULTS) > _KEEP:
            _RESULTS.popitem(last=False)
    return out


def room_outcome(state: dict, extra: dict | None = None) -> dict:
    """The room's scenario simulated (remembered by content hash)."""
    return _simulate(room_scenario(state, extra))


def preview(state: dict, agreement: dict, party: str) -> dict:
    """What signing ``agreement`` would do to ``party``: its figures now and with the deal.

    ``{'now': ..., 'with': ..., 'gap_change', 'money_change', 'years': [{year, now, with}]}``;
    quantities in tonnes, money in the scenario's currency."""
    now = room_outcome(state)["parties"].get(party)
    after = room_outcome(state, {"preview-deal": agreement})["parties"].get(party)
    if now is None or after is None:
        return {}
    years = [{"year": a["year"], "now": a["balance"], "with": b["balance"]}
             for a, b in zip(now["years"], after["years"]) if a["balance"] != b["balance"]]
    gap = lambda o: (o["attainment"] or {}).get("gap")   # noqa: E731
    money = lambda o: o["money_in"] - o["money_out"]       # noqa: E731
    return {"now": now, "with": after, "years": years,
            "gap_now": gap(now), "gap_with": gap(after),
            "met_now": (now["attainment"] or {}).get("met"), "met_with": (after["attainment"] or {}).get("met"),
            "money_change": round(money(after) - money(now), 2)}


def scenario_yaml(state: dict) -> str:
    """The room's scenario as a scenario file (reloads with ``a6sim validate``)."""
    data = room_data(state)
    header = (f"# a6sim workshop room {state['code']}: {len(state['deals'])} deals signed, "
              f"{len(state['events'])} events injected\n")
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def results_zip(state: dict) -> bytes:
    """The room's results as a zip of the result files of ``a6sim run`` (CSV)."""
    results = a6sim.simulate(room_scenario(state))
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        out = results.write(Path(tmp) / "results", "csv")
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for f in sorted(out.rglob("*")):   # the tables and the aef/ folder
                if f.is_file():
                    z.write(f, f.relative_to(out).as_posix())
            z.writestr("scenario.yaml", scenario_yaml(state))
    return buf.getvalue()
