"""A self-contained HTML report: inline CSS, every image a base64 ``data:`` URI, no other host.

The page must open offline and be safe to mail around, so nothing in it refers to another
file or host: no scripts, no web fonts, no external style sheets, no links out. Each figure is
also written as a PNG file beside the page, for slides and papers.
"""

from __future__ import annotations

import base64
import html
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure


CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #222;
       background: #fafafa; line-height: 1.45; }
main { max-width: 1000px; margin: 0 auto; padding: 1.5rem 2rem 3rem; background: #fff; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
p.sub { color: #555; margin-top: 0; }
figure { margin: 1.2rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.9rem; color: #444; margin-top: 0.3rem; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.8rem 0; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
caption { caption-side: bottom; text-align: left; font-size: 0.85rem; color: #444; padding-top: 0.3rem; }
nav ol { font-size: 0.9rem; }
.note { font-size: 0.85rem; color: #555; }
"""

_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A file-name-safe lower-case form of ``text``."""
    return _SLUG.sub("-", text.lower()).strip("-") or "figure"


def png_bytes(fig: Figure) -> bytes:
    """Render ``fig`` to PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


@dataclass
class Block:
    """One piece of a section: a paragraph, a figure or a table, already rendered to HTML."""

    html: str
    png_name: str | None = None
    png: bytes | None = None


@dataclass
class Section:
    """A titled part of the report."""

    title: str
    blocks: list[Block] = field(default_factory=list)


class HtmlReport:
    """Collects sections, figures and tables, then writes one HTML file plus the PNG files.

    Parameters
    ----------
    title : str
        Page title and heading.
    subtitle : str
        One line under the heading (what was run, when).
    """

    def __init__(self, title: str, subtitle: str = "") -> None:
        self.title = title
        self.subtitle = subtitle
        self.sections: list[Section] = []

    def section(self, title: str, text: str = "") -> Section:
        """Start a section; later blocks go into it."""
        sec = Section(title)
        self.sections.append(sec)
        if text:
            self.paragraph(text)
        return sec

    def _current(self) -> Section:
        if not self.sections:
            self.section("Overview")
        return self.sections[-1]

    def paragraph(self, text: str, note: bool = False) -> None:
        """A paragraph of plain text (escaped)."""
        cls = ' class="note"' if note else ""
        self._current().blocks.append(Block(f"<p{cls}>{html.escape(text)}</p>"))

    def figure(self, fig: Figure, name: str, caption: str) -> str:
        """Embed ``fig`` with its ``caption``; the PNG file will be called ``<name>.png``.

        Returns the PNG file name. The figure is not kept, so memory stays flat over many
        figures.
        """
        fname = f"{len(self._all_pngs()) + 1:02d}-{slug(name)}.png"
        data = png_bytes(fig)
        uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        alt = html.escape(caption, quote=True)
        body = (f'<figure id="{html.escape(slug(name))}"><img src="{uri}" alt="{alt}">'
                f"<figcaption>{html.escape(caption)}</figcaption></figure>")  # fmt: skip
        self._current().blocks.append(Block(body, fname, data))
        return fname

    def table(self, columns: list[str], rows: list[list[Any]], caption: str = "") -> None:
        """A table of plain values (escaped); floats are shown with four significant digits."""
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in row) + "</tr>"
            for row in rows
        )
        cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
        self._current().blocks.append(
            Block(f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        )

    def _all_pngs(self) -> list[Block]:
        return [b for s in self.sections for b in s.blocks if b.png is not None]

    def render(self) -> str:
        """The whole page as one string."""
        toc = "".join(f'<li><a href="#s{i}">{html.escape(s.title)}</a></li>'
                      for i, s in enumerate(self.sections))  # fmt: skip
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{html.escape(self.title)}</title><style>{CSS}</style></head><body><main>",
            f"<h1>{html.escape(self.title)}</h1>",
            f'<p class="sub">{html.escape(self.subtitle)}</p>' if self.subtitle else "",
            f"<nav><ol>{toc}</ol></nav>" if len(self.sections) > 1 else "",
        ]
        for i, sec in enumerate(self.sections):
            parts.append(f'<section><h2 id="s{i}">{html.escape(sec.title)}</h2>')
            parts.extend(b.html for b in sec.blocks)
            parts.append("</section>")
        parts.append("</main></body></html>")
        return "\n".join(parts)

    def write(self, folder: Path, name: str = "report.html") -> tuple[Path, list[Path]]:
        """Write the page and the PNG files into ``folder``; returns their paths."""
        folder.mkdir(parents=True, exist_ok=True)
        pngs = []
        for block in self._all_pngs():
            path = folder / block.png_name
            _write(path, block.png)
            pngs.append(path)
        page = folder / name
        _write(page, self.render().encode("utf-8"))
        return page, pngs


def _write(path: Path, data: bytes) -> None:
    # Write beside the target and rename, so a reader never sees half a report.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    if v is None:
        return ""
    return str(v)
