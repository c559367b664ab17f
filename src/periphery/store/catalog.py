"""The run catalog (DuckDB) and the store that writes and reads runs.

Table ``runs`` (one row per run)::

    run_id        VARCHAR  primary key, see ``ids.run_id``
    model         VARCHAR  model name, e.g. civil-violence, threshold, world
    seed          BIGINT
    steps         BIGINT
    params        JSON     resolved parameters
    code_version  VARCHAR
    status        VARCHAR  done or failed
    error         VARCHAR  error text of a failed run, else NULL
    created_at    TIMESTAMP (UTC)
    wall_seconds  DOUBLE
    series_path   VARCHAR  relative to the output folder

DuckDB allows one writing process at a time, so the store opens the catalog for each
operation and closes it straight after, never holding it across a run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from periphery.store import atomic
from periphery.store.ids import canonical_json, run_id
from periphery.store.manifest import environment

CATALOG = "catalog.duckdb"
SERIES = "series"
MANIFESTS = "manifests"

_DDL = """
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    model VARCHAR NOT NULL,
    seed BIGINT NOT NULL,
    steps BIGINT NOT NULL,
    params JSON NOT NULL,
    code_version VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    error VARCHAR,
    created_at TIMESTAMP NOT NULL,
    wall_seconds DOUBLE,
    series_path VARCHAR
)
"""
COLUMNS = ("run_id", "model", "seed", "steps", "params", "code_version", "status", "error",
           "created_at", "wall_seconds", "series_path")  # fmt: skip


class StoreError(RuntimeError):
    """A store problem (unknown run, corrupt file, unwritable folder); the message names the path."""


class RunStore:
    """The runs of one output folder.

    Parameters
    ----------
    root : path
        The output folder; created on the first write, never on a read.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    @property
    def catalog_path(self) -> Path:
        """Path of the DuckDB catalog."""
        return self.root / CATALOG

    def series_path(self, rid: str) -> Path:
        """Path of a run's per-step aggregates."""
        return self.root / SERIES / f"{rid}.parquet"

    def manifest_path(self, rid: str) -> Path:
        """Path of a run's manifest."""
        return self.root / MANIFESTS / f"{rid}.json"

    @contextmanager
    def _connect(self, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        if not write and not self.catalog_path.exists():
            raise StoreError(f"{self.catalog_path}: no catalog here; run something with --out {self.root}")
        if write:
            self.root.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(str(self.catalog_path), read_only=not write)
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0]
            raise StoreError(f"{self.catalog_path}: not a readable DuckDB catalog ({first})") from None
        try:
            if write:
                con.execute(_DDL)
            yield con
        finally:
            con.close()

    def save(self, identity: dict[str, Any], series: pa.Table, wall_seconds: float,
             extra: dict[str, Any] | None = None) -> str:
        """Store one finished run and return its id.

        ``identity`` must hold ``model``, ``params``, ``seed``, ``steps`` and ``code_version``
        (and anything else that determines the result); ``series`` is the per-step table.
        The series and the manifest are written atomically before the catalog row, so the
        catalog never lists a run whose files are incomplete.
        """
        rid = run_id(identity)
        table = series.add_column(0, "run_id", pa.array([rid] * series.num_rows, pa.string()))
        atomic.write_parquet(table, self.series_path(rid))
        manifest = {"run_id": rid, **identity, "wall_seconds": round(wall_seconds, 3),
                    **environment(), **(extra or {})}  # fmt: skip
        atomic.write_json(manifest, self.manifest_path(rid))
        with self._connect(write=True) as con:
            con.execute(
                "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?, ?, 'done', NULL, ?, ?, ?)",
                [rid, identity["model"], int(identity["seed"]), int(identity["steps"]),
                 canonical_json(identity["params"]), identity["code_version"],
                 manifest["created_at"], wall_seconds,
                 self.series_path(rid).relative_to(self.root).as_posix()],
            )  # fmt: skip
        return rid

    def list(self) -> list[dict[str, Any]]:
        """All runs of the catalog, newest first."""
        with self._connect(write=False) as con:
            rows = con.execute(
                f"SELECT {', '.join(COLUMNS)} FROM runs ORDER BY created_at DESC, run_id"
            ).fetchall()
        return [dict(zip(COLUMNS, r)) for r in rows]

    def resolve(self, prefix: str) -> str:
        """The full id of the one run whose id starts with ``prefix``."""
        if not prefix or not all(c in "0123456789abcdef" for c in prefix):
            raise StoreError(f"run id '{prefix}': expected hexadecimal digits (a run id or its prefix)")
        with self._connect(write=False) as con:
            ids = [r[0] for r in con.execute(
                "SELECT run_id FROM runs WHERE starts_with(run_id, ?) ORDER BY run_id", [prefix]
            ).fetchall()]  # fmt: skip
        if not ids:
            raise StoreError(f"{self.catalog_path}: no run with id starting '{prefix}'")
        if len(ids) > 1:
            raise StoreError(f"run id prefix '{prefix}' is ambiguous: {', '.join(ids[:5])}")
        return ids[0]

    def manifest(self, rid: str) -> dict[str, Any]:
        """A run's manifest."""
        path = self.manifest_path(rid)
        try:
            return json.loads(path.read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise StoreError(f"{path}: unreadable manifest ({exc})") from None

    def read_series(self, rid: str) -> pa.Table:
        """A run's per-step aggregates; a missing, truncated or corrupt file is an error naming it."""
        path = self.series_path(rid)
        try:
            return pq.read_table(path)
        except (OSError, pa.ArrowException) as exc:
            raise StoreError(f"{path}: missing or corrupt series ({exc})") from None

    def check(self) -> list[str]:
        """Problems found: catalog rows whose files are missing or unreadable, and files no row lists."""
        problems = []
        listed = {r["run_id"] for r in self.list()}
        for rid in sorted(listed):
            try:
                self.read_series(rid)
                self.manifest(rid)
            except StoreError as exc:
                problems.append(str(exc))
        for path in sorted((self.root / SERIES).glob("*.parquet")):
            if path.stem not in listed:
                problems.append(f"{path}: not in the catalog (left by an interrupted run?)")
        return problems
