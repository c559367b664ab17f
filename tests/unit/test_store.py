"""The run store: ids, atomic writes, the catalog, and what an interrupted run leaves behind."""

from __future__ import annotations

import pyarrow as pa
import pytest

from periphery.store import RunStore, StoreError, atomic, code_version, run_id
from periphery.store import catalog as catalog_mod


def identity(**kw):
    base = {"model": "m", "params": {"a": 1, "b": 0.5}, "seed": 3, "steps": 2,
            "code_version": code_version()}  # fmt: skip
    return {**base, **kw}


def table():
    return pa.table({"step": [0, 1, 2], "x": [1.0, 2.0, 3.5]})


def test_run_id_depends_on_content_not_key_order():
    a = identity()
    b = dict(reversed(list(a.items())))
    b["params"] = {"b": 0.5, "a": 1}
    assert run_id(a) == run_id(b)
    for change in ({"seed": 4}, {"steps": 3}, {"params": {"a": 2, "b": 0.5}}, {"model": "n"},
                   {"code_version": "other"}):  # fmt: skip
        assert run_id(identity(**change)) != run_id(a), change


def test_code_version_is_stable_within_a_process():
    assert code_version() == code_version() and "+" in code_version()


def test_save_list_resolve_read(tmp_path):
    store = RunStore(tmp_path)
    rid = store.save(identity(), table(), 0.25)
    rows = store.list()
    assert [r["run_id"] for r in rows] == [rid] and rows[0]["status"] == "done"
    assert store.resolve(rid[:5]) == rid
    back = store.read_series(rid)
    assert back.column("run_id").to_pylist() == [rid] * 3
    assert back.column("x").to_pylist() == [1.0, 2.0, 3.5]
    assert store.manifest(rid)["params"] == {"a": 1, "b": 0.5}
    assert store.check() == []
    # saving the same run again replaces it: one row, not two
    store.save(identity(), table(), 0.5)
    assert len(store.list()) == 1


def test_unknown_and_ambiguous_prefixes(tmp_path):
    store = RunStore(tmp_path)
    ids = {store.save(identity(seed=s), table(), 0.1) for s in range(40)}
    with pytest.raises(StoreError, match="no run"):
        store.resolve("ffffffffffffffff0")
    first = sorted(ids)[0][0]
    if sum(i.startswith(first) for i in ids) > 1:
        with pytest.raises(StoreError, match="ambiguous"):
            store.resolve(first)


def test_failed_write_leaves_no_file_and_no_temporary(tmp_path):
    target = tmp_path / "x.parquet"

    def broken(path):
        path.write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        atomic._atomic(target, broken)
    assert list(tmp_path.iterdir()) == []


def test_crash_before_catalog_leaves_an_orphan_the_catalog_does_not_list(tmp_path, monkeypatch):
    store = RunStore(tmp_path)
    kept = store.save(identity(seed=1), table(), 0.1)

    def crash(*_a, **_k):
        raise KeyboardInterrupt  # as if the process died after writing its files

    monkeypatch.setattr(catalog_mod.RunStore, "_connect", crash)
    with pytest.raises(KeyboardInterrupt):
        store.save(identity(seed=2), table(), 0.1)
    monkeypatch.undo()
    assert [r["run_id"] for r in store.list()] == [kept]
    problems = store.check()
    assert len(problems) == 1 and "not in the catalog" in problems[0]


def test_reading_needs_a_catalog(tmp_path):
    with pytest.raises(StoreError, match="no catalog"):
        RunStore(tmp_path / "nothing").list()
    assert not (tmp_path / "nothing").exists()
