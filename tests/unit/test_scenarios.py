from pathlib import Path

import pytest

from periphery.scenarios import ScenarioError, load_params, load_scenario
from periphery.theory.frameworks import param_tables

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"

GOOD = """\
name = "tiny"
description = "two countries"
cites = ["000_c5680132a7806926.txt §Conditions L50"]
framework = "imp"
months = 12
agents = 100

[[countries]]
name = "first"
regime = "aligned"
population_weight = 1.0
legitimacy = 0.5
repression = 0.5
democratic_space = 0.5
class_shares = { peasant_farmer = 0.5, public_employee = 0.5 }

[[countries]]
name = "second"
regime = "nationalist"
population_weight = 2.0
legitimacy = 0.5
repression = 0.2
democratic_space = 0.5
traditions = { armed = 0.3 }
class_shares = { informal_unemployed = 1.0 }

[[timeline]]
month = 3
country = "first"
kind = "privatization"
intensity = 0.5
"""


def write(tmp_path, text, name="s.toml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def error_of(path):
    with pytest.raises(ScenarioError) as e:
        load_scenario(path)
    msg = str(e.value)
    assert "\n" not in msg
    return msg


@pytest.mark.parametrize("name", ["teaching_privatization", "teaching_occupation", "bolivia"])
def test_shipped_scenarios_load(name):
    s = load_scenario(SCENARIOS / f"{name}.toml")
    assert s.name == name and s.countries and s.cites


def test_valid_scenario_loads(tmp_path):
    s = load_scenario(write(tmp_path, GOOD))
    assert [c.name for c in s.countries] == ["first", "second"]
    assert s.timeline[0].kind == "privatization" and s.countries[1].traditions.armed == 0.3


def test_malformed_toml_gives_file_and_line(tmp_path):
    p = write(tmp_path, GOOD.replace('months = 12', 'months = = 12'))
    msg = error_of(p)
    assert msg.startswith(f"{p}:5: malformed TOML")


def test_wrong_regime_name_names_line_field_and_allowed_values(tmp_path):
    p = write(tmp_path, GOOD.replace('regime = "nationalist"', 'regime = "vasal"'))
    msg = error_of(p)
    assert msg.startswith(f"{p}:19: countries[1].regime: 'vasal' is not allowed; allowed: aligned, nationalist,")
    assert "repressive_electoral" in msg and "core" in msg


def test_unknown_field_lists_allowed_fields(tmp_path):
    p = write(tmp_path, GOOD.replace('population_weight = 2.0', 'population_weight = 2.0\ncolour = "red"'))
    msg = error_of(p)
    assert msg.startswith(f"{p}:21: countries[1].colour: unknown field; allowed: name, regime,")


def test_out_of_range_value_gives_range(tmp_path):
    p = write(tmp_path, GOOD.replace("repression = 0.2", "repression = 1.3"))
    msg = error_of(p)
    assert msg == f"{p}:22: countries[1].repression: 1.3 is out of range; allowed: a number in [0.0, 1.0]"


def test_inline_table_field_is_located(tmp_path):
    p = write(tmp_path, GOOD.replace("armed = 0.3", "armed = 3.0"))
    msg = error_of(p)
    assert msg.startswith(f"{p}:24: countries[1].traditions.armed: 3.0 is out of range")


def test_class_shares_must_sum_to_one_and_use_known_classes(tmp_path):
    msg = error_of(write(tmp_path, GOOD.replace("informal_unemployed = 1.0", "informal_unemployed = 0.9")))
    assert ":25: countries[1].class_shares:" in msg and "sum to 0.9" in msg
    msg = error_of(write(tmp_path, GOOD.replace("informal_unemployed = 1.0", "informal_jobless = 1.0")))
    assert ":25: countries[1].class_shares.informal_jobless: 'informal_jobless' is not allowed; allowed: peasant_farmer" in msg


def test_event_kind_and_country_reference(tmp_path):
    msg = error_of(write(tmp_path, GOOD.replace('kind = "privatization"', 'kind = "privatisation"')))
    assert ":30: timeline[0].kind: 'privatisation' is not allowed; allowed: occupation," in msg
    msg = error_of(write(tmp_path, GOOD.replace('country = "first"', 'country = "third"')))
    assert ":29: timeline[0].country: 'third' is not a country of this scenario; allowed: first, second" in msg


def test_missing_required_field(tmp_path):
    msg = error_of(write(tmp_path, GOOD.replace("legitimacy = 0.5\nrepression = 0.2\n", "repression = 0.2\n")))
    assert ":17: countries[1].legitimacy: is required but missing" in msg


def test_params_file_defaults_and_errors(tmp_path):
    shipped = load_params(SCENARIOS / "params" / "default.toml")
    assert set(shipped) == set(param_tables())
    for name, cls in param_tables().items():
        assert shipped[name] == cls(), f"default.toml [{name}] differs from the declared defaults"
    p = write(tmp_path, "[activation]\nthreshold = 0.2\n", "p.toml")
    assert load_params(p)["activation"].threshold == 0.2
    p = write(tmp_path, "[activation]\nthreshold = 0.2\n\n[activaton]\nk = 1\n", "p.toml")
    with pytest.raises(ScenarioError, match=r"p.toml:4: activaton: unknown mechanism table; allowed: build, activation"):
        load_params(p)
    p = write(tmp_path, "[activation]\nthreshhold = 0.2\n", "p.toml")
    with pytest.raises(ScenarioError, match=r"p.toml:2: activation.threshhold: unknown parameter; allowed: k, "):
        load_params(p)
    p = write(tmp_path, "[activation]\nthreshold = 2.0\n", "p.toml")
    with pytest.raises(ScenarioError, match=r"p.toml:2: activation.threshold: 2.0 is not valid; allowed: a number in \[0.0, 1.0\]"):
        load_params(p)
