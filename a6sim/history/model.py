"""Scenario format v2: the recorded history of credit blocks (docs/how-a6sim-counts.md).

``authorisations`` (letters of authorisation by id), ``issuances`` (credit blocks as
issued, one per row) and ``transactions`` (dated AEF actions on recorded units:
transfer, use, cancellation, voluntary-cancellation). Quantities are in the
scenario's ``units`` and become whole tonnes once, like every other quantity.
"""
from __future__ import annotations

import datetime
from typing import Annotated, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

from ..scenario.limits import MAX_QUANTITY

__all__ = ["RecordedAuthorisation", "Issuance", "Select", "Transaction", "PURPOSES", "FIRST_TRANSFER"]

Year = Annotated[int, Field(ge=1900, le=2200)]
# the same bounds as every quantity of a scenario (a6sim/scenario/limits.py): finite, at most 1e12
# in the file's units and 1e12 tCO2e once converted
Quantity = Annotated[float, Field(ge=0, le=MAX_QUANTITY, allow_inf_nan=False,
                                  description="quantity in the scenario's units")]
Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
Text = Annotated[str, Field(min_length=1, max_length=200)]
PURPOSES = ("NDC", "OIMP", "NDC and OIMP")
FIRST_TRANSFER = ("international-transfer", "authorisation", "issuance", "use-or-cancellation")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=False)


class RecordedAuthorisation(_Strict):
    """A recorded letter of authorisation (2/CMA.3 annex paras 1-2, 18)."""
    host: str = Field(description="the authorising (first-transferring) party")
    date: Union[datetime.date, Year] = Field(
        description="date of the authorisation, or only its year (then taken as 1 July and reported as 'year only')")
    purpose: Literal["NDC", "OIMP", "NDC and OIMP"] = Field(description="NDC | OIMP | NDC and OIMP")
    first_transfer: Optional[Literal["international-transfer", "authorisation", "issuance", "use-or-cancellation"]] = Field(
        None, description="first-transfer definition: international-transfer (NDC; default) or, for OIMP, "
                          "authorisation | issuance | use-or-cancellation")
    cooperative_approach: str = Field("", description="cooperative approach id (free text, reported as such)")
    entities: list[str] = Field(default_factory=list,
                                description="OIMP: the entities authorised to use the units (reported in Table 4)")


class Issuance(_Strict):
    """A credit block as issued: one contiguous serial range of one project and vintage."""
    date: datetime.date = Field(description="issuance date")
    host: str = Field(description="host party of the project")
    programme: Name = Field(description="crediting programme, also the id of its registry (GS, VCS, A6.4, ...)")
    project: Text = Field(description="project id within the programme")
    vintage: Year = Field(description="vintage: the year the mitigation occurred (2021 or later)")
    quantity: Quantity = Field(description="units in the block")
    serials: Optional[Text] = Field(
        None, description="serial range, e.g. GS1-1-TZ-GS11732-16-2022-25700-1-100; its range must hold quantity units")
    authorisation: Optional[str] = Field(None, description="id of the authorisation that covers the block (none: not authorised)")
    holder: Optional[str] = Field(None, description="who holds it at issuance: a party, an entity or a programme "
                                                    "registry (default: the programme's registry)")


class Select(_Strict):
    """Which recorded units a transaction takes (all given fields must match), oldest serial first."""
    project: Optional[Text] = Field(None, description="project id")
    vintage: Optional[Year] = Field(None, description="vintage")
    programme: Optional[Name] = Field(None, description="crediting programme")
    authorisation: Optional[str] = Field(None, description="authorisation id")


class Transaction(_Strict):
    """A dated AEF action on recorded units (decision 6/CMA.4)."""
    date: datetime.date = Field(description="date of the action")
    action: Literal["transfer", "use", "cancellation", "voluntary-cancellation"] = Field(
        description="transfer | use | cancellation (for OMGE) | voluntary-cancellation")
    from_holder: Optional[str] = Field(None, alias="from", description="transfer: the transferring holder")
    to: Optional[str] = Field(None, description="transfer: the acquiring holder")
    holder: Optional[str] = Field(None, description="use and cancellations: the holder that uses or cancels")
    quantity: Quantity = Field(description="units moved")
    purpose: Optional[Literal["NDC", "OIMP"]] = Field(
        None, description="use: NDC | OIMP (default NDC for a party, OIMP for an entity or a programme registry)")
    use_year: Optional[Year] = Field(None, description="use towards an NDC: the year the use counts for "
                                                       "(default the year of the date; a use after the NDC period counts for its last year)")
    select: Optional[Select] = Field(None, description="pick units by project, vintage, programme, authorisation")
    serials: Optional[Text] = Field(None, description="or name a serial range")
