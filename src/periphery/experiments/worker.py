"""What a worker process does with one chunk of a sweep: run each run, write one part, report.

A chunk is a fixed list of runs decided when the sweep is planned. The worker runs them in
order, computes each run's summary outcomes, writes the series of the successful ones into a
single Parquet part (atomically, under a name fixed by the plan), and returns one record per
run. It never touches the catalog: the coordinating process records the chunk's results in one
transaction. A run that raises is recorded as failed with its error, and the chunk goes on.

The function and its arguments are plain picklable data, so any ``concurrent.futures``
executor runs it: a local process pool or a Dask cluster.
"""

from __future__ import annotations

import os
import socket
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from periphery.experiments.outcomes import compute
from periphery.experiments.single import resolve, simulate
from periphery.store import code_version
from periphery.store.ids import canonical_json
from periphery.store.parts import PartInfo, write_part

# The code version of a worker, computed when its process imports this module (on a cluster,
# at the first chunk it receives), so that it names the code the worker actually loaded.
LOADED_VERSION = code_version()


@dataclass(frozen=True)
class Chunk:
    """A unit of work: runs of one sweep that share one Parquet part.

    Attributes
    ----------
    sweep_id, index : str, int
        The sweep and the chunk's number in it.
    root : str
        Absolute path of the output folder (shared by all workers).
    part : str
        Path of the part to write, relative to ``root``.
    base : str
        Model name or scenario path.
    steps : int
        Steps per run.
    outcomes : tuple of dict
        Summary outcomes to compute.
    tasks : tuple of dict
        ``run_id``, ``values`` (parameter values) and ``seed`` of each run.
    code_version : str
        The coordinator's code version.
    check_code : bool
        Refuse the chunk if this worker runs other code (set for clusters, whose workers may
        have their own installation; local workers share the coordinator's files).
    """

    sweep_id: str
    index: int
    root: str
    part: str
    base: str
    steps: int
    outcomes: tuple[dict[str, Any], ...]
    tasks: tuple[dict[str, Any], ...]
    code_version: str
    check_code: bool = False


@dataclass
class ChunkResult:
    """What a worker reports for a chunk."""

    index: int
    records: list[dict[str, Any]]
    part: PartInfo | None
    events: list[dict[str, Any]] = field(default_factory=list)
    compute_seconds: float = 0.0
    write_seconds: float = 0.0


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def error_text(exc: BaseException, where: bool = True) -> str:
    """One line: the exception and (with ``where``) the place it was raised."""
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip().replace("\n", " ")
    tb = traceback.extract_tb(exc.__traceback__) if where else None
    if tb:
        frame = tb[-1]
        text += f" (at {Path(frame.filename).name}:{frame.lineno} in {frame.name})"
    return text


def _events(model: Any, rid: str) -> list[dict[str, Any]]:
    # Optional protocol: a model may expose ``events`` (a list, or a method returning one) of
    # mappings with ``step``, ``kind`` and ``detail``, e.g. the timeline of a scenario.
    ev = getattr(model, "events", None)
    if ev is None:
        return []
    items = ev() if callable(ev) else ev
    return [{"run_id": rid, "step": int(e["step"]), "kind": str(e["kind"]),
             "detail": None if e.get("detail") is None else str(e["detail"])} for e in items]  # fmt: skip


def warm_up(base: str, values: dict[str, Any]) -> None:
    """Build and step the base once, so imports and compiled kernels are loaded before real work.

    Submitted once per worker while the coordinator plans the sweep; a failure here is left
    for the real runs to report.
    """
    try:
        simulate(resolve(base, values), 1, 0)
    except Exception:  # noqa: BLE001, S110 - the runs themselves record any error
        pass


def run_chunk(chunk: Chunk) -> ChunkResult:
    """Run every run of ``chunk``, write their series as one part, and report the results."""
    if chunk.check_code and LOADED_VERSION != chunk.code_version:
        raise RuntimeError(f"worker {socket.gethostname()} runs periphery {LOADED_VERSION}, the "
                           f"sweep was planned with {chunk.code_version}; install the same code")  # fmt: skip
    worker = f"{socket.gethostname()}:{os.getpid()}"
    records, tables, events = [], [], []
    compute_seconds = 0.0
    for task in chunk.tasks:
        rid = task["run_id"]
        started = _now()
        t0 = time.perf_counter()
        rec: dict[str, Any] = {"run_id": rid, "started_at": started, "worker": worker,
                               "series_path": None, "outcomes": None, "error": None}  # fmt: skip
        try:
            target = resolve(chunk.base, task["values"])
            series, model, _ = simulate(target, chunk.steps, int(task["seed"]))
            rec["outcomes"] = canonical_json(compute(chunk.outcomes, series))
            tables.append(
                series.add_column(0, "run_id", pa.array([rid] * series.num_rows, pa.string()))
            )
            events += _events(model, rid)
            rec["status"] = "done"
        except Exception as exc:  # noqa: BLE001 - any failure of one run is recorded, the chunk goes on
            rec["status"], rec["error"] = "failed", error_text(exc)
        rec["wall_seconds"] = time.perf_counter() - t0
        rec["finished_at"] = _now()
        compute_seconds += rec["wall_seconds"]
        records.append(rec)
    part = None
    t0 = time.perf_counter()
    if tables:
        table = pa.concat_tables(tables, promote_options="default")
        part = write_part(Path(chunk.root), chunk.part, table)
        for rec in records:
            if rec["status"] == "done":
                rec["series_path"] = chunk.part
    return ChunkResult(
        chunk.index, records, part, events, compute_seconds, time.perf_counter() - t0
    )
