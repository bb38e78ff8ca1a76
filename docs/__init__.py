"""The guides shipped with a6sim (package data ``a6sim.docs``): how a6sim counts, the
economics, lessons.

Installed, this folder is ``a6sim/docs/``; ``a6sim.resources`` finds its files from any
working directory. Read them with ``a6sim docs NAME`` or on the dashboard's Guides page.
"""
