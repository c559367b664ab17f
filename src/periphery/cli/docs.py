"""``periphery docs``: regenerate docs/mechanisms.md and docs/odd.md from the code."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from periphery.cli.app import UserError, app, out_console

REPO = Path(__file__).resolve().parents[3]
DEFAULT_SPEC = REPO.parent / "shared" / "theory_spec.md"


@app.command()
def docs(
    spec: Annotated[Path, typer.Option(help="theory_spec.md (its section 3 lists the M-ids)")] = DEFAULT_SPEC,
    out: Annotated[Path, typer.Option(help="folder to write mechanisms.md and odd.md into")] = REPO / "docs",
) -> None:
    """Write docs/mechanisms.md (M-id coverage) and docs/odd.md (ODD+D) from the registry."""
    from periphery.report.atomic_text import write_text
    from periphery.report.odd import odd_markdown
    from periphery.report.theory_docs import coverage, mechanisms_markdown

    if not spec.is_file():
        raise UserError(f"--spec {spec}: no such file; give the path of theory_spec.md")
    try:
        mech = mechanisms_markdown(spec, REPO)
        odd = odd_markdown()
    except ValueError as exc:
        raise UserError(str(exc)) from None
    write_text(out / "mechanisms.md", mech)
    write_text(out / "odd.md", odd)
    cov = coverage(spec)
    out_console.print(
        f"coverage: {len(cov.implemented)} of {len(cov.spec)} M-ids formalized ({cov.share:.0%}); "
        f"wrote {out / 'mechanisms.md'} and {out / 'odd.md'}", highlight=False, soft_wrap=True)
