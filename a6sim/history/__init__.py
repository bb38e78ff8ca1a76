"""Recorded history (scenario format v2): authorisations, issuances, transactions.

The model (:mod:`.model`), the serial numbers of credit blocks (:mod:`.serials`), the
checks that refuse a history that cannot have happened (:mod:`.checks`), and its
replay into the run's registry and ledger (:mod:`.replay`).
"""
from .. import scenario as _scenario  # noqa: F401  first: a6sim.scenario.model needs this package's model whole
from .model import Issuance, RecordedAuthorisation, Select, Transaction

__all__ = ["Issuance", "RecordedAuthorisation", "Select", "Transaction"]
