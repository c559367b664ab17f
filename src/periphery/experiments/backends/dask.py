"""The Dask backend: the same chunks on a ``dask.distributed`` cluster.

With an address (``tcp://host:8786``) it connects to a running scheduler, for instance one
started on SLURM, PBS or LSF with ``dask-jobqueue`` (see the README's section on scale);
without one it starts a ``LocalCluster`` of single-threaded worker processes on this machine.
The executor is the client's ``concurrent.futures`` view (``Client.get_executor``), so the
sweep code is the same as for the local pool. Workers write their parts straight into the
output folder, which must therefore be on a file system every worker sees.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import Executor


class DaskBackend:
    """Chunks run on a Dask cluster."""

    name = "dask"

    def __init__(self, address: str | None = None, workers: int | None = None) -> None:
        self.address = address
        self.remote = bool(address)  # a LocalCluster started here runs this installation
        self.workers = workers or 0
        self._client = None
        self._cluster = None
        self._executor = None

    def start(self, warm: tuple | None = None) -> None:
        """Nothing to start ahead: a cluster's workers are warm after their first chunk."""

    def __enter__(self) -> Executor:
        from distributed import Client, LocalCluster

        if self.address:
            try:
                self._client = Client(self.address, timeout="20s")
            except (OSError, TimeoutError) as exc:
                raise ValueError(
                    f"--address {self.address}: no Dask scheduler answered ({exc})"
                ) from None
        else:
            n = self.workers or os.cpu_count() or 1
            self._cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                         dashboard_address=None, silence_logs=logging.ERROR)  # fmt: skip
            self._client = Client(self._cluster)
        if self.workers == 0:
            self.workers = max(1, sum(self._client.nthreads().values()))
        self._executor = self._client.get_executor()
        return self._executor

    def __exit__(self, *exc: object) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False)
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._executor = self._client = self._cluster = None

    def restart(self) -> Executor:
        """Dask replaces lost workers itself; the executor stays usable."""
        return self._executor

    def abort(self) -> None:
        """Cancel every submitted chunk (running ones finish on their worker, unrecorded)."""
        if self._executor is not None:
            self._executor.shutdown(wait=False)

    def describe(self) -> str:
        """Where the work runs, in words."""
        where = self.address or "a LocalCluster on this machine"
        return f"Dask cluster at {where}, {self.workers} worker thread{'s' if self.workers != 1 else ''}"
