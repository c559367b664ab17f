"""The run store: per-step aggregates as Parquet, a manifest per run, a DuckDB catalog.

Layout of an output folder::

    OUT/catalog.duckdb             one row per run (see ``catalog.py`` for the table layout)
    OUT/series/<run id>.parquet    per-step aggregates, one row per step, plus a run_id column
    OUT/manifests/<run id>.json    model, parameters, seed, code and package versions, wall time

Files are written to a temporary name and renamed into place, and a run enters the catalog
only after both of its files are in place, so an interrupted run leaves nothing the catalog
believes in.
"""

from periphery.store.catalog import RunStore, StoreError
from periphery.store.ids import code_version, run_id

__all__ = ["RunStore", "StoreError", "code_version", "run_id"]
