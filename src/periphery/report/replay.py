"""Re-running a stored run from its manifest, to see what the store does not keep.

The store keeps per-step aggregates; grids and agent-level distributions come from running
the same model with the same parameters and seed again, which gives the same trajectory
(runs are bit-for-bit reproducible). The replay checks this: it compares its aggregates with
the stored series at every step it visits and says so when they differ (for instance when
the code changed since the run was stored).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from periphery.experiments import TargetError
from periphery.models import MODELS, get_model


@dataclass
class Replay:
    """What a replay collected.

    Attributes
    ----------
    grabbed : dict
        Step -> whatever ``grab(model)`` returned at that step.
    matches : bool
        Whether the replay's aggregates equal the stored series at every visited step.
    mismatch : str
        The first difference found, in words (empty when ``matches``).
    model : object
        The model after the last visited step.
    """

    grabbed: dict[int, Any] = field(default_factory=dict)
    matches: bool = True
    mismatch: str = ""
    model: Any = None


def build_from_manifest(manifest: dict[str, Any]) -> Any:
    """A fresh model built as the stored run was (same model, parameters and seed)."""
    name = manifest["model"]
    seed = int(manifest["seed"])
    if name in MODELS:
        spec = get_model(name)
        return spec.build(spec.params.model_validate(manifest["params"]), seed)
    if name == "world":
        path = find_scenario(manifest)
        if path is not None:
            from periphery.models import world
            from periphery.scenarios.loader import load_scenario
            from periphery.theory.frameworks import param_tables

            tables = param_tables()
            params = {k: tables[k].model_validate(v) for k, v in manifest.get("params", {}).items()
                      if k in tables}  # fmt: skip
            return world.build(load_scenario(path), params, seed)
    raise TargetError(f"run {manifest.get('run_id', '?')}: cannot rebuild model '{name}' "
                      "from its manifest (no registered model or scenario file)")  # fmt: skip


def scenario_folders() -> list[Path]:
    """Where scenario files are looked for: ``./scenarios`` and the source checkout's ``scenarios/``."""
    import periphery

    repo = Path(periphery.__file__).resolve().parents[2] / "scenarios"
    return [p for p in (Path.cwd() / "scenarios", repo) if p.is_dir()]


def find_scenario(manifest: dict[str, Any]) -> Path | None:
    """The scenario file a world run was made from, matched by its content hash.

    The manifest names the scenario and hashes its content; the file is looked for at the
    recorded path first, then in the scenario folders. A file whose content changed since
    the run does not match and is not used.
    """
    from periphery.scenarios.loader import load_scenario

    want = manifest.get("scenario_hash")
    candidates = []
    for key in ("scenario_path", "scenario_file"):
        if manifest.get(key):
            candidates.append(Path(str(manifest[key])))
    name = str(manifest.get("scenario", ""))
    for folder in scenario_folders():
        candidates += sorted(folder.glob(f"{name}.toml")) + sorted(folder.glob("*.toml"))
    seen = set()
    for path in candidates:
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        try:
            sc = load_scenario(path)
        except (ValueError, OSError):
            continue
        body = json.dumps(sc.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        if sc.name == name and (not want or hashlib.sha256(body.encode()).hexdigest() == want):
            return path
    return None


def replay(manifest: dict[str, Any], series: pa.Table | None, at: Iterable[int],
           grab: Callable[[Any], Any]) -> Replay:
    """Run the stored run again up to the largest step in ``at``, calling ``grab`` at each of them.

    Parameters
    ----------
    manifest : dict
        The run's manifest (model, params, seed).
    series : pyarrow.Table, optional
        The stored series, to check the replay against; ``None`` skips the check.
    at : iterable of int
        Steps to grab (0 is the initial state); steps past the run's length are dropped.
    grab : callable
        Called with the model at each step of ``at``.
    """
    steps = sorted({int(s) for s in at if 0 <= int(s) <= int(manifest["steps"])})
    out = Replay()
    model = build_from_manifest(manifest)
    out.model = model
    stored = _rows(series)
    t = 0
    for target in steps:
        while t < target:
            model.step()
            t += 1
            if out.matches and stored is not None:
                _check(out, stored, t, model.observe())
        if t == 0 and stored is not None:
            _check(out, stored, 0, model.observe())
        out.grabbed[target] = grab(model)
    return out


def _rows(series: pa.Table | None) -> dict[str, np.ndarray] | None:
    if series is None:
        return None
    return {c: series.column(c).to_numpy() for c in series.column_names if c != "run_id"}


def _check(out: Replay, stored: dict[str, np.ndarray], t: int, row: dict[str, Any]) -> None:
    if t >= len(stored.get("step", ())):
        return
    for k, v in row.items():
        if k in stored and not np.isclose(float(stored[k][t]), float(v), rtol=0, atol=1e-12):
            out.matches = False
            out.mismatch = f"step {t}: {k} is {v} in the replay but {stored[k][t]} in the store"
            return
