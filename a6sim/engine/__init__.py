"""The discrete-event engine: activities issue, agreements deliver, parties use."""
from .simulate import run_world
from .world import World

__all__ = ["World", "run_world"]
