"""Time the symbolic existence conditions of signalling games, against a grid of exact solves.

1. Size: seeded random two-type games (integer payoffs in -2..2, one payoff of each type
   and message made symbolic, ``a + payoff``) of each size messages x responses; the mean time
   of ``existence_conditions`` (every class, pure and mixed; Fourier-Motzkin on every support
   profile) with ``a`` free, the number of support profiles, and the mean number of atoms
   (polynomial inequalities) in the four formulas.
2. Catalog: for each catalog signalling model and parameter, the time of
   ``cr.thresholds`` (others at their defaults; exact thresholds and every class's existence
   set) against the time a user would otherwise spend solving the game exactly on a grid of
   ``GRID`` points of that parameter (which only brackets the thresholds), as a ratio.

Run from the repository root:  .venv/bin/python benchmarks/bench_signalling_conditions.py [--quick]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from fractions import Fraction

import sympy

import credibility as cr
from credibility.io.toml_loader import parse_toml
from credibility.symbolic.signalling_existence import existence_conditions, symbolic_profile_count

SIZES = [(2, 2), (2, 3), (3, 2), (2, 4)]
GRID = 200


def random_game(rng: random.Random, n: int, R: int) -> cr.SignallingGame:
    """A two-type game whose first payoff of each type and message is ``a`` plus a number."""
    messages = ", ".join(f'"m{i}"' for i in range(n))
    responses = ", ".join(f'"r{j}"' for j in range(R))
    lines = [
        'kind = "signalling"',
        'players = ["S", "R"]',
        f"messages = [{messages}]",
        f"responses = [{responses}]",
        "parameters.a = {default = 0, min = -3, max = 3}",
    ]
    prior = Fraction(rng.randint(1, 9), 10)
    for name, p in (("A", prior), ("B", 1 - prior)):
        cells = []
        for i in range(n):
            pairs = []
            for j in range(R):
                sender = f'"a + {rng.randint(-2, 2)}"' if j == 0 else str(rng.randint(-2, 2))
                pairs.append(f"r{j} = [{sender}, {rng.randint(-2, 2)}]")
            cells.append(f"m{i} = {{{', '.join(pairs)}}}")
        lines += [f"[types.{name}]", f'prior = "{p}"', f"payoffs = {{{', '.join(cells)}}}"]
    return parse_toml("\n".join(lines))


def by_size(games: int, seed: int) -> None:
    print(f"{'messages x responses':>20}  {'profiles':>8}  {'s/game':>8}  {'atoms':>6}")
    for n, R in SIZES:
        rng = random.Random(f"{seed}-{n}-{R}")
        times, atoms = [], []
        for _ in range(games):
            game = random_game(rng, n, R)
            start = time.perf_counter()
            conditions = existence_conditions(game)
            times.append(time.perf_counter() - start)
            atoms.append(
                sum(len(c.atoms(sympy.core.relational.Relational)) for c in conditions.values())
            )
        profiles = symbolic_profile_count(game)
        print(
            f"{f'{n} x {R}':>20}  {profiles:>8,}  {statistics.mean(times):>8.3f}  "
            f"{statistics.mean(atoms):>6.0f}"
        )


def against_grid() -> None:
    print()
    header = f"{'model':<26} {'param':<6} {'thresholds s':>12} {'grid s':>8} {'ratio':>7}"
    print(header + f"   (grid: {GRID} exact solves)")
    for name in ("sinking_costs", "tying_hands", "capability_transparency"):
        game = cr.load(name)
        for parameter in game.parameters:
            others = {p.name: p.default for p in game.parameters if p.name != parameter.name}
            start = time.perf_counter()
            cr.thresholds(game, parameter.name, others)
            symbolic = time.perf_counter() - start
            low = parameter.minimum if parameter.minimum is not None else parameter.default - 5
            high = parameter.maximum if parameter.maximum is not None else parameter.default + 5
            start = time.perf_counter()
            for k in range(GRID):
                value = low + (high - low) * Fraction(k, GRID - 1)
                cr.solve(game, others | {parameter.name: value}).classes  # noqa: B018
            grid = time.perf_counter() - start
            print(
                f"{name:<26} {parameter.name:<6} {symbolic:>12.3f} {grid:>8.3f} "
                f"{grid / symbolic:>6.1f}x"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer games")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    by_size(2 if args.quick else 5, args.seed)
    against_grid()


if __name__ == "__main__":
    main()
