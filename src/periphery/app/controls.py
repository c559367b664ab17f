"""Dashboard controls derived from a model's pydantic parameter class.

Each field of a ``Params`` class becomes one ``Control``: its kind (slider, number box,
choice, switch), bounds, step, default, unit and help text all come from the field's
declaration (``periphery.engine.params.describe`` and ``allowed``), so no control is written
by hand and a new parameter shows up in the dashboard by being declared.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from periphery.engine.params import describe
from periphery.experiments.single import TargetError, validate_params

#: A bounded range wider than this gets a number box only: a slider over it cannot hit a value.
SLIDER_SPAN = 1000


@dataclass(frozen=True)
class Control:
    """One parameter's control.

    Attributes
    ----------
    name : str
        Field name (for world-model tables, ``table.field``).
    kind : str
        ``"float"``, ``"int"``, ``"choice"`` or ``"bool"``.
    default : object
        The declared default.
    low, high : float or None
        Bounds (inclusive or not, as ``allowed`` says); ``None`` when unbounded.
    slider : bool
        Whether a slider fits (both bounds finite and the span moderate).
    step : float
        Slider step: 1 for integers, about a hundredth of the span for floats.
    choices : tuple
        Allowed values of a choice.
    unit, description, allowed : str
        For the label and help text.
    """

    name: str
    kind: str
    default: Any
    low: float | None
    high: float | None
    slider: bool
    step: float
    choices: tuple[Any, ...]
    unit: str
    description: str
    allowed: str

    @property
    def label(self) -> str:
        """The label shown beside the control: name and unit."""
        return f"{self.name} [{self.unit}]" if self.unit and self.unit != "1" else self.name

    @property
    def hint(self) -> str:
        """Help text: what it is, what is allowed, the default."""
        return f"{self.description}; {self.allowed}; default {self.default}"


def _bounds(field) -> tuple[float | None, float | None]:
    lo = hi = None
    for m in field.metadata:
        for attr in ("ge", "gt"):
            if getattr(m, attr, None) is not None:
                lo = float(getattr(m, attr))
        for attr in ("le", "lt"):
            if getattr(m, attr, None) is not None:
                hi = float(getattr(m, attr))
    return lo, hi


def _nice_step(span: float) -> float:
    # a round step near span/100, so slider values read as 0.01, 0.05, 0.1 ...
    raw = span / 100.0
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def _decimals(x: Any) -> int:
    text = repr(float(x))
    return 0 if "e" in text else len(text.split(".")[1].rstrip("0"))


def controls_for(params_cls: type[BaseModel], prefix: str = "") -> list[Control]:
    """One ``Control`` per field of ``params_cls``, in declaration order."""
    out = []
    for row in describe(params_cls):
        field = params_cls.model_fields[row["name"]]
        ann = field.annotation
        choices: tuple[Any, ...] = ()
        lo = hi = None
        if row["type"] == "choice":
            kind, choices = "choice", tuple(getattr(ann, "__args__", ()))
        elif ann is bool:
            kind = "bool"
        elif ann is int:
            kind = "int"
            lo, hi = _bounds(field)
        else:
            kind = "float"
            lo, hi = _bounds(field)
        bounded = lo is not None and hi is not None
        span = (hi - lo) if bounded else math.inf
        slider = bounded and 0 < span <= (SLIDER_SPAN if kind == "int" else SLIDER_SPAN / 10)
        step = 1.0 if kind == "int" else (_nice_step(span) if slider else 0.0)
        if kind == "float" and slider:  # the default must sit on the slider's grid, or it snaps
            step = min(step, 10.0 ** -_decimals(row["default"]))
        out.append(Control(prefix + row["name"], kind, row["default"], lo, hi, slider, step,
                           choices, row["unit"], row["description"], row["allowed"]))  # fmt: skip
    return out


def check(params_cls: type[BaseModel], values: dict[str, Any], where: str) -> str:
    """The one-line problem with ``values`` for ``params_cls``, or ``""`` when they are valid."""
    try:
        validate_params(params_cls, values, where)
    except TargetError as exc:
        return str(exc)
    return ""


def as_sets(values: dict[str, Any], defaults: dict[str, Any]) -> list[str]:
    """``name=value`` items for the values that differ from their defaults (as the CLI's ``--set``)."""
    return [f"{k}={str(v).lower() if isinstance(v, bool) else v}"
            for k, v in values.items() if v != defaults.get(k)]  # fmt: skip
