"""Plots of runs and sweeps, drawn with matplotlib's non-interactive backend.

Every ``*_figure`` function returns a matplotlib ``Figure`` and leaves saving to the caller, so
the same drawing serves the static report (PNG files and an HTML page) and the dashboard.
``plot_series`` is the one-call form the CLI uses to write a PNG directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on servers and in CI; set before pyplot is imported

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
from matplotlib.colors import BoundaryNorm, ListedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

#: Cell codes of the civil violence grid (``CivilViolence.snapshot``), their names and colours.
GRID_LABELS = ("empty", "quiet", "active", "jailed", "cop")
GRID_COLORS = ("#ffffff", "#9ecae1", "#d62728", "#404040", "#1f3b99")
GRID_CMAP = ListedColormap(GRID_COLORS)
GRID_NORM = BoundaryNorm(np.arange(-0.5, len(GRID_COLORS) + 0.5), GRID_CMAP.N)

WIDE = (9.0, 4.2)
DPI = 100


def new_figure(figsize: tuple[float, float] = WIDE, nrows: int = 1, ncols: int = 1, **kw):
    """A figure and its axes, made without pyplot's global figure registry.

    ``Figure()`` objects are not tracked by pyplot, so long-running processes (the dashboard)
    never accumulate open figures; the caller drops the figure when done.
    """
    fig = Figure(figsize=figsize, dpi=DPI)
    axes = fig.subplots(nrows, ncols, squeeze=False, **kw)
    return fig, axes


def save_png(fig: Figure, path: Path) -> Path:
    """Write ``fig`` to ``path`` as PNG, creating the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png")
    return path


def _style(ax, xlabel: str = "step", ylabel: str = "", title: str = "") -> None:
    ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)


def series_figure(step: np.ndarray, lines: Mapping[str, np.ndarray], title: str,
                  ylabel: str = "agents", mark_step: int | None = None) -> Figure:
    """Lines of ``lines`` (name -> values) against ``step``; ``mark_step`` draws a vertical rule."""
    fig, axes = new_figure()
    ax = axes[0, 0]
    for name, y in lines.items():
        ax.plot(step, y, label=name, linewidth=1.2)
    if mark_step is not None:
        ax.axvline(mark_step, color="black", linewidth=0.8, linestyle="--")
    _style(ax, ylabel=ylabel, title=title)
    if lines:
        ax.legend(loc="upper right", frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def panels_figure(step: np.ndarray, panels: Mapping[str, Mapping[str, np.ndarray]],
                  ylabel: str = "agents", max_lines: int = 10) -> Figure:
    """One small panel per key of ``panels``, each with its own lines (e.g. one per class).

    Only the ``max_lines`` lines with the largest peaks are drawn in a panel, so a legend of
    22 classes does not hide the lines; the caption says so.
    """
    n = max(1, len(panels))
    ncols = 2 if n > 1 else 1
    nrows = (n + ncols - 1) // ncols
    fig, axes = new_figure((9.0, 2.8 * nrows + 0.4), nrows, ncols, sharex=True)
    for ax, (title, lines) in zip(axes.flat, panels.items()):
        ranked = sorted(lines.items(), key=lambda kv: -float(np.max(kv[1])) if len(kv[1]) else 0)
        for name, y in ranked[:max_lines]:
            ax.plot(step, y, label=name, linewidth=1.1)
        _style(ax, ylabel=ylabel, title=title)
        if ranked:
            ax.legend(loc="upper left", frameon=False, fontsize=7, ncol=2)
    for ax in list(axes.flat)[len(panels):]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


def lifecycle_figure(values: np.ndarray, starts: np.ndarray, ends: np.ndarray, level: float,
                     name: str, max_episodes: int = 12) -> Figure:
    """Episodes of ``values`` above ``level``, each drawn from its onset (left) and as a dot (right).

    Left: the size of each episode against steps since it began, so rise, peak and decline can
    be compared. Right: duration against peak size for every episode.
    """
    fig, axes = new_figure((9.0, 3.8), 1, 2)
    left, right = axes[0, 0], axes[0, 1]
    order = np.argsort([-(values[s:e].max()) for s, e in zip(starts, ends)])[:max_episodes]
    for i in sorted(order):
        s, e = int(starts[i]), int(ends[i])
        lo, hi = max(0, s - 2), min(values.size, e + 2)  # a little context either side
        left.plot(np.arange(lo, hi) - s, values[lo:hi], linewidth=1.0, label=f"from step {s}")
    left.axhline(level, color="grey", linewidth=0.8, linestyle=":")
    _style(left, xlabel="steps since onset", ylabel=name,
           title=f"episodes with {name} above {level:g}")  # fmt: skip
    if len(order):
        left.legend(frameon=False, fontsize=7, ncol=2)
    peaks = np.array([values[s:e].max() for s, e in zip(starts, ends)])
    right.scatter(ends - starts, peaks, s=14, alpha=0.7)
    _style(right, xlabel="duration (steps)", ylabel=f"peak {name}", title="duration and peak")
    fig.tight_layout()
    return fig


def timeline_figure(step: np.ndarray, bars: Mapping[str, np.ndarray],
                    states: Mapping[str, np.ndarray] | None = None,
                    state_names: Sequence[str] = ()) -> Figure:
    """Exogenous events as horizontal bars (where ``bars[name] > 0``) and categorical states below.

    ``states`` maps a row name (e.g. a country) to integer codes over time, drawn as coloured
    stripes with ``state_names`` in the legend (e.g. regime types).
    """
    states = states or {}
    rows = len(bars) + len(states)
    fig, axes = new_figure((9.0, 0.9 + 0.32 * max(rows, 3)))
    ax = axes[0, 0]
    labels = []
    for i, (name, x) in enumerate(bars.items()):
        on = np.asarray(x) > 0
        edges = np.flatnonzero(np.diff(np.concatenate([[0], on.astype(int), [0]])))
        spans = [(step[a], step[b - 1] - step[a] + 1) for a, b in zip(edges[0::2], edges[1::2])]
        ax.broken_barh(spans, (i - 0.35, 0.7), color="#e6550d", alpha=0.8)
        labels.append(name)
    cmap = plt.get_cmap("tab10")
    used: set[int] = set()
    for j, (name, codes) in enumerate(states.items()):
        y = len(bars) + j
        codes = np.asarray(codes).astype(int)
        change = np.flatnonzero(np.diff(np.concatenate([[-1], codes]))) if codes.size else []
        for k, a in enumerate(change):
            b = change[k + 1] if k + 1 < len(change) else codes.size
            c = codes[a]
            used.add(c)
            ax.broken_barh([(step[a], step[b - 1] - step[a] + 1)], (y - 0.35, 0.7), color=cmap(c % 10))
        labels.append(name)
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels, fontsize=8)
    ax.set_ylim(-0.7, max(len(labels), 1) - 0.3)
    ax.invert_yaxis()
    if len(step):
        ax.set_xlim(step[0], step[-1] + 1)
    _style(ax)
    if used:
        handles = [Patch(color=cmap(c % 10),
                         label=state_names[c] if c < len(state_names) else str(c))
                   for c in sorted(used)]  # fmt: skip
        ax.legend(handles=handles, loc="upper right", fontsize=7, frameon=False,
                  bbox_to_anchor=(1.0, -0.12), ncol=min(len(handles), 6))  # fmt: skip
    fig.tight_layout()
    return fig


def histograms_figure(samples: Mapping[str, np.ndarray], xlabel: str = "",
                      bins: int = 30) -> Figure:
    """One histogram per entry of ``samples`` (name -> values), side by side."""
    n = max(1, len(samples))
    fig, axes = new_figure((min(4.5 * n, 13.5), 3.4), 1, n)
    for ax, (name, values) in zip(axes.flat, samples.items()):
        v = np.asarray(values, dtype=np.float64)
        v = v[np.isfinite(v)]
        ax.hist(v, bins=bins, color="#3182bd", alpha=0.85)
        if v.size:
            ax.axvline(float(v.mean()), color="black", linewidth=0.9, linestyle="--")
        _style(ax, xlabel=xlabel or name, ylabel="count", title=name)
    fig.tight_layout()
    return fig


def grid_image(ax, codes: np.ndarray):
    """Draw cell codes on ``ax`` with the shared palette; returns the image for later updates."""
    im = ax.imshow(np.asarray(codes).T, cmap=GRID_CMAP, norm=GRID_NORM, origin="lower",
                   interpolation="nearest")  # fmt: skip
    ax.set_xticks([])
    ax.set_yticks([])
    return im


def grid_legend(fig: Figure) -> None:
    """The grid palette as a figure legend."""
    fig.legend(handles=[Patch(facecolor=c, edgecolor="#999999", label=n)
                        for n, c in zip(GRID_LABELS, GRID_COLORS)],
               loc="lower center", ncol=len(GRID_LABELS), frameon=False, fontsize=8)  # fmt: skip


def grid_figure(codes: np.ndarray, title: str = "") -> Figure:
    """One grid snapshot with its legend."""
    fig, axes = new_figure((4.6, 4.9))
    grid_image(axes[0, 0], codes)
    axes[0, 0].set_title(title, fontsize=10)
    grid_legend(fig)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


def grid_snapshots_figure(snapshots: Sequence[tuple[int, np.ndarray]]) -> Figure:
    """Several grid snapshots side by side, each titled with its step."""
    n = max(1, len(snapshots))
    fig, axes = new_figure((min(3.0 * n, 15.0), 3.6), 1, n)
    for ax, (step, codes) in zip(axes.flat, snapshots):
        grid_image(ax, codes)
        ax.set_title(f"step {step}", fontsize=10)
    grid_legend(fig)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


def ensemble_figure(step: np.ndarray, groups: Mapping[str, np.ndarray], name: str,
                    band: tuple[float, float] = (5.0, 95.0)) -> Figure:
    """Mean over replicates with a percentile band, one line per group.

    ``groups`` maps a label (e.g. a parameter combination) to an array ``(replicates, steps)``.
    """
    fig, axes = new_figure()
    ax = axes[0, 0]
    for label, runs in groups.items():
        runs = np.asarray(runs, dtype=np.float64)
        mean = runs.mean(axis=0)
        lo, hi = np.percentile(runs, band, axis=0)
        (line,) = ax.plot(step, mean, linewidth=1.3, label=f"{label} (n={runs.shape[0]})")
        ax.fill_between(step, lo, hi, color=line.get_color(), alpha=0.18, linewidth=0)
    _style(ax, ylabel=name, title=f"{name}: mean over runs, band {band[0]:g}-{band[1]:g} percentile")
    if groups:
        ax.legend(loc="upper right", frameon=False, fontsize=7)
    fig.tight_layout()
    return fig


def outcome_vs_parameter_figure(x: np.ndarray, y: np.ndarray, parameter: str,
                                outcome: str) -> Figure:
    """Every run as a dot (outcome against one parameter), with the mean per parameter value."""
    fig, axes = new_figure((5.2, 3.6))
    ax = axes[0, 0]
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    ax.scatter(x, y, s=12, alpha=0.5, color="#3182bd", label="runs")
    ux = np.unique(x)
    if ux.size <= 50:  # a grid design: join the means; a random design has too many values
        ax.plot(ux, [y[x == u].mean() for u in ux], color="black", linewidth=1.2, marker="o",
                markersize=3, label="mean")  # fmt: skip
        ax.legend(frameon=False, fontsize=7)
    _style(ax, xlabel=parameter, ylabel=outcome, title=f"{outcome} against {parameter}")
    fig.tight_layout()
    return fig


def sensitivity_figure(indices: Mapping[str, float], title: str,
                       errors: Mapping[str, float] | None = None) -> Figure:
    """Horizontal bars of sensitivity indices, largest first."""
    names = sorted(indices, key=lambda k: indices[k])
    fig, axes = new_figure((6.5, 0.8 + 0.35 * max(len(names), 2)))
    ax = axes[0, 0]
    err = [errors.get(k, 0.0) for k in names] if errors else None
    ax.barh(names, [indices[k] for k in names], xerr=err, color="#31a354")
    _style(ax, xlabel="index", title=title)
    fig.tight_layout()
    return fig


def plot_series(series: pa.Table, columns: Sequence[str], path: Path, title: str,
                ylabel: str = "agents") -> Path:
    """Plot ``columns`` of ``series`` against ``step`` and save the figure to ``path``."""
    step = series.column("step").to_numpy()
    fig = series_figure(step, {c: series.column(c).to_numpy() for c in columns}, title, ylabel)
    return save_png(fig, path)
