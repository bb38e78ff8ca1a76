"""Result writers."""
from .write import OutputError, write_results

__all__ = ["OutputError", "write_results"]
