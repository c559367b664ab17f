"""Run a scenario for many seeds in a process pool, collecting ``observe()`` plus probes; cache on disk.

A ``RunSpec`` is everything that determines a validation run: the scenario content (with its
framework and agent count), the seed, the probes and the in-run interventions. Its cache key
adds the shared parameter file's resolved values and a digest of the model code (engine,
theory, scenarios, models), so editing a check never re-runs simulations, while editing a
mechanism or a parameter does. Cached series are Parquet files written atomically under
``<cache>/<key[:2]>/<key>.parquet``; the folder can be deleted at any time.

Seeds come from ``experiments.seeds.plan_seeds`` with common random numbers: replicate ``i``
of every arm of every check uses the same seed, spawned from one root ``SeedSequence``.
"""

from __future__ import annotations

import hashlib
import json
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import as_completed
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

import periphery
from periphery.experiments.backends.local import LocalBackend
from periphery.experiments.seeds import plan_seeds
from periphery.models.world import build
from periphery.scenarios import Scenario, load_params
from periphery.store.atomic import write_parquet
from periphery.store.ids import canonical_json
from periphery.validation import interventions as _iv
from periphery.validation.check import Intervention
from periphery.validation.probes import recorder
from periphery.validation.setups import PARAMS

ROOT_SEED = 20030911  # the date of seed text E (theory_spec 0.1); any fixed integer would do
ERROR = "__error__"


def seeds(n: int, root: int = ROOT_SEED) -> list[int]:
    """``n`` replicate seeds shared by every arm (common random numbers)."""
    _, s = plan_seeds(root, points=1, replicates=n, common=True)
    return [int(x) for x in s[0]]


@lru_cache(maxsize=1)
def model_code_version() -> str:
    """Package version plus a digest of the code that determines a run (engine, theory, scenarios, models)."""
    root = Path(periphery.__file__).resolve().parent
    h = hashlib.sha256()
    for sub in ("engine", "theory", "scenarios", "models"):
        for path in sorted((root / sub).rglob("*.py")):
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return f"{periphery.__version__}+{h.hexdigest()[:12]}"


@lru_cache(maxsize=4)
def _params(path: str):
    return load_params(path)


def params_digest(path: str | Path = PARAMS) -> str:
    """Digest of the resolved shared parameters (file values plus defaults of tables it omits)."""
    body = {k: v.model_dump(mode="json") for k, v in _params(str(path)).items()}
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class RunSpec:
    """One validation run.

    Attributes
    ----------
    scenario : str
        Canonical JSON of the scenario content (framework and agent count included).
    seed : int
        Run seed.
    probes : tuple of str
        Probes recorded each month besides ``observe()``.
    interventions : tuple of Intervention
        In-run manipulations.
    params : str
        Path of the shared parameter file.
    """

    scenario: str
    seed: int
    probes: tuple[str, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    params: str = str(PARAMS)

    def key(self) -> str:
        """Cache key: content of the run plus parameter values and model code version."""
        body = {"scenario": json.loads(self.scenario), "seed": self.seed, "probes": sorted(self.probes),
                "interventions": [[i.month, i.kind, list(map(list, i.args))] for i in self.interventions],
                "params": params_digest(self.params), "code": model_code_version()}  # fmt: skip
        return hashlib.sha256(canonical_json(body).encode()).hexdigest()[:24]


def scenario_json(scenario: dict, agents: int | None = None) -> str:
    """Canonical JSON of a scenario, with its agent count replaced when ``agents`` is given."""
    sc = dict(scenario)
    if agents is not None:
        sc["agents"] = int(agents)
    return canonical_json(sc)


def simulate(spec: RunSpec) -> dict[str, np.ndarray]:
    """Build and run one spec; one array per recorded name over months ``0..months``."""
    scenario = Scenario.model_validate(json.loads(spec.scenario))
    world = build(scenario, _params(spec.params), spec.seed)
    probe = recorder(world, spec.probes)
    rows: list[dict[str, float]] = []

    def row() -> dict[str, float]:
        r = dict(world.observe())
        r.update(probe())
        return r

    rows.append(row())
    for t in range(1, scenario.months + 1):
        _iv.apply(world, t, spec.interventions)
        world.step()
        rows.append(row())
    names = list(rows[0])
    for r in rows[1:]:  # a mechanism may add columns mid-run only by mistake; keep the first set
        if r.keys() != rows[0].keys():
            names = [n for n in names if n in r]
    return {n: np.array([r[n] for r in rows], dtype=np.float64) for n in names}


def _safe(spec: RunSpec) -> dict[str, np.ndarray] | str:
    try:
        return simulate(spec)
    except Exception as exc:  # noqa: BLE001 - reported per check, the suite goes on
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        return f"{type(exc).__name__}: {exc} ({Path(tb.filename).name}:{tb.lineno})"


def _chunk(specs: list[RunSpec]) -> list[dict[str, np.ndarray] | str]:
    return [_safe(s) for s in specs]


class Cache:
    """Series of finished runs by key, as Parquet files under ``root`` (None: no cache)."""

    def __init__(self, root: str | Path | None) -> None:
        self.root = Path(root) if root is not None else None

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.parquet"

    def get(self, key: str) -> dict[str, np.ndarray] | None:
        """The cached series of ``key``, or None."""
        if self.root is None:
            return None
        p = self._path(key)
        if not p.is_file():
            return None
        try:
            t = pq.read_table(p)
        except Exception:  # noqa: BLE001 - an unreadable cache file is simply re-run
            return None
        return {n: t.column(n).to_numpy() for n in t.column_names}

    def put(self, key: str, series: dict[str, np.ndarray]) -> None:
        """Store ``series`` under ``key`` (atomic write)."""
        if self.root is None:
            return
        write_parquet(pa.table(series), self._path(key))


def run_specs(specs: list[RunSpec], jobs: int = 1, cache: Cache | None = None,
              progress: Callable[[int, int], None] | None = None, chunk: int = 4,
              counts: dict[str, int] | None = None) -> list[dict[str, np.ndarray] | str]:
    """Run (or fetch from cache) every spec; results in the order of ``specs``.

    A run that raises gives its error text (one line) instead of a series. ``jobs > 1`` uses
    the experiments layer's local process pool (``LocalBackend``: forkserver workers that start
    warm and inherit nothing from this process); ``chunk`` runs go to a worker at a time to keep
    inter-process traffic small. ``counts``, if given, receives ``cached`` and ``run`` (distinct
    runs fetched from the cache and simulated).
    """
    cache = cache or Cache(None)
    keys = [s.key() for s in specs]
    done: dict[str, dict[str, np.ndarray] | str] = {}
    todo: dict[str, RunSpec] = {}
    for k, s in zip(keys, specs):
        if k in done or k in todo:
            continue
        hit = cache.get(k)
        if hit is not None:
            done[k] = hit
        else:
            todo[k] = s
    if counts is not None:
        counts.update(cached=len(done), run=len(todo))
    total, count = len(todo), 0
    items = list(todo.items())
    batches = [items[i:i + chunk] for i in range(0, len(items), chunk)]

    def finish(batch, results) -> None:
        nonlocal count
        for (k, _), r in zip(batch, results):
            done[k] = r
            if not isinstance(r, str):
                cache.put(k, r)
        count += len(batch)
        if progress:
            progress(count, total)

    if jobs <= 1 or len(items) <= 1:
        for b in batches:
            finish(b, _chunk([s for _, s in b]))
    else:
        with LocalBackend(jobs) as pool:
            futures = {pool.submit(_chunk, [s for _, s in b]): b for b in batches}
            for f in as_completed(futures):
                finish(futures[f], f.result())
    return [done[k] for k in keys]


def specs_for(scenario: dict, seed_list: Iterable[int], probes: tuple[str, ...] = (),
              interventions: tuple[Intervention, ...] = (), agents: int | None = None,
              params: str | Path = PARAMS) -> list[RunSpec]:
    """One spec per seed for one arm."""
    text = scenario_json(scenario, agents)
    return [RunSpec(text, int(s), tuple(probes), tuple(interventions), str(params)) for s in seed_list]
