"""a6sim: simulate bilateral transfers under Article 6 of the Paris Agreement.

>>> import a6sim
>>> scenario = a6sim.load_scenario("two_party_basic")   # a file, or a bundled example by name
>>> results = a6sim.simulate(scenario)
>>> results.attainment

The names below load their modules on first use, so that ``import a6sim`` (and the
``a6sim`` command's first output) does not wait for pandas and pydantic.
"""
__version__ = "0.1.0"

from importlib import import_module as _import_module

__all__ = ["Results", "Scenario", "ScenarioError", "load_scenario", "model", "scenario_from_dict",
           "scenario_from_text", "simulate", "sweep", "__version__"]

# public name -> the module that defines it
_LAZY = {"Results": "results", "simulate": "results", "Scenario": "scenario", "ScenarioError": "scenario",
         "load_scenario": "scenario", "scenario_from_dict": "scenario", "scenario_from_text": "scenario",
         "sweep": "experiments", "model": "experiments"}


def __getattr__(name):
    """``a6sim.simulate``, ``a6sim.load_scenario``, ... load their module on first use; so does
    a subpackage (``a6sim.scenario``) asked for as an attribute."""
    if name in _LAZY:
        value = getattr(_import_module(f".{_LAZY[name]}", __name__), name)
        if name not in ("sweep", "model"):   # a6sim.sweep stays the function, not the subpackage
            globals()[name] = value
        return value
    if not name.startswith("__"):
        try:
            return _import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module 'a6sim' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
