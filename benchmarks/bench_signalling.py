"""Time perfect Bayesian equilibrium enumeration against the size of a signalling game.

Seeded random games (integer payoffs in -3..3, random rational priors) of each size
types x messages x responses; for each size it prints the support profiles visited, the mean
time per game of the full exact solve (enumeration, verification, beliefs, refinements; the
Harsanyi strategic form is timed separately), the mean number of equilibria, and the share of
games with a continuum. Pure-only enumeration is timed for sizes too large for mixed supports.

Run from the repository root:  .venv/bin/python benchmarks/bench_signalling.py [--quick] [--seed N]
"""

from __future__ import annotations

import argparse
import random
import time
from fractions import Fraction

from credibility.solvers.harsanyi import nash_not_bayesian
from credibility.solvers.pbe import _describe
from credibility.solvers.pbe_bound import BoundSignallingGame
from credibility.solvers.pbe_supports import MAX_PROFILES, enumerate_pbe_vertices, profile_count

SIZES = [(2, 2, 2), (2, 2, 3), (2, 3, 2), (3, 2, 2), (2, 3, 3), (3, 3, 2), (3, 3, 3), (4, 4, 4)]


def random_form(rng: random.Random, k: int, n: int, R: int) -> BoundSignallingGame:
    weights = [rng.randint(1, 5) for _ in range(k)]
    prior = [Fraction(w, sum(weights)) for w in weights]

    def table() -> list[list[list[int]]]:
        return [[[rng.randint(-3, 3) for _ in range(R)] for _ in range(n)] for _ in range(k)]

    return BoundSignallingGame.from_lists(
        [f"T{i}" for i in range(k)],
        [f"M{i}" for i in range(n)],
        [f"R{i}" for i in range(R)],
        prior,
        table(),
        table(),
    )


def solve(form: BoundSignallingGame, mixed: bool) -> tuple[int, bool]:
    enumerated = enumerate_pbe_vertices(form, mixed=mixed)
    for (sigma, rho), component, continuum in zip(
        enumerated.profiles, enumerated.components, enumerated.continuum
    ):
        _describe(form, sigma, rho, component, continuum)
    return len(enumerated.profiles), any(enumerated.continuum)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer games, smaller sizes")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    games = 3 if args.quick else 10
    sizes = SIZES[:4] if args.quick else SIZES
    header = (
        f"{'size':>7}  {'mode':>5}  {'profiles':>9}  {'ms/game':>9}  {'harsanyi ms':>11}"
        f"  {'equilibria':>10}  {'continuum':>9}"
    )
    print(header)
    print("-" * len(header))
    for k, n, R in sizes:
        rng = random.Random(args.seed * 1000 + k * 100 + n * 10 + R)
        forms = [random_form(rng, k, n, R) for _ in range(games)]
        mixed = profile_count(forms[0]) <= MAX_PROFILES
        count = games if mixed or k * n * R < 40 else max(1, games // 5)
        start = time.perf_counter()
        results = [solve(form, mixed) for form in forms[:count]]
        elapsed = (time.perf_counter() - start) / count * 1000
        start = time.perf_counter()
        for form in forms[:count]:
            nash_not_bayesian(form)
        harsanyi = (time.perf_counter() - start) / count * 1000
        found = sum(r[0] for r in results) / count
        continua = sum(r[1] for r in results) / count
        print(
            f"{k}x{n}x{R:<3}  {'mixed' if mixed else 'pure':>5}  "
            f"{profile_count(forms[0], mixed):>9,}  {elapsed:>9.1f}  {harsanyi:>11.1f}"
            f"  {found:>10.1f}  {continua:>9.0%}"
        )


if __name__ == "__main__":
    main()
