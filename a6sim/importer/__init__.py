"""``a6sim import blocks``: credit block tables in, a format-v2 scenario out.

The names below load :mod:`a6sim.importer.blocks` on first use, so that building the
``a6sim`` command's parser (which registers ``a6sim import``) loads no scenario schema.
"""
from importlib import import_module as _import_module

__all__ = ["BlockTableError", "import_blocks"]


def __getattr__(name):
    """``a6sim.importer.import_blocks`` and ``BlockTableError`` load their module on first use."""
    if name in __all__:
        value = getattr(_import_module(".blocks", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'a6sim.importer' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
