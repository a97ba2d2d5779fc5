"""Every Nash equilibrium of small n-player games against Gambit's enumpoly, in one run.

Both solvers get the same seeded random integer games (payoffs in -9..9, so ties occur)
of shapes 2x2x2, 2x2x2x2, 2x2x3 and 3x3x3, and report every equilibrium they find:

- ``ours``: ``cr.solve(game, mixed=True)`` (support enumeration with polynomial systems
  solved exactly by Groebner bases, :mod:`credibility.solvers.polynomial_nash`);
- ``gambit``: ``pygambit.nash.enumpoly_solve`` (support enumeration with polynomial systems
  solved numerically, C++), run in a child process with a time limit (it does not answer
  signals).

The table gives the seconds per game of each, their ratio (gambit / ours: above 1, ours is
faster), the equilibria each found, and per game: ``same`` (the same equilibria, within 1e-6),
``more`` (ours holds all of Gambit's and more: enumpoly misses some irrational equilibria,
which ours verify exactly), ``other`` (neither: look), and how many of ours are not complete
(a continuum of equilibria on some support, which neither solver enumerates). Then the logit
method (``method='logit'``) on larger games: seconds and the exact ``epsilon`` of its
profile, against Gambit's ``logit_solve``.

Run ``python benchmarks/bench_mixed_nash.py`` (a few minutes), or ``--quick``.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time

import numpy as np

import credibility as cr
from credibility.models.normal import NormalForm
from credibility.solvers.normal_nash import MixedProfile

SHAPES = [(2, 2, 2), (2, 2, 3), (2, 2, 2, 2), (3, 3, 3)]
LOGIT_SHAPES = [(4, 4, 4), (6, 6, 6), (10, 10, 10), (5, 5, 5, 5)]

_GAMBIT = """
import json, sys, time
import numpy as np
import pygambit as gbt
games = json.loads(sys.stdin.read())
out = []
for tensors, method in games:
    g = gbt.Game.from_arrays(*[np.array(t, dtype=object) for t in tensors])
    start = time.perf_counter()
    if method == "enumpoly":
        result = gbt.nash.enumpoly_solve(g)
    else:
        result = gbt.nash.logit_solve(g)
    seconds = time.perf_counter() - start
    profiles = [[[float(e[s]) for s in p.strategies] for p in g.players] for e in result.equilibria]
    out.append([seconds, profiles])
print(json.dumps(out))
"""


def _games(shape: tuple[int, ...], count: int, seed: int) -> list[list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    return [[rng.integers(-9, 10, size=shape) for _ in shape] for _ in range(count)]


def _gambit(games: list[list[np.ndarray]], method: str, limit: float) -> list | None:
    payload = json.dumps([[[t.tolist() for t in g], method] for g in games])
    try:
        done = subprocess.run(
            [sys.executable, "-c", _GAMBIT],
            input=payload,
            capture_output=True,
            text=True,
            timeout=limit,
            check=True,
        )
    except (subprocess.TimeoutExpired, subprocess.CalledProcessError):
        return None
    return json.loads(done.stdout)


def _ours(tensors: list[np.ndarray], **options: object) -> tuple[float, list, bool, object]:
    game = NormalForm.from_arrays([t.tolist() for t in tensors])
    start = time.perf_counter()
    solution = cr.solve(game, **options)
    seconds = time.perf_counter() - start
    profiles = []
    for e in solution.equilibria:
        if isinstance(e, MixedProfile):
            profiles.append([list(p) for p in e.approx])
        else:
            profiles.append(
                [[float(k == s) for k in range(m)] for s, m in zip(e.profile, game.shape)]
            )
    return seconds, profiles, solution.complete, solution


def _covers(ours: list, theirs: list) -> bool:
    """Every equilibrium in ``theirs`` is one of ``ours`` (within 1e-6)."""
    flat = [np.concatenate([np.array(p) for p in e]) for e in ours]
    for e in theirs:
        other = np.concatenate([np.array(p) for p in e])
        if not any(np.abs(other - f).max() < 1e-6 for f in flat):
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer games, smaller shapes")
    parser.add_argument("--games", type=int, default=10, help="games per shape (default 10)")
    parser.add_argument("--limit", type=float, default=600.0, help="seconds for Gambit per shape")
    args = parser.parse_args()
    count = 3 if args.quick else args.games
    shapes = SHAPES[:2] if args.quick else SHAPES
    print("All equilibria: ours (exact) against Gambit's enumpoly")
    print(
        f"{'shape':>10} {'games':>5} {'ours s/game':>12} {'gambit s/game':>14} {'ratio':>7} "
        f"{'ours eq':>8} {'gambit eq':>10} {'same':>6} {'more':>6} {'other':>6} {'incomplete':>10}"
    )
    for k, shape in enumerate(shapes):
        games = _games(shape, count, seed=100 + k)
        ours = [_ours(g, mixed=True) for g in games]
        theirs = _gambit(games, "enumpoly", args.limit)
        mine = sum(o[0] for o in ours) / count
        found = sum(len(o[1]) for o in ours)
        incomplete = sum(not o[2] for o in ours)
        label = "x".join(map(str, shape))
        if theirs is None:
            print(f"{label:>10} {count:>5} {mine:12.3f} {'timeout':>14}")
            continue
        gambit = sum(t[0] for t in theirs) / count
        covers = [_covers(o[1], t[1]) for o, t in zip(ours, theirs)]
        agree = sum(c and len(o[1]) == len(t[1]) for c, o, t in zip(covers, ours, theirs))
        more = sum(c and len(o[1]) > len(t[1]) for c, o, t in zip(covers, ours, theirs))
        print(
            f"{label:>10} {count:>5} {mine:12.3f} {gambit:14.4f} {gambit / mine:7.3f} "
            f"{found:>8} {sum(len(t[1]) for t in theirs):>10} {agree:>6} {more:>6} "
            f"{count - agree - more:>6} {incomplete:>10}"
        )
    print("\nOne equilibrium: ours (method='logit', exact epsilon) against Gambit's logit_solve")
    print(f"{'shape':>10} {'ours s':>8} {'epsilon':>10} {'gambit s':>9} {'ratio':>7}")
    for k, shape in enumerate(LOGIT_SHAPES[:2] if args.quick else LOGIT_SHAPES):
        (tensors,) = _games(shape, 1, seed=200 + k)
        seconds, _, _, solution = _ours(tensors, method="logit")
        mixed = [e for e in solution.equilibria if isinstance(e, MixedProfile)]
        epsilon = float(mixed[0].epsilon) if mixed else 0.0
        theirs = _gambit([tensors], "logit", args.limit)
        label = "x".join(map(str, shape))
        if theirs is None:
            print(f"{label:>10} {seconds:8.2f} {epsilon:10.2e} {'timeout':>9}")
            continue
        gambit = theirs[0][0]
        print(f"{label:>10} {seconds:8.2f} {epsilon:10.2e} {gambit:9.3f} {gambit / seconds:7.3f}")
    print(
        f"\n{math.prod(shapes[-1])} profiles in the largest enumerated shape; epsilon is the exact "
        "largest gain from a deviation of the rational profile reported (0: exact equilibrium)."
    )


if __name__ == "__main__":
    main()
