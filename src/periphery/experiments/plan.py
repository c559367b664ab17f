"""Planning a sweep: expand the design, spawn the seeds, name every run, cut the runs into chunks.

Planning is deterministic: the same experiment file and code give the same sweep id, the same
tasks, the same run ids and seeds, and (against the same store) the same chunks. That is what
lets ``--resume`` continue a killed sweep and still end with the files an uninterrupted sweep
writes, and what makes the local and Dask backends write identical bytes.

A *task* is one (design point, replicate); its run id is derived, as for a single run, from
the model or scenario content, the resolved parameters, the seed, the steps and the code
version, so a run already in the store (from this sweep, another sweep or ``periphery run``)
is not run again. A design point whose parameters fail validation (say, densities that add up
to more than one) becomes a failed run with the validation message; the sweep goes on.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

from periphery.experiments.design import Design
from periphery.experiments.single import TargetError, resolve
from periphery.experiments.spec import Experiment
from periphery.store import code_version, run_id
from periphery.store.ids import canonical_json

# Parts hold about this many chunks' worth of a sweep: enough chunks to balance the load over
# the workers, few enough files that a large sweep does not flood the file system.
TARGET_CHUNKS = 64
MAX_RUNS_PER_PART = 100


@dataclass
class Plan:
    """A planned sweep.

    Attributes
    ----------
    sweep_id : str
        16 hex digits from the experiment's content and the code version.
    experiment : Experiment
        What is swept.
    design : Design
        The expanded design.
    model : str
        The model name (``world`` for scenarios).
    tasks : list of dict
        One per (point, replicate), in design order: ``task``, ``point``, ``replicate``,
        ``run_id``, ``seed``, ``values``, ``params`` (JSON), ``identity`` (JSON), ``error``.
    """

    sweep_id: str
    experiment: Experiment
    design: Design
    model: str
    tasks: list[dict[str, Any]]

    @property
    def runs_per_part(self) -> int:
        """Runs per chunk (and so per Parquet part)."""
        given = self.experiment.spec.runs_per_part
        if given:
            return given
        unique = len({t["run_id"] for t in self.tasks})
        return max(1, min(MAX_RUNS_PER_PART, math.ceil(unique / TARGET_CHUNKS)))

    def part_path(self, chunk: int) -> str:
        """Where chunk ``chunk`` writes its series, relative to the output folder."""
        return f"parts/{self.sweep_id}/{chunk:05d}.parquet"


def make_plan(exp: Experiment) -> Plan:
    """Expand ``exp`` into tasks with run ids and seeds (nothing is written)."""
    design, seeds = exp.design()
    version = code_version()
    tasks: list[dict[str, Any]] = []
    model = exp.model
    for p, point in enumerate(design.points):
        values = exp.values(point)
        try:
            target = resolve(exp.base, values)
            params, extra, error = target.params, target.identity_extra, None
        except TargetError as exc:
            params, extra, error = values, {}, f"invalid parameters: {exc}"
        for r in range(exp.spec.replicates):
            seed = int(seeds[p, r])
            identity = {"model": model, "params": params, "seed": seed, "steps": exp.spec.steps,
                        "code_version": version, **extra}  # fmt: skip
            tasks.append({"task": len(tasks), "point": p, "replicate": r, "run_id": run_id(identity),
                          "seed": seed, "values": values, "params": canonical_json(params),
                          "identity": canonical_json(extra), "error": error})  # fmt: skip
    sweep_id = hashlib.sha256(f"{exp.digest}:{version}".encode()).hexdigest()[:16]
    return Plan(sweep_id, exp, design, model, tasks)


def chunk_runs(run_ids: list[str], size: int, first: int = 0) -> dict[str, int]:
    """Chunk number of each run: consecutive groups of ``size`` in the given order."""
    unique = list(dict.fromkeys(run_ids))
    return {rid: first + i // size for i, rid in enumerate(unique)}
