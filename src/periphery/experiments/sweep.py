"""Running a sweep: plan it, record it, submit its chunks to a backend, collect, resume.

The coordinating process is the only one that writes the catalog. It records the plan (every
run ``pending``), submits chunks to the backend's executor a few at a time, and records the
results of finished chunks in one transaction about once a second (opening DuckDB costs tens
of milliseconds, and the coordinator shares the machine with the workers). Parts are written
by the workers before their results reach the coordinator, so whatever is killed when, the
catalog only lists runs whose series are on disk; a chunk whose results were not recorded is
run again by ``--resume`` and writes the same part again.

Ctrl-C (or SIGTERM) stops cleanly: queued chunks are cancelled, running ones finish and are
recorded (a second Ctrl-C abandons them), runs left ``running`` go back to ``pending``, and
``SweepInterrupted`` reports what is left for ``--resume``.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from periphery.experiments.backends import Backend
from periphery.experiments.outcomes import compute
from periphery.experiments.plan import Plan, chunk_runs, make_plan
from periphery.experiments.single import check_writable
from periphery.experiments.spec import Experiment
from periphery.experiments.worker import Chunk, ChunkResult, error_text, run_chunk, warm_up
from periphery.store import RunStore, StoreError, code_version
from periphery.store import sweeps as book
from periphery.store.ids import canonical_json

COMMIT_SECONDS = 1.0  # shortest interval between two commits of results to the catalog


class SweepError(ValueError):
    """A sweep that cannot start as asked (one line, for the user)."""


@dataclass
class SweepStatus:
    """Counts of a sweep's runs (distinct runs, not tasks), kept current while it runs."""

    sweep_id: str
    name: str
    out: Path
    total: int
    done: int = 0
    failed: int = 0
    ran: int = 0
    reused: int = 0
    started: float = field(default_factory=time.perf_counter)
    interrupted: bool = False
    backend: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def unfinished(self) -> int:
        """Runs neither done nor failed."""
        return self.total - self.done - self.failed

    @property
    def seconds(self) -> float:
        """Wall time since the sweep started in this process."""
        return time.perf_counter() - self.started


class SweepInterrupted(Exception):
    """Ctrl-C or SIGTERM stopped the sweep; ``status`` says what is left for ``--resume``."""

    def __init__(self, status: SweepStatus) -> None:
        super().__init__(
            f"sweep {status.sweep_id} interrupted with {status.unfinished} runs unfinished"
        )
        self.status = status


Notify = Callable[[str], None]
OnProgress = Callable[[SweepStatus], None]


def prepare(
    exp: Experiment, out: Path, resume: bool = False, retry_failed: bool = False
) -> tuple[Plan, RunStore, SweepStatus]:
    """Plan ``exp`` and record the plan in ``out``'s catalog (or find it there).

    Raises
    ------
    SweepError
        The sweep was started before and is unfinished, and ``resume`` is false.
    """
    check_writable(out)
    store = RunStore(out)
    # The code version is that of the sources when the sweep is planned; a long-lived process
    # (a notebook, the dashboard, a test session) must not plan with a digest cached earlier.
    code_version.cache_clear()
    plan = make_plan(exp)
    sid = plan.sweep_id
    if book.get_sweep(store, sid) is None:
        _register(store, plan)
    else:
        c = book.counts(store, sid)
        left = c["pending"] + c["running"]
        if left and not resume:
            raise SweepError(f"sweep {sid} ({exp.spec.name}) was started in {out} before and has "
                             f"{left} unfinished runs; add --resume to finish it")  # fmt: skip
    if retry_failed:
        _requeue_failed(store, plan)
    rows = book.sweep_runs(store, sid)
    runs = {r["run_id"]: r for r in rows}
    status = SweepStatus(sid, exp.spec.name, out, total=len(runs))
    status.done = sum(r["status"] == "done" for r in runs.values())
    status.failed = sum(r["status"] == "failed" for r in runs.values())
    status.reused = sum(r["chunk"] is None and r["status"] == "done" for r in runs.values())
    return plan, store, status


def _register(store: RunStore, plan: Plan) -> None:
    exp = plan.experiment
    known = book.statuses(store, (t["run_id"] for t in plan.tasks))
    now = book.now()
    runs, needed = {}, []
    for t in plan.tasks:
        rid = t["run_id"]
        state = known.get(rid)
        if state is None and rid not in runs:
            runs[rid] = {"run_id": rid, "model": plan.model, "seed": t["seed"],
                         "steps": exp.spec.steps, "params": t["params"],
                         "code_version": code_version(), "target": exp.spec.base,
                         "identity": t["identity"], "created_at": now,
                         "status": "failed" if t["error"] else "pending", "error": t["error"]}  # fmt: skip
        if t["error"] is None and state in (None, "pending", "running"):
            needed.append(rid)
    chunk_of = chunk_runs(needed, plan.runs_per_part)
    tasks = [{"sweep_id": plan.sweep_id, "task": t["task"], "run_id": t["run_id"],
              "point": t["point"], "replicate": t["replicate"], "chunk": chunk_of.get(t["run_id"])}
             for t in plan.tasks]  # fmt: skip
    design = exp.spec.design.kind
    sweep = {"sweep_id": plan.sweep_id, "name": exp.spec.name, "experiment_path": str(exp.path),
             "spec": canonical_json(exp.spec.model_dump(mode="json")), "design": design,
             "root_seed": exp.spec.seed, "points": len(plan.design.points),
             "replicates": exp.spec.replicates, "runs": len(plan.tasks),
             "code_version": code_version(), "created_at": now}  # fmt: skip
    book.register(store, sweep, list(runs.values()), tasks)


def _requeue_failed(store: RunStore, plan: Plan) -> None:
    invalid = {t["run_id"] for t in plan.tasks if t["error"]}
    failed = [rid for rid in book.failed_runs(store, plan.sweep_id) if rid not in invalid]
    if failed:
        first = book.max_chunk(store, plan.sweep_id) + 1
        book.rechunk(store, plan.sweep_id, chunk_runs(failed, plan.runs_per_part, first))


class _Batch:
    """Results waiting to be recorded, written in one transaction about once a second."""

    def __init__(self, store: RunStore) -> None:
        self.store = store
        self.records: list[dict[str, Any]] = []
        self.parts: list = []
        self.events: list[dict[str, Any]] = []
        self.running: list[str] = []
        self.last = time.monotonic()
        self.cost = 0.0

    def add(self, result: ChunkResult) -> None:
        self.records += result.records
        self.events += result.events
        if result.part is not None:
            self.parts.append(result.part)

    def flush(self, force: bool = False) -> None:
        # At most one commit per COMMIT_SECONDS, and never more than about 2% of the
        # coordinator's time: on a busy catalog a commit can take longer than usual.
        if not force and time.monotonic() - self.last < max(COMMIT_SECONDS, 50 * self.cost):
            return
        if self.records or self.running or self.parts:
            t0 = time.monotonic()
            book.commit(self.store, self.records, self.parts, self.events, self.running)
            self.cost = time.monotonic() - t0
        self.records, self.parts, self.events, self.running = [], [], [], []
        self.last = time.monotonic()


def execute(
    plan: Plan,
    store: RunStore,
    status: SweepStatus,
    backend: Backend,
    on_progress: OnProgress | None = None,
    notify: Notify | None = None,
) -> SweepStatus:
    """Run the unfinished chunks of a prepared sweep on ``backend``.

    Raises
    ------
    SweepInterrupted
        On Ctrl-C or SIGTERM (as ``KeyboardInterrupt``), after recording what finished.
    """
    notify = notify or (lambda _msg: None)
    chunks = book.open_chunks(store, plan.sweep_id)
    if not chunks:  # nothing left to run: stop workers a warm-up may have started
        backend.abort()
        _refresh_outcomes(plan, store)
        return status
    by_task = {t["task"]: t for t in plan.tasks}
    root = str(store.root.resolve())
    exp = plan.experiment

    def make(index: int) -> Chunk:
        tasks = tuple({"run_id": r["run_id"], "values": by_task[r["task"]]["values"],
                       "seed": r["seed"]} for r in chunks[index])  # fmt: skip
        return Chunk(plan.sweep_id, index, root, plan.part_path(index), exp.base, exp.spec.steps,
                     tuple(exp.outcomes), tasks, code_version(), backend.remote)  # fmt: skip

    batch = _Batch(store)
    todo = deque(sorted(chunks))
    inflight: dict[Future, int] = {}

    def collect(fut: Future, index: int) -> None:
        try:
            result = fut.result()
        except BrokenProcessPool:
            result = _failed(chunks[index], index, "a worker process died (killed, or out of "
                             "memory) while this chunk ran; retry with --resume --retry-failed")  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - a chunk that cannot run fails its runs, not the sweep
            why = error_text(exc, where=False)  # raised on the worker: a local frame says nothing
            result = _failed(chunks[index], index, f"chunk failed on its worker: {why}")
        batch.add(result)
        for rec in result.records:
            status.ran += 1
            if rec["status"] == "done":
                status.done += 1
            else:
                status.failed += 1
                if len(status.errors) < 5:
                    status.errors.append((rec["run_id"], rec["error"]))
        if on_progress:
            on_progress(status)

    try:
        with backend as executor:
            status.backend = backend.describe()
            window = max(2 * backend.workers, 2)
            while todo or inflight:
                while todo and len(inflight) < window:
                    index = todo.popleft()
                    inflight[executor.submit(run_chunk, make(index))] = index
                    batch.running += [r["run_id"] for r in chunks[index]]
                finished, _ = wait(
                    list(inflight), timeout=COMMIT_SECONDS, return_when=FIRST_COMPLETED
                )
                broken = False
                for fut in finished:
                    broken |= isinstance(fut.exception(), BrokenProcessPool)
                    collect(fut, inflight.pop(fut))
                if broken:
                    notify(
                        "a worker process died; its chunks are recorded as failed, starting new workers"
                    )
                    for fut, index in list(inflight.items()):  # they share the broken pool's fate
                        collect(fut, index)
                    inflight.clear()
                    executor = backend.restart()
                batch.flush()
            batch.flush(force=True)
    except KeyboardInterrupt:
        status.interrupted = True
        _stop(inflight, collect, backend, notify)
        batch.flush(force=True)
        submitted = [r["run_id"] for i in chunks for r in chunks[i]]
        book.mark(store, submitted, "pending", only_from=("running",))
        raise SweepInterrupted(status) from None
    _refresh_outcomes(plan, store)
    return status


def _stop(inflight: dict[Future, int], collect, backend: Backend, notify: Notify) -> None:
    running = {f: i for f, i in inflight.items() if not f.cancel()}
    if not running:
        return
    notify(f"stopping: waiting for {len(running)} running chunks to finish "
           "(press Ctrl-C again to stop at once; --resume runs them later)")  # fmt: skip
    try:
        for fut in list(running):
            wait([fut])
            if not fut.cancelled():
                collect(fut, running.pop(fut))
    except KeyboardInterrupt:
        backend.abort()


def _failed(tasks: list[dict[str, Any]], index: int, error: str) -> ChunkResult:
    now = book.now()
    records = [{"run_id": t["run_id"], "status": "failed", "error": error, "started_at": None,
                "finished_at": now, "wall_seconds": None, "series_path": None,
                "outcomes": None, "worker": None} for t in tasks]  # fmt: skip
    return ChunkResult(index, records, None)


def _refresh_outcomes(plan: Plan, store: RunStore) -> None:
    # Runs reused from the store (run before by another sweep or ``periphery run``) get this
    # experiment's outcomes computed from their stored series.
    outcomes = plan.experiment.outcomes
    if not outcomes:
        return
    updates = {}
    for row in book.sweep_runs(store, plan.sweep_id):
        if row["chunk"] is not None or row["status"] != "done":
            continue
        try:
            values = compute(outcomes, store.read_series(row["run_id"]))
        except StoreError:
            continue  # reported by ``runs check``; the run's old outcomes stay
        merged = {**_loads(row["outcomes"]), **values}
        text = canonical_json(merged)
        if text != row["outcomes"]:
            updates[row["run_id"]] = text
    book.set_outcomes(store, updates)


def _loads(text: str | None) -> dict[str, Any]:
    import json

    return json.loads(text) if text else {}


def warm(backend: Backend, exp: Experiment) -> None:
    """Start ``backend``'s workers and load the base model in each while the sweep is planned."""
    first = {d.name: d.values[0] if d.values else d.from_unit(0.5) for d in exp.dims}
    backend.start((warm_up, exp.base, {**exp.spec.fixed, **first}))


def run_sweep(
    exp: Experiment,
    out: Path,
    backend: Backend,
    resume: bool = False,
    retry_failed: bool = False,
    on_progress: OnProgress | None = None,
    notify: Notify | None = None,
) -> SweepStatus:
    """Plan, record and run the sweep of ``exp`` into ``out``; see ``prepare`` and ``execute``."""
    warm(backend, exp)
    try:
        plan, store, status = prepare(exp, out, resume, retry_failed)
    except BaseException:
        backend.abort()
        raise
    if on_progress:
        on_progress(status)
    return execute(plan, store, status, backend, on_progress, notify)
