"""One contract every registered mechanism must pass (style.md section 3, point 8).

New family modules are picked up automatically through the registry (``theory.base.load_all``).
"""

import re
from pathlib import Path

import numpy as np
import pytest

from periphery.engine.schedule import contract_violations, stream_name
from periphery.engine.rng import Streams
from periphery.models.world import build
from periphery.scenarios.schema import Country, Event, Organization, Scenario
from periphery.theory import FRAMEWORK_NAMES, build_schedule, load_all
from periphery.theory.base import PHASES
from periphery.theory.world_schema import CLASS_NAMES, EVENT_NAMES, SPACES, schema

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / ".." / "shared"
SPEC = SHARED / "theory_spec.md"
SEEDS = SHARED / "seeds"

REGISTRY = load_all()
NAMES = sorted(REGISTRY)


def stress_scenario(agents=3000) -> Scenario:
    """Two periphery countries and a core country with every event kind active from month 1."""
    per = {n: 1 / 16 for n in CLASS_NAMES[:16]}
    core = {n: 1 / 6 for n in CLASS_NAMES[16:]}
    countries = [
        Country(name="alpha", regime="aligned", population_weight=1, legitimacy=0.4, repression=0.6,
                democratic_space=0.3, coca_share=0.4, indigenous_share=0.5,
                traditions={"armed": 0.8, "revolutionary": 0.5, "organizational": 0.5}, class_shares=per),
        Country(name="beta", regime="occupied", population_weight=1, legitimacy=0.2, repression=0.8,
                democratic_space=0.1, alternative_crop=True, coca_share=0.2, class_shares=per),
        Country(name="gamma", regime="core", population_weight=1, legitimacy=0.7, repression=0.1,
                democratic_space=0.9, class_shares=core),
    ]
    orgs = [Organization(name="union", country="alpha", class_base="public_employee", members_share=0.5),
            Organization(name="front", country="beta", members_share=0.2, armed=True, legal=False)]
    timeline = [Event(month=1, country=c.name, kind=k, intensity=0.9) for c in countries for k in EVENT_NAMES]
    return Scenario(name="stress", description="every driver at once", cites=["contract test"], framework="imp",
                    months=12, agents=agents, countries=countries, organizations=orgs, timeline=timeline)


@pytest.fixture(scope="module")
def states():
    """World states to test against: at the onset month (events just applied) and after 6 months."""
    w = build(stress_scenario(), None, seed=11)
    w.ctx.t = 1
    w._apply_events()
    onset = (w.state.copy(), 1)
    for _ in range(6):
        w.step()
    later = (w.state.copy(), w.ctx.t)
    return {"onset": onset, "later": later, "spaces": w.ctx.spaces}


def _ctx(states, t):
    from periphery.engine.schedule import Context

    return Context(t=t, spaces=states["spaces"])


def test_registry_is_not_empty_and_both_frameworks_schedule():
    assert len(REGISTRY) >= 5
    for fw in FRAMEWORK_NAMES:
        sched = build_schedule(fw)
        assert sched.names


@pytest.mark.parametrize("name", NAMES)
def test_builds_with_default_params(name):
    cls = REGISTRY[name]
    cls.Params()
    assert cls().name == name
    assert cls.phase in PHASES and cls.framework in ("shared", "imp", "tnc") and cls.family


@pytest.mark.parametrize("name", NAMES)
def test_reads_and_writes_exist_in_schema(name):
    cls = REGISTRY[name]
    sch = schema()
    for key in (*cls.reads, *cls.writes):
        if key.startswith("spaces."):
            assert key.split(".", 1)[1] in SPACES, key
        else:
            assert key in sch, f"{name}: {key} not in the world schema"
    assert cls.writes, f"{name} writes nothing"


@pytest.mark.parametrize("when", ["onset", "later"])
@pytest.mark.parametrize("name", NAMES)
def test_changes_only_declared_columns_keeping_dtypes_and_shapes(name, when, states):
    cls = REGISTRY[name]
    state, t = states[when]
    rng = Streams(5)(stream_name(cls))
    assert contract_violations(cls(), state, cls.Params(), rng, _ctx(states, t)) == []


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_output(name, states):
    cls = REGISTRY[name]
    state, t = states["later"]
    outs = []
    for _ in range(2):
        s = state.copy()
        cls().step(s, cls.Params(), Streams(9)(stream_name(cls)), _ctx(states, t))
        outs.append(s)
    for key in cls.writes:
        assert np.array_equal(outs[0].get(key), outs[1].get(key)), key


def _spec_mids() -> set[str]:
    return set(re.findall(r"^\*\*(M\d+)\*\*", SPEC.read_text(encoding="utf-8"), flags=re.M))


@pytest.mark.skipif(not SPEC.exists(), reason=f"theory_spec.md not found at {SPEC}")
@pytest.mark.parametrize("name", NAMES)
def test_mids_exist_in_theory_spec_and_cites_name_a_seed_file(name):
    cls = REGISTRY[name]
    known = _spec_mids()
    assert len(known) == 144
    for mid in cls.mids:
        assert mid in known, f"{name}: {mid} is not an M-id of theory_spec.md"
    seeds = {p.name for p in SEEDS.glob("*.txt")}
    if cls.mids:
        assert cls.cites
        for cite in cls.cites:
            assert cite.split()[0] in seeds, f"{name}: cite {cite!r} does not start with a seed file name"
        doc = (cls.__doc__ or "").strip()
        assert doc.startswith(", ".join(cls.mids) + ":"), f"{name}: docstring must open with its M-ids"
