"""Sweeps end to end: a store that loses nothing when killed, byte-identical backends, the CLI.

The reference is one uninterrupted sweep (local process pool, 2 workers). Against it: the same
sweep killed with SIGKILL halfway in a subprocess and finished with ``--resume``; the same
sweep stopped with Ctrl-C and resumed; and the same sweep on a Dask ``LocalCluster``. Each
must end with the same catalog rows and the same Parquet bytes, nothing lost and nothing
duplicated.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from periphery.store import RunStore
from periphery.store.query import query

from .test_cli import periphery

EXPERIMENT = """name = "resume_check"
base = "civil-violence"
steps = 120
replicates = 4
seed = 99
runs_per_part = 2

[fixed]
max_jail_term = 30

[parameters.legitimacy]
values = [0.6, 0.7, 0.8]

[parameters.cop_density]
values = [0.03, 0.06]

[[outcomes]]
name = "peak_active"
column = "active"
stat = "max"

[[outcomes]]
name = "mean_jailed"
column = "jailed"
stat = "mean"
"""
RUNS = 3 * 2 * 4
CHUNKS = RUNS // 2


def snapshot(out: Path):
    """Everything a sweep leaves that must not depend on how it was run (timings excluded)."""
    store = RunStore(out)
    _, runs = query(store, "SELECT run_id, model, seed, steps, params, code_version, status, error, "
                           "series_path, target, identity, outcomes FROM runs ORDER BY run_id")  # fmt: skip
    _, tasks = query(store, "SELECT * FROM sweep_runs ORDER BY sweep_id, task")
    _, parts = query(store, "SELECT path, sha256, bytes, rows, runs FROM parts ORDER BY path")
    _, series = query(
        store,
        "SELECT count(*), count(DISTINCT (run_id, step, variable)), round(sum(value), 3) FROM series",
    )
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted((out / "parts").rglob("*"))
             if p.is_file()}  # fmt: skip
    return {"runs": runs, "tasks": tasks, "parts": parts, "series": series, "files": files}


@pytest.fixture(scope="module")
def experiment_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("exp") / "resume_check.toml"
    path.write_text(EXPERIMENT)
    return path


@pytest.fixture(scope="module")
def reference(experiment_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("reference")
    code, text, err = _cli("sweep", str(experiment_file), "--out", str(out), "--workers", "2")
    assert code == 0, err
    assert f"{RUNS} runs, {RUNS} done, 0 failed" in text
    snap = snapshot(out)
    assert len(snap["runs"]) == RUNS and len(snap["files"]) == CHUNKS
    assert snap["series"][0][0] == snap["series"][0][1] == RUNS * 121 * 4  # 4 recorded columns
    return snap


def _cli(*args):
    """Run the CLI in-process, capturing by hand (capsys cannot serve module-scoped fixtures)."""

    class Nothing:
        def readouterr(self):
            return "", ""

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):  # rich's consoles write to sys.stdout/stderr
        code, _, _ = periphery(Nothing(), *args)
    return code, out.getvalue(), err.getvalue()


def _start(experiment_file: Path, out: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-c", "from periphery.cli import main; main()", "sweep",
           str(experiment_file), "--out", str(out), "--workers", "2"]  # fmt: skip
    # a session of its own, so the signal reaches the coordinator and its workers, as a
    # terminal's Ctrl-C or a machine going down would
    return subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


def _wait_for_parts(out: Path, proc: subprocess.Popen, n: int) -> None:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if len(list((out / "parts").rglob("*.parquet"))) >= n:
            return
        assert proc.poll() is None, (
            f"the sweep ended before it could be stopped: {proc.communicate()}"
        )
        time.sleep(0.02)
    raise AssertionError("the sweep made no progress in 240 s")


def _counts(out: Path) -> dict[str, int]:
    _, rows = query(RunStore(out), "SELECT status, count(*) FROM runs GROUP BY 1")
    return dict(rows)


def test_sigkill_halfway_then_resume_equals_an_uninterrupted_sweep(
    experiment_file, reference, tmp_path
):
    out = tmp_path / "killed"
    proc = _start(experiment_file, out)
    _wait_for_parts(out, proc, CHUNKS // 2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    counts = _counts(out)
    unfinished = counts.get("pending", 0) + counts.get("running", 0)
    assert unfinished > 0 and sum(counts.values()) == RUNS, counts  # killed halfway indeed
    code, text, err = _cli("sweep", str(experiment_file), "--out", str(out), "--workers", "2")
    assert code == 2 and "--resume" in err  # an unfinished sweep is not silently restarted
    code, text, err = _cli(
        "sweep", str(experiment_file), "--out", str(out), "--workers", "2", "--resume"
    )
    assert code == 0, err
    assert f"{RUNS} runs, {RUNS} done, 0 failed" in text
    assert snapshot(out) == reference
    code, text, _ = _cli("runs", "check", "--out", str(out))
    assert code == 0 and "agree" in text
    assert not list(out.rglob("*.tmp"))


def test_ctrl_c_stops_cleanly_and_resume_finishes(experiment_file, reference, tmp_path):
    out = tmp_path / "interrupted"
    proc = _start(experiment_file, out)
    _wait_for_parts(out, proc, 3)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "--resume" in err and "Traceback" not in err
    counts = _counts(out)
    assert counts.get("running", 0) == 0 and counts.get("pending", 0) > 0, counts
    code, _, err = _cli(
        "sweep", str(experiment_file), "--out", str(out), "--workers", "2", "--resume"
    )
    assert code == 0, err
    assert snapshot(out) == reference


def test_dask_local_cluster_gives_the_same_bytes(experiment_file, reference, tmp_path):
    from distributed import LocalCluster

    out = tmp_path / "dask"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=40) as cluster:  # fmt: skip
        code, text, err = _cli("sweep", str(experiment_file), "--out", str(out), "--backend", "dask",
                               "--address", cluster.scheduler_address)  # fmt: skip
    assert code == 0, err
    assert "Dask cluster at tcp://" in text
    assert snapshot(out) == reference


def test_bad_experiment_file_is_one_line_with_file_line_field(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text(EXPERIMENT.replace("values = [0.03, 0.06]", "values = [0.03, 1.5]"))
    code, _, err = periphery(capsys, "sweep", str(path), "--out", str(tmp_path / "out"))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        f"error: {path}:15: parameters.cop_density.values:"
    )
    assert "1.5" in lines[0] and "[0.0, 1.0]" in lines[0]
    assert not (tmp_path / "out").exists()


def test_failed_runs_are_reported_and_the_sweep_completes(tmp_path, capsys):
    path = tmp_path / "thr.toml"
    path.write_text('name = "thr"\nbase = "threshold"\nsteps = 20\nseed = 3\n[parameters.seeds_active]\n'
                    'values = [0, 10, 1000]\n[[outcomes]]\nname = "final"\ncolumn = "active"\nstat = "final"\n')  # fmt: skip
    out = tmp_path / "out"
    code, text, err = periphery(capsys, "sweep", str(path), "--out", str(out), "--workers", "1")
    assert code == 1, err
    assert "3 runs, 2 done, 1 failed" in text, err and "seeds_active must be <= n = 100" in err
    code, text, _ = periphery(capsys, "runs", "query", "SELECT seeds_active, status FROM results "
                              "ORDER BY 1", "--out", str(out), "--format", "csv")  # fmt: skip
    assert text.splitlines() == ["seeds_active,status", "0.0,done", "10.0,done", "1000.0,failed"]


def test_corrupt_part_is_reported_with_its_path(tmp_path, capsys, experiment_file, reference):
    out = tmp_path / "store"
    out.mkdir()
    # rebuild the reference store by resuming nothing: copy the reference files into a fresh sweep
    code, _, err = periphery(
        capsys, "sweep", str(experiment_file), "--out", str(out), "--workers", "2"
    )
    assert code == 0, err
    part = sorted((out / "parts").rglob("*.parquet"))[3]
    part.write_bytes(part.read_bytes()[:200])
    code, _, err = periphery(
        capsys, "runs", "query", "SELECT count(*) FROM series", "--out", str(out)
    )
    assert (
        code == 2 and str(part) in err and "truncated" in err and len(err.strip().splitlines()) == 1
    )
    code, _, err = periphery(capsys, "runs", "check", "--out", str(out))
    assert code == 1 and str(part) in err


def test_sensitivity_table_plot_and_a_parameter_without_effect(tmp_path, capsys):
    path = tmp_path / "sobol.toml"
    path.write_text("""name = "thr_sobol"
base = "threshold"
steps = 60
seed = 5
[fixed]
n = 300
[parameters.mean]
low = 60.0
high = 110.0
[parameters.sd]
low = 5.0
high = 40.0
[parameters.rewire]
low = 0.0
high = 1.0
[design]
kind = "sobol"
samples = 32
[[outcomes]]
name = "final_share"
column = "share_active"
stat = "final"
""")
    out = tmp_path / "out"
    code, text, err = periphery(
        capsys, "sensitivity", str(path), "--out", str(out), "--workers", "2"
    )
    assert code == 0, err
    assert "final_share: sobol indices" in text and "ST_conf" in text
    png = next(out.glob("sensitivity-*.png"))
    assert png.read_bytes()[:4] == b"\x89PNG"
    import pyarrow.parquet as pq

    table = pq.read_table(next(out.glob("sensitivity-*.parquet"))).to_pylist()
    st = {r["parameter"]: r["ST"] for r in table}
    # rewiring matters only on a Watts-Strogatz network: this global model ignores it
    assert abs(st["rewire"]) < 0.02 and st["mean"] > 0.2 and st["sd"] > 0.05, st


def test_calibrate_reports_posterior_fit_and_held_out(tmp_path, capsys):
    path = tmp_path / "cal.toml"
    root = Path(__file__).resolve().parents[2]
    body = (root / "experiments" / "threshold_calibration.toml").read_text()
    body = body.replace("population = 50", "population = 15").replace(
        "generations = 5", "generations = 2"
    )
    path.write_text(body.replace("checks = 20", "checks = 4"))
    out = tmp_path / "out"
    code, text, err = periphery(capsys, "calibrate", str(path), "--out", str(out), "--workers", "1")
    assert code == 0, err
    assert "posterior" in text and "held out (not fitted): half_step" in text
    summary = json.loads(next((out / "calibration").glob("*.json")).read_text())
    assert set(summary["posterior"]) == {"mean", "sd"}
    assert 0.1 <= summary["posterior"]["mean"]["mean"] <= 0.35
    assert summary["held_out"] == {"half_step": 10.0} and "half_step" not in summary["observed"]
    assert summary["fit"]["half_step"]["role"] == "held out"
    assert summary["fit"]["final_share"]["role"] == "fitted"
    assert summary["held_fixed_parameters"]["network"] == "erdos_renyi"
    assert Path(summary["database"]).is_file() and Path(summary["posterior_particles"]).is_file()
