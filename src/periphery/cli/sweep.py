"""Experiment commands: ``sweep``, ``sensitivity``, ``calibrate``, and ``runs query`` / ``runs sweeps``.

Each command is a few lines over ``periphery.experiments`` and ``periphery.store``. A sweep
shows a progress bar on a terminal (runs done, failed, ETA); Ctrl-C or SIGTERM stops it
cleanly and says how to resume. Exit codes: 0 all runs done, 1 some runs failed, 2 bad input,
130 interrupted.
"""

from __future__ import annotations

import csv
import json
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from periphery.cli.app import OutOpt, UserError, app, err_console, out_console, runs_app
from periphery.experiments import TargetError
from periphery.store import RunStore, StoreError

FileArg = Annotated[Path, typer.Argument(help="experiment file (experiments/*.toml)")]
BackendOpt = Annotated[str, typer.Option(help="where runs execute: local (process pool) or dask")]
AddressOpt = Annotated[str | None, typer.Option(help="Dask scheduler, e.g. tcp://host:8786 "
                                                     "(default: a LocalCluster on this machine)")]  # fmt: skip
WorkersOpt = Annotated[int | None, typer.Option(help="worker processes (default: all cores)")]


def _say(msg: str) -> None:
    err_console.print(msg, highlight=False, soft_wrap=True, markup=False)


def _load(path: Path, sweep: bool = True):
    from periphery.experiments.spec import ExperimentError, load_experiment

    try:
        return load_experiment(path, sweep=sweep)
    except ExperimentError as exc:
        raise UserError(str(exc)) from None


def _backend(backend: str, workers: int | None, address: str | None):
    from periphery.experiments.backends import make_backend

    try:
        return make_backend(backend, workers, address)
    except ValueError as exc:
        raise UserError(str(exc)) from None


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    # A job scheduler stops a job with SIGTERM; treat it as Ctrl-C so the store stays resumable.
    def handler(signum, frame):  # noqa: ARG001
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


@contextmanager
def _progress_bar(status) -> Iterator:
    if not err_console.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(),
               TextColumn("{task.completed}/{task.total} runs, {task.fields[failed]} failed"),
               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())  # fmt: skip
    with Progress(*columns, console=err_console) as bar:
        task = bar.add_task(status.name, total=status.total, failed=status.failed,
                            completed=status.done + status.failed)  # fmt: skip

        def update(status) -> None:
            bar.update(task, total=status.total, completed=status.done + status.failed,
                       failed=status.failed, description=status.name)  # fmt: skip

        yield update


def _run_sweep(exp, out: Path, backend_obj, resume: bool, retry_failed: bool):
    from periphery.experiments.sweep import SweepError, SweepInterrupted, execute, prepare, warm

    warm(backend_obj, exp)  # workers start and load the model while the sweep is planned
    try:
        plan, store, status = prepare(exp, out, resume, retry_failed)
    except (SweepError, TargetError, StoreError) as exc:
        backend_obj.abort()
        raise UserError(str(exc)) from None
    if status.unfinished == 0:
        backend_obj.abort()
        return plan, store, status
    try:
        with _sigterm_as_interrupt(), _progress_bar(status) as update:
            if update:
                update(status)
            status = execute(plan, store, status, backend_obj, update, _say)
    except SweepInterrupted as exc:
        s = exc.status
        _say(f"interrupted: {s.done} of {s.total} runs done, {s.failed} failed, {s.unfinished} "
             f"left; the store is consistent. Resume with: periphery sweep {exp.path} --out {out} --resume")  # fmt: skip
        sys.exit(130)
    except ValueError as exc:  # a Dask address that does not answer
        raise UserError(str(exc)) from None
    return plan, store, status


def _summary(status, exp, out: Path) -> None:
    ran = f"{status.ran} run now, {status.reused} reused from the store"
    where = f" on {status.backend}" if status.backend else ""
    out_console.print(
        f"sweep {status.sweep_id} ({status.name}): {status.total} runs, {status.done} done, "
        f"{status.failed} failed ({ran}) in {status.seconds:.1f} s{where}\n"
        f"  store: {out}\n"
        f"  query: periphery runs query \"SELECT * FROM results\" --out {out}",
        highlight=False, soft_wrap=True, markup=False)  # fmt: skip
    for rid, error in status.errors:
        _say(f"failed run {rid}: {error}")
    if status.failed and not status.errors:
        _say(f"{status.failed} runs failed; see: periphery runs query \"SELECT run_id, error FROM "
             f"runs WHERE status = 'failed'\" --out {out}")  # fmt: skip


@app.command("sweep")
def sweep_cmd(
    file: FileArg,
    out: OutOpt = Path("runs"),
    backend: BackendOpt = "local",
    address: AddressOpt = None,
    workers: WorkersOpt = None,
    resume: Annotated[bool, typer.Option(help="finish a sweep that was interrupted")] = False,
    retry_failed: Annotated[bool, typer.Option(help="run failed runs again")] = False,
    dry_run: Annotated[bool, typer.Option(help="show the plan, run nothing")] = False,
) -> None:
    """Run every run of an experiment file (grid, Latin hypercube, Sobol or Morris design)."""
    exp = _load(file)
    if dry_run:
        _dry_run(exp, out)
        return
    backend_obj = _backend(backend, workers, address)
    _, _, status = _run_sweep(exp, out, backend_obj, resume, retry_failed)
    _summary(status, exp, out)
    if status.failed:
        raise typer.Exit(1)


def _dry_run(exp, out: Path) -> None:
    from periphery.experiments.plan import make_plan
    from periphery.store import sweeps as book

    plan = make_plan(exp)
    ids = {t["run_id"] for t in plan.tasks}
    known = book.statuses(RunStore(out), ids) if (out / "catalog.duckdb").exists() else {}
    invalid = sum(1 for t in plan.tasks if t["error"])
    s = exp.spec
    out_console.print(
        f"sweep {plan.sweep_id} ({s.name}): base {s.base}, {s.design.kind} design, "
        f"{len(plan.design.points)} points x {s.replicates} replicates = {len(plan.tasks)} runs "
        f"of {s.steps} steps; {sum(v == 'done' for v in known.values())} already done in {out}, "
        f"{invalid} with invalid parameters; {plan.runs_per_part} runs per part",
        highlight=False, soft_wrap=True)  # fmt: skip
    table = Table(title="first design points", title_justify="left")
    names = [d.name for d in exp.dims]
    for col in ("point", *names):
        table.add_column(col)
    for i, p in enumerate(plan.design.points[:10]):
        table.add_row(str(i), *[str(p[n]) for n in names])
    out_console.print(table)


@app.command("sensitivity")
def sensitivity_cmd(
    file: FileArg,
    out: OutOpt = Path("runs"),
    backend: BackendOpt = "local",
    address: AddressOpt = None,
    workers: WorkersOpt = None,
    outcome: Annotated[
        list[str] | None, typer.Option(help="outcome to analyse (default: all)")
    ] = None,
) -> None:
    """Sobol' (S1, ST) or Morris indices of the outcomes, as a table and a bar plot.

    Runs (or finishes) the experiment's sweep first; its design must be sobol or morris.
    """
    import pyarrow as pa

    from periphery.experiments.sensitivity import SensitivityError, analyze
    from periphery.report.sensitivity import plot_indices
    from periphery.store.atomic import write_parquet

    exp = _load(file)
    if exp.spec.design.kind not in ("sobol", "morris"):
        raise UserError(f"{file}: design kind is '{exp.spec.design.kind}'; sensitivity analysis "
                        "needs 'sobol' or 'morris' ([design] kind)")  # fmt: skip
    plan, store, status = _run_sweep(exp, out, _backend(backend, workers, address), True, False)
    try:
        results = analyze(plan, store, outcome)
    except SensitivityError as exc:
        raise UserError(str(exc)) from None
    for res in results:
        table = Table(title=f"{res.outcome}: {res.method} indices"
                      + ("" if res.varies else " (the outcome does not vary)"), title_justify="left")  # fmt: skip
        keys = [k for k in res.rows[0] if k != "parameter"]
        for col in ("parameter", *keys):
            table.add_column(col, justify="left" if col == "parameter" else "right")
        for r in res.rows:
            table.add_row(r["parameter"], *[f"{r[k]:.3f}" for k in keys])
        out_console.print(table)
    wide = [{"sweep_id": plan.sweep_id, "outcome": res.outcome, "method": res.method, **r}
            for res in results for r in res.rows]  # fmt: skip
    rel = f"sensitivity-{plan.sweep_id}.parquet"
    write_parquet(pa.Table.from_pylist(wide), out / rel)
    png = plot_indices(results, out / f"sensitivity-{plan.sweep_id}.png",
                       f"{exp.spec.name}: {results[0].method} indices (replicates averaged)")  # fmt: skip
    out_console.print(f"indices {out / rel}; plot {png}", highlight=False, soft_wrap=True)


@app.command("calibrate")
def calibrate_cmd(
    file: FileArg,
    out: OutOpt = Path("runs"),
    backend: BackendOpt = "local",
    address: AddressOpt = None,
    workers: WorkersOpt = None,
) -> None:
    """Fit parameters to observed outcomes by ABC-SMC (pyabc); report posterior, fit and held-out checks."""
    from periphery.experiments.calibration import CalibrationError, calibrate
    from periphery.experiments.single import check_writable

    exp = _load(file, sweep=False)
    try:
        check_writable(out)
        with _sigterm_as_interrupt():
            result = calibrate(exp, out, _backend(backend, workers, address), _say)
    except (CalibrationError, TargetError, StoreError, ValueError) as exc:
        raise UserError(str(exc)) from None
    s = result.summary
    table = Table(title=f"posterior ({s['simulations']} simulations, {s['generations']} generations)",
                  title_justify="left")  # fmt: skip
    for col in ("parameter", "prior", "mean", "sd", "5%", "median", "95%"):
        table.add_column(col, justify="left" if col in ("parameter", "prior") else "right")
    for name, p in s["posterior"].items():
        pr = s["fitted_parameters"][name]
        table.add_row(name, f"{pr['prior']} [{pr['low']:.4g}, {pr['high']:.4g}]",
                      *[f"{p[k]:.4g}" for k in ("mean", "sd", "q05", "q50", "q95")])  # fmt: skip
    out_console.print(table)
    fit = Table(
        title="fit: fresh runs at posterior draws against the observations", title_justify="left"
    )
    for col in ("outcome", "role", "observed", "simulated mean", "90% interval", "inside"):
        fit.add_column(col)
    for name, f in s["fit"].items():
        mean = "-" if f["simulated_mean"] is None else f"{f['simulated_mean']:.4g}"
        fit.add_row(name, f["role"], f"{f['observed']:.4g}", mean, f"[{f['q05']:.4g}, {f['q95']:.4g}]",
                    "yes" if f["within_90"] else "no")  # fmt: skip
    out_console.print(fit)
    held = ", ".join(f"{k} = {v}" for k, v in s["held_fixed_parameters"].items()) or "none"
    out_console.print(f"held out (not fitted): {', '.join(s['held_out']) or 'none'}; parameters held "
                      f"fixed: {held}\nsummary {result.json_path}; pyabc database {result.db_path}",
                      highlight=False, soft_wrap=True)  # fmt: skip


@runs_app.command("query")
def runs_query(
    sql: Annotated[
        str,
        typer.Argument(
            help="DuckDB SQL over results, runs, parameters, outcomes, "
            "series, series_wide, events, sweeps, sweep_runs, parts"
        ),
    ],
    out: OutOpt = Path("runs"),
    format: Annotated[str, typer.Option(help="table, csv or json")] = "table",
    max_rows: Annotated[int, typer.Option(help="rows shown in table format")] = 100,
) -> None:
    """Run SQL over the catalog and every stored time series (see docs/store.md for the tables)."""
    from periphery.store.query import query

    if format not in ("table", "csv", "json"):
        raise UserError(f"--format {format!r}: unknown; allowed: table, csv, json")
    try:
        cols, rows = query(RunStore(out), sql)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    if format == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(cols)
        w.writerows(rows)
        return
    if format == "json":
        sys.stdout.write(json.dumps([dict(zip(cols, r)) for r in rows], default=str) + "\n")
        return
    table = Table(title=f"{len(rows)} rows", title_justify="left")
    for c in cols:
        table.add_column(str(c))
    for r in rows[:max_rows]:
        table.add_row(*[f"{v:.6g}" if isinstance(v, float) else str(v) for v in r])
    out_console.print(table)
    if len(rows) > max_rows:
        out_console.print(
            f"({len(rows) - max_rows} more rows; --max-rows or --format csv shows them)"
        )


@runs_app.command("sweeps")
def runs_sweeps(out: OutOpt = Path("runs")) -> None:
    """List the sweeps of an output folder with their runs done, failed and unfinished."""
    from periphery.store import sweeps as book

    try:
        rows = book.list_sweeps(RunStore(out))
    except StoreError as exc:
        raise UserError(str(exc)) from None
    table = Table(title=f"{len(rows)} sweeps in {out}", title_justify="left")
    for col in (
        "sweep id",
        "name",
        "design",
        "runs",
        "done",
        "failed",
        "unfinished",
        "created (UTC)",
    ):
        table.add_column(col)
    for r in rows:
        table.add_row(r["sweep_id"], r["name"], r["design"], str(r["runs"]), str(r["done"]),
                      str(r["failed"]), str(r["unfinished"]), str(r["created_at"])[:19])  # fmt: skip
    out_console.print(table)
