"""Blocks, accounts, the append-only ledger and its invariants."""
from .accounts import MECHANISM, TERMINAL_KINDS, Account
from .blocks import Block, Lot, Status
from .invariants import check_invariants
from .ledger import ACTIONS, Ledger, LedgerRow
from .registry import Registry, RegistryError

__all__ = ["ACTIONS", "Account", "Block", "Ledger", "LedgerRow", "Lot", "MECHANISM", "Registry",
           "RegistryError", "Status", "TERMINAL_KINDS", "check_invariants"]
