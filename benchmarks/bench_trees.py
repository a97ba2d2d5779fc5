"""Time threshold derivation per catalog model, and backward induction on long chains.

Part 1, thresholds: for every catalog model that ``cr.thresholds`` supports (trees, bimatrix and
signalling games) and every one of its parameters, the time of ``cr.thresholds(game, name)``
with the other parameters left symbolic (what ``credibility threshold GAME --for NAME`` does)
and with them bound to their defaults (one free parameter: thresholds are numbers, confirmed by
the exact solver). Signalling games always bind the other parameters, so they have one column.

Part 2, backward induction: ``cr.solve`` on a chain of n stages (a Rosenthal centipede: at each
stage the mover stops or passes on; n = 10, 100, 1000), built with ``cr.GameTree``, ``cr.Node``
and ``cr.Move``. The time includes binding, induction, the explanation and the attempt at the
reduced strategic form (refused, with a note, once the chain is too long for it).

Each figure is the best of ``--repeat`` runs (3 by default, 1 with ``--quick``), so that other
load on the machine inflates it as little as possible.

Run from the repository root:  .venv/bin/python benchmarks/bench_trees.py [--quick] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from typing import Any

import sympy

import credibility as cr

CHAIN_LENGTHS = (10, 100, 1000)


def best_time(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The shortest of ``repeat`` runs, in seconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def _thresholds(name: str, parameter: str, bind_others: bool) -> Callable[[], Any]:
    game = cr.load(name)
    params = (
        {p.name: p.default for p in game.parameters if p.name != parameter} if bind_others else {}
    )
    return lambda: cr.thresholds(game, parameter, params)


def _cell(name: str, parameter: str, bind_others: bool, repeat: int) -> tuple[str, str]:
    """The time in milliseconds and the number of thresholds, as printable cells."""
    try:
        seconds, result = best_time(_thresholds(name, parameter, bind_others), repeat)
    except cr.CredibilityError as error:
        return "error", type(error).__name__
    return f"{seconds * 1000:,.0f}", str(len(result.thresholds))


def bench_thresholds(names: list[str], repeat: int, both: bool) -> tuple[float, float]:
    """Print one row per model and parameter; return the total seconds of each column."""
    header = f"{'model':<28} {'kind':<10} {'parameter':<10} {'free ms':>9} {'#':>3}" + (
        f" {'bound ms':>9} {'#':>3}" if both else ""
    )
    print(header)
    print("-" * len(header))
    totals = [0.0, 0.0]
    for name in names:
        game = cr.load(name)
        for parameter in game.parameters:
            free_ms, free_n = _cell(name, parameter.name, False, repeat)
            row = f"{name:<28} {game.kind:<10} {parameter.name:<10} {free_ms:>9} {free_n:>3}"
            bound_ms = "-"
            if both:
                bound_ms, bound_n = _cell(name, parameter.name, True, repeat)
                row += f" {bound_ms:>9} {bound_n:>3}"
            for column, cell in enumerate((free_ms, bound_ms)):
                if cell not in ("-", "error"):
                    totals[column] += float(cell.replace(",", "")) / 1000
            print(row)
    return totals[0], totals[1]


def chain(n: int) -> cr.GameTree:
    """A centipede of ``n`` stages: A and B alternate; stopping at stage k pays the mover k + 2.

    Passing at the last stage pays (n, n). Backward induction stops at once (Rosenthal 1981).
    """

    def leaf(path: str, a: int, b: int) -> cr.Node:
        return cr.Node(path, payoffs=(sympy.Integer(a), sympy.Integer(b)))

    node = leaf("/".join(["Go"] * n), n, n)
    for k in range(n - 1, -1, -1):
        path = "/".join(["Go"] * k)
        stop_path = f"{path}/Stop" if path else "Stop"
        stop = leaf(stop_path, k + 2, k) if k % 2 == 0 else leaf(stop_path, k, k + 2)
        node = cr.Node(path, player="AB"[k % 2], moves=(cr.Move("Stop", stop), cr.Move("Go", node)))
    return cr.GameTree(("A", "B"), node)


def bench_chains(lengths: tuple[int, ...], repeat: int) -> None:
    header = (
        f"{'stages':>6} {'nodes':>6} {'build ms':>9} {'solve ms':>9} {'us/stage':>9}  "
        f"{'path':<6} strategic form"
    )
    print(header)
    print("-" * len(header))
    for n in lengths:
        build, tree = best_time(lambda n=n: chain(n), repeat)
        seconds, solution = best_time(lambda tree=tree: cr.solve(tree), repeat)
        nodes = sum(1 for _ in tree.nodes())
        form = (
            f"{len(solution.strategic_form.equilibria)} Nash equilibria"
            if solution.strategic_form is not None
            else "too large (not analysed)"
        )
        print(
            f"{n:>6} {nodes:>6} {build * 1000:>9.1f} {seconds * 1000:>9.1f} "
            f"{seconds / n * 1e6:>9.0f}  {' > '.join(solution.equilibria[0].path):<6} {form}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="tree models only, symbolic column, one run each"
    )
    parser.add_argument("--repeat", type=int, help="runs per figure (best is kept)")
    args = parser.parse_args()
    repeat = args.repeat or (1 if args.quick else 3)
    names = cr.catalog_names()
    if args.quick:
        names = [name for name in names if cr.load(name).kind == "tree"]
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}; sympy {sympy.__version__}; best of {repeat}"
    )
    print()
    print("Thresholds per catalog model and parameter (ms; # = thresholds found)")
    print("free: other parameters symbolic; bound: other parameters at their defaults")
    print()
    start = time.perf_counter()
    free, bound = bench_thresholds(names, repeat, both=not args.quick)
    print()
    print(
        f"{len(names)} models; totals: free {free:.1f} s, bound {bound:.1f} s; "
        f"part 1 wall time {time.perf_counter() - start:.1f} s"
    )
    print()
    print("Backward induction on a chain of n stages (cr.solve)")
    print()
    bench_chains(CHAIN_LENGTHS, repeat)


if __name__ == "__main__":
    main()
