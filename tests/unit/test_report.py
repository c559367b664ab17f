"""Static reports: one self-contained HTML file (nothing from other hosts, every image a data: URI),
the plots beside it as PNG files, a caption under every plot; for runs of each model and for sweeps.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from periphery import cli
from periphery.experiments import resolve_target, run_target
from periphery.report import run_report, sweep_report
from periphery.report.animation import frame_indices, grid_gif
from periphery.report.columns import parse_column
from periphery.report.sweep_report import first_order
from periphery.store import RunStore, code_version

PNG = b"\x89PNG\r\n\x1a\n"
REPO = Path(__file__).resolve().parents[2]


def assert_self_contained(page: Path, pngs: list[Path]) -> str:
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    # nothing may be fetched: no src/href to another host, no protocol-relative URL, no script
    refs = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']*)["\']', text, flags=re.I)
    assert refs, "expected images and in-page links"
    for ref in refs:
        assert ref.startswith(("data:image/png;base64,", "#")), ref[:80]
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", text.replace("data:image", ""), re.I)
    assert "<script" not in text.lower() and "@import" not in text and "url(" not in text
    imgs = re.findall(r"<img [^>]*>", text)
    assert len(imgs) == len(pngs) > 0
    assert all('src="data:image/png;base64,' in i for i in imgs)
    # a caption under every figure, in words
    figures = re.findall(r"<figure.*?</figure>", text, flags=re.S)
    assert len(figures) == len(imgs)
    for f in figures:
        cap = re.search(r"<figcaption>(.*?)</figcaption>", f, flags=re.S)
        assert cap and len(cap.group(1).split()) >= 8, f[-300:]
    for p in pngs:
        assert p.parent == page.parent and p.read_bytes()[:8] == PNG and p.stat().st_size > 3000
    return text


@pytest.fixture(scope="module")
def cv_store(tmp_path_factory):
    out = tmp_path_factory.mktemp("cv")
    target = resolve_target("civil-violence", ["legitimacy=0.7", "cop_density=0.04"])
    rid = run_target(target, 120, 5, out).run_id
    return RunStore(out), rid


def test_civil_violence_report_is_self_contained_with_grids_and_captions(cv_store, tmp_path):
    store, rid = cv_store
    files = run_report(store, rid, tmp_path / "rep")
    text = assert_self_contained(files.html, files.pngs)
    for section in ("Citizens over time", "Movement life-cycles", "Distributions", "The grid",
                    "How this report was made"):  # fmt: skip
        assert section in text
    assert "matched the stored series at every step" in text  # the replay reproduced the run
    names = {p.name for p in files.pngs}
    assert any("grid-snapshots" in n for n in names) and any("lifecycles" in n for n in names)


def test_threshold_report(tmp_path):
    out = tmp_path / "th"
    rid = run_target(resolve_target("threshold", ["sd=15"]), 30, 2, out).run_id
    files = run_report(RunStore(out), rid)
    assert files.html == out / "reports" / rid / "report.html"
    text = assert_self_contained(files.html, files.pngs)
    assert "Participants over time" in text and "Thresholds of all agents" in text


def test_world_report_panels_by_class_and_country_and_timeline(tmp_path):
    from periphery.engine import run
    from periphery.models.world import from_files

    scenario = REPO / "scenarios" / "teaching_occupation.toml"
    if not scenario.is_file():
        pytest.skip(f"{scenario} not present")
    world = from_files(scenario, seed=1)
    rec = run(world, 24)
    identity = {**world.identity(), "steps": 24, "code_version": code_version()}
    store = RunStore(tmp_path / "w")
    rid = store.save(identity, rec.to_arrow(), 0.1)
    files = run_report(store, rid)
    text = assert_self_contained(files.html, files.pngs)
    names = " ".join(p.name for p in files.pngs)
    assert "statuses-by-class" in names and "statuses-by-country" in names
    assert "timeline" in names and "distributions" in names
    assert "one line per class" in text and "one line per country" in text


def test_sweep_report_ensembles_outcomes_sensitivity_and_validation(tmp_path):
    out = tmp_path / "sweep"
    for legit in (0.7, 0.85):
        for seed in (1, 2):
            run_target(resolve_target("civil-violence", [f"legitimacy={legit}"]), 40, seed, out)
    (out / "validation.json").write_text(
        '[{"prediction": "P1", "passed": true, "detail": "more rebellion at lower legitimacy"}]')
    files = sweep_report(out)
    text = assert_self_contained(files.html, files.pngs)
    for section in ("Ensemble means with bands", "Outcomes against each swept parameter",
                    "Sensitivity indices", "Validation"):  # fmt: skip
        assert section in text
    assert "more rebellion at lower legitimacy" in text and "legitimacy" in text


def test_cli_report_for_a_run_and_for_a_folder(cv_store, tmp_path, capsys, monkeypatch):
    store, rid = cv_store
    monkeypatch.setattr("sys.argv", ["periphery", "report", rid[:8], "--out", str(store.root),
                                     "--to", str(tmp_path / "r"), "--no-replay"])  # fmt: skip
    cli.main()
    assert "report.html" in capsys.readouterr().out
    assert (tmp_path / "r" / "report.html").is_file()
    monkeypatch.setattr("sys.argv", ["periphery", "report", str(tmp_path / "nothing-here")])
    with pytest.raises(SystemExit) as exc:
        cli.main()
    assert exc.value.code == 2 and "error:" in capsys.readouterr().err


def test_first_order_index_and_column_names():
    rng = np.random.default_rng(0)
    x = np.repeat([0.0, 1.0, 2.0], 50)
    assert first_order(x, 3 * x + rng.normal(0, 0.1, x.size)) > 0.95
    assert first_order(x, rng.normal(0, 1, x.size)) < 0.1
    c = parse_column("class.peasant_farmer.n_mobilized")
    assert (c.kind, c.measure, c.cls, c.country) == ("status", "mobilized", "peasant_farmer", None)
    c = parse_column("country.bolivia.n_armed")
    assert (c.kind, c.measure, c.country) == ("status", "armed", "bolivia")
    assert parse_column("country.bolivia.regime").kind == "regime"


def test_grid_gif(tmp_path):
    codes = np.random.default_rng(1).integers(0, 5, (12, 10, 10)).astype(np.int8)
    path = grid_gif(np.arange(12) * 5, codes, tmp_path / "a.gif", max_frames=6)
    assert path.read_bytes()[:6] == b"GIF89a"
    from PIL import Image

    assert Image.open(path).n_frames == len(frame_indices(12, 6)) == 6
