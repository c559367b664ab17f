"""Pictures for the dashboard: series charts and grids as PNG bytes.

Charts are drawn with the report's plotting functions, so the dashboard and the static report
look alike; grids are drawn with Pillow directly (a palette image scaled up), which takes a
millisecond and keeps animation smooth.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from periphery.report import plots
from periphery.report.columns import parse_columns
from periphery.report.html import png_bytes

_PALETTE = [int(c[i:i + 2], 16) for c in plots.GRID_COLORS for i in (1, 3, 5)]


def main_columns(model: str, names: list[str]) -> list[str]:
    """The columns a run's main chart shows."""
    for wanted in (("quiet", "active", "jailed"), ("n_mobilized", "n_organized", "n_armed", "n_jailed")):
        got = [c for c in wanted if c in names]
        if got:
            return got
    if "active" in names:
        return ["active"]
    return [n for n in names if n not in ("step", "run_id", "month")][:6]


def chart_png(series: dict[str, np.ndarray], model: str, cursor: int | None = None,
              title: str = "") -> bytes:
    """The main chart of a run (or of the part recorded so far), with the cursor step marked."""
    names = main_columns(model, list(series))
    step = series.get("step", np.arange(len(next(iter(series.values()), []))))
    fig = plots.series_figure(step, {c: series[c] for c in names}, title or "agents over time",
                              mark_step=cursor)  # fmt: skip
    return png_bytes(fig)


def country_chart_png(series: dict[str, np.ndarray]) -> bytes | None:
    """Statuses by country for world-model runs; ``None`` for other models."""
    world = parse_columns([c for c in series if c not in ("step", "run_id")])
    if not world.has_statuses:
        return None
    panels = world.panels(series, "country")
    if not panels:
        return None
    return png_bytes(plots.panels_figure(series["step"], panels))


def grid_png(codes: np.ndarray, size: int = 360) -> bytes:
    """Cell codes as a PNG about ``size`` pixels wide, with the report's palette."""
    img = Image.fromarray(np.ascontiguousarray(np.asarray(codes, np.uint8).T[::-1]))  # mode L
    # putpalette turns the L image into a P image whose values index the palette
    img.putpalette(_PALETTE)
    w, h = img.size
    scale = max(1, size // max(w, h))
    img = img.resize((w * scale, h * scale), Image.NEAREST)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()
