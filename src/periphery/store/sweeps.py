"""Sweep bookkeeping in the catalog: planned runs, their chunks, status changes and results.

Only the process that coordinates a sweep calls these functions; workers never open the
catalog. Every function is one transaction, so a sweep killed at any instant leaves the catalog
as it was before or after a whole step, never between: a chunk's runs become ``done`` or
``failed`` together with the record of the part that holds their series.

Status of a run: ``pending`` (planned), ``running`` (handed to a backend), ``done`` (series
stored) or ``failed`` (``error`` says why). A run left ``running`` by a sweep that was killed is
run again by ``--resume``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from periphery.store.catalog import COLUMNS, RunStore, insert_part
from periphery.store.parts import PartInfo

FINISHED = ("done", "failed")

_RUN_TYPES = {
    "run_id": pa.string(), "model": pa.string(), "seed": pa.int64(), "steps": pa.int64(),
    "params": pa.string(), "code_version": pa.string(), "status": pa.string(),
    "error": pa.string(), "created_at": pa.timestamp("us"), "wall_seconds": pa.float64(),
    "series_path": pa.string(), "target": pa.string(), "identity": pa.string(),
    "started_at": pa.timestamp("us"), "finished_at": pa.timestamp("us"),
    "outcomes": pa.string(), "worker": pa.string(),
}  # fmt: skip
_TASK_TYPES = {"sweep_id": pa.string(), "task": pa.int64(), "run_id": pa.string(),
               "point": pa.int64(), "replicate": pa.int64(), "chunk": pa.int64()}  # fmt: skip


def now() -> datetime:
    """The current UTC time without zone, as the catalog's TIMESTAMP columns hold it."""
    return datetime.now(UTC).replace(tzinfo=None)


def _table(rows: Sequence[dict[str, Any]], types: dict[str, pa.DataType]) -> pa.Table:
    return pa.table({k: pa.array([r.get(k) for r in rows], t) for k, t in types.items()})


def get_sweep(store: RunStore, sweep_id: str) -> dict[str, Any] | None:
    """The ``sweeps`` row of ``sweep_id``, or None if the catalog (or the sweep) does not exist."""
    if not store.catalog_path.exists():
        return None
    with store._connect(write=False) as con:
        cur = con.execute("SELECT * FROM sweeps WHERE sweep_id = ?", [sweep_id])
        rows = cur.fetchall()
        row = rows[0] if rows else None
        names = [d[0] for d in cur.description]
    return dict(zip(names, row)) if row else None


def statuses(store: RunStore, run_ids: Iterable[str]) -> dict[str, str]:
    """Status of each of ``run_ids`` that the catalog already holds."""
    ids = sorted(set(run_ids))
    if not ids or not store.catalog_path.exists():
        return {}
    with store._connect(write=False) as con:
        con.register("wanted", pa.table({"run_id": pa.array(ids, pa.string())}))
        rows = con.execute(
            "SELECT r.run_id, r.status FROM runs r JOIN wanted USING (run_id)"
        ).fetchall()
    return dict(rows)


def register(
    store: RunStore,
    sweep: dict[str, Any],
    runs: Sequence[dict[str, Any]],
    tasks: Sequence[dict[str, Any]],
) -> None:
    """Record a planned sweep: its row, its runs not yet in the catalog, and its tasks.

    Runs already in the catalog (from another sweep or a single run) keep their row; tasks
    already recorded (a resumed sweep) are left as they are.
    """
    with store._connect(write=True) as con:
        con.execute("BEGIN")
        cols = ", ".join(sweep)
        con.execute(f"INSERT INTO sweeps ({cols}) VALUES ({', '.join('?' * len(sweep))}) "
                    "ON CONFLICT DO NOTHING", list(sweep.values()))  # fmt: skip
        con.register("new_runs", _table(runs, _RUN_TYPES))
        con.execute(f"INSERT INTO runs ({', '.join(COLUMNS)}) SELECT {', '.join(COLUMNS)} "
                    "FROM new_runs WHERE run_id NOT IN (SELECT run_id FROM runs)")  # fmt: skip
        con.register("new_tasks", _table(tasks, _TASK_TYPES))
        con.execute("INSERT INTO sweep_runs SELECT * FROM new_tasks ON CONFLICT DO NOTHING")
        con.execute("COMMIT")


def open_chunks(store: RunStore, sweep_id: str) -> dict[int, list[dict[str, Any]]]:
    """Chunks of ``sweep_id`` with a run not yet finished, each as its tasks in task order.

    A chunk's runs are committed together, so a chunk is either wholly finished or not; an
    unfinished one is run again as a whole, which writes the same part it would have written.
    """
    with store._connect(write=False) as con:
        rows = con.execute(
            "SELECT s.chunk, s.task, s.run_id, s.point, s.replicate, r.seed, r.params "
            "FROM sweep_runs s JOIN runs r USING (run_id) WHERE s.sweep_id = ? AND s.chunk IN ("
            "  SELECT s2.chunk FROM sweep_runs s2 JOIN runs r2 USING (run_id)"
            "  WHERE s2.sweep_id = ? AND r2.status NOT IN ('done', 'failed'))"
            "ORDER BY s.chunk, s.task", [sweep_id, sweep_id]).fetchall()  # fmt: skip
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    seen: set[tuple[int, str]] = set()
    for chunk, task, rid, point, rep, seed, params in rows:
        if (chunk, rid) in seen:  # the same run asked for twice in one sweep runs once
            continue
        seen.add((chunk, rid))
        out[chunk].append({"task": task, "run_id": rid, "point": point, "replicate": rep,
                           "seed": seed, "params": params})  # fmt: skip
    return dict(out)


def failed_runs(store: RunStore, sweep_id: str) -> list[str]:
    """Ids of the failed runs of ``sweep_id``, in task order."""
    with store._connect(write=False) as con:
        rows = con.execute(
            "SELECT DISTINCT ON (s.run_id) s.run_id, s.task FROM sweep_runs s JOIN runs r "
            "USING (run_id) WHERE s.sweep_id = ? AND r.status = 'failed' ORDER BY s.run_id, s.task",
            [sweep_id]).fetchall()  # fmt: skip
    return [r[0] for r in sorted(rows, key=lambda r: r[1])]


def rechunk(store: RunStore, sweep_id: str, chunk_of: dict[str, int]) -> None:
    """Move runs into new chunks and mark them pending again (to retry failed runs)."""
    with store._connect(write=True) as con:
        con.execute("BEGIN")
        con.register(
            "moves",
            pa.table(
                {
                    "run_id": pa.array(list(chunk_of), pa.string()),
                    "chunk": pa.array(list(chunk_of.values()), pa.int64()),
                }
            ),
        )
        con.execute(
            "UPDATE sweep_runs SET chunk = m.chunk FROM moves m "
            "WHERE sweep_runs.run_id = m.run_id AND sweep_runs.sweep_id = ?",
            [sweep_id],
        )
        con.execute("UPDATE runs SET status = 'pending', error = NULL FROM moves m "
                    "WHERE runs.run_id = m.run_id")  # fmt: skip
        con.execute("COMMIT")


def mark(
    store: RunStore, run_ids: Sequence[str], status: str, only_from: Sequence[str] = ()
) -> None:
    """Set the status of ``run_ids`` (optionally only of those now in ``only_from``)."""
    if not run_ids:
        return
    with store._connect(write=True) as con:
        con.register("ids", pa.table({"run_id": pa.array(list(run_ids), pa.string())}))
        where = "run_id IN (SELECT run_id FROM ids)"
        args: list[Any] = [status]
        if only_from:
            where += f" AND status IN ({', '.join('?' * len(only_from))})"
            args += list(only_from)
        con.execute(f"UPDATE runs SET status = ? WHERE {where}", args)


def commit(
    store: RunStore,
    records: Sequence[dict[str, Any]],
    parts: Sequence[PartInfo] = (),
    events: Sequence[dict[str, Any]] = (),
    running: Sequence[str] = (),
) -> None:
    """Record results of finished chunks, and runs newly handed to a backend, in one transaction.

    ``records`` hold ``run_id``, ``status``, ``error``, ``started_at``, ``finished_at``,
    ``wall_seconds``, ``series_path``, ``outcomes`` (JSON text) and ``worker``; ``parts`` are
    the files holding their series; ``running`` are ids of runs submitted since the last
    commit (marked ``running`` unless already finished).
    """
    cols = ("status", "error", "started_at", "finished_at", "wall_seconds", "series_path",
            "outcomes", "worker")  # fmt: skip
    types = {"run_id": pa.string(), **{c: _RUN_TYPES[c] for c in cols}}
    with store._connect(write=True) as con:
        con.execute("BEGIN")
        if running:
            con.register("submitted", pa.table({"run_id": pa.array(list(running), pa.string())}))
            con.execute("UPDATE runs SET status = 'running' WHERE status = 'pending' "
                        "AND run_id IN (SELECT run_id FROM submitted)")  # fmt: skip
        if records:
            con.register("results", _table(records, types))
            sets = ", ".join(f"{c} = u.{c}" for c in cols)
            con.execute(f"UPDATE runs SET {sets} FROM results u WHERE runs.run_id = u.run_id")
            con.execute("DELETE FROM events WHERE run_id IN (SELECT run_id FROM results)")
        for part in parts:
            insert_part(con, part)
        if events:
            con.register(
                "new_events",
                _table(
                    events,
                    {
                        "run_id": pa.string(),
                        "step": pa.int64(),
                        "kind": pa.string(),
                        "detail": pa.string(),
                    },
                ),
            )
            con.execute("INSERT INTO events SELECT * FROM new_events")
        con.execute("COMMIT")


def max_chunk(store: RunStore, sweep_id: str) -> int:
    """The highest chunk number of ``sweep_id`` (-1 if none)."""
    with store._connect(write=False) as con:
        ((m,),) = con.execute(
            "SELECT max(chunk) FROM sweep_runs WHERE sweep_id = ?", [sweep_id]
        ).fetchall()
    return -1 if m is None else int(m)


def set_outcomes(store: RunStore, outcomes: dict[str, str]) -> None:
    """Replace the ``outcomes`` JSON of runs (``run_id -> JSON text``)."""
    if not outcomes:
        return
    with store._connect(write=True) as con:
        con.register(
            "o",
            pa.table(
                {
                    "run_id": pa.array(list(outcomes), pa.string()),
                    "outcomes": pa.array(list(outcomes.values()), pa.string()),
                }
            ),
        )
        con.execute("UPDATE runs SET outcomes = o.outcomes FROM o WHERE runs.run_id = o.run_id")


def sweep_runs(store: RunStore, sweep_id: str) -> list[dict[str, Any]]:
    """One row per task of ``sweep_id`` with its run's status, parameters and outcomes."""
    with store._connect(write=False) as con:
        cur = con.execute(
            "SELECT s.task, s.point, s.replicate, s.chunk, s.run_id, r.status, r.error, r.params, "
            "r.outcomes, r.series_path FROM sweep_runs s JOIN runs r USING (run_id) "
            "WHERE s.sweep_id = ? ORDER BY s.task", [sweep_id])  # fmt: skip
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]


def counts(store: RunStore, sweep_id: str) -> dict[str, int]:
    """Number of tasks of ``sweep_id`` per status of their run (every status present, maybe 0)."""
    with store._connect(write=False) as con:
        rows = con.execute("SELECT r.status, count(*) FROM sweep_runs s JOIN runs r USING (run_id) "
                           "WHERE s.sweep_id = ? GROUP BY 1", [sweep_id]).fetchall()  # fmt: skip
    out = {s: 0 for s in ("pending", "running", "done", "failed")}
    out.update(dict(rows))
    return out


def list_sweeps(store: RunStore) -> list[dict[str, Any]]:
    """Every sweep of the catalog with its counts of runs per status, newest first."""
    with store._connect(write=False) as con:
        cur = con.execute(
            "SELECT w.sweep_id, w.name, w.design, w.runs, w.created_at, w.experiment_path, "
            "count(*) FILTER (WHERE r.status = 'done') AS done, "
            "count(*) FILTER (WHERE r.status = 'failed') AS failed, "
            "count(*) FILTER (WHERE r.status IN ('pending', 'running')) AS unfinished "
            "FROM sweeps w LEFT JOIN sweep_runs s USING (sweep_id) LEFT JOIN runs r USING (run_id) "
            "GROUP BY ALL ORDER BY w.created_at DESC, w.sweep_id")  # fmt: skip
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]
