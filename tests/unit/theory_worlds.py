"""Small built worlds for the behavioural tests of mechanism families: one place for the set-up."""

from periphery.engine.rng import Streams
from periphery.engine.schedule import stream_name
from periphery.models.world import build
from periphery.scenarios.schema import Country, Scenario
from periphery.theory.base import load_all
from periphery.theory.world_schema import CLASS_NAMES

REG = load_all()
PER = {n: 1 / 16 for n in CLASS_NAMES[:16]}


def country(name, regime="aligned", **kw):
    """A periphery country with every periphery class in equal shares; ``kw`` overrides fields."""
    base = dict(population_weight=1, legitimacy=0.5, repression=0.3, democratic_space=0.5, class_shares=PER)
    base.update(kw)
    return Country(name=name, regime=regime, **base)


def make(countries, orgs=(), timeline=(), agents=2000, framework="imp", seed=1):
    """A built world at month 1 with the timeline's first-month events applied."""
    sc = Scenario(name="t", description="test", cites=["test"], framework=framework, months=600, agents=agents,
                  countries=list(countries), organizations=list(orgs), timeline=list(timeline))
    w = build(sc, None, seed=seed)
    w.ctx.t = 1
    w._apply_events()
    return w


def run(name, w, steps=1, seed=0, **params):
    """Step the registered mechanism ``name`` alone on ``w`` with its own named stream."""
    cls = REG[name]
    p = cls.Params(**params)
    rng = Streams(seed)(stream_name(cls))
    m = cls()
    for _ in range(steps):
        m.step(w.state, p, rng, w.ctx)
        w.ctx.t += 1
