"""Where a sweep's chunks run: behind the ``concurrent.futures`` executor interface.

``local`` (the default) is a process pool on this machine; ``dask`` runs the same chunks on a
``dask.distributed`` cluster (a scheduler address, or a ``LocalCluster`` started for the
sweep). Both give byte-identical parts, because the chunks, their runs and their seeds are
fixed before anything is submitted.
"""

from periphery.experiments.backends.base import Backend, make_backend

__all__ = ["Backend", "make_backend"]
