"""Dashboard parts that need no browser: safe paths in the store, generated controls, live runs."""

from __future__ import annotations

import os

import numpy as np
import pytest

from periphery.app.controls import as_sets, check, controls_for
from periphery.app.files import UnsafePath, inside, read_bytes
from periphery.app.server import DEFAULT_HOST, environment
from periphery.app.session import LiveRun, Stopped
from periphery.experiments import resolve_target
from periphery.models.civil_violence import CivilViolenceParams
from periphery.models.threshold import ThresholdParams
from periphery.report.snapshots import load_snapshots
from periphery.store import RunStore


@pytest.mark.parametrize("bad", [
    "../outside.txt", "series/../../outside.txt", "/etc/passwd", "..", "a/../../b",
    "~/x", "series\\..\\..\\x", "a\x00b", "", "link/outside.txt",
])  # fmt: skip
def test_paths_that_leave_the_store_are_rejected(tmp_path, bad):
    root = tmp_path / "store"
    (root / "series").mkdir(parents=True)
    (tmp_path / "outside.txt").write_text("secret")
    os.symlink(tmp_path, root / "link")  # a link inside the store pointing out of it
    with pytest.raises(UnsafePath):
        read_bytes(root, bad)


def test_paths_inside_the_store_are_served(tmp_path):
    (tmp_path / "reports" / "abc").mkdir(parents=True)
    (tmp_path / "reports" / "abc" / "report.html").write_text("ok")
    assert read_bytes(tmp_path, "reports/abc/report.html") == b"ok"
    assert inside(tmp_path, "series/x.parquet") == tmp_path.resolve() / "series" / "x.parquet"


def test_server_binds_loopback_by_default(tmp_path):
    assert DEFAULT_HOST == "127.0.0.1"
    env = environment(tmp_path)
    assert env["PERIPHERY_STORE"] == str(tmp_path.resolve())
    assert env["SOLARA_MODE"] == "production" and env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"


def test_controls_come_from_the_parameter_class():
    ctrls = {c.name: c for c in controls_for(CivilViolenceParams)}
    assert list(ctrls) == list(CivilViolenceParams.model_fields)
    leg = ctrls["legitimacy"]
    assert (leg.kind, leg.low, leg.high, leg.default, leg.slider) == ("float", 0.0, 1.0, 0.8, True)
    assert leg.unit == "share" and "[0.0, 1.0]" in leg.hint
    cop = ctrls["cop_density"]
    assert round(cop.default / cop.step, 9) == round(cop.default / cop.step)  # default on the grid
    assert ctrls["arrest_rule"].kind == "choice" and ctrls["arrest_rule"].choices == ("mesa", "netlogo", "paper")
    assert ctrls["movement"].kind == "bool"
    assert ctrls["max_jail_term"].kind == "int" and not ctrls["max_jail_term"].slider
    th = {c.name: c for c in controls_for(ThresholdParams)}
    assert th["network"].kind == "choice" and th["n"].kind == "int"


def test_bad_values_give_one_line_messages():
    assert check(CivilViolenceParams, {"legitimacy": 0.5}, "model civil-violence") == ""
    msg = check(CivilViolenceParams, {"legitimacy": 1.7}, "model civil-violence")
    assert msg == "model civil-violence: legitimacy must be a number in [0.0, 1.0]; got 1.7"
    msg = check(CivilViolenceParams, {"citizen_density": 0.95}, "model civil-violence")
    assert "citizen_density + cop_density must be <= 1" in msg
    assert as_sets({"legitimacy": 0.7, "movement": False, "width": 40},
                   {"legitimacy": 0.8, "movement": True, "width": 40}) == ["legitimacy=0.7", "movement=false"]


def test_live_run_keeps_series_and_grid_and_stores_the_same_run(tmp_path):
    seen = []
    target = resolve_target("civil-violence", ["legitimacy=0.7"])
    live = LiveRun(target, 30, 4, tmp_path, on_update=lambda lv: seen.append(lv.done), interval=0.0)
    result = live.run()
    series = live.series()
    assert list(series["step"]) == list(range(31)) and seen[-1] == 30
    steps, codes = live.snapshots()
    assert list(steps) == list(range(31)) and codes.shape == (31, 40, 40)
    # the watched run is the stored run: same id and series as a plain run
    plain = resolve_target("civil-violence", ["legitimacy=0.7"])
    from periphery.experiments import run_target

    other = run_target(plain, 30, 4, tmp_path / "plain")
    assert other.run_id == result.run_id
    assert np.array_equal(other.series.column("active").to_numpy(), series["active"])
    kept = load_snapshots(RunStore(tmp_path), result.run_id)
    assert kept is not None and np.array_equal(kept[1], codes)


def test_stopping_a_live_run_stores_nothing(tmp_path):
    target = resolve_target("threshold", [])

    def stop_at_5(lv):
        if lv.done >= 5:
            lv.stop()

    live = LiveRun(target, 50, 1, tmp_path, on_update=stop_at_5, interval=0.0)
    with pytest.raises(Stopped):
        live.run()
    assert not (tmp_path / "catalog.duckdb").exists() and live.snapshots() is None
