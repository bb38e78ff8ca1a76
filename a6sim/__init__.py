"""a6sim: simulate bilateral transfers under Article 6 of the Paris Agreement.

>>> import a6sim
>>> scenario = a6sim.load_scenario("scenarios/two_party_basic.yaml")
>>> results = a6sim.simulate(scenario)
>>> results.attainment
"""
__version__ = "0.1.0"

from .results import Results, simulate  # noqa: E402
from .scenario import Scenario, ScenarioError, load_scenario, scenario_from_dict, scenario_from_text  # noqa: E402

__all__ = ["Results", "Scenario", "ScenarioError", "load_scenario", "model", "scenario_from_dict",
           "scenario_from_text", "simulate", "sweep", "__version__"]


def __getattr__(name):
    """``a6sim.sweep`` and ``a6sim.model`` load the experiments package on first use."""
    if name in ("sweep", "model"):
        from . import experiments
        return getattr(experiments, name)
    raise AttributeError(f"module 'a6sim' has no attribute {name!r}")
