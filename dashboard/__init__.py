"""The a6sim dashboard: run, explore and compare scenarios in the browser.

Start it with ``a6sim dashboard``; in Python, ``dashboard.create_app()`` gives the
Dash app (its Flask server is ``app.server``).
"""
from .app import create_app

__all__ = ["create_app"]
