"""Experiment files (``experiments/*.toml``): schema, loading and line-precise validation.

An experiment file names a base (a model, or a world-model scenario file relative to the
experiment file), the steps of each run, replicates, a root seed, fixed parameter values, the
varied parameters and their design, and the summary outcomes to compute per run::

    name = "civil_violence_legitimacy_grid"
    base = "civil-violence"
    steps = 300
    replicates = 5
    seed = 20240601

    [fixed]
    cop_density = 0.04

    [parameters.legitimacy]
    values = [0.6, 0.7, 0.8, 0.9]

    [design]
    kind = "grid"

    [[outcomes]]
    name = "peak_active"
    column = "active"
    stat = "max"

``docs/experiments.md`` documents every field. Errors are one line, ``file:line: field:
problem; allowed: ...``; line numbers come from the scenario loader's locator, shared so that
scenario and experiment files report errors the same way.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from periphery.experiments.design import Design, make_design
from periphery.experiments.outcomes import NEEDS_LEVEL, STATS
from periphery.experiments.seeds import plan_seeds
from periphery.experiments.single import Target, TargetError, resolve
from periphery.experiments.space import Dimension, declared, known_names, parameter_tables
from periphery.scenarios.loader import (
    ScenarioError,
    _describe,
    _dotted,
    _read_toml,
    line_of,
    locate,
)

Scalar = bool | int | float | str
NAME = r"^[a-z][a-z0-9_]*$"


class ExperimentError(ValueError):
    """A bad experiment file; the message is one line naming file, line and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ParameterSpec(_Strict):
    """A varied parameter: explicit ``values``, or a range ``low``..``high`` (``levels`` for a grid)."""

    values: list[Scalar] | None = Field(None, min_length=1)
    low: float | None = None
    high: float | None = None
    levels: int | None = Field(None, ge=2, le=100_000)
    scale: Literal["linear", "log"] = "linear"

    @model_validator(mode="after")
    def _check(self) -> ParameterSpec:
        if self.values is not None and (self.low, self.high, self.levels) != (None, None, None):
            raise ValueError("give either values or a range (low, high, levels), not both")
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"low must be < high; got low = {self.low}, high = {self.high}")
        return self


class DesignSpec(_Strict):
    """How points are chosen in the parameter space."""

    kind: Literal["grid", "lhs", "sobol", "morris"] = "grid"
    samples: int | None = Field(None, ge=1, le=10_000_000)
    second_order: bool = False
    levels: int = Field(4, ge=2, le=1000)
    optimization: Literal["random-cd", "lloyd"] | None = None


class OutcomeSpec(_Strict):
    """A summary outcome: statistic ``stat`` of recorded column ``column``."""

    name: str = Field(pattern=NAME)
    column: str
    stat: Literal[STATS]  # type: ignore[valid-type]
    level: float | None = None
    step: int | None = Field(None, ge=0)
    skip: int = Field(0, ge=0)

    @model_validator(mode="after")
    def _check(self) -> OutcomeSpec:
        if self.stat in NEEDS_LEVEL and self.level is None:
            raise ValueError(f"stat '{self.stat}' needs a level")
        if self.stat == "at" and self.step is None:
            raise ValueError("stat 'at' needs a step")
        return self


class CalibrationSpec(_Strict):
    """Which parameters to fit (uniform priors over their ranges) to which observed outcomes."""

    parameters: list[str] = Field(min_length=1)
    observed: dict[str, float] = Field(min_length=1)
    held_out: dict[str, float] = {}
    population: int = Field(100, ge=5, le=1_000_000)
    generations: int = Field(6, ge=1, le=1000)
    min_epsilon: float = Field(0.0, ge=0.0)
    max_simulations: int | None = Field(None, ge=1)
    distance: Literal["adaptive", "relative"] = "adaptive"
    checks: int = Field(20, ge=0, le=100_000)


class ExperimentSpec(_Strict):
    """The whole experiment file."""

    name: str = Field(pattern=NAME)
    description: str = ""
    base: str = Field(min_length=1)
    steps: int = Field(ge=0, le=100_000_000)
    replicates: int = Field(1, ge=1, le=1_000_000)
    seed: int = Field(ge=0, le=2**63 - 1)
    common_seeds: bool | None = None
    runs_per_part: int | None = Field(None, ge=1, le=100_000)
    fixed: dict[str, Scalar] = {}
    parameters: dict[str, ParameterSpec] = {}
    design: DesignSpec = DesignSpec()
    outcomes: list[OutcomeSpec] = []
    calibration: CalibrationSpec | None = None


@dataclass(frozen=True)
class Experiment:
    """A loaded, validated experiment.

    Attributes
    ----------
    path : Path
        The experiment file.
    spec : ExperimentSpec
        Its content.
    base : str
        Model name, or the absolute path of the scenario file.
    dims : tuple of Dimension
        The varied parameters with types and ranges resolved from their declarations.
    columns : tuple of str
        The per-step columns the base records.
    digest : str
        SHA-256 of the spec and, for a scenario, of the scenario file.
    """

    path: Path
    spec: ExperimentSpec
    base: str
    dims: tuple[Dimension, ...]
    columns: tuple[str, ...]
    digest: str

    def design(self) -> tuple[Design, np.ndarray]:
        """The expanded design and the run seeds (array ``(points, replicates)``)."""
        s = self.spec
        design_ss = np.random.SeedSequence(s.seed).spawn(2)[0]  # plan_seeds' first child
        design = make_design(s.design.kind, self.dims, design_ss, s.design.samples,
                             s.design.second_order, s.design.levels, s.design.optimization)  # fmt: skip
        _, seeds = plan_seeds(s.seed, len(design.points), s.replicates, self.common_seeds)
        return design, seeds

    @property
    def common_seeds(self) -> bool:
        """Whether replicate ``r`` has the same seed at every design point.

        By default yes for Sobol and Morris designs: their estimators compare outputs at points
        that differ in one parameter, and different seeds there would count the model's noise
        as that parameter's effect. No for grids and Latin hypercubes, where every run gets a
        seed of its own.
        """
        if self.spec.common_seeds is not None:
            return self.spec.common_seeds
        return self.spec.design.kind in ("sobol", "morris")

    @property
    def outcomes(self) -> list[dict[str, Any]]:
        """The outcomes as plain dicts (what workers receive)."""
        return [o.model_dump() for o in self.spec.outcomes]

    @property
    def model(self) -> str:
        """The model name of the base (``world`` for a scenario)."""
        return resolve(self.base, {}).model

    def values(self, point: dict[str, Any]) -> dict[str, Any]:
        """Parameter values of one design point: the fixed ones plus the point's."""
        return {**self.spec.fixed, **point}


def _flatten(table: Any, leaf: Any, prefix: str = "") -> Any:
    # Nested tables ([fixed.grievance], [parameters.grievance.weight]) name world-model
    # parameters ``grievance.weight``; ``leaf`` tells a parameter's own table from a namespace.
    if not isinstance(table, dict):
        return table
    out: dict[str, Any] = {}
    for k, v in table.items():
        name = f"{prefix}{k}"
        if isinstance(v, dict) and not leaf(v):
            out.update(_flatten(v, leaf, name + "."))
        else:
            out[name] = v
    return out


def _toml_loc(loc: tuple) -> tuple:
    if len(loc) > 1 and loc[0] in ("parameters", "fixed") and isinstance(loc[1], str):
        return (loc[0], *loc[1].split("."), *loc[2:])
    return loc


class _Where:
    """Turns a field path into ``file:line: field:`` for error messages."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.lines = path, locate(text)

    def error(self, loc: tuple, message: str) -> ExperimentError:
        field = ".".join(str(p) for p in loc if not isinstance(p, int))
        field = _dotted(loc) if any(isinstance(p, int) for p in loc) else field
        line = line_of(self.lines, _toml_loc(loc))
        return ExperimentError(f"{self.path}:{line}: {field + ': ' if field else ''}{message}")


def load_experiment(path: str | Path, sweep: bool = True) -> Experiment:
    """Read and validate an experiment file against the schema and its base's declarations.

    With ``sweep=False`` (calibration) the design is not checked: calibration samples the
    parameters' ranges itself.

    Raises
    ------
    ExperimentError
        One line: ``file:line: field: problem; allowed: ...``.
    """
    path = Path(path)
    try:
        text, data = _read_toml(path)
    except ScenarioError as exc:
        raise ExperimentError(str(exc)) from None
    where = _Where(path, text)
    data = dict(data)
    data["fixed"] = _flatten(data.get("fixed", {}), lambda v: False)
    data["parameters"] = _flatten(data.get("parameters", {}),
                                  lambda v: set(v) <= set(ParameterSpec.model_fields))  # fmt: skip
    try:
        spec = ExperimentSpec.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc, msg = _describe(ExperimentSpec, err)
        if err["type"] == "value_error":
            msg = err["msg"].removeprefix("Value error, ")
        raise where.error(tuple(loc), msg) from None
    base, probe = _resolve_base(spec, path, where)
    tables = parameter_tables(probe.model)
    dims = tuple(_dimension(spec, name, tables, where) for name in spec.parameters)
    if sweep:
        _check_design(spec, dims, where)
    target = _probe(spec, base, dims, where)
    columns = _columns(target)
    _check_outcomes(spec, columns, where)
    _check_calibration(spec, where)
    body = json.dumps(spec.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    h = hashlib.sha256(body.encode())
    if base.endswith(".toml"):
        h.update(Path(base).read_bytes())
    return Experiment(path, spec, base, dims, columns, h.hexdigest())


def _resolve_base(spec: ExperimentSpec, path: Path, where: _Where) -> tuple[str, Target]:
    base = spec.base
    if base.endswith(".toml"):
        scenario = (path.parent / base).resolve()
        if not scenario.is_file():
            raise where.error(("base",), f"scenario file {scenario} not found (paths are relative "
                                         "to the experiment file)")  # fmt: skip
        base = str(scenario)
    try:
        probe = resolve(base, {})  # declared defaults are valid on their own
    except TargetError as exc:
        raise where.error(("base",), str(exc)) from None
    tables = parameter_tables(probe.model)
    for name, value in spec.fixed.items():
        decl = declared(tables, name)
        if tables is not None and decl is None:
            raise where.error(("fixed", name), f"unknown parameter; allowed: {_names(tables)}")
        problem = decl.check(value) if decl else None
        if problem:
            raise where.error(("fixed", name), problem)
    return base, probe


def _probe(spec: ExperimentSpec, base: str, dims: tuple[Dimension, ...], where: _Where) -> Target:
    # The fixed values with every varied parameter at its first listed value, or the middle of
    # its range, must be valid; single design points that are not (say, densities adding up to
    # more than one) become failed runs when the sweep is planned.
    values = {**spec.fixed, **{d.name: d.values[0] if d.values else d.from_unit(0.5) for d in dims}}
    try:
        return resolve(base, values)
    except TargetError as exc:
        mid = (
            " (varied parameters at their first value or the middle of their range)" if dims else ""
        )
        raise where.error(("fixed",), f"{exc}{mid}") from None


def _names(tables) -> str:
    names = known_names(tables)
    return ", ".join(names[:15]) + (f", ... ({len(names)} in all)" if len(names) > 15 else "")


def _dimension(spec: ExperimentSpec, name: str, tables, where: _Where) -> Dimension:
    p = spec.parameters[name]
    loc = ("parameters", name)
    decl = declared(tables, name)
    if tables is not None and decl is None:
        raise where.error(loc, f"unknown parameter; allowed: {_names(tables)}")
    if name in spec.fixed:
        raise where.error(loc, "is also in [fixed]; a parameter is either fixed or varied")
    kind = decl.kind if decl else ("float" if p.values is None else "choice")
    if p.values is not None:
        for i, v in enumerate(p.values):
            problem = decl.check(v) if decl else None
            if problem:
                raise where.error((*loc, "values"), f"value {i + 1}: {problem}")
        if len(set(map(repr, p.values))) != len(p.values):
            raise where.error((*loc, "values"), "values repeat")
        return Dimension(name, kind, tuple(p.values), scale=p.scale)
    if kind in ("bool", "choice"):
        return Dimension(name, kind, tuple(decl.choices))
    lo, hi = decl.bounds() if decl else (float("-inf"), float("inf"))
    low = p.low if p.low is not None else lo
    high = p.high if p.high is not None else hi
    for field, v in (("low", p.low), ("high", p.high)):
        if v is not None and decl and not lo <= v <= hi:
            raise where.error((*loc, field), f"{v!r} is out of range; allowed: {decl.describe()}")
    if not (abs(low) < float("inf") and abs(high) < float("inf")):
        raise where.error(loc, "needs low and high (the declaration gives no finite range)")
    if high - low > 1e6 and (p.low is None or p.high is None):
        raise where.error(
            loc, f"the declared range [{low}, {high}] is too wide to sweep; give low and high"
        )
    if not low < high:
        raise where.error(loc, f"low must be < high; got {low} and {high}")
    if p.scale == "log" and low <= 0:
        raise where.error((*loc, "scale"), f"'log' needs low > 0; got low = {low}")
    return Dimension(name, kind, None, low, high, p.levels, p.scale)


def _check_design(spec: ExperimentSpec, dims: tuple[Dimension, ...], where: _Where) -> None:
    d = spec.design
    if d.kind == "grid":
        for dim in dims:
            if dim.values is None and dim.levels is None:
                raise where.error(("parameters", dim.name),
                                  "a grid needs values or levels for every parameter")  # fmt: skip
        return
    for dim in dims:
        if dim.levels is not None:
            raise where.error(("parameters", dim.name, "levels"), f"levels is for grids; the "
                              f"design is '{d.kind}'")  # fmt: skip
    if not dims:
        raise where.error(("design", "kind"), f"'{d.kind}' needs at least one varied parameter")
    if d.samples is None:
        raise where.error(("design",), f"'{d.kind}' needs samples")
    if d.kind == "sobol" and d.samples & (d.samples - 1):
        raise where.error(("design", "samples"), f"{d.samples} is not allowed; allowed: a power "
                          "of 2 (Sobol' sequences keep their properties only then)")  # fmt: skip


def _columns(target: Target) -> tuple[str, ...]:
    model = target.build(0)
    return ("step", *model.observe().keys())


def _check_outcomes(spec: ExperimentSpec, columns: tuple[str, ...], where: _Where) -> None:
    seen: set[str] = set()
    for i, o in enumerate(spec.outcomes):
        loc = ("outcomes", i)
        if o.name in seen:
            raise where.error(
                (*loc, "name"), f"'{o.name}' is used twice; outcome names must differ"
            )
        if o.name in spec.parameters or o.name in spec.fixed:
            raise where.error((*loc, "name"), f"'{o.name}' is a parameter's name; choose another")
        seen.add(o.name)
        if o.column not in columns:
            shown = ", ".join(columns[:20]) + (", ..." if len(columns) > 20 else "")
            raise where.error((*loc, "column"), f"{o.column!r} is not recorded; allowed: {shown}")
        if o.stat == "at" and o.step > spec.steps:
            raise where.error((*loc, "step"), f"{o.step} is after the last step ({spec.steps})")


def _check_calibration(spec: ExperimentSpec, where: _Where) -> None:
    c = spec.calibration
    if c is None:
        return
    names = [o.name for o in spec.outcomes]
    for p in c.parameters:
        if p not in spec.parameters:
            raise where.error(("calibration", "parameters"), f"'{p}' is not a varied parameter; "
                              f"allowed: {', '.join(spec.parameters) or 'none ([parameters] is empty)'}")  # fmt: skip
    for group in ("observed", "held_out"):
        for k in getattr(c, group):
            if k not in names:
                raise where.error(
                    ("calibration", group, k), f"not an outcome; allowed: {', '.join(names)}"
                )
    both = set(c.observed) & set(c.held_out)
    if both:
        raise where.error(("calibration", "held_out"), f"{sorted(both)[0]!r} is also in observed; "
                          "a held-out target must not be fitted")  # fmt: skip
