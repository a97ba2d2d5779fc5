"""The sweep engine: formats, in-memory results, atomic output, interruption and resume."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from interrupt import Stop, interrupt_after

import credibility as cr
from credibility.errors import CredibilityError
from credibility.sweeps import SweepResult, parse_grid

DATA = Path(__file__).parent / "data"
TREE = DATA / "sweep_deterrence.toml"
GRID = dict([parse_grid("p=0:1:41"), parse_grid("c=0:5:31")])


@pytest.fixture(scope="module")
def tree():
    return cr.load(TREE)


def test_in_memory_result_holds_arrays_and_a_summary(tree):
    result = cr.sweep(tree, GRID, chunk_size=100)
    assert isinstance(result, SweepResult)
    assert result.column_names == (
        "p",
        "c",
        "outcome",
        "n_equilibria",
        "path",
        "payoff_Challenger",
        "payoff_Defender",
    )
    assert result.points == 41 * 31 == len(result.columns["outcome"])
    assert sum(result.outcomes.values()) == result.points
    assert result.columns["p"][31] == 1 / 40 and result.columns["c"][1] == 5 / 30
    assert not result.columns["p"].flags.writeable
    summary = result.to_summary()
    assert summary["format"] == 1 and summary["output"] is None
    assert float(summary["seconds"]) >= 0
    pytest.importorskip("pandas")
    frame = result.to_pandas()
    assert list(frame.columns) == list(result.column_names) and len(frame) == result.points


def test_chunk_size_does_not_change_the_rows(tree):
    one = cr.sweep(tree, GRID, chunk_size=7)
    other = cr.sweep(tree, GRID, chunk_size=10_000)
    for name in one.column_names:
        assert one.columns[name].tolist() == other.columns[name].tolist()
    assert one.outcomes == other.outcomes


def test_csv_jsonl_parquet_hold_the_same_rows(tree, tmp_path):
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    memory = cr.sweep(tree, GRID)
    paths = {suffix: tmp_path / f"map{suffix}" for suffix in (".csv", ".jsonl", ".parquet")}
    for path in paths.values():
        result = cr.sweep(tree, GRID, out=path, chunk_size=200)
        assert result.output == path and not result.columns
        assert result.outcomes == memory.outcomes
    lines = paths[".csv"].read_text().splitlines()
    assert lines[0] == "p,c,outcome,n_equilibria,path,payoff_Challenger,payoff_Defender"
    assert len(lines) == 1 + memory.points
    rows = [json.loads(line) for line in paths[".jsonl"].read_text().splitlines()]
    table = pq.read_table(paths[".parquet"]).to_pydict()
    for name in memory.column_names:
        expected = memory.columns[name].tolist()
        assert [row[name] for row in rows] == expected
        assert table[name] == expected
    first = lines[1].split(",")
    assert [float(first[0]), float(first[1])] == [0.0, 0.0]


def test_unknown_suffix_and_missing_folder(tree, tmp_path):
    with pytest.raises(CredibilityError, match=r"map.txt: expected a .csv, .jsonl or .parquet"):
        cr.sweep(tree, GRID, out=tmp_path / "map.txt")
    with pytest.raises(CredibilityError, match="the output's folder does not exist"):
        cr.sweep(tree, GRID, out=tmp_path / "no" / "map.csv")


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_interrupted_sweep_resumes_to_the_same_bytes(tree, tmp_path, monkeypatch, suffix):
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    whole = tmp_path / f"whole{suffix}"
    cr.sweep(tree, GRID, out=whole, chunk_size=150)
    out = tmp_path / f"map{suffix}"
    with monkeypatch.context() as patch:
        interrupt_after(patch, 3)
        with pytest.raises(Stop):
            cr.sweep(tree, GRID, out=out, chunk_size=150)
    assert not out.exists()
    partial = tmp_path / f"map{suffix}.partial"
    assert json.loads((partial / "manifest.json").read_text())["chunks_done"] == 3
    if suffix != ".parquet":  # a chunk half written when the process died
        with (partial / "data").open("ab") as data:
            data.write(b"0.5,garbage")
    with pytest.raises(CredibilityError, match="holds an interrupted sweep: give resume=True"):
        cr.sweep(tree, GRID, out=out, chunk_size=150)
    result = cr.sweep(tree, GRID, out=out, chunk_size=150, resume=True)
    assert out.read_bytes() == whole.read_bytes()
    assert not partial.exists()
    assert result.points == 41 * 31 and sum(result.outcomes.values()) == result.points


def test_resume_with_other_arguments_is_refused(tree, tmp_path, monkeypatch):
    out = tmp_path / "map.csv"
    with monkeypatch.context() as patch:
        interrupt_after(patch, 1)
        with pytest.raises(Stop):
            cr.sweep(tree, GRID, out=out, chunk_size=150)
    other = dict([parse_grid("p=0:1:42"), parse_grid("c=0:5:31")])
    with pytest.raises(CredibilityError) as error:
        cr.sweep(tree, other, out=out, chunk_size=150, resume=True)
    assert "it was started with different arguments (grid: " in str(error.value)
    assert "p=0:1:41" in str(error.value) and "p=0:1:42" in str(error.value)
    with pytest.raises(CredibilityError, match=r"\(chunk_size: 150 then, 151 now\)"):
        cr.sweep(tree, GRID, out=out, chunk_size=151, resume=True)
    grid = dict([parse_grid("p=0:1:41")])
    with pytest.raises(CredibilityError, match=r'params: {} then, {"c": "1"} now'):
        cr.sweep(tree, grid, {"c": 1}, out=out, chunk_size=150, resume=True)


def test_resume_without_a_partial_sweep_starts_afresh(tree, tmp_path):
    out = tmp_path / "map.csv"
    cr.sweep(tree, GRID, out=out, resume=True)
    assert out.read_text().count("\n") == 1 + 41 * 31


@pytest.mark.slow  # a real sweep in a child process, killed and resumed: about ten seconds
def test_a_killed_process_leaves_a_resumable_sweep(tmp_path):
    # A real kill (SIGKILL) at an arbitrary moment, then --resume: same bytes as one run.
    args = [
        sys.executable,
        "-m",
        "cli",
        "sweep",
        str(TREE),
        "--grid",
        "p=0:1:400",
        "--grid",
        "c=0:5:300",
        "--chunk-size",
        "2000",
        "--quiet",
    ]
    root = Path(__file__).resolve().parent.parent
    subprocess.run([*args, "--out", str(tmp_path / "whole.csv")], check=True, cwd=root)
    out = tmp_path / "map.csv"
    process = subprocess.Popen([*args, "--out", str(out)], cwd=root)
    manifest = tmp_path / "map.csv.partial" / "manifest.json"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if manifest.exists() and json.loads(manifest.read_text())["chunks_done"] >= 2:
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    if out.exists():  # finished before the kill: nothing to resume
        pytest.skip("the sweep finished before it could be killed")
    subprocess.run([*args, "--out", str(out), "--resume"], check=True, cwd=root)
    assert out.read_bytes() == (tmp_path / "whole.csv").read_bytes()


def test_signalling_sweep_counts_pure_equilibria_and_flags_mixed_classes(tmp_path):
    # Fearon (1997): separation for v_i <= m <= v_r - w, i.e. m in [1, 3] at the defaults.
    game = cr.load("sinking_costs")
    result = cr.sweep(game, dict([parse_grid("m=0:4:9")]), {"q": "1/2"})
    assert result.columns["n_separating"].tolist() == [0, 0, 1, 1, 1, 1, 1, 0, 0]
    assert all("separating" in label.split(" + ") for label in result.columns["outcome"][2:7])
    assert result.columns["semi_separating"].tolist() == [1, 1, 1, 1, 1, 1, 1, 0, 0]
    assert np.all(
        result.columns["n_equilibria"]
        == result.columns["n_separating"] + result.columns["n_pooling"]
    )


def test_bimatrix_sweeps_run_through_the_dispatch():
    game = cr.load("chicken")
    name = game.parameters[0].name
    result = cr.sweep(game, {name: [1, 3, 5]})
    assert result.column_names[:3] == (name, "outcome", "n_equilibria")
    assert result.points == 3 and all(result.columns["outcome"])
    assert all(n >= 1 for n in result.columns["n_equilibria"].tolist())


def test_writers_take_any_evaluator_columns():
    # Columns another evaluator may return: numpy str, bool, None in objects, int32, -0.0.
    from credibility.sweeps.writers import CsvFormat, JsonLinesFormat

    table = {
        "p": np.array([0.5, -0.0]),
        "outcome": np.array(["a", 'b,"c"']),
        "flag": np.array([True, False]),
        "note": np.array([None, "z"], dtype=object),
        "k": np.array([1, 2], dtype=np.int32),
    }
    assert CsvFormat().encode(table).decode() == '0.5,a,true,,1\n0.0,"b,""c""",false,z,2\n'
    rows = [json.loads(line) for line in JsonLinesFormat().encode(table).decode().splitlines()]
    assert rows == [
        {"p": 0.5, "outcome": "a", "flag": True, "note": None, "k": 1},
        {"p": 0.0, "outcome": 'b,"c"', "flag": False, "note": "z", "k": 2},
    ]
