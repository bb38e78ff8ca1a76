"""Pages of the dashboard: each module has ``layout(...)`` and ``register(app, store)``."""
