"""A sweep on a local Dask cluster of two workers writes the same bytes as one in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

import credibility as cr
from credibility.errors import CredibilityError
from credibility.sweeps import parse_grid

pytest.importorskip("distributed")

TREE = Path(__file__).parent / "data" / "sweep_deterrence.toml"


def test_two_local_workers_write_the_same_file(tmp_path):
    game = cr.load(TREE)
    grid = dict([parse_grid("p=0:1:120"), parse_grid("c=0:5:90")])
    here = cr.sweep(game, grid, out=tmp_path / "here.csv", chunk_size=1000)
    there = cr.sweep(game, grid, out=tmp_path / "there.csv", chunk_size=1000, workers=2)
    assert (tmp_path / "there.csv").read_bytes() == (tmp_path / "here.csv").read_bytes()
    assert there.outcomes == here.outcomes
    signalling = cr.load("sinking_costs")
    grid = dict([parse_grid("m=0:5:40"), parse_grid("q=0:1:30")])
    memory = cr.sweep(signalling, grid, chunk_size=100)
    remote = cr.sweep(signalling, grid, chunk_size=100, workers=2)
    for name in memory.column_names:
        assert remote.columns[name].tolist() == memory.columns[name].tolist()


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path):
    import dask

    game = cr.load(TREE)
    with (
        dask.config.set({"distributed.comm.timeouts.connect": "1s"}),
        pytest.raises(
            CredibilityError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"
        ),
    ):
        cr.sweep(game, {"p": [0, 1]}, scheduler="tcp://127.0.0.1:9")


def test_an_existing_dask_cluster_writes_the_same_file(tmp_path):
    from distributed import LocalCluster

    game = cr.load("chicken")  # a bimatrix sweep: coded labels, chunks as buffers
    grid = dict([parse_grid("c_row=0:4:41"), parse_grid("l_column=-3:0:31")])
    here = cr.sweep(game, grid, out=tmp_path / "here.csv", chunk_size=300)
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        there = cr.sweep(
            game,
            grid,
            out=tmp_path / "there.csv",
            chunk_size=300,
            scheduler=cluster.scheduler_address,
        )
    assert (tmp_path / "there.csv").read_bytes() == (tmp_path / "here.csv").read_bytes()
    assert there.outcomes == here.outcomes
