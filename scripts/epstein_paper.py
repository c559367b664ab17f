"""Write docs/civil_violence.md: periphery's civil violence model beside Epstein (2002) and Mesa.

Reports, under each arrest-probability rule (mesa, netlogo, paper):
  * Run 2 (legitimacy 0.82, cop density 0.04, max jail term 30): outbursts per run, waiting
    time between outbursts and total activation per outburst, beside the paper's targets
    (waiting time about 60; activation about 708 +- 230) and Mesa's reference data;
  * Run 5 (Mesa's defaults): mean shares active and jailed;
  * Runs 3 and 4 (sudden vs gradual legitimacy decline) under Run 2 and Run 5 settings;
  * the cop density tipping experiment.

Usage: python scripts/epstein_paper.py [--seeds 20] [--steps 3000]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from periphery.engine import run
from periphery.models.civil_violence import CivilViolence, CivilViolenceParams
from periphery.models.civil_violence_summary import summarize
from periphery.models.epstein_runs import cop_density_response, legitimacy_drop

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "statistical" / "data"
RULES = ("mesa", "netlogo", "paper")
RUN2 = dict(legitimacy=0.82, cop_density=0.04, max_jail_term=30)


def one(params: dict, seed: int, steps: int):
    """Summary of one periphery run of ``steps`` steps (step 0, the initial state, left out)."""
    m = CivilViolence(CivilViolenceParams(**params), seed)
    rec = run(m, steps)
    return summarize(rec.column("active")[1:], rec.column("jailed")[1:], m.n_citizens)


def ensemble(params: dict, seeds: int, steps: int):
    """Summaries of runs with seeds ``1..seeds``, on all cores."""
    with ProcessPoolExecutor() as pool:
        n = range(1, seeds + 1)
        return list(pool.map(one, [params] * seeds, n, [steps] * seeds))


def describe(runs) -> dict:
    """Table cells for a set of run summaries, pooling waiting times and activations."""
    w = np.concatenate([r.waiting for r in runs])
    a = np.concatenate([r.activation for r in runs])
    return {
        "outbursts per run": f"{np.mean([r.outbursts for r in runs]):.1f}",
        "waiting time (mean +- sd)": f"{w.mean():.1f} +- {w.std():.1f}" if w.size else "none",
        "activation per outburst (mean +- sd)": f"{a.mean():.0f} +- {a.std():.0f}" if a.size else "none",
        "share active": f"{np.mean([r.share_active for r in runs]):.4f}",
        "share jailed": f"{np.mean([r.share_jailed for r in runs]):.4f}",
    }


def mesa_runs(config: str):
    """Summaries of Mesa's reference runs of one configuration, one per seed."""
    # Plain pyarrow and NumPy: pandas is not a dependency of periphery.
    tab = pq.read_table(DATA / "mesa_civil_violence.parquet",
                        filters=[("config", "==", config)]).to_pydict()
    cols = {k: np.asarray(v) for k, v in tab.items() if k != "config"}
    out = []
    for seed in np.unique(cols["seed"]):
        rows = np.flatnonzero(cols["seed"] == seed)
        rows = rows[np.argsort(cols["step"][rows])]
        out.append(summarize(cols["active"][rows], cols["jailed"][rows],
                             int(cols["n_citizens"][rows[0]])))
    return out


def table(rows: dict[str, dict]) -> str:
    """A Markdown table: one row per key of ``rows``, one column per key of its values."""
    cols = list(next(iter(rows.values())))
    out = ["| | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    out += [f"| {name} | " + " | ".join(r[c] for c in cols) + " |" for name, r in rows.items()]
    return "\n".join(out)


def main() -> None:
    """Run every experiment and write docs/civil_violence.md."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--steps", type=int, default=3000)
    args = ap.parse_args()
    t0 = time.perf_counter()
    meta = json.loads((DATA / "mesa_civil_violence.json").read_text())
    # The same seeds as the ensembles, so every periphery figure comes from seeds 1..N.
    seeds = range(1, args.seeds + 1)

    run2 = {"Epstein (2002), Run 2": {
        "outbursts per run": "not reported", "waiting time (mean +- sd)": "about 60",
        "activation per outburst (mean +- sd)": "708 +- 230", "share active": "not reported",
        "share jailed": "not reported"}}
    run2[f"Mesa {meta['mesa_version']} (reference data)"] = describe(mesa_runs("run2_dashboard"))
    run5 = {f"Mesa {meta['mesa_version']} (reference data)": describe(mesa_runs("run5_defaults"))}
    for rule in RULES:
        run2[f"periphery, rule {rule}"] = describe(ensemble({**RUN2, "arrest_rule": rule}, args.seeds, args.steps))
        run5[f"periphery, rule {rule}"] = describe(ensemble({"arrest_rule": rule}, args.seeds, args.steps))

    drops = {}
    for base_name, base in (("Run 2", RUN2), ("Run 5", {})):
        for rule in RULES:
            r = legitimacy_drop(CivilViolenceParams(**base, arrest_rule=rule), seeds)
            s_out, g_out = r.share_outburst()
            drops[f"{base_name}, rule {rule}"] = {
                "median peak, sudden": f"{np.median(r.sudden_peak):.0f}",
                "median peak, gradual": f"{np.median(r.gradual_peak):.0f}",
                "share of seeds sudden > gradual": f"{r.share_sudden_larger:.2f}",
                "share with outburst, sudden": f"{s_out:.2f}",
                "share with outburst, gradual": f"{g_out:.2f}",
            }

    densities = [0.074, 0.06, 0.05, 0.04, 0.03, 0.02]
    cops = {}
    for rule in RULES:
        peaks = cop_density_response(CivilViolenceParams(arrest_rule=rule), densities, seeds)
        cops[f"rule {rule}"] = {
            f"{d}": f"{(p > 50).mean():.2f} / {np.median(p):.0f}" for d, p in zip(densities, peaks)
        }

    text = f"""# Civil violence: periphery beside Epstein (2002) and Mesa

Generated by `python scripts/epstein_paper.py --seeds {args.seeds} --steps {args.steps}` in \
{time.perf_counter() - t0:.0f} s on {os.cpu_count()} cores.
Under these mechanisms and parameters, runs show the figures below.

* Each periphery row pools {args.seeds} runs (seeds 1 to {args.seeds}) of {args.steps} steps, \
unless a section states otherwise.
* Each Mesa row is Mesa's reference data (`tests/statistical/data/`): {len(meta['seeds'])} runs \
of {meta['steps']} steps of
  `{meta['model']}`.
* An outburst is a maximal run of steps with more than 50 active citizens. Waiting time is
  measured from the start of one outburst to the start of the next; activation is the sum of
  active counts over an outburst's steps (`periphery.models.civil_violence_summary`).
  Waiting times and activations are pooled over runs.
* "none" means no outburst (activation), or no run with two outbursts (waiting time).
  Shares are of citizens, averaged over steps and runs.

## Run 2 (legitimacy 0.82, cop density 0.04, max jail term 30)

{table(run2)}

## Run 5 (Mesa's defaults: legitimacy 0.8, cop density 0.074, max jail term 1000)

{table(run5)}

## Runs 3 and 4: sudden versus gradual decline of legitimacy

Settings are those of Run 2 or Run 5 except legitimacy, which is 0.9 for steps 1 to 49 and from
step 50 either drops to 0.7 at once (sudden) or declines linearly to 0.2 by step 350 (gradual).
A run's peak is its largest number of active citizens from step 50 until 100 steps after the
legitimacy path ends (step 150 for sudden, step 450 for gradual); a run has an outburst when
its peak exceeds 50. Each row is {args.seeds} seeds; the sudden and the gradual run of a seed
start from the same world. The paper reports an outburst after the sudden drop and none under
the gradual decline.

{table(drops)}

## Cop density (Run 5 otherwise)

Run 5 settings with the cop density changed, {args.seeds} seeds of 300 steps each. Each cell is
the share of runs whose peak exceeds 50 active citizens, then the median peak.

{table(cops)}
"""
    out = ROOT / "docs" / "civil_violence.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text)
    print(text)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
