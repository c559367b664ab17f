"""Sweeps in-process (a thread pool stands in for the backends): failures, reuse, retries, queries."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from periphery.experiments import worker
from periphery.experiments.spec import load_experiment
from periphery.experiments.sweep import SweepError, run_sweep
from periphery.store import RunStore, StoreError
from periphery.store import sweeps as book
from periphery.store.query import query


class Threads:
    """A backend on threads of this process, so tests can patch what workers run."""

    name = "threads"
    workers = 2
    remote = False

    def start(self, warm=None):
        pass

    def __enter__(self):
        self.ex = ThreadPoolExecutor(2)
        return self.ex

    def __exit__(self, *exc):
        self.ex.shutdown()

    def restart(self):
        return self.ex

    def abort(self):
        pass

    def describe(self):
        return "threads"


def experiment(tmp_path, values="[20.0, 25.0, 30.0]", replicates=2, extra=""):
    path = tmp_path / "exp.toml"
    path.write_text(f"""name = "thr"
base = "threshold"
steps = 30
replicates = {replicates}
seed = 7
runs_per_part = 2
[fixed]
n = 200
[parameters.mean]
values = {values}
[[outcomes]]
name = "final_share"
column = "share_active"
stat = "final"
{extra}""")
    return load_experiment(path)


def test_a_failing_run_is_recorded_and_the_sweep_goes_on(tmp_path, monkeypatch):
    exp = experiment(tmp_path)
    real = worker.simulate
    bad_seed = []

    def flaky(target, steps, seed, progress=None):
        if not bad_seed:
            bad_seed.append(seed)
        if seed == bad_seed[0]:
            raise FloatingPointError("the model diverged")
        return real(target, steps, seed, progress)

    monkeypatch.setattr(worker, "simulate", flaky)
    status = run_sweep(exp, tmp_path / "out", Threads())
    assert (status.total, status.done, status.failed) == (6, 5, 1)
    store = RunStore(tmp_path / "out")
    cols, rows = query(store, "SELECT status, error, seed FROM runs WHERE status = 'failed'")
    assert len(rows) == 1 and "FloatingPointError: the model diverged" in rows[0][1]
    assert rows[0][2] == bad_seed[0]
    _, n = query(store, "SELECT count(DISTINCT run_id) FROM series")
    assert n == [(5,)]
    # --retry-failed runs it again (now that the model behaves) in a new chunk and part
    monkeypatch.setattr(worker, "simulate", real)
    status = run_sweep(exp, tmp_path / "out", Threads(), resume=True, retry_failed=True)
    assert (status.done, status.failed, status.ran) == (6, 0, 1)
    assert store.check() == []


def test_invalid_points_become_failed_runs_with_the_validation_message(tmp_path):
    exp = experiment(tmp_path, replicates=1, extra="[parameters.seeds_active]\nvalues = [0, 500]\n")
    status = run_sweep(exp, tmp_path / "out", Threads())
    assert (status.total, status.done, status.failed) == (6, 3, 3)
    _, rows = query(
        RunStore(tmp_path / "out"), "SELECT DISTINCT error FROM runs WHERE status = 'failed'"
    )
    assert len(rows) == 1 and "seeds_active must be <= n = 200" in rows[0][0]


def test_runs_already_stored_are_reused_and_get_this_experiments_outcomes(tmp_path):
    out = tmp_path / "out"
    run_sweep(experiment(tmp_path, "[20.0, 25.0]"), out, Threads())
    bigger = experiment(tmp_path, "[20.0, 25.0, 30.0]", extra='[[outcomes]]\nname = "peak"\n'
                        'column = "active"\nstat = "max"\n')  # fmt: skip
    status = run_sweep(bigger, out, Threads())
    assert (status.total, status.done, status.ran, status.reused) == (6, 6, 2, 4)
    _, rows = query(RunStore(out), "SELECT count(*), count(peak), count(final_share) FROM results")
    assert rows == [(6, 6, 6)]


def test_an_unfinished_sweep_needs_resume(tmp_path):
    exp = experiment(tmp_path)
    out = tmp_path / "out"
    from periphery.experiments.sweep import prepare

    prepare(exp, out)  # planned and recorded, nothing run: as if killed at once
    with pytest.raises(SweepError, match="6 unfinished runs; add --resume"):
        run_sweep(exp, out, Threads())
    assert run_sweep(exp, out, Threads(), resume=True).done == 6


def test_results_series_and_long_views(tmp_path):
    out = tmp_path / "out"
    exp = experiment(tmp_path)
    status = run_sweep(exp, out, Threads())
    store = RunStore(out)
    cols, rows = query(
        store, "SELECT mean, avg(final_share), count(*) FROM results GROUP BY 1 ORDER BY 1"
    )
    assert [r[0] for r in rows] == [20.0, 25.0, 30.0] and all(r[2] == 2 for r in rows)
    _, rows = query(store, "SELECT count(*) FROM series WHERE variable = 'share_active'")
    assert rows == [(6 * 31,)]
    _, rows = query(store, "SELECT count(*) FROM parameters WHERE name = 'mean'")
    assert rows == [(6,)]
    _, rows = query(store, "SELECT count(*), count(DISTINCT chunk) FROM sweep_runs")
    assert rows == [(6, 3)]
    _, rows = query(store, "SELECT sum(runs), count(*) FROM parts")
    assert rows == [(6, 3)]
    # a run's series counts once even if another file also holds it (a part written twice)
    rid, rel = query(store, "SELECT run_id, series_path FROM runs LIMIT 1")[1][0]
    copy = out / "parts" / "copy.parquet"
    copy.write_bytes((out / rel).read_bytes())
    book.commit(store, [], parts=[])
    _, rows = query(store, "SELECT count(*) FROM series_wide")
    assert rows == [(6 * 31,)]
    assert status.sweep_id in {r[0] for r in query(store, "SELECT sweep_id FROM sweeps")[1]}
    with pytest.raises(StoreError, match="query failed"):
        query(store, "SELECT nothing FROM nowhere")


def test_truncated_or_altered_parts_are_reported_with_their_path(tmp_path):
    out = tmp_path / "out"
    run_sweep(experiment(tmp_path), out, Threads())
    store = RunStore(out)
    part = sorted((out / "parts").rglob("*.parquet"))[1]
    data = part.read_bytes()
    part.write_bytes(data[: len(data) // 2])
    with pytest.raises(StoreError, match=f"{part}: part is truncated"):
        query(store, "SELECT count(*) FROM series")
    assert any(str(part) in p for p in store.check())
    # same size, one byte changed: the modification time gives it away, the hash confirms it
    flipped = bytearray(data)
    flipped[len(data) // 3] ^= 0xFF
    part.write_bytes(bytes(flipped))
    with pytest.raises(StoreError, match=f"{part}: part content differs from its recorded SHA-256"):
        query(store, "SELECT count(*) FROM series")
    with pytest.raises(StoreError, match=str(part)):
        RunStore(out).read_series(
            json.loads(
                json.dumps(
                    query(
                        store,
                        f"SELECT run_id FROM runs WHERE series_path = '{part.relative_to(out)}'",
                    )[1][0][0]
                )
            )
        )
    # queries that do not read the series still work
    assert query(store, "SELECT count(*) FROM runs")[1] == [(6,)]
