"""The bundled example sweeps (package data ``a6sim.examples.sweeps``; README, "Sweeps")."""
