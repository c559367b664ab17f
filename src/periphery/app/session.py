"""A run the dashboard watches while it goes: series and grid snapshots kept in memory, step by step.

The run goes through ``periphery.experiments.run_target`` like any other, so it is validated,
stored and named the same way; the model is wrapped so that every recorded row (and, for
models with a grid, the cell codes) is also kept here, and a callback is told about progress
at most every ``interval`` seconds. Stopping raises ``Stopped`` inside the run, so nothing is
stored for a stopped run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from periphery.experiments import RunResult, Target, run_target
from periphery.report.snapshots import save_snapshots, stride_for
from periphery.store import RunStore


class Stopped(RuntimeError):
    """The user stopped the run."""


def has_grid(model: Any) -> bool:
    """Whether ``model`` has a grid whose cell codes ``snapshot()`` returns (civil violence)."""
    return hasattr(model, "grid") and callable(getattr(model, "snapshot", None))


class _Watched:
    """The model as the step loop sees it: the same steps, plus a copy of every recorded row."""

    def __init__(self, inner: Any, live: LiveRun) -> None:
        self.inner = inner
        self.live = live

    def step(self) -> None:
        if self.live.stop_requested.is_set():
            raise Stopped("stopped")
        self.inner.step()

    def observe(self):
        row = self.inner.observe()
        self.live._record(self.inner, row)
        return row

    def __getattr__(self, name: str):  # anything else (name, params, snapshot) is the model's
        return getattr(self.inner, name)


class LiveRun:
    """One run of ``target`` watched as it goes.

    Parameters
    ----------
    target : Target
        What to run (from ``resolve_target``).
    steps, seed : int
        As for ``run_target``.
    out : path
        The run store's folder.
    on_update : callable, optional
        Called with this object at most every ``interval`` seconds while running, and once
        at the end.
    keep_grid : bool
        Keep grid snapshots (for models with a grid) and save them beside the run.
    """

    def __init__(self, target: Target, steps: int, seed: int, out: Path,
                 on_update: Callable[[LiveRun], None] | None = None, keep_grid: bool = True,
                 interval: float = 0.25) -> None:  # fmt: skip
        self.target = target
        self.steps = steps
        self.seed = seed
        self.out = Path(out)
        self.on_update = on_update
        self.keep_grid = keep_grid
        self.interval = interval
        self.stop_requested = threading.Event()
        self.lock = threading.Lock()
        self.rows: dict[str, list] = {}
        self.snap_steps: list[int] = []
        self.snaps: list[np.ndarray] = []
        self.done = -1  # last recorded step
        self.result: RunResult | None = None
        self._stride = 1
        self._last_push = 0.0

    def _record(self, model: Any, row: dict[str, Any]) -> None:
        with self.lock:
            self.done += 1
            if not self.rows:
                self.rows = {"step": [], **{k: [] for k in row}}
            self.rows["step"].append(self.done)
            for k, v in row.items():
                self.rows[k].append(v)
            if self.keep_grid and has_grid(model):
                if self.done == 0:
                    self._stride = stride_for(self.steps, model.grid.n_cells)
                if self.done % self._stride == 0 or self.done == self.steps:
                    self.snap_steps.append(self.done)
                    self.snaps.append(model.snapshot())
        now = time.monotonic()
        if self.on_update is not None and now - self._last_push >= self.interval:
            self._last_push = now
            self.on_update(self)

    def series(self) -> dict[str, np.ndarray]:
        """The rows recorded so far, as arrays (a copy, safe to use while the run goes on)."""
        with self.lock:
            return {k: np.asarray(v) for k, v in self.rows.items()}

    def snapshots(self) -> tuple[np.ndarray, np.ndarray] | None:
        """``(steps, codes)`` recorded so far, or ``None`` for a model without a grid."""
        with self.lock:
            if not self.snaps:
                return None
            return np.asarray(self.snap_steps), np.stack(self.snaps)

    def run(self) -> RunResult:
        """Run to the end in the calling thread; store the run and its snapshots."""
        inner = self.target

        def build(seed: int) -> Any:
            return _Watched(inner.build(seed), self)

        watched = Target(inner.model, inner.params, build, inner.identity_extra)
        self.result = run_target(watched, self.steps, self.seed, self.out)
        snaps = self.snapshots()
        if snaps is not None:
            save_snapshots(RunStore(self.out), self.result.run_id, *snaps)
        if self.on_update is not None:
            self.on_update(self)
        return self.result

    def stop(self) -> None:
        """Ask the run to stop before its next step."""
        self.stop_requested.set()
