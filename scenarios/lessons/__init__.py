"""The bundled teaching lessons (package data ``a6sim.examples.lessons``)."""
