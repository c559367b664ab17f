"""One run of one model: resolve what to run, validate its parameters, run it, store it.

A *target* is either a registered model name (``civil-violence``, ``threshold``) or the path
of a scenario file of the world model (``scenarios/bolivia.toml``). Everything is validated
before anything is written, so bad input leaves the output folder untouched.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
from pydantic import ValidationError

from periphery.engine import run
from periphery.engine.params import Params, allowed
from periphery.models import MODELS, get_model
from periphery.store import RunStore, code_version


class TargetError(ValueError):
    """Bad input naming what to run or how: the message is one line naming the field and allowed values."""


@dataclass
class Target:
    """A resolved, validated thing to run."""

    model: str
    params: dict[str, Any]
    build: Callable[[int], Any]
    identity_extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunResult:
    """What a stored run produced."""

    run_id: str
    series: pa.Table
    model: Any
    wall_seconds: float
    out: Path


def parse_sets(sets: list[str]) -> dict[str, str]:
    """``["a=1", "b=x"]`` -> ``{"a": "1", "b": "x"}``; a malformed item is a ``TargetError``."""
    out: dict[str, str] = {}
    for item in sets:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise TargetError(f"--set {item!r}: expected name=value")
        out[name.strip()] = value.strip()
    return out


def validate_params(cls: type[Params], values: dict[str, Any], where: str) -> Params:
    """Validate ``values`` against ``cls``; the first problem becomes a one-line ``TargetError``."""
    unknown = [k for k in values if k not in cls.model_fields]
    if unknown:
        raise TargetError(
            f"{where}: unknown parameter '{unknown[0]}'; allowed: {', '.join(cls.model_fields)}"
        )
    try:
        return cls.model_validate(values)
    except ValidationError as exc:
        err = exc.errors()[0]
        if err["loc"]:
            name = str(err["loc"][0])
            raise TargetError(
                f"{where}: {name} must be {allowed(cls, name)}; got {values.get(name)!r}"
            ) from None
        raise TargetError(f"{where}: {err['msg'].removeprefix('Value error, ')}") from None


def resolve_target(target: str, sets: list[str] | None = None) -> Target:
    """Turn a model name (or scenario path) and ``--set`` items into a validated ``Target``."""
    return resolve(target, parse_sets(sets or []))


def resolve(target: str, values: dict[str, Any]) -> Target:
    """Turn a model name (or scenario path) and parameter values into a validated ``Target``.

    ``values`` may hold strings (from ``--set``) or typed values (from an experiment file);
    pydantic validates both the same way.
    """
    if target.endswith(".toml") or Path(target).is_file():
        return _scenario_target(Path(target), values)
    try:
        spec = get_model(target)
    except KeyError:
        raise TargetError(
            f"model '{target}': unknown; allowed: {', '.join(MODELS)}, or a scenario file (.toml)"
        ) from None
    params = validate_params(spec.params, values, f"model {target}")
    return Target(spec.name, params.model_dump(mode="json"), lambda seed: spec.build(params, seed))


def _scenario_target(path: Path, values: dict[str, str]) -> Target:
    try:
        from periphery.models import world
    except ImportError:  # the world model is built in a later layer of work
        raise TargetError(f"{path}: scenario files need the world model, which is not installed") from None
    return world.target(path, values, TargetError)


def check_writable(out: Path) -> None:
    """Refuse an output folder that cannot be created or written, before anything runs."""
    probe = out
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir():
        raise TargetError(f"--out {out}: {probe} is not a folder; give a writable folder")
    try:  # permission bits say little to root or on network file systems: try it
        with tempfile.TemporaryFile(dir=probe):
            pass
    except OSError as exc:
        raise TargetError(f"--out {out}: {probe} is not writable ({exc.strerror}); "
                          "give a writable folder") from None


def simulate(target: Target, steps: int, seed: int,
             progress: Callable[[int], None] | None = None) -> tuple[pa.Table, Any, float]:
    """Build and run ``target``; return its per-step series, the model and the wall time (s)."""
    model = target.build(seed)
    t0 = time.perf_counter()
    rec = run(model, steps, progress=progress, every=max(1, steps // 100))
    return rec.to_arrow(), model, time.perf_counter() - t0


def run_target(target: Target, steps: int, seed: int, out: Path,
               progress: Callable[[int], None] | None = None) -> RunResult:
    """Build, run and store one run of ``target``."""
    if steps < 0:
        raise TargetError(f"--steps: must be an integer >= 0; got {steps}")
    if seed < 0:
        raise TargetError(f"--seed: must be an integer >= 0; got {seed}")
    check_writable(out)
    series, model, wall = simulate(target, steps, seed, progress)
    identity = {"model": target.model, "params": target.params, "seed": seed, "steps": steps,
                "code_version": code_version(), **target.identity_extra}  # fmt: skip
    rid = RunStore(out).save(identity, series, wall)
    return RunResult(rid, series, model, wall, out)
