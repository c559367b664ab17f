import numpy as np
import pytest

from periphery.engine.params import Params, param
from periphery.engine.rng import Streams
from periphery.engine.schedule import Context, Mechanism, Schedule, ScheduleError, contract_violations
from periphery.engine.state import Column, Schema

SCHEMA = Schema((
    Column("things", "a", "float64", "input"),
    Column("things", "b", "float64", "derived"),
    Column("things", "c", "int32", "other"),
))


class WritesB(Mechanism):
    name = "writes_b"
    reads = ("things.a",)
    writes = ("things.b",)

    class Params(Params):
        scale: float = param(2.0, ge=0, unit="", why="test", description="factor")

    def step(self, state, params, rng, ctx):
        state.things.b[:] = state.things.a * params.scale


class ReadsB(Mechanism):
    name = "reads_b"
    reads = ("things.b",)
    writes = ("things.c",)

    def step(self, state, params, rng, ctx):
        state.things.c[:] = (state.things.b > 1).astype(np.int32)


class Sneaky(Mechanism):
    name = "sneaky"
    reads = ("things.a",)
    writes = ("things.b",)

    def step(self, state, params, rng, ctx):
        state.things.c[:] = 7  # not declared


def test_read_without_writer_is_one_line_error_naming_mechanism_and_column():
    with pytest.raises(ScheduleError) as e:
        Schedule([ReadsB()], initialized={"things.a"}, schema=SCHEMA)
    msg = str(e.value)
    assert "'reads_b'" in msg and "'things.b'" in msg and "\n" not in msg


def test_read_written_by_a_mechanism_or_initialised_is_accepted():
    Schedule([WritesB(), ReadsB()], initialized={"things.a"}, schema=SCHEMA)
    Schedule([ReadsB(), WritesB()], initialized={"things.a"}, schema=SCHEMA)  # lagged read
    Schedule([ReadsB()], initialized={"things.b"}, schema=SCHEMA)


def test_missing_initialisation_of_input_is_an_error():
    with pytest.raises(ScheduleError, match="'writes_b' reads 'things.a'"):
        Schedule([WritesB()], initialized=(), schema=SCHEMA)


def test_undeclared_column_and_duplicate_name_are_errors():
    class Bad(WritesB):
        name = "bad"
        writes = ("things.zzz",)

    with pytest.raises(ScheduleError, match="'bad' declares 'things.zzz'"):
        Schedule([Bad()], initialized={"things.a"}, schema=SCHEMA)
    with pytest.raises(ScheduleError, match="appears twice"):
        Schedule([WritesB(), WritesB()], initialized={"things.a"}, schema=SCHEMA)


def test_schedule_runs_in_order_with_each_mechanism_params():
    state = SCHEMA.allocate({"things": 4})
    state.things.a[:] = [0.0, 0.4, 0.6, 1.0]
    sched = Schedule([WritesB(), ReadsB()], initialized={"things.a"}, schema=SCHEMA)
    sched.step(state, {"writes_b": WritesB.Params(), "reads_b": Params()}, Streams(0), Context(t=1))
    assert state.things.c.tolist() == [0, 0, 1, 1]
    assert sched.writers("things.b") == ("writes_b",)


def test_contract_check_catches_undeclared_writes_and_passes_honest_mechanisms():
    state = SCHEMA.allocate({"things": 3})
    state.things.a[:] = 1.0
    rng = np.random.default_rng(0)
    assert contract_violations(WritesB(), state, WritesB.Params(), rng, Context()) == []
    problems = contract_violations(Sneaky(), state, Params(), rng, Context())
    assert problems == ["sneaky: changed things.c, which it does not declare in writes"]
    assert state.things.c.tolist() == [0, 0, 0]  # the given state is untouched
