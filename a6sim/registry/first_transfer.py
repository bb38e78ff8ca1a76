"""When units are first transferred (2/CMA.3 annex para 2).

* Units authorised for NDC use: at their first international transfer.
* Units authorised for OIMP: at the event the authorisation names
  (``authorisation``, ``issuance`` or ``use-or-cancellation``).
* Units authorised for ``NDC and OIMP``: para 2 makes both triggers apply, so the
  first transfer is whichever comes first: the first international transfer, or the
  OIMP event the authorisation names (setting ``ndc_and_oimp_first_transfer:
  earliest``, the default). The setting ``oimp-event`` offers the other reading:
  only the event the authorisation names.

A unit is first-transferred at most once.
"""
from __future__ import annotations

from .blocks import Status

__all__ = ["first_transfer_due", "own_units_refusal", "NDC_AND_OIMP_RULES"]

NDC_AND_OIMP_RULES = ("earliest", "oimp-event")


def first_transfer_due(status: Status, trigger: str, ndc_and_oimp: str = "earliest") -> bool:
    """Does ``trigger`` (authorisation | issuance | international-transfer |
    use-or-cancellation) first-transfer units of this status?"""
    if status.purpose is None or status.first_transferred:
        return False
    if status.first_transfer == trigger:
        return True
    return (trigger == "international-transfer" and status.purpose == "NDC and OIMP"
            and ndc_and_oimp == "earliest")


def own_units_refusal(party: str) -> str:
    """Why ``party`` may not use units it hosts and never first transferred towards its own
    NDC: they are not internationally transferred (para 1: ITMOs used towards an NDC
    are acquired from another participating Party); their mitigation is already in its
    inventory, so subtracting them as used (para 8(b)) would count it twice. Units it
    first transferred and bought back are ITMOs it acquired: their use is allowed (the
    addition and the use cancel out)."""
    return (f"{party} hosts these units and never first transferred them: its inventory already counts their "
            f"mitigation, so using them towards its own NDC would count it twice (2/CMA.3 annex paras 1, 8(b))")
