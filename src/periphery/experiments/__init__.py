"""Running models and storing their results: single runs, sweeps, sensitivity and calibration.

Modules (imported on demand, so ``periphery run`` starts fast):

``single``       one run of a model or scenario (``resolve_target``, ``run_target``)
``spec``         experiment files (``load_experiment``) with file:line:field errors
``space``        parameter types and ranges from the parameters' declarations
``design``       grid, Latin hypercube, Sobol and Morris designs
``seeds``        run seeds spawned from the experiment's root seed
``outcomes``     per-run summary outcomes
``plan``         sweep planning: run ids, seeds, chunks
``worker``       what a worker does with one chunk
``backends``     local process pool and Dask, behind ``concurrent.futures``
``sweep``        run, collect, resume (``run_sweep``)
``sensitivity``  Sobol and Morris indices (SALib)
``calibration``  ABC-SMC calibration (pyabc)
"""

from periphery.experiments.single import RunResult, Target, TargetError, resolve_target, run_target

__all__ = ["RunResult", "Target", "TargetError", "resolve_target", "run_target"]
