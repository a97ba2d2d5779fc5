"""Logit QRE: time per principal branch, ours vs pygambit, and a 10^6-point tree evaluation.

Run: ``.venv/bin/python benchmarks/bench_qre.py``. Prints, for the catalog bimatrix games
and random 2x2 to 4x4 games, the median seconds per branch traced to regret 1e-8 by
``credibility.quantal`` and by ``pygambit.qre.logit_solve_branch`` (and their ratio), the
largest difference of a probability between the two at fixed lambda, and the seconds for
the agent QRE of ``unilateral_deterrence`` on a 1000 lambda x 1000 p grid.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

import credibility as cr
from credibility.quantal.branch import trace_branch
from credibility.quantal.tree import qre_grid


def _games() -> list[tuple[str, np.ndarray, np.ndarray]]:
    out = []
    for name in cr.catalog_names():
        game = cr.load(name)
        if game.kind == "bimatrix":
            A, B = game.numeric(game.bind())
            out.append((name, np.array(A, float), np.array(B, float)))
    rng = np.random.default_rng(2005)
    for m, n in [(2, 2), (3, 3), (4, 4)]:
        for k in range(5):
            A, B = rng.integers(-9, 10, (m, n)), rng.integers(-9, 10, (m, n))
            out.append((f"random {m}x{n} #{k}", A.astype(float), B.astype(float)))
    return out


def _time(run, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    try:
        import pygambit as gbt
    except ImportError:
        gbt = None
    print(f"{'game':<28} {'ours s':>9} {'gambit s':>9} {'ratio':>6}")
    ratios = []
    for name, A, B in _games():
        ours = _time(lambda A=A, B=B: trace_branch(A, B))
        if gbt is None:
            print(f"{name:<28} {ours:9.4f}")
            continue
        game = gbt.Game.from_arrays(A, B)
        theirs = _time(lambda game=game: gbt.qre.logit_solve_branch(game))
        ratios.append(ours / theirs)
        print(f"{name:<28} {ours:9.4f} {theirs:9.4f} {ours / theirs:6.2f}")
    if ratios:
        print(f"median ratio ours/gambit: {statistics.median(ratios):.2f}")
    game = cr.load("unilateral_deterrence")
    lam = np.linspace(0, 20, 1000)[:, None]
    p = np.linspace(0, 1, 1000)[None, :]
    start = time.perf_counter()
    grid = qre_grid(game, lam, {"p": p})
    seconds = time.perf_counter() - start
    points = grid["Status quo"].size
    print(f"tree agent QRE, unilateral_deterrence, {points:,} points (lambda x p): {seconds:.3f} s")


if __name__ == "__main__":
    main()
