"""Symbolic Nash equilibria of small bimatrix games, and where each exists.

Support enumeration on expressions: for a pair of supports of equal size, the
indifference conditions (each player's mixture makes the other indifferent
across its support) are linear equations whose solution is a rational
function of the parameters. The equilibrium exists where every probability is
positive and no strategy outside a support does better: strict inequalities
that the region analysis (:mod:`credibility.symbolic.regions`) decides or
splits on. Inside a region the game is nondegenerate, so equal-size supports
find every equilibrium; on the boundaries (ties) the exact solver takes over.

For chicken with prize w, loss l (of swerving against a driver who goes
straight) and crash cost c, each side stands firm with probability
``w / (w + c - l)`` of the other side's payoffs... written in the game's own
parameters, whatever they are.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from itertools import combinations
from typing import Any

import sympy

from ..errors import GameTooLargeError
from ..models import Bimatrix
from ..parameters import ParamValues
from ..solvers.nash import MixedEquilibrium
from ..solvers.outcomes import bimatrix_outcome
from .budget import checkpoint, note
from .regions import RegionMap, symbolic_setting
from .signs import SignOracle

__all__ = ["MAX_SYMBOLIC_SIZE", "bimatrix_outcome", "symbolic_bimatrix_regions"]

#: The largest number of strategies per player handled symbolically.
MAX_SYMBOLIC_SIZE = 4


def symbolic_bimatrix_regions(
    game: Bimatrix, params: ParamValues | None = None, free: Sequence[str] | None = None
) -> RegionMap:
    """Regions of a bimatrix game with parameters free, each with its Nash equilibria.

    Parameters
    ----------
    game : Bimatrix
    params, free
        The parameters bound to numbers and those left symbolic, as in
        :func:`~credibility.symbolic.regions.tree_regions`.

    Returns
    -------
    RegionMap
        Each region's equilibria are ``MixedEquilibrium`` objects whose
        probabilities and payoffs are sympy expressions.

    Raises
    ------
    GameTooLargeError
        For games with more than ``MAX_SYMBOLIC_SIZE`` strategies per player.

    Notes
    -----
    A game whose payoffs tie for every parameter value (a strategic form such
    as entry deterrence's, where the incumbent's payoff after Out does not
    depend on its move) is degenerate everywhere; its extreme equilibria with
    supports of different sizes are not derived, and ``complete`` is False.

    Examples
    --------
    Chicken with the collision cost ``c`` of both drivers free: above a cost
    of 1 the game has its two pure equilibria and a mixed one.

    >>> import credibility as cr
    >>> game = cr.Bimatrix.from_arrays(
    ...     [[0, -1], [1, "-c"]], [[0, 1], [-1, "-c"]],
    ...     row_strategies=["Swerve", "Straight"], column_strategies=["Swerve", "Straight"],
    ...     parameters=[cr.Parameter("c", 5, 0)])
    >>> for region in symbolic_bimatrix_regions(game).regions:
    ...     print(region.condition, "->", region.outcome)
    (c > 0) & (c - 1 > 0) -> Swerve/Straight | Straight/Swerve | mixed
    (c > 0) & (1 - c > 0) -> Straight/Straight
    >>> mixed = symbolic_bimatrix_regions(game).regions[0].equilibria[-1]
    >>> mixed.row
    ((c - 1)/c, 1/c)
    """
    m, n = len(game.row_strategies), len(game.column_strategies)
    if max(m, n) > MAX_SYMBOLIC_SIZE:
        raise GameTooLargeError(
            f"symbolic equilibria are derived for games up to {MAX_SYMBOLIC_SIZE} x "
            f"{MAX_SYMBOLIC_SIZE}; this one is {m} x {n}: bind the parameters with the "
            "params= argument"
        )
    setting = symbolic_setting(game, params, free)
    A = setting.fix(sympy.Matrix(game.A))
    B = setting.fix(sympy.Matrix(game.B))
    pairs = [
        (rows, columns)
        for k in range(1, min(m, n) + 1)
        for rows in combinations(range(m), k)
        for columns in combinations(range(n), k)
    ]
    candidates = []
    for done, (rows, columns) in enumerate(pairs):
        checkpoint("candidates", done, len(pairs), unit="support pairs")
        candidate = _candidate(A, B, rows, columns)
        if candidate is not None:
            note(candidate[1])
            candidates.append(candidate)

    # A tie built into the payoffs: the game is degenerate at every point, and says so. A
    # condition that is 0 without being written 0 (max(x, 1/2) + min(x, 1/2) - x - 1/2) is
    # written 0, so that no sign is assumed for it (neither would hold anywhere).
    candidates = [
        (equilibrium, [sympy.Integer(0) if _identically_zero(c) else c for c in conditions])
        for equilibrium, conditions in candidates
    ]
    structural_tie = any(c == 0 for _, conditions in candidates for c in conditions)

    def analyse(sign: SignOracle) -> tuple[tuple[Any, ...], str]:
        found = tuple(
            equilibrium
            for equilibrium, conditions in candidates
            if all(sign(condition) > 0 for condition in conditions)
        )
        return found, bimatrix_outcome(game, found, structural_tie)

    return setting.regions(analyse, complete=not structural_tie)


def _candidate(
    A: sympy.Matrix, B: sympy.Matrix, rows: tuple[int, ...], columns: tuple[int, ...]
) -> tuple[MixedEquilibrium, list[sympy.Expr]] | None:
    """The equilibrium with these supports and the conditions (each > 0) for it to exist.

    None if the indifference equations have no unique solution.
    """
    y = _indifferent_mix(A[list(rows), list(columns)])
    x = _indifferent_mix(B[list(rows), list(columns)].T)
    if x is None or y is None:
        return None
    m, n = A.shape
    row = [sympy.Integer(0)] * m
    column = [sympy.Integer(0)] * n
    for i, p in zip(rows, x):
        row[i] = p
    for j, q in zip(columns, y):
        column[j] = q
    row_values = [sympy.cancel(sum(A[i, j] * column[j] for j in columns)) for i in range(m)]
    column_values = [sympy.cancel(sum(B[i, j] * row[i] for i in rows)) for j in range(n)]
    u, v = row_values[rows[0]], column_values[columns[0]]
    conditions = [p for p in (*x, *y) if p != 1]
    conditions += [sympy.cancel(u - row_values[i]) for i in range(m) if i not in rows]
    conditions += [sympy.cancel(v - column_values[j]) for j in range(n) if j not in columns]
    equilibrium = MixedEquilibrium(tuple(row), tuple(column), (u, v))
    return equilibrium, conditions


def _identically_zero(condition: sympy.Expr) -> bool:
    """True if ``condition`` is 0 for every parameter value.

    The conditions are cancelled rational functions, which are 0 only if written ``0``.
    Those with ``min``, ``max`` or ``abs`` are first evaluated exactly at a few fixed rational
    points: a value other than 0 proves the condition is not identically 0; ``simplify``
    (slow on large expressions) decides the others when it can. When it cannot (it does not
    see that ``max(x, 1/2) + min(x, 1/2) = x + 1/2``), the condition is evaluated exactly at
    ``_MORE_PROBES`` seeded random points, and one that vanishes at all of them is taken as
    identically 0. That errs, if ever, on the safe side: a tie built into the payoffs makes
    the analysis treat the game as degenerate and solve each point exactly (slower, never
    wrong), where the other answer would call the regions complete when they may not be.
    """
    if condition == 0:
        return True
    symbols = sorted(condition.free_symbols, key=str)
    if condition.is_rational_function(*symbols):
        return False
    if _refuted(condition, symbols, _PROBES):
        return False
    if sympy.simplify(condition) == 0:
        return True
    rng = random.Random(20261202)
    points = [
        tuple(sympy.Rational(rng.randint(-60, 60), rng.randint(1, 13)) for _ in symbols)
        for _ in range(_MORE_PROBES)
    ]
    values = [condition.xreplace(dict(zip(symbols, point))) for point in points]
    return all(value == 0 for value in values)


def _refuted(
    condition: sympy.Expr, symbols: list[sympy.Symbol], points: tuple[tuple[sympy.Expr, ...], ...]
) -> bool:
    """True if ``condition`` has an exact value other than 0 at one of ``points``."""
    for point in points:
        value = condition.xreplace({s: point[i % len(point)] + i for i, s in enumerate(symbols)})
        if value.is_Rational and value != 0:
            return True
    return False


#: Seeded random points at which a condition ``simplify`` cannot settle is evaluated.
_MORE_PROBES = 24


#: Rational points at which a condition is evaluated before ``simplify`` is asked (the i-th
#: symbol takes the point's i-th entry, cyclically, plus i: no two symbols share a value).
_PROBES = (
    (sympy.Rational(1, 3), sympy.Rational(-5, 7)),
    (sympy.Rational(13, 11), sympy.Rational(-2, 9)),
    (sympy.Rational(-17, 19), sympy.Rational(7, 23)),
)


def _indifferent_mix(M: sympy.Matrix) -> list[sympy.Expr] | None:
    """The mixture over M's columns giving every row of M the same value (None if not unique)."""
    k = M.shape[1]
    if k == 1:
        return [sympy.Integer(1)]
    # Rows i > 0 minus row 0 equal zero, and the probabilities sum to 1.
    system = sympy.Matrix.vstack(
        *(M[i, :] - M[0, :] for i in range(1, M.shape[0])), sympy.ones(1, k)
    )
    if sympy.cancel(system.det()) == 0:
        return None
    rhs = sympy.zeros(k, 1)
    rhs[k - 1] = 1
    solution = system.LUsolve(rhs)
    return [sympy.cancel(value) for value in solution]
