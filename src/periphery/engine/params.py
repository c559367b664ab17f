"""Declaring parameters: one pydantic field carries default, range, unit and the reason for the default.

Domain-free, so models, mechanisms and scenarios all declare parameters the same way; from one
declaration come validation, the CLI's `--set` checks, docs tables and sweep ranges.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Params(BaseModel):
    """Base for every model's parameters: frozen, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


def param(default: Any, *, unit: str, why: str, description: str, **bounds: Any) -> Any:
    """A parameter field: ``bounds`` are pydantic's ``ge``/``le``/``gt``/``lt``; ``why`` says where the default comes from."""
    return Field(default, description=description, json_schema_extra={"unit": unit, "why": why}, **bounds)


def describe(params_cls: type[BaseModel]) -> list[dict[str, Any]]:
    """One row per parameter: name, type, default, allowed range or choices, unit, description, reason."""
    rows = []
    for name, f in params_cls.model_fields.items():
        extra = f.json_schema_extra or {}
        rows.append(
            {
                "name": name,
                "type": _type_name(f.annotation),
                "default": f.default,
                "allowed": allowed(params_cls, name),
                "unit": extra.get("unit", ""),
                "description": f.description or "",
                "why": extra.get("why", ""),
            }
        )
    return rows


def _type_name(annotation: Any) -> str:
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and str(origin).endswith("Literal"):
        return "choice"
    return getattr(annotation, "__name__", str(annotation))


def allowed(params_cls: type[BaseModel], name: str) -> str:
    """Human-readable allowed values of one parameter, from its declared constraints."""
    f = params_cls.model_fields[name]
    args = getattr(f.annotation, "__args__", None)
    if _type_name(f.annotation) == "choice" and args:
        return "one of " + ", ".join(repr(a) for a in args)
    if f.annotation is bool:
        return "true or false"
    lo = hi = None
    lo_open = hi_open = False
    for m in f.metadata:
        if getattr(m, "ge", None) is not None:
            lo = m.ge
        if getattr(m, "gt", None) is not None:
            lo, lo_open = m.gt, True
        if getattr(m, "le", None) is not None:
            hi = m.le
        if getattr(m, "lt", None) is not None:
            hi, hi_open = m.lt, True
    kind = "an integer" if f.annotation is int else "a number"
    if lo is None and hi is None:
        return kind
    left = "(" if lo_open else "["
    right = ")" if hi_open else "]"
    return f"{kind} in {left}{'-inf' if lo is None else lo}, {'inf' if hi is None else hi}{right}"
