"""Corresponding adjustments, emissions balances, attainment, integrity (pure functions)."""
from .inventory import inventories, scenario_reversals
from .ledger_figures import LedgerFigures, ledger_figures
from .ndc import NdcSpec, attainment_of, averaging_amount, ndc_spec, use_needed, year_rows

__all__ = ["LedgerFigures", "NdcSpec", "attainment_of", "averaging_amount", "inventories", "ledger_figures",
           "ndc_spec", "scenario_reversals", "use_needed", "year_rows"]
