"""The local backend: a process pool on this machine, one worker per core by default.

Workers are forked from a ``forkserver`` that has already imported periphery, so each starts
warm and none inherits the coordinator's threads (the progress bar's, DuckDB's). They ignore
SIGINT: Ctrl-C is the coordinator's to handle, so that it can stop cleanly.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import Executor, ProcessPoolExecutor


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class LocalBackend:
    """A ``ProcessPoolExecutor`` with ``workers`` processes (all cores by default)."""

    name = "local"
    remote = False

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self._executor: ProcessPoolExecutor | None = None

    def _make(self) -> ProcessPoolExecutor:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["periphery.experiments.worker"])
        return ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_ignore_sigint)

    def start(self, warm: tuple | None = None) -> None:
        """Start the pool now: the forkserver imports periphery and each worker runs ``warm``
        (in the background) while the coordinator goes on planning."""
        if self._executor is None:
            self._executor = self._make()
            if warm is not None:
                for _ in range(self.workers):
                    self._executor.submit(*warm)

    def __enter__(self) -> Executor:
        self.start()
        return self._executor

    def __exit__(self, *exc: object) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def restart(self) -> Executor:
        """A new pool after a worker process died and broke the old one."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._make()
        return self._executor

    def abort(self) -> None:
        """Kill the worker processes; their chunks stay unfinished and are run by ``--resume``."""
        if self._executor is None:
            return
        # ProcessPoolExecutor has no public way to stop running work before Python 3.14.
        for proc in list(getattr(self._executor, "_processes", {}).values()):
            if proc.is_alive():
                proc.kill()
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = None

    def describe(self) -> str:
        """Where the work runs, in words."""
        return f"local process pool, {self.workers} worker{'s' if self.workers != 1 else ''}"
