"""Bar plots of sensitivity indices (Sobol' S1 and ST, or Morris mu* and sigma), one panel per outcome."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on servers and in CI; set before pyplot-free drawing

import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

_PAIRS = {"sobol": (("S1", "first order S1"), ("ST", "total ST")),
          "morris": (("mu_star", "mu* (mean |effect|)"), ("sigma", "sigma (interaction, nonlinearity)"))}  # fmt: skip


def indices_figure(results: Sequence[Any], title: str = "") -> Figure:
    """Grouped bars of each outcome's indices per parameter, with confidence intervals.

    Parameters
    ----------
    results : sequence of Indices
        From ``periphery.experiments.sensitivity.analyze``; each has ``outcome``, ``method``
        and ``rows``.
    title : str
        Figure title.
    """
    n = max(len(results), 1)
    fig = Figure(
        figsize=(max(6.0, 1.2 * len(results[0].rows) + 3) if results else 6.0, 3.2 * n), dpi=100
    )
    axes = fig.subplots(n, 1, squeeze=False)[:, 0]
    for ax, res in zip(axes, results):
        names = [r["parameter"] for r in res.rows]
        x = np.arange(len(names))
        for k, (key, label) in enumerate(_PAIRS[res.method]):
            vals = np.array([r[key] for r in res.rows], dtype=float)
            conf = np.array([r.get(f"{key}_conf", np.nan) for r in res.rows], dtype=float)
            ax.bar(x + (k - 0.5) * 0.38, np.nan_to_num(vals), 0.38, label=label,
                   yerr=None if np.isnan(conf).all() else np.nan_to_num(conf), capsize=3)  # fmt: skip
        ax.set_xticks(
            x,
            names,
            rotation=20 if len(names) > 4 else 0,
            ha="right" if len(names) > 4 else "center",
        )
        note = "" if res.varies else " (does not vary: indices undefined)"
        ax.set_title(f"{res.outcome}{note}", fontsize=10)
        ax.axhline(0, color="black", lw=0.5)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig


def plot_indices(results: Sequence[Any], path: Path, title: str = "") -> Path:
    """Write ``indices_figure`` to ``path`` as PNG and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    indices_figure(results, title).savefig(path, format="png")
    return path
