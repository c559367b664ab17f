"""Load scenario and parameter TOML files; every error is one line with file, line, field and allowed values.

``tomllib`` reports no line numbers for valid TOML, so ``locate`` maps a field path
(``("countries", 1, "regime")``) to the line of the TOML text that sets it, by following table
headers (``[x]``, ``[[x]]``, dotted headers), keys, dotted keys, inline tables and inline arrays
of tables. When the exact key is missing (a required field) the line of its nearest enclosing
table is given.
"""

from __future__ import annotations

import re
import tomllib
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from periphery.engine.params import Params, allowed
from periphery.scenarios.schema import LocatedError, Scenario
from periphery.theory.frameworks import param_tables


class ScenarioError(ValueError):
    """A scenario or parameter file that cannot be used; the message is one line."""


# ------------------------------------------------------------------------------------------
# Line locator
# ------------------------------------------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\.\"' ]+?)\s*=\s*(.*)$")


def _split_key(k: str) -> list[str]:
    return [p.strip().strip("\"'") for p in k.split(".")]


def locate(text: str) -> dict[tuple, int]:
    """Map each field path set in a TOML text to its 1-based line number."""
    lines: dict[tuple, int] = {}
    aot: dict[tuple, int] = {}
    table: tuple = ()
    array_key: tuple | None = None  # inside a multi-line inline array of tables
    array_idx = -1
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if array_key is not None:
            if line.startswith("{"):
                array_idx += 1
                path = (*array_key, array_idx)
                lines.setdefault(path, no)
                for m in re.finditer(r"([A-Za-z0-9_]+)\s*=", line):
                    lines.setdefault((*path, m.group(1)), no)
            if line.startswith("]"):
                array_key = None
            continue
        h = _HEADER.match(line)
        if h and not _KEY.match(line):
            parts = _split_key(h.group(2))
            path: list = []
            for p in parts[:-1]:
                path.append(p)
                if tuple(path) in aot:
                    path.append(aot[tuple(path)] - 1)
            path.append(parts[-1])
            if h.group(1) == "[[":
                aot[tuple(path)] = aot.get(tuple(path), 0) + 1
                path.append(aot[tuple(path)] - 1)
            table = tuple(path)
            lines.setdefault(table, no)
            continue
        k = _KEY.match(line)
        if k:
            key = (*table, *_split_key(k.group(1)))
            lines.setdefault(key, no)
            value = k.group(2).strip()
            if value.startswith("{"):  # inline table: its keys are on this line
                for m in re.finditer(r"([A-Za-z0-9_]+)\s*=", value):
                    lines.setdefault((*key, m.group(1)), no)
            elif value.startswith("[") and not value.rstrip().endswith("]"):
                array_key, array_idx = key, -1
            elif value.startswith("[") and "{" in value:
                for i, _ in enumerate(re.finditer(r"\{", value)):
                    lines.setdefault((*key, i), no)
    return lines


def line_of(lines: dict[tuple, int], loc: tuple) -> int:
    """Line of the longest prefix of ``loc`` present in ``lines`` (1 if none)."""
    for n in range(len(loc), 0, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return 1


def _dotted(loc: tuple) -> str:
    out = ""
    for p in loc:
        if isinstance(p, int):
            out += f"[{p}]"
        elif p == "[key]":
            continue
        else:
            out += ("." if out else "") + str(p)
    return out


# ------------------------------------------------------------------------------------------
# Error wording
# ------------------------------------------------------------------------------------------


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        m = _inner_model(arg)
        if m is not None:
            return m
    return None


def _owner(root: type[BaseModel], loc: tuple) -> tuple[type[BaseModel], str | None]:
    """The model that owns the last named field of ``loc``, and that field's name."""
    cur, field = root, None
    for p in loc:
        if isinstance(p, int) or p == "[key]":
            continue
        if field is not None:
            nxt = _inner_model(cur.model_fields[field].annotation) if field in cur.model_fields else None
            if nxt is None:
                break
            cur = nxt
        field = p
    return cur, field


def _describe(root: type[BaseModel], err: dict) -> tuple[tuple, str]:
    loc = tuple(err["loc"])
    ctx = err.get("ctx") or {}
    kind = err["type"]
    original = ctx.get("error")
    if isinstance(original, LocatedError):
        loc = original.loc
        return loc, f"{original}; allowed: {original.allowed}" if original.allowed else str(original)
    owner, field = _owner(root, loc)
    value = err.get("input")
    if kind == "literal_error":
        expected = ctx.get("expected", "").replace(" or ", ", ").replace("'", "")
        return loc, f"{value!r} is not allowed; allowed: {expected}"
    if kind == "extra_forbidden":
        return loc, f"unknown field; allowed: {', '.join(owner.model_fields)}"
    if kind == "missing":
        return loc, "is required but missing"
    if kind == "string_pattern_mismatch":
        return loc, f"{value!r} is not a valid name; allowed: lower-case letters, digits and _ , starting with a letter"
    if kind.startswith(("greater_than", "less_than")) and field in owner.model_fields:
        return loc, f"{value!r} is out of range; allowed: {allowed(owner, field)}"
    if field is not None and field in owner.model_fields:
        return loc, f"{value!r} is not valid ({err['msg']}); allowed: {allowed(owner, field)}"
    return loc, f"{err['msg']}"


def _read_toml(path: Path) -> tuple[str, dict]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ScenarioError(f"{path}: cannot read: {e.strerror or e}") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        line = m.group(1) if m else "1"
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e))
        raise ScenarioError(f"{path}:{line}: malformed TOML: {msg}") from None


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file.

    Raises
    ------
    ScenarioError
        One line: ``file:line: field: problem; allowed: ...``.
    """
    path = Path(path)
    text, data = _read_toml(path)
    try:
        return Scenario.model_validate(data)
    except ValidationError as e:
        lines = locate(text)
        loc, msg = _describe(Scenario, e.errors()[0])
        where = _dotted(loc)
        raise ScenarioError(f"{path}:{line_of(lines, loc)}: {where + ': ' if where else ''}{msg}") from None


def load_params(path: str | Path | None = None) -> dict[str, Params]:
    """Resolved parameters: one ``Params`` per table (``build`` and every registered mechanism).

    Tables missing from the file take their defaults; ``path=None`` gives all defaults.

    Raises
    ------
    ScenarioError
        For an unknown table or field, or a value out of its declared range (one line).
    """
    tables = param_tables()
    if path is None:
        return {name: cls() for name, cls in tables.items()}
    path = Path(path)
    text, data = _read_toml(path)
    lines = locate(text)
    out: dict[str, Params] = {}
    for name, values in data.items():
        if name not in tables:
            raise ScenarioError(
                f"{path}:{line_of(lines, (name,))}: {name}: unknown mechanism table; allowed: {', '.join(tables)}"
            )
        if not isinstance(values, dict):
            raise ScenarioError(f"{path}:{line_of(lines, (name,))}: {name}: must be a table of parameters")
        cls = tables[name]
        try:
            out[name] = cls.model_validate(values)
        except ValidationError as e:
            err = e.errors()[0]
            loc = (name, *err["loc"])
            field = err["loc"][0] if err["loc"] else None
            if err["type"] == "extra_forbidden":
                msg = f"unknown parameter; allowed: {', '.join(cls.model_fields)}"
            elif field in cls.model_fields:
                msg = f"{err.get('input')!r} is not valid; allowed: {allowed(cls, field)}"
            else:
                msg = err["msg"]
            raise ScenarioError(f"{path}:{line_of(lines, loc)}: {_dotted(loc)}: {msg}") from None
    for name, cls in tables.items():
        out.setdefault(name, cls())
    return {name: out[name] for name in tables}
