"""The bundled example scenarios, lessons and sweeps (package data ``a6sim.examples``).

Installed, this folder is ``a6sim/examples/``; ``a6sim.resources`` finds its files from
any working directory with ``importlib.resources``.
"""
