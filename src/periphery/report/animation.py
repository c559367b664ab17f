"""An animated GIF of grid snapshots, written with matplotlib's ``PillowWriter``.

Long runs are thinned to at most ``max_frames`` frames (evenly spaced, the first and last
kept), so the file stays small enough to mail and to play smoothly.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from matplotlib.animation import PillowWriter

from periphery.report import plots


def frame_indices(n: int, max_frames: int) -> np.ndarray:
    """Indices of at most ``max_frames`` evenly spaced frames out of ``n``, first and last included."""
    if n <= max_frames:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, max_frames).round().astype(int))


def grid_gif(steps: np.ndarray, codes: np.ndarray, path: Path, fps: int = 10,
             max_frames: int = 150, title: str = "") -> Path:
    """Write the snapshots ``codes[i]`` (taken at ``steps[i]``) as an animated GIF at ``path``.

    Parameters
    ----------
    steps : ndarray of int, shape (n,)
        Step of each snapshot.
    codes : ndarray of int8, shape (n, width, height)
        Cell codes (see ``plots.GRID_LABELS``).
    path : Path
        Output file; written beside itself and renamed into place.
    fps : int
        Frames per second.
    max_frames : int
        Upper bound on frames.
    title : str
        Put before the step number in each frame's title.
    """
    if len(steps) == 0:
        raise ValueError("no snapshots to animate")
    fig, axes = plots.new_figure((4.2, 4.6))
    ax = axes[0, 0]
    im = plots.grid_image(ax, codes[0])
    head = ax.set_title("", fontsize=10)
    plots.grid_legend(fig)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.gif")
    writer = PillowWriter(fps=fps)
    with writer.saving(fig, str(tmp), dpi=80):  # small frames keep the file light
        for i in frame_indices(len(steps), max_frames):
            im.set_data(np.asarray(codes[i]).T)
            head.set_text(f"{title} step {int(steps[i])}".strip())
            writer.grab_frame()
    os.replace(tmp, path)
    return path
