"""Accounts of the national registries and of the Art. 6.4 mechanism registry.

docs/how-a6sim-counts.md. An account id reads ``{registry}:{name}``:
``CHE:holding``, ``CHE:ndc-use``, ``GHA:activity:gha-cookstoves``,
``SGP:entity:airline-x``, ``A6.4:adaptation-fund``.
"""
from __future__ import annotations

from typing import NamedTuple

__all__ = ["Account", "MECHANISM", "TERMINAL_KINDS", "KINDS"]

MECHANISM = "A6.4"  # the Art. 6.4 mechanism registry

KINDS = (
    "holding",                 # a party's or entity's holding account
    "activity",                # activity participants' holding (where issuances land)
    "ndc-use",                 # retirement towards an NDC
    "oimp-use",                # use for other international mitigation purposes
    "voluntary-cancellation",
    "omge-cancellation",       # overall mitigation in global emissions
    "adaptation-fund",         # share of proceeds to the Adaptation Fund
    "host-adaptation",         # share of proceeds to the host's adaptation account
    "buffer",                  # reversal buffer pool
    "reversal-cancellation",   # buffer units cancelled to cover a reversal
)
# Units that reach these never move again (docs/how-a6sim-counts.md).
TERMINAL_KINDS = frozenset({"ndc-use", "oimp-use", "voluntary-cancellation",
                            "omge-cancellation", "reversal-cancellation"})


class Account(NamedTuple):
    """An account: its id, the registry it sits in, its owner and its kind."""
    id: str
    registry: str   # party id, an entity's country, or MECHANISM
    owner: str      # party id, entity id, activity id or MECHANISM
    kind: str

    @property
    def terminal(self) -> bool:
        return self.kind in TERMINAL_KINDS
