"""Semantic checks: what the schema alone cannot see (references, periods, shares).

Each check appends ``(path, message)``; the loader adds file and line. All checks
run, so the user gets every problem in one report.
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from fractions import Fraction

from ..history.checks import history_issues
from .economics_checks import economics_issues
from .errors import listed
from .model import NDC, ScenarioModel
from .resale_checks import activity_hosts, host_agreement_issues, is_resale, resale_holders, resale_issues
from .series import exact

__all__ = ["semantic_issues", "FIRST_VINTAGE", "A64_SOP_SHARE"]

FIRST_VINTAGE = 2021  # ITMOs must have vintage 2021 or later (docs/how-a6sim-counts.md)
A64_SOP_SHARE = Fraction(5, 100)   # 3/CMA.3 annex para 67(a): fixed, not a floor
_OIMP_DEFINITIONS = ("authorisation", "issuance", "use-or-cancellation")


def semantic_issues(m: ScenarioModel) -> list[tuple[tuple, str]]:
    """Every semantic problem of a schema-valid scenario, as ``(path, message)``."""
    out: list[tuple[tuple, str]] = []
    start, end = m.period.start, m.period.end
    if start > end:
        out.append((("period",), f"start {start} is after end {end}"))
    for pid, party in m.parties.items():
        if not party.emissions and not (m.a6sim >= 2 and party.ndc is None and not getattr(party, "ndcs", None)):
            out.append((("parties", pid, "emissions"), "give at least one year"))
        if party.ndc is not None:
            _check_ndc(out, ("parties", pid, "ndc"), party.ndc, start, end)
        if party.abatement_cost is not None and (party.ndcs or (party.ndc and party.ndc.metric != "tCO2e")):
            out.append((("parties", pid, "abatement_cost"), "the economics (guide: a6sim docs economics) cover one NDC in tCO2e; "
                        "not a party with several NDC periods (ndcs) or an NDC in a non-GHG metric"))
        if party.ndcs is not None:
            if party.ndc is not None:
                out.append((("parties", pid, "ndcs"), "give either ndc (one NDC) or ndcs (one per period), not both"))
            _check_ndcs(out, ("parties", pid, "ndcs"), party.ndcs, start, end)
    for eid, ent in m.entities.items():
        if eid in m.parties:
            out.append((("entities", eid), "an entity may not share its id with a party"))
    for aid, act in m.activities.items():
        _check_activity(out, aid, act, m)
    _check_agreements(out, m)
    _check_events(out, m, start, end)
    out += history_issues(m)   # format v2: the recorded history (a6sim/history/checks.py)
    out += economics_issues(m)
    if m.settings.a64_omge_share < Fraction(2, 100):
        out.append((("settings", "a64_omge_share"), "must be >= 0.02 (3/CMA.3 annex: at least 2% cancelled for OMGE)"))
    if exact(m.settings.a64_sop_share) != A64_SOP_SHARE:
        out.append((("settings", "a64_sop_share"), f"must be 0.05, got {m.settings.a64_sop_share:g} (3/CMA.3 annex "
                                                   "para 67(a): the share of proceeds for adaptation is 5% of the "
                                                   "A6.4ERs at issuance, a fixed rate, not a floor)"))
    return out


def _check_ndcs(out, path, ndcs, start, end):
    """Successive NDCs: each checked on its own; implementation periods may not overlap."""
    for i, ndc in enumerate(ndcs):
        _check_ndc(out, path + (i,), ndc, start, end)
    spans = sorted((ndc.period[0], ndc.period[1], i) for i, ndc in enumerate(ndcs))
    for (f1, l1, i1), (f2, l2, i2) in zip(spans, spans[1:]):
        if f2 <= l1:
            out.append((path + (max(i1, i2), "period"),
                        f"NDC period {f2}-{l2} overlaps the period {f1}-{l1} of ndcs[{min(i1, i2)}] "
                        "(each year belongs to one NDC)"))


def _check_metric(out, path, ndc: NDC):
    """2/CMA.3 annex paras 9-10: a non-GHG NDC states its conversion and its reference indicator."""
    if ndc.metric == "tCO2e":
        for name in ("tco2e_per_unit", "indicator"):
            if getattr(ndc, name) is not None:
                out.append((path + (name,), "only for an NDC in a non-GHG metric (metric other than tCO2e)"))
        return
    if ndc.tco2e_per_unit is None:
        out.append((path + ("tco2e_per_unit",), f"required for an NDC in {ndc.metric}: the conversion factor, "
                                                f"tCO2e per {ndc.metric} (2/CMA.3 annex para 10)"))
    if not ndc.indicator:
        out.append((path + ("indicator",), f"required for an NDC in {ndc.metric}: the reference level of the "
                                           "metric per year, before the modelled activities"))


def _check_ndc(out, path, ndc: NDC, start, end):
    _check_metric(out, path, ndc)
    first, last = ndc.period
    if first > last:
        out.append((path + ("period",), f"first year {first} is after last year {last}"))
    if first < start or first > end:
        out.append((path + ("period",), f"NDC period {first}-{last} must start inside the simulated period "
                                        f"{start}-{end} (it may end after it: attainment is then not yet assessed)"))
    if ndc.type == "single-year":
        for name in ("target_year", "target", "method"):
            if getattr(ndc, name) is None:
                out.append((path + (name,), "required for a single-year NDC"))
        for name in ("budget", "targets"):
            if getattr(ndc, name) is not None:
                out.append((path + (name,), "only for a multi-year NDC (type: multi-year)"))
        if ndc.target_year is not None and not first <= ndc.target_year <= last:
            out.append((path + ("target_year",), f"must lie inside the NDC period {first}-{last}"))
        if ndc.method == "trajectory" and ndc.trajectory is None:
            out.append((path + ("trajectory",), "required for method: trajectory (the indicative multi-year path)"))
        if ndc.method != "averaging" and "averaging_divisor" in ndc.model_fields_set:
            out.append((path + ("averaging_divisor",), "applies only to method: averaging"))
    else:
        for name in ("target_year", "target", "method", "trajectory"):
            if getattr(ndc, name) is not None:
                out.append((path + (name,), "only for a single-year NDC (type: single-year)"))
        if "averaging_divisor" in ndc.model_fields_set:
            out.append((path + ("averaging_divisor",), "applies only to a single-year NDC with method: averaging"))
        if (ndc.budget is None) == (ndc.targets is None):
            out.append((path, "a multi-year NDC needs exactly one of budget (period sum) or targets (per year)"))
        if ndc.targets is not None:
            years = set(ndc.targets)
            if first not in years or last not in years:
                out.append((path + ("targets",), f"give at least the first and last year of the period ({first} and {last})"))
            outside = sorted(y for y in years if not first <= y <= last)
            if outside:
                out.append((path + ("targets",), f"years outside the NDC period {first}-{last}: {outside}"))


def _check_activity(out, aid, act, m):
    path = ("activities", aid)
    if act.host not in m.parties:
        out.append((path + ("host",), f"unknown party {act.host!r} (parties: {listed(m.parties)})"))
    first, last = act.vintages
    if first < FIRST_VINTAGE:
        out.append((path + ("vintages",), f"vintages start in {FIRST_VINTAGE} or later (Art. 6 outcomes), got {first}"))
    if first > last:
        out.append((path + ("vintages",), f"first vintage {first} is after last vintage {last}"))
    if first >= FIRST_VINTAGE and first < m.period.start:
        out.append((path + ("vintages",), f"first vintage {first} is before the simulated period "
                                          f"{m.period.start}-{m.period.end}: its outcome and adjustments "
                                          "would fall in a year a6sim does not account for"))
    if isinstance(act.outcome, dict):
        wanted = set(range(first, last + 1))
        missing, extra = sorted(wanted - set(act.outcome)), sorted(set(act.outcome) - wanted)
        if missing:
            out.append((path + ("outcome",), f"the map must give every vintage {first}-{last}; missing {missing}"))
        if extra:
            out.append((path + ("outcome",), f"vintages outside {first}-{last}: {extra}"))
    if act.mechanism == "6.4" and act.baseline_decline is not None and exact(act.baseline_decline) < Fraction(1, 100):
        out.append((path + ("baseline_decline",), "must be >= 0.01 for Art. 6.4 activities (at least 1% a year)"))
    if act.buffer_share > 0 and act.kind != "removal":
        out.append((path + ("buffer_share",), "a buffer applies to removal activities (kind: removal)"))
    if act.mechanism == "6.4":
        taken = exact(m.settings.a64_sop_share) + exact(m.settings.a64_omge_share) + exact(act.buffer_share)
        if taken > 1:
            out.append((path + ("buffer_share",), f"share of proceeds, OMGE and buffer take {float(taken):g} "
                                                  "of each issuance (at most 1)"))
    if isinstance(act.leakage, dict):
        extra = sorted(set(act.leakage) - set(range(first, last + 1)))
        if extra:
            out.append((path + ("leakage",), f"vintages outside {first}-{last}: {extra}"))
    if act.leakage_in is not None and act.leakage_in not in m.parties:
        out.append((path + ("leakage_in",), f"unknown party {act.leakage_in!r} (parties: {listed(m.parties)})"))
    if act.mechanism == "6.2" and "authorised" in act.model_fields_set:
        out.append((path + ("authorised",), "applies to 6.4 activities; 6.2 units are authorised by an agreement's authorisation"))


def _check_agreements(out, m: ScenarioModel):
    shares: dict[str, list[tuple[str, float]]] = defaultdict(list)
    hosts = activity_hosts(m)
    holders = resale_holders(m, hosts) if m.agreements else {}
    for gid, ag in m.agreements.items():
        path = ("agreements", gid)
        seller_ok = ag.seller in m.parties or ag.seller in m.entities
        # the seller hosts none of the activities: a resale (a secondary market)
        resale = seller_ok and is_resale(m, ag, hosts)
        if not seller_ok:
            out.append((path + ("seller",), f"unknown party {ag.seller!r} (parties: {listed(m.parties)}"
                                            + (f"; entities: {listed(m.entities)})" if m.entities else ")")))
        buyer_is_party = ag.buyer in m.parties
        if not buyer_is_party and ag.buyer not in m.entities:
            out.append((path + ("buyer",), f"unknown party or entity {ag.buyer!r}"))
        if ag.buyer == ag.seller:
            out.append((path + ("buyer",), "the buyer must differ from the seller"))
        if seller_ok:
            out += resale_issues(m, gid, ag, hosts, holders) if resale else host_agreement_issues(gid, ag)
        for i, act_id in enumerate(() if resale else ag.activities):
            act = m.activities.get(act_id)
            if act is None:
                out.append((path + ("activities", i), f"unknown activity {act_id!r}"))
                continue
            shares[act_id].append((gid, ag.share))
            if seller_ok and act.host != ag.seller:
                out.append((path + ("activities", i), f"activity {act_id!r} is hosted by {act.host}, not by the seller "
                                                      f"{ag.seller} (a resale names only activities its seller does "
                                                      "not host)"))
            if ag.authorisation is not None and act.mechanism == "6.4" and not act.authorised:
                out.append((path + ("authorisation",), f"activity {act_id!r} issues mitigation contribution units "
                            "(authorised: false); they cannot be authorised by an agreement"))
        if ag.vintages is not None:
            first, last = ag.vintages
            if first < FIRST_VINTAGE:
                out.append((path + ("vintages",), f"vintages start in {FIRST_VINTAGE} or later, got {first}"))
            if first > last:
                out.append((path + ("vintages",), f"first vintage {first} is after last vintage {last}"))
        if ag.authorisation is None and not resale:
            for name, value in (("sop", ag.sop.units), ("sop", ag.sop.value), ("omge", ag.omge.units)):
                if value > 0:
                    out.append((path + (name,), "share of proceeds and OMGE apply to authorised units; "
                                                "this agreement has no authorisation"))
                    break
        if exact(ag.sop.units) + exact(ag.omge.units) > 1:
            out.append((path + ("omge", "units"), f"sop.units + omge.units = {ag.sop.units + ag.omge.units:g} "
                                                  "takes more than the whole tranche (at most 1)"))
        _check_authorisation(out, path, ag)
        _check_use(out, path, ag, m, buyer_is_party)
    for act_id, takers in shares.items():
        total = sum(exact(s) for _, s in takers)
        if total > 1:
            names = ", ".join(f"{g} ({s})" for g, s in takers)
            out.append((("agreements", takers[-1][0], "share"),
                        f"agreements drawing on activity {act_id!r} take shares summing to {float(total):g} > 1: {names}"))


def _check_authorisation(out, path, ag):
    auth = ag.authorisation
    if auth is None:
        return
    ft = auth.first_transfer
    if auth.purpose == "NDC" and ft not in (None, "international-transfer"):
        out.append((path + ("authorisation", "first_transfer"),
                    "for purpose NDC the first transfer is the first international transfer (international-transfer)"))
    if auth.purpose == "OIMP" and ft not in _OIMP_DEFINITIONS:
        out.append((path + ("authorisation", "first_transfer"),
                    "purpose OIMP: the host must state the first-transfer definition: authorisation | issuance | use-or-cancellation"))


def _check_use(out, path, ag, m, buyer_is_party):
    purpose, policy = ag.use.resolved(buyer_is_party)
    upath = path + ("use",)
    if purpose == "NDC" and not buyer_is_party and ag.buyer in m.entities:
        out.append((upath + ("purpose",), f"buyer {ag.buyer!r} is an entity; only a party uses units towards an NDC (use purpose: OIMP)"))
    if (purpose == "NDC" and policy != "never" and buyer_is_party   # never: it only holds (banking, resale)
            and m.parties[ag.buyer].ndc is None and not m.parties[ag.buyer].ndcs):
        out.append((upath + ("purpose",), f"buyer {ag.buyer!r} has no ndc to use units towards"))
    if policy == "as-needed" and not (buyer_is_party and purpose == "NDC"):
        out.append((upath + ("policy",), "as-needed uses towards a party's NDC; use on-receipt, year-end or never here"))


def _check_events(out, m, start, end):
    first_day, last_day = datetime.date(start, 1, 1), datetime.date(end, 12, 31)
    for i, ev in enumerate(m.events):
        path = ("events", i)
        if not first_day <= ev.date <= last_day:
            out.append((path + ("date",), f"{ev.date} is outside the simulated period {start}-{end}"))
        if ev.type == "revoke-authorisation":
            ag = m.agreements.get(ev.agreement)
            if ag is None:
                out.append((path + ("agreement",), f"unknown agreement {ev.agreement!r}"))
            elif is_resale(m, ag):
                out.append((path + ("agreement",), f"agreement {ev.agreement!r} is a resale by {ag.seller}, which "
                                                   "authorised nothing: only the host revokes its authorisation "
                                                   "(2/CMA.3 annex paras 1-2); name the host's agreement that "
                                                   "authorised the units"))
            elif ag.authorisation is None:
                out.append((path + ("agreement",), f"agreement {ev.agreement!r} has no authorisation to revoke"))
        else:
            act = m.activities.get(ev.activity)
            if act is None:
                out.append((path + ("activity",), f"unknown activity {ev.activity!r}"))
            elif act.kind != "removal":
                out.append((path + ("activity",), f"reversals happen at removal activities; {ev.activity!r} is a {act.kind}"))
