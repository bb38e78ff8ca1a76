"""The scenario schema, format version 1: every field declared once.

Each field carries its type, bounds, default and description; validation, the JSON
Schema (``a6sim schema``) and the README's scenario reference all come from here.
Quantities are written in the scenario's ``units`` (tCO2e, ktCO2e or MtCO2e) and
converted to whole tonnes once, by :mod:`a6sim.scenario.convert`.
"""
from __future__ import annotations

import datetime
from typing import Annotated, Literal, Optional, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from .limits import MAX_FACTOR, MAX_PRICE, MAX_QUANTITY, MAX_SEED, MIN_FACTOR

from ..history.model import Issuance, RecordedAuthorisation, Select, Transaction

__all__ = [
    "Activity", "Agreement", "Authorisation", "Entity", "Event", "NDC", "Omge",
    "Party", "Period", "ScenarioModel", "Settings", "Sop", "UsePolicy",
    "Reversal", "Revocation", "AbatementCurve", "RecordedAuthorisation", "Issuance", "Transaction", "Select",
]

Year = Annotated[int, Field(ge=1900, le=2200)]
Quantity = Annotated[float, Field(ge=0, le=MAX_QUANTITY, allow_inf_nan=False,
                                  description="quantity in the scenario's units")]
# a price or a marginal cost, currency per tCO2e (a6sim/scenario/limits.py)
Price = Annotated[float, Field(ge=0, le=MAX_PRICE, allow_inf_nan=False)]
Finite = Annotated[float, Field(allow_inf_nan=False, ge=-MAX_QUANTITY, le=MAX_QUANTITY)]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
YearRange = Annotated[list[Year], Field(min_length=2, max_length=2,
                                        description="[first, last], inclusive")]
YearMap = Annotated[dict[Year, Quantity], Field(min_length=1)]
Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]


def _mechanism(value):
    """Accept an unquoted 6.2/6.4 (YAML reads it as a number) as the string."""
    if isinstance(value, float) and value in (6.2, 6.4):
        return f"{value:.1f}"
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Period(_Strict):
    """The simulated calendar years, inclusive."""
    start: Year = Field(description="first simulated calendar year")
    end: Year = Field(description="last simulated calendar year (runs to 31 December)")


class NDC(_Strict):
    """A party's nationally determined contribution, in tCO2e (guide: a6sim docs how-a6sim-counts)."""
    type: Literal["single-year", "multi-year"] = Field(description="single-year | multi-year")
    period: YearRange = Field(description="NDC implementation period [first, last]")
    target_year: Optional[Year] = Field(None, description="single-year only: the target year")
    target: Optional[Quantity] = Field(None, description="single-year only: cap on the target-year emissions balance")
    method: Optional[Literal["trajectory", "averaging"]] = Field(
        None, description="single-year only: trajectory | averaging (2/CMA.3 annex para 7)")
    trajectory: Optional[YearMap] = Field(
        None, description="trajectory method: indicative multi-year path, linear between given years")
    averaging_divisor: Literal["elapsed", "period"] = Field(
        "elapsed", description="averaging method: divide by the elapsed years of the period (default) or by all its years")
    budget: Optional[Quantity] = Field(None, description="multi-year: emissions budget, the sum over the period")
    targets: Optional[YearMap] = Field(
        None, description="multi-year: a target per year, linear between given years (first and last year required)")
    metric: str = Field(
        "tCO2e", min_length=1, max_length=32,
        description="what the NDC is measured in: tCO2e (default), or a non-GHG metric such as MWh or ha "
                    "(2/CMA.3 annex paras 9-10); a non-GHG NDC gives target, budget, targets, trajectory and "
                    "indicator in that metric (not in the file's units), and its target is a floor")
    tco2e_per_unit: Optional[Annotated[float, Field(ge=MIN_FACTOR, le=MAX_FACTOR, allow_inf_nan=False)]] = Field(
        None, description="non-GHG metric only (required): the party's conversion factor, tCO2e per unit of the "
                          "metric (e.g. 0.5 tCO2e per MWh); an ITMO of q tCO2e is q / tco2e_per_unit of the metric")
    indicator: Optional[YearMap] = Field(
        None, description="non-GHG metric only (required): the reference level of the metric per year, before the "
                          "modelled activities; linear between given years, flat outside them")


class AbatementCurve(_Strict):
    """A marginal abatement cost curve for one year: ``a + b*q`` or piecewise-linear ``points``."""
    a: Optional[Annotated[float, Field(le=MAX_PRICE, allow_inf_nan=False)]] = Field(
        None, description="linear curve: marginal cost of the first tonne abated, in the file's currency per tCO2e (>= 0)")
    b: Optional[Annotated[float, Field(le=MAX_PRICE, allow_inf_nan=False)]] = Field(
        None, description="linear curve: rise of the marginal cost per unit of quantity abated (the file's units), "
                          "currency per tCO2e per unit (>= 0)")
    max: Optional[Quantity] = Field(
        None, description="linear curve: most that can be abated in the year (the file's units); no limit if absent")
    points: Optional[Annotated[list[Annotated[list[Finite], Field(min_length=2, max_length=2)]], Field(min_length=2)]] = Field(
        None, description="piecewise-linear curve: [quantity abated, marginal cost] pairs from quantity 0, quantities "
                          "increasing, costs not decreasing; the last quantity is the most that can be abated")


class Party(_Strict):
    """A party to the Paris Agreement with a national registry and an NDC."""
    name: str = Field(description="display name")
    emissions: YearMap = Field(
        default_factory=dict,
        description="reference emissions covered by the NDC, before the modelled activities; "
                    "linear between given years, flat outside them (required; v2: a party without an NDC "
                    "may leave it out, its inventory is then reported empty)")
    initial_report: Optional[datetime.date] = Field(
        None, description="initial report date; no authorisation or first transfer of its ITMOs, and no use of ITMOs "
                          "by it, before it (2/CMA.3 annex para 18)")
    corresponding_adjustments: bool = Field(
        True, description="teaching switch: false skips this party's additions for first transfers")
    ndc: Optional[NDC] = Field(None, description="the party's NDC; a party without one gets balance rows but no target or attainment")
    ndcs: Optional[Annotated[list[NDC], Field(min_length=1)]] = Field(
        None, description="instead of ndc: successive NDCs, one per implementation period (e.g. 2021-2030 then "
                          "2031-2035), each with its own type, method and target; periods may not overlap")
    abatement_cost: Optional[dict[Year, AbatementCurve]] = Field(
        None, description="marginal abatement cost curve by year: cost per tCO2e of abating q below the reference "
                          "emissions; linear between given years, flat outside them (guide: a6sim docs economics)")


class Entity(_Strict):
    """A non-party holder: an OIMP user (e.g. an airline under CORSIA) or a voluntary buyer."""
    name: str = Field(description="display name")
    kind: Literal["oimp-user", "voluntary-buyer"] = Field(description="oimp-user | voluntary-buyer")
    country: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 3166 alpha-3 code of the registry that holds its account")


class Activity(_Strict):
    """A mitigation activity hosted by a party (a wind farm, cookstoves, a forest)."""
    host: str = Field(description="id of the host party")
    mechanism: Annotated[Literal["6.2", "6.4"], BeforeValidator(_mechanism),
                         WithJsonSchema({"enum": ["6.2", "6.4", 6.2, 6.4]})] = Field(description='"6.2" | "6.4"')
    kind: Literal["reduction", "removal"] = Field("reduction", description="reduction | removal")
    sector: str = Field("", description="free text (AEF sector list recommended)")
    vintages: YearRange = Field(description="first and last vintage credited (2021 or later)")
    outcome: Union[Quantity, YearMap] = Field(
        description="mitigation outcome per vintage year, or a map {vintage: outcome} covering every vintage")
    baseline_decline: Optional[Share] = Field(
        None, description="yearly downward adjustment of the credited outcome; default 0 for 6.2 and 0.01 "
                          "for 6.4 (which requires at least 0.01); the uncredited part stays with the host")
    outcome_variability: Share = Field(
        0.0, description="relative standard deviation of each vintage's realised outcome, drawn from the seed; 0 = deterministic")
    issuance_lag_days: Annotated[int, Field(ge=0, le=3650)] = Field(
        180, description="days from the end of the vintage year to issuance")
    in_ndc_scope: bool = Field(True, description="do the outcomes lower the host's inventory?")
    buffer_share: Share = Field(0.0, description="removals: share of each issuance put in the buffer pool")
    authorised: bool = Field(
        True, description="6.4: does the host authorise its A6.4ERs (else they are mitigation contribution units)")
    leakage: Union[Quantity, YearMap] = Field(
        0.0, description="quantified leakage per vintage year (or a map {vintage: tonnes}): emissions the activity "
                         "causes outside its boundary; deducted from what is credited and added to the inventory "
                         "of leakage_in for the vintage year")
    leakage_in: Optional[str] = Field(
        None, description="party where the leaked emissions occur (default: the host)")


class Authorisation(_Strict):
    """A letter of authorisation (2/CMA.3 annex paras 1-2)."""
    date: datetime.date = Field(description="date of the authorisation")
    purpose: Literal["NDC", "OIMP", "NDC and OIMP"] = Field(description="NDC | OIMP | NDC and OIMP")
    first_transfer: Optional[Literal["international-transfer", "authorisation", "issuance", "use-or-cancellation"]] = Field(
        None, description="first-transfer definition: international-transfer (NDC; default) or, for OIMP, "
                          "authorisation | issuance | use-or-cancellation")


class Sop(_Strict):
    """A voluntary share of proceeds under an Art. 6.2 agreement (2/CMA.3 ch. VII)."""
    units: Share = Field(0.0, description="share of each authorised tranche's units")
    value: Share = Field(0.0, description="share of the value paid")
    to: Literal["adaptation-fund", "host-adaptation"] = Field(
        "adaptation-fund", description="adaptation-fund | host-adaptation")


class Omge(_Strict):
    """Units cancelled for overall mitigation in global emissions under an agreement."""
    units: Share = Field(0.0, description="share of each authorised tranche cancelled")
    at: Literal["issuance", "first-transfer"] = Field("issuance", description="issuance | first-transfer")


class UsePolicy(_Strict):
    """How the buyer uses what it receives."""
    policy: Optional[Literal["on-receipt", "year-end", "as-needed", "never"]] = Field(
        None, description="on-receipt | year-end | as-needed | never; default as-needed for a party "
                          "buying for its NDC, on-receipt otherwise")
    purpose: Optional[Literal["NDC", "OIMP"]] = Field(
        None, description="NDC | OIMP; default NDC for a party buyer, OIMP for an entity")

    def resolved(self, buyer_is_party: bool) -> tuple[str, str]:
        """``(purpose, policy)`` with the defaults of the two fields filled in."""
        purpose = self.purpose or ("NDC" if buyer_is_party else "OIMP")
        return purpose, self.policy or ("as-needed" if buyer_is_party and purpose == "NDC" else "on-receipt")


class Agreement(_Strict):
    """A cooperative approach: the seller transfers units of its activities to the buyer."""
    seller: str = Field(description="transferring party: the host of the activities; or, for a resale (a "
                                    "secondary market), a party or entity that sells units it holds")
    buyer: str = Field(description="acquiring party, or an entity id")
    activities: Annotated[list[str], Field(min_length=1)] = Field(
        description="activities drawn on; a resale may also name a recorded project (v2) as {programme}-{project}")
    share: Share = Field(1.0, description="share of each issuance (after deductions) bought; "
                                          "agreements drawing on one activity: shares sum <= 1")
    cap: Optional[Quantity] = Field(None, description="cumulative maximum of authorised units (no cap if absent)")
    vintages: Optional[YearRange] = Field(None, description="vintages covered; default those of the activities")
    authorisation: Optional[Authorisation] = Field(
        None, description="letter of authorisation; without one the agreement delivers unauthorised units")
    transfer_lag_days: Annotated[int, Field(ge=0, le=3650)] = Field(30, description="days from issuance to delivery")
    price: Union[Price, Annotated[dict[Year, Price], Field(min_length=1)]] = Field(
        0.0, description="per tCO2e in the scenario's currency; or a map by year, linear between given years")
    sop: Sop = Field(default_factory=Sop, description="voluntary share of proceeds")
    omge: Omge = Field(default_factory=Omge, description="voluntary cancellation for OMGE")
    use: UsePolicy = Field(default_factory=UsePolicy, description="the buyer's use policy")
    quantity: Optional[Union[Quantity, YearMap]] = Field(
        None, description="resale only (required): tonnes delivered from the seller's holdings in each year of the "
                          "simulated period, or a map {year: tonnes} of the delivery years (no interpolation)")
    delivery_day: Optional[Annotated[str, Field(min_length=1, max_length=16)]] = Field(
        None, description="resale only: the day of each delivery year, MM-DD (default 12-31)")


class Revocation(_Strict):
    """Revocation of an agreement's authorisation (guide: a6sim docs how-a6sim-counts)."""
    date: datetime.date
    type: Literal["revoke-authorisation"]
    agreement: str = Field(description="agreement whose authorisation is revoked")
    scope: Literal["not-first-transferred", "unissued"] = Field(
        "not-first-transferred", description="not-first-transferred (default) | unissued")


class Reversal(_Strict):
    """A reversal of stored carbon at a removal activity (guide: a6sim docs how-a6sim-counts)."""
    date: datetime.date
    type: Literal["reversal"]
    activity: str = Field(description="the removal activity")
    quantity: Quantity = Field(description="tonnes reversed")
    avoidable: bool = Field(False, description="avoidable reversals must be replenished by the participant")
    replenish_within_days: Annotated[int, Field(ge=0, le=3650)] = Field(
        365, description="avoidable only: deadline for replenishing the buffer")


Event = Annotated[Union[Revocation, Reversal], Field(discriminator="type")]


class Settings(_Strict):
    """Overrides of the rule defaults (guide: a6sim docs how-a6sim-counts)."""
    ca_attribution: Literal["vintage", "first-transfer-year"] = Field(
        "vintage", description="year a first transfer is added for: its vintage (2/CMA.3 annex para 8(a)) "
                               "or the year of the first transfer")
    a64_sop_share: Share = Field(
        0.05, description="Art. 6.4 share of proceeds to the Adaptation Fund: 0.05, fixed by 3/CMA.3 annex "
                          "para 67(a) (any other value is refused; written out for completeness)")
    a64_omge_share: Share = Field(0.02, description="Art. 6.4 share cancelled for OMGE (at least 0.02)")
    a64_omge_rounding: Literal["down", "up"] = Field(
        "down", description="whole tonnes of the Art. 6.4 OMGE cancellation: down (default: every deduction rounded "
                            "down on its own, 333 issued: 6) | up (never below the share, 'at least 2 per cent' of "
                            "3/CMA.3 annex to the tonne: 333 issued: 7)")
    ndc_and_oimp_first_transfer: Literal["earliest", "oimp-event"] = Field(
        "earliest", description="units authorised for NDC and OIMP are first transferred at the first international "
                                "transfer or the OIMP event the authorisation names, whichever comes first "
                                "(earliest, 2/CMA.3 annex para 2), or only at that OIMP event (oimp-event)")
    omge_host_adjustment: bool = Field(
        False, description="does the host apply a corresponding adjustment (an addition for the vintage) for "
                           "authorised units cancelled for OMGE? The texts leave it open; default false")
    other_period_vintages: Literal["refuse", "allow"] = Field(
        "refuse", description="a use towards one NDC period of units whose vintage lies in another of the buyer's "
                              "NDC periods: refuse (default) | allow")
    economics: Literal["deals", "least-cost", "market"] = Field(
        "deals", description="cost figures of parties with an abatement_cost curve: deals (as simulated) | least-cost "
                             "(buy only where cheaper than abating at home) | market (a clearing price instead of the "
                             "agreements; guide: a6sim docs economics)")


class ScenarioModel(_Strict):
    """A scenario file, format version 1 or 2 (2 adds the recorded history)."""
    a6sim: Literal[1, 2] = Field(description="format version: 1, or 2 for a file with recorded history")
    name: str = Field(description="short title")
    description: str = Field("", description="free text, shown in the dashboard")
    units: Literal["tCO2e", "ktCO2e", "MtCO2e"] = Field("tCO2e", description="unit of every quantity in the file")
    currency: str = Field("USD", description="label only")
    seed: Annotated[int, Field(ge=0, le=MAX_SEED)] = Field(0, description="random seed; same file + same seed = identical results")
    period: Period = Field(description="simulated calendar years {start, end}, inclusive")
    parties: Annotated[dict[Identifier, Party], Field(min_length=1)] = Field(
        description="parties by id (ISO 3166 alpha-3 where it is a real country)")
    entities: dict[Identifier, Entity] = Field(default_factory=dict, description="non-party holders by id")
    activities: dict[Identifier, Activity] = Field(default_factory=dict, description="mitigation activities by id")
    agreements: dict[Identifier, Agreement] = Field(default_factory=dict, description="cooperative approaches by id")
    events: list[Event] = Field(default_factory=list, description="revocations and reversals, by date")
    settings: Settings = Field(default_factory=Settings, description="overrides of the rule defaults")
    # format version 2: the recorded history (a6sim/history)
    authorisations: dict[Identifier, RecordedAuthorisation] = Field(
        default_factory=dict, description="v2: recorded letters of authorisation, by id")
    issuances: list[Issuance] = Field(default_factory=list, description="v2: credit blocks as issued, one per item")
    transactions: list[Transaction] = Field(
        default_factory=list, description="v2: dated actions on recorded units: transfer, use, cancellation, "
                                          "voluntary-cancellation")
