"""Engine parts: schema and state, RNG streams, torus geometry, CSR networks, recorder, loop."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from periphery.engine import CSRNetwork, Column, Recorder, Schema, Streams, TorusGrid, run
from periphery.engine.space import disk_offsets, moore_offsets, von_neumann_offsets


# --- state --------------------------------------------------------------------------------
def schema() -> Schema:
    return Schema((Column("agents", "x", "int32", "column"), Column("agents", "w", "float64", "wealth"),
                   Column("countries", "legit", "float32", "legitimacy")))


def test_schema_allocates_declared_columns():
    s = schema().allocate({"agents": 5, "countries": 2})
    assert s.agents.x.dtype == np.int32 and s.agents.x.shape == (5,)
    assert s.countries.legit.dtype == np.float32
    assert s.get("agents.w").shape == (5,)
    assert schema().entities == ("agents", "countries")
    assert "agents.w" in schema() and "agents.y" not in schema()


def test_state_keeps_dtype_and_shape_on_assignment():
    s = schema().allocate({"agents": 3, "countries": 1})
    s.agents.x = np.array([1.7, 2.2, 3.9])
    assert s.agents.x.dtype == np.int32
    with pytest.raises(ValueError, match="shape"):
        s.agents.x = np.zeros(4)
    with pytest.raises(AttributeError, match="no column 'y'"):
        _ = s.agents.y


def test_schema_rejects_duplicates_and_missing_sizes():
    with pytest.raises(ValueError, match="twice"):
        Schema((Column("a", "x", "int8", ""), Column("a", "x", "int8", "")))
    with pytest.raises(ValueError, match="countries"):
        schema().allocate({"agents": 3})


def test_state_copy_is_deep():
    s = schema().allocate({"agents": 3, "countries": 1})
    c = s.copy()
    c.agents.w[:] = 1.0
    assert s.agents.w.sum() == 0.0
    assert s.nbytes() == 3 * 4 + 3 * 8 + 4


# --- rng ----------------------------------------------------------------------------------
def test_streams_are_reproducible_and_independent():
    a, b = Streams(42), Streams(42)
    assert np.array_equal(a("move").random(5), b("move").random(5))
    # drawing from one stream does not shift another
    c = Streams(42)
    c("other").random(100)
    assert np.array_equal(Streams(42)("move").random(5), c("move").random(5))
    assert not np.array_equal(Streams(42)("move").random(5), Streams(42)("order").random(5))
    assert not np.array_equal(Streams(1)("move").random(5), Streams(2)("move").random(5))


def test_spawned_children_differ_from_named_streams_and_each_other():
    s = Streams(7)
    kids = s.spawn(3)
    draws = [np.random.default_rng(k).random(4) for k in kids]
    assert not np.array_equal(draws[0], draws[1])
    assert Streams(kids[0])("x").random() == Streams(Streams(7).spawn(3)[0])("x").random()
    with pytest.raises(ValueError):
        Streams(-1)


# --- space --------------------------------------------------------------------------------
@pytest.mark.parametrize("r", [1, 2, 3, 7])
def test_neighbourhood_sizes(r):
    assert len(von_neumann_offsets(r)) == 2 * r * (r + 1)
    assert len(moore_offsets(r)) == (2 * r + 1) ** 2 - 1
    assert (np.abs(von_neumann_offsets(r)).sum(axis=1) <= r).all()
    assert len(disk_offsets(1.0)) == 4 and len(disk_offsets(1.5)) == 8


@given(w=st.integers(1, 50), h=st.integers(1, 50), x=st.integers(-200, 200), y=st.integers(-200, 200))
def test_torus_index_round_trip(w, h, x, y):
    g = TorusGrid(w, h)
    i = g.index(x, y)
    assert 0 <= i < g.n_cells
    assert g.coords(i) == (x % w, y % h)


def test_torus_refuses_self_overlapping_neighbourhoods():
    with pytest.raises(ValueError, match="spans 15x15"):
        TorusGrid(10, 40).check_offsets(von_neumann_offsets(7))


def test_fill_by_category_shares():
    g = TorusGrid(300, 300)
    cat = g.fill_by_category(np.random.default_rng(0), [0.7, 0.774])
    shares = np.bincount(cat, minlength=3) / g.n_cells
    # 90 000 independent cells: standard error of a share is below 0.0016, tolerance 4 SE.
    assert np.allclose(shares, [0.7, 0.074, 0.226], atol=0.0064)


# --- network ------------------------------------------------------------------------------
def test_csr_from_edges_symmetric_dedup():
    net = CSRNetwork.from_edges(4, [0, 0, 1, 2, 3], [1, 1, 2, 2, 0])
    assert list(net.neighbors(0)) == [1, 3]
    assert list(net.neighbors(2)) == [1]  # self-loop dropped
    assert net.degree.tolist() == [2, 2, 1, 1]
    assert net.neighbor_sum(np.array([1.0, 10.0, 100.0, 1000.0])).tolist() == [1010.0, 101.0, 10.0, 1.0]


def test_csr_validates_shape():
    with pytest.raises(ValueError):
        CSRNetwork(3, np.array([0, 1, 2]), np.array([1, 0], dtype=np.int32))


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 300), k=st.floats(0.5, 10), seed=st.integers(0, 1000))
def test_random_networks_are_symmetric(n, k, seed):
    net = CSRNetwork.erdos_renyi(n, k, np.random.default_rng(seed))
    dense = np.zeros((n, n), bool)
    for i in range(n):
        dense[i, net.neighbors(i)] = True
    assert (dense == dense.T).all() and not dense.diagonal().any()


def test_ring_lattice_and_small_world_degrees():
    ring = CSRNetwork.ring_lattice(100, 3)
    assert (ring.degree == 6).all()
    ws = CSRNetwork.watts_strogatz(2000, 3, 0.1, np.random.default_rng(1))
    assert abs(ws.degree.mean() - 6) < 0.2


# --- recorder and loop --------------------------------------------------------------------
class Counter:
    def __init__(self):
        self.t = 0

    def step(self):
        self.t += 1

    def observe(self):
        return {"t": self.t, "half": self.t / 2}


def test_loop_records_initial_state_and_every_step():
    seen = []
    rec = run(Counter(), 5, progress=seen.append, every=2)
    tab = rec.to_arrow()
    assert tab.column_names == ["step", "t", "half"]
    assert tab.column("t").to_pylist() == [0, 1, 2, 3, 4, 5]
    assert tab.column("half").to_pylist()[-1] == 2.5
    assert seen == [2, 4, 5]
    with pytest.raises(ValueError):
        run(Counter(), -1)


def test_recorder_grows_and_checks_columns():
    rec = Recorder(capacity=1)
    for i in range(100):
        rec.record(i, {"a": i})
    assert len(rec) == 100 and rec.column("a")[-1] == 99
    with pytest.raises(ValueError, match="expected"):
        rec.record(100, {"b": 1})


# --- episodes -----------------------------------------------------------------------------
def test_episodes_find_maximal_runs_above_level():
    from periphery.engine.episodes import episodes

    x = np.array([0, 60, 70, 10, 51, 51, 51, 0, 100])
    ep = episodes(x, 50)
    assert ep.start.tolist() == [1, 4, 8]
    assert ep.end.tolist() == [3, 7, 9]
    assert ep.total.tolist() == [130, 153, 100]
    assert ep.peak.tolist() == [70, 51, 100]
    assert ep.waiting.tolist() == [3, 4]
    assert ep.duration.tolist() == [2, 3, 1]
    assert len(episodes(np.array([50, 50]), 50)) == 0
