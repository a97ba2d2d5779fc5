"""Refuse a grid that leaves the region where the game is defined.

A parameter's bounds are an interval, so the axis' extremes decide them
(:func:`~credibility.sweeps.grid.make_grid`). Probabilities given as
expressions (chance moves, priors) must also form a distribution at every
grid point, as ``solve`` checks at one point. This module checks the whole
grid before anything is computed or written:

- when every probability (and each distribution's sum minus one) is
  *multilinear* in the swept parameters (of degree at most one in each, as
  ``p``, ``1 - p``, ``p * q`` are), its extreme values over the grid's box are
  taken at the box's corners, and a multilinear function is determined by its
  values there: checking the ``2^k`` corners exactly decides every point;
- otherwise every point is evaluated in floats, chunk by chunk, and each point
  whose probabilities are not certainly inside ``[0, 1]`` with a sum certainly
  one is checked exactly (:class:`~credibility.sweeps.compiled.Compiled` says
  where a float's sign cannot be trusted).

The first point where the game is not defined is named in the error.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from itertools import product
from typing import TYPE_CHECKING

import numpy as np

from ..errors import CredibilityError, ParameterError
from ..models import Game
from ..models.common import Binding
from .compiled import Compiled
from .grid import Grid, extremes

if TYPE_CHECKING:
    import sympy

__all__ = ["check_grid"]

#: Points evaluated at once when the probabilities are not multilinear.
_SCAN_CHUNK = 1_000_000


def check_grid(game: Game, grid: Grid, bound: Mapping[str, Fraction]) -> None:
    """Raise ParameterError if the game is undefined at some point of the grid.

    Parameters
    ----------
    game : Bimatrix, GameTree or SignallingGame
    grid : Grid
        The swept parameters' axes (their bounds already checked).
    bound : mapping of str to Fraction
        The other parameters given by the caller (the rest take defaults).

    Examples
    --------
    >>> from credibility.io.toml_loader import parse_toml
    >>> from credibility.sweeps.grid import make_grid, parse_grid
    >>> game = parse_toml('''
    ... kind = "tree"
    ... players = ["A", "B"]
    ... parameters.p = {default = 0.5, min = 0}
    ... root.chance = true
    ... root.moves.Up = {probability = "p", payoffs = [1, 0]}
    ... root.moves.Down = {probability = "1 - p", payoffs = [0, 1]}
    ... ''')
    >>> check_grid(game, make_grid(dict([parse_grid("p=0:1:11")]), game.parameters), {})
    >>> check_grid(game, make_grid(dict([parse_grid("p=0:2:5")]), game.parameters), {})
    Traceback (most recent call last):
    ...
    credibility.errors.ParameterError: the grid leaves the region where the game is defined: \
at p=2, field 'root.moves.Up.probability': probability 2 is outside [0, 1]
    """
    distributions = game.distributions()
    if not distributions:
        return
    import sympy  # lazy: start-up time (sympy; games without probabilities need none)

    binding = Binding.of(game.parameters, dict(bound))
    symbols = {p.name: p.symbol for p in game.parameters}
    swept = [symbols[name] for name in grid.names]
    fixed = {symbols[name]: value for name, value in binding.values.items()}
    for symbol in swept:
        del fixed[symbol]
    probabilities: list[sympy.Expr] = []
    excesses: list[sympy.Expr] = []  # each distribution's sum minus one
    for distribution in distributions:
        parts = [expr.subs(fixed) for _, expr in distribution.probabilities]
        probabilities += parts
        excesses.append(sympy.Add(*parts) - 1)
    if all(_multilinear(expr, swept) for expr in probabilities + excesses):
        for corner in product(*(sorted(set(extremes(axis))) for axis in grid.axes)):
            _check_point(game, bound, dict(zip(grid.names, corner)))
    else:
        _scan(game, grid, bound, (probabilities, excesses), swept)


def _multilinear(expr: sympy.Expr, symbols: list[sympy.Symbol]) -> bool:
    """True if ``expr`` is a polynomial of degree at most one in each symbol."""
    import sympy  # lazy: start-up time (sympy; games without probabilities need none)

    try:
        poly = sympy.Poly(expr, *symbols)
    except sympy.PolynomialError:
        return False
    return all(max(exponents, default=0) <= 1 for exponents in zip(*poly.monoms()))


def _check_point(game: Game, bound: Mapping[str, Fraction], point: dict[str, Fraction]) -> None:
    try:
        game.bind(dict(bound) | point)
    except CredibilityError as error:
        where = ", ".join(f"{name}={value}" for name, value in point.items())
        raise ParameterError(
            f"the grid leaves the region where the game is defined: at {where}, {error}"
        ) from None


def _scan(
    game: Game,
    grid: Grid,
    bound: Mapping[str, Fraction],
    checked: tuple[list[sympy.Expr], list[sympy.Expr]],
    swept: list[sympy.Symbol],
) -> None:
    """Evaluate every point in floats; check exactly where floats cannot decide."""
    probabilities, excesses = checked
    lows = [Compiled(expr, swept) for expr in probabilities]
    highs = [Compiled(1 - expr, swept) for expr in probabilities]
    zeros = [Compiled(expr, swept) for expr in excesses]
    for start in range(0, grid.size, _SCAN_CHUNK):
        chunk = grid.chunk(start, min(start + _SCAN_CHUNK, grid.size))
        values = [chunk.values[name] for name in grid.names]
        doubtful = np.zeros(len(chunk), dtype=bool)
        for nonnegative in lows + highs:  # p >= 0 and 1 - p >= 0
            v = nonnegative(*values)
            doubtful |= (v <= 0) | nonnegative.uncertain(v, *values)
        for zero in zeros:  # a sum certainly different from one
            doubtful |= ~zero.uncertain(zero(*values), *values)
        for i in np.flatnonzero(doubtful):
            _check_point(game, bound, chunk.exact(int(i)))
