"""The dashboard: pick a model or scenario, set its parameters, run it live, browse stored runs.

``dashboard.py`` is the Solara page; the parts that do not need Solara (parameter controls,
live runs, safe file access) are plain modules so they can be tested without a browser.
Start it with ``periphery app`` (``server.py``), which binds 127.0.0.1 unless told otherwise.
"""
