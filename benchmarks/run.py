"""Time periphery's civil violence model against Mesa's example, and at large sizes.

Every configuration in ``configurations.py`` runs in a fresh child process, which
warms up (imports, Numba compilation or cache load, Mesa's first steps) on a throwaway model,
then builds one model per seed and times its steps only. The child reports agent-steps per
second (agents x steps / wall seconds of stepping, summed over seeds) and its own peak
resident memory, so one size's memory never leaks into another's figure.

Usage::

    python benchmarks/run.py                 # the full set, as `make bench` runs it
    python benchmarks/run.py --quick --no-mesa --results-dir /tmp/r   # the smoke test's run

Results go to ``<results-dir>/<name>.json`` (written to a ``.tmp`` file first, then renamed).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from configurations import (
    FULL,
    QUICK,
    TARGET_AGENT_STEPS_PER_S,
    TARGET_CONFIGURATION,
    TARGET_RATIO_VS_MESA,
    Configuration,
)

HERE = Path(__file__).resolve().parent
RESULT_PREFIX = "BENCH-RESULT "
# The kernel is serial; keep any library thread pools from borrowing the other core, so
# the figures are one-core figures on a machine shared with other work.
ONE_THREAD = {k: "1" for k in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                               "MKL_NUM_THREADS")}  # fmt: skip


# ---------------------------------------------------------------- child side: one configuration


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def _mesa_model(params: dict, seed: int):
    from mesa.examples.advanced.epstein_civil_violence.model import EpsteinCivilViolence

    model = EpsteinCivilViolence(seed=seed, **params)
    return model, len(model.agents), None


def _mesa_advance(model, steps: int) -> None:
    # Mesa's own step collects the model's data every step, as periphery's loop records its
    # aggregates; both are timed as their users would run them.
    for _ in range(steps):
        model.step()


def _periphery_model(params: dict, seed: int):
    from periphery.models.civil_violence import CivilViolence, CivilViolenceParams

    model = CivilViolence(CivilViolenceParams(**params), seed)
    return model, model.n_agents, model.state.nbytes()


def _periphery_advance(model, steps: int) -> None:
    from periphery.engine import run

    run(model, steps)


def measure(cfg: Configuration) -> dict:
    """Time one configuration in this process; see the module docstring.

    Parameters
    ----------
    cfg : Configuration
        What to run.

    Returns
    -------
    dict
        Agents per seed, agent-steps, timed wall and CPU seconds, agent-steps per second,
        peak and baseline resident memory (MB) and, for periphery, the state's size (MB).
    """
    build, advance = {
        "mesa": (_mesa_model, _mesa_advance),
        "periphery": (_periphery_model, _periphery_advance),
    }[cfg.implementation]
    params = cfg.model_parameters

    # Warm-up on a small grid: the Numba kernel's signature does not depend on the grid size,
    # so this compiles (or loads from cache) the code the timed runs use.
    warm = {**params, "width": min(params["width"], 40), "height": min(params["height"], 40)}
    model, _, _ = build(warm, 0)
    advance(model, 3)
    del model
    gc.collect()
    baseline = _peak_rss_mb()

    agents, state_bytes = [], []
    wall = cpu = 0.0
    agent_steps = 0
    for seed in cfg.seeds:
        model, n, nbytes = build(params, seed)
        t0, c0 = time.perf_counter(), time.process_time()
        advance(model, cfg.steps)
        wall += time.perf_counter() - t0
        cpu += time.process_time() - c0
        agents.append(n)
        agent_steps += n * cfg.steps
        if nbytes is not None:
            state_bytes.append(nbytes)
        del model
        gc.collect()

    return {
        "name": cfg.name,
        "implementation": cfg.implementation,
        "grid": cfg.grid,
        "parameters": params,
        "seeds": list(cfg.seeds),
        "steps_per_seed": cfg.steps,
        "agents_per_seed": agents,
        "agents_mean": sum(agents) / len(agents),
        "agent_steps": agent_steps,
        "timed_wall_s": wall,
        "timed_cpu_s": cpu,
        "agent_steps_per_s": agent_steps / wall,
        # Less sensitive than the wall-clock rate to other work on a shared machine.
        "agent_steps_per_cpu_s": agent_steps / cpu if cpu > 0 else None,
        "peak_rss_mb": _peak_rss_mb(),
        "baseline_rss_mb": baseline,
        "state_mb": max(state_bytes) / 2**20 if state_bytes else None,
    }


# ---------------------------------------------------------------- parent side: the whole run


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _proc_field(path: str, key: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=HERE, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def machine_info() -> dict:
    """CPU model, core count, memory, platform and load: what the figures depend on."""
    mem_kb = _proc_field("/proc/meminfo", "MemTotal")
    return {
        "cpu_model": _proc_field("/proc/cpuinfo", "model name") or platform.processor() or None,
        "logical_cpus": os.cpu_count(),
        "memory_gb": round(int(mem_kb.split()[0]) / 2**20, 1) if mem_kb else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        # The machine may be shared; a high load at the start explains slow figures.
        "load_average_at_start": list(os.getloadavg()),
    }


def run_child(cfg: Configuration, quick: bool) -> dict:
    """Measure ``cfg`` in a fresh Python process and return its report."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", cfg.name]
    if quick:
        cmd.append("--quick")
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **ONE_THREAD})
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(RESULT_PREFIX)]
    if proc.returncode != 0 or not lines:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"benchmark {cfg.name} failed (exit code {proc.returncode})")
    out = json.loads(lines[-1][len(RESULT_PREFIX):])
    out["child_wall_s"] = time.perf_counter() - t0
    return out


def summarize(results: dict[str, dict]) -> dict:
    """The headline figures and whether they reach the targets (``None`` when not measured)."""
    mesa, peri = results.get("mesa_40x40"), results.get("periphery_40x40")
    ratio = peri["agent_steps_per_s"] / mesa["agent_steps_per_s"] if mesa and peri else None
    at_1m = results.get(TARGET_CONFIGURATION)
    rate = at_1m["agent_steps_per_s"] if at_1m else None
    return {
        "ratio_periphery_over_mesa_40x40": ratio,
        "ratio_target": TARGET_RATIO_VS_MESA,
        "ratio_target_met": None if ratio is None else ratio >= TARGET_RATIO_VS_MESA,
        "agent_steps_per_s_at_1m_configuration": TARGET_CONFIGURATION,
        "agent_steps_per_s_at_1m": rate,
        "agent_steps_per_s_target": TARGET_AGENT_STEPS_PER_S,
        "agent_steps_per_s_target_met": None if rate is None else rate >= TARGET_AGENT_STEPS_PER_S,
    }


def print_report(console, results: dict[str, dict], summary: dict) -> None:
    """A Rich table of every configuration, then the headline figures against the targets."""
    from rich.table import Table

    table = Table(title="Civil violence: agent-steps per second (one core) and peak memory")
    for col, justify in [("configuration", "left"), ("agents", "right"),
                         ("steps x seeds", "right"), ("timed s", "right"),
                         ("agent-steps/s", "right"), ("CPU/wall", "right"),
                         ("peak RSS MB", "right"), ("baseline MB", "right"),
                         ("state MB", "right")]:  # fmt: skip
        table.add_column(col, justify=justify)
    for r in results.values():
        table.add_row(
            r["name"],
            f"{r['agents_mean']:,.0f}",
            f"{r['steps_per_seed']} x {len(r['seeds'])}",
            f"{r['timed_wall_s']:.2f}",
            f"{r['agent_steps_per_s']:,.0f}",
            f"{r['timed_cpu_s'] / r['timed_wall_s']:.0%}",
            f"{r['peak_rss_mb']:,.0f}",
            f"{r['baseline_rss_mb']:,.0f}",
            "" if r["state_mb"] is None else f"{r['state_mb']:,.1f}",
        )
    console.print(table)
    if summary["ratio_periphery_over_mesa_40x40"] is not None:
        ratio = summary["ratio_periphery_over_mesa_40x40"]
        met = "met" if summary["ratio_target_met"] else "not met"
        console.print(f"periphery / Mesa at 40x40: {ratio:,.0f}x "
                      f"(target {TARGET_RATIO_VS_MESA:,.0f}x: {met})")  # fmt: skip
    if summary["agent_steps_per_s_at_1m"] is not None:
        rate = summary["agent_steps_per_s_at_1m"]
        met = "met" if summary["agent_steps_per_s_target_met"] else "not met"
        console.print(f"{TARGET_CONFIGURATION}: {rate / 1e6:.2f} M agent-steps/s "
                      f"(target {TARGET_AGENT_STEPS_PER_S / 1e6:.0f} M: {met}, "
                      f"{rate / TARGET_AGENT_STEPS_PER_S:.0%} of target)")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="tiny sizes, for the smoke test")
    ap.add_argument("--no-mesa", action="store_true", help="skip Mesa (not a dev dependency)")
    ap.add_argument("--results-dir", type=Path, default=HERE / "results",
                    help="folder for <name>.json (default: benchmarks/results)")  # fmt: skip
    ap.add_argument("--name", help="results file stem (default: civil_violence, or quick)")
    ap.add_argument("--child", metavar="CONFIG", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    configs = QUICK if args.quick else FULL

    if args.child:
        cfg = next(c for c in configs if c.name == args.child)
        print(RESULT_PREFIX + json.dumps(measure(cfg)), flush=True)
        return 0

    from rich.console import Console

    console = Console()
    if not console.is_terminal:
        # Piped or captured output (make bench | tee, CI logs) would otherwise wrap at 80 columns.
        console = Console(width=132)
    chosen = [c for c in configs if not (args.no_mesa and c.implementation == "mesa")]
    if any(c.implementation == "mesa" for c in chosen) and _version("mesa") is None:
        console.print("Mesa is not installed: run `make bench` (installs .[dev,bench]) or pass "
                      "--no-mesa.")  # fmt: skip
        return 2

    started = datetime.now(UTC)
    machine = machine_info()
    t0 = time.perf_counter()
    results: dict[str, dict] = {}
    for cfg in chosen:
        with console.status(f"{cfg.name}: {cfg.steps} steps x {len(cfg.seeds)} seed(s)"):
            results[cfg.name] = run_child(cfg, args.quick)
    summary = summarize(results)
    print_report(console, results, summary)

    report = {
        "name": args.name or ("quick" if args.quick else "civil_violence"),
        "date": started.isoformat(timespec="seconds"),
        "quick": args.quick,
        "command": " ".join([Path(sys.executable).name, "benchmarks/run.py", *(argv or sys.argv[1:])]),
        "total_wall_s": time.perf_counter() - t0,
        "machine": machine,
        "versions": {d: _version(d) for d in ("periphery", "numpy", "numba", "mesa", "rich")},
        "git_commit": _git("rev-parse", "HEAD"),
        "summary": summary,
        "results": results,
    }
    args.results_dir.mkdir(parents=True, exist_ok=True)
    out = args.results_dir / f"{report['name']}.json"
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(report, indent=2) + "\n")
    tmp.replace(out)
    console.print(f"wrote {out} ({report['total_wall_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
