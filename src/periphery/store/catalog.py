"""The run catalog (DuckDB) and the store that writes and reads runs.

The catalog's tables are documented, with their stable columns, in ``docs/store.md``:

``runs``
    one row per run (id from model or scenario content, parameters, seed, steps and code
    version): status ``pending``, ``running``, ``done`` or ``failed``, error text, timings,
    resolved parameters and summary outcomes as JSON, and the Parquet file holding its series;
``sweeps`` and ``sweep_runs``
    one row per sweep (experiment file, design, root seed) and one per task of a sweep (design
    point, replicate, the chunk of runs it was written with);
``parts``
    one row per Parquet file of series: size, rows, runs and SHA-256, so a truncated or altered
    file is detected and reported with its path;
``events``
    dated events a model reports (``step``, ``kind``, ``detail``), one row each.

DuckDB allows one writing process at a time, so the store opens the catalog for each
operation and closes it straight after, never holding it across a run; during a sweep only
the coordinating process writes it, and workers write only their own Parquet parts.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from periphery.store import atomic
from periphery.store.ids import canonical_json, run_id
from periphery.store.manifest import environment
from periphery.store.parts import PARTS, PartInfo, write_part
from periphery.store.parts import verify as verify_part

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
    series_path VARCHAR,
    target VARCHAR,
    identity JSON,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    outcomes JSON,
    worker VARCHAR
);
CREATE TABLE IF NOT EXISTS sweeps (
    sweep_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    experiment_path VARCHAR,
    spec JSON NOT NULL,
    design VARCHAR NOT NULL,
    root_seed BIGINT NOT NULL,
    points BIGINT NOT NULL,
    replicates BIGINT NOT NULL,
    runs BIGINT NOT NULL,
    code_version VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS sweep_runs (
    sweep_id VARCHAR NOT NULL,
    task BIGINT NOT NULL,
    run_id VARCHAR NOT NULL,
    point BIGINT NOT NULL,
    replicate BIGINT NOT NULL,
    chunk BIGINT,
    PRIMARY KEY (sweep_id, task)
);
CREATE TABLE IF NOT EXISTS parts (
    path VARCHAR PRIMARY KEY,
    sha256 VARCHAR NOT NULL,
    bytes BIGINT NOT NULL,
    rows BIGINT NOT NULL,
    runs BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    mtime_ns BIGINT
);
CREATE TABLE IF NOT EXISTS events (
    run_id VARCHAR NOT NULL,
    step BIGINT NOT NULL,
    kind VARCHAR NOT NULL,
    detail VARCHAR
);
"""
# Columns added after a table's first layout; older catalogs gain them on first write.
_ADDED = (("runs", "target", "VARCHAR"), ("runs", "identity", "JSON"),
          ("runs", "started_at", "TIMESTAMP"), ("runs", "finished_at", "TIMESTAMP"),
          ("runs", "outcomes", "JSON"), ("runs", "worker", "VARCHAR"),
          ("parts", "mtime_ns", "BIGINT"))  # fmt: skip
COLUMNS = ("run_id", "model", "seed", "steps", "params", "code_version", "status", "error",
           "created_at", "wall_seconds", "series_path", "target", "identity", "started_at",
           "finished_at", "outcomes", "worker")  # fmt: skip
LOCK_WAIT_SECONDS = 30.0
STATUSES = ("pending", "running", "done", "failed")
_IDENTITY_KEYS = ("model", "params", "seed", "steps", "code_version")


def _needs_migration(con: duckdb.DuckDBPyConnection) -> bool:
    return not con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'parts'"
    ).fetchall()[0][0]


def _migrate(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(_DDL)
    have = set(con.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
    ).fetchall())  # fmt: skip
    for table, name, kind in _ADDED:
        if (table, name) not in have:
            con.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")


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
        # run id -> (series file, its recorded size); filled by one query, so reading the
        # series of many runs opens the catalog once, not once per run
        self._located: dict[str, tuple] = {}

    def _locate(self) -> None:
        with self._connect(write=False) as con:
            rows = con.execute(
                "SELECT r.run_id, r.series_path, p.bytes, p.sha256, p.mtime_ns FROM runs r LEFT JOIN "
                "parts p ON p.path = r.series_path WHERE r.series_path IS NOT NULL").fetchall()  # fmt: skip
        self._located = {r[0]: r[1:] for r in rows}

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
        con = self._open(read_only=not write)
        try:
            if write:
                _migrate(con)
            elif _needs_migration(con):  # a catalog from before sweeps: upgrade it once
                con.close()
                with self._connect(write=True):
                    pass
                con = self._open(read_only=True)
            yield con
        finally:
            con.close()

    def _open(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        # Another process (a sweep's coordinator) may hold the file for a moment; wait for it.
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                return duckdb.connect(str(self.catalog_path), read_only=read_only)
            except duckdb.Error as exc:
                first = str(exc).splitlines()[0]
                if "lock" in first.lower() and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                raise StoreError(f"{self.catalog_path}: not a readable DuckDB catalog ({first})") from None

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
        rel = self.series_path(rid).relative_to(self.root).as_posix()
        part = write_part(self.root, rel, table)
        manifest = {"run_id": rid, **identity, "wall_seconds": round(wall_seconds, 3),
                    **environment(), **(extra or {})}  # fmt: skip
        atomic.write_json(manifest, self.manifest_path(rid))
        rest = {k: v for k, v in identity.items() if k not in _IDENTITY_KEYS}
        row = {"run_id": rid, "model": identity["model"], "seed": int(identity["seed"]),
               "steps": int(identity["steps"]), "params": canonical_json(identity["params"]),
               "code_version": identity["code_version"], "status": "done", "error": None,
               "created_at": manifest["created_at"], "wall_seconds": wall_seconds,
               "series_path": rel, "target": identity.get("target", identity["model"]),
               "identity": canonical_json(rest), "started_at": None,
               "finished_at": manifest["created_at"], "outcomes": None, "worker": None}  # fmt: skip
        with self._connect(write=True) as con:
            con.execute("BEGIN")
            con.execute(f"INSERT OR REPLACE INTO runs ({', '.join(row)}) "
                        f"VALUES ({', '.join('?' * len(row))})", list(row.values()))  # fmt: skip
            insert_part(con, part)
            con.execute("COMMIT")
        self._located[rid] = (rel, part.bytes, part.sha256, part.mtime_ns)
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
        """A run's per-step aggregates; a missing, truncated or corrupt file is an error naming it.

        The catalog says which file holds the run (its own file for a single run, a part shared
        with other runs of its chunk for a sweep); a run the catalog does not know is looked
        for under ``series/``.
        """
        path = self.series_path(rid)
        size = None
        if rid not in self._located and self.catalog_path.exists():
            self._locate()
        check = None
        if self._located.get(rid):
            rel, size, sha, mtime = self._located[rid]
            path = self.root / rel
            check = (rel, size, sha, mtime)
        if check is not None and check[1] is not None:
            problem = verify_part(self.root, *check)
            if problem:
                raise StoreError(problem)
        try:
            table = pq.read_table(path, filters=[("run_id", "=", rid)])
        except (OSError, pa.ArrowException) as exc:
            raise StoreError(f"{path}: missing or corrupt series ({exc})") from None
        return table

    def check(self) -> list[str]:
        """Problems found: missing, truncated or altered files, and files no row lists.

        Every part is hashed and compared with its recorded SHA-256; runs marked done must have
        a readable series and, for single runs, a manifest.
        """
        problems = []
        with self._connect(write=False) as con:
            done = con.execute(
                "SELECT run_id, series_path FROM runs WHERE status = 'done' ORDER BY run_id"
            ).fetchall()
            parts = con.execute("SELECT path, bytes, sha256 FROM parts ORDER BY path").fetchall()
        recorded = {p[0] for p in parts}
        bad = set()
        for rel, size, digest in parts:
            problem = verify_part(self.root, rel, size, digest)
            if problem:
                problems.append(problem)
                bad.add(rel)
        for rid, rel in done:
            if rel is None:
                continue
            if rel not in recorded:  # a catalog written before parts were recorded
                try:
                    self.read_series(rid)
                except StoreError as exc:
                    problems.append(str(exc))
            if rel.startswith(f"{SERIES}/") and rel not in bad:
                try:
                    self.manifest(rid)
                except StoreError as exc:
                    problems.append(str(exc))
        for folder in (SERIES, PARTS):
            for path in sorted((self.root / folder).rglob("*.parquet")):
                if path.relative_to(self.root).as_posix() not in recorded | {r[1] for r in done}:
                    problems.append(f"{path}: not in the catalog (left by an interrupted run?)")
        return problems


def insert_part(con: duckdb.DuckDBPyConnection, part: PartInfo) -> None:
    """Record ``part`` in the ``parts`` table (replacing an earlier record of the same path)."""
    con.execute("INSERT OR REPLACE INTO parts VALUES (?, ?, ?, ?, ?, ?, ?)",
                [part.path, part.sha256, part.bytes, part.rows, part.runs,
                 datetime.now(UTC).replace(tzinfo=None), part.mtime_ns])  # fmt: skip
