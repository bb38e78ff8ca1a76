"""``a6sim import blocks``: credit block tables in, a format-v2 scenario out."""
from .blocks import BlockTableError, import_blocks

__all__ = ["BlockTableError", "import_blocks"]
