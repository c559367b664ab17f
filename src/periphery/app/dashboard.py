"""The Solara dashboard: run a model live, step through and animate it, compare runs, reopen stored ones.

Layout: parameter controls on the left (generated from the model's parameter class), three
views on the right: *Run* (live chart, grid, step slider, animation, exports), *Compare*
(two stored runs side by side) and *Stored runs* (the store's catalog, to reopen a run).

Every action that can fail (bad parameter values, an unknown run id, a path leaving the store)
ends in a message on the page: callbacks catch errors and show them, they never let a
traceback reach the page. The store folder is fixed when the server starts
(``PERIPHERY_STORE``); the page can read and write only inside it.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas  # noqa: F401 - imported up front: reacton checks for pandas.DataFrame on every
import solara  # update, and a first import of pandas in the run's thread at that moment races it

from periphery.app import render
from periphery.app.controls import Control, as_sets, check, controls_for
from periphery.app.files import UnsafePath, inside, read_bytes
from periphery.app.session import LiveRun, Stopped
from periphery.experiments import TargetError, resolve_target
from periphery.models import MODELS, get_model
from periphery.report.animation import grid_gif
from periphery.report.replay import replay, scenario_folders
from periphery.report.run_report import flatten, run_report
from periphery.report.snapshots import load_snapshots
from periphery.store import RunStore, StoreError

SCENARIO_PREFIX = "scenario: "
REDRAW_SECONDS = 0.3


def store_root() -> Path:
    """The run store this server reads and writes (fixed at start-up)."""
    return Path(os.environ.get("PERIPHERY_STORE", "runs")).resolve()


def targets() -> dict[str, str]:
    """Label -> what ``resolve_target`` takes: the registered models, then scenario files."""
    out = {name: name for name in MODELS}
    for folder in scenario_folders():
        for path in sorted(folder.glob("*.toml")):
            out.setdefault(SCENARIO_PREFIX + path.stem, str(path))
    return out


def controls_of(label: str) -> tuple[list[Control], dict[str, Any]]:
    """Controls for a model, or for the world model's parameter tables when a scenario is picked."""
    if not label.startswith(SCENARIO_PREFIX):
        spec = get_model(label)
        return controls_for(spec.params), {"": spec.params}
    try:
        from periphery.theory.frameworks import param_tables
    except ImportError:  # pragma: no cover - the theory layer ships with periphery
        return [], {}
    tables = param_tables()
    ctrls = [c for name, cls in tables.items() for c in controls_for(cls, prefix=f"{name}.")]
    return ctrls, tables


def problems(label: str, values: dict[str, Any]) -> str:
    """The first problem with ``values`` for the picked model or scenario ("" when valid)."""
    _, classes = controls_of(label)
    if "" in classes:
        return check(classes[""], values, f"model {label}")
    for name, cls in classes.items():
        sub = {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith(name + ".")}
        msg = check(cls, sub, f"table {name}")
        if msg:
            return msg
    return ""


@dataclasses.dataclass(frozen=True)
class View:
    """What the Run view shows: a live or stored run's series and grid snapshots."""

    label: str = ""
    model: str = ""
    run_id: str = ""
    series: dict = dataclasses.field(default_factory=dict)
    snap_steps: Any = None
    snaps: Any = None
    steps: int = 0
    finished: bool = False

    @property
    def last(self) -> int:
        """The last step recorded."""
        s = self.series.get("step")
        return int(s[-1]) if s is not None and len(s) else 0


# Per-session state (Solara scopes module-level reactive variables to each browser session).
picked = solara.reactive(MODELS[0])
values: solara.Reactive[dict] = solara.reactive({})
steps = solara.reactive(200)
seed = solara.reactive(1)
keep_grid = solara.reactive(True)
message = solara.reactive("")
notice = solara.reactive("")
view = solara.reactive(View())
cursor: solara.Reactive[int | None] = solara.reactive(None)
progress = solara.reactive(0.0)
running = solara.reactive(False)
playing = solara.reactive(False)
page = solara.reactive("Live run")
compare_a = solara.reactive("")
compare_b = solara.reactive("")
open_id = solara.reactive("")
downloads: solara.Reactive[dict] = solara.reactive({})
_live: dict[str, LiveRun] = {}


def _defaults(label: str) -> dict[str, Any]:
    ctrls, _ = controls_of(label)
    return {c.name: c.default for c in ctrls}


def _set_value(name: str, value: Any) -> None:
    new = {**values.value, name: value}
    values.set(new)
    message.set(problems(picked.value, new))


def _pick(label: str) -> None:
    picked.set(label)
    values.set(_defaults(label))
    message.set("")


# ------------------------------------------------------------------------------------------
# Running
# ------------------------------------------------------------------------------------------


def _push(live: LiveRun) -> None:
    snaps = live.snapshots()
    view.set(View(picked.value, live.target.model, live.result.run_id if live.result else "",
                  live.series(), *(snaps if snaps is not None else (None, None)),
                  live.steps, live.result is not None))  # fmt: skip
    progress.set(100.0 * max(live.done, 0) / max(live.steps, 1))  # after view: one redraw


def _start_run() -> None:
    label = picked.value
    msg = problems(label, values.value)
    if msg:
        message.set(msg)
        return
    try:
        target = resolve_target(targets()[label], as_sets(values.value, _defaults(label)))
    except (TargetError, KeyError, AttributeError, ValueError) as exc:
        message.set(f"cannot run {label}: {exc}")
        return
    if steps.value is None or seed.value is None or steps.value < 1 or seed.value < 0:
        message.set("steps must be an integer >= 1 and seed an integer >= 0")
        return
    message.set("")
    notice.set("")
    cursor.set(None)
    playing.set(False)
    live = LiveRun(target, int(steps.value), int(seed.value), store_root(), None,
                   keep_grid=keep_grid.value)  # fmt: skip
    _live["current"] = live
    running.set(True)
    run_task()


@solara.lab.task(prefer_threaded=True)
def run_task() -> None:
    """Run the current ``LiveRun`` and redraw its view a few times a second; errors become a message.

    The model steps in a thread of its own and this task only polls it: redrawing (which
    Solara does in the thread that sets a reactive value) then never slows the run down.
    """
    live = _live.get("current")
    if live is None:
        return
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["result"] = live.run()
        except BaseException as exc:  # noqa: BLE001 - handed to the task, shown as a message
            outcome["error"] = exc

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(REDRAW_SECONDS)
            _push(live)
        exc = outcome.get("error")
        if exc is None:
            result = outcome["result"]
            notice.set(f"run {result.run_id} stored in {store_root()} ({result.wall_seconds:.2f} s)")
        elif isinstance(exc, Stopped):
            notice.set(f"stopped at step {live.done}; a stopped run is not stored")
        else:
            message.set(f"the run failed: {exc}")
    finally:
        running.set(False)


def _stop_run() -> None:
    live = _live.get("current")
    if live is not None:
        live.stop()


# ------------------------------------------------------------------------------------------
# Stored runs
# ------------------------------------------------------------------------------------------


def _list_runs() -> list[dict[str, Any]]:
    try:
        return RunStore(store_root()).list()
    except StoreError:
        return []


def open_run(text: str) -> None:
    """Load a stored run (id or unique prefix) into the Run view; bad ids give a message."""
    store = RunStore(store_root())
    try:
        rid = store.resolve(text.strip())
        inside(store.root, f"series/{rid}.parquet")  # the id names a file inside the store
        manifest = store.manifest(rid)
        table = store.read_series(rid)
    except (StoreError, UnsafePath) as exc:
        message.set(str(exc))
        return
    series = {c: table.column(c).to_numpy() for c in table.column_names if c != "run_id"}
    snaps = load_snapshots(store, rid)
    view.set(View(manifest["model"], manifest["model"], rid, series,
                  *(snaps if snaps is not None else (None, None)), int(manifest["steps"]), True))  # fmt: skip
    label = manifest["model"] if manifest["model"] in MODELS else picked.value
    if manifest["model"] in MODELS:
        picked.set(label)
        values.set({**_defaults(label), **manifest.get("params", {})})
        steps.set(int(manifest["steps"]))
        seed.set(int(manifest["seed"]))
    cursor.set(None)
    playing.set(False)
    message.set("")
    notice.set(f"opened run {rid}")
    page.set("Live run")


def _replay_grid() -> None:
    v = view.value
    store = RunStore(store_root())
    try:
        manifest = store.manifest(v.run_id)
        rep = replay(manifest, None, range(int(manifest["steps"]) + 1), lambda m: m.snapshot())
    except (StoreError, TargetError, KeyError, ValueError) as exc:
        message.set(f"cannot replay run {v.run_id}: {exc}")
        return
    s = np.array(sorted(rep.grabbed))
    view.set(dataclasses.replace(v, snap_steps=s, snaps=np.stack([rep.grabbed[t] for t in s])))
    notice.set(f"grid of run {v.run_id} re-computed by replaying it")


def _export_gif() -> None:
    v = view.value
    if v.snaps is None or not v.run_id:
        message.set("export needs a finished run with a grid")
        return
    try:
        path = inside(store_root(), f"animations/{v.run_id}.gif")
        grid_gif(v.snap_steps, v.snaps, path, title=v.model)
    except (UnsafePath, OSError, ValueError) as exc:
        message.set(f"cannot export the animation: {exc}")
        return
    downloads.set({**downloads.value, "gif": f"animations/{v.run_id}.gif"})
    notice.set(f"animation written to {path}")


def _write_report() -> None:
    v = view.value
    if not v.run_id:
        message.set("a report needs a stored run: run one or open one")
        return
    try:
        files = run_report(RunStore(store_root()), v.run_id)
        rel = files.html.relative_to(store_root()).as_posix()
        inside(store_root(), rel)
    except (StoreError, TargetError, UnsafePath, ValueError, OSError) as exc:
        message.set(f"cannot write the report: {exc}")
        return
    downloads.set({**downloads.value, "report": rel})
    notice.set(f"report written to {files.html}")


# ------------------------------------------------------------------------------------------
# Components
# ------------------------------------------------------------------------------------------


@solara.component
def ControlWidget(c: Control, value: Any) -> None:
    """One parameter's control: a slider and a number box, a choice or a switch."""
    if c.kind == "bool":
        solara.Checkbox(label=c.label, value=bool(value), on_value=lambda v: _set_value(c.name, v))
    elif c.kind == "choice":
        solara.Select(label=c.label, value=value, values=list(c.choices),
                      on_value=lambda v: _set_value(c.name, v))  # fmt: skip
    else:
        num = solara.InputFloat if c.kind == "float" else solara.InputInt
        with solara.Column(gap="0px", classes=["periphery-control"]):
            num(label=c.label, value=value, on_value=lambda v: _set_value(c.name, v),
                continuous_update=False, dense=True, classes=[f"param-{c.name}"])  # fmt: skip
            if c.slider and isinstance(value, (int, float)) and c.low <= value <= c.high:
                slider = solara.SliderFloat if c.kind == "float" else solara.SliderInt
                # the slider echoes values back snapped to its step: take only real moves
                slider(label="", value=value, min=c.low, max=c.high, step=c.step,
                       on_value=lambda v: _set_value(c.name, round(v, 10))
                       if abs(v - value) > c.step / 2 else None)  # fmt: skip
            solara.Text(c.hint, style={"font-size": "0.72rem", "color": "#666",
                                       "margin-bottom": "14px", "line-height": "1.2"})  # fmt: skip


@solara.component
def Controls() -> None:
    """The left column: what to run and with which parameters."""
    labels = list(targets())
    if not values.value:
        values.set(_defaults(picked.value))
    solara.Select(label="model or scenario", value=picked.value, values=labels, on_value=_pick)
    with solara.Row():
        solara.InputInt("steps", value=steps, continuous_update=False)
        solara.InputInt("seed", value=seed, continuous_update=False)
    with solara.Row():
        solara.Button("Run", on_click=_start_run, disabled=running.value or bool(message.value),
                      color="primary", classes=["periphery-run"])  # fmt: skip
        solara.Button("Stop", on_click=_stop_run, disabled=not running.value,
                      classes=["periphery-stop"])  # fmt: skip
        solara.Button("Defaults", on_click=lambda: _pick(picked.value), text=True)
    solara.Checkbox(label="keep grid snapshots (civil violence)", value=keep_grid)
    ctrls, _ = controls_of(picked.value)
    with solara.Details("parameters", expand=True):
        for c in ctrls:
            ControlWidget(c, values.value.get(c.name, c.default))


@solara.component
def Messages() -> None:
    """Problems (red) and notices (grey) for the user."""
    if message.value:
        solara.Error(message.value, classes=["periphery-message"])
    if notice.value:
        solara.Info(notice.value, dense=True, classes=["periphery-notice"])


def _play() -> None:
    v = view.value
    if v.snaps is None:
        return
    playing.set(True)

    def loop():
        i = int(np.searchsorted(v.snap_steps, cursor.value or 0))
        if i >= len(v.snap_steps) - 1:
            i = 0
        while playing.value and i < len(v.snap_steps):
            cursor.set(int(v.snap_steps[i]))
            i += 1
            time.sleep(0.08)
        playing.set(False)

    threading.Thread(target=loop, daemon=True).start()


@solara.component
def GridPanel(v: View, at: int) -> None:
    """The grid at the cursor step, with play, pause and export."""
    if v.snaps is None:
        if v.finished and v.model == "civil-violence" and v.run_id:
            solara.Button("Show the grid (replay the run)", on_click=_replay_grid)
        return
    i = int(np.clip(np.searchsorted(v.snap_steps, at, side="right") - 1, 0, len(v.snap_steps) - 1))
    png = render.grid_png(v.snaps[i])
    solara.Image(png, classes=["periphery-grid"])
    solara.Text(f"grid at step {int(v.snap_steps[i])}: red active, light blue quiet, dark grey "
                "jailed, dark blue cops", classes=["periphery-grid-caption"])  # fmt: skip
    if v.finished:
        with solara.Row():
            if playing.value:
                solara.Button("Pause", on_click=lambda: playing.set(False))
            else:
                solara.Button("Play", on_click=_play)
            solara.Button("Export GIF", on_click=_export_gif, disabled=not v.run_id)


@solara.component
def RunView() -> None:
    """Live or stored run: chart, values at the cursor, step slider, grid, downloads."""
    v = view.value
    if not v.series:
        solara.Markdown("Pick a model or scenario on the left, set its parameters and press "
                        "**Run**; or open a stored run under *Stored runs*.")  # fmt: skip
        return
    last = v.last
    at = last if cursor.value is None else min(cursor.value, last)
    head = f"run {v.run_id}" if v.run_id else "running..."
    solara.Markdown(f"### {v.model}: {head}")
    if running.value:
        solara.ProgressLinear(value=progress.value)
        solara.Text(f"step {last} of {v.steps}", classes=["periphery-progress"])
    png = render.chart_png(v.series, v.model, None if cursor.value is None else at)
    solara.Image(png, classes=["periphery-chart"])
    names = render.main_columns(v.model, list(v.series))
    row = ", ".join(f"{c} {_fmt(v.series[c][at])}" for c in names if at < len(v.series[c]))
    solara.Text(f"step {at}: {row}", classes=["periphery-values"])
    if last > 0 and not running.value:
        with solara.Column(classes=["periphery-step"]):
            solara.SliderInt("step (drag to step back through the run)", value=at, min=0,
                             max=last, on_value=cursor.set)  # fmt: skip
    country = render.country_chart_png(v.series) if not running.value else None
    if country:
        solara.Image(country, classes=["periphery-country-chart"])
    GridPanel(v, at)
    if v.finished and v.run_id:
        with solara.Row():
            solara.Button("Write report", on_click=_write_report)
            for key, rel in downloads.value.items():
                if rel.split("/")[-1].startswith(v.run_id) or v.run_id in rel:
                    solara.FileDownload(lambda rel=rel: read_bytes(store_root(), rel),
                                        filename=rel.split("/")[-1], label=f"download {key}")  # fmt: skip


def _fmt(x: Any) -> str:
    return f"{x:.4g}" if isinstance(x, (float, np.floating)) else str(x)


@solara.component
def StoredRuns() -> None:
    """The store's catalog, newest first, with a button to reopen each run."""
    runs = _list_runs()
    solara.Markdown(f"**{len(runs)} runs** in `{store_root()}`")
    with solara.Row():
        solara.InputText("open run id (or unique prefix)", value=open_id, continuous_update=False,
                         classes=["periphery-open-id"])  # fmt: skip
        solara.Button("Open", on_click=lambda: open_run(open_id.value), classes=["periphery-open"])
    for r in runs[:50]:
        with solara.Row(classes=["periphery-stored-run"]):
            solara.Button("Open", small=True, on_click=lambda rid=r["run_id"]: open_run(rid))
            solara.Text(f"{r['run_id']}  {r['model']}  seed {r['seed']}  {r['steps']} steps  "
                        f"{r['created_at']:%Y-%m-%d %H:%M}")  # fmt: skip


@solara.component
def Compare() -> None:
    """Two stored runs side by side: charts and the parameters that differ."""
    runs = _list_runs()
    ids = [r["run_id"] for r in runs]
    if len(ids) < 2:
        solara.Markdown("Comparing needs at least two stored runs.")
        return
    with solara.Row():
        solara.Select("run A", value=compare_a.value or ids[1], values=ids, on_value=compare_a.set)
        solara.Select("run B", value=compare_b.value or ids[0], values=ids, on_value=compare_b.set)
    store = RunStore(store_root())
    pair = [compare_a.value or ids[1], compare_b.value or ids[0]]
    loaded = []
    try:
        for rid in pair:
            m = store.manifest(rid)
            t = store.read_series(rid)
            loaded.append((rid, m, {c: t.column(c).to_numpy() for c in t.column_names if c != "run_id"}))
    except StoreError as exc:
        solara.Error(str(exc))
        return
    with solara.Columns([1, 1]):
        for rid, m, s in loaded:
            with solara.Column(classes=["periphery-compare"]):
                solara.Markdown(f"**{rid}**: {m['model']}, seed {m['seed']}, {m['steps']} steps")
                solara.Image(render.chart_png(s, m["model"], title=f"run {rid}"))
    pa, pb = flatten(loaded[0][1].get("params", {})), flatten(loaded[1][1].get("params", {}))
    diff = [(k, pa.get(k), pb.get(k)) for k in sorted(set(pa) | set(pb)) if pa.get(k) != pb.get(k)]
    for key in ("steps", "seed", "model"):
        if loaded[0][1][key] != loaded[1][1][key]:
            diff.insert(0, (key, loaded[0][1][key], loaded[1][1][key]))
    lines = ["| parameter | run A | run B |", "|---|---|---|"] + [f"| {k} | {a} | {b} |" for k, a, b in diff]
    solara.Markdown("\n".join(lines) if diff else "The two runs have the same parameters and seed.")


@solara.component
def Page() -> None:
    """The dashboard page."""
    solara.Title("periphery dashboard")
    with solara.Columns([1, 3]):
        with solara.Column():
            solara.Markdown("## periphery")
            Controls()
        with solara.Column():
            solara.ToggleButtonsSingle(value=page, values=["Live run", "Compare", "Stored runs"])
            Messages()
            if page.value == "Live run":
                RunView()
            elif page.value == "Compare":
                Compare()
            else:
                StoredRuns()
