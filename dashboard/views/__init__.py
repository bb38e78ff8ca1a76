"""Pure figure and table builders of the a6sim dashboard.

Every function takes the pandas tables (or the summary dict) of an
:class:`a6sim.Results` and returns a plotly figure, a DataFrame or a list of dicts.
No Dash imports, no global state: the pages call these from their callbacks.

Modules: :mod:`.style` (template, colours, ``tonnes``), :mod:`.ndc`,
:mod:`.integrity`, :mod:`.units`, :mod:`.money`, :mod:`.network`, :mod:`.compare`,
:mod:`.ledger`.
"""
