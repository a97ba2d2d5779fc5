"""Exact enumeration against Gambit, live, on games drawn afresh at every run (needs pygambit).

The stored corpus (tests/test_gambit_corpus.py) holds fixed games; here each run draws new ones
from a random seed, so CI keeps exploring. A failure names the seed; to draw the same games:

    ORACLE_SEED=<seed> .venv/bin/pytest -m oracle tests/test_oracle_live.py

pygambit 16.7 finds no equilibrium at all once payoffs or their spread reach about 2^31, so a game
scaled or shifted past that is checked against Gambit's answer for the game before the map (a
positive affine map of a player's payoffs leaves the equilibria unchanged).
"""

import os
import random
from fractions import Fraction

import pytest
from gambit_oracle import gambit_extreme_equilibria

from credibility.solvers.enumeration import enumerate_extreme_equilibria

pytestmark = pytest.mark.oracle

SEED = int(os.environ.get("ORACLE_SEED") or random.SystemRandom().randrange(10**9))


def integer_matrix(rng, m, n, low, high):
    return [[Fraction(rng.randint(low, high)) for _ in range(n)] for _ in range(m)]


def near_tie(rng):
    """Payoffs 0 or K-s..K+s (K in 1,000..65,000, s in 1..10), 3x3 to 5x5."""
    m, n = rng.randint(3, 5), rng.randint(3, 5)
    K, s = rng.randint(1_000, 65_000), rng.randint(1, 10)
    zeros = rng.choice((0.2, 0.35, 0.5))

    def draw():
        return [
            [Fraction(0 if rng.random() < zeros else K + rng.randint(-s, s)) for _ in range(n)]
            for _ in range(m)
        ]

    game = draw(), draw()
    return game, game


def small_range(rng):
    """Mostly degenerate: 2x2 to 5x5, integer payoffs in -1..1 up to -10..10."""
    m, n = rng.randint(2, 5), rng.randint(2, 5)
    span = rng.choice((1, 2, 3, 10))
    return integer_matrix(rng, m, n, -span, span), integer_matrix(rng, m, n, -span, span)


def mapped(base, maps):
    """Each player's payoffs x mapped to a x + c, with that player's (a, c)."""
    return tuple([[a * x + c for x in row] for row in M] for M, (a, c) in zip(base, maps))


def scaled(rng):
    """Each player's payoffs times 10^k, k in -6..12; Gambit solves the base game."""
    base = small_range(rng)
    return mapped(base, [(Fraction(10) ** rng.randint(-6, 12), 0) for _ in base]), base


def shifted(rng):
    """Each player's payoffs plus 10^9 to 10^12 either way; Gambit solves the base game."""
    base = small_range(rng)
    shifts = [(1, rng.choice((-1, 1)) * rng.randint(10**9, 10**12)) for _ in base]
    return mapped(base, shifts), base


def duplicated(rng):
    """2x2 to 4x4 with a row and a column repeated (both players' payoffs)."""
    m, n = rng.randint(2, 4), rng.randint(2, 4)
    A, B = integer_matrix(rng, m, n, -3, 3), integer_matrix(rng, m, n, -3, 3)
    i, at = rng.randrange(m), rng.randint(0, m)
    A.insert(at, list(A[i]))
    B.insert(at, list(B[i]))
    j, at = rng.randrange(n), rng.randint(0, n)
    for row in (*A, *B):
        row.insert(at, row[j])
    return (A, B), (A, B)


def text(M):
    return [[str(x) for x in row] for row in M]


def show(profiles):
    return "; ".join(
        "(" + ", ".join(map(str, x)) + ") / (" + ", ".join(map(str, y)) + ")"
        for x, y in sorted(profiles)
    )


@pytest.mark.parametrize(
    ("draw", "count"),
    [(near_tie, 400), (scaled, 34), (shifted, 33), (duplicated, 33)],
    ids=["near-tie", "scaled", "shifted", "duplicated"],
)
def test_same_extreme_equilibria_as_gambit(gbt, draw, count):
    print(f"ORACLE_SEED={SEED}")  # shown with any failure, an exception included
    rng = random.Random(f"{SEED}/{draw.__name__}")
    mismatches = []
    for index in range(count):
        game, reference = draw(rng)
        result = enumerate_extreme_equilibria(*game)
        ours = {(e.row, e.column) for e in result.equilibria}
        theirs = gambit_extreme_equilibria(gbt, *reference)
        if ours != theirs or len(result.equilibria) != len(ours):
            mismatches.append((index, game, ours, theirs))
    if mismatches:
        index, (A, B), ours, theirs = mismatches[0]
        pytest.fail(
            f"{len(mismatches)} of {count} {draw.__name__} games differ from Gambit"
            f" (ORACLE_SEED={SEED} draws them again). First, game {index}:"
            f" A = {text(A)}, B = {text(B)};"
            f" Gambit's only: {show(theirs - ours) or 'none'};"
            f" ours only: {show(ours - theirs) or 'none'}"
            + ("; ours lists an equilibrium twice" if ours == theirs else "")
        )
