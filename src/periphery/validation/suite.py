"""Run the checks: find what is testable, run every arm's ensemble in one pool, evaluate, collect rows.

All runs of all testable checks go to one process pool, so short checks fill the gaps left by
long ones. A check is "not testable yet" when a needed M-id is not registered (or not in the
framework's mechanism set), when a state column its observables read does not exist, when its
set-up needs a scenario field or file that does not exist, or when a run fails; the row says
which. Evaluation uses a ``Generator`` seeded from the root seed and the check, so the same
runs give the same table.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from periphery.theory import load_all, mechanism_classes
from periphery.theory.world_schema import all_vars
from periphery.validation import probes as _probes
from periphery.validation.check import NOT_TESTABLE, STATUSES, Check, Ensemble, Result
from periphery.validation.checks import RESERVED
from periphery.validation.ensemble import (
    ROOT_SEED,
    Cache,
    model_code_version,
    params_digest,
    run_specs,
    seeds,
    specs_for,
)
from periphery.validation.setups import PARAMS

FRAMEWORKS = ("imp", "tnc")


@dataclass
class Report:
    """The rows of a validation run and how it was made."""

    results: list[Result]
    n_seeds: int
    agents: int | None
    wall_seconds: float
    runs: int
    cached: int
    code_version: str
    params_digest: str
    reserved: tuple[str, ...] = RESERVED
    settings: dict = field(default_factory=dict)
    fresh: dict | None = None  # {seconds, jobs} of the last run of this exact set without the cache

    def counts(self) -> dict[str, int]:
        """Rows by status."""
        return {s: sum(r.status == s for r in self.results) for s in STATUSES}


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        e = exc.errors()[0]
        return f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"


def availability(check: Check, framework: str, registered: set[str], in_framework: set[str],
                 columns: set[str]) -> tuple[tuple[str, ...], str]:
    """What a check lacks under ``framework``: missing M-ids and columns, and a one-line note."""
    needs = check.needs_for(framework)
    absent = tuple(m for m in needs if m not in registered)
    outside = tuple(m for m in needs if m in registered and m not in in_framework)
    cols = tuple(c for c in (*check.columns, *_probes.reads(tuple(p for p in check.probes if p in _probes.PROBES)))
                 if c not in columns)  # fmt: skip
    parts = []
    if absent:
        parts.append("mechanisms not registered: " + ", ".join(absent))
    if outside:
        parts.append(f"registered but not in the {framework} set: " + ", ".join(outside))
    if cols:
        parts.append("state columns missing: " + ", ".join(dict.fromkeys(cols)))
    return (*absent, *outside, *dict.fromkeys(cols)), "; ".join(parts)


def run(checks: tuple[Check, ...], n_seeds: int = 30, framework: str | None = None, agents: int | None = 10_000,
        jobs: int = 1, cache: str | Path | None = None, params: str | Path = PARAMS,
        progress: Callable[[int, int], None] | None = None) -> Report:
    """Run ``checks`` for ``n_seeds`` seeds each; ``framework`` restricts to one framework.

    Parameters
    ----------
    checks : tuple of Check
        Checks to run (``checks.CHECKS`` for all).
    n_seeds : int
        Seeds per arm (common random numbers across arms).
    framework : {"imp", "tnc"}, optional
        Only rows under this framework.
    agents : int, optional
        Agents per run (None: each scenario's own count).
    jobs : int
        Worker processes.
    cache : path, optional
        Cache folder for finished runs (None: no cache).
    params : path
        The shared parameter file.
    progress : callable, optional
        ``progress(done, total)`` as runs finish.
    """
    t0 = time.perf_counter()
    registry = load_all()
    registered = {m for c in registry.values() for m in c.mids}
    fw_mids = {fw: {m for c in mechanism_classes(fw) for m in c.mids} for fw in FRAMEWORKS}
    columns = {v.key for v in all_vars()}
    seed_list = seeds(n_seeds)
    rows: list[Result | None] = []
    plans: list[tuple[int, Check, str, list, tuple[str, ...], str]] = []
    all_specs = []
    for check in checks:
        for fw in check.frameworks:
            if framework and fw != framework:
                continue
            missing, note = availability(check, fw, registered, fw_mids[fw], columns)
            if missing and not check.explore_when_missing:
                rows.append(Result.untestable(check, fw, missing, note))
                continue
            try:
                arms = check.arms(fw)
            except Exception as exc:  # noqa: BLE001 - a set-up the schema cannot express yet
                rows.append(Result.untestable(check, fw, missing, "; ".join(filter(None, [note, f"set-up needs what the scenario format lacks: {_short(exc)}"]))))
                continue
            if not arms:
                rows.append(Result.untestable(check, fw, missing, note or "no scenario available"))
                continue
            spans = []
            for arm in arms:
                specs = specs_for(arm.scenario, seed_list, check.probes, arm.interventions, agents, params)
                spans.append((arm.name, len(all_specs), len(specs)))
                all_specs.extend(specs)
            plans.append((len(rows), check, fw, spans, missing, note))
            rows.append(None)
    counts: dict[str, int] = {}
    results = run_specs(all_specs, jobs, Cache(cache), progress, counts=counts)
    cached = counts.get("cached", 0)
    fresh = _fresh_time(cache, all_specs, counts, time.perf_counter() - t0, jobs)
    for pos, check, fw, spans, missing, note in plans:
        t1 = time.perf_counter()
        errors = [r for _, start, n in spans for r in results[start:start + n] if isinstance(r, str)]
        if errors:
            rows[pos] = Result.untestable(check, fw, missing, "; ".join(filter(None, [note, f"run failed: {errors[0]}"])))
            continue
        ens = {name: Ensemble(results[start:start + n]) for name, start, n in spans}
        rng = np.random.default_rng(np.random.SeedSequence([ROOT_SEED, check.number, FRAMEWORKS.index(fw)]))
        try:
            out = check.evaluate(ens, rng, fw)
        except KeyError as exc:
            rows[pos] = Result.untestable(check, fw, missing, "; ".join(filter(None, [note, str(exc).strip('"')])))
            continue
        row = Result.from_outcome(check, fw, out, n_seeds, time.perf_counter() - t1)
        rows[pos] = row.with_missing(missing, note) if missing else row
    return Report([r for r in rows if r is not None], n_seeds, agents, time.perf_counter() - t0, len(all_specs),
                  cached, model_code_version(), params_digest(params),
                  settings={"framework": framework or "each check's own", "jobs": jobs, "cache": str(cache) if cache else None},
                  fresh=fresh)  # fmt: skip


def _fresh_time(cache, specs, counts: dict[str, int], seconds: float, jobs: int) -> dict | None:
    """Remember (in the cache folder) how long this exact set of runs took when nothing came from the cache.

    A table regenerated from the cache can then still say what the full computation costs.
    """
    now = {"seconds": round(seconds, 1), "jobs": jobs}
    if cache is None:
        return now
    path = Path(cache) / "timings.json"
    key = hashlib.sha256("".join(sorted(s.key() for s in specs)).encode()).hexdigest()[:16]
    try:
        book = json.loads(path.read_text()) if path.is_file() else {}
    except (OSError, ValueError):
        book = {}
    if not counts.get("cached"):
        book[key] = now
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(book, indent=1, sort_keys=True) + "\n")
        return now
    return book.get(key)


__all__ = ["FRAMEWORKS", "NOT_TESTABLE", "Report", "availability", "run"]
