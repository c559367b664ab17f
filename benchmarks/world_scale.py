"""Time the world model at scale: 1 million agents in 10 countries for 600 monthly steps.

Targets (issue 3): under 5 minutes on one core and under 4 GB peak memory (goal: under 2
minutes). The scenario is Bolivia's (scenarios/bolivia.toml) copied into 10 countries, each with
the whole Bolivian timeline, so every mechanism that Bolivia's events switch on runs in every
country; the framework is the scenario's (IMP) unless ``--framework`` says otherwise.

The run happens in a child process so its peak resident memory is its own. Build time and
stepping time are reported apart (the build draws 1M agents' traits and three tie networks).

Usage::

    python benchmarks/world_scale.py                       # 1M agents, 600 steps
    python benchmarks/world_scale.py --agents 20000 --steps 24 --results-dir /tmp/r   # quick
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ONE_THREAD = {k: "1" for k in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                               "MKL_NUM_THREADS")}  # fmt: skip
TARGET_SECONDS, GOAL_SECONDS, TARGET_GB = 300.0, 120.0, 4.0


def scenario(agents: int, steps: int, countries: int, framework: str | None):
    """Bolivia's scenario with its country and timeline copied ``countries`` times."""
    from periphery.scenarios.loader import load_scenario

    base = load_scenario(ROOT / "scenarios" / "bolivia.toml")
    home = base.countries[0].name
    cs, orgs, events = [], [], []
    for i in range(countries):
        name = f"{home}_{i}"
        cs.append(base.countries[0].model_copy(update={"name": name}))
        orgs += [o.model_copy(update={"name": f"{o.name}_{i}", "country": name})
                 for o in base.organizations if o.country == home]  # fmt: skip
        events += [e.model_copy(update={"country": name}) for e in base.timeline if e.country == home]
    update = {"countries": cs, "organizations": orgs, "timeline": events, "agents": agents,
              "months": steps, "name": f"bolivia_x{countries}"}  # fmt: skip
    if framework:
        update["framework"] = framework
    return base.model_copy(update=update)


def child(agents: int, steps: int, countries: int, framework: str | None) -> dict:
    from periphery.engine import run
    from periphery.models.world import build

    sc = scenario(agents, steps, countries, framework)
    t0 = time.perf_counter()
    world = build(sc, None, seed=1)
    t1 = time.perf_counter()
    rec = run(world, steps)
    t2 = time.perf_counter()
    return {
        "agents": int(world.state.agents.n), "countries": countries, "steps": steps,
        "framework": sc.framework, "mechanisms": len(world.schedule.names),
        "build_seconds": round(t1 - t0, 2), "step_seconds": round(t2 - t1, 2),
        "ms_per_step": round(1000 * (t2 - t1) / max(steps, 1), 2),
        "agent_steps_per_second": round(world.state.agents.n * steps / max(t2 - t1, 1e-9)),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "final_share_active": float(rec.column("share_active")[-1]),
    }  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agents", type=int, default=1_000_000)
    ap.add_argument("--steps", type=int, default=600)
    ap.add_argument("--countries", type=int, default=10)
    ap.add_argument("--framework", choices=["imp", "tnc"], default=None)
    ap.add_argument("--results-dir", type=Path, default=HERE / "results")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print("WORLD-RESULT " + json.dumps(child(a.agents, a.steps, a.countries, a.framework)))
        return
    cmd = [sys.executable, __file__, "--child", "--agents", str(a.agents), "--steps", str(a.steps),
           "--countries", str(a.countries)] + (["--framework", a.framework] if a.framework else [])  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **ONE_THREAD})
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("WORLD-RESULT ")), None)
    if proc.returncode or line is None:
        sys.exit(f"world benchmark failed:\n{proc.stderr[-3000:]}")
    r = json.loads(line.removeprefix("WORLD-RESULT "))
    total = r["build_seconds"] + r["step_seconds"]
    r.update(total_seconds=round(total, 2), target_seconds=TARGET_SECONDS, goal_seconds=GOAL_SECONDS,
             target_peak_gb=TARGET_GB, meets_target=bool(total < TARGET_SECONDS
                                                          and r["peak_rss_mb"] < TARGET_GB * 1024),
             date=datetime.now(UTC).isoformat(timespec="seconds"))  # fmt: skip
    a.results_dir.mkdir(parents=True, exist_ok=True)
    out = a.results_dir / "world_scale.json"
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(r, indent=2) + "\n")
    os.replace(tmp, out)
    print(f"world model: {r['agents']:,} agents, {r['countries']} countries, {r['steps']} steps, "
          f"{r['mechanisms']} mechanisms ({r['framework']}): build {r['build_seconds']} s, "
          f"steps {r['step_seconds']} s ({r['ms_per_step']} ms/step), total {total:.1f} s "
          f"(target < {TARGET_SECONDS:.0f} s, goal < {GOAL_SECONDS:.0f} s); peak {r['peak_rss_mb']} MB "
          f"(target < {TARGET_GB:.0f} GB) -> {'meets' if r['meets_target'] else 'MISSES'} the target")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
