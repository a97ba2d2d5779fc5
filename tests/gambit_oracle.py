"""Gambit's answer, the independent oracle: every extreme equilibrium by enummixed, exactly.

Shared by the live oracle tests and tests/data/make_gambit_corpus.py (which writes the stored
corpus that the default run checks without pygambit).
"""

from __future__ import annotations

from fractions import Fraction

Matrix = list[list[Fraction]]
Profile = tuple[tuple[Fraction, ...], ...]


class NoEquilibrium(RuntimeError):
    """Gambit found none: every finite game has one, so its arithmetic gave way.

    pygambit 16.7's rational enummixed finds nothing once payoffs or their spread reach
    about 2^31.
    """


def gambit_extreme_equilibria(gbt, A: Matrix, B: Matrix) -> set[Profile]:
    """The extreme equilibria of (A, B) by ``pygambit.nash.enummixed_solve(rational=True)``.

    ``gbt`` is the pygambit module (the tests' ``gbt`` fixture). Gambit lists some equilibria
    of degenerate games twice; the set holds each once.
    """
    game = gbt.Game.from_arrays(
        [[gbt.Rational(x) for x in row] for row in A], [[gbt.Rational(x) for x in row] for row in B]
    )
    held = game.to_arrays(dtype=Fraction)
    assert [M.tolist() for M in held] == [A, B], "Gambit does not hold the game exactly"
    found = {
        tuple(tuple(Fraction(p) for _, p in strategies) for _, strategies in mixed)
        for mixed in (
            profile.mixed_strategies()
            for profile in gbt.nash.enummixed_solve(game, rational=True).equilibria
        )
    }
    if not found:
        raise NoEquilibrium(f"Gambit found no equilibrium (payoffs beyond its range?): {A}, {B}")
    return found
