"""Experiment files: the examples load, and every bad file gives one line with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from periphery.experiments.spec import ExperimentError, load_experiment

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "experiments").glob("*.toml"))

HEAD = 'name = "x"\nbase = "{base}"\nsteps = 10\nseed = 1\n'


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_files_load(path):
    exp = load_experiment(path, sweep="calibration" not in path.name)
    assert exp.spec.name == path.stem
    if "calibration" not in path.name:
        design, seeds = exp.design()
        assert len(design.points) >= 2 and seeds.shape == (len(design.points), exp.spec.replicates)


BAD = [
    # (file body after the head, line, words the message must contain)
    (
        '[parameters.legitimacy]\nlow = 0.2\nhigh = 1.4\n[design]\nkind = "lhs"\nsamples = 4\n',
        7,
        ["parameters.legitimacy.high", "1.4", "[0.0, 1.0]"],
    ),
    (
        "[parameters.legitimacyy]\nvalues = [0.1]\n",
        5,
        ["parameters.legitimacyy", "unknown", "legitimacy"],
    ),
    (
        '[[outcomes]]\nname = "a"\ncolumn = "active"\nstat = "max"\n'
        '[[outcomes]]\nname = "b"\ncolumn = "active"\nstat = "maxx"\n',
        12,
        ["outcomes[1].stat", "maxx", "peak_step"],
    ),
    (
        '[[outcomes]]\nname = "a"\ncolumn = "activ"\nstat = "max"\n',
        7,
        ["outcomes[0].column", "activ", "active", "jailed"],
    ),
    ("[fixed]\ncop_density = -3\n", 6, ["fixed.cop_density", "-3", "[0.0, 1.0]"]),
    (
        "[fixed]\ncop_density = 0.5\ncitizen_density = 0.7\n",
        5,
        ["fixed", "citizen_density + cop_density"],
    ),
    (
        "[parameters.legitimacy]\nlow = 0.1\nhigh = 0.9\n",
        5,
        ["parameters.legitimacy", "grid needs values or levels"],
    ),
    (
        "[parameters.legitimacy]\nvalues = [0.1]\n[fixed]\nlegitimacy = 0.2\n",
        5,
        ["also in [fixed]"],
    ),
    (
        '[parameters.legitimacy]\nlow = 0.1\nhigh = 0.9\n[design]\nkind = "sobol"\nsamples = 12\n',
        10,
        ["design.samples", "power of 2"],
    ),
    (
        '[parameters.legitimacy]\nlow = 0.1\nhigh = 0.9\n[design]\nkind = "latin"\n',
        9,
        ["design.kind", "latin", "lhs", "sobol", "morris"],
    ),
    ("replicates = 0\n", 5, ["replicates", "0", "[1,"]),
    (
        '[[outcomes]]\nname = "a"\ncolumn = "active"\nstat = "time_above"\n',
        5,
        ["outcomes[0]", "needs a level"],
    ),
    ("surprise = 1\n", 5, ["surprise", "unknown field"]),
]


@pytest.mark.parametrize("body,line,words", BAD, ids=[w[0] for _, _, w in BAD])
def test_bad_files_name_file_line_and_field(tmp_path, body, line, words):
    path = tmp_path / "exp.toml"
    path.write_text(HEAD.format(base="civil-violence") + body)
    with pytest.raises(ExperimentError) as info:
        load_experiment(path)
    msg = str(info.value)
    assert msg.startswith(f"{path}:{line}: "), msg
    assert "\n" not in msg
    for w in words:
        assert w in msg, (w, msg)


def test_unknown_base_and_missing_scenario(tmp_path):
    path = tmp_path / "exp.toml"
    path.write_text(HEAD.format(base="civil-wars"))
    with pytest.raises(ExperimentError, match=r"exp.toml:2: base: .*civil-violence"):
        load_experiment(path)
    path.write_text(HEAD.format(base="../nowhere.toml"))
    with pytest.raises(ExperimentError, match=r"exp.toml:2: base: scenario file .* not found"):
        load_experiment(path)


def test_malformed_toml_gives_its_line(tmp_path):
    path = tmp_path / "exp.toml"
    path.write_text('name = "x"\nbase = "threshold\n')
    with pytest.raises(ExperimentError, match=r"exp.toml:2: malformed TOML"):
        load_experiment(path)


def test_ranges_come_from_the_declarations(tmp_path):
    path = tmp_path / "exp.toml"
    path.write_text(HEAD.format(base="civil-violence") + "[parameters.legitimacy]\n[parameters.max_jail_term]\n"
                    "low = 1\nhigh = 50\n[parameters.arrest_rule]\n[parameters.movement]\n"
                    "[design]\nkind = \"lhs\"\nsamples = 16\n")  # fmt: skip
    exp = load_experiment(path)
    dims = {d.name: d for d in exp.dims}
    assert (dims["legitimacy"].low, dims["legitimacy"].high) == (0.0, 1.0)
    assert dims["arrest_rule"].values == ("mesa", "netlogo", "paper")
    assert dims["movement"].values == (False, True)
    design, _ = exp.design()
    jail = [p["max_jail_term"] for p in design.points]
    assert all(isinstance(j, int) and 1 <= j <= 50 for j in jail)
    assert {p["arrest_rule"] for p in design.points} == {"mesa", "netlogo", "paper"}


def test_a_wide_declared_range_needs_explicit_bounds(tmp_path):
    path = tmp_path / "exp.toml"
    path.write_text(
        HEAD.format(base="threshold") + '[parameters.sd]\n[design]\nkind = "lhs"\nsamples = 4\n'
    )
    with pytest.raises(ExperimentError, match=r":5: parameters.sd: .*too wide.*give low and high"):
        load_experiment(path)
