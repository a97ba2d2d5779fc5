"""Large bimatrix games: our exact enumeration against its peers on the same seeded games.

Every solver gets the same random square games, converted beforehand to its own input form
(the conversion is not timed). Families:

- ``float``: payoffs uniform in [0, 1) (as exact binary fractions for the exact solvers);
- ``int``: integer payoffs in -1000..1000 (almost always nondegenerate);
- ``int2``: integer payoffs in -2..2 (degenerate: ties and equilibrium components).

Solvers (a peer is skipped when its package is not importable or the size is above its limit,
shown as ``-``):

- ``ours``: :func:`credibility.solvers.enumeration.enumerate_extreme_equilibria` (exact; reverse
  search from 7 x 7 on, with the compiled walk when numba is installed);
- ``ours-numpy``: the same with the compiled walk turned off (numpy batches only; shown when
  numba is installed);
- ``ours-float``: the same with ``exact=False`` (floats; an uncertified search in numpy, which
  goes on certified once the compiled walk takes over);
- ``subsets``: the same with ``method="subsets"`` (the method used for every size before
  reverse search);
- ``gambit-float``, ``gambit-rational``: ``pygambit.nash.enummixed_solve`` (``rational=False``
  and ``True``);
- ``quantecon``: ``quantecon.game_theory.vertex_enumeration`` (floats, Qhull; it can miss
  equilibria of degenerate games);
- ``nashpy``: ``nashpy.Game.vertex_enumeration`` (floats).

Times are CPU seconds per game (``time.process_time``: the machine may be shared), averaged
over the games of a row; ``peer/ours`` above 1 means ours is faster. Gambit is stopped after
``--timeout`` seconds of wall time on a row (default 120), the other peers after
``--peer-timeout`` (default 600), and shown as ``>`` that (each solver runs in a child process
for that; ours are never stopped). The last table gives the number of distinct equilibria each
solver reported (ours is exact and complete). numba's compile time is reported apart: the first
call with an empty cache (compiling) and with the cache filled (loading); the timed rows run
with the cache filled and loaded.

Run ``python benchmarks/bench_large_games.py --quick`` (a few minutes: one game per row, no
20 x 20) or without ``--quick`` (about twenty minutes; ``--sizes 15 20`` for those rows only).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from credibility.solvers import reverse_search
from credibility.solvers.enumeration import enumerate_extreme_equilibria

Game = tuple[np.ndarray, np.ndarray]

#: (size, family) rows: quick mode runs one game each and skips 20 x 20.
ROWS = [(8, "float"), (10, "float"), (10, "int"), (10, "int2"), (12, "float"), (15, "float"),
        (15, "int"), (20, "float"), (20, "int")]  # fmt: skip
FULL_GAMES = {8: 3, 10: 3, 12: 2, 15: 1, 20: 1}


@dataclass(frozen=True)
class Solver:
    """A solver: how to convert a game (untimed), how to solve it (timed), its size limits."""

    name: str
    prepare: Callable[[Game], Any]
    solve: Callable[[Any], list[tuple[Any, Any]]]
    quick_limit: int = 99
    full_limit: int = 99


def _fractions(game: Game) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
    return tuple(  # type: ignore[return-value]
        [[Fraction(x) for x in row] for row in M.tolist()] for M in game
    )


@contextmanager
def _numpy_only() -> Iterator[None]:
    """Turn the compiled walk off (it takes over after the bases ``_compiled_after`` says)."""
    saved = reverse_search._compiled_after
    reverse_search._compiled_after = lambda: 2**62
    try:
        yield
    finally:
        reverse_search._compiled_after = saved


def _ours(
    exact: bool, method: str | None = None, compiled: bool = True
) -> Callable[[Any], list[tuple[Any, Any]]]:
    def solve(game: Any) -> list[tuple[Any, Any]]:
        if not compiled:
            with _numpy_only():
                return _ours(exact, method)(game)
        if exact:
            found = enumerate_extreme_equilibria(*game, method=method).equilibria
            return [(e.row, e.column) for e in found]
        floats = enumerate_extreme_equilibria(*game, exact=False, method=method).equilibria
        return [(e.row, e.column) for e in floats]

    return solve


def available_solvers() -> list[Solver]:
    """Our paths and every peer that can be imported."""
    solvers = [Solver("ours", _fractions, _ours(True))]
    if reverse_search.compiled_kernel() is not None:
        solvers.append(Solver("ours-numpy", _fractions, _ours(True, compiled=False)))
    solvers += [
        Solver("ours-float", _fractions, _ours(False)),
        Solver("subsets", _fractions, _ours(True, "subsets"), 10, 10),
    ]
    try:
        import pygambit
    except ImportError:
        pass
    else:

        def gambit(rational: bool) -> Callable[[Any], list[tuple[Any, Any]]]:
            def solve(game: Any) -> list[tuple[Any, Any]]:
                found = pygambit.nash.enummixed_solve(game, rational=rational).equilibria
                return [
                    tuple(strategies for _, strategies in profile.mixed_strategies())
                    for profile in found
                ]

            return solve

        def gambit_game(g: Game) -> Any:
            return pygambit.Game.from_arrays(g[0], g[1])

        solvers.append(Solver("gambit-float", gambit_game, gambit(False), 10, 20))
        solvers.append(Solver("gambit-rational", gambit_game, gambit(True), 8, 8))
    try:
        from quantecon.game_theory import NormalFormGame, Player, vertex_enumeration
    except ImportError:
        pass
    else:
        solvers.append(
            Solver(
                "quantecon",
                lambda g: NormalFormGame((Player(g[0] * 1.0), Player(g[1].T * 1.0))),
                vertex_enumeration,
            )
        )
    try:
        import nashpy
    except ImportError:
        pass
    else:
        solvers.append(
            Solver(
                "nashpy",
                lambda g: nashpy.Game(g[0] * 1.0, g[1] * 1.0),
                lambda game: list(game.vertex_enumeration()),
                8,
                8,
            )
        )
    return solvers


def random_games(rng: np.random.Generator, size: int, family: str, count: int) -> list[Game]:
    """``count`` square games of a family."""
    games: list[Game] = []
    for _ in range(count):
        if family == "float":
            games.append((rng.random((size, size)), rng.random((size, size))))
        else:
            span = 1000 if family == "int" else 2
            A = rng.integers(-span, span, size=(size, size), endpoint=True)
            B = rng.integers(-span, span, size=(size, size), endpoint=True)
            games.append((A, B))
    return games


def _distinct(found: list[tuple[Any, Any]]) -> int:
    """The number of distinct equilibria (compared to 6 decimals; Gambit repeats some)."""

    def probabilities(strategy: Any) -> list[float]:
        return [float(p[1] if isinstance(p, tuple) else p) for p in strategy]

    return len(
        {tuple(round(p, 6) + 0.0 for s in (x, y) for p in probabilities(s)) for x, y in found}
    )


def run(solver: Solver, games: list[Game]) -> tuple[float, int]:
    """CPU seconds per game and the total number of distinct equilibria found."""
    prepared = [solver.prepare(game) for game in games]
    found = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nashpy and quantecon warn on degenerate games
        warm_up = random_games(np.random.default_rng(0), 3, "int", 1)[0]
        if solver.name == "quantecon":
            solver.solve(solver.prepare(warm_up))
        if solver.name.startswith("ours") and reverse_search.compiled_kernel() is not None:
            load_kernel()  # from numba's cache: timed apart, with the compilation
        start = time.process_time()
        for game in prepared:
            found += _distinct(solver.solve(game))
        elapsed = time.process_time() - start
    return elapsed / len(games), found


def _child(solver: Solver, games: list[Game], pipe: Any) -> None:
    pipe.send(run(solver, games))


def run_with_timeout(
    solver: Solver, games: list[Game], timeout: float | None
) -> tuple[float, int] | None:
    """:func:`run` in a child process, None if it takes more than ``timeout`` seconds."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(solver, games, send))
    child.start()
    try:
        if receive.poll(timeout):
            result: tuple[float, int] = receive.recv()
            return result
        return None
    finally:
        child.kill()
        child.join()


def load_kernel() -> None:
    """Compile the compiled walk's functions, or load them from numba's cache."""
    reverse_search.polytope_vertices([[1, 2], [2, 1]], [0, 1, 2, 3], 4, limit=9, compiled=True)
    kernel = reverse_search.compiled_kernel()
    assert kernel is not None
    basic, nonbasic = np.array([[0]], np.int16), np.array([[1]], np.int16)
    kernel.fresh_dictionaries(np.ones((1, 1)), np.zeros((1, 1)), basic, nonbasic)


_COMPILE_SNIPPET = f"""
import sys, time
start = time.process_time()
sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
from bench_large_games import load_kernel
load_kernel()
print(time.process_time() - start)
"""


def compile_times() -> tuple[float, float]:
    """CPU seconds of a first compiled search in a new process: numba's cache empty, then filled.

    Both include importing numba and the package (about 0.5 s).
    """
    with tempfile.TemporaryDirectory() as cache:
        environment = {**os.environ, "NUMBA_CACHE_DIR": cache}
        command = [sys.executable, "-c", _COMPILE_SNIPPET]
        times = [
            float(subprocess.run(command, env=environment, capture_output=True, text=True,
                                 check=True).stdout)
            for _ in range(2)
        ]  # fmt: skip
    return times[0], times[1]


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one game per row, no 20 x 20")
    parser.add_argument("--seed", type=int, default=20260601, help="random seed")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds for Gambit per row")
    parser.add_argument(
        "--peer-timeout", type=float, default=600.0, help="seconds for other peers per row"
    )
    parser.add_argument("--sizes", type=int, nargs="*", help="only the rows of these sizes")
    args = parser.parse_args(argv)
    solvers = available_solvers()
    if reverse_search.compiled_kernel() is not None:
        cold, cached = compile_times()
        print(
            f"numba: first call {cold:.2f} s compiling, {cached:.2f} s from the cache", flush=True
        )
    names = [s.name for s in solvers]
    rng = np.random.default_rng(args.seed)
    times: dict[str, dict[str, float | str]] = {}  # a str: stopped after that many seconds
    counts: dict[str, dict[str, int | str]] = {}
    for size, family in ROWS:
        if args.quick and size > 15:
            continue
        games = random_games(rng, size, family, 1 if args.quick else FULL_GAMES[size])
        if args.sizes and size not in args.sizes:
            continue  # drawn all the same: the other rows keep their games
        row = f"{size}x{size} {family} ({len(games)})"
        times[row], counts[row] = {}, {}
        for solver in solvers:
            if size > (solver.quick_limit if args.quick else solver.full_limit):
                continue
            timeout = None if solver.name.startswith("ours") else args.peer_timeout
            if solver.name.startswith("gambit"):
                timeout = args.timeout
            result = run_with_timeout(solver, games, timeout)
            times[row][solver.name], counts[row][solver.name] = result or (f">{timeout:g}", "?")
            shown = f"{result[0]:10.3f} s" if result else f"> {timeout:g} s (stopped)"
            print(f"  {row:<20} {solver.name:<16} {shown}", flush=True)

    peers = [name for name in names if name != "ours"]
    print("\nCPU seconds per game")
    print(f"{'game':<20}" + "".join(f"{n:>16}" for n in names))
    for row, values in times.items():
        print(f"{row:<20}" + "".join(_cell(values.get(n), "{:.3f}") for n in names))
    print("\npeer / ours (above 1: ours is faster)")
    print(f"{'game':<20}" + "".join(f"{n:>16}" for n in peers))
    for row, values in times.items():
        ratios = [_ratio(values.get(n), values["ours"]) for n in peers]
        print(f"{row:<20}" + "".join(_cell(r, "{:.2f}") for r in ratios))
    print("\ndistinct equilibria found (ours: every extreme equilibrium, exactly)")
    print(f"{'game':<20}" + "".join(f"{n:>16}" for n in names))
    for row, found in counts.items():
        print(f"{row:<20}" + "".join(_cell(found.get(n), "{}") for n in names))


def _ratio(peer: float | str | None, ours: float | str) -> float | str | None:
    """``peer / ours``: a lower bound (``>``) for a stopped peer, None for a skipped one."""
    if peer is None or isinstance(ours, str):
        return None
    if isinstance(peer, str):
        return f">{float(peer[1:]) / ours:.2f}"
    return peer / ours


def _cell(value: float | str | None, form: str) -> str:
    """A table cell: ``-`` skipped (None), a str as it is (stopped), else the value."""
    text = "-" if value is None else value if isinstance(value, str) else form.format(value)
    return f"{text:>16}"


if __name__ == "__main__":
    main()
