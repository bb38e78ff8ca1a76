"""What delegations and the facilitator can do in a room: pure functions over its state.

Every action takes the room's state (plain JSON data), the time ``now`` (seconds since
the epoch) and the action's fields, checks everything, and returns a new state; it
never changes the one it was given. An action that cannot be done raises
:class:`Refused` with a message for the page, so nothing is stored and the room is
unaffected: negative or impossible terms, an activity the host does not have, a
quantity above what is left, an action out of turn or by the wrong delegation, a code
that does not match.

Codes are random (``secrets``) and compared in constant time (``hmac.compare_digest``).
"""
from __future__ import annotations

import copy
import hmac
import math
import secrets
from fractions import Fraction

import a6sim

from . import scenario as rs

__all__ = ["Refused", "new_room", "check_delegation", "check_facilitator", "join", "make_offer", "respond",
           "withdraw", "start_round", "pause", "resume", "end_round", "reopen", "add_time", "inject",
           "clock_left", "offer_agreement", "visible_offers", "PURPOSES", "FIRST_TRANSFERS", "EVENT_TYPES",
           "ROUND_YEARS", "MAX_PRICE"]

ROOM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ"            # no I, O: read aloud and typed from a slide
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"     # no 0/o, 1/l/i
PURPOSES = ("NDC", "OIMP", "NDC and OIMP")
FIRST_TRANSFERS = {"NDC": ("international-transfer",),
                   "OIMP": ("authorisation", "issuance", "use-or-cancellation"),
                   "NDC and OIMP": ("international-transfer", "authorisation", "issuance", "use-or-cancellation")}
EVENT_TYPES = {"wildfire": "Wildfire reversal", "revocation": "Revocation of a deal's authorisation",
               "shortfall": "Delivery shortfall", "price-shock": "Price shock"}
ROUND_YEARS = 5
MAX_PRICE = 10_000.0        # per tCO2e: above it an offer is taken for a typing slip


class Refused(ValueError):
    """An action the room does not accept; the message is shown in the page."""


def _code(alphabet: str, n: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


def _rounds(start: int, end: int, years: int = ROUND_YEARS) -> list[dict]:
    """Rounds of ``years`` calendar years from the period's start (2021-2025, 2026-2030);
    a last piece shorter than three years joins the round before it."""
    rounds, y = [], start
    while y <= end:
        rounds.append({"first": y, "last": min(y + years - 1, end)})
        y += years
    if len(rounds) > 1 and rounds[-1]["last"] - rounds[-1]["first"] < 2:
        tail = rounds.pop()
        rounds[-1]["last"] = tail["last"]
    return rounds


def new_room(text: str, source: str, now: float, minutes: float = 10, ttl_hours: float = 48,
             code: str | None = None) -> dict:
    """A new room for a scenario text: its code, one join code per delegation, the facilitator code.

    Raises ``a6sim.ScenarioError`` for a text that is not a valid scenario."""
    data = rs.base_data(text, source)
    if not 0 < minutes <= 240:
        raise Refused("minutes per round: a number between 1 and 240")
    hosts = {a["host"] for a in data.get("activities", {}).values()}
    delegations = {}
    for pid, party in data["parties"].items():
        delegations[pid] = {"name": party["name"], "kind": "party", "host": pid in hosts,
                            "code": _code(CODE_ALPHABET, 8), "joined": False}
    for eid, ent in data.get("entities", {}).items():
        delegations[eid] = {"name": ent["name"], "kind": "entity", "host": False,
                            "code": _code(CODE_ALPHABET, 8), "joined": False}
    return {"code": code or _code(ROOM_ALPHABET, 5), "created": now, "expires": now + ttl_hours * 3600,
            "source": source, "scenario_text": text, "name": data["name"], "units": data.get("units", "tCO2e"),
            "currency": data.get("currency", "USD"), "facilitator_code": _code(CODE_ALPHABET, 12),
            "delegations": delegations, "rounds": _rounds(data["period"]["start"], data["period"]["end"]),
            "round": 0, "phase": "setup", "minutes": minutes, "clock": {"deadline": None, "remaining": minutes * 60},
            "offers": {}, "deals": {}, "events": [], "log": [], "snapshots": [], "seq": 0}


# --- who acts ------------------------------------------------------------------------------------
def check_delegation(state: dict, delegation, code) -> dict:
    """The delegation ``delegation`` if ``code`` is its join code (constant-time comparison)."""
    d = state["delegations"].get(delegation) if isinstance(delegation, str) else None
    given = code.encode() if isinstance(code, str) else b""
    expected = (d or {}).get("code", "-" * 8).encode()
    if not hmac.compare_digest(given, expected) or d is None:
        raise Refused("this delegation's code does not match: ask the facilitator for your code")
    return d


def check_facilitator(state: dict, code) -> None:
    given = code.encode() if isinstance(code, str) else b""
    if not hmac.compare_digest(given, state["facilitator_code"].encode()):
        raise Refused("the facilitator code does not match: only the facilitator runs the rounds")


def clock_left(state: dict, now: float) -> float:
    """Seconds left in the round (0 when the time is up)."""
    c = state["clock"]
    if c["deadline"] is not None:
        return max(0.0, c["deadline"] - now)
    return max(0.0, float(c["remaining"] or 0))


def _log(state: dict, now: float, text: str) -> None:
    state["log"].append({"at": now, "round": state["round"], "text": text})


def _open_for_trade(state: dict, now: float) -> None:
    r = state["round"] + 1
    phase = state["phase"]
    if phase == "setup":
        raise Refused("the first round has not started: wait for the facilitator")
    if phase == "paused":
        raise Refused(f"round {r} is paused by the facilitator")
    if phase in ("closed", "ended"):
        raise Refused(f"round {r} is over: wait for the next round")
    if clock_left(state, now) <= 0:
        raise Refused(f"time is up for round {r}: the facilitator can add time")


def join(state: dict, now: float, delegation: str, code: str) -> dict:
    d = check_delegation(state, delegation, code)
    new = copy.deepcopy(state)
    if not d["joined"]:
        new["delegations"][delegation]["joined"] = True
        _log(new, now, f"{d['name']} joined")
    return new


# --- offers --------------------------------------------------------------------------------------
def _number(value, field: str, low: float, high: float, inclusive_low: bool = True) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise Refused(f"{field}: a number is expected, got {value!r}") from None
    if not math.isfinite(x) or x > high or x < low or (not inclusive_low and x == low):
        bound = f"{'at least' if inclusive_low else 'more than'} {low:g} and at most {high:g}"
        raise Refused(f"{field}: {x:g} is not possible ({bound})")
    return x


def _terms(state: dict, seller: str, raw: dict, leave_out_deal: str | None = None) -> tuple[dict, dict]:
    """Checked terms and the scenario agreement they make (without its buyer)."""
    if not isinstance(raw, dict):
        raise Refused("the offer could not be read")
    data = rs.base_data(state["scenario_text"])
    acts = data.get("activities", {})
    activity = raw.get("activity")
    if activity not in acts or acts[activity]["host"] != seller:
        own = [a for a, v in acts.items() if v["host"] == seller]
        raise Refused(f"activity {activity!r} is not one of {state['delegations'][seller]['name']}'s activities"
                      + (f" ({', '.join(own)})" if own else " (it hosts none)"))
    act = acts[activity]
    rnd = state["rounds"][state["round"]]
    try:
        first, last = (int(v) for v in raw.get("vintages") or ())
    except (TypeError, ValueError):
        raise Refused("vintages: two years, first and last") from None
    lo, hi = max(act["vintages"][0], rnd["first"]), act["vintages"][1]
    if not (lo <= first <= last <= hi):
        raise Refused(f"vintages {first}-{last}: {activity} can sell vintages {lo}-{hi} in round "
                      f"{state['round'] + 1} (earlier years are past)")
    mode = raw.get("mode")
    if mode not in ("share", "quantity"):
        raise Refused("say whether the offer is a share of each issuance or a quantity")
    factor = {"tCO2e": 1, "ktCO2e": 1_000, "MtCO2e": 1_000_000}[state["units"]]
    planned = rs.planned_tonnes(data, activity, first, last, factor)
    left = 1 - rs.committed_share(state, activity, leave_out_deal)
    terms = {"activity": activity, "vintages": [first, last], "mode": mode}
    if mode == "share":
        share = _number(raw.get("share"), "share", 0, 1, inclusive_low=False)
        if Fraction(str(share)) > left:
            raise Refused(f"share {share:g} is above what is left of {activity}: {float(left):g} "
                          "(shares sold across deals sum to at most 1)")
        terms["share"] = share
    else:
        q = _number(raw.get("quantity"), f"quantity ({state['units']})", 0, 1e12, inclusive_low=False)
        available = planned * left / factor
        if Fraction(str(q)) > available:
            raise Refused(f"quantity {q:g} {state['units']} is above what is available: {float(available):g} "
                          f"{state['units']} of vintages {first}-{last} of {activity} are not sold yet")
        terms["quantity"] = q
    terms["price"] = _number(raw.get("price"), f"price ({state['currency']}/t)", 0, MAX_PRICE)
    terms["sop_units"] = _number(raw.get("sop_units", 0), "share of proceeds (units)", 0, 1)
    terms["sop_value"] = _number(raw.get("sop_value", 0), "share of proceeds (value)", 0, 1)
    terms["omge"] = _number(raw.get("omge", 0), "OMGE share", 0, 1)
    if terms["sop_units"] + terms["omge"] >= 1:
        raise Refused("share of proceeds (units) and OMGE together take the whole tranche: nothing is left to sell")
    terms["sop_to"] = raw.get("sop_to") or "adaptation-fund"
    if terms["sop_to"] not in ("adaptation-fund", "host-adaptation"):
        raise Refused("share of proceeds goes to the Adaptation Fund or the host's adaptation account")
    purpose = raw.get("purpose")
    if purpose not in PURPOSES:
        raise Refused(f"authorisation purpose: one of {', '.join(PURPOSES)}")
    ft = raw.get("first_transfer") or FIRST_TRANSFERS[purpose][0]
    if ft not in FIRST_TRANSFERS[purpose]:
        raise Refused(f"first transfer {ft!r} does not go with purpose {purpose}: "
                      f"{' | '.join(FIRST_TRANSFERS[purpose])} (2/CMA.3 annex para 2)")
    terms["purpose"], terms["first_transfer"] = purpose, ft
    ag = rs.agreement_of(terms, seller, "?", rnd["first"], data["parties"][seller].get("initial_report")
                         and str(data["parties"][seller]["initial_report"]), factor, planned)
    if terms["mode"] == "quantity" and ag["share"] <= 0:
        raise Refused(f"quantity {terms['quantity']:g} {state['units']} is too small to sell")
    return terms, ag


def offer_agreement(state: dict, offer: dict, buyer: str) -> dict:
    """The scenario agreement an offer makes with ``buyer``."""
    _, ag = _terms(state, offer["seller"], offer["terms"])
    ag["buyer"] = buyer
    return ag


def _check_in_scenario(state: dict, agreement: dict) -> None:
    """The room's scenario must stay valid with the agreement (every rule of the file format)."""
    try:
        rs.room_scenario(state, {"offer-check": agreement})
    except a6sim.ScenarioError as exc:
        lines = [i.message for i in exc.issues]
        raise Refused("these terms are not possible: " + "; ".join(lines)) from None


def make_offer(state: dict, now: float, delegation: str, code: str, to: str | None, terms: dict,
               counter_of: str | None = None) -> dict:
    """A host's offer of ITMOs (``to``: a delegation, or None for every delegation)."""
    d = check_delegation(state, delegation, code)
    _open_for_trade(state, now)
    if counter_of is not None:
        return _counter(state, now, delegation, counter_of, terms)
    if not d["host"]:
        raise Refused(f"{d['name']} hosts no activity: only host delegations offer ITMOs")
    if to is not None and (to not in state["delegations"] or to == delegation):
        raise Refused("address the offer to another delegation, or to every delegation")
    checked, ag = _terms(state, delegation, terms)
    if to is not None:
        ag["buyer"] = to
        _check_in_scenario(state, ag)
    return _add_offer(state, now, delegation, to, delegation, to, checked, None)


def _add_offer(state, now, sender, to, seller, buyer, terms, parent) -> dict:
    new = copy.deepcopy(state)
    new["seq"] += 1
    oid = f"o{new['seq']}"
    new["offers"][oid] = {"id": oid, "from": sender, "to": to, "seller": seller, "buyer": buyer, "terms": terms,
                          "status": "open", "round": new["round"], "counter_of": parent, "at": now}
    names = new["delegations"]
    _log(new, now, f"{names[sender]['name']} {'countered' if parent else 'offered'} "
                   f"{_describe(new, terms)}" + (f" to {names[to]['name']}" if to else " to every delegation"))
    return new


def _describe(state: dict, terms: dict) -> str:
    v = terms["vintages"]
    size = (f"{terms['share']:.0%} of" if terms["mode"] == "share"
            else f"{terms['quantity']:g} {state['units']} of")
    return f"{size} {terms['activity']} {v[0]}-{v[1]} at {terms['price']:g} {state['currency']}/t"


def _counter(state: dict, now: float, delegation: str, offer_id: str, terms: dict) -> dict:
    offer = _offer_to_answer(state, delegation, offer_id)
    seller = offer["seller"]
    buyer = delegation if offer["to"] is None else offer["buyer"]
    if delegation == seller:
        buyer = offer["from"] if offer["from"] != seller else offer["buyer"]
    raw = dict(terms)
    raw["activity"] = offer["terms"]["activity"]      # a counter changes the terms, not what is sold
    checked, ag = _terms(state, seller, raw)
    ag["buyer"] = buyer
    _check_in_scenario(state, ag)
    other = offer["from"]
    new = _add_offer(state, now, delegation, other, seller, buyer, checked, offer_id)
    new["offers"][offer_id]["status"] = "countered"
    return new


def visible_offers(state: dict, delegation: str) -> list[dict]:
    """The offers a delegation may see: its own, those addressed to it, and open ones."""
    return [o for o in state["offers"].values()
            if o["from"] == delegation or o["to"] == delegation or (o["to"] is None and o["seller"] != delegation)]


def _offer_to_answer(state: dict, delegation: str, offer_id) -> dict:
    offer = state["offers"].get(offer_id) if isinstance(offer_id, str) else None
    if offer is None or offer not in visible_offers(state, delegation):
        raise Refused("no such offer for this delegation")
    if offer["from"] == delegation:
        raise Refused("this is your own offer: the other side answers it")
    if offer["status"] != "open":
        raise Refused(f"this offer is {offer['status']}: it can no longer be answered")
    if offer["round"] != state["round"]:
        raise Refused("this offer was made in an earlier round")
    return offer


def respond(state: dict, now: float, delegation: str, code: str, offer_id: str, answer: str) -> dict:
    """Accept or decline an offer addressed to this delegation (or open to all)."""
    check_delegation(state, delegation, code)
    _open_for_trade(state, now)
    if answer not in ("accept", "decline"):
        raise Refused("answer an offer with accept, decline or a counter")
    offer = _offer_to_answer(state, delegation, offer_id)
    new = copy.deepcopy(state)
    names = new["delegations"]
    if answer == "decline":
        new["offers"][offer_id]["status"] = "declined"
        _log(new, now, f"{names[delegation]['name']} declined an offer of {names[offer['from']]['name']}")
        return new
    buyer = offer["buyer"] if offer["to"] is not None else delegation
    if offer["to"] is None and delegation == offer["seller"]:
        raise Refused("a host cannot buy its own offer")
    _, ag = _terms(state, offer["seller"], offer["terms"])
    ag["buyer"] = buyer
    _check_in_scenario(state, ag)
    new["seq"] += 1
    number = len(new["deals"]) + 1
    gid = rs.deal_id(number, offer["seller"], buyer)
    new["deals"][f"d{new['seq']}"] = {"id": f"d{new['seq']}", "number": number, "offer": offer_id,
                                     "agreement_id": gid, "agreement": ag, "seller": offer["seller"],
                                     "buyer": buyer, "terms": offer["terms"], "round": new["round"], "at": now}
    new["offers"][offer_id]["status"] = "accepted"
    new["offers"][offer_id]["buyer"] = buyer
    _log(new, now, f"deal {number} signed: {names[offer['seller']]['name']} sells {names[buyer]['name']} "
                   f"{_describe(new, offer['terms'])}")
    return new


def withdraw(state: dict, now: float, delegation: str, code: str, offer_id: str) -> dict:
    check_delegation(state, delegation, code)
    offer = state["offers"].get(offer_id) if isinstance(offer_id, str) else None
    if offer is None or offer["from"] != delegation:
        raise Refused("only the delegation that made an offer withdraws it")
    if offer["status"] != "open":
        raise Refused(f"this offer is {offer['status']}: nothing to withdraw")
    new = copy.deepcopy(state)
    new["offers"][offer_id]["status"] = "withdrawn"
    _log(new, now, f"{state['delegations'][delegation]['name']} withdrew an offer")
    return new


# --- the facilitator -----------------------------------------------------------------------------
def _round_name(state: dict) -> str:
    r = state["rounds"][state["round"]]
    return f"round {state['round'] + 1} ({r['first']}-{r['last']})"


def start_round(state: dict, now: float, code: str, minutes: float | None = None) -> dict:
    """Start the first round, or the next one after a round ended."""
    check_facilitator(state, code)
    new = copy.deepcopy(state)
    if state["phase"] == "setup":
        pass
    elif state["phase"] == "closed" and state["round"] + 1 < len(state["rounds"]):
        new["round"] += 1
    else:
        raise Refused(f"{_round_name(state)} is {state['phase']}: end it before starting the next")
    minutes = state["minutes"] if minutes is None else _number(minutes, "minutes", 0, 240, inclusive_low=False)
    new["phase"] = "open"
    new["clock"] = {"deadline": now + minutes * 60, "remaining": None}
    _log(new, now, f"{_round_name(new)} started: {minutes:g} minutes")
    return new


def pause(state: dict, now: float, code: str) -> dict:
    check_facilitator(state, code)
    if state["phase"] != "open":
        raise Refused(f"{_round_name(state)} is {state['phase']}: only an open round is paused")
    new = copy.deepcopy(state)
    new["phase"] = "paused"
    new["clock"] = {"deadline": None, "remaining": clock_left(state, now)}
    _log(new, now, f"{_round_name(new)} paused")
    return new


def resume(state: dict, now: float, code: str) -> dict:
    check_facilitator(state, code)
    if state["phase"] != "paused":
        raise Refused(f"{_round_name(state)} is {state['phase']}: only a paused round resumes")
    new = copy.deepcopy(state)
    new["phase"] = "open"
    new["clock"] = {"deadline": now + float(state["clock"]["remaining"] or 0), "remaining": None}
    _log(new, now, f"{_round_name(new)} resumed")
    return new


def add_time(state: dict, now: float, code: str, minutes: float) -> dict:
    check_facilitator(state, code)
    minutes = _number(minutes, "minutes", 0, 240, inclusive_low=False)
    if state["phase"] not in ("open", "paused"):
        raise Refused(f"{_round_name(state)} is {state['phase']}: reopen it first")
    new = copy.deepcopy(state)
    c = new["clock"]
    if c["deadline"] is not None:
        c["deadline"] = max(c["deadline"], now) + minutes * 60
    else:
        c["remaining"] = float(c["remaining"] or 0) + minutes * 60
    _log(new, now, f"{minutes:g} more minutes for {_round_name(new)}")
    return new


def end_round(state: dict, now: float, code: str, outcome: dict) -> dict:
    """End the round: open offers lapse, the simulated ``outcome`` is kept for the debrief."""
    check_facilitator(state, code)
    if state["phase"] not in ("open", "paused"):
        raise Refused(f"{_round_name(state)} is {state['phase']}: nothing to end")
    new = copy.deepcopy(state)
    for o in new["offers"].values():
        if o["status"] == "open":
            o["status"] = "lapsed"
    last = new["round"] + 1 == len(new["rounds"])
    new["phase"] = "ended" if last else "closed"
    new["clock"] = {"deadline": None, "remaining": 0}
    new["snapshots"] = [s for s in new["snapshots"] if s["round"] != new["round"]]
    new["snapshots"].append({"round": new["round"], "at": now, "deals": sorted(new["deals"]),
                             "outcome": outcome})
    _log(new, now, f"{_round_name(new)} ended" + (": the game is over" if last else ""))
    return new


def reopen(state: dict, now: float, code: str, minutes: float = 5) -> dict:
    """Reopen the round that just ended (with ``minutes`` on the clock)."""
    check_facilitator(state, code)
    if state["phase"] not in ("closed", "ended"):
        raise Refused(f"{_round_name(state)} is {state['phase']}: only an ended round is reopened")
    minutes = _number(minutes, "minutes", 0, 240, inclusive_low=False)
    new = copy.deepcopy(state)
    new["phase"] = "open"
    new["clock"] = {"deadline": now + minutes * 60, "remaining": None}
    _log(new, now, f"{_round_name(new)} reopened: {minutes:g} minutes")
    return new


def inject(state: dict, now: float, code: str, event: dict) -> dict:
    """An event the facilitator injects; checked against the room's scenario."""
    check_facilitator(state, code)
    if state["phase"] == "setup":
        raise Refused("start the first round before injecting events")
    if not isinstance(event, dict) or event.get("type") not in EVENT_TYPES:
        raise Refused(f"event type: one of {', '.join(EVENT_TYPES)}")
    data = rs.base_data(state["scenario_text"])
    start, end = data["period"]["start"], data["period"]["end"]
    try:
        year = int(event.get("year"))
    except (TypeError, ValueError):
        raise Refused("year of the event: a year of the scenario's period") from None
    first = state["rounds"][state["round"]]["first"]
    if not first <= year <= end:
        raise Refused(f"year {year}: events happen from the current round on ({first}-{end})")
    kind = event["type"]
    acts = data.get("activities", {})
    ev = {"type": kind, "year": year, "round": state["round"]}
    if kind in ("wildfire", "shortfall"):
        act = event.get("activity")
        if act not in acts:
            raise Refused(f"activity {act!r}: one of {', '.join(acts) or '(none)'}")
        ev["activity"] = act
        if kind == "wildfire":
            if acts[act].get("kind") != "removal":
                removals = [a for a, v in acts.items() if v.get("kind") == "removal"]
                raise Refused(f"a wildfire reverses stored carbon: {act} is not a removal activity"
                              + (f" (removals: {', '.join(removals)})" if removals else " (this scenario has none)"))
            ev["quantity"] = _number(event.get("quantity"), f"tonnes reversed ({state['units']})", 0, 1e12,
                                     inclusive_low=False)
            ev["date"] = f"{year}-08-15"
        else:
            ev["share"] = _number(event.get("share"), "share of the outcome lost", 0, 1, inclusive_low=False)
            if year > acts[act]["vintages"][1]:
                raise Refused(f"{act} has no vintage {year} or later")
    elif kind == "revocation":
        by_id = {d["agreement_id"]: d for d in state["deals"].values()}
        if event.get("agreement") not in by_id:
            raise Refused("revoke the authorisation of a signed deal" + ("" if by_id else ": none yet"))
        ev["agreement"] = event["agreement"]
        ev["scope"] = event.get("scope") or "not-first-transferred"
        if ev["scope"] not in ("not-first-transferred", "unissued"):
            raise Refused("scope of a revocation: not-first-transferred | unissued")
        ev["date"] = f"{year}-07-01"
    else:
        ev["factor"] = _number(event.get("factor"), "price factor", 0, 100, inclusive_low=False)
        ev["deals"] = sorted(d["agreement_id"] for d in state["deals"].values())
        if not ev["deals"]:
            raise Refused("a price shock changes the price of signed deals: none yet")
    new = copy.deepcopy(state)
    new["events"].append(ev)
    try:
        rs.room_scenario(new)
    except a6sim.ScenarioError as exc:
        raise Refused("this event is not possible: " + "; ".join(i.message for i in exc.issues)) from None
    _log(new, now, f"event: {EVENT_TYPES[kind].lower()} ({_event_words(state, ev)})")
    return new


def _event_words(state: dict, ev: dict) -> str:
    if ev["type"] == "wildfire":
        return f"{ev['quantity']:g} {state['units']} of {ev['activity']} in {ev['year']}"
    if ev["type"] == "shortfall":
        return f"{ev['share']:.0%} of {ev['activity']}'s outcome lost from vintage {ev['year']}"
    if ev["type"] == "revocation":
        return f"{ev['agreement']}, {ev['scope']}, {ev['year']}"
    return f"prices x{ev['factor']:g} from {ev['year']}"
