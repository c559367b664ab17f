"""The protocol every backend follows, and the factory the CLI uses."""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Protocol


class Backend(Protocol):
    """A context manager that yields a ``concurrent.futures.Executor``.

    Attributes
    ----------
    name : str
        ``local`` or ``dask``.
    workers : int
        Number of chunks that can run at once (known after entering).
    remote : bool
        Whether workers may run another installation of periphery than the coordinator (then
        each chunk checks the code version before running).
    """

    name: str
    workers: int
    remote: bool

    def start(self, warm: tuple | None = None) -> None:
        """Begin starting workers without waiting; ``warm`` is ``(function, *args)`` to run once
        on each, e.g. loading the model's compiled kernels while the coordinator plans."""

    def __enter__(self) -> Executor:
        """Start the workers (or connect to them), if not started, and return the executor."""

    def __exit__(self, *exc: object) -> None:
        """Shut the executor down, waiting for nothing that was cancelled."""

    def restart(self) -> Executor:
        """A fresh executor after the old one broke (a worker process died)."""

    def abort(self) -> None:
        """Stop running work at once (a second Ctrl-C)."""

    def describe(self) -> str:
        """Where the work runs, in words."""


def make_backend(name: str, workers: int | None = None, address: str | None = None) -> Backend:
    """The backend called ``name``: ``local`` (a process pool) or ``dask``.

    Raises
    ------
    ValueError
        For an unknown name, a non-positive worker count, or an address given to ``local``.
    """
    if workers is not None and workers < 1:
        raise ValueError(f"--workers: must be an integer >= 1; got {workers}")
    if name == "local":
        if address:
            raise ValueError("--address is for --backend dask; the local backend needs none")
        from periphery.experiments.backends.local import LocalBackend

        return LocalBackend(workers)
    if name == "dask":
        from periphery.experiments.backends.dask import DaskBackend

        return DaskBackend(address, workers)
    raise ValueError(f"--backend {name!r}: unknown; allowed: local, dask")
