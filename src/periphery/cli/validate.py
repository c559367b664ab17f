"""``periphery validate``: run the checks of theory_spec section 6, print the table, write docs/validation.md."""

from __future__ import annotations

import os
import shlex
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from periphery.cli.app import UserError, app, err_console, out_console

DOCS = Path("docs/validation.md")
MIN_DOC_SEEDS = 30


@app.command()
def validate(
    seeds: Annotated[int, typer.Option(help=f"seeds per arm (at least {MIN_DOC_SEEDS} for docs/validation.md)")] = 30,
    only: Annotated[str | None, typer.Option(help="comma-separated P-ids, e.g. P1,P7")] = None,
    framework: Annotated[str | None, typer.Option(help="only rows under this framework: imp or tnc")] = None,
    out: Annotated[Path, typer.Option(help="markdown file to write")] = DOCS,
    jobs: Annotated[int, typer.Option(help="worker processes (default: all cores)")] = 0,
    agents: Annotated[int, typer.Option(help="agents per run (0: each scenario's own count)")] = 10_000,
    cache: Annotated[Path | None, typer.Option(help="cache folder for finished runs")] = Path("runs/validation-cache"),
    no_cache: Annotated[bool, typer.Option("--no-cache", help="run everything afresh, store nothing")] = False,
) -> None:
    """Run the checks over seeded ensembles; print the table and write it as markdown."""
    from periphery.validation import CHECKS, by_id, run
    from periphery.validation.table import console_rows, markdown, summary

    if seeds < 2:
        raise UserError(f"--seeds: must be an integer >= 2; got {seeds}")
    if seeds < MIN_DOC_SEEDS and out.resolve() == DOCS.resolve():
        raise UserError(f"--seeds: docs/validation.md needs at least {MIN_DOC_SEEDS} seeds; got {seeds} "
                        "(give another --out for a quick look)")  # fmt: skip
    if framework not in (None, "imp", "tnc"):
        raise UserError(f"--framework: must be imp or tnc; got {framework!r}")
    if agents < 0:
        raise UserError(f"--agents: must be an integer >= 0; got {agents}")
    try:
        checks = by_id(only.split(",")) if only else CHECKS
    except KeyError as exc:
        raise UserError(f"--only: {exc.args[0]}") from None
    jobs = jobs or os.cpu_count() or 1
    t0 = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if err_console.is_terminal and (done == total or done % max(total // 20, 1) == 0):
            err_console.print(f"  {done}/{total} runs, {time.perf_counter() - t0:.0f} s", highlight=False)

    report = run(checks, seeds, framework, agents or None, jobs, None if no_cache else cache, progress=progress)
    table = Table(title=f"validation: {summary(report)}", title_justify="left")
    for col in ("P", "fw", "status", "runs in direction", "effect [95% CI]", "n", "missing"):
        table.add_column(col)
    for row in console_rows(report):
        table.add_row(*row)
    out_console.print(table)
    command = "periphery validate " + " ".join(shlex.quote(a) for a in sys.argv[2:]) if len(sys.argv) > 1 else "periphery validate"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(markdown(report, checks, command.strip()) + "\n")
    out_console.print(f"{summary(report)}; wall time {report.wall_seconds:.0f} s; wrote {out}", highlight=False, soft_wrap=True)
