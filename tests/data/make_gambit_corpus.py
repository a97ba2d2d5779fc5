"""Write tests/data/gambit_corpus.json: seeded bimatrix games and Gambit's extreme equilibria.

Run from the repository root with the oracle extra installed::

    .venv/bin/pip install -e ".[dev,oracle]"
    .venv/bin/python tests/data/make_gambit_corpus.py

Every family draws from its own fixed seed, so a new run writes the same games; only the header
(pygambit's version, the date) and, should Gambit's answers change, the equilibria can differ.
tests/test_gambit_corpus.py checks ``enumerate_extreme_equilibria`` against the file without
pygambit.

Gambit's answer is ``pygambit.nash.enummixed_solve(game, rational=True)``: every extreme
equilibrium, in exact arithmetic; it lists some twice in degenerate games, the file lists each
once. pygambit 16.7 silently finds no equilibrium when payoffs or their spread reach about 2^31,
so the games of the ``scaled-shifted`` family (payoffs up to 10^12) are solved through their base
game: a positive affine map of each player's payoffs leaves the equilibria unchanged, and the
record keeps the base game and the maps (the test checks that they give the game).
"""

from __future__ import annotations

import contextlib
import datetime
import json
import random
import sys
from collections.abc import Callable, Iterator
from fractions import Fraction
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/: the shared oracle
from gambit_oracle import NoEquilibrium, gambit_extreme_equilibria

SEED = 20261201
OUT = Path(__file__).with_name("gambit_corpus.json")

Matrix = list[list[Fraction]]
Game = tuple[Matrix, Matrix]


def matrices(m: int, n: int, entry: Callable[[], Fraction]) -> Game:
    """Two m x n payoff matrices, entries drawn in turn (row player's first)."""
    return tuple([[entry() for _ in range(n)] for _ in range(m)] for _ in range(2))


def integer_game(rng: random.Random, m: int, n: int, low: int, high: int) -> Game:
    return matrices(m, n, lambda: Fraction(rng.randint(low, high)))


# -- the families ------------------------------------------------------------------------------


def small_range(rng: random.Random) -> Iterator[Game]:
    """Mostly degenerate games: integer payoffs in -1..1 to -3..3, 2x2 to 6x6."""
    for size in range(2, 7):
        for _ in range(13):
            m, n = size, rng.randint(2, 6)
            span = rng.randint(1, 3)
            yield integer_game(rng, m, n, -span, span)


def near_tie_payoff(rng: random.Random, K: int, s: int, zeros: float) -> Fraction:
    return Fraction(0 if rng.random() < zeros else K + rng.randint(-s, s))


def near_tie(rng: random.Random) -> Iterator[Game]:
    """Payoffs 0 or K-s..K+s (K in 1,000..65,000, s in 1..10), 3x3 to 5x5.

    Slacks of a few units against payoffs of tens of thousands: the family on which the float
    pass of the enumeration used to drop equilibria.
    """
    for _ in range(100):
        m, n = rng.randint(3, 5), rng.randint(3, 5)
        K, s = rng.randint(1_000, 65_000), rng.randint(1, 10)
        zeros = rng.choice((0.2, 0.35, 0.5))
        yield matrices(m, n, partial(near_tie_payoff, rng, K, s, zeros))


def affine_map(rng: random.Random) -> tuple[Fraction, Fraction]:
    """A positive scale 10^k (k in -6..12) and a shift of up to 10^12 (sometimes none)."""
    scale = Fraction(10) ** rng.randint(-6, 12)
    shift = rng.choice((0, 10**12, -(10**12), rng.randint(-(10**12), 10**12)))
    return scale, Fraction(shift)


def scaled_shifted(rng: random.Random) -> Iterator[tuple[Game, Game, list]]:
    """Small-range games 2x2 to 5x5, each player's payoffs mapped to a x + c.

    Yields the game, its base game and the maps ``[[a, c] of A, [a, c] of B]``.
    """
    for _ in range(40):
        m, n = rng.randint(2, 5), rng.randint(2, 5)
        span = rng.choice((1, 2, 3, 10))
        base = integer_game(rng, m, n, -span, span)
        maps = [affine_map(rng), affine_map(rng)]
        game = tuple(
            [[a * x + c for x in row] for row in M] for M, (a, c) in zip(base, maps, strict=True)
        )
        yield game, base, maps


def duplicated(rng: random.Random) -> Iterator[Game]:
    """Games 2x2 to 4x4 with one or two rows and columns repeated (both players' payoffs)."""
    for _ in range(32):
        A, B = integer_game(rng, rng.randint(2, 4), rng.randint(2, 4), -3, 3)
        for _ in range(rng.randint(1, 2)):
            i, at = rng.randrange(len(A)), rng.randint(0, len(A))
            A.insert(at, list(A[i]))
            B.insert(at, list(B[i]))
        for _ in range(rng.randint(1, 2)):
            j, at = rng.randrange(len(A[0])), rng.randint(0, len(A[0]))
            for row in (*A, *B):
                row.insert(at, row[j])
        yield A, B


def random_fraction(rng: random.Random, D: int) -> Fraction:
    return Fraction(rng.randint(-D, D), rng.randint(1, D))


def nudged_integer(rng: random.Random, q: int) -> Fraction:
    return rng.randint(-2, 2) + Fraction(rng.randint(-1, 1), q)


def large_denominators(rng: random.Random) -> Iterator[Game]:
    """Fractions with denominators up to 10^12, 2x2 to 4x4.

    Half are random fractions; half are small integers nudged by tiny fractions (many exact ties
    and many near ties).
    """
    for index in range(32):
        m, n = rng.randint(2, 4), rng.randint(2, 4)
        if index % 2 == 0:
            entry = partial(random_fraction, rng, 10 ** rng.randint(3, 12))
        else:
            entry = partial(nudged_integer, rng, rng.randint(10**6, 10**12))
        yield matrices(m, n, entry)


def wide(rng: random.Random) -> Iterator[Game]:
    """1 x n and 2 x n games (n up to 12), and their transposes, payoffs in -3..3."""
    for rows in (1, 2):
        for n in (3, 5, 8, 10, 12, 12):
            A, B = integer_game(rng, rows, n, -3, 3)
            yield A, B
            A, B = integer_game(rng, rows, n, -3, 3)
            yield [list(c) for c in zip(*A)], [list(c) for c in zip(*B)]


def large(rng: random.Random) -> Iterator[Game]:
    """7x7 and 8x8 games, payoffs in -10..10 and -1000..1000."""
    for size in (7, 8):
        for span in (10, 10, 1000, 1000):
            yield integer_game(rng, size, size, -span, span)


FAMILIES: dict[str, Callable[[random.Random], Iterator]] = {
    "small-range": small_range,
    "near-tie": near_tie,
    "scaled-shifted": scaled_shifted,
    "duplicated": duplicated,
    "large-denominators": large_denominators,
    "wide": wide,
    "large": large,
}


# -- Gambit and the file -----------------------------------------------------------------------


def gambit_equilibria(gbt, A: Matrix, B: Matrix) -> list[tuple[tuple[Fraction, ...], ...]]:
    """Gambit's extreme equilibria of (A, B), each once, sorted."""
    return sorted(gambit_extreme_equilibria(gbt, A, B))


def text(M: Matrix) -> list[list[str]]:
    return [[str(x) for x in row] for row in M]


def record(gbt, family: str, drawn) -> dict:
    if family == "scaled-shifted":
        (A, B), base, maps = drawn
        equilibria = gambit_equilibria(gbt, *base)
        with contextlib.suppress(NoEquilibrium):  # where Gambit can solve the game, it agrees
            assert gambit_equilibria(gbt, A, B) == equilibria, (A, B)
    else:
        A, B = drawn
        equilibria = gambit_equilibria(gbt, A, B)
    entry = {
        "family": family,
        "A": text(A),
        "B": text(B),
        "equilibria": [[[str(p) for p in x], [str(p) for p in y]] for x, y in equilibria],
    }
    if family == "scaled-shifted":
        entry["base"] = {"A": text(base[0]), "B": text(base[1])}
        entry["maps"] = [[str(a), str(c)] for a, c in maps]
    return entry


def main() -> None:
    import pygambit as gbt

    games = [
        record(gbt, family, drawn)
        for family, draw in FAMILIES.items()
        for drawn in draw(random.Random(f"{SEED}/{family}"))
    ]
    header = {
        "generator": "tests/data/make_gambit_corpus.py",
        "solver": "pygambit.nash.enummixed_solve(game, rational=True)",
        "pygambit": gbt.__version__,
        "date": datetime.date.today().isoformat(),
        "seed": SEED,
        "games": len(games),
    }
    # One game a line: small diffs when Gambit or a family changes.
    lines = [f'{{"header": {json.dumps(header)},', ' "games": [']
    lines += [f"  {json.dumps(game, separators=(',', ':'))}," for game in games]
    lines[-1] = lines[-1].rstrip(",")
    lines += [" ]", "}"]
    OUT.write_text("\n".join(lines) + "\n")
    print(f"{len(games)} games written to {OUT}")


if __name__ == "__main__":
    main()
