"""Extreme equilibria as completely labelled pairs of vertices found by reverse search.

Notation as in :mod:`credibility.solvers.enumeration`: labels ``0..m-1`` are
the row strategies and ``m..m+n-1`` the column strategies; ``P = {x >= 0 :
B^T x <= 1}`` and ``Q = {y >= 0 : A y <= 1}`` for positive integer payoffs.
In the terms of :mod:`credibility.solvers.reverse_search`, ``P`` has ``C =
B^T``, variables ``x_i`` labelled ``i`` and slacks labelled ``m + j``; ``Q``
has ``C = A``, variables ``y_j`` labelled ``m + j`` and slacks labelled ``i``.

A pair of non-zero vertices ``(x, y)`` is an extreme equilibrium (normalised)
exactly when their zero sets cover all ``m + n`` labels (von Stengel 2007,
theorem 3.4 and section 3.5). With the exact zero set of every vertex of both
polytopes at hand, the pairs are found by label arithmetic alone:

- when ``x`` has exactly ``m`` labels and ``y`` exactly ``n``, they cover
  everything only if ``y``'s labels are the complement of ``x``'s: an
  equality join on sorted keys;
- a degenerate vertex (more labels than its dimension) is paired with every
  vertex of the other polytope whose labels contain the complement of its own:
  a subset test against all of them.

Only the vertices of the pairs found are computed, exactly, in integers.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from .exact_tableau import exact_basis
from .reverse_search import PolytopeVertices, label_keys, pack_labels, polytope_vertices

__all__ = ["extreme_pairs"]

Vector = tuple[Fraction, ...]


def extreme_pairs(
    A: list[list[int]], B: list[list[int]], limit: int, *, exact: bool = True
) -> tuple[dict[tuple[Vector, Vector], tuple[int, int]], bool]:
    """The extreme equilibria of a game with positive integer payoffs.

    With ``exact=False`` the vertices are enumerated without error bounds
    (``certified=False`` in :func:`~credibility.solvers.reverse_search.polytope_vertices`)
    and the strategies are floats, computed in floating point.

    Returns
    -------
    found : dict
        Maps each extreme equilibrium ``(x, y)`` (mixed strategies) to the
        indices of its vertices of ``P`` and ``Q`` (equal indices, equal
        vertices).
    degenerate : bool
        True if some vertex of ``P`` or ``Q`` has more labels than its dimension.

    Examples
    --------
    Matching pennies with payoffs shifted to 1 and 3:

    >>> found, degenerate = extreme_pairs([[3, 1], [1, 3]], [[1, 3], [3, 1]], 1000)
    >>> [tuple(map(str, x + y)) for x, y in found], degenerate
    ([('1/2', '1/2', '1/2', '1/2')], False)
    """
    m, n = len(A), len(A[0])
    width = m + n
    p_labels = list(range(width))
    q_labels = [m + j for j in range(n)] + list(range(m))
    B_transposed = [list(column) for column in zip(*B)]
    P = polytope_vertices(B_transposed, p_labels, width, limit=limit, certified=exact)
    Q = polytope_vertices(A, q_labels, width, limit=limit, certified=exact)
    pairs = _covering(P, Q, width)
    found: dict[tuple[Any, Any], tuple[int, int]] = {}
    if not exact:
        xs = _float_points(B_transposed, p_labels, P, sorted({i for i, _ in pairs}))
        ys = _float_points(A, q_labels, Q, sorted({j for _, j in pairs}))
        for i, j in pairs:
            found[(xs[i], ys[j])] = (i, j)
        return found, P.degenerate or Q.degenerate
    x_points = _Points(B_transposed, p_labels, P)
    y_points = _Points(A, q_labels, Q)
    full = (1 << width) - 1
    for i, j in pairs:
        x, x_labels = x_points.get(i)
        y, y_labels = y_points.get(j)
        if (x_labels | y_labels) != full:
            raise RuntimeError("vertex labels disagree with their exact points (internal error)")
        found[(x, y)] = (i, j)
    return found, P.degenerate or Q.degenerate


def _covering(P: PolytopeVertices, Q: PolytopeVertices, width: int) -> set[tuple[int, int]]:
    """Index pairs of vertices of ``P`` and ``Q`` whose labels cover all ``width`` labels."""
    full = pack_labels(np.arange(width)[None, :], width)[0]
    need_p = P.labels ^ full  # the labels y must have: the complement of x's
    pairs: set[tuple[int, int]] = set()
    # Equality join: y's labels are exactly the complement of x's.
    q_keys = label_keys(Q.labels)
    order = np.argsort(q_keys, kind="stable")
    sorted_keys = q_keys[order]
    wanted = label_keys(need_p)
    at = np.minimum(np.searchsorted(sorted_keys, wanted), len(sorted_keys) - 1)
    if len(sorted_keys):
        hit = np.flatnonzero(sorted_keys[at] == wanted)
        pairs.update(zip(hit.tolist(), order[at[hit]].tolist()))
    # Degenerate vertices: subset tests against every vertex of the other polytope.
    for x in np.flatnonzero(_popcount(P.labels) > P.dimension).tolist():
        need = need_p[x]
        ys = np.flatnonzero(((Q.labels & need) == need).all(axis=1)).tolist()
        pairs.update((x, y) for y in ys)
    need_q = Q.labels ^ full
    for y in np.flatnonzero(_popcount(Q.labels) > Q.dimension).tolist():
        need = need_q[y]
        xs = np.flatnonzero(((P.labels & need) == need).all(axis=1)).tolist()
        pairs.update((x, y) for x in xs)
    return pairs


def _popcount(words: np.ndarray) -> np.ndarray:
    return np.unpackbits(words.view(np.uint8), axis=1).sum(axis=1)


def _float_points(
    C: list[list[int]], labels: list[int], vertices: PolytopeVertices, indices: list[int]
) -> dict[int, tuple[float, ...]]:
    """Mixed strategies of some vertices, solved in floating point from their bases."""
    d = len(C[0])
    scale = max(max(row) for row in C)
    Cf = np.array([[c / scale for c in row] for row in C])
    variable = np.empty(len(labels), dtype=np.intp)
    variable[labels] = np.arange(len(labels))
    result = {}
    for index in indices:
        bits = np.unpackbits(vertices.bases[index].view(np.uint8), bitorder="little")
        nonbasic = variable[np.flatnonzero(bits[: len(labels)])]
        K = np.setdiff1d(np.arange(d), nonbasic)
        J = nonbasic[nonbasic >= d] - d
        x = np.zeros(d)
        try:
            x[K] = np.linalg.solve(Cf[np.ix_(J, K)], np.ones(len(J)))
        except np.linalg.LinAlgError:  # singular in floats only: solve it exactly
            point, _ = _Points(C, labels, vertices).get(index)
            x = np.array([float(p) for p in point])
        x = np.maximum(x, 0)
        result[index] = tuple((x / x.sum()).tolist())
    return result


class _Points:
    """Exact points of a polytope's vertices, computed on demand from their bases."""

    def __init__(self, C: list[list[int]], labels: list[int], vertices: PolytopeVertices):
        self.C, self.labels, self.vertices = C, labels, vertices
        self.variable = {label: var for var, label in enumerate(labels)}
        self.cache: dict[int, tuple[Vector, int]] = {}

    def get(self, index: int) -> tuple[Vector, int]:
        """The mixed strategy of vertex ``index`` and its exact label mask."""
        if index in self.cache:
            return self.cache[index]
        C = self.C
        r, d = len(C), len(C[0])
        words = self.vertices.bases[index]
        chosen = int.from_bytes(words.astype("<u8").tobytes(), "little")
        nonbasic = sorted(self.variable[b] for b in range(len(self.labels)) if chosen >> b & 1)
        basic = [v for v in range(r + d) if v not in nonbasic]
        basis = exact_basis(C, basic, nonbasic)
        values = {var: basis.D[i][d] for i, var in enumerate(basis.rowvar)}
        x = [values.get(i, 0) for i in range(d)]
        zero = [var for var in range(r + d) if values.get(var, 0) == 0]
        mask = sum(1 << self.labels[var] for var in zero)
        total = sum(x)
        common = math.gcd(*x)
        result = (tuple(Fraction(xi // common, total // common) for xi in x), mask)
        self.cache[index] = result
        return result
