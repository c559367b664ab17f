"""The shipped scenario files: they load, cite the seed texts, set no behavioural parameters, and
``scenarios/expected.toml`` (validation data, not a scenario) names real files and classes."""

import re
import tomllib
from pathlib import Path

import pytest

from periphery.scenarios import ScenarioError, load_scenario
from periphery.theory.frameworks import param_tables

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
SEEDS = ROOT / ".." / "shared" / "seeds"
EXPECTED = SCENARIOS / "expected.toml"
NOT_SCENARIOS = {"expected.toml"}
SEED_FILES = ("000_c5680132a7806926.txt", "001_f7b7902be34493f6.txt", "002_dc39e49cc22728c8.txt",
              "003_78c37153d0bc2d9c.txt")  # fmt: skip

FILES = sorted(p for p in SCENARIOS.glob("*.toml") if p.name not in NOT_SCENARIOS)
HISTORICAL = [p for p in FILES if not p.stem.startswith("teaching_")]
CITE = re.compile(r"^(" + "|".join(re.escape(s) for s in SEED_FILES) + r")\b(.*)$")
LINE = re.compile(r"\bL(\d+)(?:\s*-\s*L?(\d+))?")


def _all_cites(path: Path) -> list[str]:
    """Every cite string of a scenario file (top level, countries, organizations, events)."""
    s = load_scenario(path)
    out = list(s.cites)
    for part in (*s.countries, *s.organizations, *s.timeline):
        out += part.cites
    return out


def _seed_lines(name: str) -> list[str]:
    return (SEEDS / name).read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_scenario_file_loads(path):
    s = load_scenario(path)
    assert s.name == path.stem, "a scenario's name is its file stem"
    assert s.countries and s.months >= 1


@pytest.mark.parametrize("path", HISTORICAL, ids=lambda p: p.stem)
def test_historical_scenario_cites_a_seed_passage(path):
    cites = load_scenario(path).cites
    ok = any(CITE.match(c) and LINE.search(c) for c in cites)
    assert ok, f"{path.name}: no cite names a seed file and a line"


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed texts not found at {SEEDS}")
@pytest.mark.parametrize("path", HISTORICAL, ids=lambda p: p.stem)
def test_cited_seed_lines_exist_and_are_not_blank(path):
    for cite in _all_cites(path):
        m = CITE.match(cite)
        if not m:
            continue
        lines = _seed_lines(m.group(1))
        refs = m.group(2).split("(")[0]  # line refs before any parenthetical gloss
        for a, b in LINE.findall(refs):
            for n in (int(a), int(b or a)):
                where = f"{path.name}: {cite!r}: L{n} of {m.group(1)}"
                assert 1 <= n <= len(lines), f"{where} is past the end of the file"
                assert lines[n - 1].strip(), f"{where} is blank"


@pytest.mark.parametrize("table", ["activation", "arrests"])
def test_scenario_with_a_parameter_table_is_rejected_with_file_and_line(tmp_path, table):
    assert table in param_tables(), "the test needs a real mechanism table name"
    text = (SCENARIOS / "bolivia.toml").read_text(encoding="utf-8")
    n = len(text.splitlines())
    p = tmp_path / "with_params.toml"
    p.write_text(text + f"\n[{table}]\nk = 0.2\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    msg = str(e.value)
    assert "\n" not in msg
    assert msg.startswith(f"{p}:{n + 2}: {table}: unknown field"), msg


def test_scenario_files_set_no_behavioural_parameters():
    tables = set(param_tables())
    for path in FILES:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        clash = sorted(tables & set(data))
        assert not clash, f"{path.name} sets parameter tables {clash}"


def test_expected_names_existing_files_and_valid_classes():
    data = tomllib.loads(EXPECTED.read_text(encoding="utf-8"))
    assert set(data) <= {"p48", "unclassified", "other"}
    seen = []
    for section, rows in data.items():
        for row in rows:
            assert (SCENARIOS / row["file"]).is_file(), f"expected.toml: no file {row['file']}"
            assert row["file"] not in NOT_SCENARIOS
            assert row["cites"] and all(CITE.match(c) for c in row["cites"]), row["file"]
            if section == "p48":
                assert row["class"] in {"a", "b", "c"}, row
                until = row.get("score_until_month")
                if until is not None:
                    assert 60 <= until <= load_scenario(SCENARIOS / row["file"]).months, row
            seen.append(row["file"])
    assert len(seen) == len(set(seen)), "a file is listed twice in expected.toml"
    assert {r["class"] for r in data["p48"]} == {"a", "b", "c"}


def test_every_historical_scenario_has_an_expected_outcome():
    data = tomllib.loads(EXPECTED.read_text(encoding="utf-8"))
    listed = {row["file"] for rows in data.values() for row in rows}
    missing = [p.name for p in HISTORICAL if p.name not in listed]
    assert not missing, f"historical scenarios without an entry in expected.toml: {missing}"
