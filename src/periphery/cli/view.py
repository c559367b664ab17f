"""Commands for looking at results: ``periphery report`` (static HTML + PNG) and ``periphery app``
(the Solara dashboard).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from periphery.cli.app import OutOpt, UserError, app, out_console
from periphery.experiments import TargetError
from periphery.store import RunStore, StoreError


@app.command()
def report(
    target: Annotated[str, typer.Argument(help="run id (or unique prefix) in --out, or a sweep's output folder")],
    out: OutOpt = Path("runs"),
    to: Annotated[Path | None, typer.Option(help="folder for report.html and the PNG files")] = None,
    replay: Annotated[bool, typer.Option(help="re-run the run to draw grids and distributions")] = True,
) -> None:
    """Write a self-contained HTML report (plots embedded, opens offline) and the plots as PNG."""
    from periphery.report import run_report, sweep_report

    folder = Path(target)
    try:
        if folder.is_dir():
            if not (folder / "catalog.duckdb").is_file():
                raise UserError(f"{folder}: not an output folder (no catalog.duckdb); "
                                "give a run id with --out, or a sweep's output folder")  # fmt: skip
            runs = RunStore(folder).list()
            if len(runs) == 1:  # a folder of one run is reported as that run
                files = run_report(RunStore(folder), runs[0]["run_id"], to, replay)
            else:
                files = sweep_report(folder, to)
        else:
            store = RunStore(out)
            files = run_report(store, store.resolve(target), to, replay)
    except (StoreError, TargetError) as exc:
        raise UserError(str(exc)) from None
    out_console.print(f"report {files.html} ({len(files.pngs)} plots beside it)",
                      highlight=False, soft_wrap=True)  # fmt: skip


@app.command("app")
def app_cmd(
    out: OutOpt = Path("runs"),
    host: Annotated[str, typer.Option(help="address to listen on; 127.0.0.1 keeps it to this machine")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8765,
) -> None:
    """Start the dashboard (Solara) on http://HOST:PORT: run models, watch them, browse stored runs."""
    from periphery.app.server import serve

    if not 0 < port < 65536:
        raise UserError(f"--port: must be an integer in [1, 65535]; got {port}")
    if host not in ("127.0.0.1", "localhost", "::1"):
        out_console.print(f"note: listening on {host}; anyone who can reach it can run models "
                          "and read the runs in the store", highlight=False)  # fmt: skip
    serve(out, host, port)
