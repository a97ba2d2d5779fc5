"""credibility sweep on the command line: outputs, summary, help, exit codes and error text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli

TREE = str(Path(__file__).parent / "data" / "sweep_deterrence.toml")


def run(*args):
    return CliRunner().invoke(cli, ["sweep", *args])


def test_sweep_writes_csv_and_prints_a_summary(tmp_path):
    out = tmp_path / "map.csv"
    result = run(TREE, "--grid", "p=0:1:11", "--grid", "c=0:5:6", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "66 points in " in result.output and str(out) in result.output
    assert "Status quo" in result.output
    assert out.read_text().splitlines()[0].startswith("p,c,outcome,n_equilibria,path")


def test_json_summary_follows_the_contract(tmp_path):
    out = tmp_path / "map.jsonl"
    result = run(
        "sinking_costs",
        "--grid",
        "m=0:4:5",
        "--param",
        "q=1/2",
        "--out",
        str(out),
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["format"] == 1 and summary["points"] == 5
    assert summary["outcomes"] == {
        "pooling + semi-separating": 1,
        "separating + pooling + semi-separating": 3,
        "pooling": 1,
    }
    assert summary["output"] == str(out) and float(summary["seconds"]) >= 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows[2] == {
        "m": 2.0,
        "outcome": "separating + pooling + semi-separating",
        "n_equilibria": 2,
        "n_separating": 1,
        "n_pooling": 1,
        "semi_separating": 1,
    }


def test_plot_writes_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    out, png = tmp_path / "map.csv", tmp_path / "map.png"
    result = run(
        TREE, "--grid", "p=0:1:21", "--grid", "c=0:5:21", "--out", str(out), "--plot", str(png)
    )
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    line = tmp_path / "line.png"
    result = run(TREE, "--grid", "p=0:1:21", "--out", str(out), "--plot", str(line), "--overwrite")
    assert result.exit_code == 0, result.output
    assert line.stat().st_size > 0


def test_help_documents_the_columns():
    result = CliRunner().invoke(cli, ["sweep", "--help"])
    assert result.exit_code == 0
    assert "n_equilibria" in result.output and "payoff_PLAYER" in result.output
    assert "semi_separating" in result.output and "hybrid" not in result.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(
            ["--grid", "p=0:1"],
            2,
            "Invalid value for --grid: 'p=0:1': expected NAME=START:STOP:COUNT",
            id="malformed-grid",
        ),
        pytest.param(
            ["--grid", "p=0:1:3", "--grid", "p=1,2"],
            2,
            "parameter 'p' is swept twice",
            id="swept-twice",
        ),
        pytest.param(
            ["--grid", "p=0:1:3", "--workers", "2", "--scheduler", "tcp://x:1"],
            2,
            "give --workers or --scheduler, not both",
            id="workers-and-scheduler",
        ),
        pytest.param(
            ["--grid", "x=0:1:3"],
            1,
            "Error: cannot sweep 'x': not a parameter",
            id="unknown-parameter",
        ),
        pytest.param(
            ["--grid", "p=0:2:3"],
            1,
            "Error: swept parameter 'p' = 2 is above its maximum 1",
            id="out-of-bounds",
        ),
        pytest.param(
            ["--grid", "p=0:1:3", "--param", "p=1"],
            1,
            "Error: parameter 'p' is both swept and bound",
            id="swept-and-bound",
        ),
        pytest.param(
            ["--grid", "p=0:1:3", "--param", "c=9"],
            1,
            "Error: parameter 'c' = 9 is above its maximum 5",
            id="param-out-of-bounds",
        ),
        pytest.param(
            ["--grid", "p=0:1:3", "--grid", "c=0:1:2", "--plot", "x.png", "--out", "m.csv"],
            0,
            "",
            id="two-parameter-plot",
        ),
    ],
)
def test_errors_exit_with_one_line(tmp_path, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    if "--out" not in args:
        args = [*args, "--out", "map.csv"]
    result = run(TREE, *args)
    assert result.exit_code == code, result.output
    assert message in result.output
    if code:
        assert "Traceback" not in result.output
        assert not (tmp_path / "map.csv").exists()


def test_bad_output_suffix_and_partial_in_the_way(tmp_path):
    result = run(TREE, "--grid", "p=0:1:3", "--out", str(tmp_path / "map.txt"))
    assert result.exit_code == 1
    assert "map.txt: expected a .csv, .jsonl or .parquet file" in result.output
    (tmp_path / "map.csv.partial").mkdir()
    result = run(TREE, "--grid", "p=0:1:3", "--out", str(tmp_path / "map.csv"))
    assert result.exit_code == 1
    assert "map.csv.partial holds an interrupted sweep: add --resume to finish it" in result.output
    result = run(TREE, "--grid", "p=0:1:3", "--out", str(tmp_path / "map.csv"), "--resume")
    assert result.exit_code == 1
    assert "not a sweep's partial folder (no readable manifest.json)" in result.output


def test_plot_of_three_parameters_is_refused_before_the_work(tmp_path):
    result = run(
        "sinking_costs",
        "--grid",
        "m=0:1:2",
        "--grid",
        "q=0:1:2",
        "--grid",
        "c=1,2",
        "--out",
        str(tmp_path / "m.csv"),
        "--plot",
        str(tmp_path / "m.png"),
    )
    assert result.exit_code == 1
    assert "--plot draws one or two swept parameters, not 3" in result.output
    assert not (tmp_path / "m.csv.partial").exists()


def test_ctrl_c_says_how_to_resume(tmp_path, monkeypatch):
    import sys

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sys.modules["credibility.sweeps"], "sweep", interrupted)
    out = tmp_path / "map.csv"
    result = run(TREE, "--grid", "p=0:1:3", "--out", str(out))
    assert result.exit_code == 130
    assert f"interrupted: the completed chunks are kept in {out}.partial" in result.output
    assert "run the same command with --resume to finish" in result.output
