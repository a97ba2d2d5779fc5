"""The sweep's bimatrix kernels against their peers, on tie-heavy integer games: games per second.

Every solver gets the same seeded games (integer payoffs in -5..5: a third of the 2x2 games and
most 3x3 and 4x4 games are degenerate), converted to its own input form before the clock starts.

2x2 games:

- ``kernel``: the sign kernel, :func:`credibility.solvers.batch_2x2.solve_2x2` with
  ``rtol=0`` (exact integer payoffs): every extreme equilibrium and component, degenerate games
  included;
- ``sweep path``: what a sweep does per grid point, on a grid of integer payoffs (a game with
  eight payoff parameters, six of them swept over -5..5: 1.77 million games):
  :class:`credibility.sweeps.bimatrix.BimatrixEvaluator`, the float differences, their ties
  settled in integers at the exact grid values, the rows (labels, probabilities) built;
- ``old sweep path``: the previous path, for reference: the kernel with its float tolerance
  and every flagged game (every tie) solved by ``solve_bimatrix`` (run on the first games).

3x3 and 4x4 games:

- ``exact batch``: :func:`credibility.solvers.batch_vertices.solve_exact_batch`, batched vertex
  enumeration in int64 (every extreme equilibrium, degenerate games included);
- ``sweep path``: the evaluator on a grid of integer payoffs (a game whose payoffs are
  parameters, five of them swept over -5..5, the others fixed at random integers): payoffs
  computed in integers at the exact grid values, the exact batch, the rows built;
- ``old sweep path``: float support enumeration and ``solve_bimatrix`` for every degenerate
  game (run on the first games).

Peers, each on the same games (the slow ones on the first games, rate extrapolated):
quantecon's ``support_enumeration`` (numba, compiled before timing), pygambit's
``enummixed_solve`` (floats; every extreme equilibrium, as ours), nashpy's
``support_enumeration``. Then, on a sample of each size, the distinct equilibria each reports
against the exact extreme equilibria
(:func:`credibility.solvers.enumeration.enumerate_extreme_equilibria`): found / missed / wrong.
Ratios are ours / peer (above 1: ours is faster).

Run ``python benchmarks/bench_sweep_bimatrix.py`` (about two minutes) or ``--quick`` (about 20 s).
The machine may be shared: compare ratios from one run, not figures across runs.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable, Iterable
from fractions import Fraction
from functools import partial
from typing import Any

import numpy as np

from credibility.models import Bimatrix
from credibility.parameters import Parameter
from credibility.solvers.batch_2x2 import solve_2x2
from credibility.solvers.batch_support import solve_batch
from credibility.solvers.batch_vertices import solve_exact_batch
from credibility.solvers.enumeration import enumerate_extreme_equilibria
from credibility.solvers.nash import solve_bimatrix
from credibility.sweeps.bimatrix import BimatrixEvaluator
from credibility.sweeps.grid import Listed, make_grid

SPAN = 5
GAMES = {"full": 200_000, "quick": 40_000}
# Slow solvers run on the first games only (full, quick).
FIRST = {
    "nashpy": (1_000, 200),
    "gambit": (4_000, 800),
    "quantecon": (40_000, 8_000),
    "old sweep path": (1_000, 300),
}
CHECKED = {"full": 600, "quick": 150}
SWEPT = {"full": 6, "quick": 5}  # payoff parameters swept over -5..5 in the 2x2 sweep path

Equilibria = set[tuple[float, ...]]


def random_games(rng: np.random.Generator, count: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """``count`` games with integer payoffs in ``-SPAN..SPAN`` (int64 arrays)."""
    A = rng.integers(-SPAN, SPAN, size=(count, size, size), endpoint=True)
    B = rng.integers(-SPAN, SPAN, size=(count, size, size), endpoint=True)
    return A, B


def _key(row: Iterable[Any], column: Iterable[Any]) -> tuple[float, ...]:
    return tuple(round(float(p), 9) + 0.0 for p in (*row, *column))


def exact_equilibria(A: np.ndarray, B: np.ndarray) -> Equilibria:
    """The exact extreme equilibria of one game, as rounded probability tuples."""
    fractions = [[[Fraction(int(x)) for x in row] for row in M] for M in (A, B)]
    return {_key(e.row, e.column) for e in enumerate_extreme_equilibria(*fractions).equilibria}


def peers() -> dict[str, tuple[Callable[[np.ndarray, np.ndarray], Any], Callable[[Any], Any]]]:
    """Each installed peer: (prepare one game, untimed; solve it, returning its equilibria)."""
    found: dict[str, Any] = {}
    try:
        from quantecon.game_theory import NormalFormGame, Player, support_enumeration
    except ImportError:
        print("quantecon is not installed (pip install quantecon): skipped")
    else:
        found["quantecon"] = (
            lambda A, B: NormalFormGame((Player(A.astype(float)), Player(B.T.astype(float)))),
            lambda game: {_key(x, y) for x, y in support_enumeration(game)},
        )
    try:
        import pygambit
    except ImportError:
        print("pygambit is not installed (the oracle extra): skipped")
    else:

        def gambit(game: Any) -> Equilibria:
            profiles = pygambit.nash.enummixed_solve(game, rational=False).equilibria
            return {
                _key(*([profile[s] for s in player.strategies] for player in game.players))
                for profile in profiles
            }

        found["gambit"] = (lambda A, B: pygambit.Game.from_arrays(A, B), gambit)
    try:
        import nashpy
    except ImportError:
        pass
    else:
        found["nashpy"] = (
            lambda A, B: nashpy.Game(A, B),
            lambda game: {_key(x, y) for x, y in game.support_enumeration()},
        )
    return found


def rate_of_peer(prepare, solve, A: np.ndarray, B: np.ndarray) -> tuple[float, list[Equilibria]]:
    """Games per second of a peer on the given games, and what it found."""
    games = [prepare(a, b) for a, b in zip(A, B)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # peers warn about degenerate games
        solve(games[0])  # warm-up (numba compilation, caches)
        start = time.perf_counter()
        found = [solve(game) for game in games]
        elapsed = time.perf_counter() - start
    return len(games) / elapsed, found


def best_rate(run: Callable[[], object], count: int, repeats: int = 3) -> float:
    """Games per second of the fastest of a few runs."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return count / best


def _exact_game(A: np.ndarray, B: np.ndarray) -> Bimatrix:
    return Bimatrix.from_arrays(
        [[Fraction(int(x)) for x in row] for row in A.tolist()],
        [[Fraction(int(x)) for x in row] for row in B.tolist()],
    )


def old_2x2_path(A: np.ndarray, B: np.ndarray) -> None:
    """The previous sweep path: the tolerant kernel, every tie through ``solve_bimatrix``."""
    result = solve_2x2(A.astype(np.float64), B.astype(np.float64))
    for g in np.flatnonzero(result.uncertain):
        solve_bimatrix(_exact_game(A[g], B[g]))


def payoff_sweep(size: int, swept: int, rng: np.random.Generator) -> tuple[BimatrixEvaluator, Any]:
    """A game whose payoffs are parameters (random integer defaults), ``swept`` of them over -5..5.

    The swept payoffs alternate between the players (a11, b11, a12, b12, ...).
    """
    cells = [(i, j) for i in range(size) for j in range(size)]
    names = [f"{player}{i}{j}" for i, j in cells for player in "ab"]
    defaults = rng.integers(-SPAN, SPAN, size=len(names), endpoint=True)
    parameters = [Parameter(name, Fraction(int(v))) for name, v in zip(names, defaults)]
    A = [[f"a{i}{j}" for j in range(size)] for i in range(size)]
    B = [[f"b{i}{j}" for j in range(size)] for i in range(size)]
    game = Bimatrix.from_arrays(A, B, parameters=parameters)
    axis = Listed([Fraction(v) for v in range(-SPAN, SPAN + 1)])
    grid = make_grid({name: axis for name in names[:swept]}, game.parameters)
    return BimatrixEvaluator(game, list(names[:swept]), {}), grid


def sweep_path(evaluator: BimatrixEvaluator, grid: Any, chunk: int = 1 << 17) -> tuple[float, int]:
    """Games per second of the evaluator over the grid, and the games it left to the solver."""
    from credibility.sweeps import bimatrix as module

    calls = [0]
    original = module.solve_bimatrix

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(*args, **kwargs)

    module.solve_bimatrix = counted  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        for first in range(0, grid.size, chunk):
            evaluator.evaluate(grid.chunk(first, min(first + chunk, grid.size)))
        elapsed = time.perf_counter() - start
    finally:
        module.solve_bimatrix = original  # type: ignore[assignment]
    return grid.size / elapsed, calls[0]


def old_batch_path(A: np.ndarray, B: np.ndarray) -> None:
    result = solve_batch(A, B)
    for g in np.flatnonzero(result.uncertain):
        solve_bimatrix(_exact_game(A[g], B[g]))


def correctness(
    A: np.ndarray, B: np.ndarray, solvers: dict[str, Any]
) -> dict[str, tuple[int, int, int]]:
    """Per solver: equilibria found (of the exact ones), missed, reported wrongly."""
    exact = [exact_equilibria(a, b) for a, b in zip(A, B)]
    table = {"exact": (sum(map(len, exact)), 0, 0)}
    if A.shape[1] > 2:
        # the batch reports each equilibrium's pure strategies or "mixes" (and the only mixed
        # one's probabilities): compared as such here; tests/test_sweep_kernel_ties.py checks
        # the full answer against the exact solver
        ours = solve_exact_batch(A, B)
        table["ours"] = _tally_keys([ours.keys(g) for g in range(len(A))], A, B)
    else:
        result = solve_2x2(A, B, rtol=0)
        found = [{_key(r, c) for r, c, _ in result.equilibria(g)} for g in range(len(A))]
        table["ours"] = _tally(found, exact)
    for name, (prepare, solve) in solvers.items():
        table[name] = _tally(rate_of_peer(prepare, solve, A, B)[1], exact)
    return table


def _tally_keys(
    found: list[list[tuple[int, int]]], A: np.ndarray, B: np.ndarray
) -> tuple[int, int, int]:
    """Found / missed / wrong, comparing the equilibria's pure-or-mixed keys with the exact ones."""
    from collections import Counter

    from credibility.solvers.outcomes import bimatrix_key

    right = missed = wrong = 0
    for keys, a, b in zip(found, A, B):
        fractions = [[[Fraction(int(x)) for x in row] for row in M] for M in (a, b)]
        exact = enumerate_extreme_equilibria(*fractions).equilibria
        expected = Counter((bimatrix_key(e.row), bimatrix_key(e.column)) for e in exact)
        got = Counter(keys)
        common = sum((expected & got).values())
        right += common
        missed += sum(expected.values()) - common
        wrong += sum(got.values()) - common
    return right, missed, wrong


def _tally(found: list[Equilibria], exact: list[Equilibria]) -> tuple[int, int, int]:
    right = sum(len(f & e) for f, e in zip(found, exact))
    missed = sum(len(e - f) for f, e in zip(found, exact))
    wrong = sum(len(f - e) for f, e in zip(found, exact))
    return right, missed, wrong


def _print_rates(title: str, rates: dict[str, float], games: dict[str, int], base: str) -> None:
    print(title)
    print(f"{'solver':>16} {'games':>10} {'games/s':>13} {'ours / it':>10}")
    for name, rate in rates.items():
        note = "" if name in (base, "sweep path", "exact batch") else "  (first games)"
        ratio = rates[base] / rate
        print(f"{name:>16} {games[name]:>10,} {rate:>13,.0f} {ratio:>10,.1f}{note}")


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer games (about 20 s)")
    parser.add_argument("--seed", type=int, default=20240607, help="random seed")
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "full"
    quick = mode == "quick"
    rng = np.random.default_rng(args.seed)
    solvers = peers()
    count = GAMES[mode]

    # -- 2x2
    A, B = random_games(rng, count, 2)
    degenerate = solve_2x2(A, B, rtol=0).degenerate.mean()
    rates = {"kernel": best_rate(lambda: solve_2x2(A, B, rtol=0), count)}
    games = {"kernel": count}
    evaluator, grid = payoff_sweep(2, SWEPT[mode], rng)
    rates["sweep path"], left = sweep_path(evaluator, grid)
    games["sweep path"] = grid.size
    first = FIRST["old sweep path"][quick]
    rates["old sweep path"] = best_rate(lambda: old_2x2_path(A[:first], B[:first]), first, 1)
    games["old sweep path"] = first
    for name, (prepare, solve) in solvers.items():
        first = min(FIRST[name][quick], count)
        rates[name], _ = rate_of_peer(prepare, solve, A[:first], B[:first])
        games[name] = first
    _print_rates(
        f"2x2 games, payoffs in -{SPAN}..{SPAN} ({degenerate:.0%} degenerate); the sweep path "
        f"left {left} of {grid.size:,} grid points to the exact solver",
        rates,
        games,
        "kernel",
    )
    print(f"  sweep path / old sweep path: {rates['sweep path'] / rates['old sweep path']:,.0f}x")
    print()

    # -- 3x3, 4x4
    for size in (3, 4):
        batch = count // (4 if size == 3 else 8)
        A, B = random_games(rng, batch, size)
        solve_exact_batch(A[:100], B[:100])  # warm-up
        result = solve_exact_batch(A, B)
        rates = {"exact batch": best_rate(partial(solve_exact_batch, A, B), batch)}
        games = {"exact batch": batch}
        evaluator, grid = payoff_sweep(size, 5 if quick else 6, rng)
        rates["sweep path"], left = sweep_path(evaluator, grid)
        games["sweep path"] = grid.size
        first = FIRST["old sweep path"][quick] // size
        rates["old sweep path"] = best_rate(partial(old_batch_path, A[:first], B[:first]), first, 1)
        games["old sweep path"] = first
        for name, (prepare, solve) in solvers.items():
            first = min(FIRST[name][quick] // size, batch)
            rates[name], _ = rate_of_peer(prepare, solve, A[:first], B[:first])
            games[name] = first
        _print_rates(
            f"{size}x{size} games, payoffs in -{SPAN}..{SPAN} ({result.degenerate.mean():.0%} "
            f"degenerate); the sweep path left {left} of {grid.size:,} grid points to the "
            "exact solver",
            rates,
            games,
            "exact batch",
        )
        print()

    # -- correctness
    checked = CHECKED[mode]
    print(f"correctness on {checked:,} games per size: equilibria found / missed / wrong")
    tables = {}
    for size in (2, 3, 4):
        A, B = random_games(rng, checked // (size - 1), size)
        tables[f"{size}x{size}"] = correctness(A, B, solvers)
    names = list(next(iter(tables.values())))
    print(f"{'size':>6} " + " ".join(f"{n:>20}" for n in names))
    for size, row in tables.items():
        cells = [f"{r:,}" if n == "exact" else f"{r:,}/{m:,}/{w:,}" for n, (r, m, w) in row.items()]
        print(f"{size:>6} " + " ".join(f"{c:>20}" for c in cells))


if __name__ == "__main__":
    main()
