"""Exact arithmetic shared by the solvers: the sign of a number, square linear systems.

Both are pure Python on ``int`` and ``Fraction`` (this module imports neither
numpy nor sympy, so the numeric solvers that use it start quickly). The
symbolic analyses take the number sign from here too, through
:mod:`credibility.symbolic.signs`.

A square system is solved by fraction-free Gauss-Jordan elimination (Bareiss
1968, "Sylvester's identity and multistep integer-preserving Gaussian
elimination", *Mathematics of Computation* 22): every intermediate entry is a
minor of the augmented matrix, so every division is exact and only integers
are ever formed. A system with ``Fraction`` entries is first scaled row by row
to integers (which leaves its solution alone), so one elimination serves the
integer uses (vertices of best-response polytopes, simplex dictionaries) and
the rational ones (vertices of belief polytopes) alike.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

__all__ = ["bareiss", "exact_sign", "integer_row", "solve_integer"]


def exact_sign(value: Fraction | int) -> int:
    """The sign of an exact number: -1, 0 or 1.

    Also right for any value whose comparisons with 0 give truth values
    (a sympy number, say).

    Examples
    --------
    >>> exact_sign(Fraction(-1, 3)), exact_sign(0), exact_sign(7)
    (-1, 0, 1)
    """
    if isinstance(value, int):
        return (value > 0) - (value < 0)
    if isinstance(value, Fraction):
        return (value.numerator > 0) - (value.numerator < 0)
    # A sympy Rational carries its numerator as the int ``p``: its sign without sympy's
    # comparison machinery (the symbolic analyses ask this hundreds of thousands of times).
    numerator = getattr(value, "p", None)
    if type(numerator) is int and getattr(value, "is_Rational", False):
        return (numerator > 0) - (numerator < 0)
    return bool(value > 0) - bool(value < 0)


def bareiss(rows: list[list[int]], size: int) -> int | None:
    """Reduce the augmented integer matrix ``rows`` (``size`` rows) in place, fraction-free.

    Gauss-Jordan elimination on the first ``size`` columns, the others carried
    along. At the end the left block is ``d * I`` with ``d = +-det`` of that
    block, and the right block is ``d`` times its solution.

    Returns
    -------
    int or None
        ``d`` (nonzero), or None if the left block is singular (``rows`` is
        then partly reduced).

    Examples
    --------
    >>> rows = [[2, 1, 1], [1, 3, 1]]
    >>> bareiss(rows, 2), rows
    (5, [[5, 0, 2], [0, 5, 1]])
    """
    previous = 1
    for col in range(size):
        pivot = next((r for r in range(col, size) if rows[r][col] != 0), None)
        if pivot is None:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        pivot_row = rows[col]
        p = pivot_row[col]
        for r in range(size):
            if r != col:
                factor = rows[r][col]
                rows[r] = [(p * a - factor * c) // previous for a, c in zip(rows[r], pivot_row)]
        previous = p
    return previous


def solve_integer(M: Sequence[Sequence[int]], b: Sequence[int]) -> tuple[list[int], int] | None:
    """Solve the square integer system ``M z = b`` exactly: ``z = numerators / denominator``.

    Returns
    -------
    (numerators, denominator) with ``denominator = |det M| > 0``, or None if M is singular.

    Examples
    --------
    >>> solve_integer([[2, 1], [1, 3]], [1, 1])
    ([2, 1], 5)
    >>> solve_integer([[1, 2], [2, 4]], [1, 1]) is None
    True
    """
    size = len(M)
    rows = [[*row, bi] for row, bi in zip(M, b)]
    determinant = bareiss(rows, size)
    if determinant is None:
        return None
    sign = 1 if determinant > 0 else -1
    return [sign * rows[i][size] for i in range(size)], sign * determinant


def integer_row(row: Sequence[Fraction | int]) -> list[int]:
    """``row`` times the least common multiple of its denominators: integers, same direction.

    Scaling a row of a linear system (with its right-hand side) by a positive number leaves its
    solutions alone, and an inequality's direction too, so rational systems are solved and
    checked in integers.

    Examples
    --------
    >>> integer_row([Fraction(1, 2), Fraction(-2, 3), 1])
    [3, -4, 6]
    """
    scale = math.lcm(*(Fraction(x).denominator for x in row))
    return [int(x * scale) for x in row]
