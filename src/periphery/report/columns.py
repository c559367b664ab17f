"""Reading the world model's flat per-step columns as (measure, class, country) tables.

``World.observe()`` returns flat names such as ``bolivia.peasant_farmer.mobilized``. This module
finds the known words in a name (statuses, class names, event kinds, ``regime``) and takes
what is left as the country, so the report can draw "by class" and "by country" panels
without a hard-coded list of columns. Separators ``.``, ``/``, ``:`` and ``__`` split parts;
names of classes and events contain single underscores and are matched whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

try:  # the vocabulary of the world model; absent, only generic plots are drawn
    from periphery.theory.world_schema import CLASS_NAMES, EVENT_NAMES, REGIME_NAMES, STATUSES
except ImportError:  # pragma: no cover - the theory layer is always installed with periphery
    CLASS_NAMES, EVENT_NAMES, REGIME_NAMES = (), (), ()
    STATUSES = ("quiescent", "mobilized", "organized", "armed", "jailed", "emigrated")

#: Statuses the issue asks to follow over time, in the order panels are drawn.
SHOWN_STATUSES = ("mobilized", "organized", "armed", "jailed")
_SPLIT = re.compile(r"__|[./:|]")
#: Words that only say which table a name comes from (``class.<name>.n``, ``country.<name>.x``).
_STRUCTURE = {"class", "country", "n", "count", "agents"}
_TITLES = {"n": "agents in the class", "n_alive": "agents alive"}


@dataclass(frozen=True)
class Col:
    """What one column's name says."""

    name: str
    measure: str
    cls: str | None
    country: str | None
    kind: str  # "status", "event", "regime" or "measure"


@dataclass
class WorldColumns:
    """The parsed columns of a run."""

    cols: list[Col] = field(default_factory=list)

    @property
    def has_statuses(self) -> bool:
        """Whether any column counts agents of a class or country in one of the shown statuses."""
        return any(c.kind == "status" and c.measure in SHOWN_STATUSES and (c.cls or c.country)
                   for c in self.cols)  # fmt: skip

    def panels(self, data: dict[str, np.ndarray], by: str) -> dict[str, dict[str, np.ndarray]]:
        """Status -> (class or country -> series), summing over the other dimension.

        For ``by="country"`` the countries' own totals are used when the run records them,
        so classes are not added twice.
        """
        out: dict[str, dict[str, np.ndarray]] = {}
        for status in SHOWN_STATUSES:
            cols = [c for c in self.cols if c.kind == "status" and c.measure == status]
            key = (lambda c: c.cls) if by == "class" else (lambda c: c.country)
            if by == "country":
                totals = [c for c in cols if c.country and c.cls is None]
                cols = totals or [c for c in cols if c.country]
            else:
                cols = [c for c in cols if c.cls]
            lines = _sum_by(cols, key, data)
            if lines:
                out[status] = lines
        return out

    def total(self, data: dict[str, np.ndarray], statuses: tuple[str, ...]) -> np.ndarray | None:
        """Agents in any of ``statuses``, from the least disaggregated columns available."""
        acc = None
        for status in statuses:
            cols = [c for c in self.cols if c.kind == "status" and c.measure == status]
            for level in ((None, None), ("country", None), (None, "cls"), ("country", "cls")):
                pick = [c for c in cols if bool(c.country) == bool(level[0]) and
                        bool(c.cls) == bool(level[1])]  # fmt: skip
                if pick:
                    s = sum(data[c.name].astype(float) for c in pick)
                    acc = s if acc is None else acc + s
                    break
        return acc

    def events(self, data: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Event rows (``event, country`` -> intensity) that were ever in force."""
        out = {}
        for c in self.cols:
            if c.kind == "event" and np.any(data[c.name] > 0):
                out[f"{c.measure} ({c.country})" if c.country else c.measure] = data[c.name]
        return out

    def regimes(self, data: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Country -> regime code over time."""
        return {c.country or c.name: data[c.name] for c in self.cols if c.kind == "regime"}

    def other_measures(self, data: dict[str, np.ndarray]) -> dict[str, dict[str, np.ndarray]]:
        """Measure -> (class or country -> series) for every column that is not a status or event."""
        out: dict[str, dict[str, np.ndarray]] = {}
        for c in self.cols:
            if c.kind != "measure" or not (c.cls or c.country):
                continue
            if not np.issubdtype(data[c.name].dtype, np.number):
                continue
            label = " ".join(x for x in (c.country, c.cls) if x)
            title = _TITLES.get(c.measure, c.measure.replace("_", " "))
            out.setdefault(title, {})[label] = data[c.name]
        # a handful of panels, the most varied first, keeps the figure readable
        ranked = sorted(out.items(), key=lambda kv: -max(float(np.ptp(v)) for v in kv[1].values()))
        return dict(ranked[:6])


def _sum_by(cols, key, data) -> dict[str, np.ndarray]:
    lines: dict[str, np.ndarray] = {}
    for c in cols:
        k = key(c)
        v = data[c.name].astype(float)
        lines[k] = lines[k] + v if k in lines else v
    return lines


def _find(name: str, words) -> str | None:
    best = None
    for w in words:
        if re.search(rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])", name):
            if best is None or len(w) > len(best):
                best = w
    return best


def parse_column(name: str) -> Col:
    """What the words in ``name`` say (see the module docstring)."""
    low = name.lower()
    status = _find(low, STATUSES)
    cls = _find(low, CLASS_NAMES)
    event = None if status else _find(low, EVENT_NAMES)
    rest = low
    for w in (cls, status, event):
        if w:
            rest = re.sub(rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])", " ", rest, count=1)
    parts = [p.strip(" _") for p in _SPLIT.split(rest)]
    parts = [p for p in parts if p and p.strip("_ ")]
    table = parts[0] if parts and parts[0] in ("class", "country") else None
    if status:
        extra = [p for p in parts if p not in _STRUCTURE]
        return Col(name, status, cls, extra[0] if extra else None, "status")
    if event and not low.endswith("_months"):
        return Col(name, event, None, parts[0] if parts else None, "event")
    if "regime" in parts:
        others = [p for p in parts if p != "regime" and p not in _STRUCTURE]
        return Col(name, "regime", None, others[0] if others else None, "regime")
    if table:
        parts = parts[1:]
    measure = parts[-1] if parts else name
    country = parts[0] if len(parts) > 1 and not cls else None
    return Col(name, measure, cls, country, "measure")


def parse_columns(names: list[str]) -> WorldColumns:
    """Parse every column name of a run (``step`` and ``run_id`` excluded by the caller)."""
    return WorldColumns([parse_column(n) for n in names])
