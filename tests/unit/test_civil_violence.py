"""Civil violence model: the compiled kernel against its literal twin, invariants, reproducibility."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from periphery.engine import run
from periphery.models.civil_violence import CivilViolence, CivilViolenceParams
from periphery.models.civil_violence_kernel import _round_half_even
from periphery.models.reference.civil_violence import reference_step

SMALL = dict(width=15, height=13, citizen_vision=3, cop_vision=3)


def assert_same(a: CivilViolence, b: CivilViolence) -> None:
    assert np.array_equal(a.snapshot(), b.snapshot())
    assert np.array_equal(a.cell, b.cell)
    assert np.array_equal(a.status, b.status)
    assert np.array_equal(a.jail, b.jail)
    assert np.array_equal(a.counts, b.counts)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    width=st.integers(9, 24),
    height=st.integers(9, 24),
    cit_v=st.integers(1, 4),
    cop_v=st.integers(1, 4),
    legitimacy=st.floats(0.3, 0.95),
    cop_density=st.floats(0.0, 0.15),
    max_jail=st.integers(0, 20),
    rule=st.sampled_from(["mesa", "netlogo", "paper"]),
    movement=st.booleans(),
)
def test_kernel_matches_literal_twin(seed, width, height, cit_v, cop_v, legitimacy, cop_density,
                                     max_jail, rule, movement):
    # Fed the same random numbers, the padded, branchless kernel must reproduce the plain
    # modulo-and-offset-list implementation exactly, step after step.
    p = CivilViolenceParams(width=width, height=height, citizen_vision=cit_v, cop_vision=cop_v,
                            legitimacy=legitimacy, cop_density=cop_density, citizen_density=0.6,
                            max_jail_term=max_jail, arrest_rule=rule, movement=movement)
    fast, slow = CivilViolence(p, seed), CivilViolence(p, seed)
    for _ in range(25):
        order, u = fast.draw()
        fast.apply(order, u)
        reference_step(slow, order, u)
        assert_same(fast, slow)


def test_invariants_hold_over_a_run():
    p = CivilViolenceParams(legitimacy=0.7, cop_density=0.04, max_jail_term=15, **SMALL)
    m = CivilViolence(p, seed=7)
    n_cit, n_cop = m.n_citizens, m.n_cops
    for _ in range(200):
        m.step()
        snap = m.snapshot().ravel()
        # every agent sits on its own cell, cell codes agree with agents, nobody is lost
        assert np.unique(m.cell).size == m.n_agents
        assert np.array_equal(m.grid_id[m.cell], np.arange(m.n_agents))
        assert (m.grid_id >= 0).sum() == m.n_agents
        assert (snap == 4).sum() == n_cop
        assert ((snap >= 1) & (snap <= 3)).sum() == n_cit
        cit = m.kind == 0
        for code, status in ((1, 0), (2, 1), (3, 2)):
            assert (snap[m.cell[cit]] == code).sum() == (m.status[cit] == status).sum()
        assert np.array_equal(m.counts, np.bincount(m.status[cit], minlength=3))
        assert m.counts.sum() == n_cit
        assert (m.jail >= 0).all() and (m.jail <= p.max_jail_term).all()
        assert (m.status[~cit] == 0).all()


def test_padding_mirrors_the_torus():
    m = CivilViolence(CivilViolenceParams(**SMALL, cop_density=0.05, legitimacy=0.6), seed=3)
    for _ in range(30):
        m.step()
    h = m._halo
    padded = m._pcode.reshape(m.params.width + 2 * h, m.params.height + 2 * h)
    assert np.array_equal(padded, np.pad(m.snapshot(), h, mode="wrap"))


def test_same_seed_same_trajectory_other_seed_differs():
    p = CivilViolenceParams(legitimacy=0.75, cop_density=0.04, max_jail_term=30, **SMALL)
    a = run(CivilViolence(p, 11), 100).to_arrow()
    b = run(CivilViolence(p, 11), 100).to_arrow()
    c = run(CivilViolence(p, 12), 100).to_arrow()
    assert a.equals(b)
    assert not a.equals(c)


def test_round_half_even_matches_python():
    for x in [0.0, 0.49, 0.5, 0.51, 1.5, 2.5, 3.5, 2.4999, 7.0, 1 / 3, 2 / 3]:
        assert _round_half_even(x) == round(x)


def test_no_cops_no_threshold_everyone_aggrieved_turns_active():
    # With no cops the arrest probability is 0, so a citizen is active iff H (1 - L) > T.
    p = CivilViolenceParams(cop_density=0.0, legitimacy=0.5, active_threshold=0.1, **SMALL)
    m = CivilViolence(p, seed=1)
    m.step()
    expected = int((m.hardship * 0.5 > 0.1).sum())
    assert m.observe()["active"] == expected


def test_full_legitimacy_means_no_rebellion():
    m = CivilViolence(CivilViolenceParams(legitimacy=1.0, cop_density=0.0, **SMALL), seed=2)
    rec = run(m, 20)
    assert rec.column("active").max() == 0


@pytest.mark.parametrize(
    "bad",
    [
        dict(legitimacy=1.2),
        dict(citizen_density=0.95, cop_density=0.1),
        dict(width=10, height=10, citizen_vision=7),
        dict(arrest_rule="median"),
        dict(max_jail_term=-1),
        dict(bogus=1),
    ],
)
def test_bad_parameters_are_rejected(bad):
    with pytest.raises(ValidationError):
        CivilViolenceParams(**bad)


def test_summary_of_a_known_series():
    from periphery.models.civil_violence_summary import summarize

    active = np.array([0, 60, 80, 0, 0, 55, 0, 10])
    jailed = np.array([0, 0, 10, 20, 20, 20, 30, 30])
    s = summarize(active, jailed, n_citizens=100)
    assert s.outbursts == 2
    assert s.waiting.tolist() == [4.0]
    assert s.activation.tolist() == [140.0, 55.0]
    assert s.share_active == pytest.approx(205 / 8 / 100)
    assert s.share_jailed == pytest.approx(130 / 8 / 100)
    assert s.peak_active == 80
    assert summarize(active, jailed, 100, skip=3).outbursts == 1
