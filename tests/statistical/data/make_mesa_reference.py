"""Regenerate Mesa's reference time series for the civil violence equivalence tests.

Runs Mesa's own example (``mesa.examples.advanced.epstein_civil_violence``) for two
configurations, many seeds and 3000 steps each, and writes the per-step counts of quiet,
active and arrested citizens to ``mesa_civil_violence.parquet`` beside this script, plus a
JSON file naming the Mesa version and the exact settings.

Mesa is a dev/bench dependency only; periphery never imports it at run time.

Usage::

    python tests/statistical/data/make_mesa_reference.py --seeds 20 --steps 3000 --jobs 2
"""

from __future__ import annotations

import argparse
import json
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent

# Mesa's model defaults are the paper's Run 5; its dashboard (app.py) settings the paper's Run 2.
CONFIGS: dict[str, dict] = {
    "run5_defaults": dict(legitimacy=0.8, cop_density=0.074, max_jail_term=1000),
    "run2_dashboard": dict(legitimacy=0.82, cop_density=0.04, max_jail_term=30),
}


def run_one(config: str, seed: int, steps: int) -> dict[str, list]:
    from mesa.examples.advanced.epstein_civil_violence.agents import Citizen, Cop
    from mesa.examples.advanced.epstein_civil_violence.model import EpsteinCivilViolence

    model = EpsteinCivilViolence(seed=seed, **CONFIGS[config])
    n_cit = len(model.agents_by_type[Citizen])
    n_cop = len(model.agents_by_type[Cop])
    out: dict[str, list] = {k: [] for k in ("config", "seed", "step", "quiet", "active", "jailed")}
    out["n_citizens"], out["n_cops"] = [], []
    for step in range(1, steps + 1):
        model.step()
        out["config"].append(config)
        out["seed"].append(seed)
        out["step"].append(step)
        out["quiet"].append(int(model.QUIET))
        out["active"].append(int(model.ACTIVE))
        out["jailed"].append(int(model.ARRESTED))
        out["n_citizens"].append(n_cit)
        out["n_cops"].append(n_cop)
    return out


def main() -> None:
    import mesa

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()

    tasks = [(c, s, args.steps) for c in CONFIGS for s in range(1, args.seeds + 1)]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(run_one, *zip(*tasks)))
    wall = time.perf_counter() - t0

    cols: dict[str, list] = {k: [] for k in results[0]}
    for r in results:
        for k, v in r.items():
            cols[k].extend(v)
    table = pa.table(cols)
    pq.write_table(table, HERE / "mesa_civil_violence.parquet", compression="zstd")
    meta = {
        "mesa_version": mesa.__version__,
        "model": "mesa.examples.advanced.epstein_civil_violence.EpsteinCivilViolence",
        "configs": CONFIGS,
        "other_settings": "Mesa defaults: 40x40 torus, citizen_density 0.7, vision 7 (von Neumann),"
        " active_threshold 0.1, arrest_prob_constant 2.3, movement on",
        "seeds": list(range(1, args.seeds + 1)),
        "steps": args.steps,
        "wall_seconds": round(wall, 1),
        "counts": "recorded after each step; 'jailed' is Mesa's ARRESTED state",
    }
    (HERE / "mesa_civil_violence.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"wrote {len(table)} rows in {wall:.0f}s")


if __name__ == "__main__":
    main()
