"""Pure Nash equilibria of n-player games against their peers, on the same random games, in one run.

Every solver gets the same seeded random integer games (payoffs in -1000..1000), built
beforehand in its own input form (the conversion is not timed), from 10^3 to 10^6 strategy
profiles, with three to six players. Solvers (a peer is skipped when its package is not
importable):

- ``ours``: :func:`credibility.solvers.pure_nash.pure_nash_profiles` on int64 tensors (the
  vectorised best-response masks);
- ``ours-solve``: the full ``cr.solve`` path on a prebuilt :class:`NormalForm` (binding, exact
  Fractions scaled to integers, the kernel, labels and payoffs of each equilibrium);
- ``quantecon``: ``quantecon.game_theory.pure_nash_brute`` (a loop over every profile);
- ``gambit``: ``pygambit.nash.enumpure_solve`` (C++, exact).

The table gives the seconds per game, the ratio peer / ours (above 1: ours is faster) and the
number of pure equilibria each found, which must agree. A peer whose previous size took longer
than ``--budget`` seconds is not run on the larger sizes (marked ``skipped``).

Run ``python benchmarks/bench_pure_nash.py`` (a few minutes), or ``--quick`` (up to 10^5).
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import credibility as cr
from credibility.models.normal import NormalForm
from credibility.solvers.pure_nash import pure_nash_profiles

SHAPES = [(10, 10, 10), (10, 10, 10, 10), (10,) * 5, (100, 100, 100), (10,) * 6]


def _games(shape: tuple[int, ...], count: int, seed: int) -> list[list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    return [[rng.integers(-1000, 1001, size=shape) for _ in shape] for _ in range(count)]


def _peers() -> dict[str, tuple[Callable[[list[np.ndarray]], Any], Callable[[Any], int]]]:
    """name -> (build the peer's input from the tensors, solve it and count equilibria)."""
    peers: dict[str, tuple[Callable[[list[np.ndarray]], Any], Callable[[Any], int]]] = {
        "ours": (lambda t: [x.astype(np.int64) for x in t], lambda g: len(pure_nash_profiles(g))),
        "ours-solve": (
            lambda t: NormalForm.from_arrays(t),
            lambda g: len(cr.solve(g).equilibria),
        ),
    }
    try:
        from quantecon.game_theory import NormalFormGame, pure_nash_brute

        peers["quantecon"] = (
            lambda t: NormalFormGame(np.stack(t, axis=-1)),
            lambda g: len(pure_nash_brute(g)),
        )
    except ImportError:
        pass
    try:
        import pygambit as gbt

        peers["gambit"] = (
            lambda t: gbt.Game.from_arrays(*[x.astype(object) for x in t]),
            lambda g: len(gbt.nash.enumpure_solve(g).equilibria),
        )
    except ImportError:
        pass
    return peers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes up to 10^5 only")
    parser.add_argument("--games", type=int, default=2, help="games per size (default 2)")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds a peer may take")
    args = parser.parse_args()
    shapes = [s for s in SHAPES if not args.quick or math.prod(s) <= 10**5]
    peers = _peers()
    slow: set[str] = set()
    for build, solve in peers.values():  # first calls (imports, numba compilation): not timed
        solve(build(_games((2, 2, 2), 1, seed=99)[0]))
    print(f"{'shape':>22}  {'profiles':>9}  " + "  ".join(f"{p:>22}" for p in peers))
    for k, shape in enumerate(shapes):
        games = _games(shape, args.games, seed=k)
        times: dict[str, float] = {}
        counts: dict[str, int] = {}
        for name, (build, solve) in peers.items():
            if name in slow:
                continue
            inputs = [build(t) for t in games]
            start = time.perf_counter()
            counts[name] = sum(solve(g) for g in inputs)
            times[name] = (time.perf_counter() - start) / len(inputs)
            if times[name] * len(inputs) > args.budget:
                slow.add(name)
        reference = counts["ours"]
        cells = []
        for name in peers:
            if name not in times:
                cells.append(f"{'skipped':>22}")
                continue
            ratio = times[name] / times["ours"]
            agree = "" if counts[name] == reference else f" (found {counts[name]}!)"
            cells.append(f"{times[name]:9.4f}s {ratio:8.1f}x{agree:>3}")
        label = " x ".join(map(str, shape)) if len(set(shape)) > 1 else f"{shape[0]}^{len(shape)}"
        print(f"{label:>22}  {math.prod(shape):>9,}  " + "  ".join(cells))
        print(f"{'':>22}  {'':>9}  pure equilibria found (all games): {reference}")
    print(
        "\nSeconds per game; the ratio is that solver's time / ours (the kernel): above 1, ours is "
        "faster."
    )


if __name__ == "__main__":
    main()
