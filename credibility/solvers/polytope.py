"""Exact vertices of small polytopes ``{x : E x = e, G x <= g}``.

The equalities are solved first (reduced row echelon form, exactly), which
leaves a polytope in the free coordinates; its vertices are the feasible
points where as many independent inequalities as there are free coordinates
are tight (Ziegler 1995, *Lectures on Polytopes*, lecture 1). Every choice of
tight rows is tried, so this is for the small systems of signalling games
(beliefs over a few types, strategies of a few messages), not for large ones.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations

from .exact import integer_row, solve_integer

__all__ = ["vertices"]

Row = Sequence[Fraction]


def vertices(
    equalities: Sequence[Row],
    equality_rhs: Sequence[Fraction],
    inequalities: Sequence[Row],
    inequality_rhs: Sequence[Fraction],
    dimension: int,
) -> list[tuple[Fraction, ...]]:
    """Every vertex of a bounded polytope, exactly, in a stable order.

    Parameters
    ----------
    equalities, equality_rhs : rows and right-hand sides of ``E x = e``
    inequalities, inequality_rhs : rows and right-hand sides of ``G x <= g``
    dimension : int
        The number of coordinates of ``x``.

    Returns
    -------
    list of tuple of Fraction
        Empty if the polytope is empty. The polytope must be bounded (the
        caller's constraints include a simplex).

    Examples
    --------
    The probability simplex in the plane, cut by ``x0 <= 1/2``:

    >>> F = Fraction
    >>> vertices([[F(1), F(1)]], [F(1)], [[F(-1), F(0)], [F(0), F(-1)], [F(1), F(0)]],
    ...          [F(0), F(0), F(1, 2)], 2)
    [(Fraction(0, 1), Fraction(1, 1)), (Fraction(1, 2), Fraction(1, 2))]
    """
    reduced = _eliminate(equalities, equality_rhs, dimension)
    if reduced is None:
        return []
    pivots, offset, coefficients, free = reduced

    def lift(z: Sequence[Fraction]) -> tuple[Fraction, ...]:
        x = [Fraction(0)] * dimension
        for f, value in zip(free, z):
            x[f] = value
        for row, p in enumerate(pivots):
            x[p] = offset[row] - sum((c * zi for c, zi in zip(coefficients[row], z)), Fraction(0))
        return tuple(x)

    # G x <= g in the free coordinates: G_free z + G_pivot (offset - C z) <= g.
    rows, rhs = [], []
    for g_row, g in zip(inequalities, inequality_rhs):
        row = [
            g_row[f]
            - sum((g_row[p] * coefficients[i][j] for i, p in enumerate(pivots)), Fraction(0))
            for j, f in enumerate(free)
        ]
        bound = g - sum((g_row[p] * offset[i] for i, p in enumerate(pivots)), Fraction(0))
        if any(row):
            rows.append(row)
            rhs.append(bound)
        elif bound < 0:
            return []
    size = len(free)
    if size == 0:
        return [lift(())]
    # Each row scaled by the lcm of its denominators (a positive factor: the same inequality),
    # so that every trial solve and check is in integers; a vertex is z = numerators / d, d > 0.
    scaled = [integer_row([*row, h]) for row, h in zip(rows, rhs)]
    found: set[tuple[tuple[int, ...], int]] = set()
    for chosen in combinations(scaled, size):
        solution = solve_integer([row[:-1] for row in chosen], [row[-1] for row in chosen])
        if solution is None:
            continue
        numerators, d = solution
        common = math.gcd(d, *numerators)
        key = (tuple(n // common for n in numerators), d // common)
        if key not in found and all(
            sum(a * n for a, n in zip(row, numerators)) <= row[-1] * d for row in scaled
        ):
            found.add(key)
    return sorted(lift(tuple(Fraction(n, d) for n in z)) for z, d in found)


def _eliminate(
    equalities: Sequence[Row], rhs: Sequence[Fraction], dimension: int
) -> tuple[list[int], list[Fraction], list[list[Fraction]], list[int]] | None:
    """Reduced row echelon form: pivot columns, their offsets, coefficients on the free columns."""
    matrix = [[Fraction(x) for x in row] + [Fraction(b)] for row, b in zip(equalities, rhs)]
    pivots: list[int] = []
    row = 0
    for column in range(dimension):
        pivot = next((i for i in range(row, len(matrix)) if matrix[i][column] != 0), None)
        if pivot is None:
            continue
        matrix[row], matrix[pivot] = matrix[pivot], matrix[row]
        inverse = 1 / matrix[row][column]
        matrix[row] = [x * inverse for x in matrix[row]]
        for i in range(len(matrix)):
            if i != row and matrix[i][column] != 0:
                factor = matrix[i][column]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[row])]
        pivots.append(column)
        row += 1
    if any(matrix[i][dimension] != 0 for i in range(row, len(matrix))):
        return None
    free = [c for c in range(dimension) if c not in pivots]
    offset = [matrix[i][dimension] for i in range(row)]
    coefficients = [[matrix[i][f] for f in free] for i in range(row)]
    return pivots, offset, coefficients, free
