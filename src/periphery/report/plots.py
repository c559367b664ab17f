"""Time-series plots of stored runs, written as PNG with matplotlib's non-interactive backend."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on servers and in CI; set before pyplot is imported

import matplotlib.pyplot as plt  # noqa: E402
import pyarrow as pa  # noqa: E402


def plot_series(series: pa.Table, columns: Sequence[str], path: Path, title: str,
                ylabel: str = "agents") -> Path:
    """Plot ``columns`` of ``series`` against ``step`` and save the figure to ``path``."""
    step = series.column("step").to_numpy()
    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=110)
    for name in columns:
        ax.plot(step, series.column(name).to_numpy(), label=name, linewidth=1.2)
    ax.set_xlabel("step")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc="upper right", frameon=False)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
