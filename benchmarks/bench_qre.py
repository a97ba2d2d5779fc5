"""Logit QRE: time per principal branch, ours vs pygambit, and a 10^6-point tree evaluation.

Run: ``.venv/bin/python benchmarks/bench_qre.py``. Prints, for the catalog bimatrix games
and random 2x2 to 4x4 games, the median seconds per branch traced to regret 1e-8 by
``credibility.quantal`` and by ``pygambit.qre.logit_solve_branch`` (and their ratio); the
same for signalling games (the catalog's and random 2x2x2 and 3x2x2 ones: our agent QRE
against Gambit's behaviour-strategy logit branch of the game written as ``.efg``) with the
largest difference of a probability at lambda = 0.3, 1 and 2.5; and the seconds for the agent
QRE of ``unilateral_deterrence`` on a 1000 lambda x 1000 p grid, through ``qre_grid`` and
through the sweep engine's evaluator.
"""

from __future__ import annotations

import io
import statistics
import time
from fractions import Fraction

import numpy as np

import credibility as cr
from credibility.io.gambit_efg import format_efg
from credibility.io.toml_loader import parse_toml
from credibility.quantal.branch import trace_branch, trace_system
from credibility.quantal.grid import QREEvaluator
from credibility.quantal.signalling import SignallingSystem, normalised_arrays
from credibility.quantal.tree import qre_grid
from credibility.sweeps.grid import Grid, Linspace


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
    signalling(gbt)
    game = cr.load("unilateral_deterrence")
    lam = np.linspace(0, 20, 1000)[:, None]
    p = np.linspace(0, 1, 1000)[None, :]
    start = time.perf_counter()
    grid = qre_grid(game, lam, {"p": p})
    seconds = time.perf_counter() - start
    points = grid["Status quo"].size
    print(f"tree agent QRE, unilateral_deterrence, {points:,} points (lambda x p): {seconds:.3f} s")
    axes = (Linspace(Fraction(0), Fraction(20), 1000), Linspace(Fraction(0), Fraction(1), 1000))
    sweep_grid = Grid(("lambda", "p"), axes)
    evaluator = QREEvaluator(game, ("lambda", "p"), {}, None)
    start = time.perf_counter()
    evaluator.evaluate(sweep_grid.chunk(0, sweep_grid.size))
    seconds = time.perf_counter() - start
    print(f"the same grid through the sweep evaluator (all outcome columns): {seconds:.3f} s")


def _random_signalling(seed: int, types: int) -> cr.SignallingGame:
    rng = np.random.default_rng(seed)
    lines = [
        'kind = "signalling"',
        'players = ["S", "R"]',
        'messages = ["m0", "m1"]',
        'responses = ["r0", "r1"]',
    ]
    weights = rng.integers(1, 10, types)
    for t in range(types):
        lines += [
            f"[types.T{t}]",
            f'prior = "{weights[t]}/{weights.sum()}"',
            f"[types.T{t}.payoffs]",
        ]
        for m in range(2):
            pairs = ", ".join(
                f"r{r} = [{rng.integers(-9, 10)}, {rng.integers(-9, 10)}]" for r in range(2)
            )
            lines.append(f"m{m} = {{ {pairs} }}")
    return parse_toml("\n".join(lines))


def signalling(gbt: object) -> None:
    """Agent QRE branches of signalling games, ours against Gambit's, time and agreement."""
    games = [
        (name, cr.load(name))
        for name in ("sinking_costs", "tying_hands", "capability_transparency")
    ]
    games += [(f"random 2x2x2 #{k}", _random_signalling(300 + k, 2)) for k in range(4)]
    games += [(f"random 3x2x2 #{k}", _random_signalling(400 + k, 3)) for k in range(3)]
    print(f"{'signalling game':<28} {'ours s':>9} {'gambit s':>9} {'ratio':>6} {'max diff':>9}")
    ratios = []
    for name, game in games:
        prior, sender, receiver, _ = normalised_arrays(game, None)
        system = SignallingSystem(prior, sender, receiver)
        ours = _time(lambda system=system: trace_system(system, lambda_max=1e9 / system.scale), 3)
        if gbt is None:
            print(f"{name:<28} {ours:9.4f}")
            continue
        efg = gbt.read_efg(io.StringIO(format_efg(game, None)))  # type: ignore[attr-defined]
        theirs = _time(lambda efg=efg: gbt.qre.logit_solve_branch(efg), 3)  # type: ignore[attr-defined]
        lambdas = [0.3, 1.0, 2.5]
        mine = cr.qre(game, lambdas)
        gap = 0.0
        # Past a bifurcation point the two tracers may follow different branches.
        first = min((low for low, _ in mine.bifurcations), default=np.inf)
        for point, other in zip(mine.points, gbt.qre.logit_solve_lambda(efg, lambdas)):  # type: ignore[attr-defined]
            flat = [x for probs in point.strategies.values() for x in probs.values()]
            if abs(other.lam - point.lam) < 1e-8 and point.lam < first:
                gap = max(gap, max(abs(a - other[k]) for k, a in enumerate(flat)))
        ratios.append(ours / theirs)
        print(f"{name:<28} {ours:9.4f} {theirs:9.4f} {ours / theirs:6.2f} {gap:9.1e}")
    if ratios:
        print(f"median ratio ours/gambit (signalling): {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
