"""The ``periphery`` command end to end: runs, the store, and bad input.

Commands run in-process through ``periphery.cli.main`` (the console script's entry point), so
exit codes and the exact text on stdout and stderr are what a user sees.
"""

from __future__ import annotations

import json
import sys

import pyarrow.parquet as pq
import pytest

from periphery import cli


def periphery(capsys, *args: str) -> tuple[int, str, str]:
    old = sys.argv
    sys.argv = ["periphery", *args]
    try:
        cli.main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = old
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_writes_series_manifest_catalog_and_plot(tmp_path, capsys):
    out = tmp_path / "demo"
    code, text, err = periphery(capsys, "demo", "--out", str(out), "--steps", "60")
    assert code == 0, err
    png = next((out / "plots").glob("*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    assert str(png) in text and "series:" in text and "manifest:" in text
    series = pq.read_table(next((out / "series").glob("*.parquet")))
    assert series.num_rows == 61
    assert {"step", "quiet", "active", "jailed", "run_id"} <= set(series.column_names)
    manifest = json.loads(next((out / "manifests").glob("*.json")).read_text())
    assert manifest["params"]["legitimacy"] == 0.82 and manifest["seed"] == 1
    assert {"numpy", "numba", "python"} <= set(manifest["packages"])
    assert manifest["wall_seconds"] >= 0 and manifest["code_version"]


def test_same_run_same_id_and_identical_parquet_bytes(tmp_path, capsys):
    args = ["run", "civil-violence", "--steps", "40", "--seed", "7", "--set", "cop_density=0.05"]
    ids = []
    for name in ("a", "b"):
        code, text, err = periphery(capsys, *args, "--out", str(tmp_path / name))
        assert code == 0, err
        ids.append(text.split()[1].rstrip(":"))
    assert ids[0] == ids[1]
    a = (tmp_path / "a" / "series" / f"{ids[0]}.parquet").read_bytes()
    b = (tmp_path / "b" / "series" / f"{ids[1]}.parquet").read_bytes()
    assert a == b
    # a different seed is a different run
    code, text, _ = periphery(capsys, *args[:-4], "--seed", "8", "--set", "cop_density=0.05",
                              "--out", str(tmp_path / "a"))  # fmt: skip
    assert code == 0 and text.split()[1].rstrip(":") != ids[0]


def test_runs_list_show_and_check(tmp_path, capsys):
    out = str(tmp_path)
    code, text, _ = periphery(capsys, "run", "threshold", "--steps", "20", "--seed", "1",
                              "--set", "sd=15", "--out", out)  # fmt: skip
    assert code == 0
    rid = text.split()[1].rstrip(":")
    code, text, _ = periphery(capsys, "runs", "list", "--out", out)
    assert code == 0 and rid[:10] in text and "threshold" in text
    code, text, _ = periphery(capsys, "runs", "show", rid[:6], "--out", out)
    assert code == 0 and '"sd": 15.0' in text and "21 rows" in text
    code, text, _ = periphery(capsys, "runs", "check", "--out", out)
    assert code == 0 and "agree" in text
    # a truncated series is reported with its path, never read silently
    path = tmp_path / "series" / f"{rid}.parquet"
    path.write_bytes(path.read_bytes()[:100])
    code, _, err = periphery(capsys, "runs", "show", rid, "--out", out)
    assert code == 2 and str(path) in err and len(err.strip().splitlines()) == 1
    code, _, err = periphery(capsys, "runs", "check", "--out", out)
    assert code == 1 and str(path) in err


def test_models_lists_parameters_with_ranges(capsys):
    code, text, _ = periphery(capsys, "models")
    assert code == 0
    for word in ("civil-violence", "threshold", "legitimacy", "arrest_rule", "mean_degree"):
        assert word in text


BAD = [
    # (arguments, words the one-line error must contain)
    (["run", "civil-wars"], ["civil-wars", "allowed", "civil-violence", "threshold"]),
    (["run", "civil-violence", "--set", "hardship=2"], ["hardship", "allowed", "legitimacy"]),
    (["run", "civil-violence", "--set", "legitimacy=1.3"], ["legitimacy", "[0.0, 1.0]", "1.3"]),
    (["run", "civil-violence", "--set", "max_jail_term=ten"], ["max_jail_term", "integer"]),
    (["run", "civil-violence", "--set", "arrest_rule=ceil"], ["arrest_rule", "'mesa'", "'paper'"]),
    (["run", "civil-violence", "--set", "movement=maybe"], ["movement", "true or false"]),
    (["run", "civil-violence", "--set", "legitimacy"], ["legitimacy", "name=value"]),
    (["run", "civil-violence", "--steps", "-5"], ["--steps", ">= 0", "-5"]),
    (["run", "civil-violence", "--steps", "five"], ["--steps", "integer"]),
    (["run", "civil-violence", "--seed", "-1"], ["--seed", ">= 0"]),
    (["run", "threshold", "--set", "seeds_active=500", "--set", "n=100"], ["seeds_active", "n = 100"]),
]


@pytest.mark.parametrize("args,words", BAD, ids=[" ".join(a[1:]) for a, _ in BAD])
def test_bad_input_one_line_exit_2_nothing_written(tmp_path, capsys, args, words):
    out = tmp_path / "out"
    code, text, err = periphery(capsys, *args, "--out", str(out))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for w in words:
        assert w in lines[0], (w, lines[0])
    assert not out.exists()


def test_unwritable_output_folder(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, _, err = periphery(capsys, "run", "civil-violence", "--steps", "3",
                             "--out", str(blocker / "runs"))  # fmt: skip
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "--out" in err and "not a folder" in err and blocker.read_text() == "not a folder"


def test_corrupt_catalog_is_reported(tmp_path, capsys):
    (tmp_path / "catalog.duckdb").write_bytes(b"this is not a database" * 100)
    code, _, err = periphery(capsys, "runs", "list", "--out", str(tmp_path))
    assert code == 2 and "catalog.duckdb" in err and len(err.strip().splitlines()) == 1
