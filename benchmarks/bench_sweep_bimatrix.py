"""The sweep's bimatrix kernels against their peers: games per second on the same seeded games.

2x2 games (the sign kernel, :func:`credibility.sweeps.bimatrix_kernel.solve_2x2`), on 100,000
seeded games with integer payoffs in -1000..1000 (about 0.2% of them have a tie):

- ``kernel exact``: ``solve_2x2(A, B, rtol=0)``, every game classified exactly (the arrays hold
  the exact payoffs, so the sign of each float difference is exact), ties included;
- ``kernel tolerant``: ``solve_2x2(A, B)`` with the sweep's tolerance on payoff differences
  (for payoffs that are float approximations), which flags the ties instead of classifying them;
- ``kernel + solver``: the same, and the games it flags
  (here: exactly the ties) solved by ``solve_bimatrix`` on a ``Bimatrix`` of Fractions, as
  the sweep does for points it cannot settle;
- peers, each on the same games converted to its own input form before the clock starts:
  nashpy's ``support_enumeration`` (a Python loop), pygambit's ``enummixed_solve`` in floats,
  quantecon's ``support_enumeration`` (numba, compiled before timing). The slow peers run on
  the first games only and their rate is extrapolated (the table says on how many).

Correctness, on a subsample of generic games and of games with payoffs in -2..2 (ties
everywhere): the distinct equilibria each solver reports, compared with the exact extreme
equilibria (:func:`credibility.solvers.enumeration.enumerate_extreme_equilibria`): how many it
found, missed, and reported wrongly.

Small m x n games (batched support enumeration,
:func:`credibility.sweeps.bimatrix_batch.solve_batch`): games per second on generic games, the
share it leaves to the exact solver, and nashpy's rate on the first games for comparison.

Run ``python benchmarks/bench_sweep_bimatrix.py`` (about a minute) or ``--quick`` (about 10 s).
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any

import numpy as np

from credibility.models import Bimatrix
from credibility.solvers.enumeration import enumerate_extreme_equilibria
from credibility.solvers.nash import solve_bimatrix
from credibility.sweeps.bimatrix_batch import solve_batch
from credibility.sweeps.bimatrix_kernel import equilibrium_keys, solve_2x2

GAMES = {"full": 100_000, "quick": 20_000}
# Peers too slow for every game run on the first ones (full, quick).
PEER_GAMES = {"nashpy": (3_000, 300), "gambit": (20_000, 2_000), "quantecon": (100_000, 20_000)}
CHECKED = {"full": 2_000, "quick": 300}
BATCH_SIZES = (3, 4, 5)
BATCH_GAMES = {"full": 20_000, "quick": 2_000}

Equilibria = set[tuple[float, ...]]


def random_games(rng: np.random.Generator, count: int, span: int, m: int = 2, n: int = 2):
    """``count`` games with integer payoffs in ``-span..span`` (float64 arrays)."""
    A = rng.integers(-span, span, size=(count, m, n), endpoint=True).astype(np.float64)
    B = rng.integers(-span, span, size=(count, m, n), endpoint=True).astype(np.float64)
    return A, B


def _key(row: Iterable[Any], column: Iterable[Any]) -> tuple[float, ...]:
    return tuple(round(float(p), 9) + 0.0 for p in (*row, *column))


def exact_equilibria(A: np.ndarray, B: np.ndarray) -> Equilibria:
    """The exact extreme equilibria of one game, as rounded probability tuples."""
    fractions = [[[Fraction(int(x)) for x in row] for row in M] for M in (A, B)]
    found = enumerate_extreme_equilibria(*fractions).equilibria
    return {_key(e.row, e.column) for e in found}


def kernel_equilibria(A: np.ndarray, B: np.ndarray) -> list[Equilibria]:
    """The 2x2 kernel's extreme equilibria of each game (exact inputs)."""
    result = solve_2x2(A, B, rtol=0)
    games = []
    for code, p, q in zip(result.code.tolist(), result.row.tolist(), result.column.tolist()):
        rows, columns = (1.0, 0.0, p), (1.0, 0.0, q)
        games.append(
            {
                _key((rows[r], 1 - rows[r]), (columns[c], 1 - columns[c]))
                for r, c in equilibrium_keys(code)
            }
        )
    return games


def peers() -> dict[str, tuple[Callable[[np.ndarray, np.ndarray], Any], Callable[[Any], Any]]]:
    """Each installed peer: (prepare one game, untimed; solve it, returning its equilibria)."""
    found: dict[str, Any] = {}
    try:
        import nashpy
    except ImportError:
        pass
    else:
        found["nashpy"] = (
            lambda A, B: nashpy.Game(A, B),
            lambda game: {_key(x, y) for x, y in game.support_enumeration()},
        )
    try:
        import pygambit
    except ImportError:
        pass
    else:

        def gambit(game: Any) -> Equilibria:
            profiles = pygambit.nash.enummixed_solve(game, rational=False).equilibria
            return {
                _key(*([profile[s] for s in player.strategies] for player in game.players))
                for profile in profiles
            }

        found["gambit"] = (
            lambda A, B: pygambit.Game.from_arrays(A.astype(np.int64), B.astype(np.int64)),
            gambit,
        )
    try:
        from quantecon.game_theory import NormalFormGame, Player, support_enumeration
    except ImportError:
        pass
    else:
        found["quantecon"] = (
            lambda A, B: NormalFormGame((Player(A), Player(B.T.copy()))),
            lambda game: {_key(x, y) for x, y in support_enumeration(game)},
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


def best_rate(run: Callable[[], object], count: int, repeats: int = 5) -> float:
    """Games per second of the fastest of a few runs (the kernel takes milliseconds)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return count / best


def kernel_with_solver(A: np.ndarray, B: np.ndarray) -> int:
    """The sweep's path: the kernel with its tolerance, the flagged games solved exactly."""
    result = solve_2x2(A, B)
    flagged = np.flatnonzero(result.uncertain)
    for g in flagged:
        game = Bimatrix.from_arrays(
            [[Fraction(x) for x in row] for row in A[g].tolist()],
            [[Fraction(x) for x in row] for row in B[g].tolist()],
        )
        solve_bimatrix(game)
    return len(flagged)


def correctness(
    rng: np.random.Generator, count: int, solvers: dict[str, Any]
) -> dict[str, dict[str, tuple[int, int, int]]]:
    """Per family and solver: equilibria found (of the exact ones), missed, reported wrongly."""
    table: dict[str, dict[str, tuple[int, int, int]]] = {}
    for family, span in (("generic", 1000), ("ties -2..2", 2)):
        A, B = random_games(rng, count, span)
        exact = [exact_equilibria(a, b) for a, b in zip(A, B)]
        reports = {"kernel": kernel_equilibria(A, B)}
        for name, (prepare, solve) in solvers.items():
            reports[name] = rate_of_peer(prepare, solve, A, B)[1]
        table[family] = {"exact": (sum(map(len, exact)), 0, 0)}
        for name, found in reports.items():
            right = sum(len(f & e) for f, e in zip(found, exact))
            missed = sum(len(e - f) for f, e in zip(found, exact))
            wrong = sum(len(f - e) for f, e in zip(found, exact))
            table[family][name] = (right, missed, wrong)
    return table


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer games (about 10 s)")
    parser.add_argument("--seed", type=int, default=20240607, help="random seed")
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "full"
    rng = np.random.default_rng(args.seed)
    count = GAMES[mode]
    A, B = random_games(rng, count, 1000)
    solvers = peers()

    rates = {
        "kernel exact": best_rate(lambda: solve_2x2(A, B, rtol=0), count),
        "kernel tolerant": best_rate(lambda: solve_2x2(A, B), count),
    }
    flagged = kernel_with_solver(A, B)
    rates["kernel + solver"] = best_rate(lambda: kernel_with_solver(A, B), count, repeats=3)
    games_run = dict.fromkeys(rates, count)
    for name, (prepare, solve) in solvers.items():
        first = min(PEER_GAMES[name][mode == "quick"], count)
        rates[name], _ = rate_of_peer(prepare, solve, A[:first], B[:first])
        games_run[name] = first

    print(f"2x2 games, payoffs in -1000..1000: {count:,} games, {flagged} with a tie")
    print(f"{'solver':>16} {'games':>8} {'games/s':>13} {'kernel exact / it':>18}")
    for name, rate in rates.items():
        note = "" if games_run[name] == count else "  (extrapolated from the first games)"
        ratio = rates["kernel exact"] / rate
        print(f"{name:>16} {games_run[name]:>8,} {rate:>13,.0f} {ratio:>18,.1f}{note}")
    print()

    checked = CHECKED[mode]
    print(f"correctness on {checked:,} games per family: equilibria found / missed / wrong")
    table = correctness(rng, checked, solvers)
    names = list(next(iter(table.values())))
    print(f"{'family':>12} " + " ".join(f"{n:>18}" for n in names))
    for family, row in table.items():
        cells = [f"{r:,}" if n == "exact" else f"{r:,}/{m:,}/{w:,}" for n, (r, m, w) in row.items()]
        print(f"{family:>12} " + " ".join(f"{c:>18}" for c in cells))
    print()

    batch = BATCH_GAMES[mode]
    print(f"m x n games, payoffs in -1000..1000: batched support enumeration on {batch:,} games")
    print(f"{'size':>6} {'games/s':>10} {'to exact':>9} {'nashpy/s':>10} {'ratio':>8}")
    for size in BATCH_SIZES:
        A, B = random_games(rng, batch, 1000, size, size)
        start = time.perf_counter()
        result = solve_batch(A, B)
        rate = batch / (time.perf_counter() - start)
        line = f"{f'{size}x{size}':>6} {rate:>10,.0f} {result.uncertain.mean():>9.2%}"
        if "nashpy" in solvers:
            prepare, solve = solvers["nashpy"]
            first = max(20, PEER_GAMES["nashpy"][mode == "quick"] // size**3)
            nashpy_rate, _ = rate_of_peer(prepare, solve, A[:first], B[:first])
            line += f" {nashpy_rate:>10,.0f} {rate / nashpy_rate:>8,.0f}"
        print(line)


if __name__ == "__main__":
    main()
