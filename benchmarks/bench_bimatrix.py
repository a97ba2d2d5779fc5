"""Bimatrix solvers against their peers: games per second, on the same seeded games, in one run.

Every solver gets the same random integer games, built beforehand in its own input form (the
conversion is not timed), and is timed over the whole list. Two families per size:

- ``generic``: payoffs in -1000..1000, almost always nondegenerate;
- ``degenerate``: payoffs in -2..2, where ties (and equilibrium components) are common.

Solvers (a peer is skipped when its package is not importable):

- ``ours``: :func:`credibility.solvers.enumeration.enumerate_extreme_equilibria` on Fractions;
- ``ours-solve``: the full :func:`credibility.solvers.nash.solve_bimatrix` path (binding,
  exact conversion, enumeration, exact verification, payoffs) on a prebuilt ``Bimatrix``;
- ``nashpy``: ``Game.support_enumeration()`` (floats);
- ``gambit``: ``pygambit.nash.enummixed_solve(game, rational=True)`` (exact);
- ``quantecon``: ``quantecon.game_theory.support_enumeration`` (floats, numba; compiled before
  timing).

The tables give games per second, the ratio ours / peer (above 1: ours is faster), and the
number of distinct equilibria each solver reported in total (Gambit reports some extreme
equilibria twice on degenerate games; duplicates are not counted). On degenerate games the
support-enumeration peers miss equilibria; nashpy also misses some in generic games with large
payoffs (its best-response checks use an absolute tolerance of 1e-16).

Run ``python benchmarks/bench_bimatrix.py`` (about three minutes) or ``--quick`` (about 15 s).
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from credibility.models import Bimatrix
from credibility.solvers.enumeration import enumerate_extreme_equilibria
from credibility.solvers.nash import solve_bimatrix

SIZES = (2, 3, 6)
FAMILIES = {"generic": 1000, "degenerate": 2}
FULL_COUNTS = {2: 2000, 3: 1000, 6: 150}
QUICK_COUNTS = {2: 200, 3: 100, 6: 15}

Game = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class Solver:
    """A solver: how to convert a game (untimed) and how to solve it (timed)."""

    name: str
    prepare: Callable[[Game], Any]
    solve: Callable[[Any], list[tuple[Any, Any]]]  # the (row, column) strategies found


def _fractions(game: Game) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
    A, B = game
    return (
        [[Fraction(int(x)) for x in row] for row in A],
        [[Fraction(int(x)) for x in row] for row in B],
    )


def available_solvers() -> list[Solver]:
    """Our two paths and every peer that can be imported."""
    solvers = [
        Solver(
            "ours",
            _fractions,
            lambda g: [(e.row, e.column) for e in enumerate_extreme_equilibria(*g).equilibria],
        ),
        Solver(
            "ours-solve",
            lambda g: Bimatrix.from_arrays(g[0].tolist(), g[1].tolist()),
            lambda game: [(e.row, e.column) for e in solve_bimatrix(game).equilibria],
        ),
    ]
    try:
        import nashpy
    except ImportError:
        pass
    else:
        solvers.append(
            Solver(
                "nashpy",
                lambda g: nashpy.Game(g[0].astype(float), g[1].astype(float)),
                lambda game: list(game.support_enumeration()),
            )
        )
    try:
        import pygambit
    except ImportError:
        pass
    else:
        solvers.append(
            Solver(
                "gambit",
                lambda g: pygambit.Game.from_arrays(g[0], g[1]),
                lambda game: [
                    tuple(strategies for _, strategies in profile.mixed_strategies())
                    for profile in pygambit.nash.enummixed_solve(game, rational=True).equilibria
                ],
            )
        )
    try:
        from quantecon.game_theory import NormalFormGame, Player, support_enumeration
    except ImportError:
        pass
    else:
        solvers.append(
            Solver(
                "quantecon",
                lambda g: NormalFormGame(
                    (Player(g[0].astype(float)), Player(g[1].T.astype(float)))
                ),
                lambda game: support_enumeration(game),
            )
        )
    return solvers


def random_games(rng: np.random.Generator, size: int, span: int, count: int) -> list[Game]:
    """``count`` square games with integer payoffs in ``-span..span``."""
    return [
        (
            rng.integers(-span, span, size=(size, size), endpoint=True),
            rng.integers(-span, span, size=(size, size), endpoint=True),
        )
        for _ in range(count)
    ]


def _distinct(found: list[tuple[Any, Any]]) -> int:
    """The number of distinct equilibria (compared to 9 decimals; Gambit repeats some)."""

    def probabilities(strategy: Any) -> list[float]:
        return [float(p[1] if isinstance(p, tuple) else p) for p in strategy]

    return len({tuple(round(p, 9) for s in (x, y) for p in probabilities(s)) for x, y in found})


def run(solver: Solver, games: list[Game]) -> tuple[float, int]:
    """Games per second and the total number of distinct equilibria found."""
    prepared = [solver.prepare(game) for game in games]
    solver.solve(prepared[0])  # warm-up (numba compilation, caches)
    results = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nashpy and quantecon warn on degenerate games
        start = time.perf_counter()
        for game in prepared:
            results.append(solver.solve(game))
        elapsed = time.perf_counter() - start
    return len(games) / elapsed, sum(_distinct(found) for found in results)


def degenerate_share(games: list[Game]) -> float:
    """The fraction of degenerate games, as our enumeration classifies them."""
    return sum(enumerate_extreme_equilibria(*_fractions(g)).degenerate for g in games) / len(games)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few games per size (about 15 s)")
    parser.add_argument("--seed", type=int, default=20240607, help="random seed")
    args = parser.parse_args(argv)
    counts = QUICK_COUNTS if args.quick else FULL_COUNTS
    solvers = available_solvers()
    names = [s.name for s in solvers]
    peers = [name for name in names if not name.startswith("ours")]
    rng = np.random.default_rng(args.seed)

    rates: dict[tuple[int, str], dict[str, float]] = {}
    found: dict[tuple[int, str], dict[str, int]] = {}
    shares: dict[tuple[int, str], float] = {}
    for size in SIZES:
        for family, span in FAMILIES.items():
            games = random_games(rng, size, span, counts[size])
            key = (size, family)
            shares[key] = degenerate_share(games)
            rates[key], found[key] = {}, {}
            for solver in solvers:
                rates[key][solver.name], found[key][solver.name] = run(solver, games)

    header = f"{'game':>16} {'games':>6} {'degen':>6} " + " ".join(f"{n:>11}" for n in names)
    header += "".join(f" {'ours/' + p:>15}" for p in peers)
    print("games per second (ratio > 1: ours is faster)")
    print(header)
    for (size, family), row in rates.items():
        line = f"{f'{size}x{size} {family}':>16} {counts[size]:>6} {shares[(size, family)]:>6.0%} "
        line += " ".join(f"{row[n]:>11.0f}" for n in names)
        line += "".join(f" {row['ours'] / row[p]:>15.2f}" for p in peers)
        print(line)
    print()
    print("distinct equilibria found in total (ours and gambit: every extreme equilibrium)")
    print(f"{'game':>16} " + " ".join(f"{n:>11}" for n in names))
    for (size, family), row in found.items():
        print(f"{f'{size}x{size} {family}':>16} " + " ".join(f"{row[n]:>11}" for n in names))


if __name__ == "__main__":
    main()
