"""Exact simplex dictionaries of ``{x >= 0 : C x <= 1}`` in integers, for degenerate vertices.

Notation as in :mod:`credibility.solvers.reverse_search`: ``C`` is a positive
integer ``r x d`` matrix; the variables are ``x_0..x_{d-1}`` (indices
``0..d-1``) and the slacks ``s_j = 1 - C_j x`` (indices ``d..d+r-1``). A
basis is a choice of ``r`` basic variables (``rowvar``, one per row of the
dictionary); the other ``d`` are nonbasic (``colvar``, one per column) and
zero. The dictionary reads

    basic_i = T[i, d] - sum_j T[i, j] * nonbasic_j        (i < r)
    sum(x)  = T[r, d] - sum_j T[r, j] * nonbasic_j        (the objective row)

and is stored fraction-free, as integers ``D = delta * T`` with ``delta`` the
absolute value of the basis determinant (Edmonds 1967, "Systems of distinct
representatives and linear algebra"; the integer pivoting of lrs, Avis 2000,
"lrs: a revised implementation of the reverse search vertex enumeration
algorithm"): every entry is then an integer and a pivot divides exactly.

The lexicographic rule perturbs the right-hand side ``1`` of slack ``s_j`` by
``epsilon^(j+1)``; a basis is lexicographically feasible when every row of
``[T[:r, d] | B^-1]`` is lexicographically positive, and the ratio test
compares those rows divided by the pivot column (Dantzig, Orden & Wolfe 1955,
"The generalized simplex method for minimizing a linear form under linear
inequality restraints", *Pacific Journal of Mathematics* 5). The column of
``B^-1`` belonging to ``s_j`` is the dictionary's column of ``s_j`` when it
is nonbasic and a unit vector when it is basic.
"""

from __future__ import annotations

from dataclasses import dataclass

from .exact import bareiss

__all__ = ["ExactBasis", "exact_basis", "exact_step"]


@dataclass
class ExactBasis:
    """A basis with its integer dictionary ``D = delta * T`` (``delta > 0``)."""

    D: list[list[int]]
    delta: int
    rowvar: list[int]
    colvar: list[int]


def exact_basis(C: list[list[int]], rowvar: list[int], colvar: list[int]) -> ExactBasis:
    """The integer dictionary of a basis, from scratch.

    With ``K`` the basic coordinates, ``J`` the rows whose slacks are nonbasic
    and ``G = C[J, K]`` (see :mod:`credibility.solvers.certified_dictionary`),
    fraction-free Gauss-Jordan elimination (Bareiss 1968, "Sylvester's
    identity and multistep integer-preserving Gaussian elimination",
    *Mathematics of Computation* 22; :func:`~credibility.solvers.exact.bareiss`)
    of ``[G | H]`` ends with ``det G * I`` on the left and ``det G * G^-1 H``
    on the right, all integers; the rows of the
    basic slacks follow by integer products. ``|det G|`` is the absolute
    determinant of the whole basis matrix (the basic slacks contribute unit
    columns).

    Raises
    ------
    ValueError
        If the basis matrix is singular (never for a basis reached by pivoting).

    Examples
    --------
    The origin of ``{x >= 0 : 2 x_0 + x_1 <= 1, x_0 + 3 x_1 <= 1}`` and the
    vertex ``(2/5, 1/5)`` where both rows are tight:

    >>> C = [[2, 1], [1, 3]]
    >>> exact_basis(C, [2, 3], [0, 1]).D
    [[2, 1, 1], [1, 3, 1], [-1, -1, 0]]
    >>> basis = exact_basis(C, [0, 1], [2, 3])
    >>> basis.delta, [row[2] for row in basis.D]
    (5, [2, 1, 3])
    """
    d = len(C[0])

    def entry(i: int, var: int) -> int:
        return C[i][var] if var < d else int(i == var - d)

    K = [v for v in rowvar if v < d]
    J = [v - d for v in colvar if v >= d]
    k = len(K)
    rows = [[C[j][v] for v in K] + [entry(j, v) for v in colvar] + [1] for j in J]
    previous = bareiss(rows, k)
    if previous is None:
        raise ValueError("singular basis")
    sign = 1 if previous > 0 else -1
    delta = sign * previous
    Z = {v: [sign * a for a in row[k:]] for v, row in zip(K, rows)}
    D = []
    for var in rowvar:
        if var < d:
            D.append(Z[var])
            continue
        i = var - d
        row = [delta * entry(i, v) for v in colvar] + [delta]
        for v, z in Z.items():
            c = C[i][v]
            if c:
                row = [a - c * b for a, b in zip(row, z)]
        D.append(row)
    # sum(x) = sum over basic x_i of their rows + the nonbasic x_j themselves.
    objective = [sum(z[j] for z in Z.values()) for j in range(d + 1)]
    for j, var in enumerate(colvar):
        if var < d:
            objective[j] -= delta
    D.append(objective)
    return ExactBasis(D, delta, list(rowvar), list(colvar))


def _lex_smaller(basis: ExactBasis, i: int, k: int, e: int, d: int) -> bool:
    """True if row ``i`` precedes row ``k`` in the lexicographic ratio test of column ``e``."""
    D, delta = basis.D, basis.delta
    ai, ak = D[i][e], D[k][e]
    lhs, rhs = D[i][d] * ak, D[k][d] * ai
    if lhs != rhs:
        return lhs < rhs
    column = {var: j for j, var in enumerate(basis.colvar)}
    r = len(basis.rowvar)
    for slack in range(d, d + r):
        j = column.get(slack)
        if j is not None:
            vi, vk = D[i][j], D[k][j]
        else:
            vi = delta if basis.rowvar[i] == slack else 0
            vk = delta if basis.rowvar[k] == slack else 0
        lhs, rhs = vi * ak, vk * ai
        if lhs != rhs:
            return lhs < rhs
    raise AssertionError("two rows of B^-1 are proportional")  # B is non-singular


def exact_step(basis: ExactBasis, d: int) -> tuple[list[int], list[ExactBasis]]:
    """The zero variables of a lexicographically feasible basis and its children.

    The children in the reverse search tree (Avis & Fukuda 1992, "A pivoting
    algorithm for convex hulls and vertex enumeration of arrangements and
    polyhedra", *Discrete & Computational Geometry* 8) are the neighbours
    ``w`` reached by a lexicographic pivot on a column ``e`` with reduced
    cost ``c_e > 0`` whose own Bland pivot (the smallest-index variable with
    negative reduced cost enters) leads back.

    Examples
    --------
    The root (the origin) of the triangle ``{x >= 0 : x_0 + x_1 <= 1}`` has
    the two other vertices as children:

    >>> zero, children = exact_step(exact_basis([[1, 1]], [2], [0, 1]), 2)
    >>> sorted(zero), [child.rowvar for child in children]
    ([0, 1], [[0], [1]])
    """
    D = basis.D
    r = len(basis.rowvar)
    zero = list(basis.colvar) + [basis.rowvar[i] for i in range(r) if D[i][d] == 0]
    objective = D[r]
    children = []
    for e in range(d):
        if objective[e] >= 0:  # c_e = -T[r, e] must be positive
            continue
        rows = [i for i in range(r) if D[i][e] > 0]
        p = rows[0]
        for i in rows[1:]:
            if _lex_smaller(basis, i, p, e, d):
                p = i
        leaving = basis.rowvar[p]
        a = D[p][e]
        # The child's objective entry of column j is (objective[j] a - objective[e] D[p][j]) /
        # (delta a): it must not be positive (not improving) for smaller-index variables.
        if any(
            objective[j] * a - objective[e] * D[p][j] > 0
            for j, var in enumerate(basis.colvar)
            if j != e and var < leaving
        ):
            continue
        children.append(_pivot(basis, p, e))
    return zero, children


def _pivot(basis: ExactBasis, p: int, e: int) -> ExactBasis:
    """Integer pivot on row ``p`` and column ``e`` (the entry is positive)."""
    D, delta = basis.D, basis.delta
    a = D[p][e]
    pivot_row = D[p]
    new = []
    for i, row in enumerate(D):
        if i == p:
            new_row = list(pivot_row)
            new_row[e] = delta
        else:
            f = row[e]
            new_row = [(v * a - f * c) // delta for v, c in zip(row, pivot_row)]
            new_row[e] = -f
        new.append(new_row)
    rowvar, colvar = list(basis.rowvar), list(basis.colvar)
    rowvar[p], colvar[e] = colvar[e], rowvar[p]
    return ExactBasis(new, a, rowvar, colvar)
