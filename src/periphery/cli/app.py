"""The ``periphery`` app, its run and store commands, and the entry point. Each command is a few
lines calling the library.

Bad input ends with one line on standard error, ``error: ...``, naming the field and the
allowed values, and exit code 2; nothing is written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from periphery.engine.params import describe
from periphery.experiments import TargetError, resolve_target, run_target
from periphery.models import MODELS, get_model
from periphery.store import RunStore, StoreError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="periphery: simulate class formation and socio-political action.")  # fmt: skip
runs_app = typer.Typer(no_args_is_help=True, help="Browse the runs stored in an output folder.")
app.add_typer(runs_app, name="runs")
out_console = Console()
err_console = Console(stderr=True)

OutOpt = Annotated[Path, typer.Option("--out", help="output folder (run store)")]


# Typer may vendor its own click; its usage errors are BadParameter's base class either way.
_USAGE_ERROR = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


class UserError(Exception):
    """Bad input: printed as one line, exit code 2."""


@app.command()
def models() -> None:
    """List the models and their parameters (default, allowed values, unit)."""
    for name in MODELS:
        spec = get_model(name)
        table = Table(title=f"{name}: {spec.summary}", title_justify="left")
        for col in ("parameter", "default", "allowed", "unit", "meaning"):
            table.add_column(col)
        for row in describe(spec.params):
            table.add_row(row["name"], str(row["default"]), row["allowed"], row["unit"],
                          row["description"])  # fmt: skip
        out_console.print(table)
    out_console.print("World model scenarios: periphery run scenarios/<case>.toml (see scenarios/).")


@app.command("run")
def run_cmd(
    target: Annotated[str, typer.Argument(help="model name, or a scenario file (.toml)")],
    steps: Annotated[int, typer.Option(help="number of steps (>= 0)")] = 500,
    seed: Annotated[int, typer.Option(help="run seed (>= 0)")] = 0,
    out: OutOpt = Path("runs"),
    set_: Annotated[list[str] | None, typer.Option("--set", help="parameter as name=value")] = None,
    plot: Annotated[bool, typer.Option(help="also write a PNG plot of the series")] = False,
) -> None:
    """Run one model (or scenario) and store its per-step aggregates."""
    try:
        resolved = resolve_target(target, set_ or [])
        result = _with_progress(lambda cb: run_target(resolved, steps, seed, out, cb), steps)
    except (TargetError, StoreError) as exc:
        raise UserError(str(exc)) from None
    store = RunStore(out)
    msg = (f"run {result.run_id}: {resolved.model}, {steps} steps, seed {seed}, "
           f"{result.wall_seconds:.2f} s; {_last_row(result.series)}; "
           f"series {store.series_path(result.run_id)}")  # fmt: skip
    if plot:
        msg += f"; plot {_plot(result, store)}"
    out_console.print(msg, soft_wrap=True, highlight=False)


@app.command()
def demo(out: OutOpt = Path("runs/demo"), steps: int = 500, seed: int = 1) -> None:
    """Civil violence with Mesa's dashboard settings (Epstein's Run 2), stored and plotted."""
    sets = ["legitimacy=0.82", "cop_density=0.04", "max_jail_term=30"]
    try:
        resolved = resolve_target("civil-violence", sets)
        result = _with_progress(lambda cb: run_target(resolved, steps, seed, out, cb), steps)
    except (TargetError, StoreError) as exc:
        raise UserError(str(exc)) from None
    store = RunStore(out)
    png = _plot(result, store)
    out_console.print(
        f"Civil violence (Epstein 2002, Run 2 settings: {', '.join(sets)}), {steps} steps, "
        f"seed {seed}, {result.wall_seconds:.2f} s.\n"
        f"  run id:   {result.run_id}\n"
        f"  series:   {store.series_path(result.run_id)}\n"
        f"  manifest: {store.manifest_path(result.run_id)}\n"
        f"  catalog:  {store.catalog_path}\n"
        f"  plot:     {png}",
        highlight=False,
        soft_wrap=True,
    )


@runs_app.command("list")
def runs_list(out: OutOpt = Path("runs")) -> None:
    """List the runs in the catalog, newest first."""
    try:
        rows = RunStore(out).list()
    except StoreError as exc:
        raise UserError(str(exc)) from None
    table = Table(title=f"{len(rows)} runs in {out}", title_justify="left")
    for col in ("run id", "model", "seed", "steps", "status", "created (UTC)", "seconds"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["run_id"], r["model"], str(r["seed"]), str(r["steps"]), r["status"],
                      str(r["created_at"]),
                      "-" if r["wall_seconds"] is None else f"{r['wall_seconds']:.2f}")  # fmt: skip
    out_console.print(table)


@runs_app.command("show")
def runs_show(run: Annotated[str, typer.Argument(help="run id or a unique prefix")],
              out: OutOpt = Path("runs")) -> None:
    """Show a run's manifest and the last row of its series."""
    store = RunStore(out)
    try:
        rid = store.resolve(run)
        manifest, series = store.manifest(rid), store.read_series(rid)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    out_console.print_json(json.dumps(manifest, default=str))
    out_console.print(f"{series.num_rows} rows; {_last_row(series)}", highlight=False)


@runs_app.command("check")
def runs_check(out: OutOpt = Path("runs")) -> None:
    """Check that every catalogued run's files are present and readable; exit 1 if not."""
    try:
        problems = RunStore(out).check()
    except StoreError as exc:
        raise UserError(str(exc)) from None
    for p in problems:
        err_console.print(p, highlight=False, soft_wrap=True)
    if problems:
        raise typer.Exit(1)
    out_console.print(f"{out}: catalog and files agree")


def _with_progress(job, steps: int):
    # A bar for long runs on a terminal only; piped output and tests stay clean.
    if steps < 200 or not err_console.is_terminal:
        return job(None)
    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(),
               TextColumn("{task.completed}/{task.total} steps"), TimeRemainingColumn())  # fmt: skip
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("running", total=steps)
        return job(lambda done: bar.update(task, completed=done))


def _last_row(series) -> str:
    last = {k: v[-1] for k, v in series.to_pydict().items() if k not in ("run_id", "step")}
    shown = list(last.items())[:8]
    return "final " + ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                                for k, v in shown)  # fmt: skip


def _plot(result, store: RunStore) -> Path:
    from periphery.report import plot_series

    names = [c for c in ("quiet", "active", "jailed") if c in result.series.column_names]
    if not names:
        names = [c for c in result.series.column_names if c not in ("run_id", "step")][:6]
    path = store.root / "plots" / f"{result.run_id}.png"
    return plot_series(result.series, names, path, f"{result.series.num_rows - 1} steps, run {result.run_id}")


def main() -> None:
    """Entry point: run the app, turning usage errors and bad input into one line and exit 2."""
    try:
        code = app(standalone_mode=False)  # returns the code of typer.Exit in this mode
        if isinstance(code, int) and code:
            sys.exit(code)
    except UserError as exc:
        err_console.print(f"error: {exc}", highlight=False, soft_wrap=True, markup=False)
        sys.exit(2)
    except _USAGE_ERROR as exc:
        err_console.print(f"error: {exc.format_message()}", highlight=False, soft_wrap=True,
                          markup=False)  # fmt: skip
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("error: interrupted", highlight=False)
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
