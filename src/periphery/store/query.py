"""SQL over an output folder: the catalog's tables plus views over every stored time series.

``connect(root)`` opens the catalog read-only and adds these views (``docs/store.md`` is the
reference for their columns):

``results``
    one row per run: ``run_id, model, target, seed, steps, status``, then one column per
    parameter and one per summary outcome, e.g. ``legitimacy`` and ``peak_active``;
``parameters``, ``outcomes``
    long form of the same: ``run_id, name, value`` (``value`` DOUBLE; ``text`` keeps
    non-numeric parameter values);
``series``
    every stored per-step aggregate in long form: ``run_id, step, variable, value``;
``series_wide``
    the same, one row per run and step, one column per recorded aggregate.

The catalog tables ``runs``, ``sweeps``, ``sweep_runs``, ``parts`` and ``events`` are there as
stored. Before a query that reads the series, every part is checked against its recorded size
and Parquet footer, and hashed against its recorded SHA-256 if it was modified since it was
recorded, so a truncated or altered file is an error naming it, never rows silently missing
from (or wrong in) an answer.
"""

from __future__ import annotations

import re
from typing import Any

import duckdb

from periphery.store.catalog import RunStore, StoreError
from periphery.store.parts import verify

# Columns of ``results`` that come from ``runs`` itself; a parameter with one of these names
# is shown as ``param_<name>``.
_RESULT_BASE = ("run_id", "model", "target", "seed", "steps", "status")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect(store: RunStore, check_parts: bool = True) -> duckdb.DuckDBPyConnection:
    """A read-only connection to ``store``'s catalog with the query views defined.

    Raises
    ------
    StoreError
        No catalog, an unreadable one, or (with ``check_parts``) a part that is missing,
        truncated or corrupt; the message names the file.
    """
    with store._connect(write=False):  # existence, readability and migration
        pass
    con = store._open(read_only=True)
    try:
        parts = con.execute(
            "SELECT DISTINCT r.series_path, p.bytes, p.sha256, p.mtime_ns FROM runs r LEFT JOIN "
            "parts p ON p.path = r.series_path WHERE r.status = 'done' AND r.series_path IS NOT "
            "NULL ORDER BY 1").fetchall()  # fmt: skip
        if check_parts:
            for rel, size, sha, mtime in parts:
                problem = verify(store.root, rel, size, sha, mtime) if size is not None else None
                if problem is None and size is None and not (store.root / rel).exists():
                    problem = f"{store.root / rel}: series file is missing"
                if problem:
                    raise StoreError(problem)
        _series_views(con, store, [p[0] for p in parts])
        _long_views(con)
        _results_view(con)
    except BaseException:
        con.close()
        raise
    return con


def _series_views(con: duckdb.DuckDBPyConnection, store: RunStore, rels: list[str]) -> None:
    root = store.root.resolve()
    if not rels:  # nothing stored yet: empty views with the documented columns
        con.execute("CREATE TEMP VIEW series_wide AS SELECT NULL::VARCHAR AS run_id, "
                    "NULL::BIGINT AS step WHERE false")  # fmt: skip
        con.execute("CREATE TEMP VIEW series AS SELECT NULL::VARCHAR AS run_id, NULL::BIGINT AS "
                    "step, NULL::VARCHAR AS variable, NULL::DOUBLE AS value WHERE false")  # fmt: skip
        return
    files = ", ".join(_lit(str(root / rel)) for rel in rels)
    # A run's rows count only from the file the catalog names for it: a part rewritten by a
    # resumed or repeated sweep never contributes the same run twice.
    con.execute(
        f"CREATE TEMP VIEW series_wide AS SELECT s.* EXCLUDE (filename) FROM read_parquet("
        f"[{files}], union_by_name = true, filename = true) s JOIN (SELECT run_id, "
        f"{_lit(str(root) + '/')} || series_path AS filename FROM runs WHERE status = 'done') "
        f"r ON s.run_id = r.run_id AND s.filename = r.filename")  # fmt: skip
    con.execute(
        "CREATE TEMP VIEW series AS UNPIVOT (SELECT run_id, step, "
        "COLUMNS(* EXCLUDE (run_id, step))::DOUBLE FROM series_wide) "
        "ON COLUMNS(* EXCLUDE (run_id, step)) INTO NAME variable VALUE value")  # fmt: skip


def _leaves(column: str) -> str:
    # Leaves of a JSON column with dotted names: world-model parameters are nested by table
    # ({"grievance": {"weight": 0.5}}) and are named ``grievance.weight``, as in ``--set``.
    return (
        f"SELECT r.run_id, replace(regexp_replace(j.fullkey, '^\\$\\.', ''), '\"', '') AS name, "
        f"j.fullkey AS path, j.value FROM runs r, json_tree(r.{column}) j "
        f"WHERE r.{column} IS NOT NULL AND j.type NOT IN ('OBJECT', 'ARRAY')"
    )


def _long_views(con: duckdb.DuckDBPyConnection) -> None:
    for view, column in (("parameters", "params"), ("outcomes", "outcomes")):
        con.execute(
            f"CREATE TEMP VIEW {view} AS SELECT run_id, name, TRY_CAST(value AS DOUBLE) AS value, "
            f"value ->> '$' AS text FROM ({_leaves(column)})")  # fmt: skip


def _results_view(con: duckdb.DuckDBPyConnection) -> None:
    kinds = con.execute(
        f"SELECT 'p' AS src, name, any_value(path), list_distinct(list(json_type(value))) "
        f"FROM ({_leaves('params')}) GROUP BY 1, 2 UNION ALL SELECT 'o', name, any_value(path), [] "
        f"FROM ({_leaves('outcomes')}) GROUP BY 1, 2 ORDER BY 1 DESC, 2").fetchall()  # fmt: skip
    cols = [f"r.{c}" for c in _RESULT_BASE]
    taken = set(_RESULT_BASE)
    for src, key, path, types in kinds:
        column = "params" if src == "p" else "outcomes"
        types = set(types) - {"NULL"}
        if src == "o" or types <= {"DOUBLE", "UBIGINT", "BIGINT"}:
            expr = f"TRY_CAST(json_extract(r.{column}, {_lit(path)}) AS DOUBLE)"
        elif types == {"BOOLEAN"}:
            expr = f"TRY_CAST(json_extract(r.{column}, {_lit(path)}) AS BOOLEAN)"
        else:
            expr = f"json_extract_string(r.{column}, {_lit(path)})"
        name = key if key not in taken else f"{'param' if src == 'p' else 'outcome'}_{key}"
        taken.add(name)
        cols.append(f"{expr} AS {_q(name)}")
    con.execute(f"CREATE TEMP VIEW results AS SELECT {', '.join(cols)} FROM runs r")


def query(store: RunStore, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run ``sql`` over ``store`` and return its column names and rows.

    Raises
    ------
    StoreError
        A problem with the store (naming the file) or with the SQL (DuckDB's message).
    """
    reads_series = re.search(r"\bseries", sql, re.IGNORECASE) is not None
    con = connect(store, check_parts=reads_series)
    try:
        cur = con.execute(sql)
        if cur.description is None:
            return [], []
        return [d[0] for d in cur.description], cur.fetchall()
    except duckdb.Error as exc:
        raise StoreError(f"query failed: {str(exc).splitlines()[0]}") from None
    finally:
        con.close()
