"""Smoke test of the benchmark runner: its quick sizes, without Mesa, in a temporary folder."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_benchmark_reports_positive_rates(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--no-mesa",
         "--results-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr

    report = json.loads((tmp_path / "quick.json").read_text())
    results = report["results"]
    assert len(results) >= 3
    assert {r["implementation"] for r in results.values()} == {"periphery"}
    assert len({r["grid"] for r in results.values()}) == len(results)  # one entry per size
    for r in results.values():
        assert r["agent_steps"] > 0
        assert r["agent_steps_per_s"] > 0, r["name"]
        assert r["peak_rss_mb"] > 0, r["name"]
    assert report["summary"]["ratio_periphery_over_mesa_40x40"] is None  # Mesa was skipped
    assert report["machine"]["logical_cpus"] >= 1
    assert not list(tmp_path.glob("*.tmp"))
